"""Models read what Qonto answers and refuse what Qonto would refuse."""

import datetime as dt
from decimal import Decimal

import pytest

from qonto_einvoicing.models import (
    Client,
    ClientInvoice,
    ClientInvoiceCreatePayload,
    ClientPayload,
    payload_errors,
)

# Trimmed from Qonto's example answer to create a client invoice (seed 003), plus the
# quirks Qonto is known for: "" for an unset date-time, and fields we do not model.
QONTO_ANSWER = {
    "id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
    "organization_id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
    "number": "INV001",
    "status": "unpaid",
    "currency": "EUR",
    "total_amount": {"value": "12.52", "currency": "EUR"},
    "total_amount_cents": 1252,
    "vat_amount": {"value": "0.51", "currency": "EUR"},
    "vat_amount_cents": 51,
    "issue_date": "2022-03-01",
    "due_date": "2022-03-01",
    "created_at": "2022-03-04T17:58:30+02:00",
    "finalized_at": "",
    "paid_at": "",
    "items": [{"title": "Plastic tables", "quantity": "1.5", "vat_rate": "0.1",
               "unit_price": {"value": "10.0", "currency": "EUR"}, "unit_price_cents": 1000}],
    "client": {"id": "33v418bb", "name": "McDonald's", "type": "company"},
    "payment_methods": [{"iban": "FR1420041010050500013M02606", "type": "transfer"}],
    "einvoicing_status": "submitted",
    "einvoicing_lifecycle_events": [
        {"status_code": 200, "timestamp": "2024-12-04T11:05:16.4497Z"},
        {"status_code": 221, "reason": "ROUTAGE", "timestamp": "2024-12-04T11:06:16Z"},
    ],
    "a_field_qonto_adds_tomorrow": {"kept": True},
}


def test_client_invoice_reads_qonto_answer():
    invoice = ClientInvoice.model_validate(QONTO_ANSWER)
    assert invoice.total_amount.value == Decimal("12.52")
    assert isinstance(invoice.total_amount.value, Decimal)
    assert invoice.finalized_at is None and invoice.paid_at is None
    assert invoice.issue_date == dt.date(2022, 3, 1)
    assert invoice.client_id == "33v418bb"
    assert invoice.items[0].quantity == Decimal("1.5")
    # an unknown lifecycle code is kept, not dropped
    assert [e.status_code for e in invoice.einvoicing_lifecycle_events] == [200, 221]
    assert invoice.latest_event.status_code == 221
    assert not invoice.latest_event.stage.known
    # a field Qonto adds later does not break parsing and is kept
    assert invoice.model_extra["a_field_qonto_adds_tomorrow"] == {"kept": True}


def _payload(**changes):
    data = {
        "client_id": "c1", "issue_date": "2026-11-02", "due_date": "2026-12-02",
        "currency": "EUR", "number": "INV/2026/00001",
        "payment_methods": {"iban": "FR7616958000013234567890123"},
        "items": [{"title": "Consulting", "quantity": "2", "vat_rate": "0.2",
                   "unit_price": {"value": "100.00", "currency": "EUR"}}],
    }
    data.update(changes)
    return data


def test_payload_serialises_decimals_as_strings():
    body = ClientInvoiceCreatePayload.model_validate(_payload()).to_json()
    assert body["items"][0]["unit_price"]["value"] == "100.00"
    assert body["items"][0]["vat_rate"] == "0.2"
    assert "performance_start_date" not in body


@pytest.mark.parametrize(("changes", "pointer", "code"), [
    ({"number": "N" * 41}, "/number", "invalid"),
    ({"currency": "USD"}, "/currency", "invalid"),
    ({"client_id": None}, "/client_id", "invalid"),
    ({"items": []}, "/items", "invalid"),
    ({"items": [{"title": "t" * 41, "quantity": "1", "vat_rate": "0.2",
                 "unit_price": {"value": "1", "currency": "EUR"}}]}, "/items/0/title", "invalid"),
    ({"items": [{"title": "t", "quantity": "1",
                 "unit_price": {"value": "1", "currency": "EUR"}}]}, "/items/0/vat_rate",
     "missing_field"),
    ({"terms_and_conditions": "x" * 526}, "/terms_and_conditions", "invalid"),
])
def test_payload_errors_point_at_the_field(changes, pointer, code):
    errors = payload_errors(ClientInvoiceCreatePayload, _payload(**changes))
    assert [(e.pointer, e.code) for e in errors] == [(pointer, code)]
    assert errors[0].detail


def test_missing_required_field():
    data = _payload()
    del data["due_date"]
    errors = payload_errors(ClientInvoiceCreatePayload, data)
    assert [(e.pointer, e.code) for e in errors] == [("/due_date", "missing_field")]


def test_performance_period_rules():
    assert payload_errors(ClientInvoiceCreatePayload,
                          _payload(performance_end_date="2026-11-30"))
    assert payload_errors(ClientInvoiceCreatePayload,
                          _payload(performance_start_date="2026-12-01",
                                   performance_end_date="2026-11-30"))
    assert not payload_errors(ClientInvoiceCreatePayload,
                              _payload(performance_start_date="2026-11-01",
                                       performance_end_date="2026-11-30"))


def test_client_payload_names_by_kind():
    assert payload_errors(ClientPayload, {"kind": "company"})
    assert payload_errors(ClientPayload, {"kind": "individual", "first_name": "Jo"})
    assert not payload_errors(ClientPayload, {"kind": "company", "name": "ACME"})
    assert payload_errors(ClientPayload, {"kind": "company", "name": "A", "vat_number": "F" * 21})


def test_client_reads_reachability():
    client = Client.model_validate({"id": "c", "kind": "company", "name": "ACME",
                                    "e_invoicing_reachable": True, "updated_at": ""})
    assert client.e_invoicing_reachable is True and client.updated_at is None
