"""Connect with Qonto: the company's OAuth connection, its refresh and its loss.

The core (``qonto_einvoicing.oauth``) makes every HTTP call of the flow; this file maps a
company to the core's app and stores the tokens on ``qonto.oauth.token``.

Two workers refreshing at once must not lose the rotated refresh token: the refresh runs
in a transaction of its own that locks the company's token row, re-reads it once the
lock is held, and uses what another worker already stored instead of refreshing again.
Its own transaction commits the new tokens at once, whatever the worker's transaction
does next (Qonto keeps a used refresh token valid for 60 seconds only).
"""

import datetime as dt
import functools
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.orm.environments import Transaction
from psycopg2.errors import SerializationFailure

from ..qonto_einvoicing import OAuthToken, OAuthTokenAuth, QontoError
from ..qonto_einvoicing.oauth import (
    PRODUCTION_OAUTH,
    SANDBOX_OAUTH,
    InvalidGrantError,
    OAuthApp,
    simulator_oauth,
)

_logger = logging.getLogger(__name__)

CALLBACK_ROUTE = "/account_qonto_einvoicing/oauth/callback"
PARAM_CLIENT_ID = "account_qonto_einvoicing.oauth_client_id"
PARAM_CLIENT_SECRET = "account_qonto_einvoicing.oauth_client_secret"
# The simulator's default app (``qonto_einvoicing.simulator.api_oauth``).
SIMULATOR_CLIENT = ("demo-oauth-client", "demo-oauth-secret")


def _utc(value):
    return value.replace(tzinfo=dt.timezone.utc) if value else None


