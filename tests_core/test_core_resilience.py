"""The client against the simulator, over real HTTP: rate limits, lost answers,
undocumented bodies, webhook subscription shapes, payloads refused before any request."""

import datetime as dt
import logging
import time

import pytest
import requests

from qonto_einvoicing import (
    PRODUCTION_URL,
    PayloadError,
    QontoClient,
    RateLimitedError,
    RateLimiter,
    RetryPolicy,
    ServerError,
)
from qonto_einvoicing.models import ClientInvoice
from qonto_einvoicing.simulator import SimulatorServer

KEY = "demo-org:demo-secret"
SIRET = "55210055400013"


def control(url, http_method, url_path, **body):
    answer = requests.request(http_method, f"{url}/_simulator{url_path}", json=body or None,
                              timeout=10)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def count(url, key):
    """Requests made to ``key`` (``METHOD /path``, or a route with ``{id}``)."""
    log = control(url, "GET", "/requests")
    return log["counts"].get(key, 0) or log.get("counts_by_route", {}).get(key, 0)


def fault(url, http_method, path, kind, n=1, **extra):
    control(url, "POST", "/faults", method=http_method, path=path, fault=kind, count=n,
            **extra)


@pytest.fixture
def server_factory():
    servers = []

    def make(**options):
        server = SimulatorServer(port=0, api_key=KEY, **options)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def sim(server_factory):
    return server_factory()


def make_client(url, **kwargs):
    kwargs.setdefault("sleep", lambda _s: None)
    return QontoClient(url, KEY, timeout=(2, 2), **kwargs)


@pytest.fixture
def qonto(sim):
    with make_client(sim.url) as client:
        yield client


def invoice_body(qonto, number, status="draft", **changes):
    client = qonto.find_client(siret=SIRET) or qonto.create_client({
        "kind": "company", "name": "Boulangerie Martin", "tax_identification_number": SIRET,
        "e_invoicing_address": SIRET[:9], "billing_address": {"country_code": "FR"}})
    body = {
        "client_id": client.id, "issue_date": dt.date.today().isoformat(),
        "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "currency": "EUR", "number": number, "status": status,
        "payment_methods": {"iban": qonto.get_organization().bank_accounts[0].iban},
        "items": [{"title": "Pain", "quantity": "3", "vat_rate": "0.055",
                   "unit_price": {"value": "4.35", "currency": "EUR"}}],
    }
    body.update(changes)
    return body


# ----------------------------------------------------------------- 429: not processed


def test_a_create_is_retried_after_429_and_made_once(qonto, sim):
    body = invoice_body(qonto, "INV-R-1", status="unpaid")
    fault(sim.url, "POST", "/v2/client_invoices", "429", n=3)
    invoice = qonto.create_client_invoice(body)
    assert invoice.number == "INV-R-1"
    assert count(sim.url, "POST /v2/client_invoices") == 4
    assert [i.number for i in qonto.list_client_invoices()].count("INV-R-1") == 1


def test_429_past_the_retry_budget_says_not_processed(sim):
    slept = []
    policy = RetryPolicy(rate_limit_retries=2)
    with make_client(sim.url, retry=policy, sleep=slept.append) as qonto:
        body = invoice_body(qonto, "INV-R-2")
        fault(sim.url, "POST", "/v2/client_invoices", "429", n=10)
        with pytest.raises(RateLimitedError) as excinfo:
            qonto.create_client_invoice(body)
    assert excinfo.value.processed is False
    assert excinfo.value.waited == pytest.approx(sum(slept))
    assert count(sim.url, "POST /v2/client_invoices") == 3
    assert len(slept) == 2 and all(0 <= s <= policy.max_delay for s in slept)
    assert not list(make_client(sim.url).list_client_invoices())


