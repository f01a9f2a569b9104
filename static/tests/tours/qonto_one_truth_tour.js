import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An unreachable customer: the fallback dialog, Qonto's e-mail, then an invoice that
// says "Sent" and no longer offers to send it as an e-invoice.
registry.category("web_tour.tours").add("account_qonto_einvoicing_email_fallback", {
    steps: () => [
        ...stepUtils.statusbarButtonsSteps(
            "Send via e-invoice", "Try to send it as an e-invoice"
        ),
        {
            content: "The dialog says the customer cannot be reached and nothing is in Qonto",
            trigger: ".modal:contains(cannot receive e-invoices):contains(nothing was created in Qonto)",
        },
        {
            content: "Send it by e-mail through Qonto",
            trigger: ".modal button:contains(Send by e-mail through Qonto)",
            run: "click",
        },
        {
            content: "Qonto sent it by e-mail",
            trigger: ".o_notification:contains(sent by e-mail through Qonto)",
        },
        {
            content: "Odoo's Sent ribbon",
            trigger: ".o_form_view .ribbon:contains(Sent)",
        },
        {
            content: "No second Send via e-invoice",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_qonto_send]))",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains(Lifecycle)",
            run: "click",
        },
        {
            content: "It went as an e-mail, with no e-invoicing status pending",
            trigger: ".o_field_widget[name=qonto_channel]:contains(E-mail through Qonto)",
        },
        {
            content: "No pending e-invoice badge",
            trigger: ".o_notebook:not(:has(.o_field_widget[name=qonto_einvoicing_status]))",
        },
    ],
});

// A refused e-invoice: the reason in words and the next step, and no "Mark as paid".
registry.category("web_tour.tours").add("account_qonto_einvoicing_refused", {
    steps: () => [
        {
            content: "The banner names the reason in words and the next step",
            trigger: ".o_qonto_attention:contains(210 Refused):contains(Wrong total amount (MONTANTTOTAL_ERR)):contains(Issue a credit note)",
        },
        {
            content: "Nothing offers to mark it paid in Qonto",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_qonto_mark_paid]))",
        },
    ],
});

// Qonto reports 212 Collected, Odoo has no payment: the next step is Odoo's payment.
registry.category("web_tour.tours").add("account_qonto_einvoicing_collected", {
    steps: () => [
        {
            content: "No offer to undo Qonto's payment",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_qonto_unmark_paid]))",
        },
        {
            content: "The invoice says the buyer paid and offers to register it",
            trigger: ".o_qonto_paid_not_in_odoo button:contains(Register the payment)",
            run: "click",
        },
        {
            content: "Odoo's payment dialog opens",
            trigger: ".modal .o_form_view [name=payment_date]",
        },
    ],
});
