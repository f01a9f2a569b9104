from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import QontoError
from ..tools.errors import qonto_error_message

WEBHOOK_ROUTE = "/account_qonto_einvoicing/webhook"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qonto_enabled = fields.Boolean(related="company_id.qonto_enabled", readonly=False)
    qonto_environment = fields.Selection(related="company_id.qonto_environment", readonly=False)
    qonto_simulator_url = fields.Char(related="company_id.qonto_simulator_url", readonly=False)
    qonto_login = fields.Char(related="company_id.qonto_login", readonly=False)
    # Secrets are written through these fields and never read back into the form.
    qonto_secret_key_input = fields.Char(
        string="Qonto secret key", compute="_compute_qonto_secret_inputs",
        inverse="_inverse_qonto_secret_key_input", groups="base.group_system",
    )
    qonto_staging_token_input = fields.Char(
        string="Qonto staging token", compute="_compute_qonto_secret_inputs",
        inverse="_inverse_qonto_staging_token_input", groups="base.group_system",
    )
    qonto_secret_key_set = fields.Boolean(
        string="Qonto secret key stored", compute="_compute_qonto_secret_inputs")
    qonto_bank_account_id = fields.Many2one(
        related="company_id.qonto_bank_account_id", readonly=False,
    )
    qonto_organization_name = fields.Char(related="company_id.qonto_organization_name")
    qonto_can_send = fields.Boolean(related="company_id.qonto_can_send")
    qonto_webhook_registered = fields.Boolean(
        string="Qonto webhook registered", compute="_compute_qonto_secret_inputs")

    @api.depends("company_id")
    def _compute_qonto_secret_inputs(self):
        for settings in self:
            company = settings.company_id.sudo()
            settings.qonto_secret_key_input = False
            settings.qonto_staging_token_input = False
            settings.qonto_secret_key_set = bool(company.qonto_secret_key)
            settings.qonto_webhook_registered = bool(company.qonto_webhook_subscription_id)

    def _inverse_qonto_secret_key_input(self):
        for settings in self.filtered("qonto_secret_key_input"):
            settings.company_id.sudo().qonto_secret_key = settings.qonto_secret_key_input.strip()

    def _inverse_qonto_staging_token_input(self):
        for settings in self.filtered("qonto_staging_token_input"):
            settings.company_id.sudo().qonto_staging_token = \
                settings.qonto_staging_token_input.strip()

    def action_qonto_test_connection(self):
        self.ensure_one()
        self.execute()  # save what was typed before testing it
        company = self.company_id
        organization, settings = company._qonto_test_connection()
        if settings.can_send:
            message = self.env._(
                "Connected to %(organization)s. E-invoice sending is enabled; %(count)s Qonto "
                "account(s) found.", organization=organization.legal_name,
                count=len(organization.bank_accounts))
        else:
            message = self.env._(
                "Connected to %(organization)s, but e-invoice sending is not enabled in Qonto "
                "(sending status: %(status)s). Activate e-invoicing in your Qonto account.",
                organization=organization.legal_name, status=settings.sending_status or "-")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Qonto"),
                "message": message,
                "type": "success" if settings.can_send else "warning",
                "next": {"type": "ir.actions.client", "tag": "reload"},
            },
        }

    def action_qonto_register_webhook(self):
        """Subscribe this database to Qonto's client invoice events."""
        self.ensure_one()
        self.execute()
        company = self.company_id.sudo()
        base_url = company.get_base_url()
        callback = f"{base_url}{WEBHOOK_ROUTE}/{company.id}"
        try:
            with company._qonto_client() as qonto:
                if company.qonto_webhook_subscription_id:
                    qonto.delete_webhook_subscription(company.qonto_webhook_subscription_id)
                subscription = qonto.create_webhook_subscription(
                    callback, ["v1/client-invoices"], description=f"Odoo {self.env.cr.dbname}")
        except QontoError as error:
            raise UserError(qonto_error_message(self.env, error, company)) from None
        company.write({"qonto_webhook_subscription_id": subscription.id,
                       "qonto_webhook_secret": subscription.secret})
        return True
