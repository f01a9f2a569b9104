"""Files: invoice uploads, attachments, and the simulator's own download pages.

- ``POST /v2/client_invoices/uploads``: ``multipart/form-data`` with the file in
  ``client_invoices_upload``; PDF, JPEG or PNG (recognized by content), at most 5 MB.
- ``GET /v2/client_invoices/uploads/{id}``: that upload, with a fresh URL (*Retrieve a
  client invoice upload*, https://docs.qonto.com/api-reference/business-api/invoicing/client-invoices/retrieve-a-client-invoice-upload).
  Uploads live under ``/v2/client_invoices/uploads`` only: a public client's
  ``/v2/client_invoices/{id}/uploads`` is on no Qonto page, and answers 404.
- ``GET /v2/attachments/{id}``: metadata and a download URL valid 30 minutes.
- ``GET /_simulator/files/{id}?token=...``: the download itself (no API key: the token is
  the authorization, as with Qonto's pre-signed URLs); 403 once expired.
- ``GET /_simulator/invoices/{id}``: the page an invoice's ``invoice_url`` opens.

Test options for a client's download rules (not Qonto's behaviour, which documents no
size limit on a received file and hands out its own pre-signed HTTPS URLs):

- ``POST /_simulator/attachments/oversize`` ``{"count": N, "size": BYTES,
  "announce": false}``: the next N downloads send the file padded with zeros to
  ``size`` bytes, streamed without ``Content-Length`` (with it when ``announce``).
- ``POST /_simulator/attachments/redirect`` ``{"count": N, "location": "http://..."}``:
  the next N downloads answer ``302`` to ``location`` (``null``: to the same URL, which
  then serves the file), as a download host that redirects would.
- ``POST /_simulator/attachments/url_base`` ``{"base_url": "http://..."}``: download
  URLs handed out from now on start with this address instead of the simulator's own
  (``null`` restores it), as an answer pointing the client elsewhere would.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from werkzeug.wrappers import Response

from .files import (
    URL_LIFETIME,
    file_bytes,
    new_file,
    sniff_content_type,
    url_token,
    valid_token,
)
from .jsonapi import ApiError, get_or_404, json_response
from .render import render_attachment, render_upload
from .routing import Call, Route
from .state import Record

__all__ = ["MAX_UPLOAD_BYTES", "PUBLIC_ROUTES", "ROUTES", "download_url"]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_UPLOAD_FIELD = "client_invoices_upload"


def download_url(call: Call, record: Record) -> str:
    """A fresh expiring URL for a stored file."""
    data = call.sim.store.data
    now = call.sim.now()
    if data.get("expire_next_urls"):
        # POST /_simulator/attachments/expire: a URL as if read 30 minutes ago.
        data["expire_next_urls"] -= 1
        call.sim.store.mark_changed()
        now -= URL_LIFETIME + 1
    token = url_token(data["signing_key"], record["id"], now)
    base = data.get("download_url_base") or call.base_url
    return f"{base}/_simulator/files/{record['id']}?token={token}"


def create_upload(call: Call) -> Response:
    """Store an uploaded invoice file (201); reference it with ``upload_id``."""
    upload = call.request.files.get(_UPLOAD_FIELD)
    if upload is None:
        raise ApiError.one(422, "missing_field",
                           f"Send the file as multipart/form-data field {_UPLOAD_FIELD}",
                           pointer=f"/{_UPLOAD_FIELD}")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApiError.one(422, "invalid", "The file is larger than 5 MB",
                           pointer=f"/{_UPLOAD_FIELD}")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ApiError.one(422, "invalid", "Only PDF, JPEG and PNG files are accepted",
                           pointer=f"/{_UPLOAD_FIELD}")
    record = new_file(upload.filename or "upload", content_type, data, call.sim.now())
    call.org["uploads"][record["id"]] = record
    call.sim.store.mark_changed()
    return json_response(
        {"client_invoice_upload": render_upload(call.org, record, download_url(call, record))},
        201)


def get_upload(call: Call) -> Response:
    """One upload, with a fresh download URL."""
    upload = get_or_404(call.org["uploads"], call.params["id"], "Client invoice upload")
    return json_response(
        {"client_invoice_upload": render_upload(call.org, upload, download_url(call, upload))})


def get_attachment(call: Call) -> Response:
    """An attachment's metadata and download URL."""
    attachment = get_or_404(call.org["attachments"], call.params["id"], "Attachment")
    return json_response(
        {"attachment": render_attachment(attachment, download_url(call, attachment))})


