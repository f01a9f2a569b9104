"""Routes and the per-call context handed to every endpoint handler."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .jsonapi import ApiError, read_json
from .state import Record

if TYPE_CHECKING:
    from .app import Simulator

__all__ = ["Call", "Handler", "Route", "Router"]


@dataclass
class Call:
    """One call: the simulator, the request, the path parameters and the organization."""

    sim: Simulator
    request: Request
    params: dict[str, str]
    org_or_none: Record | None = None
    credentials: str | None = None
    """``"api_key"`` or ``"oauth"`` (a Bearer token) on API routes."""

    @property
    def org(self) -> Record:
        """The authenticated organization (API routes only)."""
        if self.org_or_none is None:
            raise RuntimeError("this route is not authenticated")
        return self.org_or_none

    @property
    def args(self) -> MultiDict[str, str]:
        """The query string."""
        return self.request.args

    @property
    def base_url(self) -> str:
        """The simulator's address as this caller reaches it, for the URLs it is given."""
        return self.request.host_url.rstrip("/")

    def json(self) -> dict[str, Any]:
        """The JSON object body (400 when malformed)."""
        return read_json(self.request)


Handler = Callable[[Call], Response]


@dataclass(frozen=True)
class Route:
    """``METHOD /path/{param}`` → handler.

    ``locked`` routes run while holding the store lock; the others (a clock advance that
    sends webhooks) take it themselves, briefly.
    """

    method: str
    path: str
    handler: Handler
    locked: bool = True


class Router:
    """Matches a request to one of its routes."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self._routes = list(routes)
        self._map = Map([
            Rule(re.sub(r"\{(\w+)\}", r"<\1>", route.path), methods=[route.method],
                 endpoint=index)
            for index, route in enumerate(self._routes)
        ])

    def match(self, request: Request) -> tuple[Route, dict[str, str]]:
        """The route and path parameters; 404 ``not_found`` or 405 when none matches."""
        adapter = self._map.bind_to_environ(request.environ)
        try:
            index, params = adapter.match()
        except MethodNotAllowed:
            raise ApiError.one(405, "method_not_allowed",
                               f"{request.method} is not allowed on {request.path}") from None
        except NotFound:
            raise ApiError.one(404, "not_found",
                               f"No route matches {request.method} {request.path}") from None
        return self._routes[index], dict(params)
