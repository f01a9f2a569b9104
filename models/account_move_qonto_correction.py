from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.access import BILLING, check_qonto_access

# The buyer refused the invoice (210 Refusée) or the platform rejected it (213 Rejetée).
CORRECTABLE_CODES = (210, 213)


class AccountMove(models.Model):
    """Correct and resend: a refused or rejected invoice is credited in full through
    Qonto, and a copy opens for correction; sending the copy closes the activity."""

    _inherit = "account.move"

    qonto_corrected_move_id = fields.Many2one(
        "account.move", string="Corrects invoice", copy=False, readonly=True,
        index="btree_not_null", check_company=True,
        help="The refused or rejected invoice this invoice replaces.")
    qonto_correction_move_ids = fields.One2many(
        "account.move", "qonto_corrected_move_id", string="Corrected by", readonly=True)
    qonto_can_correct = fields.Boolean(compute="_compute_qonto_can_correct")
    qonto_correction_credited = fields.Boolean(
        string="Credited, copy still to make", compute="_compute_qonto_can_correct",
        help="Correct and resend already credited the whole invoice through Qonto; only "
        "the copy to correct and send is left.")

    @api.depends("qonto_einvoice_id.lifecycle_event_ids", "qonto_correction_move_ids",
                 "reversal_move_ids.state", "reversal_move_ids.qonto_sent_at")
    def _compute_qonto_can_correct(self):
        for move in self:
            last = move.qonto_einvoice_id._latest_event() if move.qonto_einvoice_id else None
            move.qonto_can_correct = bool(
                move.move_type == "out_invoice" and last
                and last.status_code in CORRECTABLE_CODES
                and not move.qonto_correction_move_ids)
            move.qonto_correction_credited = bool(
                move.qonto_can_correct
                and move._qonto_correction_credit_note().qonto_sent_at)

    def action_qonto_correct_and_resend(self):
        """Credit the whole invoice through Qonto, then open a copy to correct."""
        check_qonto_access(self, BILLING)
        self.ensure_one()
        # Before any request: see qonto.einvoice._lock_for_action (Odoo's replay). Two
        # clicks on the same invoice wait for each other here.
        self.qonto_einvoice_id._lock_for_action()
        if not self.qonto_can_correct:
            raise UserError(self.env._(
                "%(move)s: only an invoice refused (210) or rejected (213) on the network, "
                "not corrected yet, can be corrected and resent.", move=self.display_name))
        today = fields.Date.context_today(self)
        # An earlier click (or its replay) may have sent the credit note already and
        # stopped before the copy: that credit note is kept, never sent again.
        credit_note = self._qonto_correction_credit_note()
        if not credit_note:
            credit_note = self._reverse_moves([{
                "invoice_date": today,
                "ref": self.env._("Cancels %(move)s (refused on the network)",
                                  move=self.name)}])
            credit_note.action_post()
        if not credit_note.qonto_sent_at:
            result = credit_note._qonto_send_batch()[credit_note]
            if result.state != "sent":
                raise UserError(self.env._(
                    "%(move)s: the credit note %(note)s could not be sent, so no copy was "
                    "made yet: %(why)s", move=self.display_name, note=credit_note.display_name,
                    why=result.message or result.state))
        copy = self.copy({"qonto_corrected_move_id": self.id, "invoice_date": today})
        for record, body in (
            (self, self.env._("Credited in full by %(note)s; the corrected invoice is "
                              "%(copy)s.", note=credit_note._get_html_link(),
                              copy=copy._get_html_link())),
            (copy, self.env._("Corrects %(move)s (credited by %(note)s).",
                              move=self._get_html_link(), note=credit_note._get_html_link())),
        ):
            record.message_post(body=body)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": copy.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _qonto_correction_credit_note(self):
        """The posted credit note of the whole invoice that Correct and resend sends (or
        sent): one already sent through Qonto first, else one still to send."""
        self.ensure_one()
        full = self.reversal_move_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_refund"
            and m.currency_id.compare_amounts(m.amount_total, self.amount_total) == 0)
        return full.filtered("qonto_sent_at")[:1] or full[:1]

    def _qonto_after_sent(self):
        result = super()._qonto_after_sent()
        original = self.qonto_corrected_move_id
        if original:
            original.activity_feedback(
                ["account_qonto_einvoicing.mail_activity_type_qonto_einvoice"],
                feedback=self.env._("Corrected and resent as %(move)s.", move=self.name))
        return result
