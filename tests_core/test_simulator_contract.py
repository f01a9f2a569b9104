"""The simulator's answers validated against the OpenAPI schemas of Qonto's seed pages.

The seeds live in ``shared/seeds`` beside the repository (``<repo>/../shared/seeds``);
without them the contract cannot be checked and these tests are skipped. ``format`` is
an annotation in JSON Schema 2020-12 (not asserted): Qonto's empty strings for unset
dates, which the simulator copies, pass as they do against Qonto itself.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read the OpenAPI blocks")
jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates the answers")

if TYPE_CHECKING:
    from conftest import SimulatorAPI

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEND = "000_be93ad53f7bad674.txt"
CREATE = "002_6c43d6afcf8cc6e2.txt"
MARK_PAID = "004_86b7e090209256ce.txt"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(),
                                reason=f"no Qonto seed documents at {SEEDS}")


@cache
def _document(name: str) -> dict[str, Any]:
    text = (SEEDS / name).read_text(encoding="utf-8")
    block = re.search(r"^````yaml[^\n]*\n(.*?)^````", text, re.S | re.M)
    assert block, f"no OpenAPI block in {name}"
    document: dict[str, Any] = yaml.safe_load(block.group(1))
    return document


def _schema(name: str, path: str, method: str, status: str) -> dict[str, Any]:
    """The JSON schema of an answer, with the document's components for its $refs."""
    document = _document(name)
    answer = document["paths"][path][method]["responses"][status]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return {**answer["content"]["application/json"]["schema"],
            "components": document["components"]}


def _check(answer: requests.Response, name: str, path: str, method: str, status: int,
           *, schema_status: int | None = None) -> None:
    """``answer`` has ``status`` and matches the schema of ``schema_status`` (or ``status``)."""
    assert answer.status_code == status, answer.text
    schema = _schema(name, path, method, str(schema_status or status))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(answer.json())


def _invoice_with_everything(sim_api: SimulatorAPI) -> dict[str, Any]:
    client = sim_api.create_client(
        billing_address={"street_address": "1 rue A", "city": "Lyon", "zip_code": "69001",
                         "country_code": "FR"},
        vat_number="FR96552100554", e_invoicing_address="552100554_55210055400013")
    body = sim_api.invoice_body(
        client["id"], number="INV-C-1", purchase_order="PO-1", header="Bonjour",
        footer="Merci", terms_and_conditions="Paiement à 30 jours",
        performance_start_date="2026-01-01", performance_end_date="2026-01-31",
        discount={"type": "percentage", "value": "0.05"},
        settings={"vat_number": "FR12345678", "transaction_type": "services"})
    body["items"].append({"title": "Support", "description": "Hotline", "quantity": "3",
                          "unit": "hour", "unit_price": {"value": "80", "currency": "EUR"},
                          "vat_rate": "0", "vat_exemption_reason": "S293B",
                          "discount": {"type": "absolute", "value": "10"}})
    return body


def test_create_get_list_and_mark_as_paid_answers(sim_api: SimulatorAPI) -> None:
    created = sim_api.post("/v2/client_invoices", json=_invoice_with_everything(sim_api))
    _check(created, CREATE, "/v2/client_invoices", "post", 201)
    invoice_id = created.json()["client_invoice"]["id"]
    draft = sim_api.post("/v2/client_invoices", json=sim_api.invoice_body(
        sim_api.create_client(kind="freelancer", name=None, first_name="Jo",
                              last_name="Lee")["id"], status="draft"))
    _check(draft, CREATE, "/v2/client_invoices", "post", 201)

    sim_api.control("POST", "/scenarios", {"scenario": "paid", "invoice_id": invoice_id})
    sim_api.post(f"/v2/client_invoices/{invoice_id}/send_by_einvoice")
    sim_api.advance(20 * 5)
    got = sim_api.get(f"/v2/client_invoices/{invoice_id}")
    # No seed covers GET: its answer is the create's {"client_invoice": ClientInvoice}.
    _check(got, CREATE, "/v2/client_invoices", "post", 200, schema_status=201)
    invoice = got.json()["client_invoice"]
    assert [e["status_code"] for e in invoice["einvoicing_lifecycle_events"]][-1] == 212
    assert invoice["attachment_id"]

    paid = sim_api.post(f"/v2/client_invoices/{invoice_id}/mark_as_paid",
                        json={"paid_at": "2026-01-20"})
    _check(paid, MARK_PAID, "/v2/client_invoices/{id}/mark_as_paid", "post", 200)

    item_schema = {**_document(CREATE)["components"]["schemas"]["ClientInvoice"],
                   "components": _document(CREATE)["components"]}
    for listed in sim_api.get("/v2/client_invoices").json()["client_invoices"]:
        jsonschema.Draft202012Validator(item_schema).validate(listed)


def test_error_bodies(sim_api: SimulatorAPI) -> None:
    # Not in the Annuaire, so not reachable: send_by_einvoice answers 412.
    client = sim_api.create_client(tax_identification_number="98765432100013",
                                   e_invoicing_address=None)
    body = sim_api.invoice_body(client["id"], number="DUP-1")
    sim_api.post("/v2/client_invoices", json=body)

    _check(sim_api.post("/v2/client_invoices", json=body),
           CREATE, "/v2/client_invoices", "post", 409)
    _check(sim_api.post("/v2/client_invoices", json={**body, "number": "X" * 41}),
           CREATE, "/v2/client_invoices", "post", 422)
    _check(sim_api.post("/v2/client_invoices", json=sim_api.invoice_body("nope")),
           CREATE, "/v2/client_invoices", "post", 422)
    _check(sim_api.post("/v2/client_invoices", data=b"{",
                        headers={"Content-Type": "application/json"}),
           CREATE, "/v2/client_invoices", "post", 400)
    unauthorized = requests.post(f"{sim_api.url}/v2/client_invoices", json=body, timeout=5)
    _check(unauthorized, CREATE, "/v2/client_invoices", "post", 401)

    invoice_id = sim_api.get("/v2/client_invoices").json()["client_invoices"][0]["id"]
    send = f"/v2/client_invoices/{invoice_id}/send_by_einvoice"
    _check(sim_api.post(send), SEND, "/v2/client_invoices/{id}/send_by_einvoice", "post", 412)
    draft = sim_api.create_invoice(status="draft")
    _check(sim_api.post(f"/v2/client_invoices/{draft['id']}/send_by_einvoice"),
           SEND, "/v2/client_invoices/{id}/send_by_einvoice", "post", 412)
    _check(sim_api.post("/v2/client_invoices/" + "0" * 8 + "/send_by_einvoice"),
           SEND, "/v2/client_invoices/{id}/send_by_einvoice", "post", 404)
    _check(requests.post(f"{sim_api.url}{send}", headers={"Authorization": "x:y"}, timeout=5),
           SEND, "/v2/client_invoices/{id}/send_by_einvoice", "post", 401)

    mark = "/v2/client_invoices/{id}/mark_as_paid"
    _check(sim_api.post(f"/v2/client_invoices/{invoice_id}/mark_as_paid",
                        json={"paid_at": "2999-01-01"}), MARK_PAID, mark, "post", 422)
    _check(sim_api.post(f"/v2/client_invoices/{invoice_id}/mark_as_paid",
                        json={"paid_at": "tomorrow"}), MARK_PAID, mark, "post", 422)
    _check(sim_api.post(f"/v2/client_invoices/{invoice_id}/mark_as_paid", data=b"[",
                        headers={"Content-Type": "application/json"}),
           MARK_PAID, mark, "post", 400)
