from odoo import fields, models

RECEIVING_STATUSES = [
    ("enabled", "Enabled"),
    ("pending_creation", "Being activated"),
    ("pending_deletion", "Being deactivated"),
    ("disabled", "Disabled"),
]


class ResCompany(models.Model):
    """What the readiness checklist of Settings reads about the company's Qonto link:
    Qonto's receiving status (read with the connection test) and when Qonto's webhook
    last reached this database (written by the webhook route, at most once a minute)."""

    _inherit = "res.company"

    qonto_receiving_status = fields.Selection(
        selection=RECEIVING_STATUSES, string="E-invoice receiving in Qonto", readonly=True,
        copy=False, groups="base.group_system",
        help="Qonto's receiving status, as read by the last connection test: whether Qonto "
        "receives this company's supplier e-invoices.",
    )
    qonto_webhook_last_delivery = fields.Datetime(
        string="Last Qonto webhook delivery", readonly=True, copy=False,
        groups="base.group_system",
        help="When Qonto last delivered a correctly signed update to this database "
        "(recorded to the minute).",
    )

    def _qonto_test_connection(self):
        organization, settings = super()._qonto_test_connection()
        known = dict(RECEIVING_STATUSES)
        self.qonto_receiving_status = (settings.receiving_status
                                       if settings.receiving_status in known else False)
        return organization, settings
