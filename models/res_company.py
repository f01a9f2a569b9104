import logging
import threading

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..qonto_einvoicing import PRODUCTION_URL, SANDBOX_URL, ApiKey, QontoClient, QontoError
from ..qonto_einvoicing.loopback import is_loopback_url
from ..qonto_einvoicing.ratelimit import RateLimiter
from ..tools.errors import qonto_error_message

_logger = logging.getLogger(__name__)

SIMULATOR_DEFAULT_URL = "http://127.0.0.1:8765"
SIMULATOR_DEFAULT_KEY = ApiKey("demo-org", "demo-secret")
# The odoo.conf option that lets a simulator off this machine receive the company's keys.
ALLOW_REMOTE_SIMULATOR = "qonto_simulator_allow_remote"

# Qonto counts requests per IP address: every company, cron and thread of this Odoo
# process shares one limiter per Qonto host, and Qonto's 429 (retried by the client)
# covers the other processes of the same machine.
_rate_limiters = {}
_rate_limiters_lock = threading.Lock()


def _rate_limiter(base_url):
    with _rate_limiters_lock:
        return _rate_limiters.setdefault(base_url, RateLimiter())


class ResCompany(models.Model):
    _inherit = "res.company"

    qonto_enabled = fields.Boolean(
        string="Send e-invoices through Qonto",
        help="Qonto is this company's Plateforme Agréée: customer invoices go out through "
        "Qonto, never through another platform.",
    )
    qonto_environment = fields.Selection(
        selection=[
            ("simulator", "Simulator"),
            ("sandbox", "Sandbox"),
            ("production", "Production"),
        ],
        string="Qonto environment",
        default="simulator",
        required=True,
        # Where the company's keys are sent: a Settings decision.
        groups="base.group_system",
    )
    qonto_login = fields.Char(string="Qonto API login", groups="base.group_system")
    qonto_secret_key = fields.Char(string="Qonto secret key", groups="base.group_system")
    qonto_staging_token = fields.Char(string="Qonto staging token", groups="base.group_system")
    qonto_simulator_url = fields.Char(string="Qonto simulator URL", default=SIMULATOR_DEFAULT_URL,
                                      groups="base.group_system")
    qonto_webhook_secret = fields.Char(
        string="Qonto webhook secret", groups="base.group_system", copy=False)
    qonto_webhook_subscription_id = fields.Char(
        string="Qonto webhook subscription", groups="base.group_system", copy=False)
    qonto_webhook_problem = fields.Char(
        string="Why Qonto's updates are not instant", copy=False, readonly=True,
        groups="base.group_system",
        help="Set when Qonto's webhook could not be registered: the scheduled refresh "
        "follows the invoices meanwhile.")
    # Invoicing users send with the IBAN (printed on the invoices); no one else reads it.
    qonto_bank_account_ids = fields.One2many(
        "qonto.bank.account", "company_id", string="Qonto accounts",
        groups="account.group_account_invoice,base.group_system")
    qonto_bank_account_id = fields.Many2one(
        "qonto.bank.account",
        string="Qonto account for payments",
        domain="[('company_id', '=', id)]",
        groups="account.group_account_invoice,base.group_system",
        help="The IBAN Qonto prints on the invoices: one of the organization's accounts.",
    )
    qonto_organization_name = fields.Char(readonly=True, copy=False, groups="base.group_system")
    qonto_can_send = fields.Boolean(
        string="E-invoice sending enabled in Qonto", readonly=True, copy=False,
        groups="base.group_system",
    )
    qonto_last_sync = fields.Datetime(
        string="Last Qonto refresh", copy=False, groups="base.group_system",
        help="When the lifecycle of the company's invoices was last read from Qonto.",
    )

    # ------------------------------------------------------------------ client

    def _qonto_client(self):
        """The Qonto API client of this company's organization.

        Reads the credentials under sudo: an invoicing user sends invoices without ever
        being able to read the key.
        """
        self.ensure_one()
        company = self.sudo()
        if not company.qonto_enabled:
            raise UserError(self.env._(
                "Qonto e-invoicing is not enabled for the company %(company)s: "
                "see Settings > Invoicing > Qonto.", company=self.display_name))
        if company.qonto_environment == "simulator":
            base_url = self._qonto_simulator_url()
        elif company.qonto_environment == "sandbox":
            base_url = SANDBOX_URL
        else:
            base_url = PRODUCTION_URL
        credentials = self._qonto_credentials()
        if not credentials:
            raise UserError(self.env._(
                "The company %(company)s lacks its Qonto API login or secret key "
                "(Settings > Invoicing > Qonto, fields: API login, Secret key).",
                company=self.display_name))
        staging = company.qonto_staging_token if company.qonto_environment == "sandbox" else None
        return QontoClient(base_url, credentials, staging_token=staging,
                           rate_limiter=_rate_limiter(base_url),
                           user_agent="odoo-account_qonto_einvoicing")

    def _qonto_simulator_url(self):
        """Where the company's simulator is; refused, before any request, when it is not
        on this machine and the server's configuration does not allow it: the company's
        API key and the OAuth app's secret go to that address."""
        self.ensure_one()
        url = self.sudo().qonto_simulator_url or SIMULATOR_DEFAULT_URL
        if not is_loopback_url(url) and not _remote_simulator_allowed():
            raise UserError(self.env._(
                "The Qonto simulator URL of %(company)s is not on this machine, and Odoo "
                "sends the company's Qonto keys to a simulator on this machine only "
                "(localhost, 127.0.0.1). Set the URL of a local simulator (Settings > "
                "Invoicing > Qonto, field: Simulator URL), or allow a remote one in the "
                "server's configuration (%(option)s = True in odoo.conf).",
                company=self.display_name, option=ALLOW_REMOTE_SIMULATOR))
        return url

    def _qonto_credentials(self):
        """The API key of the company's organization, or ``None`` when none is set."""
        self.ensure_one()
        company = self.sudo()
        if company.qonto_login and company.qonto_secret_key:
            return ApiKey(company.qonto_login, company.qonto_secret_key)
        if company.qonto_environment == "simulator":
            return SIMULATOR_DEFAULT_KEY
        return None

    # ------------------------------------------------------------------ actions

    def _qonto_test_connection(self):
        """Read the organization, its accounts and its e-invoicing settings; store them."""
        self.ensure_one()
        try:
            with self._qonto_client() as qonto:
                organization = qonto.get_organization()
                settings = qonto.get_einvoicing_settings()
        except QontoError as error:
            raise UserError(qonto_error_message(self.env, error, self)) from None
        accounts = self.env["qonto.bank.account"].sudo()
        existing = {a.iban: a for a in self.qonto_bank_account_ids}
        for bank_account in organization.bank_accounts:
            values = {"name": bank_account.name or bank_account.iban, "bic": bank_account.bic,
                      "is_main": bool(bank_account.main)}
            if bank_account.iban in existing:
                existing.pop(bank_account.iban).write(values)
            else:
                accounts.create({**values, "iban": bank_account.iban, "company_id": self.id})
        # An account closed in Qonto can no longer receive payments: forget it.
        for gone in existing.values():
            if self.qonto_bank_account_id == gone:
                self.qonto_bank_account_id = False
            gone.unlink()
        values = {"qonto_organization_name": organization.legal_name,
                  "qonto_can_send": settings.can_send}
        if not self.qonto_bank_account_id and self.qonto_bank_account_ids:
            values["qonto_bank_account_id"] = self.qonto_bank_account_ids[0].id
        self.write(values)
        return organization, settings

    @api.model
    def _qonto_active_companies(self):
        return self.sudo().search([("qonto_enabled", "=", True)])


def _remote_simulator_allowed():
    return str(config.get(ALLOW_REMOTE_SIMULATOR) or "").strip().lower() in (
        "1", "true", "yes", "on")
