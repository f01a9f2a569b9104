"""Supplier e-invoices: the buyer's answers through the client, against the simulator."""

import datetime as dt

import pytest
import requests

from qonto_einvoicing import ValidationError
from qonto_einvoicing.receiving import REFUSAL_CODES, REFUSAL_REASONS


@pytest.fixture
def received(client):
    return next(iter(client.list_supplier_invoices()))


def test_refusal_reasons_are_unique_codes():
    assert len(REFUSAL_CODES) == len(REFUSAL_REASONS) == 13
    assert "DOUBLON" in REFUSAL_CODES  # the code of Qonto's own example


def test_reject_appends_refusal_event_and_a_second_reject_is_400(client, received):
    answer = client.reject_supplier_invoice(received.id, reason_code="DOUBLON",
                                            note="Déjà reçue")
    assert answer.status == "rejected"
    refusal = answer.einvoicing_lifecycle_events[-1]
    assert (refusal.status_code, refusal.reason, refusal.reason_message) == (
        210, "DOUBLON", "Déjà reçue")
    assert client.get_supplier_invoice(received.id).status == "rejected"
    with pytest.raises(ValidationError) as second:
        client.reject_supplier_invoice(received.id, reason_code="DOUBLON")
    assert second.value.status == 400


def test_reject_without_or_with_unknown_code_is_422(client, received, simulator):
    url = f"{simulator.url}/v2/supplier_invoices/{received.id}/reject"
    headers = {"Authorization": "demo-org:demo-secret"}
    answer = requests.post(url, json={"supplier_invoice": {"declined_note": "non"}},
                           headers=headers, timeout=5)
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["source"]["pointer"] == "/supplier_invoice/declined_reason_code"
    with pytest.raises(ValidationError) as unknown:
        client.reject_supplier_invoice(received.id, reason_code="NOPE")
    assert unknown.value.status == 422
    assert client.get_supplier_invoice(received.id).status == "to_review"


def test_mark_and_unmark_as_paid(client, received):
    today = dt.datetime.now(dt.timezone.utc).date()
    paid = client.mark_supplier_invoice_as_paid(received.id, today)
    assert (paid.status, paid.payment_date) == ("paid", today)
    with pytest.raises(ValidationError):
        client.mark_supplier_invoice_as_paid(received.id, today + dt.timedelta(days=2))
    back = client.unmark_supplier_invoice_as_paid(received.id)
    assert (back.status, back.payment_date) == ("to_pay", None)
    with pytest.raises(ValidationError) as again:
        client.unmark_supplier_invoice_as_paid(received.id)
    assert again.value.status == 400


def test_supplier_routes_need_their_scopes(simulator):
    from qonto_einvoicing.simulator.api_oauth import required_scope  # noqa: PLC0415

    assert required_scope("GET", "/v2/supplier_invoices") == "supplier_invoice.read"
    assert required_scope("POST", "/v2/supplier_invoices/{id}/reject") == \
        "supplier_invoice.write"
