"""Downloading a received file: HTTPS only against Qonto, the simulator's own address
against a simulator, and never more than the size cap; over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from qonto_einvoicing import PRODUCTION_URL, QontoClient
from qonto_einvoicing.downloads import MAX_DOWNLOAD_BYTES, check_download_url
from qonto_einvoicing.errors import FileTooLargeError, UnsafeDownloadError
from qonto_einvoicing.receiving import SupplierInvoice

MIB = 1024 * 1024


@pytest.fixture
def received(client: QontoClient) -> SupplierInvoice:
    invoice = next(iter(client.list_supplier_invoices()))
    assert invoice.original_attachment_id
    return invoice


def control(sim_url: str, path: str, body: dict[str, Any]) -> Any:
    answer = requests.post(f"{sim_url}/_simulator{path}", json=body, timeout=10)
    answer.raise_for_status()
    return answer.json()


def test_the_cap_is_20_mib_and_a_normal_file_passes(
        client: QontoClient, received: SupplierInvoice) -> None:
    assert MAX_DOWNLOAD_BYTES == 20 * MIB
    content = client.download_attachment(received.original_attachment_id or "",
                                          label=received.label)
    assert content.startswith((b"%PDF", b"<"))


def test_an_oversized_file_is_stopped_and_names_the_supplier_invoice(
        client: QontoClient, received: SupplierInvoice, sim_url: str) -> None:
    # Streamed without Content-Length: the client counts what it reads.
    control(sim_url, "/attachments/oversize", {"count": 1, "size": 20 * MIB + 1})
    with pytest.raises(FileTooLargeError) as caught:
        client.download_attachment(received.original_attachment_id or "",
                                   label=received.label)
    message = str(caught.value)
    assert received.label in message and received.id in message
    assert "20 MiB" in message and "token=" not in message
    assert caught.value.limit == 20 * MIB
    # The fault was one download: the next one is the real file.
    assert client.download_attachment(received.original_attachment_id or "")


def test_an_announced_oversized_file_is_not_read_at_all(
        client: QontoClient, received: SupplierInvoice, sim_url: str) -> None:
    control(sim_url, "/attachments/oversize", {"count": 1, "size": 30 * MIB,
                                               "announce": True})
    with pytest.raises(FileTooLargeError):
        client.download_attachment(received.original_attachment_id or "",
                                   label=received.label)


def test_a_smaller_cap_is_the_caller_s_choice(
        client: QontoClient, received: SupplierInvoice) -> None:
    with pytest.raises(FileTooLargeError) as caught:
        client.download_attachment(received.original_attachment_id or "", max_bytes=100)
    assert f"attachment {received.original_attachment_id}" in str(caught.value)


def test_against_a_simulator_only_its_own_address_is_fetched(
        client: QontoClient, received: SupplierInvoice, sim_url: str) -> None:
    # Nothing listens there: a fetch would end in a TransportError, not this refusal.
    control(sim_url, "/attachments/url_base", {"base_url": "http://127.0.0.2:9"})
    with pytest.raises(UnsafeDownloadError) as caught:
        client.download_attachment(received.original_attachment_id or "",
                                   label=received.label)
    assert received.label in str(caught.value)
    assert "not the simulator's own" in str(caught.value)
    control(sim_url, "/attachments/url_base", {"base_url": None})
    assert client.download_attachment(received.original_attachment_id or "")


def test_a_redirect_is_followed_only_where_a_download_may_go(
        client: QontoClient, received: SupplierInvoice, sim_url: str) -> None:
    attachment_id = received.original_attachment_id or ""
    control(sim_url, "/attachments/redirect", {"count": 1, "location": None})
    assert client.download_attachment(attachment_id)  # one hop on its own address
    control(sim_url, "/attachments/redirect", {"count": 1,
                                               "location": "http://127.0.0.2:9/file"})
    with pytest.raises(UnsafeDownloadError) as caught:
        client.download_attachment(attachment_id, label=received.label)
    assert received.label in str(caught.value)
    control(sim_url, "/attachments/redirect", {"count": 10, "location": None})
    with pytest.raises(UnsafeDownloadError, match="redirects more than 3 times"):
        client.download_attachment(attachment_id)


class _QontoIsTheSimulator(HTTPAdapter):
    """Sends what is addressed to Qonto's production host to the simulator; records
    every URL the client asked for."""

    def __init__(self, sim_url: str, seen: list[str]) -> None:
        super().__init__()
        self.sim_url, self.seen = sim_url, seen

    def send(self, request: requests.PreparedRequest,  # type: ignore[override]
             **kwargs: Any) -> requests.Response:
        self.seen.append(request.url or "")
        request.url = (request.url or "").replace(PRODUCTION_URL, self.sim_url)
        return super().send(request, **kwargs)


def test_against_qonto_a_non_https_url_is_not_fetched(
        received: SupplierInvoice, sim_url: str) -> None:
    seen: list[str] = []
    session = requests.Session()
    adapter = _QontoIsTheSimulator(sim_url, seen)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    with QontoClient(PRODUCTION_URL, "demo-org:demo-secret", session=session) as qonto:
        assert qonto.is_qonto
        attachment = qonto.get_attachment(received.original_attachment_id or "")
        assert (attachment.url or "").startswith("http://")  # the simulator's
        with pytest.raises(UnsafeDownloadError) as caught:
            qonto.download_attachment(received.original_attachment_id or "",
                                      label=received.label)
    assert "not HTTPS" in str(caught.value) and received.label in str(caught.value)
    assert all(url.startswith(f"{PRODUCTION_URL}/v2/") for url in seen), seen


def test_the_url_rules() -> None:
    s3 = "https://qonto-attachments.s3.eu-west-3.amazonaws.com/f.pdf?X-Amz-Signature=x"
    check_download_url(s3, base_url=PRODUCTION_URL, is_qonto=True, label="f")
    for url in ("http://qonto-attachments.s3.amazonaws.com/f.pdf", "file:///etc/passwd",
                "ftp://example.com/f.pdf", "https:///no-host"):
        with pytest.raises(UnsafeDownloadError):
            check_download_url(url, base_url=PRODUCTION_URL, is_qonto=True, label="f")
    sim = "http://127.0.0.1:8042"
    check_download_url(f"{sim}/_simulator/files/x?token=t", base_url=sim, is_qonto=False,
                       label="f")
    for url in ("http://127.0.0.1:8043/f", "http://localhost:8042/f", "https://127.0.0.1/f",
                "file:///etc/passwd"):
        with pytest.raises(UnsafeDownloadError):
            check_download_url(url, base_url=sim, is_qonto=False, label="f")