class ResCompany(models.Model):
    _inherit = "res.company"

    qonto_oauth_status = fields.Selection(
        [("connected", "Connected with Qonto"), ("reconnect", "Reconnect needed")],
        string="Qonto connection", compute="_compute_qonto_oauth_status", compute_sudo=True,
        groups="base.group_system",
        help="Connected: the company reaches Qonto with the consent given on Qonto's page "
        "(Connect with Qonto), not with an API key.")

    def _compute_qonto_oauth_status(self):
        tokens = self.env["qonto.oauth.token"].sudo().search([("company_id", "in", self.ids)])
        state = {token.company_id.id: token.state for token in tokens}
        for company in self:
            company.qonto_oauth_status = state.get(company.id, False)

    def _qonto_oauth_token(self):
        self.ensure_one()
        return self.env["qonto.oauth.token"].sudo().search(
            [("company_id", "=", self.id)], limit=1)

    # ------------------------------------------------------------------ the app

    def _qonto_oauth_redirect_uri(self):
        """Where Qonto sends the browser back: this database's ``web.base.url``.

        Never the request's host: a link crafted with another ``Host`` header would
        otherwise send the code to a server of its author's choosing. The address must
        be the one registered with Qonto for the app, so a database behind a proxy sets
        ``web.base.url`` (and ``web.base.url.freeze``) to its public HTTPS address.
        """
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        return base.rstrip("/") + CALLBACK_ROUTE

    def _qonto_oauth_app(self, redirect_uri=""):
        """The integration's OAuth app (a setting of the database), for this company's
        environment; in Simulator mode, the simulator's pages and its default app."""
        self.ensure_one()
        company = self.sudo()
        params = self.env["ir.config_parameter"].sudo()
        client_id = params.get_param(PARAM_CLIENT_ID)
        secret = params.get_param(PARAM_CLIENT_SECRET)
        if company.qonto_environment == "simulator":
            endpoints = simulator_oauth(self._qonto_simulator_url())
            if not (client_id and secret):
                client_id, secret = SIMULATOR_CLIENT
        else:
            endpoints = (SANDBOX_OAUTH if company.qonto_environment == "sandbox"
                         else PRODUCTION_OAUTH)
        if not (client_id and secret):
            raise UserError(self.env._(
                "Connect with Qonto needs the OAuth client id and secret that Qonto gave "
                "your integration (Settings > Invoicing > Qonto, OAuth app)."))
        return OAuthApp(client_id, secret, redirect_uri, endpoints=endpoints)

    def _qonto_oauth_reconnect_error(self):
        return UserError(self.env._(
            "The connection of %(company)s to Qonto has ended (consent revoked or expired): "
            "an administrator must click Connect with Qonto again in Settings > Invoicing "
            "> Qonto.", company=self.display_name))

    # ------------------------------------------------------------------ credentials

    def _qonto_credentials(self):
        """The OAuth connection when there is one, else the API key."""
        self.ensure_one()
        token = self._qonto_oauth_token()
        if not token:
            return super()._qonto_credentials()
        if token.state != "connected":
            raise self._qonto_oauth_reconnect_error()
        current = OAuthToken(token.access_token, token.refresh_token, _utc(token.expires_at))
        app = self._qonto_oauth_app()
        return OAuthTokenAuth(current, refresh=functools.partial(self._qonto_oauth_refresh, app))

    def _qonto_client(self):
        client = super()._qonto_client()
        if isinstance(client.credentials, OAuthTokenAuth):
            # Read now: the hook may run in a sending thread, which must not use the ORM.
            client.on_unauthorized = functools.partial(
                self._qonto_oauth_unauthorized, client.credentials, self._qonto_oauth_app())
        return client

    def _qonto_oauth_refresh(self, app, refresh_token, *, force=False):
        """New tokens for ``refresh_token``, refreshed by one worker only.

        Runs in a transaction of its own: lock the token row, re-read it; when another
        worker already rotated it, use its result, else refresh and commit. A refused
        grant marks the connection lost. ``force`` refreshes even a token that does not
        expire soon (after a 401).
        """
        self.ensure_one()
        for attempt in (1, 2):
            try:
                with self.env.registry.cursor() as cr:
                    # The registry we run in, not a lookup by name (which waits for the
                    # registry lock while a module loads).
                    cr.transaction = Transaction(self.env.registry)
                    return self.with_env(self.env(cr=cr))._qonto_oauth_refresh_locked(
                        app, refresh_token, force)
            except SerializationFailure:
                # Under REPEATABLE READ, a row another worker updated while we waited for
                # its lock cannot be locked in the same transaction: start a new one,
                # which sees what that worker stored.
                if attempt == 2:
                    raise
        return None  # unreachable

    def _qonto_oauth_refresh_locked(self, app, refresh_token, force):
        cr = self.env.cr
        cr.execute("SET LOCAL lock_timeout = '30s'")
        # A failure here is expected (another worker refreshed): not an error to log.
        cr.execute("SELECT id FROM qonto_oauth_token WHERE company_id = %s "
                   "FOR NO KEY UPDATE", [self.id], log_exceptions=False)
        row = cr.fetchone()
        token = self.env["qonto.oauth.token"].sudo().browse(row[0] if row else [])
        if not token or token.state != "connected":
            raise self._qonto_oauth_reconnect_error()
        stored = OAuthToken(token.access_token, token.refresh_token, _utc(token.expires_at))
        if stored.refresh_token != refresh_token and not stored.expires_soon():
            return stored  # another worker refreshed while we waited for the lock
        try:
            fresh = app.refresh(stored.refresh_token or "")
        except InvalidGrantError:
            self._qonto_oauth_lost(token)
            # This transaction is the refresh's own: keep the lost state, then raise.
            cr.commit()  # pylint: disable=invalid-commit
            raise self._qonto_oauth_reconnect_error() from None
        except QontoError as error:
            raise UserError(self.env._(
                "Qonto could not renew the connection of %(company)s: %(error)s",
                company=self.display_name, error=str(error))) from None
        token.write({
            "access_token": fresh.access_token,
            "refresh_token": fresh.refresh_token or stored.refresh_token,
            "expires_at": fresh.expires_at.replace(tzinfo=None) if fresh.expires_at else False,
        })
        _logger.info("Qonto: OAuth tokens of company %s renewed", self.id)
        return fresh

    def _qonto_oauth_unauthorized(self, auth, app):
        """Qonto answered 401 to an OAuth token: a revoked consent shows as a refused
        refresh. Raises the "reconnect" error then; otherwise the 401 stands."""
        token = auth.token
        if token.refresh_token:
            self._qonto_oauth_refresh(app, token.refresh_token, force=True)

    def _qonto_oauth_lost(self, token):
        """The consent is revoked or expired: say so on the company, ask for a reconnect."""
        token.write({"state": "reconnect", "access_token": False, "refresh_token": False})
        user = token.connected_by_id if token.connected_by_id.active else \
            self.env.ref("base.user_admin", raise_if_not_found=False)
        activity_type = self.env.ref(
            "account_qonto_einvoicing.mail_activity_type_qonto_reconnect")
        self.env["mail.activity"].sudo().create({
            "activity_type_id": activity_type.id,
            "res_model_id": self.env["ir.model"]._get_id("res.company"),
            "res_id": self.id,
            "user_id": user.id if user else self.env.uid,
            "summary": self.env._("Connect %(company)s with Qonto again",
                                  company=self.display_name),
            "note": self.env._(
                "Qonto refused to renew the connection (consent revoked in Qonto, or unused "
                "for 90 days). Until someone clicks Connect with Qonto in Settings > "
                "Invoicing > Qonto, no e-invoice of this company can be sent."),
        })
        _logger.warning("Qonto: OAuth connection of company %s lost; reconnect needed",
                        self.id)

    # ------------------------------------------------------------------ connect

    def _qonto_oauth_connect(self, app, code, pkce=None):
        """Exchange the code of Qonto's redirect (with the PKCE verifier of the flow),
        store the tokens, read the organization."""
        self.ensure_one()
        token = app.exchange_code(code, pkce=pkce)
        values = {
            "access_token": token.access_token,
            "refresh_token": token.refresh_token,
            "expires_at": token.expires_at.replace(tzinfo=None) if token.expires_at else False,
            "scope": " ".join(token.scopes),
            "state": "connected",
            "connected_by_id": self.env.uid,
        }
        existing = self._qonto_oauth_token()
        if existing:
            existing.write(values)
        else:
            self.env["qonto.oauth.token"].sudo().create({**values, "company_id": self.id})
        self._qonto_oauth_close_activities()
        return self._qonto_test_connection()

    def _qonto_oauth_close_activities(self):
        activity_type = self.env.ref(
            "account_qonto_einvoicing.mail_activity_type_qonto_reconnect")
        self.env["mail.activity"].sudo().search([
            ("res_model", "=", "res.company"), ("res_id", "in", self.ids),
            ("activity_type_id", "=", activity_type.id),
        ]).action_feedback(feedback=self.env._("Connected with Qonto again."))

    def _qonto_oauth_disconnect(self):
        """Revoke the consent in Qonto (best effort) and forget the tokens."""
        self.ensure_one()
        token = self._qonto_oauth_token()
        if not token:
            return
        if token.state == "connected":
            try:
                with self._qonto_client() as qonto:
                    qonto.revoke_consents()
            except (QontoError, UserError) as error:
                # Forget the tokens anyway: the user asked to disconnect this database.
                _logger.warning("Qonto: revoking the consent of company %s failed: %s",
                                self.id, error.__class__.__name__)
        token.unlink()
        self._qonto_oauth_close_activities()
        self.qonto_organization_name = False

    @api.model
    def _qonto_oauth_company_for_user(self, company_id):
        """The company ``company_id`` if the current user may connect it, else nothing."""
        company = self.browse(int(company_id)).exists()
        if not company or company not in self.env.user.company_ids \
                or not self.env.user.has_group("base.group_system"):
            return self.browse()
        return company
