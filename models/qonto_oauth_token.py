from odoo import fields, models


class QontoOAuthToken(models.Model):
    """The OAuth tokens of one company's Qonto connection (system administrators only).

    One row per company, apart from ``res.company`` so that a refresh can lock this row
    alone, in a transaction of its own, while the worker's own transaction may hold the
    company's row (see ``res_company_qonto_oauth.py``).
    """

    _name = "qonto.oauth.token"
    _description = "Qonto OAuth connection"

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True)
    access_token = fields.Char(groups="base.group_system", copy=False)
    refresh_token = fields.Char(groups="base.group_system", copy=False)
    expires_at = fields.Datetime(string="Access token expiry", copy=False)
    scope = fields.Char(copy=False)
    state = fields.Selection(
        [("connected", "Connected"), ("reconnect", "Reconnect needed")],
        required=True, default="connected")
    connected_by_id = fields.Many2one(
        "res.users", string="Connected by",
        help="Who gave the consent: the activity asks them to connect again.")

    _company_unique = models.Constraint(
        "UNIQUE(company_id)", "A company has one Qonto connection.")
