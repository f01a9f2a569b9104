from odoo import api, fields, models

from ..qonto_einvoicing.lifecycle import Attention, reason, stage


class QontoLifecycleEvent(models.Model):
    """One step of an invoice on the e-invoicing network, as Qonto reports it.

    Mirrors ``einvoicing_lifecycle_events``: written only by the mirror (under sudo),
    read-only for every user, one record per e-invoice, code and time.
    """

    _name = "qonto.lifecycle.event"
    _description = "Qonto e-invoicing lifecycle event"
    _order = "timestamp desc, id desc"
    _rec_name = "label"

    einvoice_id = fields.Many2one(
        "qonto.einvoice", string="E-invoice", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one(related="einvoice_id.move_id", store=True, index=True,
                              string="Invoice")
    partner_id = fields.Many2one(related="einvoice_id.partner_id", string="Customer")
    company_id = fields.Many2one(related="einvoice_id.company_id", store=True, index=True)
    status_code = fields.Integer(string="Code", required=True)
    label = fields.Char(string="Step", compute="_compute_stage")
    attention = fields.Selection(
        string="For the accountant",
        selection=[
            (Attention.IN_PROGRESS.value, "In progress"),
            (Attention.DONE.value, "Done"),
            (Attention.NEEDS_ATTENTION.value, "Needs attention"),
        ],
        compute="_compute_stage",
    )
    reason = fields.Char(string="Reason code")
    reason_label = fields.Char(
        string="Reason", compute="_compute_reason_label",
        help="The reason of the refusal or rejection, in words; the code as Qonto sent it "
        "when the reform does not list it.")
    reason_message = fields.Text(string="Buyer's message")
    timestamp = fields.Datetime(required=True)

    _event_uniq = models.Constraint(
        "unique (einvoice_id, status_code, timestamp)",
        "A lifecycle event is recorded once per invoice, code and time.",
    )

    @api.depends("status_code")
    @api.depends_context("lang")
    def _compute_stage(self):
        lang = self.env.lang
        for event in self:
            event_stage = stage(event.status_code)
            event.label = f"{event.status_code} {event_stage.label(lang)}"
            event.attention = event_stage.attention.value

    @api.depends("reason")
    @api.depends_context("lang")
    def _compute_reason_label(self):
        for event in self:
            event.reason_label = event._reason_text(self.env.lang)

    def _reason_text(self, lang):
        """``Label (CODE)`` for a reason the reform lists, else the code as it came."""
        self.ensure_one()
        known = reason(self.reason)
        if known is None:
            return False
        return f"{known.label(lang)} ({known.code})" if known.known else known.code
