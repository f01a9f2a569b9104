"""Transactions over real HTTP: the buyer's transfer, Qonto's matching, the list as read
by the core and by OCA's importer, and the reference rule the addon matches with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from conftest import SimulatorAPI

from qonto_einvoicing import QontoClient
from qonto_einvoicing.transactions import list_transactions, references_in, transactions_page


def _sent_invoice(sim_api: SimulatorAPI, number: str, **habit: Any) -> dict[str, Any]:
    client = sim_api.create_client()
    sim_api.control("POST", "/scenarios", {"scenario": "paid", "client_id": client["id"]})
    if habit:
        sim_api.control("POST", f"/clients/{client['id']}/payment", habit)
    invoice = sim_api.create_invoice(client["id"], number=number)
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
                        ).status_code == 204
    for _ in range(8):  # 200 … 205, 211, then the buyer's transfer
        sim_api.advance()
    return sim_api.invoice(invoice["id"])


def _codes(invoice: dict[str, Any]) -> list[int]:
    return [e["status_code"] for e in invoice["einvoicing_lifecycle_events"]]


def _account_id(sim_api: SimulatorAPI) -> str:
    return str(sim_api.get("/v2/organization").json()["organization"]["bank_accounts"][0]["id"])


def test_transfer_with_a_recognised_number_is_matched_and_paid(
        sim_api: SimulatorAPI, client: QontoClient) -> None:
    invoice = _sent_invoice(sim_api, "FA-2026-0042", reference="number")
    assert invoice["status"] == "paid"
    assert invoice["amount_paid"]["value"] == "25.20"
    assert _codes(invoice)[-2:] == [211, 212]
    [transaction] = list_transactions(client, bank_account_id=_account_id(sim_api))
    assert (transaction.amount, transaction.side, transaction.reference) == (
        Decimal("25.20"), "credit", "FA-2026-0042")
    assert transaction.signed_amount == Decimal("25.20")
    raw = transactions_page(client, {"iban": sim_api.iban()})["transactions"][0]
    assert invoice["paid_at"] == raw["settled_at"]  # paid on the transfer's instant
    assert invoice["attachment_id"] in transaction.attachment_ids


def test_odoo_number_is_not_one_qonto_recognises(sim_api: SimulatorAPI,
                                                 client: QontoClient) -> None:
    """Qonto's patterns do not include ``INV/2026/00001``: the transfer lands unmatched."""
    invoice = _sent_invoice(sim_api, "INV/2026/00001", reference="number")
    assert (invoice["status"], invoice["amount_paid"]["value"]) == ("unpaid", "0.00")
    assert _codes(invoice)[-1] == 211
    [transaction] = list_transactions(client, iban=sim_api.iban())
    assert transaction.reference == "INV/2026/00001"
    assert transaction.attachment_ids == []


def test_qonto_reference_only_is_matched(sim_api: SimulatorAPI, client: QontoClient) -> None:
    invoice = _sent_invoice(sim_api, "INV/2026/00002")  # Qonto's reference by default
    payment = sim_api.control("GET", f"/invoices/{invoice['id']}/payment")
    assert invoice["status"] == "paid"
    assert _codes(invoice)[-1] == 212
    [transaction] = list_transactions(client, iban=sim_api.iban())
    assert transaction.reference == payment["reference_number"]
    assert payment["linked_transactions"] == [transaction.id]


def test_partial_transfer_is_linked_not_paid(sim_api: SimulatorAPI) -> None:
    invoice = _sent_invoice(sim_api, "FA-2026-0043", reference="number", share=0.5)
    assert (invoice["status"], invoice["amount_paid"]["value"]) == ("unpaid", "12.60")
    assert 212 not in _codes(invoice)
    landed = sim_api.control("POST", "/transactions", {
        "amount": "12.60", "reference": "Solde FA-2026-0043", "label": "Client"})
    assert landed["matched_invoice_id"] == invoice["id"]
    paid = sim_api.invoice(invoice["id"])
    assert (paid["status"], paid["amount_paid"]["value"]) == ("paid", "25.20")
    assert _codes(paid).count(212) == 1


def test_transfer_without_reference_matches_nothing(sim_api: SimulatorAPI) -> None:
    invoice = _sent_invoice(sim_api, "FA-2026-0044", reference="none")
    assert invoice["status"] == "unpaid"
    assert 212 not in _codes(invoice)


