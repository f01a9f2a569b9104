"""Connect with Qonto: send the administrator to Qonto's consent page, take the answer.

``/start`` binds a fresh ``state`` and a PKCE verifier to the user's session (stored on
the server; the browser holds the session id only) and the company; ``/callback`` checks
that ``state`` before anything else, then exchanges the code with the verifier through
the core and stores the tokens.

The pending flow is consumed only by a redirect whose ``state`` matches: a forged one
(a link an attacker makes the administrator open) is refused and leaves the flow the
administrator started intact, so it cannot be used to block it. A replayed redirect
finds the flow consumed and is refused. The ``redirect_uri`` is the database's
``web.base.url``, never the request's ``Host`` header, which the browser (or whoever
crafted the link) chooses.
"""

import logging
from html import escape

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from werkzeug.utils import redirect

from ..models.res_company_qonto_oauth import CALLBACK_ROUTE
from ..qonto_einvoicing import QontoError
from ..qonto_einvoicing.oauth import (
    PKCE,
    ConsentRefusedError,
    StateMismatchError,
    new_pkce,
    new_state,
    read_redirect,
)

_logger = logging.getLogger(__name__)

SESSION_KEY = "account_qonto_einvoicing_oauth"
SETTINGS_URL = "/odoo/action-account.action_account_config"


class QontoOAuthController(http.Controller):

    @http.route("/account_qonto_einvoicing/oauth/start", type="http", auth="user",
                methods=["GET"])
    def start(self, company_id, **_kw):
        company = request.env["res.company"]._qonto_oauth_company_for_user(company_id)
        if not company:
            return self._page(request.env._(
                "Only a system administrator of this company can connect it with Qonto."),
                status=403)
        redirect_uri = company._qonto_oauth_redirect_uri()
        try:
            app = company._qonto_oauth_app(redirect_uri)
        except UserError as error:
            return self._page(error.args[0], status=400)
        state, pkce = new_state(), new_pkce()
        request.session[SESSION_KEY] = {"state": state, "company_id": company.id,
                                        "redirect_uri": redirect_uri,
                                        "code_verifier": pkce.verifier}
        return redirect(app.authorization_url(state, pkce=pkce), code=303)

    @http.route(CALLBACK_ROUTE, type="http", auth="user", methods=["GET"])
    def callback(self, **params):
        pending = request.session.get(SESSION_KEY) or {}
        env = request.env
        try:
            code, refusal = read_redirect(params, pending.get("state")), None
        except StateMismatchError:
            # Not consumed: a forged redirect must not end the flow really under way.
            _logger.warning("Qonto OAuth: a redirect with an unknown state was refused")
            return self._page(env._(
                "This answer from Qonto does not match a connection started in this "
                "session: nothing was changed. Start again from Settings."), status=400)
        except QontoError as error:
            code, refusal = None, error
        # The state matched: the flow is used once, whatever follows (a replayed
        # redirect finds none pending).
        request.session.pop(SESSION_KEY, None)
        if isinstance(refusal, ConsentRefusedError):
            return self._page(env._(
                "The connection to Qonto was refused on Qonto's page: nothing was changed."))
        if refusal is not None:
            return self._page(env._("Qonto did not give a connection: nothing was changed."),
                              status=400)
        company = env["res.company"]._qonto_oauth_company_for_user(pending["company_id"])
        if not company:
            return self._page(env._(
                "Only a system administrator of this company can connect it with Qonto."),
                status=403)
        try:
            company._qonto_oauth_connect(
                company._qonto_oauth_app(pending["redirect_uri"]), code,
                pkce=PKCE(pending["code_verifier"]) if pending.get("code_verifier") else None)
        except (QontoError, UserError) as error:
            message = error.args[0] if isinstance(error, UserError) else \
                error.__class__.__name__
            request.env.cr.rollback()
            return self._page(env._("Qonto refused the connection: %(error)s",
                                    error=message), status=400)
        return redirect(SETTINGS_URL, code=303)

    def _page(self, message, status=200):
        body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'/><title>Qonto</title>"
                f"</head><body><p id='qonto_oauth_message'>{escape(message)}</p>"
                f"<p><a href='{SETTINGS_URL}'>{escape(request.env._('Back to Settings'))}"
                f"</a></p></body></html>")
        return request.make_response(body, [("Content-Type", "text/html; charset=utf-8")],
                                     status=status)
