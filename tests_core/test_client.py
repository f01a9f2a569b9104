"""The client against the simulator, over real HTTP: every endpoint and error class."""

import datetime as dt
import logging
from decimal import Decimal

import pytest
import requests

from qonto_einvoicing import (
    ApiKey,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    OAuthToken,
    OAuthTokenAuth,
    PreconditionFailedError,
    QontoClient,
    ValidationError,
)
from qonto_einvoicing.models import (
    ClientInvoiceCreatePayload,
    ClientPayload,
    CreditNoteCreatePayload,
)

REACHABLE_SIREN = "552100554"   # registered in the simulator's Annuaire
UNREACHABLE_SIREN = "912345675"  # a valid SIREN that no Annuaire knows
SIRETS = {REACHABLE_SIREN: "55210055400013", UNREACHABLE_SIREN: "91234567500017"}


def control(sim_url, http_method, url_path, **json):
    response = requests.request(http_method, f"{sim_url}/_simulator{url_path}", json=json or None,
                                timeout=10)
    response.raise_for_status()
    return response.json() if response.content else None


def make_client(client, siren=REACHABLE_SIREN, name="Boulangerie Martin"):
    return client.create_client(ClientPayload(
        kind="company", name=name, email=f"compta@{siren}.example",
        tax_identification_number=SIRETS[siren], vat_number=None,
        # Reachable means registered in the Annuaire; an unregistered address is refused.
        e_invoicing_address=siren if siren == REACHABLE_SIREN else None,
        billing_address={"street_address": "1 rue de la Paix", "city": "Paris",
                         "zip_code": "75002", "country_code": "FR"}))


def invoice_payload(client_id, iban, number="INV-2026-0001", status="draft", **extra):
    return ClientInvoiceCreatePayload.model_validate({
        "client_id": client_id, "issue_date": dt.date.today().isoformat(),
        "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "currency": "EUR", "number": number, "status": status,
        "payment_methods": {"iban": iban},
        "items": [
            {"title": "Pain de campagne", "quantity": "3", "vat_rate": "0.055",
             "unit_price": {"value": "4.35", "currency": "EUR"}},
            {"title": "Conseil", "quantity": "1.5", "vat_rate": "0.2",
             "unit_price": {"value": "80.00", "currency": "EUR"}},
        ],
        **extra,
    })


@pytest.fixture
def iban(client):
    return client.get_organization().bank_accounts[0].iban


def request_count(sim_url, key):
    return control(sim_url, "GET", "/requests")["counts"].get(key, 0)


# ----------------------------------------------------------------- endpoints


def test_organization_and_settings(client):
    org = client.get_organization()
    assert org.legal_name and len(org.bank_accounts) >= 2
    assert all(account.iban.startswith("FR") for account in org.bank_accounts)
    settings = client.get_einvoicing_settings()
    assert settings.can_send


def test_find_or_create_client_never_duplicates(client):
    assert client.find_client(siret=SIRETS[REACHABLE_SIREN]) is None
    created = make_client(client)
    assert created.e_invoicing_reachable is True
    again = client.find_client(siret=SIRETS[REACHABLE_SIREN], email="x@y.z")
    assert again.id == created.id
    by_email = client.find_client(email=f"COMPTA@{REACHABLE_SIREN}.example")
    assert by_email.id == created.id
    assert client.get_client(created.id).name == "Boulangerie Martin"
    updated = client.update_client(created.id, {"name": "Boulangerie Martin SAS"})
    assert updated.name == "Boulangerie Martin SAS"
    assert not make_client(client, UNREACHABLE_SIREN, "Unreachable SA").e_invoicing_reachable


def test_invoice_flow_draft_finalize_send_pay(client, iban, simulator):
    qclient = make_client(client)
    draft = client.create_client_invoice(invoice_payload(qclient.id, iban))
    assert draft.status == "draft" and draft.number == "INV-2026-0001"
    # 3 x 4.35 = 13.05 (VAT 0.72) + 1.5 x 80 = 120.00 (VAT 24.00)
    assert draft.total_amount.value == Decimal("157.77")
    assert draft.vat_amount.value == Decimal("24.72")
    assert draft.total_amount_cents == 15777
    assert client.finalize_client_invoice(draft.id) is None  # no documented body
    final = client.get_client_invoice(draft.id)
    assert final.status == "unpaid" and final.finalized_at is not None
    client.send_client_invoice_by_einvoice(draft.id)
    client.send_client_invoice_by_einvoice(draft.id)  # a no-op, as Qonto says
    control(simulator.url, "POST", "/clock/advance", seconds=60)
    sent = client.get_client_invoice(draft.id)
    codes = [e.status_code for e in sent.einvoicing_lifecycle_events]
    assert codes[:3] == [200, 201, 202]
    assert codes.count(200) == 1
    paid = client.mark_client_invoice_as_paid(draft.id, dt.date.today())
    assert paid.status == "paid" and paid.paid_at is not None
    assert client.unmark_client_invoice_as_paid(draft.id) is None
    assert client.get_client_invoice(draft.id).status == "unpaid"


