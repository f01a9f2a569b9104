import ipaddress
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import PermissionDeniedError, QontoError
from ..tools.access import SETTINGS, check_qonto_access
from ..tools.errors import qonto_error_message

WEBHOOK_ROUTE = "/account_qonto_einvoicing/webhook"
WEBHOOK_TOPIC = "v1/client-invoices"


# Odoo's own settings, extended here: not a wizard of this addon.
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    # One platform on screen: Odoo's own (l10n_fr_pdp) steps aside for Qonto's.
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "qonto.one.platform.views"]

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
    qonto_webhook_problem = fields.Char(related="company_id.qonto_webhook_problem")

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
        check_qonto_access(self, SETTINGS)
        self.ensure_one()
        self.execute()  # save what was typed before testing it
        company = self.company_id
        try:
            organization, settings = company._qonto_test_connection()
        except UserError as error:
            # What the page showed of the organization is no longer known to be true.
            company.write({"qonto_organization_name": False, "qonto_can_send": False})
            return self._qonto_notification(error.args[0], "danger")
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
        return self._qonto_notification(message, "success" if settings.can_send else "warning")

    def _qonto_notification(self, message, kind):
        # A soft reload shows what changed (organization, IBANs) where the user stands,
        # instead of a full reload that scrolls back to the top of the settings.
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Qonto"),
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_qonto_register_webhook(self):
        """Subscribe this database to Qonto's client invoice events.

        The new subscription is made before the old one is removed, so that there is no
        moment without one, and any other subscription of this database's callback is
        removed after: registering twice leaves one. Where Qonto refuses (an API key
        that may not subscribe), Settings says so and the scheduled refresh carries on.
        """
        check_qonto_access(self, SETTINGS)
        self.ensure_one()
        self.execute()
        company = self.company_id.sudo()
        callback = f"{company.get_base_url()}{WEBHOOK_ROUTE}/{company.id}"
        if company.qonto_environment != "simulator" and not _is_public_https(callback):
            raise UserError(self.env._(
                "Qonto sends its updates only to a public HTTPS address, and this database "
                "is at %(url)s. Set the public HTTPS address of Odoo in the system parameter "
                "web.base.url (Settings > Technical > System Parameters), then register again.",
                url=company.get_base_url()))
        with company._qonto_client() as qonto:
            try:
                subscription = qonto.create_webhook_subscription(
                    callback, [WEBHOOK_TOPIC], description=f"Odoo {self.env.cr.dbname}")
            except PermissionDeniedError:
                company.qonto_webhook_problem = self.env._(
                    "Qonto does not let these credentials subscribe to webhooks (an API key "
                    "reaches only part of Qonto's API). Invoices are followed by the "
                    "scheduled refresh every 15 minutes instead.")
                return self._qonto_notification(company.qonto_webhook_problem, "warning")
            except QontoError as error:
                raise UserError(qonto_error_message(self.env, error, company)) from None
            company.write({"qonto_webhook_subscription_id": subscription.id,
                           "qonto_webhook_secret": subscription.secret,
                           "qonto_webhook_problem": False})
            try:
                for old in qonto.list_webhook_subscriptions():
                    if old.id != subscription.id and old.callback_url == callback:
                        qonto.delete_webhook_subscription(old.id)
            except QontoError as error:
                # The new subscription works and is stored: never roll that back. An old
                # one left over is removed by the next registration.
                company.qonto_webhook_problem = self.env._(
                    "Registered, but an older subscription of this database could not be "
                    "removed (%(error)s): Qonto may deliver twice until you register again.",
                    error=qonto_error_message(self.env, error, company))
        if company.qonto_webhook_problem:
            return self._qonto_notification(company.qonto_webhook_problem, "warning")
        return self._qonto_notification(self.env._(
            "Webhook registered: Qonto now tells this database at once when an e-invoice "
            "changes (at %(url)s).", url=callback), "success")


def _is_public_https(url):
    """Whether Qonto can call ``url``: HTTPS, and not a local or private host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or host == "localhost" or "." not in host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return not host.endswith((".local", ".localhost", ".internal"))
    return address.is_global
