"""The simulator's HTTP front: which router answers a request, and the gate of API calls.

A request under ``/_simulator/`` goes to the control API (no credentials), one under
``/oauth2/`` to Qonto's OAuth host (no API credentials, logged), any other to the Qonto
API, which passes the gate first: the rate limits, the scripted faults, the ``latency_ms``
option, the credentials; every API call is written in the simulator's request log.

The front holds no state of its own: the limiter, the faults, the request log and the
data are the :class:`~.app.Simulator`'s, so that a reset or a control call sees them.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from . import api_oauth
from .control import CONTROL_ROUTES
from .endpoints import API_ROUTES
from .faults import DroppedConnectionError
from .jsonapi import ApiError
from .routing import Call, Route, Router
from .state import Record

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .app import Simulator

__all__ = ["CONTROL_PREFIX", "MAX_BODY_BYTES", "OAUTH_PREFIX", "HttpFront"]

CONTROL_PREFIX = "/_simulator/"
OAUTH_PREFIX = "/oauth2/"
MAX_BODY_BYTES = 16 * 1024 * 1024  # an upload is at most 5 MB; refuse anything absurd


class HttpFront:
    """The WSGI side of one :class:`~.app.Simulator`: dispatch, gate, credentials, log."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self._api = Router(API_ROUTES)
        self._control = Router([*CONTROL_ROUTES, *api_oauth.CONTROL_ROUTES])
        self._oauth = Router(api_oauth.OAUTH_ROUTES)

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request, as a WSGI application."""
        request = Request(environ)
        request.max_content_length = MAX_BODY_BYTES
        if request.path.startswith(CONTROL_PREFIX):
            response = self._serve_control(request)
        elif request.path.startswith(OAUTH_PREFIX):
            response = self._serve_oauth(request)
        else:
            response = self._serve_api(request)
        return response(environ, start_response)

    def _serve_api(self, request: Request) -> Response:
        sim = self.sim
        method, path = request.method, request.path
        started = sim.request_log.started()
        try:
            matched: tuple[Route, dict[str, str]] | None = self._api.match(request)
        except ApiError as exc:
            matched, unmatched = None, exc
        route_path = matched[0].path if matched else None

        def log(status: int | None, fault: str | None = None, **extra: bool) -> None:
            sim.request_log.record(method, path, route_path, status, fault,
                                   started=started, **extra)

        if sim.limiter is not None:
            wait = sim.limiter.wait_time(request.remote_addr or "unknown")
            if wait > 0:
                self._delay()
                log(429, rate_limited=True)
                return sim.limiter.error(
                    wait, retry_after=sim.options.rate_limit_retry_after).response()
        fault = sim.faults.take(method, path)
        if fault is not None and fault.answers_error:
            self._delay()
            log(int(fault.kind), fault.kind)
            return fault.error_response()
        if fault is not None and fault.kind == "drop":
            log(None, fault.kind)
            raise DroppedConnectionError("fault: drop")
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if matched is None:
            response = unmatched.response()
        else:
            response = self._run(request, *matched, authenticated=True)
        if fault is not None and fault.kind == "lost_answer":
            log(None, fault.kind)
            raise DroppedConnectionError("fault: lost_answer")
        self._delay()
        log(response.status_code, fault.kind if fault else None)
        return response

    def _delay(self) -> None:
        # The latency option: outside the store lock, so concurrent calls overlap.
        if self.sim.options.latency_ms:
            time.sleep(self.sim.options.latency_ms / 1000)

    def _serve_control(self, request: Request) -> Response:
        try:
            route, params = self._control.match(request)
        except ApiError as exc:
            return exc.response()
        return self._run(request, route, params, authenticated=False)

    def _serve_oauth(self, request: Request) -> Response:
        # Qonto's OAuth host (consent page, token endpoint): no API credentials; each
        # call is logged like an API call, so that tests count the token requests.
        started = self.sim.request_log.started()
        try:
            route, params = self._oauth.match(request)
        except ApiError as exc:
            return exc.response()
        response = self._run(request, route, params, authenticated=False)
        self.sim.request_log.record(request.method, request.path, route.path,
                                    response.status_code, None, started=started)
        return response

    def _run(self, request: Request, route: Route, params: dict[str, str], *,
             authenticated: bool) -> Response:
        sim = self.sim
        try:
            if not route.locked:
                return route.handler(Call(sim, request, params))
            with sim.store.lock:
                try:
                    org, credentials = (self._authenticate(request, route)
                                        if authenticated else (None, None))
                    # Lazily apply what the clock made due, so every answer is current.
                    sim.apply_due()
                    return route.handler(Call(sim, request, params, org, credentials))
                finally:
                    sim.store.save_if_changed()
        except ApiError as exc:
            return exc.response()
        except HTTPException as exc:  # e.g. a body over MAX_BODY_BYTES
            code = exc.code or 400
            return ApiError.one(code, "bad_request", exc.description or exc.name).response()

    def _authenticate(self, request: Request, route: Route) -> tuple[Record, str]:
        """The caller's organization, and ``"oauth"`` or ``"api_key"``.

        A Bearer token lacking the scope ``route`` needs is answered 403
        ``insufficient_permissions`` (Qonto's scopes page; see :mod:`.api_oauth`).
        """
        store = self.sim.store
        header = request.headers.get("Authorization", "").strip()
        org: Record | None = None
        credentials = "oauth" if header.startswith("Bearer ") else "api_key"
        if header.startswith("Bearer "):
            login, scopes = api_oauth.bearer_scopes(
                store, header.removeprefix("Bearer ").strip(), self.sim.now())
            org = store.organization_by_login(login) if login else None
            needed = api_oauth.required_scope(route.method, route.path)
            if org is not None and scopes is not None and needed not in scopes:
                raise ApiError.one(403, "insufficient_permissions",
                                   f"This token lacks the scope {needed}")
        elif ":" in header:
            login, _, secret = header.partition(":")
            candidate = store.organization_by_login(login)
            if candidate and hmac.compare_digest(candidate["api_secret"].encode(),
                                                 secret.encode()):
                org = candidate
        if org is None:
            detail = ("Authorization header missing" if not header
                      else "Invalid credentials")
            raise ApiError.one(401, "unauthorized", detail)
        return org, credentials
