import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// On a posted invoice: Send via e-invoice, then the lifecycle reported by Qonto appears.
// The test runs the simulator with short lifecycle steps, so that they pass during the wait.
registry.category("web_tour.tours").add("account_qonto_einvoicing_send", {
    steps: () => [
        {
            content: "The invoice is posted and not sent yet",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
        ...stepUtils.statusbarButtonsSteps(
            "Send via e-invoice", "Send the invoice as an e-invoice through Qonto"
        ),
        {
            content: "Qonto accepted it",
            trigger: ".o_notification:contains(1 invoice(s) sent by e-invoice through Qonto)",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains(Lifecycle)",
            run: "click",
        },
        {
            content: "Qonto's invoice is linked, to its page in Qonto",
            trigger: ".o_field_widget[name=qonto_invoice_url] a[href*='/invoices/']",
        },
        {
            content: "Let the network report its steps",
            trigger: ".o_field_widget[name=qonto_einvoicing_status]",
            run: () => new Promise((resolve) => setTimeout(resolve, 2500)),
        },
        ...stepUtils.statusbarButtonsSteps("Refresh from Qonto", "Read the lifecycle from Qonto"),
        {
            content: "The first step of the lifecycle is listed",
            trigger: ".o_field_widget[name=qonto_lifecycle_event_ids] .o_data_row:contains(200 Submitted)",
        },
        {
            content: "The buyer approved it",
            trigger: ".o_field_widget[name=qonto_lifecycle_event_ids] .o_data_row:contains(205 Approved)",
        },
        {
            content: "The e-invoicing status says so",
            trigger: ".o_field_widget[name=qonto_einvoicing_status]:contains(Approved)",
        },
    ],
});
