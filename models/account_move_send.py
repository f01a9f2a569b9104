from odoo import api, models

from ..tools.access import BILLING, check_qonto_access


class AccountMoveSend(models.AbstractModel):
    """Qonto as a sending method of Odoo's Send wizard, single and batch (cron)."""

    _inherit = "account.move.send"

    @api.model
    def _get_default_sending_methods(self, move) -> set:
        methods = set(super()._get_default_sending_methods(move))
        if move.company_id.qonto_enabled:
            # A company has one platform: Odoo's own (Peppol / l10n_fr_pdp) steps aside.
            methods.discard("peppol")
            partner = move.commercial_partner_id.with_company(move.company_id)
            if partner.qonto_reachability == "reachable" \
                    and self._is_applicable_to_move("qonto", move):
                methods.add("qonto")
                methods.discard("manual")
                # The e-invoice is the invoice: a PDF by e-mail as well only when the
                # customer's own setting asks for it.
                if partner.invoice_sending_method != "email":
                    methods.discard("email")
        return methods

    @api.model
    def _is_applicable_to_company(self, method, company):
        if method == "qonto":
            return company.qonto_enabled
        return super()._is_applicable_to_company(method, company)

    @api.model
    def _is_applicable_to_move(self, method, move, **move_data):
        if method == "qonto":
            return (
                move.company_id.qonto_enabled
                # A credit note goes the way its invoice went (Qonto refuses one for an
                # invoice it never had).
                and (move.move_type == "out_invoice"
                     or (move.move_type == "out_refund" and move.reversed_entry_id.qonto_sent_at))
                and not move.qonto_sent_at
                and not move._qonto_sent_through_odoo_platform()
                # A customer without a SIREN (abroad) is not on the French network.
                and move.commercial_partner_id._qonto_network_addressable()
            )
        return super()._is_applicable_to_move(method, move, **move_data)

    @api.model
    def _get_alerts(self, moves, moves_data):
        alerts = super()._get_alerts(moves, moves_data)
        qonto_moves = moves.filtered(lambda m: "qonto" in moves_data[m]["sending_methods"])
        unreachable = qonto_moves.filtered(
            lambda m: m.commercial_partner_id.with_company(m.company_id).qonto_reachability
            == "not_reachable")
        if unreachable:
            alerts["account_qonto_einvoicing_unreachable"] = {
                "level": "warning",
                "message": self.env._(
                    "These customers cannot receive e-invoices, so their invoices will not "
                    "go out through Qonto; send them by e-mail: %(partners)s",
                    partners=", ".join(unreachable.commercial_partner_id.mapped("display_name"))),
            }
        both = moves.filtered(
            lambda m: m.company_id.qonto_enabled and "peppol" in moves_data[m]["sending_methods"])
        if both:
            alerts["account_qonto_einvoicing_one_platform"] = {
                "level": "warning",
                "message": self.env._(
                    "Your company sends e-invoices through Qonto: Odoo's Approved Platform "
                    "will not be used for %(moves)s.",
                    moves=", ".join(both.mapped("display_name"))),
            }
        return alerts

    @api.model
    def _call_web_service_before_invoice_pdf_render(self, invoices_data):
        # Strip Odoo's platform before anything is sent: the batch (cron) path never
        # shows the alerts, and account_peppol sends after the PDF render.
        for invoice, invoice_data in invoices_data.items():
            if invoice.company_id.qonto_enabled and "peppol" in invoice_data["sending_methods"]:
                invoice_data["sending_methods"] = [
                    m for m in invoice_data["sending_methods"] if m != "peppol"]
                if invoice.peppol_move_state == "to_send":
                    # Queued by account_peppol's wizard before this hook: not sent, ever.
                    invoice.peppol_move_state = "ready"
        return super()._call_web_service_before_invoice_pdf_render(invoices_data)

    @api.model
    def _call_web_service_after_invoice_pdf_render(self, invoices_data):
        res = super()._call_web_service_after_invoice_pdf_render(invoices_data)
        to_send = self.env["account.move"].union(*[
            invoice for invoice, invoice_data in invoices_data.items()
            if "qonto" in invoice_data["sending_methods"] and not invoice_data.get("error")
            and self._is_applicable_to_move("qonto", invoice)
        ])
        # The wizard hands its moves over in sudo: check the user who sends (the sending
        # cron runs as the superuser, who passes).
        check_qonto_access(to_send.with_env(self.env), BILLING)
        # Two workers (or a worker and a user) never send the same invoice.
        locked = to_send.try_lock_for_update()
        for invoice in to_send - locked:
            invoices_data[invoice]["error"] = {
                "error_title": self.env._("%(move)s is being sent by another process.",
                                          move=invoice.display_name),
                "retry": True,
            }
        for invoice, result in locked._qonto_send_batch().items():
            if result.state == "sent":
                continue
            if result.state == "not_reachable":
                invoices_data[invoice]["error"] = {"error_title": result.message}
                continue
            if result.state == "postponed":
                # Qonto's rate limit: our scheduled refresh sends it when Qonto allows.
                invoices_data[invoice]["error"] = {"error_title": result.message}
                continue
            # Never "retry": the sending cron would ask again at once, in a loop, for as
            # long as Qonto is down. A failure is recorded on the invoice, whose banner
            # says to send it again.
            invoices_data[invoice]["error"] = {
                "error_title": self.env._("%(move)s was not sent by e-invoice.",
                                          move=invoice.display_name),
                "errors": [result.message],
            }
        return res
