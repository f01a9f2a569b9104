"""Persistence across restarts, reset, and concurrent requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import requests

from qonto_einvoicing.simulator import Simulator, SimulatorServer

if TYPE_CHECKING:
    from conftest import SimulatorAPI


def test_state_survives_a_restart_and_the_lifecycle_goes_on(
        tmp_path: Path, make_sim_api: Callable[..., SimulatorAPI]) -> None:
    state = tmp_path / "sim" / "state.json"
    with SimulatorServer(state_path=state) as first:
        api = make_sim_api(first.url)
        client = api.create_client()
        invoice = api.create_invoice(client["id"], number="KEEP-1")
        api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
        api.advance(5)
        api.control("POST", "/tokens", {"token": "tok", "api_key_login": "demo-org"})
        before = api.invoice(invoice["id"])
        clock = api.control("GET", "/clock")
    assert [e["status_code"] for e in before["einvoicing_lifecycle_events"]] == [200]
    assert json.loads(state.read_text())["version"] == 1
    assert [p.name for p in state.parent.iterdir()] == ["state.json"]  # no temp file left

    with SimulatorServer(state_path=state) as second:
        api = make_sim_api(second.url)
        assert api.get(f"/v2/clients/{client['id']}").json()["client"] == client
        after = api.invoice(invoice["id"])
        assert after["einvoicing_lifecycle_events"][0] == before[
            "einvoicing_lifecycle_events"][0]
        assert api.control("GET", "/clock")["offset_seconds"] == clock["offset_seconds"]
        assert api.post("/v2/client_invoices", json=api.invoice_body(
            client["id"], number="KEEP-1")).status_code == 409
        api.advance(5 * 5)
        final = api.invoice(invoice["id"])
        assert [e["status_code"] for e in final["einvoicing_lifecycle_events"]] == [
            200, 201, 202, 203, 204, 205]
        assert final["einvoicing_status"] == "approved"
        bearer = make_sim_api(second.url, "")
        bearer.session.headers["Authorization"] = "Bearer tok"
        assert bearer.get("/v2/organization").status_code == 200


def test_a_new_api_key_adds_its_organization_to_an_existing_state(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    Simulator(state_path=state)
    again = Simulator(state_path=state, api_key="second:secret-2")
    assert {o["api_login"] for o in again.store.organizations()} == {"demo-org", "second"}
    assert again.organization("second")["api_secret"] == "secret-2"
    assert again.organization()["api_login"] == "second"


def test_reset_wipes_everything_back_to_the_initial_organization(sim_api: SimulatorAPI) -> None:
    org_before = sim_api.get("/v2/organization").json()["organization"]
    sim_api.create_invoice()
    sim_api.control("POST", "/organizations", {"api_key": "other:x"})
    sim_api.control("POST", "/faults", {"method": "GET", "path": "/v2/clients",
                                        "fault": "500"})
    sim_api.advance(3600)
    answer = sim_api.control("POST", "/reset")
    assert answer["offset_seconds"] == 0
    summary = sim_api.control("GET", "/state")
    [org] = summary["organizations"]
    assert (org["api_key_login"], org["clients"], org["client_invoices"]) == ("demo-org", 0, 0)
    assert sim_api.control("GET", "/faults")["faults"] == []
    assert sim_api.get("/v2/clients").status_code == 200
    assert sim_api.get("/v2/organization").json()["organization"] == org_before


def test_state_summary_counts_per_organization(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    sim_api.create_invoice(client["id"])
    sim_api.create_invoice(client["id"], status="draft")
    [org] = sim_api.control("GET", "/state")["organizations"]
    assert (org["clients"], org["client_invoices"]) == (1, 2)


def test_concurrent_creates_get_distinct_numbers(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    body = sim_api.invoice_body(client["id"])

    def create(_: int) -> int:
        # One request each, without sharing a requests.Session between threads.
        return requests.post(f"{sim_api.url}/v2/client_invoices", json=body, timeout=10,
                             headers={"Authorization": "demo-org:demo-secret"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(create, range(24))) == {201}
    invoices = sim_api.get("/v2/client_invoices").json()["client_invoices"]
    assert len({i["number"] for i in invoices}) == 24
