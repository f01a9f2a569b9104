from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError
from ..tools.access import BILLING, check_qonto_access
from ..tools.errors import qonto_error_message

# States of account_peppol's ``peppol_move_state`` in which Odoo's platform has not taken
# the invoice. "to_send" is only the mark its Send wizard puts before sending, which a
# Qonto company never lets happen (see account.move.send).
ODOO_PLATFORM_NOT_SENT = (False, "ready", "to_send", "skipped", "error")


class AccountMove(models.Model):
    """The invoice's side of Qonto: what it shows, what it allows, its buttons.

    Qonto's state of the invoice lives on ``qonto.einvoice``; the fields below only show
    it (related fields are never written through the move), so that no update from Qonto
    runs the accounting sync of the move.
    """

    _inherit = "account.move"

    qonto_einvoice_ids = fields.One2many("qonto.einvoice", "move_id", string="Qonto e-invoices")
    qonto_einvoice_id = fields.Many2one(
        "qonto.einvoice", string="Qonto e-invoice", compute="_compute_qonto_einvoice_id",
        store=True, index="btree_not_null")
    qonto_invoice_id = fields.Char(related="qonto_einvoice_id.qonto_id")
    qonto_invoice_url = fields.Char(related="qonto_einvoice_id.invoice_url")
    qonto_status = fields.Selection(related="qonto_einvoice_id.status")
    qonto_einvoicing_status = fields.Selection(
        related="qonto_einvoice_id.einvoicing_status", store=True,
        string="E-invoicing status (Qonto)")
    qonto_lifecycle_event_ids = fields.One2many(
        related="qonto_einvoice_id.lifecycle_event_ids", string="Lifecycle")
    qonto_sent_at = fields.Datetime(related="qonto_einvoice_id.sent_at",
                                    string="Sent by e-invoice on")
    qonto_sent_by_id = fields.Many2one(related="qonto_einvoice_id.sent_by_id")
    qonto_error = fields.Text(related="qonto_einvoice_id.error")
    qonto_in_flight = fields.Boolean(related="qonto_einvoice_id.in_flight")
    qonto_refresh_requested = fields.Boolean(related="qonto_einvoice_id.refresh_requested")
    qonto_paid_by_odoo = fields.Boolean(related="qonto_einvoice_id.paid_by_odoo")
    qonto_payment_to_sync = fields.Selection(related="qonto_einvoice_id.payment_to_sync")
    qonto_last_event = fields.Char(
        string="Last lifecycle step", compute="_compute_qonto_last_event",
    )
    qonto_needs_attention = fields.Boolean(
        string="E-invoice needs attention", compute="_compute_qonto_last_event")
    qonto_attention_text = fields.Text(
        string="What the network says", compute="_compute_qonto_last_event",
        help="The last step that needs attention, its reason in words, the buyer's "
        "message and what to do next.")
    qonto_channel = fields.Selection(related="qonto_einvoice_id.channel")
    qonto_company_enabled = fields.Boolean(related="company_id.qonto_enabled")
    qonto_einvoicing_platform = fields.Selection(
        [("qonto", "Qonto"), ("odoo", "Odoo's Approved Platform")],
        string="E-invoicing platform", compute="_compute_qonto_einvoicing_platform",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("qonto_einvoice_ids")
    def _compute_qonto_einvoice_id(self):
        for move in self:
            move.qonto_einvoice_id = move.qonto_einvoice_ids[:1]

    @api.depends("qonto_einvoice_id.lifecycle_event_ids", "qonto_einvoice_id.einvoicing_status")
    @api.depends_context("lang")
    def _compute_qonto_last_event(self):
        for move in self:
            einvoice = move.qonto_einvoice_id
            last = einvoice._latest_event() if einvoice else None
            move.qonto_last_event = last.label if last else False
            move.qonto_needs_attention = bool(einvoice and einvoice._needs_attention())
            lines = []
            if move.qonto_needs_attention and last:
                lines = [" — ".join(filter(None, [last.label, last.reason_label,
                                                  last.reason_message])),
                         einvoice._next_step(last.status_code)]
            move.qonto_attention_text = "\n".join(filter(None, lines)) or False

    @api.depends("qonto_einvoice_id.qonto_id")
    def _compute_qonto_einvoicing_platform(self):
        for move in self:
            if move.qonto_invoice_id:
                move.qonto_einvoicing_platform = "qonto"
            elif move._qonto_sent_through_odoo_platform():
                move.qonto_einvoicing_platform = "odoo"
            else:
                move.qonto_einvoicing_platform = False

    def _qonto_sent_through_odoo_platform(self):
        """Whether Odoo's own platform (Peppol / l10n_fr_pdp) took this invoice."""
        self.ensure_one()
        return bool(
            ("peppol_message_uuid" in self._fields and self.peppol_message_uuid)
            or ("peppol_move_state" in self._fields
                and self.peppol_move_state not in ODOO_PLATFORM_NOT_SENT)
        )

    # ------------------------------------------------------------------ reset to draft

    @api.depends("restrict_mode_hash_table", "state", "inalterable_hash", "qonto_sent_at")
    def _compute_show_reset_to_draft_button(self):
        res = super()._compute_show_reset_to_draft_button()
        for move in self.filtered("qonto_sent_at"):
            move.show_reset_to_draft_button = False
        return res

    def _check_draftable(self):
        sent = self.filtered("qonto_sent_at")
        if sent:
            raise UserError(self.env._(
                "%(invoices)s: sent by e-invoice through Qonto, so it cannot be reset to "
                "draft. Issue a credit note instead.",
                invoices=", ".join(sent.mapped("display_name"))))
        return super()._check_draftable()

    # ------------------------------------------------------------------ send

    def _qonto_after_sent(self):
        """Hook: the invoice was just sent (credit notes and corrections act here)."""

    # ------------------------------------------------------------------ buttons

    def action_qonto_send(self):
        """Send via e-invoice: the button of the invoice and of the list."""
        check_qonto_access(self, BILLING)
        self._qonto_check_sendable()
        to_send = self.filtered(lambda m: not m.qonto_sent_at)
        if not to_send:
            raise UserError(self.env._("%(moves)s: already sent by e-invoice.",
                                       moves=", ".join(self.mapped("display_name"))))
        locked = to_send.try_lock_for_update()
        if locked != to_send:
            raise UserError(self.env._(
                "%(moves)s: another user is sending it right now.",
                moves=", ".join((to_send - locked).mapped("display_name"))))
        results = locked._qonto_send_batch()
        if len(locked) == 1:
            result = results[locked]
            if result.state == "not_reachable":
                return locked._qonto_action_fallback()
            if result.state == "invalid":
                raise UserError(result.message)
        failures = [r.message for r in results.values() if r.state != "sent"]
        return self._qonto_notification(
            self.env._("E-invoice"),
            self.env._("%(count)s invoice(s) sent by e-invoice through Qonto.",
                       count=sum(r.state == "sent" for r in results.values())),
            failures,
        )

    def _qonto_send_by_email(self):
        """Qonto's send-by-e-mail, for a customer the network cannot reach."""
        self.ensure_one()
        if not self.partner_id.email:
            raise UserError(self.env._("%(move)s: the customer %(partner)s has no e-mail "
                                       "address (field: Email).", move=self.display_name,
                                       partner=self.partner_id.display_name))
        result = self._qonto_send_batch(email=True)[self]
        if result.state != "sent":
            raise UserError(result.message)

    def _qonto_notification(self, title, message, failures=()):
        if failures:
            message = "\n".join([message, *failures])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "danger" if failures else "success",
                "sticky": bool(failures),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _qonto_action_fallback(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer not reachable by e-invoice"),
            "res_model": "qonto.send.fallback",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def action_qonto_refresh(self):
        """Read each invoice from Qonto now and mirror what changed."""
        check_qonto_access(self, BILLING, "read")
        changed = 0
        for company, moves in self.filtered("qonto_invoice_id").grouped("company_id").items():
            with company._qonto_client() as qonto:
                for move in moves:
                    try:
                        changed += move.qonto_einvoice_id._store(
                            qonto.get_client_invoice(move.qonto_invoice_id), read=True)
                    except QontoError as error:
                        raise UserError(qonto_error_message(self.env, error, move)) from None
        return self._qonto_notification(
            self.env._("Qonto"),
            self.env._("Read from Qonto: %(count)s invoice(s) changed.", count=changed)
            if changed else self.env._("Read from Qonto: nothing changed since the last read."))

    @api.model
    def _cron_qonto_refresh(self, batch_size=100):
        """The scheduled action (kept on account.move, where existing databases have it)."""
        self.env["qonto.einvoice"]._cron_refresh(batch_size=batch_size)
