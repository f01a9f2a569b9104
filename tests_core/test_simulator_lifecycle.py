"""Reachability, sending by e-invoice, and each scenario walked on the simulator clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
import requests

from qonto_einvoicing.simulator import SimulatorServer
from qonto_einvoicing.simulator.identifiers import siren_from

if TYPE_CHECKING:
    from conftest import SimulatorAPI


# ---------------------------------------------------------------- reachability


@pytest.mark.parametrize(("address", "tin", "vat", "siren"), [
    ("987654321_98765432100012", "123456789", None, "987654321"),
    ("123456789", None, None, "123456789"),
    (None, "123 456 789", None, "123456789"),
    (None, "12345678900012", None, "123456789"),
    (None, "1234567890", "FR32123456789", "123456789"),
    (None, None, "FR 32 123 456 789", "123456789"),
    (None, "DE123", "DE123456789", None),
    ("not-a-siren", None, None, None),
    (None, None, None, None),
])
def test_siren_rule(address: str | None, tin: str | None, vat: str | None,
                    siren: str | None) -> None:
    assert siren_from(address, tin, vat) == siren


@pytest.mark.parametrize(("fields", "reachable"), [
    ({"e_invoicing_address": "552100554_55210055400013"}, True),
    ({"e_invoicing_address": "552100554"}, True),
    ({"e_invoicing_address": "732829320_73282932000074_SERVICE-ACHAT"}, True),
    ({"e_invoicing_address": "356000000_COMPTA"}, True),
    # Without an address, a registered SIREN elsewhere does not make a client reachable.
    ({"e_invoicing_address": None, "tax_identification_number": "55210055400013"}, False),
    ({"e_invoicing_address": None, "vat_number": "FR96552100554"}, False),
])
def test_reachability_is_a_registered_address(sim_api: SimulatorAPI, fields: dict[str, Any],
                                              reachable: bool) -> None:
    client = sim_api.create_client(**fields)
    assert client["e_invoicing_reachable"] is reachable
    listed = sim_api.get("/v2/clients").json()["clients"][0]
    assert listed["e_invoicing_reachable"] is reachable


def test_reachability_override_and_412_when_unreachable(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client(tax_identification_number="98765432100013",
                                   e_invoicing_address=None)
    invoice = sim_api.create_invoice(client["id"])
    answer = sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
    assert answer.status_code == 412
    assert answer.json()["errors"][0]["code"] == "recipient_not_reachable_on_einvoicing"

    forced = sim_api.control("POST", f"/clients/{client['id']}/reachability",
                             {"reachable": True})
    assert forced["client"]["e_invoicing_reachable"] is True
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
                        ).status_code == 204

    reachable = sim_api.create_client()
    sim_api.control("POST", f"/clients/{reachable['id']}/reachability", {"reachable": False})
    assert sim_api.get(f"/v2/clients/{reachable['id']}").json()["client"][
        "e_invoicing_reachable"] is False
    sim_api.control("POST", f"/clients/{reachable['id']}/reachability", {"reachable": None})
    assert sim_api.get(f"/v2/clients/{reachable['id']}").json()["client"][
        "e_invoicing_reachable"] is True


def test_send_preconditions(sim_api: SimulatorAPI) -> None:
    draft = sim_api.create_invoice(status="draft")
    answer = sim_api.post(f"/v2/client_invoices/{draft['id']}/send_by_einvoice")
    assert (answer.status_code, answer.json()["errors"][0]["code"]) == (
        412, "invoice_not_in_draft_status")
    canceled = sim_api.create_invoice()
    sim_api.post(f"/v2/client_invoices/{canceled['id']}/mark_as_canceled")
    answer = sim_api.post(f"/v2/client_invoices/{canceled['id']}/send_by_einvoice")
    assert answer.status_code == 412
    sim_api.control("POST", "/einvoicing/sending", {"enabled": False})
    invoice = sim_api.create_invoice()
    answer = sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
    assert (answer.status_code, answer.json()["errors"][0]["code"]) == (403, "forbidden")


# ---------------------------------------------------------------- scenarios


def _walk(sim_api: SimulatorAPI, invoice_id: str, steps: int) -> list[dict[str, Any]]:
    """The invoice after each of ``steps`` clock steps."""
    seen = []
    for _ in range(steps):
        sim_api.advance()
        seen.append(sim_api.invoice(invoice_id))
    return seen


SCENARIOS = {
    "approved": ([200, 201, 202, 203, 204, 205],
                 ["submitted"] * 5 + ["approved"]),
    "refused": ([200, 201, 202, 203, 210], ["submitted"] * 4 + ["declined"]),
    "rejected": ([200, 213], ["submitted", "submission_failed"]),
    "not_delivered": ([200, 201, None], ["submitted", "submitted", "not_delivered"]),
    "paid": ([200, 201, 202, 203, 204, 205, 211, 212], ["submitted"] * 5 + ["approved"] * 3),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_scenario_walks_to_its_final_status(sim_api: SimulatorAPI, scenario: str) -> None:
    codes, statuses = SCENARIOS[scenario]
    client = sim_api.create_client()
    sim_api.control("POST", "/scenarios", {"scenario": scenario, "client_id": client["id"]})
    invoice = sim_api.create_invoice(client["id"])
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
                        ).status_code == 204
    sent = sim_api.invoice(invoice["id"])
    assert (sent["status"], sent["einvoicing_status"]) == ("unpaid", "pending")
    assert sent["einvoicing_lifecycle_events"] == []

    walked = _walk(sim_api, invoice["id"], len(codes) + 2)
    for index, (code, status) in enumerate(zip(codes, statuses, strict=True)):
        expected = [c for c in codes[:index + 1] if c is not None]
        step = walked[index]
        assert [e["status_code"] for e in step["einvoicing_lifecycle_events"]] == expected
        assert step["einvoicing_status"] == status, (scenario, code)
    final = walked[-1]
    assert final == walked[len(codes) - 1] | {"attachment_id": final["attachment_id"]}
    events = final["einvoicing_lifecycle_events"]
    assert all(e["timestamp"].endswith("Z") and len(e["timestamp"]) == 24 for e in events)
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
    if scenario == "not_delivered":  # the last change is a status without an event
        assert final["updated_at"] > events[-1]["timestamp"]
    else:
        assert final["updated_at"] == events[-1]["timestamp"]
    if scenario == "paid":
        assert (final["status"], final["paid_at"]) == ("paid", events[-1]["timestamp"])
        assert final["amount_paid"]["value"] == final["total_amount"]["value"]
    else:
        assert final["status"] == "unpaid"
    if scenario == "refused":
        assert (events[-1]["reason"], events[-1]["reason_message"]) == (
            "MONTANTTOTAL_ERR", "Le prix unitaire ne correspond pas au devis")
    if scenario == "rejected":
        assert events[-1]["reason"] == "DOUBLE_FACTURE" and events[-1]["reason_message"]


def test_second_send_is_a_no_op(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    path = f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
    assert sim_api.post(path).status_code == 204
    sim_api.advance()
    assert sim_api.post(path).status_code == 204
    walked = _walk(sim_api, invoice["id"], 8)
    assert [e["status_code"] for e in walked[-1]["einvoicing_lifecycle_events"]] == [
        200, 201, 202, 203, 204, 205]
    assert sim_api.post(path).status_code == 204
    sim_api.advance(600)
    assert len(sim_api.invoice(invoice["id"])["einvoicing_lifecycle_events"]) == 6
    paid = sim_api.post(f"/v2/client_invoices/{invoice['id']}/mark_as_paid")
    assert paid.json()["client_invoice"]["einvoicing_status"] == "approved"


def test_scenario_by_siren_and_by_invoice_with_custom_reason(sim_api: SimulatorAPI) -> None:
    sim_api.control("POST", "/scenarios", {"scenario": "rejected", "siren": "552100554"})
    by_siren = sim_api.create_invoice()
    other_client = sim_api.create_client(tax_identification_number="73282932000074",
                                         e_invoicing_address="732829320")
    by_invoice = sim_api.create_invoice(other_client["id"])
    sim_api.control("POST", "/scenarios", {
        "scenario": "refused", "invoice_id": by_invoice["id"], "reason": "QTE_ERRONEE",
        "reason_message": "Quantité livrée : 1"})
    for invoice in (by_siren, by_invoice):
        sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
    sim_api.advance(10 * 60)
    assert sim_api.invoice(by_siren["id"])["einvoicing_status"] == "submission_failed"
    refused = sim_api.invoice(by_invoice["id"])
    assert refused["einvoicing_status"] == "declined"
    last = refused["einvoicing_lifecycle_events"][-1]
    assert (last["status_code"], last["reason"], last["reason_message"]) == (
        210, "QTE_ERRONEE", "Quantité livrée : 1")


def test_scenario_control_refuses_bad_bodies(sim_api: SimulatorAPI) -> None:
    for body in ({"scenario": "lost", "siren": "123456789"},
                 {"scenario": "approved"},
                 {"scenario": "approved", "siren": "123456789", "client_id": "x"},
                 {"scenario": "approved", "siren": "12"}):
        answer = requests.post(f"{sim_api.url}/_simulator/scenarios", json=body, timeout=5)
        assert answer.status_code == 422, body
    answer = requests.post(f"{sim_api.url}/_simulator/scenarios",
                           json={"scenario": "approved", "client_id": "nope"}, timeout=5)
    assert answer.status_code == 404


def test_raw_event_with_an_unknown_code(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    created = sim_api.control("POST", f"/invoices/{invoice['id']}/events", {
        "status_code": 221, "reason": "ROUTAGE", "reason_message": "Adresse inconnue"})
    assert created["event"]["status_code"] == 221
    [event] = sim_api.invoice(invoice["id"])["einvoicing_lifecycle_events"]
    assert (event["status_code"], event["reason"]) == (221, "ROUTAGE")


def test_updated_at_moves_with_each_step_for_incremental_sync(sim_api: SimulatorAPI) -> None:
    quiet = sim_api.create_invoice()
    moving = sim_api.create_invoice()
    sim_api.post(f"/v2/client_invoices/{moving['id']}/send_by_einvoice")
    sim_api.advance()
    sim_api.advance()
    last_sync = sim_api.control("GET", "/clock")["now"]
    sim_api.advance()
    changed = sim_api.get("/v2/client_invoices",
                          params={"filter[updated_at_from]": last_sync}).json()
    assert [i["id"] for i in changed["client_invoices"]] == [moving["id"]]
    assert sim_api.invoice(quiet["id"])["updated_at"] < last_sync


def test_lifecycle_advances_lazily_without_the_ticker(
        make_sim_api: Callable[..., SimulatorAPI]) -> None:
    with SimulatorServer(step_seconds=60, tick_interval=3600) as server:
        api = make_sim_api(server.url)
        invoice = api.create_invoice()
        api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
        sim = server.simulator
        with sim.store.lock:  # move the clock without running anything
            sim.clock.advance(3 * 60)
        events = api.invoice(invoice["id"])["einvoicing_lifecycle_events"]
        assert [e["status_code"] for e in events] == [200, 201, 202]
