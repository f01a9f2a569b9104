"""The client's resources (``qonto.client_invoices``, ``qonto.webhook_subscriptions``...)
against the simulator, over real HTTP: the same calls as the flat names, and the
endpoints only the resources reach."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from conftest import SIM_API_KEY, SimulatorAPI

from qonto_einvoicing import PayloadError, QontoClient
from qonto_einvoicing.resources import ClientInvoicesResource, WebhookSubscriptionsResource


@pytest.fixture
def qonto(sim_url: str) -> Iterator[QontoClient]:
    with QontoClient(sim_url, SIM_API_KEY) as client:
        yield client


def test_each_qonto_resource_is_reached_from_the_client(qonto: QontoClient,
                                                         sim_api: SimulatorAPI) -> None:
    assert isinstance(qonto.client_invoices, ClientInvoicesResource)
    draft_id = sim_api.create_invoice(status="draft")["id"]
    assert qonto.client_invoices.finalize(draft_id) is None
    assert qonto.client_invoices.get(draft_id).status == "unpaid"
    assert qonto.get_client_invoice(draft_id) == qonto.client_invoices.get(draft_id)
    assert [i.id for i in qonto.client_invoices.list(status=["unpaid"])] == [draft_id]
    assert qonto.organization.get().bank_accounts


@pytest.mark.simulator(allow_http_callbacks=True)
def test_a_webhook_subscription_is_read_and_changed_by_id(qonto: QontoClient) -> None:
    subscriptions = qonto.webhook_subscriptions
    assert isinstance(subscriptions, WebhookSubscriptionsResource)
    created = subscriptions.create("http://127.0.0.1:9/hook", ["v1/clients"],
                                   description="Odoo")
    assert subscriptions.get(created.id).types == ["v1/clients"]
    changed = subscriptions.update(created.id, types=["v1/clients", "v1/client-invoices"])
    assert changed.types == ["v1/clients", "v1/client-invoices"]
    assert subscriptions.get(created.id).description == "Odoo"
    with pytest.raises(PayloadError) as refused:
        subscriptions.update(created.id, types=["v1/client-invoices.updated"])
    assert refused.value.problems[0].pointer == "/types/0"
    assert subscriptions.get(created.id).types == ["v1/clients", "v1/client-invoices"]


def test_an_upload_is_read_back_by_id(qonto: QontoClient) -> None:
    document = b"%PDF-1.4\n% made elsewhere\n%%EOF\n"
    created = qonto.uploads.create("INV-8.pdf", document)
    again = qonto.uploads.get(created.id)
    assert (again.id, again.filename, again.file_size) == (created.id, "INV-8.pdf",
                                                            len(document))
    assert requests.get(again.url, timeout=5).content == document