def download_file(call: Call) -> Response:
    """The bytes of an attachment or upload, for a valid token."""
    file_id = call.params["id"]
    store = call.sim.store
    found = store.find("attachments", file_id) or store.find("uploads", file_id)
    if found is None:
        raise ApiError.one(404, "not_found", f"File {file_id} not found", parameter="id")
    if not valid_token(store.data["signing_key"], file_id, call.args.get("token", ""),
                       call.sim.now()):
        raise ApiError.one(403, "forbidden", "The download link is invalid or has expired",
                           parameter="token")
    record = found[1]
    headers = {"Content-Disposition": f'inline; filename="{record["file_name"]}"'}
    redirect = store.data.get("redirect_next_downloads")
    if redirect and redirect["count"] > 0:
        redirect["count"] -= 1
        store.mark_changed()
        return Response(status=302, headers={
            "Location": redirect["location"] or call.request.url})
    oversize = store.data.get("oversize_next_downloads")
    if oversize and oversize["count"] > 0:
        oversize["count"] -= 1
        store.mark_changed()
        if oversize["announce"]:
            headers["Content-Length"] = str(oversize["size"])
        return Response(_padded(file_bytes(record), oversize["size"]),
                        mimetype=record["content_type"], headers=headers,
                        direct_passthrough=True)
    return Response(file_bytes(record), mimetype=record["content_type"], headers=headers)


def _padded(content: bytes, size: int) -> Iterator[bytes]:
    yield content
    left = size - len(content)
    while left > 0:
        chunk = min(left, 1024 * 1024)
        yield b"\0" * chunk
        left -= chunk


def set_oversize(call: Call) -> Response:
    """``POST /_simulator/attachments/oversize`` (a test option, see the docstring)."""
    body = call.json()
    count, size, announce = body.get("count", 1), body.get("size"), body.get("announce",
                                                                            False)
    if not (isinstance(count, int) and count >= 0 and isinstance(size, int) and size > 0
            and isinstance(announce, bool)):
        raise ApiError.one(422, "invalid", "count (≥ 0), size (bytes > 0) and announce "
                           "(true or false) are expected")
    call.sim.store.data["oversize_next_downloads"] = {"count": count, "size": size,
                                                      "announce": announce}
    call.sim.store.mark_changed()
    return json_response({"count": count, "size": size, "announce": announce})


def set_redirect(call: Call) -> Response:
    """``POST /_simulator/attachments/redirect`` (a test option, see the docstring)."""
    body = call.json()
    count, location = body.get("count", 1), body.get("location")
    if not (isinstance(count, int) and count >= 0
            and (location is None or isinstance(location, str))):
        raise ApiError.one(422, "invalid", "count (≥ 0) and location (a URL or null) "
                           "are expected")
    call.sim.store.data["redirect_next_downloads"] = {"count": count, "location": location}
    call.sim.store.mark_changed()
    return json_response({"count": count, "location": location})


def set_url_base(call: Call) -> Response:
    """``POST /_simulator/attachments/url_base`` (a test option, see the docstring)."""
    base = call.json().get("base_url")
    if base is not None and not (isinstance(base, str) and base.startswith(("http://",
                                                                            "https://"))):
        raise ApiError.one(422, "invalid", "base_url is an http(s) URL or null",
                           pointer="/base_url")
    call.sim.store.data["download_url_base"] = base.rstrip("/") if base else None
    call.sim.store.mark_changed()
    return json_response({"base_url": base})


def invoice_page(call: Call) -> Response:
    """A small public page for an invoice, as ``invoice_url`` promises."""
    found = call.sim.store.find("client_invoices", call.params["id"])
    if found is None or found[1]["status"] == "canceled":
        raise ApiError.one(404, "not_found", "No such invoice", parameter="id")
    org, invoice = found
    total = invoice["totals"]["total_amount"]
    link = ""
    if invoice.get("attachment_id"):
        url = html.escape(download_url(call, org["attachments"][invoice["attachment_id"]]))
        link = f'<p><a href="{url}">PDF</a></p>'
    page = (
        f"<!doctype html><meta charset=utf-8><title>{html.escape(invoice['number'])}</title>"
        f"<h1>{html.escape(org['legal_name'])}: invoice {html.escape(invoice['number'])}</h1>"
        f"<p>Total: {html.escape(total['value'])} {html.escape(total['currency'])}"
        f" — status: {html.escape(invoice['status'])}</p>{link}"
    )
    return Response(page, mimetype="text/html")


ROUTES = [
    Route("POST", "/v2/client_invoices/uploads", create_upload),
    Route("GET", "/v2/client_invoices/uploads/{id}", get_upload),
    Route("GET", "/v2/attachments/{id}", get_attachment),
]

PUBLIC_ROUTES = [
    Route("GET", "/_simulator/files/{id}", download_file),
    Route("GET", "/_simulator/invoices/{id}", invoice_page),
    Route("POST", "/_simulator/attachments/oversize", set_oversize),
    Route("POST", "/_simulator/attachments/redirect", set_redirect),
    Route("POST", "/_simulator/attachments/url_base", set_url_base),
]
