"""Where two public Qonto clients and Qonto's pages agree, the simulator answers as they do.

Each test names the Qonto page it follows. The clients are ``qodev-qonto-api`` 0.1.0
(PyPI; run for real in ``test_public_client_qodev.py``) and a TypeScript command-line
client whose response schemas were checked against the live API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from conftest import SimulatorAPI

FLAT_ADDRESS = {"address": "8 rue des Lilas", "city": "Lyon", "zip_code": "69003",
                "country_code": "FR"}


def test_client_flat_address_fields_on_create_and_update(sim_api: SimulatorAPI) -> None:
    """https://docs.qonto.com/api-reference/business-api/clients/create-a-client: the
    body lists ``address``, ``city``, ``zip_code``, ``province_code``, ``country_code``
    (and *Update a client* takes the same fields)."""
    client = sim_api.create_client(**FLAT_ADDRESS)
    assert {key: client[key] for key in FLAT_ADDRESS} == FLAT_ADDRESS
    moved = sim_api.patch(f"/v2/clients/{client['id']}",
                          json={"address": "1 quai Saint-Antoine", "zip_code": "69002"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["client"]["address"], moved.json()["client"]["city"]) == (
        "1 quai Saint-Antoine", "Lyon")
    assert sim_api.get(f"/v2/clients/{client['id']}").json()["client"]["zip_code"] == "69002"
    too_long = sim_api.patch(f"/v2/clients/{client['id']}", json={"country_code": "FRA"})
    assert too_long.json()["errors"][0]["source"]["pointer"] == "/country_code"


def test_a_billing_address_alone_still_fills_the_flat_fields(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client(billing_address={
        "street_address": "3 place Bellecour", "city": "Lyon", "zip_code": "69002",
        "country_code": "FR"})
    assert (client["address"], client["city"]) == ("3 place Bellecour", "Lyon")


def test_webhook_subscription_get_and_update_by_id(sim_api: SimulatorAPI) -> None:
    """*Get a webhook subscription* and
    https://docs.qonto.com/api-reference/business-api/webhooks/update-a-webhook-subscription
    (``GET`` and ``PUT /v2/webhook_subscriptions/{id}``)."""
    created = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": "https://odoo.example/qonto/webhook", "types": ["v1/clients"],
        "description": "Odoo"}).json()
    path = f"/v2/webhook_subscriptions/{created['id']}"
    got = sim_api.get(path)
    assert got.status_code == 200, got.text
    assert {k: got.json()[k] for k in ("id", "callback_url", "types", "description")} == {
        k: created[k] for k in ("id", "callback_url", "types", "description")}
    assert "secret" not in got.json()

    updated = sim_api.call("PUT", path, json={"types": ["v1/clients", "v1/client-invoices"],
                                              "description": "Odoo (both)"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["types"] == ["v1/clients", "v1/client-invoices"]
    assert sim_api.get(path).json()["description"] == "Odoo (both)"
    assert sim_api.get(path).json()["callback_url"] == created["callback_url"]

    refused = sim_api.call("PUT", path, json={"callback_url": "http://127.0.0.1/hook"})
    assert refused.json()["errors"][0]["source"]["pointer"] == "/callback_url"
    assert sim_api.get(path).json()["callback_url"] == created["callback_url"]
    assert sim_api.get("/v2/webhook_subscriptions/nope").status_code == 404


def test_bank_accounts_show_their_balances(sim_api: SimulatorAPI) -> None:
    """https://docs.qonto.com/api-reference/business-api/organization-accounts/organizations/retrieve-the-authenticated-organization-and-list-bank-accounts:
    ``balance``, ``balance_cents``, ``authorized_balance``, ``authorized_balance_cents``
    on each bank account, for owners and admins (an API key is the owner's)."""
    accounts = sim_api.get("/v2/organization").json()["organization"]["bank_accounts"]
    for account in accounts:
        assert isinstance(account["balance_cents"], int)
        assert isinstance(account["authorized_balance_cents"], int)
        assert round(account["balance"] * 100) == account["balance_cents"]
        assert round(account["authorized_balance"] * 100) == \
            account["authorized_balance_cents"]
    assert accounts[0]["balance_cents"] > 0


def _credit(sim_api: SimulatorAPI, **extra: Any) -> dict[str, Any]:
    invoice = sim_api.create_invoice()
    answer = sim_api.post("/v2/credit_notes", json={
        "invoice_id": invoice["id"], "issue_date": "2026-01-20", "currency": "EUR",
        "items": [{"title": "Widget", "quantity": "1", "vat_rate": "0.2",
                   "unit_price": {"value": "10.50", "currency": "EUR"}}], **extra})
    assert answer.status_code == 201, answer.text
    note: dict[str, Any] = answer.json()["credit_note"]
    return note


def test_credit_note_has_the_fields_of_qontos_example(sim_api: SimulatorAPI) -> None:
    """https://docs.qonto.com/api-reference/business-api/invoicing/credit-notes/retrieve-a-credit-note:
    the example has ``attachment_id``, ``terms_and_conditions``, ``stamp_duty_amount``
    and ``contact_email``."""
    note = _credit(sim_api, terms_and_conditions="Avoir à déduire.",
                   contact_email="compta@demo.example")
    got = sim_api.get(f"/v2/credit_notes/{note['id']}").json()["credit_note"]
    assert (got["terms_and_conditions"], got["contact_email"], got["stamp_duty_amount"]) == (
        "Avoir à déduire.", "compta@demo.example", "0.00")
    attachment = sim_api.get(f"/v2/attachments/{got['attachment_id']}").json()["attachment"]
    assert requests.get(attachment["url"], timeout=5).content.startswith(b"%PDF-")

    plain = _credit(sim_api)
    assert plain["terms_and_conditions"] == "" and "@" in plain["contact_email"]


def test_supplier_invoices_have_a_source(sim_api: SimulatorAPI) -> None:
    """https://docs.qonto.com/api-reference/business-api/expense-management/supplier-invoices/list-supplier-invoices:
    the live-checked schema of a public client requires ``source``, a string."""
    listed = sim_api.get("/v2/supplier_invoices").json()["supplier_invoices"]
    assert listed and all(isinstance(i["source"], str) and i["source"] for i in listed)
    one = sim_api.get(f"/v2/supplier_invoices/{listed[0]['id']}").json()["supplier_invoice"]
    assert one["source"] == listed[0]["source"]


def test_client_invoice_upload_can_be_retrieved(sim_api: SimulatorAPI) -> None:
    """https://docs.qonto.com/api-reference/business-api/invoicing/client-invoices/retrieve-a-client-invoice-upload
    (``GET /v2/client_invoices/uploads/{id}``); ``/v2/client_invoices/{id}/uploads`` is
    on no Qonto page."""
    document = b"%PDF-1.4\n% made elsewhere\n%%EOF\n"
    created = sim_api.post("/v2/client_invoices/uploads", files={
        "client_invoices_upload": ("INV-7.pdf", document, "application/pdf")}).json()[
        "client_invoice_upload"]
    answer = sim_api.get(f"/v2/client_invoices/uploads/{created['id']}")
    assert answer.status_code == 200, answer.text
    upload = answer.json()["client_invoice_upload"]
    assert (upload["id"], upload["filename"], upload["file_size"]) == (
        created["id"], "INV-7.pdf", len(document))
    assert upload["organization_id"] and upload["updated_at"]
    assert requests.get(upload["url"], timeout=5).content == document
    assert sim_api.get("/v2/client_invoices/uploads/nope").status_code == 404


def test_undocumented_actions_answer_the_invoice_by_default(sim_api: SimulatorAPI) -> None:
    """``finalize``, ``unmark_as_paid``, ``mark_as_canceled``: Qonto's pages
    (https://docs.qonto.com/guides/invoicing/e-invoicing.md and the client-invoice
    reference) show no body; both public clients parse ``{"client_invoice"}``."""
    draft = sim_api.create_invoice(status="draft")
    finalized = sim_api.post(f"/v2/client_invoices/{draft['id']}/finalize")
    assert finalized.status_code == 200
    assert finalized.json()["client_invoice"]["status"] == "unpaid"
    sim_api.post(f"/v2/client_invoices/{draft['id']}/mark_as_paid")
    unpaid = sim_api.post(f"/v2/client_invoices/{draft['id']}/unmark_as_paid")
    assert unpaid.json()["client_invoice"]["status"] == "unpaid"
    canceled = sim_api.post(f"/v2/client_invoices/{draft['id']}/mark_as_canceled")
    assert canceled.json()["client_invoice"]["status"] == "canceled"


def test_a_wrapped_invoice_body_stays_refused(sim_api: SimulatorAPI) -> None:
    """Qonto's *Create a client invoice* body is flat (seed 002): a public client's
    ``{"client_invoice": ...}`` wrapper is an unknown field."""
    body = sim_api.invoice_body(sim_api.create_client()["id"])
    answer = sim_api.post("/v2/client_invoices", json={"client_invoice": body})
    assert answer.status_code == 422
