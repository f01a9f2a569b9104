from odoo import fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError
from ..qonto_einvoicing.receiving import REFUSAL_REASONS
from ..tools.access import BILLING, check_qonto_access
from ..tools.errors import qonto_error_message


class QontoRefuseWizard(models.TransientModel):
    """Refuse a received e-invoice in Qonto with one of the reform's reasons and a note.

    The reasons are the reform's list (AFNOR XP Z12-012); Qonto requires one to refuse
    a French e-invoice from 1 September 2026.
    """

    _name = "qonto.refuse.wizard"
    _description = "Refuse a received e-invoice in Qonto"

    move_id = fields.Many2one("account.move", string="Vendor bill", required=True,
                              readonly=True)
    reason_code = fields.Selection(
        [(code, english) for code, _french, english in REFUSAL_REASONS],
        string="Reason", required=True,
        help="The reform's reason, sent to the supplier with the refusal (status 210).")
    note = fields.Text(string="Note to the supplier",
                       help="Sent with the refusal; at most 500 characters.")

    _note_length = models.Constraint(
        "CHECK (note IS NULL OR char_length(note) <= 500)",
        "The note to the supplier is at most 500 characters long.")

    def action_refuse(self):
        check_qonto_access(self.move_id, BILLING)
        self.ensure_one()
        move = self.move_id
        # Before the check and the request: see qonto.einvoice._lock_for_action.
        move.qonto_einvoice_id._lock_for_action()
        move._qonto_check_received(("to_review", "to_approve", "awaiting_payment"))
        try:
            move.qonto_einvoice_id._refuse(self.reason_code, (self.note or "").strip() or None)
        except QontoError as error:
            raise UserError(qonto_error_message(self.env, error, move)) from None
        return {"type": "ir.actions.act_window_close"}