def test_retry_after_is_honoured_and_a_too_long_one_gives_up_at_once(sim):
    slept = []
    with make_client(sim.url, sleep=slept.append) as qonto:
        fault(sim.url, "GET", "/v2/organization", "429", n=1, retry_after=3)
        assert qonto.get_organization().legal_name
        assert slept == [3.0]
        fault(sim.url, "GET", "/v2/organization", "429", n=1, retry_after=3600)
        with pytest.raises(RateLimitedError) as excinfo:
            qonto.get_organization()
        assert excinfo.value.retry_after == 3600 and slept == [3.0]


def test_a_shared_limiter_is_penalized_by_a_429(sim):
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        time.sleep(seconds)

    limiter = RateLimiter(sleep=sleep)
    with make_client(sim.url, rate_limiter=limiter) as qonto:
        fault(sim.url, "GET", "/v2/organization", "429", n=1, retry_after=0.05)
        assert qonto.get_organization().legal_name
    # The wait went through the limiter (so that every thread waits), not the client.
    assert waits and waits[0] <= 0.05
    assert limiter.in_window(600) == 2


# ----------------------------------------------------------------- finalize


@pytest.mark.parametrize(("kind", "posts"), [("lost_answer", 1), ("drop", 2), ("500", 2)])
def test_a_finalize_whose_answer_is_lost_is_resolved_by_reading(qonto, sim, kind, posts):
    draft = qonto.create_client_invoice(invoice_body(qonto, f"INV-F-{kind}"))
    fault(sim.url, "POST", "/v2/client_invoices/{id}/finalize", kind)
    assert qonto.finalize_client_invoice(draft.id) is None
    assert qonto.get_client_invoice(draft.id).status == "unpaid"
    assert count(sim.url, "POST /v2/client_invoices/{id}/finalize") == posts


def test_a_finalize_that_fails_twice_raises(qonto, sim):
    draft = qonto.create_client_invoice(invoice_body(qonto, "INV-F-X"))
    fault(sim.url, "POST", "/v2/client_invoices/{id}/finalize", "500", n=2)
    with pytest.raises(ServerError):
        qonto.finalize_client_invoice(draft.id)
    assert qonto.get_client_invoice(draft.id).status == "draft"
    assert count(sim.url, "POST /v2/client_invoices/{id}/finalize") == 2


@pytest.mark.parametrize("bodies", ["none", "invoice"])
def test_undocumented_bodies_are_never_relied_on(server_factory, bodies):
    sim = server_factory(undocumented_bodies=bodies)
    with make_client(sim.url) as qonto:
        draft = qonto.create_client_invoice(invoice_body(qonto, "INV-U-1"))
        assert qonto.finalize_client_invoice(draft.id) is None
        paid = qonto.mark_client_invoice_as_paid(draft.id, dt.date.today())
        assert paid.status == "paid"
        assert qonto.unmark_client_invoice_as_paid(draft.id) is None
        assert qonto.get_client_invoice(draft.id).status == "unpaid"
        assert qonto.cancel_client_invoice(draft.id) is None
        assert qonto.get_client_invoice(draft.id).status == "canceled"


# ----------------------------------------------------------------- webhook subscriptions


@pytest.mark.parametrize("wrapped", [False, True])
def test_webhook_subscriptions_in_either_shape(server_factory, wrapped):
    sim = server_factory(wrapped_webhook_subscriptions=wrapped, allow_http_callbacks=True)
    with make_client(sim.url) as qonto:
        created = qonto.create_webhook_subscription(
            "http://127.0.0.1:9/hook", ["v1/client-invoices"], description="Odoo")
        assert created.id and created.types == ["v1/client-invoices"]
        assert created.secret and len(created.secret) >= 32
        assert created.secret not in repr(created)
        assert [s.id for s in qonto.list_webhook_subscriptions()] == [created.id]
        qonto.delete_webhook_subscription(created.id)
        assert list(qonto.list_webhook_subscriptions()) == []


