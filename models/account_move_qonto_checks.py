from odoo import models
from odoo.exceptions import UserError

from ..tools.mapping import client_payload_or_problems, invoice_payload


class AccountMove(models.Model):
    """What Qonto would refuse, said before any request: an invoice that must not leave
    (type, state, company, Odoo's own platform) and data Qonto's API would reject, each
    problem naming the record and the field to fix."""

    _inherit = "account.move"

    def _qonto_check_sendable(self):
        """Refuse, before anything leaves Odoo, what Qonto must never receive."""
        for move in self:
            name = move.display_name
            if move.move_type not in ("out_invoice", "out_refund"):
                raise UserError(self.env._(
                    "%(move)s: only customer invoices and credit notes go out by e-invoice "
                    "through Qonto (field: Type).", move=name))
            if move.state != "posted":
                raise UserError(self.env._(
                    "%(move)s: confirm the invoice before sending it (field: Status).",
                    move=name))
            if not move.company_id.qonto_enabled:
                raise UserError(self.env._(
                    "%(move)s: Qonto e-invoicing is not enabled for the company %(company)s "
                    "(Settings > Invoicing > Qonto).", move=name,
                    company=move.company_id.display_name))
            if not move.company_id._qonto_credentials():
                raise UserError(self.env._(
                    "%(move)s: the company %(company)s lacks its Qonto API login or secret "
                    "key (Settings > Invoicing > Qonto, fields: API login, Secret key).",
                    move=name, company=move.company_id.display_name))
            if move._qonto_sent_through_odoo_platform():
                raise UserError(self.env._(
                    "%(move)s: already sent through Odoo's Approved Platform; an invoice "
                    "never goes out through two platforms.", move=name))

    def _qonto_check_data(self, email=False):
        """Say, before any request, everything Qonto would refuse in the invoice's data;
        return the Qonto payload of the invoice, its client still to be set."""
        self.ensure_one()
        partner = self.commercial_partner_id
        problems = [
            self.env._("Customer %(partner)s, %(problem)s", partner=partner.display_name,
                       problem=problem)
            for problem in client_payload_or_problems(self.env, partner)[1]
        ]
        if email and not self.partner_id.email:
            problems.append(self.env._("Customer %(partner)s, Email: missing; Qonto needs it "
                                       "to send the invoice by e-mail.",
                                       partner=self.partner_id.display_name))
        # Any id stands for the client here: only the invoice's own data is checked, and
        # the payload is kept for the send, once the client is known (None in Flow 2).
        payload, document_problems = self._qonto_document_payload()
        problems += document_problems
        if problems:
            raise UserError(self.env._(
                "%(move)s cannot be sent by e-invoice:\n%(problems)s",
                move=self.display_name, problems="\n".join(problems)))
        return payload

    def _qonto_document_payload(self):
        """``(payload, problems)``: what is sent and what Qonto would refuse in it
        (Flow 1: the invoice's data as Qonto's create payload)."""
        self.ensure_one()
        return invoice_payload(self.env, self, client_id="-")
