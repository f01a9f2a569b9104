"""Stored files: uploads, invoice PDFs, and their expiring download URLs.

A file is kept in the state, base64-encoded, with its name, type and size. Download URLs
point at the simulator itself, ``/_simulator/files/{id}?token=<expiry>.<hmac>``, and
expire 30 minutes (simulator time) after they were handed out, like Qonto's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from .clock import iso
from .pdf import render_pdf
from .state import Record, Store

__all__ = [
    "CONTENT_TYPES",
    "URL_LIFETIME",
    "attach_invoice_pdf",
    "file_bytes",
    "new_file",
    "sniff_content_type",
    "url_token",
    "valid_token",
]

URL_LIFETIME = 30 * 60  # seconds

CONTENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_content_type(data: bytes) -> str | None:
    """The type of a PDF, PNG or JPEG file from its first bytes; ``None`` otherwise."""
    return next((kind for magic, kind in CONTENT_TYPES.items() if data.startswith(magic)), None)


def new_file(file_name: str, content_type: str, data: bytes, at: float) -> Record:
    """A file record (an upload or an attachment)."""
    return {
        "id": str(uuid.uuid4()),
        "file_name": file_name,
        "content_type": content_type,
        "file_size": len(data),
        "data": base64.b64encode(data).decode("ascii"),
        "created_at": iso(at),
    }


def file_bytes(record: Record) -> bytes:
    """The content of a file record."""
    return base64.b64decode(record["data"])


def _signature(key: str, file_id: str, expires: int) -> str:
    return hmac.new(key.encode(), f"{file_id}.{expires}".encode(), hashlib.sha256).hexdigest()


def url_token(key: str, file_id: str, now: float) -> str:
    """A download token for ``file_id``, valid :data:`URL_LIFETIME` seconds from ``now``."""
    expires = int(now) + URL_LIFETIME
    return f"{expires}.{_signature(key, file_id, expires)}"


def valid_token(key: str, file_id: str, token: str, now: float) -> bool:
    """Whether ``token`` opens ``file_id`` at ``now``."""
    expires_text, _, signature = token.partition(".")
    if not expires_text.isdigit() or int(expires_text) < now:
        return False
    return hmac.compare_digest(signature, _signature(key, file_id, int(expires_text)))


def attach_invoice_pdf(store: Store, org: Record, invoice: Record, at: float) -> None:
    """Give ``invoice`` its document: the uploaded file if it has one, else a generated PDF."""
    upload = org["uploads"].get(invoice.get("upload_id") or "")
    if upload is not None:
        attachment = new_file(upload["file_name"], upload["content_type"], file_bytes(upload), at)
    else:
        client = invoice["client_snapshot"]
        customer = client.get("name") or " ".join(
            filter(None, [client.get("first_name"), client.get("last_name")]))
        totals = invoice["totals"]
        lines = [
            f"{org['legal_name']} - SIREN {org['legal_number']}",
            f"Facture {invoice['number']} du {invoice['payload']['issue_date']}",
            f"Client : {customer}",
            "",
            *(f"{item['title']} : {item['quantity']} x {item['unit_price']['value']}"
              for item in invoice["items"]),
            "",
            f"TVA : {totals['vat_amount']['value']} {totals['vat_amount']['currency']}",
            f"Total TTC : {totals['total_amount']['value']} {totals['total_amount']['currency']}",
            "Document produced by the Qonto simulator.",
        ]
        attachment = new_file(f"{invoice['number']}.pdf", "application/pdf",
                              render_pdf(lines), at)
    org["attachments"][attachment["id"]] = attachment
    invoice["attachment_id"] = attachment["id"]
    store.mark_changed()
