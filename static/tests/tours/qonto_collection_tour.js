import { registry } from "@web/core/registry";

// The buyer's transfer came in from Qonto as a bank line: the invoice is paid, with no
// click, reconciled with that line, and the network's 212 Encaissée is in its lifecycle.
registry.category("web_tour.tours").add("account_qonto_einvoicing_paid_by_transfer", {
    steps: () => [
        {
            content: "Odoo's Paid ribbon",
            trigger: ".o_form_view .ribbon:contains(Paid)",
        },
        {
            content: "Nothing asks for the payment to be registered",
            trigger: ".o_form_view:not(:has(.o_qonto_paid_not_in_odoo))",
        },
        {
            content: "The chatter says the bank line paid it",
            trigger: ".o-mail-Message:contains(Reconciled automatically with the bank line)",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains(Lifecycle)",
            run: "click",
        },
        {
            content: "212 Collected is in the lifecycle",
            trigger: ".o_field_widget[name=qonto_lifecycle_event_ids] .o_data_row:contains(212)",
        },
    ],
});
