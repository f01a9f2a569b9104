"""Scripted faults, and the request log that counts the calls."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
import requests

if TYPE_CHECKING:
    from conftest import SimulatorAPI


def _fault(sim_api: SimulatorAPI, **spec: object) -> None:
    sim_api.control("POST", "/faults", spec)


def test_429_burst_then_normal_answers(sim_api: SimulatorAPI) -> None:
    _fault(sim_api, method="GET", path="/v2/organization", fault="429", count=3)
    answers = [sim_api.get("/v2/organization") for _ in range(4)]
    assert [a.status_code for a in answers] == [429, 429, 429, 200]
    [error] = answers[0].json()["errors"]
    assert (error["status"], error["code"]) == ("429", "too_many_requests")
    assert "Retry-After" not in answers[0].headers

    _fault(sim_api, method="GET", path="/v2/organization", fault="429", retry_after=2)
    assert sim_api.get("/v2/organization").headers["Retry-After"] == "2"


@pytest.mark.parametrize(("kind", "code"), [("500", "internal_server_error"),
                                            ("502", "bad_gateway"),
                                            ("503", "service_unavailable")])
def test_server_errors(sim_api: SimulatorAPI, kind: str, code: str) -> None:
    client = sim_api.create_client()
    _fault(sim_api, method="POST", path="/v2/client_invoices", fault=kind)
    answer = sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(client["id"]))
    assert answer.status_code == int(kind)
    assert answer.json()["errors"][0]["code"] == code
    # Nothing was created, and the next call goes through.
    assert sim_api.get("/v2/client_invoices").json()["meta"]["total_count"] == 0
    assert sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(client["id"])
                        ).status_code == 201


def test_slow_answers_after_the_delay(sim_api: SimulatorAPI) -> None:
    _fault(sim_api, method="GET", path="/v2/organization", fault="slow", delay=0.4, count=2)
    started = time.monotonic()
    assert sim_api.get("/v2/organization").status_code == 200
    assert time.monotonic() - started >= 0.4
    with pytest.raises(requests.ReadTimeout):
        sim_api.get("/v2/organization", timeout=0.1)


def test_drop_closes_the_connection_and_does_nothing(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    _fault(sim_api, method="POST", path="/v2/client_invoices", fault="drop")
    with pytest.raises(requests.ConnectionError):
        sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(client["id"],
                                                                      number="N-1"))
    assert sim_api.get("/v2/client_invoices").json()["meta"]["total_count"] == 0
    assert sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(
        client["id"], number="N-1")).status_code == 201


def test_lost_answer_does_the_work_then_drops(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    _fault(sim_api, method="POST", path="/v2/client_invoices", fault="lost_answer")
    body = sim_api.invoice_body(client["id"], number="N-1")
    with pytest.raises(requests.ConnectionError):
        sim_api.post("/v2/client_invoices", json=body)
    [created] = sim_api.get("/v2/client_invoices").json()["client_invoices"]
    assert created["number"] == "N-1"
    assert sim_api.post("/v2/client_invoices", json=body).status_code == 409


def test_path_patterns_methods_and_clearing(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    _fault(sim_api, method="POST", path="/v2/client_invoices/{id}/send_by_einvoice",
           fault="503", count=5)
    assert sim_api.get(f"/v2/client_invoices/{invoice['id']}").status_code == 200
    path = f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
    assert sim_api.post(path + "?x=1").status_code == 503
    [armed] = sim_api.control("GET", "/faults")["faults"]
    assert armed["count"] == 4
    sim_api.control("DELETE", "/faults")
    assert sim_api.control("GET", "/faults")["faults"] == []
    assert sim_api.post(path).status_code == 204

    _fault(sim_api, method="*", path="/v2/clients", fault="500")
    assert sim_api.get("/v2/clients").status_code == 500


def test_fault_bodies_are_checked(sim_api: SimulatorAPI) -> None:
    answer = requests.post(f"{sim_api.url}/_simulator/faults", timeout=5, json={
        "method": "GET", "path": "v2/x", "fault": "418", "count": 0, "delay": -1})
    assert answer.status_code == 422
    assert {e["source"]["pointer"] for e in answer.json()["errors"]} == {
        "/path", "/fault", "/count", "/delay"}


def test_request_log_counts_api_calls_only(sim_api: SimulatorAPI) -> None:
    sim_api.control("DELETE", "/requests")
    invoice = sim_api.create_invoice()
    sim_api.get(f"/v2/client_invoices/{invoice['id']}")
    _fault(sim_api, method="GET", path="/v2/organization", fault="drop")
    with pytest.raises(requests.ConnectionError):
        sim_api.get("/v2/organization")
    log = sim_api.control("GET", "/requests")
    counts = log["counts"]
    assert counts["POST /v2/clients"] == 1
    assert counts["POST /v2/client_invoices"] == 1
    assert counts[f"GET /v2/client_invoices/{invoice['id']}"] == 1
    # invoice_body() reads the organization once for the IBAN, then the dropped call.
    assert counts["GET /v2/organization"] == 2
    assert log["counts_by_route"]["GET /v2/client_invoices/{id}"] == 1
    last = dict(log["requests"][-1])
    assert last.pop("duration_ms") >= 0
    assert last == {"method": "GET", "path": "/v2/organization", "status": None,
                    "fault": "drop"}
    assert log["total"] == 5
    assert log["rate_limited"] == 0
    assert not any(r["path"].startswith("/_simulator") for r in log["requests"])
    sim_api.control("DELETE", "/requests")
    assert sim_api.control("GET", "/requests")["total"] == 0
