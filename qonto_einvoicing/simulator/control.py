"""The control API under ``/_simulator/``: no authentication, JSON in and out.

Tests, the demo and benchmarks drive the simulator with these; each is documented in the
package docstring. Bodies are checked, and a wrong one answers 422 with a pointer.
"""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.wrappers import Response

from . import api_supplier_invoices, api_transactions
from .api_files import PUBLIC_ROUTES
from .clock import iso
from .jsonapi import ApiError, error_object, json_response, no_content
from .lifecycle_engine import SCENARIOS, scenario_setting
from .organizations import new_organization, split_api_key
from .render import render_invoice, render_organization
from .routing import Call, Route
from .state import Record

__all__ = ["CONTROL_ROUTES"]


def _invalid(pointer: str, detail: str) -> ApiError:
    return ApiError(422, [error_object(422, "invalid", detail, pointer=pointer)])


def _number(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _invalid(f"/{key}", f"{key} is a number ≥ 0")
    return float(value)


def _optional_text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise _invalid(f"/{key}", f"{key} is a string")
    return value


def _org_by_login(call: Call, body: dict[str, Any]) -> Record:
    login = body.get("api_key_login") or split_api_key(call.sim.api_key)[0]
    org = call.sim.store.organization_by_login(str(login))
    if org is None:
        raise _invalid("/api_key_login", f"No organization has the API key login {login}")
    return org


def _found(call: Call, collection: str, what: str) -> tuple[Record, Record]:
    found = call.sim.store.find(collection, call.params["id"])
    if found is None:
        raise ApiError.one(404, "not_found", f"{what} {call.params['id']} not found",
                           parameter="id")
    return found


def _clock(call: Call) -> dict[str, Any]:
    sim = call.sim
    return {
        "now": iso(sim.now()),
        "epoch": sim.now(),
        "today": sim.clock.today().isoformat(),
        "offset_seconds": sim.clock.offset,
        "step_seconds": sim.engine.step_seconds,
    }


def reset(call: Call) -> Response:
    """Back to the initial organization; faults and the request log cleared."""
    call.sim.reset()
    return json_response({"reset": True, **_clock(call)})


def get_clock(call: Call) -> Response:
    """The simulator clock."""
    return json_response(_clock(call))


def advance_clock(call: Call) -> Response:
    """Advance the clock, apply what became due, deliver due webhooks, then answer."""
    seconds = _number(call.json(), "seconds")
    delivered = call.sim.advance_clock(seconds)
    with call.sim.store.lock:
        return json_response({**_clock(call), "webhooks_delivered": delivered})


def set_scenario(call: Call) -> Response:
    """Choose the scenario of a client, an invoice or a SIREN."""
    body = call.json()
    scenario = body.get("scenario")
    if scenario not in SCENARIOS:
        raise _invalid("/scenario", f"scenario is one of {', '.join(SCENARIOS)}")
    targets = [key for key in ("client_id", "invoice_id", "siren") if body.get(key)]
    if len(targets) != 1:
        raise _invalid("/", "give exactly one of client_id, invoice_id, siren")
    setting = scenario_setting(str(scenario), _optional_text(body, "reason"),
                               _optional_text(body, "reason_message"))
    target, value = targets[0], str(body[targets[0]])
    store = call.sim.store
    if target == "siren":
        if not re.fullmatch(r"\d{9}", value):
            raise _invalid("/siren", "siren is 9 digits")
        store.data["siren_scenarios"][value] = setting
    else:
        collection = "clients" if target == "client_id" else "client_invoices"
        found = store.find(collection, value)
        if found is None:
            raise ApiError.one(404, "not_found", f"No {target} {value}", pointer=f"/{target}")
        record = found[1]
        record["scenario"] = setting
        if record.get("einvoicing"):
            record["einvoicing"].update(setting)
    store.mark_changed()
    return json_response({"scenario": setting, target: value})


def set_reachability(call: Call) -> Response:
    """Force a client's ``e_invoicing_reachable`` (``null`` goes back to the rule)."""
    body = call.json()
    reachable = body.get("reachable")
    if "reachable" not in body or not (reachable is None or isinstance(reachable, bool)):
        raise _invalid("/reachable", "reachable is true, false or null")
    org, client = _found(call, "clients", "Client")
    client["reachable_override"] = reachable
    client["updated_at"] = iso(call.sim.now())
    call.sim.client_changed(org, client, "updated")
    return json_response({"client": call.sim.render_client(client)})


def list_faults(call: Call) -> Response:
    """The faults still armed."""
    return json_response({"faults": call.sim.faults.describe()})


def add_fault(call: Call) -> Response:
    """Arm a fault for the next ``count`` matching calls."""
    fault = call.sim.faults.add(call.json())
    return json_response({"fault": fault.describe()}, 201)


def clear_faults(call: Call) -> Response:
    """Disarm every fault."""
    call.sim.faults.clear()
    return no_content()


def get_requests(call: Call) -> Response:
    """The API calls answered so far, and their counts."""
    return json_response(call.sim.request_log.snapshot())


def clear_requests(call: Call) -> Response:
    """Forget the API calls answered so far."""
    call.sim.request_log.clear()
    return no_content()


def add_organization(call: Call) -> Response:
    """Another organization, with its own API key, SIREN and IBANs."""
    body = call.json()
    api_key = body.get("api_key")
    try:
        login, _ = split_api_key(api_key if isinstance(api_key, str) else "")
    except ValueError:
        raise _invalid("/api_key", "api_key is 'login:secret'") from None
    if call.sim.store.organization_by_login(login) is not None:
        raise _invalid("/api_key", f"the login {login} is already used")
    siren = _optional_text(body, "siren")
    if siren is not None and not re.fullmatch(r"\d{9}", siren):
        raise _invalid("/siren", "siren is 9 digits")
    org = new_organization(str(api_key), _optional_text(body, "legal_name"), siren)
    call.sim.store.data["organizations"][org["id"]] = org
    call.sim.store.mark_changed()
    return json_response({"organization": render_organization(org), "api_key_login": login},
                         201)


def add_token(call: Call) -> Response:
    """Accept ``Authorization: Bearer <token>`` for an organization."""
    body = call.json()
    token = body.get("token")
    if not isinstance(token, str) or not token.strip():
        raise _invalid("/token", "token is a non-empty string")
    org = _org_by_login(call, body)
    call.sim.store.data["tokens"][token.strip()] = org["api_login"]
    call.sim.store.mark_changed()
    return json_response({"token": token.strip(), "api_key_login": org["api_login"]}, 201)


def set_sending(call: Call) -> Response:
    """Enable or disable e-invoice sending for an organization."""
    body = call.json()
    if not isinstance(body.get("enabled"), bool):
        raise _invalid("/enabled", "enabled is true or false")
    org = _org_by_login(call, body)
    org["sending_enabled"] = body["enabled"]
    call.sim.store.mark_changed()
    return json_response({"api_key_login": org["api_login"],
                          "sending_status": "enabled" if body["enabled"] else "disabled"})


RECEIVING_STATUSES = ("enabled", "disabled", "pending_creation", "pending_deletion")


def set_receiving(call: Call) -> Response:
    """Set ``receiving_status`` for an organization (one of Qonto's four values)."""
    body = call.json()
    if body.get("status") not in RECEIVING_STATUSES:
        raise _invalid("/status", "status is one of " + ", ".join(RECEIVING_STATUSES))
    org = _org_by_login(call, body)
    org["receiving_status"] = body["status"]
    call.sim.store.mark_changed()
    return json_response({"api_key_login": org["api_login"], "receiving_status": body["status"]})


def list_deliveries(call: Call) -> Response:
    """Every webhook delivery, with its attempts and the event it carries."""
    deliveries = []
    for delivery in call.sim.store.data["deliveries"]:
        shown = {k: v for k, v in delivery.items() if k != "body"}
        shown["next_attempt_at"] = iso(delivery["next_attempt_at"])
        shown["event"] = json.loads(delivery["body"])
        deliveries.append(shown)
    return json_response({"deliveries": deliveries})


def add_event(call: Call) -> Response:
    """Append a raw lifecycle event, any code (e.g. 221), at the current instant."""
    body = call.json()
    code = body.get("status_code")
    if isinstance(code, bool) or not isinstance(code, int):
        raise _invalid("/status_code", "status_code is an integer")
    org, invoice = _found(call, "client_invoices", "Client invoice")
    now = call.sim.now()
    event = call.sim.engine.append_event(
        invoice, code, at=now, reason=_optional_text(body, "reason"),
        reason_message=_optional_text(body, "reason_message"))
    call.sim.invoice_changed(org, invoice, now, lifecycle=True)
    return json_response({"event": event,
                          "client_invoice": render_invoice(org, invoice, call.base_url)}, 201)


def set_raw_values(call: Call) -> Response:
    """Force raw ``status`` / ``einvoicing_status`` values, unknown ones included."""
    body = call.json()
    keys = [key for key in ("status", "einvoicing_status") if key in body]
    if not keys:
        raise _invalid("/", "give status, einvoicing_status or both")
    for key in keys:
        if not isinstance(body[key], str) or not body[key]:
            raise _invalid(f"/{key}", f"{key} is a non-empty string")
    org, invoice = _found(call, "client_invoices", "Client invoice")
    for key in keys:
        invoice[key] = body[key]
    call.sim.invoice_changed(org, invoice)
    return json_response({"client_invoice": render_invoice(org, invoice, call.base_url)})


def get_annuaire(call: Call) -> Response:
    """The SIRENs registered in the simulated Annuaire."""
    return json_response(call.sim.annuaire.describe())


def set_annuaire(call: Call) -> Response:
    """Register (or unregister) a SIREN in the Annuaire."""
    body = call.json()
    siren = body.get("siren")
    if not isinstance(siren, str) or not re.fullmatch(r"\d{9}", siren):
        raise _invalid("/siren", "siren is 9 digits")
    if not isinstance(body.get("registered"), bool):
        raise _invalid("/registered", "registered is true or false")
    call.sim.annuaire.set(siren, body["registered"])
    return json_response({"siren": siren, "registered": call.sim.annuaire.registered(siren),
                          "annuaire": call.sim.annuaire.describe()})


def get_options(call: Call) -> Response:
    """The strictness options this simulator runs with."""
    return json_response(call.sim.options.describe())


def get_state(call: Call) -> Response:
    """A summary: per organization, how many of each object."""
    return json_response(call.sim.summary())


def list_emails(call: Call) -> Response:
    """Invoices sent by e-mail (``POST /v2/client_invoices/{id}/send``)."""
    emails = [{"organization_id": org["id"], **email}
              for org in call.sim.store.organizations() for email in org["emails"]]
    return json_response({"emails": emails})


CONTROL_ROUTES = [
    Route("POST", "/_simulator/reset", reset),
    Route("GET", "/_simulator/clock", get_clock),
    Route("POST", "/_simulator/clock/advance", advance_clock, locked=False),
    Route("POST", "/_simulator/scenarios", set_scenario),
    Route("POST", "/_simulator/clients/{id}/reachability", set_reachability),
    Route("GET", "/_simulator/faults", list_faults),
    Route("POST", "/_simulator/faults", add_fault),
    Route("DELETE", "/_simulator/faults", clear_faults),
    Route("GET", "/_simulator/requests", get_requests),
    Route("DELETE", "/_simulator/requests", clear_requests),
    Route("POST", "/_simulator/organizations", add_organization),
    Route("POST", "/_simulator/tokens", add_token),
    Route("POST", "/_simulator/einvoicing/sending", set_sending),
    Route("POST", "/_simulator/einvoicing/receiving", set_receiving),
    Route("GET", "/_simulator/webhooks/deliveries", list_deliveries),
    Route("POST", "/_simulator/invoices/{id}/events", add_event),
    Route("POST", "/_simulator/invoices/{id}/raw", set_raw_values),
    Route("GET", "/_simulator/annuaire", get_annuaire),
    Route("POST", "/_simulator/annuaire", set_annuaire),
    Route("GET", "/_simulator/options", get_options, locked=False),
    Route("GET", "/_simulator/state", get_state),
    Route("GET", "/_simulator/emails", list_emails),
    *PUBLIC_ROUTES,
    *api_supplier_invoices.CONTROL_ROUTES,
    *api_transactions.CONTROL_ROUTES,
]
