from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_datetime

from ..tools.access import SETTINGS, check_qonto_access

READINESS = [
    ("ok", "Done"),
    ("wait", "In progress"),
    ("todo", "To do"),
]


class ResConfigSettings(models.TransientModel):
    """The readiness checklist of the Qonto block: what is still missing before the
    first e-invoice, one line per step, each with the action that fixes it.

    Each line is computed by its own ``_qonto_readiness_<line>`` method answering
    ``(state, text)``, so that another way to connect (OAuth) extends the connection
    line by overriding :meth:`_qonto_readiness_connection`. Nothing here calls Qonto:
    the lines read what the last connection test, the webhook and the reachability
    checks stored, so opening Settings costs no request.
    """

    _inherit = "res.config.settings"

    qonto_ready_connection = fields.Selection(READINESS, compute="_compute_qonto_readiness")
    qonto_ready_connection_text = fields.Char(compute="_compute_qonto_readiness")
    qonto_ready_sending = fields.Selection(READINESS, compute="_compute_qonto_readiness")
    qonto_ready_sending_text = fields.Char(compute="_compute_qonto_readiness")
    qonto_ready_receiving = fields.Selection(READINESS, compute="_compute_qonto_readiness")
    qonto_ready_receiving_text = fields.Char(compute="_compute_qonto_readiness")
    qonto_ready_iban = fields.Selection(READINESS, compute="_compute_qonto_readiness")
    qonto_ready_iban_text = fields.Char(compute="_compute_qonto_readiness")
    qonto_ready_webhook = fields.Selection(READINESS, compute="_compute_qonto_readiness")
    qonto_ready_webhook_text = fields.Char(compute="_compute_qonto_readiness")
    qonto_ready_customers = fields.Selection(READINESS, compute="_compute_qonto_readiness")
    qonto_ready_customers_text = fields.Char(compute="_compute_qonto_readiness")
    qonto_customers_reachable = fields.Integer(compute="_compute_qonto_readiness")
    qonto_customers_not_reachable = fields.Integer(compute="_compute_qonto_readiness")
    qonto_customers_not_checked = fields.Integer(compute="_compute_qonto_readiness")
    qonto_webhook_last_delivery = fields.Datetime(
        related="company_id.qonto_webhook_last_delivery")

    @api.depends("company_id", "qonto_bank_account_id")
    def _compute_qonto_readiness(self):
        for settings in self:
            company = settings.company_id
            values = {}
            for line in ("connection", "sending", "receiving", "iban", "webhook"):
                state, text = getattr(settings, f"_qonto_readiness_{line}")(company)
                values[f"qonto_ready_{line}"] = state
                values[f"qonto_ready_{line}_text"] = text
            counts = {state: self.env["res.partner"].with_company(company).search_count(
                settings._qonto_customers_domain(state)) for state in
                ("reachable", "not_reachable", "not_checked")}
            values.update({
                "qonto_customers_reachable": counts["reachable"],
                "qonto_customers_not_reachable": counts["not_reachable"],
                "qonto_customers_not_checked": counts["not_checked"],
                "qonto_ready_customers": "todo" if counts["not_checked"] else "ok",
                "qonto_ready_customers_text": self.env._(
                    "French customers checked on the e-invoicing network:")
                if counts["not_checked"] else self.env._(
                    "Every French customer was checked on the e-invoicing network:"),
            })
            settings.update(values)

    # ------------------------------------------------------------------ lines

    def _qonto_readiness_connection(self, company):
        """``(state, text)`` of the connection: Connect with Qonto (OAuth) or an API key,
        tested. Reads fields only: Settings must open even when the connection ended."""
        oauth = company.qonto_oauth_status
        if oauth == "reconnect":
            return "todo", self.env._(
                "The connection with Qonto has ended (consent revoked or expired): click "
                "Connect with Qonto again.")
        if oauth != "connected" and not self._qonto_has_api_key(company):
            return "todo", self.env._(
                "No credentials: click Connect with Qonto, or enter the API login and the "
                "secret key, then test the connection.")
        if not company.qonto_organization_name:
            return "todo", self.env._("Not tested yet: test the connection.")
        if oauth == "connected":
            return "ok", self.env._("Connected to %(organization)s with Connect with Qonto.",
                                    organization=company.qonto_organization_name)
        if not company.sudo().qonto_login:
            # The simulator answers its demo key: the API login field stays empty.
            return "ok", self.env._(
                "Connected to %(organization)s with the simulator's demo API key: no key "
                "to enter.", organization=company.qonto_organization_name)
        return "ok", self.env._("Connected to %(organization)s with the API key stored.",
                                organization=company.qonto_organization_name)

    @staticmethod
    def _qonto_has_api_key(company):
        company = company.sudo()
        return bool((company.qonto_login and company.qonto_secret_key)
                    or company.qonto_environment == "simulator")

    def _qonto_readiness_sending(self, company):
        if not company.qonto_organization_name:
            return "todo", self.env._("Unknown until the connection is tested.")
        if company.qonto_can_send:
            return "ok", self.env._("E-invoice sending is enabled in Qonto.")
        return "todo", self.env._(
            "E-invoice sending is not enabled in Qonto: activate e-invoicing in your Qonto "
            "account, then test the connection again.")

    def _qonto_readiness_receiving(self, company):
        status = company.qonto_receiving_status
        if status == "enabled":
            return "ok", self.env._("Qonto receives your suppliers' e-invoices.")
        if status == "pending_creation":
            return "wait", self.env._(
                "Qonto is activating the reception of your suppliers' e-invoices: test "
                "the connection again later.")
        if status in ("disabled", "pending_deletion"):
            return "todo", self.env._(
                "Qonto does not receive your suppliers' e-invoices (every French company "
                "must be able to since 1 September 2026): activate reception in Qonto, "
                "then test the connection again.")
        return "todo", self.env._("Unknown until the connection is tested.")

    def _qonto_readiness_iban(self, company):
        account = self.qonto_bank_account_id or company.qonto_bank_account_id
        if account:
            return "ok", self.env._("Invoices show the IBAN of %(account)s.",
                                    account=account.display_name)
        if company.qonto_bank_account_ids:
            return "todo", self.env._("Choose the IBAN on invoices above.")
        return "todo", self.env._(
            "No Qonto account known yet: test the connection to load them.")

    def _qonto_readiness_webhook(self, company):
        if self.qonto_webhook_registered:
            if company.qonto_webhook_last_delivery:
                return "ok", self.env._(
                    "Registered; Qonto's last update arrived on %(date)s.",
                    date=format_datetime(self.env, company.qonto_webhook_last_delivery))
            return "ok", self.env._("Registered; no update from Qonto yet.")
        if company.qonto_webhook_problem:
            return "wait", self.env._(
                "Not instant: invoices are followed by the scheduled refresh.")
        return "todo", self.env._(
            "Not registered: invoices are followed by the scheduled refresh every 15 "
            "minutes; register to get Qonto's updates at once.")

    # ------------------------------------------------------------------ customers

    def _qonto_customers_domain(self, reachability):
        """French customers of the company whose reachability is ``reachability``."""
        company = self.company_id
        state = Domain("qonto_reachability", "=", reachability)
        if reachability == "not_checked":
            state |= Domain("qonto_reachability", "=", False)
        return (Domain("customer_rank", ">", 0) & Domain("parent_id", "=", False)
                & Domain("country_id.code", "=", "FR")
                & Domain("company_id", "in", [company.id, False]) & state)

    def action_qonto_open_customers(self):
        """The French customers in the reachability state named by the context."""
        check_qonto_access(self, SETTINGS, "read")
        self.ensure_one()
        reachability = self.env.context.get("qonto_reachability", "not_checked")
        labels = {
            "reachable": self.env._("Customers reachable by e-invoice"),
            "not_reachable": self.env._("Customers not reachable by e-invoice"),
            "not_checked": self.env._("Customers not checked for e-invoicing"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": labels.get(reachability, labels["not_checked"]),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": list(self.with_company(self.company_id)
                           ._qonto_customers_domain(reachability)),
            "context": {"allowed_company_ids": [self.company_id.id]},
        }
