"""A public Qonto client that no one here wrote, against the simulator with its defaults.

``qodev-qonto-api`` 0.1.0 (PyPI, MIT) is an async client on httpx. It takes its base URL
(``.../v2``) and an API key (``login``, ``secret_key``, sent as ``Authorization:
login:secret``) as arguments, so it is pointed at the simulator as at Qonto. It has no
method for ``send_by_einvoice`` or ``mark_as_paid``: those two go through its own
transport (``_post``: the same headers and error handling as its public methods).
It needs Python >= 3.11 (``enum.StrEnum``), so the test is skipped under 3.10.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

import pytest

if sys.version_info < (3, 11):
    pytest.skip("qodev-qonto-api 0.1.0 requires Python >= 3.11 (enum.StrEnum)",
                allow_module_level=True)

from conftest import REACHABLE_ADDRESS, SIM_API_KEY
from qodev_qonto_api import QontoClient as QodevClient

if TYPE_CHECKING:
    from conftest import SimulatorAPI


async def _flow(url: str) -> dict[str, Any]:
    login, secret = SIM_API_KEY.split(":")
    async with QodevClient(login=login, secret_key=secret, base_url=f"{url}/v2") as qonto:
        organization = await qonto.get_organization()
        iban = organization.bank_accounts[0].iban
        client = await qonto.create_client(
            kind="company", name="Boulangerie Lumière SAS", email="compta@lumiere.example",
            tax_identification_number="55210055400013", e_invoicing_address=REACHABLE_ADDRESS,
            address="3 place Bellecour", city="Lyon", zip_code="69002", country_code="FR")
        draft = await qonto.create_client_invoice(
            client_id=client.id, status="draft", number="QODEV-1",
            issue_date="2026-01-10", due_date="2026-02-10", currency="EUR",
            payment_methods={"iban": iban},
            items=[{"title": "Baguettes", "quantity": "100", "vat_rate": "0.055",
                    "unit_price": {"value": "1.10", "currency": "EUR"}}])
        finalized = await qonto.finalize_client_invoice(draft.id)
        listed = await qonto.list_client_invoices()
        sent = await qonto._post(f"/client_invoices/{draft.id}/send_by_einvoice", {})
        paid = await qonto._post(f"/client_invoices/{draft.id}/mark_as_paid",
                                 {"paid_at": "2026-01-15"})
        reread = await qonto.get_client_invoice(draft.id)
        return {"organization": organization, "client": client, "draft": draft,
                "finalized": finalized, "listed": listed, "sent": sent, "paid": paid,
                "reread": reread}


def test_qodev_client_runs_the_send_flow_against_the_simulator(
        sim_api: SimulatorAPI) -> None:
    flow = asyncio.run(_flow(sim_api.url))
    account = flow["organization"].bank_accounts[0]
    assert account.balance is not None and account.balance_cents is not None
    client = flow["client"]
    assert client.id and client.name == "Boulangerie Lumière SAS"
    assert client.model_extra["city"] == "Lyon"
    draft, finalized = flow["draft"], flow["finalized"]
    assert (draft.status, draft.number) == ("draft", "QODEV-1")
    assert (finalized.id, finalized.status) == (draft.id, "unpaid")
    assert finalized.finalized_at is not None
    assert [i.id for i in flow["listed"].items] == [draft.id]
    assert flow["listed"].total == 1
    assert flow["sent"] == {}  # 204: send_by_einvoice is accepted
    assert flow["paid"]["client_invoice"]["status"] == "paid"
    reread = flow["reread"]
    assert (reread.status, reread.paid_at.date().isoformat()) == ("paid", "2026-01-15")
    assert reread.total_amount is not None and str(reread.total_amount.value) == "116.05"
    sim_api.advance()  # the send was taken: the lifecycle starts at 200 (Déposée)
    assert sim_api.invoice(draft.id)["einvoicing_lifecycle_events"][0]["status_code"] == 200