def test_list_updated_invoices_follows_every_page(client, iban):
    qclient = make_client(client)
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    numbers = {f"INV-P-{i:03d}" for i in range(130)}
    for number in sorted(numbers):
        client.create_client_invoice(invoice_payload(qclient.id, iban, number, status="unpaid"))
    listed = list(client.list_client_invoices(updated_at_from=before, status=["unpaid"]))
    assert {i.number for i in listed} == numbers
    assert len(listed) == 130
    found = client.find_client_invoice_by_number("INV-P-007")
    assert found is not None and found.number == "INV-P-007"


def test_cancel_delete_email_upload_attachment(client, iban, simulator):
    qclient = make_client(client, UNREACHABLE_SIREN, "Unreachable SA")
    draft = client.create_client_invoice(invoice_payload(qclient.id, iban, "INV-D-1"))
    client.delete_client_invoice(draft.id)
    with pytest.raises(NotFoundError):
        client.get_client_invoice(draft.id)
    issued = client.create_client_invoice(invoice_payload(qclient.id, iban, "INV-D-2",
                                                          status="unpaid"))
    client.send_client_invoice_by_email(issued.id, send_to=["compta@example.com"],
                                        email_title="Facture INV-D-2")
    assert client.cancel_client_invoice(issued.id) is None
    assert client.get_client_invoice(issued.id).status == "canceled"
    upload = client.upload_client_invoice_file("facture.pdf", b"%PDF-1.4\n%%EOF\n")
    assert upload.id and upload.filename == "facture.pdf"
    finalized = client.create_client_invoice(invoice_payload(qclient.id, iban, "INV-D-3",
                                                             status="unpaid"))
    control(simulator.url, "POST", "/clock/advance", seconds=60)
    attachment_id = client.get_client_invoice(finalized.id).attachment_id
    assert attachment_id
    assert client.download_attachment(attachment_id).startswith(b"%PDF")


def test_credit_note(client, iban):
    qclient = make_client(client)
    invoice = client.create_client_invoice(invoice_payload(qclient.id, iban, "INV-C-1",
                                                           status="unpaid"))
    note = client.create_credit_note(CreditNoteCreatePayload.model_validate({
        "invoice_id": invoice.id, "issue_date": dt.date.today().isoformat(),
        "reason": "Geste commercial", "currency": "EUR", "number": "AV-1",
        "items": [{"title": "Remise", "quantity": "1", "vat_rate": "0.2",
                   "unit_price": {"value": "10.00", "currency": "EUR"}}]}))
    assert client.get_credit_note(note.id).invoice_id == invoice.id
    assert [n.id for n in client.list_credit_notes()] == [note.id]


# ----------------------------------------------------------------- error classes


def test_wrong_key_is_an_authentication_error_and_never_retried(simulator):
    control(simulator.url, "DELETE", "/requests")
    with QontoClient(simulator.url, ApiKey("demo-org", "wrong-secret"),
                     sleep=lambda _s: None) as bad, pytest.raises(AuthenticationError) as excinfo:
        bad.get_organization()
    assert excinfo.value.status == 401 and excinfo.value.code == "unauthorized"
    assert "wrong-secret" not in str(excinfo.value)
    assert request_count(simulator.url, "GET /v2/organization") == 1


def test_conflict_validation_precondition_not_found(client, iban):
    reachable = make_client(client)
    client.create_client_invoice(invoice_payload(reachable.id, iban, "INV-E-1"))
    with pytest.raises(ConflictError) as conflict:
        client.create_client_invoice(invoice_payload(reachable.id, iban, "INV-E-1"))
    assert conflict.value.code == "invoice_number_already_exists"
    assert conflict.value.field == "number"
    adopted = client.create_client_invoice(invoice_payload(reachable.id, iban, "INV-E-1"),
                                           adopt_existing=True)
    assert adopted.number == "INV-E-1"

    with pytest.raises(ValidationError) as invalid:
        client.create_client_invoice(invoice_payload(reachable.id, "FR7600000000000000000000000",
                                                      "INV-E-2"))
    assert invalid.value.status == 422 and invalid.value.field == "payment_methods.iban"

    unreachable = make_client(client, UNREACHABLE_SIREN, "Unreachable SA")
    issued = client.create_client_invoice(invoice_payload(unreachable.id, iban, "INV-E-3",
                                                          status="unpaid"))
    with pytest.raises(PreconditionFailedError) as precondition:
        client.send_client_invoice_by_einvoice(issued.id)
    assert precondition.value.code == "recipient_not_reachable_on_einvoicing"

    with pytest.raises(ValidationError) as future:
        client.mark_client_invoice_as_paid(issued.id, dt.date.today() + dt.timedelta(days=2))
    assert future.value.field == "paid_at"

    with pytest.raises(NotFoundError):
        client.get_client_invoice("00000000-0000-0000-0000-000000000000")