def test_reference_naming_two_invoices_matches_neither(sim_api: SimulatorAPI) -> None:
    first = sim_api.create_invoice(number="FA-2026-0050")
    second = sim_api.create_invoice(number="FA-2026-0051")
    landed = sim_api.control("POST", "/transactions", {
        "amount": "50.40", "reference": "FA-2026-0050 FA-2026-0051", "label": "Client"})
    assert landed["matched_invoice_id"] is None
    assert {sim_api.invoice(i["id"])["status"] for i in (first, second)} == {"unpaid"}


def test_mark_as_paid_reports_collection_once(sim_api: SimulatorAPI,
                                              client: QontoClient) -> None:
    invoice = _sent_invoice(sim_api, "INV/2026/00003", reference="none")
    client.mark_client_invoice_as_paid(invoice["id"], dt.date.today())
    again = client.mark_client_invoice_as_paid(invoice["id"], dt.date.today())
    assert again.status == "paid"
    assert [e.status_code for e in again.einvoicing_lifecycle_events].count(212) == 1


def test_paid_before_the_network_took_it_reports_212_after_200(
        sim_api: SimulatorAPI, client: QontoClient) -> None:
    """Marked paid right after the send: the buyer never reads *Encaissée* before
    *Déposée*."""
    buyer = sim_api.create_client()
    invoice = sim_api.create_invoice(buyer["id"], number="INV/2026/00005")
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
                        ).status_code == 204
    marked = client.mark_client_invoice_as_paid(invoice["id"], dt.date.today())
    assert (marked.status, marked.einvoicing_lifecycle_events) == ("paid", [])
    sim_api.advance()
    assert _codes(sim_api.invoice(invoice["id"]))[:2] == [200, 212]


def test_mark_as_paid_without_collection_report(sim_api: SimulatorAPI,
                                                client: QontoClient) -> None:
    """The other reading of Qonto's silence: only a matched transfer reports 212."""
    sim_api.control("POST", "/payments/settings", {"collection_on_mark_as_paid": False})
    invoice = _sent_invoice(sim_api, "INV/2026/00004", reference="none")
    marked = client.mark_client_invoice_as_paid(invoice["id"], dt.date.today())
    assert marked.status == "paid"
    assert 212 not in [e.status_code for e in marked.einvoicing_lifecycle_events]


def test_list_reads_as_oca_reads_it(sim_api: SimulatorAPI, client: QontoClient) -> None:
    """OCA's importer: ``iban`` and ``bank_account_id``, a ``settled_at`` window written
    with a ``Z``, ``current_page`` until ``meta.total_pages``."""
    for index in range(3):
        sim_api.control("POST", "/transactions", {"amount": f"{index + 1}.00",
                                                  "reference": None, "label": "X"})
    today = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    params = {"iban": sim_api.iban(), "bank_account_id": _account_id(sim_api),
              "settled_at_from": (today - dt.timedelta(days=1)).isoformat() + "Z",
              "settled_at_to": (today + dt.timedelta(days=1)).isoformat() + "Z",
              "per_page": 2}
    seen, current, total = [], 1, 1
    while current <= total:
        data = transactions_page(client, {**params, "current_page": current})
        seen += data["transactions"]
        total = data["meta"]["total_pages"]
        current += 1
    assert total == 2
    assert sorted(t["amount"] for t in seen) == [1.0, 2.0, 3.0]
    first = seen[0]
    assert dt.datetime.strptime(first["settled_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert {"transaction_id", "label", "reference", "note", "operation_type",
            "local_currency", "local_amount", "side"} <= set(first)
    past = transactions_page(client, {**params, "settled_at_to": "2020-01-01T00:00:00Z"})
    assert past["transactions"] == []


def test_list_needs_an_account(sim_api: SimulatorAPI) -> None:
    assert sim_api.get("/v2/transactions").status_code == 400
    assert sim_api.get("/v2/transactions", params={"iban": "FR7600000000000000000000000"}
                       ).status_code == 404


@pytest.mark.parametrize(("text", "found"), [
    ("Paiement INV/2026/00001 merci", {"INV/2026/00001"}),
    ("inv 2026 00001", {"INV/2026/00001"}),
    ("VIR INV202600001", {"INV/2026/00001"}),
    ("INV/2026/000012", set()),
    ("INV/2026/00001 et INV/2026/00002", {"INV/2026/00001", "INV/2026/00002"}),
    ("", set()),
])
def test_references_in(text: str, found: set[str]) -> None:
    assert references_in(text, ["INV/2026/00001", "INV/2026/00002"]) == found
