import logging
import threading

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..qonto_einvoicing import PRODUCTION_URL, SANDBOX_URL, ApiKey, QontoClient, QontoError
from ..qonto_einvoicing.ratelimit import RateLimiter
from ..tools.errors import qonto_error_message

_logger = logging.getLogger(__name__)

SIMULATOR_DEFAULT_URL = "http://127.0.0.1:8765"
SIMULATOR_DEFAULT_KEY = ApiKey("demo-org", "demo-secret")

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
    )
    qonto_login = fields.Char(string="Qonto API login", groups="base.group_system")
    qonto_secret_key = fields.Char(string="Qonto secret key", groups="base.group_system")
    qonto_staging_token = fields.Char(string="Qonto staging token", groups="base.group_system")
    qonto_simulator_url = fields.Char(string="Qonto simulator URL", default=SIMULATOR_DEFAULT_URL)
    qonto_webhook_secret = fields.Char(
        string="Qonto webhook secret", groups="base.group_system", copy=False)
    qonto_webhook_subscription_id = fields.Char(
        string="Qonto webhook subscription", groups="base.group_system", copy=False)
    qonto_webhook_problem = fields.Char(
        string="Why Qonto's updates are not instant", copy=False, readonly=True,
        help="Set when Qonto's webhook could not be registered: the scheduled refresh "
        "follows the invoices meanwhile.")
    qonto_bank_account_ids = fields.One2many(
        "qonto.bank.account", "company_id", string="Qonto accounts")
    qonto_bank_account_id = fields.Many2one(
        "qonto.bank.account",
        string="Qonto account for payments",
        domain="[('company_id', '=', id)]",
        help="The IBAN Qonto prints on the invoices: one of the organization's accounts.",
    )
    qonto_organization_name = fields.Char(readonly=True, copy=False)
    qonto_can_send = fields.Boolean(
        string="E-invoice sending enabled in Qonto", readonly=True, copy=False,
    )
    qonto_last_sync = fields.Datetime(
        string="Last Qonto refresh", copy=False,
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
            base_url = company.qonto_simulator_url or SIMULATOR_DEFAULT_URL
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
