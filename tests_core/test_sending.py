"""``qonto_einvoicing.sending``: many invoices at once, each created, finalized and sent
exactly once, against the simulator over real HTTP."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from conftest import SIM_API_KEY, SimulatorAPI

from qonto_einvoicing import QontoClient
from qonto_einvoicing.models import ClientInvoiceCreatePayload
from qonto_einvoicing.ratelimit import RateLimiter
from qonto_einvoicing.sending import (
    EmailDelivery,
    SendJob,
    SendOutcome,
    send_all,
    send_einvoice,
)

REGISTERED_SIREN = "552100554"  # in the simulator's default Annuaire


def _job(sim_api: SimulatorAPI, client_id: str, number: str, **overrides: Any) -> SendJob:
    body = sim_api.invoice_body(client_id, number=number, status="draft")
    payload = ClientInvoiceCreatePayload.model_validate(body)
    return SendJob(key=number, payload=payload, total_cents=2520, vat_cents=420, **overrides)


def _reachable_client(sim_api: SimulatorAPI) -> str:
    return sim_api.create_client(e_invoicing_address=REGISTERED_SIREN,
                                 tax_identification_number="55210055400013")["id"]


def _numbers(sim_api: SimulatorAPI) -> list[str]:
    answer = sim_api.get("/v2/client_invoices", params={"per_page": 100}).json()
    return sorted(invoice["number"] for invoice in answer["client_invoices"])


def test_a_batch_goes_out_once_with_three_requests_each(sim_url: str, sim_api: SimulatorAPI):
    client_id = _reachable_client(sim_api)
    jobs = [_job(sim_api, client_id, f"F-{n:03d}") for n in range(20)]
    sim_api.control("DELETE", "/requests")
    limiter = RateLimiter()

    outcomes = list(send_all(lambda: QontoClient(sim_url, SIM_API_KEY, rate_limiter=limiter),
                             jobs, workers=4))

    counts = sim_api.control("GET", "/requests")["counts_by_route"]
    assert counts == {
        "POST /v2/client_invoices": 20,
        "POST /v2/client_invoices/{id}/finalize": 20,
        "POST /v2/client_invoices/{id}/send_by_einvoice": 20,
    }
    assert sorted(o.key for o in outcomes) == [job.key for job in jobs]
    assert all(o.sent and o.finalized and not o.error for o in outcomes)
    assert _numbers(sim_api) == [job.key for job in jobs], "each invoice once"


def test_a_lost_create_answer_is_adopted_not_duplicated(sim_url: str, sim_api: SimulatorAPI):
    client_id = _reachable_client(sim_api)
    sim_api.control("POST", "/faults", {"method": "POST", "path": "/v2/client_invoices",
                                        "fault": "lost_answer"})
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        outcome = send_einvoice(qonto, _job(sim_api, client_id, "F-LOST"))
    assert outcome.sent and outcome.invoice_id
    assert _numbers(sim_api) == ["F-LOST"]


def test_resume_from_a_known_draft(sim_url: str, sim_api: SimulatorAPI):
    client_id = _reachable_client(sim_api)
    draft = sim_api.create_invoice(client_id, number="F-RESUME", status="draft")
    sim_api.control("DELETE", "/requests")
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        outcome = send_einvoice(qonto, _job(sim_api, client_id, "F-RESUME",
                                            invoice_id=draft["id"]))
    assert outcome.sent and outcome.invoice_id == draft["id"]
    counts = sim_api.control("GET", "/requests")["counts_by_route"]
    assert "POST /v2/client_invoices" not in counts, "never created twice"
    assert counts["POST /v2/client_invoices/{id}/finalize"] == 1
    assert sim_api.invoice(draft["id"])["status"] == "unpaid"


def test_other_totals_remove_our_draft_and_send_nothing(sim_url: str, sim_api: SimulatorAPI):
    client_id = _reachable_client(sim_api)
    job = _job(sim_api, client_id, "F-TOTALS")
    job = SendJob(key=job.key, payload=job.payload, total_cents=2521, vat_cents=420)
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        outcome = send_einvoice(qonto, job)
    assert not outcome.sent and outcome.invoice is None
    assert outcome.mismatch is not None and outcome.mismatch.draft_removed
    assert outcome.mismatch.total_cents == 2520
    assert _numbers(sim_api) == []


def test_an_error_keeps_the_invoice_for_the_resume(sim_url: str, sim_api: SimulatorAPI):
    client_id = _reachable_client(sim_api)
    sim_api.control("POST", "/faults", {"method": "POST",
                                        "path": "/v2/client_invoices/{id}/send_by_einvoice",
                                        "fault": "500", "count": 10})
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        qonto.retry = qonto.retry.__class__(max_retries=1, base_delay=0.01)
        outcome = send_einvoice(qonto, _job(sim_api, client_id, "F-503"))
    assert outcome.error is not None and not outcome.sent
    assert outcome.finalized and outcome.invoice_id, "Qonto holds it: its id is kept"


def test_email_delivery_instead_of_the_network(sim_url: str, sim_api: SimulatorAPI):
    client_id = sim_api.create_client()["id"]  # not in the Annuaire: not reachable
    job = _job(sim_api, client_id, "F-MAIL",
               email=EmailDelivery(send_to=["billing@acme.example"], email_title="F-MAIL"))
    with QontoClient(sim_url, SIM_API_KEY) as qonto:
        outcome = send_einvoice(qonto, job)
    assert outcome.sent, outcome.error
    emails = sim_api.control("GET", "/emails")
    assert "billing@acme.example" in str(emails)
    assert Decimal(sim_api.invoice(outcome.invoice_id)["total_amount"]["value"]) == Decimal(
        "25.20")


@pytest.mark.simulator(rate_limits=((8, 1.0),))
def test_two_workers_over_the_rate_limit_end_with_nothing_failed(sim_url: str,
                                                                 sim_api: SimulatorAPI):
    """Two Odoo workers, each with its own limiter, share one IP's limit: Qonto refuses
    some requests (429, not processed), every one is repeated, and all go out once."""
    client_id = _reachable_client(sim_api)
    body = sim_api.invoice_body(client_id, status="draft")
    batches = [[SendJob(key=number, total_cents=2520, vat_cents=420,
                        payload=ClientInvoiceCreatePayload.model_validate(
                            {**body, "number": number}))
                for number in (f"W{worker}-{n}" for n in range(4))]
               for worker in range(2)]
    time.sleep(1.1)  # the set-up's requests leave the one-second window
    sim_api.control("DELETE", "/requests")
    outcomes: list[SendOutcome] = []

    def worker(jobs: list[SendJob]) -> None:
        limiter = RateLimiter(windows=((8, 1.0),))  # each process believes it is alone
        outcomes.extend(send_all(
            lambda: QontoClient(sim_url, SIM_API_KEY, rate_limiter=limiter), jobs, workers=2))

    threads = [threading.Thread(target=worker, args=(jobs,)) for jobs in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    log = sim_api.control("GET", "/requests")
    assert log["rate_limited"] > 0, "the two workers together went over Qonto's limit"
    assert [o.key for o in outcomes if not o.sent] == []
    with QontoClient(sim_url, SIM_API_KEY) as qonto:  # it waits out a 429 itself
        numbers = sorted(invoice.number for invoice in qonto.list_client_invoices())
    assert numbers == sorted(job.key for jobs in batches for job in jobs), "each once"
