"""The simulator's Qonto endpoints, over real HTTP: happy paths and error answers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests

from qonto_einvoicing.simulator.identifiers import iban_is_valid

if TYPE_CHECKING:
    from conftest import SimulatorAPI


# ---------------------------------------------------------------- authentication


def test_401_without_or_with_a_wrong_key(sim_url: str) -> None:
    for headers in ({}, {"Authorization": "demo-org:wrong"},
                    {"Authorization": "Basic ZGVtbw=="}, {"Authorization": "Bearer nope"}):
        answer = requests.get(f"{sim_url}/v2/organization", headers=headers, timeout=5)
        assert answer.status_code == 401
        [error] = answer.json()["errors"]
        assert error["status"] == "401"
        assert error["code"] == "unauthorized"
        assert error["detail"]


def test_bearer_token_registered_by_control(sim_api: SimulatorAPI) -> None:
    sim_api.control("POST", "/tokens", {"token": "tok-123", "api_key_login": "demo-org"})
    answer = requests.get(f"{sim_api.url}/v2/organization",
                          headers={"Authorization": "Bearer tok-123"}, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["organization"]["slug"] == "demo-org"


# ---------------------------------------------------------------- organization


def test_organization_has_two_active_eur_accounts_with_valid_ibans(sim_api: SimulatorAPI) -> None:
    org = sim_api.get("/v2/organization").json()["organization"]
    assert org["legal_country"] == "FR"
    assert len(org["legal_number"]) == 9
    accounts = org["bank_accounts"]
    assert len(accounts) >= 2
    assert [a["main"] for a in accounts].count(True) == 1
    for account in accounts:
        assert account["iban"].startswith("FR76") and len(account["iban"]) == 27
        assert iban_is_valid(account["iban"])
        assert (account["currency"], account["status"]) == ("EUR", "active")
        assert account["bic"] and account["id"] and account["name"] and account["slug"]


def test_einvoicing_settings_follow_the_control_switch(sim_api: SimulatorAPI) -> None:
    assert sim_api.get("/v2/einvoicing/settings").json() == {
        "sending_status": "enabled", "receiving_status": "enabled"}
    sim_api.control("POST", "/einvoicing/sending", {"api_key_login": "demo-org",
                                                     "enabled": False})
    assert sim_api.get("/v2/einvoicing/settings").json()["sending_status"] == "disabled"
    sim_api.control("POST", "/einvoicing/receiving", {"api_key_login": "demo-org",
                                                       "status": "pending_creation"})
    assert sim_api.get("/v2/einvoicing/settings").json()["receiving_status"] == \
        "pending_creation"


def test_organizations_are_separated(sim_api: SimulatorAPI,
                                     make_sim_api: Callable[..., SimulatorAPI]) -> None:
    client = sim_api.create_client()
    created = sim_api.control("POST", "/organizations", {
        "api_key": "other:other-secret", "legal_name": "Other SARL", "siren": "552100554"})
    assert created["api_key_login"] == "other"
    other = make_sim_api(sim_api.url, "other:other-secret")
    org = other.get("/v2/organization").json()["organization"]
    assert (org["legal_name"], org["legal_number"]) == ("Other SARL", "552100554")
    assert not {a["iban"] for a in org["bank_accounts"]} & {sim_api.iban(0), sim_api.iban(1)}
    assert other.get(f"/v2/clients/{client['id']}").status_code == 404
    assert other.get("/v2/clients").json()["clients"] == []
    # Its own invoices may reuse a number of the first organization.
    sim_api.create_invoice(client["id"], number="SAME-1")
    own = other.create_client()
    assert other.post("/v2/client_invoices", json=other.invoice_body(
        own["id"], number="SAME-1")).status_code == 201
    # The first organization's client is unknown to the second one.
    answer = other.post("/v2/client_invoices", json=other.invoice_body(client["id"]))
    assert answer.json()["errors"][0]["code"] == "invalid_client_id"


# ---------------------------------------------------------------- clients


def test_client_create_retrieve_update_delete(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client(billing_address={"street_address": "1 rue A",
                                                    "city": "Lyon", "zip_code": "69001",
                                                    "country_code": "FR"})
    assert client["kind"] == client["type"] == "company"
    assert client["e_invoicing_reachable"] is True
    assert client["created_at"] == client["updated_at"]
    assert client["city"] == "Lyon"
    assert sim_api.get(f"/v2/clients/{client['id']}").json()["client"] == client

    answer = sim_api.patch(f"/v2/clients/{client['id']}",
                           json={"email": "new@acme.example", "vat_number": None})
    assert answer.status_code == 200
    updated = answer.json()["client"]
    assert updated["email"] == "new@acme.example"
    assert updated["name"] == "ACME SAS"
    assert updated["updated_at"] >= client["updated_at"]

    assert sim_api.delete(f"/v2/clients/{client['id']}").status_code == 204
    assert sim_api.get(f"/v2/clients/{client['id']}").status_code == 404


def test_person_client_and_422_pointers(sim_api: SimulatorAPI) -> None:
    person = sim_api.create_client(kind="individual", name=None, first_name="Jane",
                                   last_name="Doe")
    assert (person["type"], person["first_name"], person["name"]) == ("individual", "Jane", None)

    for body, pointer in (({"kind": "company", "name": "A", "vat_number": "X" * 21},
                           "/vat_number"),
                          ({"kind": "company"}, "/name"),
                          ({"kind": "robot", "name": "R2"}, "/kind"),
                          ({"kind": "individual", "first_name": "Jane"}, "/last_name"),
                          ({"kind": "freelancer", "last_name": "Doe"}, "/first_name")):
        answer = sim_api.post("/v2/clients", json=body)
        assert answer.status_code == 422
        [error] = answer.json()["errors"]
        assert error["source"]["pointer"] == pointer
        assert error["status"] == "422" and error["detail"]


def test_clients_have_no_uniqueness_rule(sim_api: SimulatorAPI) -> None:
    first, second = sim_api.create_client(), sim_api.create_client()
    assert first["id"] != second["id"]
    found = sim_api.get("/v2/clients", params={
        "filter[tax_identification_number]": "55210055400013"}).json()["clients"]
    assert len(found) == 2


def test_client_filters(sim_api: SimulatorAPI) -> None:
    acme = sim_api.create_client(vat_number="FR96552100554")
    other = sim_api.create_client(name="Boulangerie Martin", email="Contact@Martin.example",
                                  tax_identification_number="73282932000074")

    def ids(**params: str) -> set[str]:
        answer = sim_api.get("/v2/clients", params=params)
        assert answer.status_code == 200, answer.text
        return {c["id"] for c in answer.json()["clients"]}

    assert ids(**{"filter[vat_number]": "fr96552100554"}) == {acme["id"]}
    assert ids(**{"filter[email]": "contact@martin.EXAMPLE"}) == {other["id"]}
    assert ids(**{"filter[email]": "contact@martin"}) == set()
    assert ids(**{"filter[name]": "boulang"}) == {other["id"]}
    assert ids(**{"filter[tax_identification_number]": "73282932000074"}) == {other["id"]}
    assert ids(**{"filter[updated_at_from]": other["updated_at"]}) == {other["id"]}
    assert ids(**{"filter[updated_at_to]": acme["updated_at"]}) == {acme["id"]}
    short = sim_api.get("/v2/clients", params={"filter[name]": "b"})
    assert short.status_code == 400
    assert short.json()["errors"][0]["source"] == {"parameter": "filter[name]"}
    by_name = sim_api.get("/v2/clients", params={"sort_by": "name:asc"}).json()["clients"]
    assert [c["id"] for c in by_name] == [acme["id"], other["id"]]


def test_client_pagination_meta(sim_api: SimulatorAPI) -> None:
    for index in range(5):
        sim_api.create_client(name=f"Client {index}")
    page = sim_api.get("/v2/clients", params={"per_page": 2, "page": 2}).json()
    assert len(page["clients"]) == 2
    assert page["meta"] == {"current_page": 2, "next_page": 3, "prev_page": 1,
                            "total_pages": 3, "total_count": 5, "per_page": 2}
    last = sim_api.get("/v2/clients", params={"per_page": 2, "page": 3}).json()["meta"]
    assert (last["next_page"], len(sim_api.get("/v2/clients").json()["clients"])) == (None, 5)
    assert sim_api.get("/v2/clients", params={"per_page": 101}).status_code == 400


# ---------------------------------------------------------------- client invoices


def test_invoice_totals_are_computed_per_line(sim_api: SimulatorAPI) -> None:
    items = [
        {"title": "Consulting", "quantity": "1.5", "unit": "hour",
         "unit_price": {"value": "10.10", "currency": "EUR"}, "vat_rate": "0.2",
         "discount": {"type": "percentage", "value": "0.1"}},
        {"title": "Book", "quantity": "3", "unit_price": {"value": "0.335", "currency": "EUR"},
         "vat_rate": "0.055"},
    ]
    invoice = sim_api.create_invoice(items=items)
    first, second = invoice["items"]
    # 1.5 × 10.10 = 15.15, less 10 % (1.52) = 13.63; VAT 20 % = 2.73.
    assert first["discount"]["amount"] == {"value": "1.52", "currency": "EUR"}
    assert (first["subtotal"]["value"], first["subtotal_cents"]) == ("13.63", 1363)
    assert (first["total_vat"]["value"], first["total_amount"]["value"]) == ("2.73", "16.36")
    assert (first["unit_price"]["value"], first["unit_price_cents"]) == ("10.10", 1010)
    # 3 × 0.335 = 1.005 → 1.01; VAT 5.5 % = 0.06.
    assert (second["subtotal"]["value"], second["total_vat"]["value"]) == ("1.01", "0.06")
    assert second["unit_price"]["value"] == "0.335"
    assert (invoice["vat_amount"]["value"], invoice["vat_amount_cents"]) == ("2.79", 279)
    assert (invoice["total_amount"]["value"], invoice["total_amount_cents"]) == ("17.43", 1743)


def test_invoice_global_discount_is_shared_between_lines(sim_api: SimulatorAPI) -> None:
    items = [{"title": t, "quantity": "1", "unit_price": {"value": v, "currency": "EUR"},
              "vat_rate": "0.2"} for t, v in (("A", "100.00"), ("B", "50.00"))]
    invoice = sim_api.create_invoice(items=items, discount={"type": "absolute", "value": "15"})
    assert invoice["discount"]["amount"]["value"] == "15.00"
    # 150 − 15 = 135 taxable, VAT 27.00, total 162.00.
    assert (invoice["vat_amount"]["value"], invoice["total_amount"]["value"]) == (
        "27.00", "162.00")
    assert sum(i["total_amount_cents"] for i in invoice["items"]) == 16200


def test_invoice_create_422_with_pointers(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    body = sim_api.invoice_body(client["id"], currency="USD")
    body["items"][0]["title"] = "T" * 41
    answer = sim_api.post("/v2/client_invoices", json=body)
    assert answer.status_code == 422
    pointers = {e["source"]["pointer"] for e in answer.json()["errors"]}
    assert pointers == {"/items/0/title", "/currency"}
    # A rule across fields points at the field it is about.
    early = sim_api.post("/v2/client_invoices",
                         json=sim_api.invoice_body(client["id"], due_date="2026-01-01"))
    [error] = early.json()["errors"]
    assert (error["code"], error["source"]["pointer"]) == ("invalid", "/due_date")

    missing = sim_api.post("/v2/client_invoices", json={"client_id": client["id"]})
    errors = {e["source"]["pointer"]: e["code"] for e in missing.json()["errors"]}
    assert errors["/items"] == errors["/issue_date"] == "missing_field"

    unknown = sim_api.post("/v2/client_invoices",
                           json=sim_api.invoice_body(str(uuid.uuid4())))
    [error] = unknown.json()["errors"]
    assert (unknown.status_code, error["code"], error["source"]["pointer"]) == (
        422, "invalid_client_id", "/client_id")

    foreign = sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(
        client["id"], payment_methods={"iban": "FR7630006000011234567890189"}))
    [error] = foreign.json()["errors"]
    assert (foreign.status_code, error["source"]["pointer"]) == (422, "/payment_methods/iban")

    discount = sim_api.invoice_body(client["id"])
    discount["items"][0]["discount"] = {"type": "percentage", "value": "1.5"}
    answer = sim_api.post("/v2/client_invoices", json=discount)
    assert answer.json()["errors"][0]["source"]["pointer"] == "/items/0/discount/value"


def test_invoice_number_conflict_409(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    sim_api.create_invoice(client["id"], number="INV-2026-001")
    answer = sim_api.post("/v2/client_invoices",
                          json=sim_api.invoice_body(client["id"], number="INV-2026-001"))
    assert answer.status_code == 409
    [error] = answer.json()["errors"]
    assert error["code"] == "invoice_number_already_exists"
    assert error["source"]["pointer"] == "/data/attributes/number"


def test_invoice_number_is_generated_when_missing(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    first = sim_api.create_invoice(client["id"])
    second = sim_api.create_invoice(client["id"])
    assert first["number"] == "F-2026-00001"
    assert second["number"] == "F-2026-00002"


def test_draft_update_delete_and_412_once_finalized(sim_api: SimulatorAPI) -> None:
    draft = sim_api.create_invoice(status="draft", number="D-1")
    assert (draft["status"], draft["finalized_at"], draft["einvoicing_status"]) == (
        "draft", "", "pending")
    answer = sim_api.patch(f"/v2/client_invoices/{draft['id']}",
                           json={"purchase_order": "PO-9", "items": [
                               {"title": "Other", "quantity": "1",
                                "unit_price": {"value": "100", "currency": "EUR"},
                                "vat_rate": "0.1"}]})
    assert answer.status_code == 200, answer.text
    updated = answer.json()["client_invoice"]
    assert (updated["purchase_order"], updated["total_amount"]["value"]) == ("PO-9", "110.00")
    assert updated["number"] == "D-1"

    finalized = sim_api.post(f"/v2/client_invoices/{draft['id']}/finalize")
    assert finalized.status_code == 200
    invoice = sim_api.invoice(draft["id"])
    assert invoice["status"] == "unpaid" and invoice["finalized_at"]

    for method, code in (("PATCH", "forbidden_invoice_update"),
                         ("DELETE", "forbidden_invoice_deletion")):
        answer = sim_api.call(method, f"/v2/client_invoices/{draft['id']}", json={})
        assert answer.status_code == 412
        assert answer.json()["errors"][0]["code"] == code
    again = sim_api.post(f"/v2/client_invoices/{draft['id']}/finalize")
    assert (again.status_code, again.json()["errors"][0]["code"]) == (
        412, "invoice_not_in_draft_status")

    other = sim_api.create_invoice(status="draft")
    assert sim_api.delete(f"/v2/client_invoices/{other['id']}").status_code == 204
    assert sim_api.get(f"/v2/client_invoices/{other['id']}").status_code == 404


def test_attachment_appears_one_step_after_finalization(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    assert "attachment_id" not in invoice
    sim_api.advance()
    attachment_id = sim_api.invoice(invoice["id"])["attachment_id"]
    answer = sim_api.get(f"/v2/attachments/{attachment_id}")
    assert answer.status_code == 200
    attachment = answer.json()["attachment"]
    assert attachment["file_content_type"] == "application/pdf"
    assert attachment["file_name"] == f"{invoice['number']}.pdf"
    pdf = requests.get(attachment["url"], timeout=5)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) == attachment["file_size"]
    assert requests.get(attachment["url"] + "0", timeout=5).status_code == 403
    sim_api.advance(31 * 60)
    assert requests.get(attachment["url"], timeout=5).status_code == 403
    assert requests.get(invoice["invoice_url"], timeout=5).status_code == 200


def test_invoice_list_filters_sort_and_pages(sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client()
    draft = sim_api.create_invoice(client["id"], status="draft")
    unpaid = sim_api.create_invoice(client["id"])
    paid = sim_api.create_invoice(client["id"])
    sim_api.post(f"/v2/client_invoices/{paid['id']}/mark_as_paid")

    def ids(**params: str | int) -> list[str]:
        answer = sim_api.get("/v2/client_invoices", params=params)
        assert answer.status_code == 200, answer.text
        return [i["id"] for i in answer.json()["client_invoices"]]

    assert ids() == [paid["id"], unpaid["id"], draft["id"]]
    assert ids(sort_by="created_at:asc") == [draft["id"], unpaid["id"], paid["id"]]
    assert ids(**{"filter[status]": "draft,paid"}) == [paid["id"], draft["id"]]
    assert ids(**{"filter[updated_at_from]": sim_api.invoice(paid["id"])["updated_at"]}) == [
        paid["id"]]
    assert ids(**{"filter[created_at_to]": draft["created_at"]}) == [draft["id"]]
    assert ids(sort_by="updated_at:desc", per_page=1) == [paid["id"]]
    bad = sim_api.get("/v2/client_invoices", params={"filter[status]": "late"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["source"]["parameter"] == "filter[status]"
    assert sim_api.get("/v2/client_invoices", params={"sort_by": "number"}).status_code == 400
    meta = sim_api.get("/v2/client_invoices", params={"per_page": 2}).json()["meta"]
    assert (meta["total_count"], meta["total_pages"], meta["next_page"]) == (3, 2, 2)


def test_mark_as_paid_unmark_and_cancel(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    today = sim_api.control("GET", "/clock")["today"]
    answer = sim_api.post(f"/v2/client_invoices/{invoice['id']}/mark_as_paid")
    assert answer.status_code == 200
    paid = answer.json()["client_invoice"]
    assert (paid["status"], paid["paid_at"]) == ("paid", f"{today}T00:00:00.000Z")

    moved = sim_api.post(f"/v2/client_invoices/{invoice['id']}/mark_as_paid",
                         json={"paid_at": "2026-01-15"}).json()["client_invoice"]
    assert moved["paid_at"] == "2026-01-15T00:00:00.000Z"

    unpaid = sim_api.post(f"/v2/client_invoices/{invoice['id']}/unmark_as_paid")
    assert unpaid.status_code == 200
    reread = sim_api.invoice(invoice["id"])
    assert (reread["status"], reread["paid_at"]) == ("unpaid", "")
    again = sim_api.post(f"/v2/client_invoices/{invoice['id']}/unmark_as_paid")
    assert again.status_code == 412

    canceled = sim_api.post(f"/v2/client_invoices/{invoice['id']}/mark_as_canceled")
    assert canceled.status_code == 200
    assert sim_api.invoice(invoice["id"])["status"] == "canceled"
    refused = sim_api.post(f"/v2/client_invoices/{invoice['id']}/mark_as_paid")
    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (
        412, "forbidden_invoice_update")
    draft = sim_api.create_invoice(status="draft")
    assert sim_api.post(f"/v2/client_invoices/{draft['id']}/mark_as_paid").status_code == 412
    assert sim_api.post(f"/v2/client_invoices/{draft['id']}/mark_as_canceled"
                        ).status_code == 412


def test_mark_as_paid_refuses_a_future_or_malformed_date(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    clock = sim_api.control("GET", "/clock")
    year, month, day = (int(part) for part in clock["today"].split("-"))
    future = f"{year + 1}-{month:02d}-{min(day, 28):02d}"
    for paid_at, code in ((future, "invalid"), ("15/01/2026", "invalid_format"),
                          ("2026-02-30", "invalid_format"), (20260115, "invalid_format")):
        answer = sim_api.post(f"/v2/client_invoices/{invoice['id']}/mark_as_paid",
                              json={"paid_at": paid_at})
        assert answer.status_code == 422, paid_at
        [error] = answer.json()["errors"]
        assert (error["code"], error["source"]["pointer"]) == (code, "/paid_at")
    assert sim_api.invoice(invoice["id"])["status"] == "unpaid"


def test_send_by_email_is_recorded(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    body = {"send_to": ["buyer@acme.example"], "email_title": "Votre facture",
            "email_body": "Bonjour", "copy_to_self": True}
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send", json=body
                        ).status_code == 204
    [email] = sim_api.control("GET", "/emails")["emails"]
    assert email["invoice_id"] == invoice["id"]
    assert email["send_to"] == ["buyer@acme.example"]
    assert email["copy_to_self"] is True

    bad = sim_api.post(f"/v2/client_invoices/{invoice['id']}/send",
                       json={"send_to": ["nobody"]})
    assert bad.json()["errors"][0]["source"]["pointer"] == "/send_to/0"
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send", json={}
                        ).json()["errors"][0]["source"]["pointer"] == "/send_to"
    draft = sim_api.create_invoice(status="draft")
    answer = sim_api.post(f"/v2/client_invoices/{draft['id']}/send", json=body)
    assert (answer.status_code, answer.json()["errors"][0]["code"]) == (
        412, "invoice_not_in_draft_status")


# ---------------------------------------------------------------- uploads, credit notes


def test_upload_then_invoice_with_upload_id(sim_api: SimulatorAPI) -> None:
    document = b"%PDF-1.4\n% an invoice made elsewhere\n%%EOF\n"
    answer = sim_api.post("/v2/client_invoices/uploads",
                          files={"client_invoices_upload": ("INV-9.pdf", document,
                                                            "application/pdf")})
    assert answer.status_code == 201, answer.text
    upload = answer.json()["client_invoice_upload"]
    assert (upload["filename"], upload["content_type"], upload["file_size"]) == (
        "INV-9.pdf", "application/pdf", len(document))
    assert requests.get(upload["url"], timeout=5).content == document

    invoice = sim_api.create_invoice(upload_id=upload["id"])
    assert invoice["upload_id"] == upload["id"]
    sim_api.advance()
    attachment_id = sim_api.invoice(invoice["id"])["attachment_id"]
    attachment = sim_api.get(f"/v2/attachments/{attachment_id}").json()["attachment"]
    assert requests.get(attachment["url"], timeout=5).content == document

    unknown = sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(
        invoice["client"]["id"], upload_id=str(uuid.uuid4())))
    assert unknown.json()["errors"][0]["source"]["pointer"] == "/upload_id"


def test_upload_refuses_other_types_large_files_and_a_missing_field(
        sim_api: SimulatorAPI) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 10
    assert sim_api.post("/v2/client_invoices/uploads", files={
        "client_invoices_upload": ("scan.png", png)}).json()[
        "client_invoice_upload"]["content_type"] == "image/png"
    for files in ({"client_invoices_upload": ("notes.txt", b"hello")},
                  {"client_invoices_upload": ("big.pdf", b"%PDF-" + b"0" * 5 * 1024 * 1024)},
                  {"other": ("a.pdf", b"%PDF-1.4")}):
        answer = sim_api.post("/v2/client_invoices/uploads", files=files)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["source"]["pointer"] == "/client_invoices_upload"


def test_credit_notes_partial_then_full_cancels_the_invoice(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()  # 2 × 10.50 + 20 % = 25.20
    line = {"title": "Widget", "quantity": "1",
            "unit_price": {"value": "10.50", "currency": "EUR"}, "vat_rate": "0.2"}
    body = {"invoice_id": invoice["id"], "issue_date": "2026-01-20", "currency": "EUR",
            "reason": "Un article retourné", "items": [line]}
    answer = sim_api.post("/v2/credit_notes", json=body)
    assert answer.status_code == 201, answer.text
    note = answer.json()["credit_note"]
    assert (note["invoice_id"], note["items"][0]["quantity"]) == (invoice["id"], "-1")
    assert (note["total_amount"]["value"], note["total_amount_cents"]) == ("-12.60", -1260)
    assert sim_api.invoice(invoice["id"])["credit_notes_ids"] == [note["id"]]
    assert sim_api.invoice(invoice["id"])["status"] == "unpaid"
    assert sim_api.get(f"/v2/credit_notes/{note['id']}").json()["credit_note"] == note

    too_much = sim_api.post("/v2/credit_notes", json={**body, "items": [{**line,
                                                                        "quantity": "2"}]})
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["source"]["pointer"] == "/items"
    assert sim_api.post("/v2/credit_notes", json={**body, "number": note["number"]}
                        ).status_code == 409

    assert sim_api.post("/v2/credit_notes", json=body).status_code == 201
    assert sim_api.invoice(invoice["id"])["status"] == "canceled"
    listed = sim_api.get("/v2/credit_notes").json()
    assert listed["meta"]["total_count"] == 2 and len(listed["credit_notes"]) == 2
    negative = sim_api.post("/v2/credit_notes", json={**body, "items": [{**line,
                                                                        "quantity": "-1"}]})
    assert negative.json()["errors"][0]["source"]["pointer"] == "/items"


# ---------------------------------------------------------------- webhook subscriptions


def test_webhook_subscriptions(sim_api: SimulatorAPI) -> None:
    answer = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": "https://odoo.example/qonto/webhook",
        "types": ["v1/client-invoices"], "description": "Odoo"})
    assert answer.status_code == 201
    generated = answer.json()  # the bare object, as Qonto documents it
    assert 32 <= len(generated["secret"]) <= 128
    chosen = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": "https://hooks.example.com/hook", "types": ["v1/clients"],
        "secret": "s" * 32}).json()
    assert chosen["secret"] == "s" * 32

    listed = sim_api.get("/v2/webhook_subscriptions").json()["subscriptions"]
    assert [s["id"] for s in listed] == [generated["id"], chosen["id"]]
    assert all("secret" not in s for s in listed)

    bad = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": "ftp://x", "types": [], "secret": "short"})
    assert {e["source"]["pointer"] for e in bad.json()["errors"]} == {
        "/callback_url", "/types", "/secret"}
    unknown_type = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": "https://x.example/" + "a" * 600, "types": ["v1/nothing"]})
    assert {e["source"]["pointer"] for e in unknown_type.json()["errors"]} == {
        "/callback_url", "/types/0"}

    assert sim_api.delete(f"/v2/webhook_subscriptions/{chosen['id']}").status_code == 204
    assert sim_api.delete(f"/v2/webhook_subscriptions/{chosen['id']}").status_code == 404


# ---------------------------------------------------------------- generic errors


def test_unknown_route_unknown_id_and_malformed_json(sim_api: SimulatorAPI) -> None:
    for path in ("/v2/nothing", "/v3/organization", "/"):
        answer = sim_api.get(path)
        assert answer.status_code == 404
        assert answer.json()["errors"][0]["code"] == "not_found"
    for path in ("/v2/clients/", "/v2/client_invoices/", "/v2/credit_notes/",
                 "/v2/attachments/"):
        answer = sim_api.get(path + str(uuid.uuid4()))
        assert answer.status_code == 404
        [error] = answer.json()["errors"]
        assert (error["code"], error["source"]) == ("not_found", {"parameter": "id"})
    malformed = sim_api.post("/v2/clients", data=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["code"] == "malformed_json"
    not_object = sim_api.post("/v2/clients", json=[1, 2])
    assert not_object.json()["errors"][0]["code"] == "invalid_request_format"
    assert sim_api.call("PUT", "/v2/clients").status_code == 405
