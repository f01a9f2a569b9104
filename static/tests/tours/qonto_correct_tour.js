import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// On an invoice the buyer refused (210): Correct and resend credits it in full through
// Qonto and opens a copy; confirming and sending the copy closes the activity.
registry.category("web_tour.tours").add("account_qonto_einvoicing_correct", {
    steps: () => [
        {
            content: "The banner says the buyer refused the invoice",
            trigger: ".alert-warning:contains(210)",
        },
        {
            content: "Correct and resend",
            trigger: "button[name=action_qonto_correct_and_resend]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The copy is open, in draft, and says which invoice it corrects",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Draft)",
            // The credit note's Factur-X is checked against the schematrons first: slow
            // on a busy machine.
            timeout: 30000,
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains(Lifecycle)",
            run: "click",
        },
        {
            content: "The chain: this invoice corrects the refused one",
            trigger: ".o_field_widget[name=qonto_corrected_move_id]:not(:empty)",
        },
        ...stepUtils.statusbarButtonsSteps("Confirm", "Confirm the corrected invoice"),
        {
            content: "Posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
        ...stepUtils.statusbarButtonsSteps(
            "Send via e-invoice", "Send the corrected invoice through Qonto"
        ),
        {
            content: "Qonto accepted it",
            trigger: ".o_notification:contains(1 invoice(s) sent by e-invoice through Qonto)",
        },
    ],
});
