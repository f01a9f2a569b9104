from odoo import fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError
from ..tools.access import BILLING, check_qonto_access
from ..tools.errors import qonto_error_message

# The statuses Qonto lets a supplier invoice be rejected from (reject-supplier-invoice).
REFUSABLE = ("to_review", "to_approve", "awaiting_payment")


class AccountMove(models.Model):
    """The buyer's answers to a received e-invoice that Qonto's API allows.

    Refuse (``reject`` with the reform's reason) and report the payment
    (``mark_as_paid`` / ``unmark_as_paid``). Qonto documents no call that approves a
    received e-invoice, so there is no Approve button.
    """

    _inherit = "account.move"

    qonto_supplier_status = fields.Char(related="qonto_einvoice_id.supplier_status")

    def _qonto_check_received(self, statuses=None):
        for move in self:
            einvoice = move.qonto_einvoice_id
            if einvoice.direction != "received" or not einvoice.qonto_id:
                raise UserError(self.env._(
                    "%(move)s was not received through Qonto.", move=move.display_name))
            if statuses and einvoice.supplier_status not in statuses:
                raise UserError(self.env._(
                    "%(move)s is %(status)s in Qonto: Qonto does not allow this now.",
                    move=move.display_name, status=einvoice.supplier_status or "?"))

    def action_qonto_refuse(self):
        check_qonto_access(self, BILLING)
        self._qonto_check_received(REFUSABLE)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse the e-invoice"),
            "res_model": "qonto.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def _qonto_each_received(self, step, statuses):
        # Locked before the statuses are checked and Qonto is called: see
        # qonto.einvoice._lock_for_action (Odoo's replay).
        self.qonto_einvoice_id._lock_for_action()
        self._qonto_check_received(statuses)
        for move in self:
            try:
                step(move)
            except QontoError as error:
                raise UserError(qonto_error_message(self.env, error, move)) from None
        return True

    def action_qonto_report_payment(self):
        """Tell Qonto the bill is paid, on Odoo's payment date (today at the latest)."""
        check_qonto_access(self, BILLING)
        return self._qonto_each_received(
            lambda move: move.qonto_einvoice_id._report_payment(move._qonto_payment_date()),
            ("to_review", "to_approve", "awaiting_payment", "to_pay", "scheduled"))

    def action_qonto_cancel_payment_report(self):
        check_qonto_access(self, BILLING)
        return self._qonto_each_received(
            lambda move: move.qonto_einvoice_id._cancel_payment_report(), ("paid",))
