import { registry } from "@web/core/registry";

// The vendor bills list: Fetch from Qonto brings the supplier's e-invoice as a bill;
// opened, it is refused in Qonto with one of the reform's reasons and a note.
registry.category("web_tour.tours").add("account_qonto_einvoicing_vendor_bill", {
    steps: () => [
        {
            content: "Fetch from Qonto, in the vendor bills list",
            trigger: ".o_control_panel button[name=action_qonto_fetch_received]",
            run: "click",
        },
        {
            content: "Qonto's e-invoice arrived",
            trigger: ".o_notification:contains(e-invoice(s) received from Qonto)",
            timeout: 30000, // each received file is decoded by Odoo's importer
        },
        {
            content: "Open a bill (the list is Qonto's inbox, made bills)",
            trigger: ".o_list_renderer .o_data_row .o_data_cell[name=invoice_partner_display_name]",
            run: "click",
        },
        {
            content: "Refuse it in Qonto",
            trigger: ".o_form_view button[name=action_qonto_refuse]",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: ".modal .o_field_widget[name=reason_code] input",
            run: "click",
        },
        {
            content: "Duplicate invoice",
            trigger: ".o_select_menu_item:contains(Duplicate invoice)",
            run: "click",
        },
        {
            content: "A note to the supplier",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Déjà reçue le 3 novembre",
        },
        {
            content: "Refuse in Qonto",
            trigger: ".modal footer button[name=action_refuse]",
            run: "click",
        },
        {
            content: "Back on the bill: no more Refuse button, the chatter says it",
            trigger:
                "body:not(:has(.modal)) .o_form_view:not(:has(button[name=action_qonto_refuse])) .o-mail-Message:contains(Refused in Qonto: Duplicate invoice)",
        },
    ],
});

// The buyer paid (211) and Odoo has no payment: the banner's button opens Odoo's payment
// dialog; once registered, the invoice is paid and the banner is gone.
registry.category("web_tour.tours").add("account_qonto_einvoicing_buyer_paid", {
    steps: () => [
        {
            content: "The banner says the buyer paid, with its button",
            trigger: ".o_qonto_paid_not_in_odoo button[name=action_register_payment]",
            run: "click",
        },
        {
            content: "Odoo's payment dialog: create the payment",
            trigger: ".modal footer button[name=action_create_payments]",
            run: "click",
        },
        {
            content: "Back on the invoice: the banner is gone",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(.o_qonto_paid_not_in_odoo))",
        },
    ],
});
