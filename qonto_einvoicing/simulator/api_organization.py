"""``GET /v2/organization`` and ``GET /v2/einvoicing/settings``."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .jsonapi import json_response
from .render import render_organization
from .routing import Call, Route

__all__ = ["ROUTES"]


def get_organization(call: Call) -> Response:
    """The organization, its legal data and its bank accounts."""
    return json_response({"organization": render_organization(call.org)})


def get_einvoicing_settings(call: Call) -> Response:
    """Whether the organization may send and receive e-invoices."""
    return json_response({
        "sending_status": "enabled" if call.org["sending_enabled"] else "disabled",
        # An organization saved before receiving could be switched has it enabled.
        "receiving_status": call.org.get("receiving_status", "enabled"),
    })


ROUTES = [
    Route("GET", "/v2/organization", get_organization),
    Route("GET", "/v2/einvoicing/settings", get_einvoicing_settings),
]
