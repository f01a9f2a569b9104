"""``/v2/clients``: list with filters, create, retrieve, update, delete.

Like Qonto, there is no uniqueness rule: the same client can be created twice
(https://docs.qonto.com/api-reference/business-api/clients/create-a-client.md). An
``e_invoicing_address`` must be well formed and registered in the Annuaire, or create and
update answer 422 on ``/e_invoicing_address`` (see ``annuaire``); update checks it when
the body sets it. ``e_invoicing_reachable`` is computed at each read.
"""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.wrappers import Response

from ..models import ClientPayload
from .annuaire import address_error
from .clock import iso
from .jsonapi import (
    ApiError,
    Filter,
    get_or_404,
    json_response,
    no_content,
    paginate,
    pop_or_404,
    sort_records,
    time_filter,
)
from .routing import Call, Route
from .state import Record
from .validation import validated

__all__ = ["ROUTES", "display_name"]

# Simulator-only fields of a stored client, kept across an update.
_INTERNAL = ("id", "seq", "created_at", "updated_at", "reachable_override", "scenario")


def display_name(client: Record) -> str:
    """A company's name, or a person's first and last name."""
    if client["kind"] == "company":
        return str(client.get("name") or "")
    return " ".join(filter(None, [client.get("first_name"), client.get("last_name")]))


def _check_address(call: Call, body: dict[str, Any]) -> None:
    address = body.get("e_invoicing_address")
    if address is None:
        return
    problem = address_error(call.sim.annuaire, address)
    if problem:
        code = "invalid" if "Annuaire" in problem else "invalid_format"
        raise ApiError.one(422, code, problem, pointer="/e_invoicing_address")


def _exact(args: Any, parameter: str, field: str) -> Filter | None:
    wanted = args.get(parameter)
    if wanted is None:
        return None
    wanted = wanted.strip().casefold()
    return lambda client: (client.get(field) or "").strip().casefold() == wanted


def list_clients(call: Call) -> Response:
    """Clients, filtered, sorted and paginated."""
    args = call.args
    filters: list[Filter] = [
        f for f in (
            _exact(args, "filter[tax_identification_number]", "tax_identification_number"),
            _exact(args, "filter[vat_number]", "vat_number"),
            _exact(args, "filter[email]", "email"),
        ) if f is not None
    ]
    name = args.get("filter[name]")
    if name is not None:
        if len(name.strip()) < 2:
            raise ApiError.one(400, "bad_request", "filter[name] needs at least 2 characters",
                               parameter="filter[name]")
        needle = name.strip().casefold()
        filters.append(lambda client: needle in display_name(client).casefold())
    filters += time_filter(args, "updated_at", "updated_at")
    clients = [c for c in call.org["clients"].values() if all(f(c) for f in filters)]
    clients = sort_records(
        clients, args, ("created_at", "updated_at", "name"), "created_at:desc",
        key_of=lambda c, field: display_name(c).casefold() if field == "name" else c[field])
    page, meta = paginate(clients, args)
    return json_response({"clients": [call.sim.render_client(c) for c in page], "meta": meta})


def add_client(sim: Any, org: Record, fields: Record, stamp: str) -> Record:
    """Store a new client of ``org`` made of ``fields`` at ``stamp``, and say so (the
    ``v1/clients`` webhook): by the API's create, and by a bulk import that names a
    buyer the organization does not know yet."""
    client: Record = {
        **fields,
        "id": str(uuid.uuid4()),
        "seq": sim.store.next_seq(),
        "created_at": stamp,
        "updated_at": stamp,
        "reachable_override": None,
        "scenario": None,
    }
    org["clients"][client["id"]] = client
    sim.client_changed(org, client, "created")
    return client


def create_client(call: Call) -> Response:
    """Create a client (201)."""
    body = call.json()
    fields = validated(ClientPayload, body)
    _check_address(call, body)
    client = add_client(call.sim, call.org, fields, iso(call.sim.now()))
    return json_response({"client": call.sim.render_client(client)}, 201)


def get_client(call: Call) -> Response:
    """One client."""
    client = get_or_404(call.org["clients"], call.params["id"], "Client")
    return json_response({"client": call.sim.render_client(client)})


def update_client(call: Call) -> Response:
    """Update some fields of a client; ``null`` clears a field."""
    client = get_or_404(call.org["clients"], call.params["id"], "Client")
    current = {k: v for k, v in client.items() if k not in _INTERNAL}
    body = call.json()
    merged = {k: v for k, v in {**current, **body}.items() if v is not None}
    fields = validated(ClientPayload, merged)
    _check_address(call, body)
    internal = {k: client[k] for k in _INTERNAL}
    client.clear()
    client.update({**fields, **internal, "updated_at": iso(call.sim.now())})
    call.sim.client_changed(call.org, client, "updated")
    return json_response({"client": call.sim.render_client(client)})


def delete_client(call: Call) -> Response:
    """Delete a client (204); its invoices keep their copy of it."""
    client = pop_or_404(call.org["clients"], call.params["id"], "Client")
    call.sim.client_changed(call.org, client, "deleted")
    return no_content()


ROUTES = [
    Route("GET", "/v2/clients", list_clients),
    Route("POST", "/v2/clients", create_client),
    Route("GET", "/v2/clients/{id}", get_client),
    Route("PATCH", "/v2/clients/{id}", update_client),
    Route("DELETE", "/v2/clients/{id}", delete_client),
]