def test_webhook_types_are_topics_and_qonto_needs_https(sim):
    with make_client(sim.url) as qonto:
        with pytest.raises(PayloadError) as excinfo:
            qonto.create_webhook_subscription("https://odoo.example/hook",
                                              ["v1/client-invoices.updated"])
        assert excinfo.value.pointer == "/types/0"
    assert count(sim.url, "POST /v2/webhook_subscriptions") == 0
    # Against Qonto itself an http callback is refused before any request is made.
    with QontoClient(PRODUCTION_URL, KEY) as production, \
            pytest.raises(PayloadError) as excinfo:
        production.create_webhook_subscription("http://odoo.example/hook",
                                               ["v1/client-invoices"])
    assert excinfo.value.pointer == "/callback_url"
    assert "callback_url" in str(excinfo.value)


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize(("changes", "pointer"), [
    ({"items": [{"title": "Avoir", "quantity": "-2", "vat_rate": "0.2",
                 "unit_price": {"value": "-10", "currency": "EUR"}}]}, "/items/0/quantity"),
    ({"items": [{"title": "Rien", "quantity": "1", "vat_rate": "0.2",
                 "unit_price": {"value": "0", "currency": "EUR"}}]}, "/items"),
    ({"items": [{"title": "Rabais", "quantity": "1", "vat_rate": "0.2",
                 "unit_price": {"value": "-5", "currency": "EUR"}}]}, "/items"),
    ({"items": [{"title": "Pain", "quantity": 0.1 + 0.2, "vat_rate": "0.2",
                 "unit_price": {"value": "1", "currency": "EUR"}}]}, "/items/0/quantity"),
    ({"items": [{"title": "Pain", "quantity": "1", "vat_rate": "0.2",
                 "vat_exemption_reason": "N1",
                 "unit_price": {"value": "1", "currency": "EUR"}}]},
     "/items/0/vat_exemption_reason"),
])
def test_bad_invoices_are_refused_before_any_request(qonto, sim, changes, pointer):
    body = invoice_body(qonto, "INV-B-1", **changes)
    with pytest.raises(PayloadError) as excinfo:
        qonto.create_client_invoice(body)
    assert excinfo.value.pointer == pointer
    assert isinstance(excinfo.value, ValueError)
    assert count(sim.url, "POST /v2/client_invoices") == 0


@pytest.mark.parametrize(("fields", "pointer"), [
    ({"tax_identification_number": "12345678"}, "/tax_identification_number"),
    ({"tax_identification_number": "ABCDEFGHIJKLMN"}, "/tax_identification_number"),
    ({"tax_identification_number": "55210055400012"}, "/tax_identification_number"),
    ({"vat_number": "FR45732829320"}, "/vat_number"),
    ({"e_invoicing_address": "552100554_55210055400012"}, "/e_invoicing_address"),
])
def test_bad_french_identifiers_are_refused_before_any_request(qonto, sim, fields, pointer):
    body = {"kind": "company", "name": "ACME", "billing_address": {"country_code": "FR"},
            **fields}
    with pytest.raises(PayloadError) as excinfo:
        qonto.create_client(body)
    assert [p.pointer for p in excinfo.value.problems] == [pointer]
    assert count(sim.url, "POST /v2/clients") == 0


def test_a_foreign_tax_id_is_not_held_to_french_rules(qonto):
    created = qonto.create_client({"kind": "company", "name": "GmbH",
                                   "tax_identification_number": "HRB 12345",
                                   "billing_address": {"country_code": "DE"}})
    assert created.tax_identification_number == "HRB 12345"


def test_unknown_status_in_a_list_is_kept_and_logged_once(qonto, sim, caplog):
    caplog.set_level(logging.WARNING, logger="qonto_einvoicing.models")
    raw = qonto.request("GET", "/v2/client_invoices")  # an empty list page, real shape
    assert raw["client_invoices"] == []
    first = ClientInvoice.model_validate({"id": "a", "status": "archived",
                                          "einvoicing_status": "in_transit"})
    second = ClientInvoice.model_validate({"id": "b", "status": "archived"})
    assert (first.status, first.einvoicing_status, second.status) == (
        "archived", "in_transit", "archived")
    assert caplog.text.count("status='archived'") == 1