# ----------------------------------------------------------------- faults


def test_429_burst_then_success(client, simulator):
    control(simulator.url, "POST", "/faults", method="GET", path="/v2/organization",
            fault="429", count=3)
    assert client.get_organization().legal_name
    assert request_count(simulator.url, "GET /v2/organization") == 4


def test_500_twice_then_success_on_an_idempotent_call(client, iban, simulator):
    issued = client.create_client_invoice(invoice_payload(make_client(client).id, iban,
                                                          "INV-F-1", status="unpaid"))
    control(simulator.url, "POST", "/faults", method="POST",
            path="/v2/client_invoices/{id}/send_by_einvoice", fault="500", count=2)
    client.send_client_invoice_by_einvoice(issued.id)
    control(simulator.url, "POST", "/clock/advance", seconds=30)
    events = client.get_client_invoice(issued.id).einvoicing_lifecycle_events
    assert [e.status_code for e in events].count(200) == 1


def test_a_create_is_never_retried_on_500(client, iban, simulator):
    qclient = make_client(client)
    control(simulator.url, "POST", "/faults", method="POST", path="/v2/client_invoices",
            fault="500", count=1)
    with pytest.raises(Exception) as excinfo:
        client.create_client_invoice(invoice_payload(qclient.id, iban, "INV-F-2"))
    assert getattr(excinfo.value, "status", None) == 500
    assert request_count(simulator.url, "POST /v2/client_invoices") == 1


def test_timeout_on_a_read_is_retried(client, simulator):
    control(simulator.url, "POST", "/faults", method="GET", path="/v2/organization",
            fault="slow", delay=3, count=1)
    assert client.get_organization().legal_name


def test_dropped_connection_on_a_read_is_retried(client, simulator):
    control(simulator.url, "POST", "/faults", method="GET", path="/v2/einvoicing/settings",
            fault="drop", count=2)
    assert client.get_einvoicing_settings().can_send


def test_lost_create_answer_is_resolved_without_a_duplicate(client, iban, simulator):
    qclient = make_client(client)
    control(simulator.url, "POST", "/faults", method="POST", path="/v2/client_invoices",
            fault="lost_answer", count=1)
    invoice = client.create_client_invoice(invoice_payload(qclient.id, iban, "INV-L-1"))
    assert invoice.number == "INV-L-1"
    same_number = [i for i in client.list_client_invoices() if i.number == "INV-L-1"]
    assert [i.id for i in same_number] == [invoice.id]


# ----------------------------------------------------------------- secrets


def test_secrets_never_reach_logs_repr_or_errors(simulator, caplog):
    secret = "s3cr3t-never-shown"
    control(simulator.url, "POST", "/faults", method="GET", path="/v2/organization",
            fault="500", count=10)
    caplog.set_level(logging.DEBUG)
    qonto = QontoClient(simulator.url, ApiKey("demo-org", secret), staging_token="stg-token-x",
                        sleep=lambda _s: None)
    with pytest.raises(Exception) as excinfo:
        qonto.get_organization()
    text = " ".join([repr(qonto), str(excinfo.value), repr(excinfo.value), caplog.text])
    assert secret not in text and "stg-token-x" not in text
    assert "demo-org" in repr(qonto)


# ----------------------------------------------------------------- OAuth


def test_oauth_token_refreshed_before_expiry_and_stored(simulator):
    control(simulator.url, "POST", "/tokens", token="fresh-access", api_key_login="demo-org")
    stored = []

    def refresh(refresh_token):
        assert refresh_token == "refresh-1"
        return OAuthToken("fresh-access", "refresh-2",
                          dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))

    expiring = OAuthToken("stale-access", "refresh-1",
                          dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30))
    auth = OAuthTokenAuth(expiring, refresh=refresh, on_refresh=stored.append)
    with QontoClient(simulator.url, auth, sleep=lambda _s: None) as qonto:
        assert qonto.get_organization().legal_name
        assert qonto.get_einvoicing_settings().can_send
    # Refreshed once, before Qonto ever saw the stale token, and the new refresh token kept.
    assert [token.refresh_token for token in stored] == ["refresh-2"]
    assert "fresh-access" not in repr(auth) and "refresh-2" not in repr(auth)


def test_unknown_bearer_token_is_an_authentication_error(simulator):
    auth = OAuthTokenAuth(OAuthToken("never-issued"))
    with QontoClient(simulator.url, auth, sleep=lambda _s: None) as qonto, \
            pytest.raises(AuthenticationError) as excinfo:
        qonto.get_organization()
    assert "never-issued" not in str(excinfo.value)
