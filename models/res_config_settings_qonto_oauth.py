from odoo import api, fields, models

from ..tools.access import SETTINGS, check_qonto_access
from .res_company_qonto_oauth import PARAM_CLIENT_ID, PARAM_CLIENT_SECRET


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # The integration's app, registered with Qonto: a setting of the database.
    qonto_oauth_client_id = fields.Char(
        string="Qonto OAuth client id", config_parameter=PARAM_CLIENT_ID,
        groups="base.group_system")
    qonto_oauth_client_secret_input = fields.Char(
        string="Qonto OAuth client secret", compute="_compute_qonto_oauth_secret",
        inverse="_inverse_qonto_oauth_secret", groups="base.group_system")
    qonto_oauth_client_secret_set = fields.Boolean(
        string="Qonto OAuth client secret stored", compute="_compute_qonto_oauth_secret")
    qonto_oauth_status = fields.Selection(related="company_id.qonto_oauth_status")

    @api.depends("company_id")
    def _compute_qonto_oauth_secret(self):
        stored = bool(self.env["ir.config_parameter"].sudo().get_param(PARAM_CLIENT_SECRET))
        for settings in self:
            settings.qonto_oauth_client_secret_input = False
            settings.qonto_oauth_client_secret_set = stored

    def _inverse_qonto_oauth_secret(self):
        for settings in self.filtered("qonto_oauth_client_secret_input"):
            self.env["ir.config_parameter"].sudo().set_param(
                PARAM_CLIENT_SECRET, settings.qonto_oauth_client_secret_input.strip())

    def action_qonto_oauth_connect(self):
        """Save, then send the browser to Qonto's consent page (through Odoo's route,
        which binds the ``state`` to this session and company)."""
        check_qonto_access(self, SETTINGS)
        self.ensure_one()
        self.execute()
        return {
            "type": "ir.actions.act_url",
            "url": f"/account_qonto_einvoicing/oauth/start?company_id={self.company_id.id}",
            "target": "self",
        }

    def action_qonto_oauth_disconnect(self):
        check_qonto_access(self, SETTINGS)
        self.ensure_one()
        self.company_id._qonto_oauth_disconnect()
        return {"type": "ir.actions.client", "tag": "reload"}
