"""Downloading a file from the URL Qonto hands out: which URLs, and how much.

``GET /v2/attachments/{id}`` answers a pre-signed URL valid 30 minutes
(api-reference/business-api/transactions-statements/attachments/retrieve-an-attachment);
the file behind it was sent by a supplier, so its size is the supplier's choice, and the
URL is data in an answer, not an address this package chose. So:

- against Qonto (production or sandbox) only an ``https`` URL is fetched: the file is
  a legal document and the URL's query is a credential, neither travels in clear;
- against a simulator only the simulator's own address (same scheme, host and port as
  the client's ``base_url``) is fetched, so that a simulated answer cannot send the
  client anywhere else;
- a redirect is followed (at most :data:`MAX_REDIRECTS`) only to a URL that passes the
  same check;
- the body is streamed and the download stopped once it passes ``max_bytes``
  (:data:`MAX_DOWNLOAD_BYTES` by default, well above any invoice: Qonto caps its own
  uploads at 5 MB), before the whole file is held in memory.

Errors (:class:`~qonto_einvoicing.errors.UnsafeDownloadError`,
:class:`~qonto_einvoicing.errors.FileTooLargeError`) name what the file belongs to and
never carry the URL.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import requests

from .errors import FileTooLargeError, TransportError, UnsafeDownloadError

__all__ = ["MAX_DOWNLOAD_BYTES", "MAX_REDIRECTS", "check_download_url", "fetch"]

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
"""20 MiB: the largest file fetched from a download URL."""
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def check_download_url(url: str, *, base_url: str, is_qonto: bool, label: str) -> None:
    """Raise :class:`UnsafeDownloadError` unless ``url`` may be fetched (module rules)."""
    scheme, host, _port = _origin(url)
    where = f"{scheme}://{host}" if host else "an address without a host"
    if is_qonto:
        if scheme != "https" or not host:
            raise UnsafeDownloadError(
                f"{label}: the file's download address is not HTTPS ({where}); "
                f"it was not fetched", label=label)
    elif _origin(url) != _origin(base_url):
        raise UnsafeDownloadError(
            f"{label}: the file's download address ({where}) is not the simulator's own; "
            f"it was not fetched", label=label)


def fetch(session: requests.Session, url: str, *, base_url: str, is_qonto: bool,
          label: str, timeout: tuple[float, float],
          max_bytes: int = MAX_DOWNLOAD_BYTES) -> tuple[int, bytes]:
    """GET ``url`` under the rules above: ``(status, body)``.

    An HTTP error status is returned with an empty body, for the caller to map; a lost
    connection raises :class:`TransportError`.
    """
    for _hop in range(MAX_REDIRECTS + 1):
        check_download_url(url, base_url=base_url, is_qonto=is_qonto, label=label)
        try:
            response = session.get(url, timeout=timeout, stream=True, allow_redirects=False)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise TransportError(f"download of {label}: {exc.__class__.__name__}") from None
        with response:
            if response.is_redirect and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code >= 400:
                return response.status_code, b""
            return response.status_code, _read_capped(response, label, max_bytes)
    raise UnsafeDownloadError(f"{label}: the file's download address redirects more than "
                              f"{MAX_REDIRECTS} times; it was not fetched", label=label)


def _read_capped(response: requests.Response, label: str, max_bytes: int) -> bytes:
    too_large = FileTooLargeError(
        f"{label}: the file is larger than {max_bytes / 1024 / 1024:g} MiB; "
        f"it was not downloaded", label=label, limit=max_bytes)
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise too_large
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
    except requests.RequestException as exc:  # dropped mid-body, broken chunking
        raise TransportError(f"download of {label}: {exc.__class__.__name__}") from None
    return b"".join(chunks)
