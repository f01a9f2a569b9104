"""Invoice files: uploads (``/v2/client_invoices/uploads``) and bulk imports (Flow 2)."""

from __future__ import annotations

from ..bulk import check_bulk_files, sniff_file_type
from ..errors import UnexpectedResponseError
from ..models import BulkImportedInvoice, ClientInvoiceUpload
from .base import Resource

__all__ = ["BulkImportsResource", "UploadsResource"]

_UPLOADS = "/v2/client_invoices/uploads"
_BULK = "/v2/client_invoices/bulk"


class UploadsResource(Resource):
    """Files to reference as ``upload_id`` when creating a client invoice."""

    def create(self, filename: str, content: bytes,
               content_type: str = "application/pdf") -> ClientInvoiceUpload:
        """Upload a PDF (Factur-X), JPEG or PNG."""
        data = self._transport.request(
            "POST", _UPLOADS, safe=False,
            files={"client_invoices_upload": (filename, content, content_type)})
        return self._transport.unwrap(data, "client_invoice_upload", ClientInvoiceUpload,
                                      path=_UPLOADS)

    def get(self, upload_id: str) -> ClientInvoiceUpload:
        """One upload, with a fresh download URL (*Retrieve a client invoice upload*)."""
        return self._transport.get(f"{_UPLOADS}/{upload_id}", "client_invoice_upload",
                                   ClientInvoiceUpload)


class BulkImportsResource(Resource):
    """Invoice files issued elsewhere, imported as client invoices (Flow 2)."""

    def create(self, files: list[tuple[str, bytes]]) -> list[BulkImportedInvoice]:
        """Import invoice files: ``POST /v2/client_invoices/bulk``.

        ``files`` are ``(file_name, content)`` pairs, PDF (a Factur-X keeps its XML),
        JPEG or PNG. Qonto's limits (1 to 5 files, 5 MB each, 15 MB in all, those types)
        are checked first: :class:`PayloadError` before any request. Qonto imports all
        or nothing, and the same file again gives back the same invoice: the request is
        safe to repeat, so a lost answer is retried and never makes a second invoice.
        """
        check_bulk_files(files)
        data = self._transport.request("POST", _BULK, safe=True, files=[
            ("client_invoices", (name, content, sniff_file_type(content) or
                                 "application/octet-stream"))
            for name, content in files])
        if not isinstance(data, dict) or not isinstance(data.get("client_invoices"), list):
            raise UnexpectedResponseError(f"{_BULK}: the answer has no 'client_invoices'",
                                          path=_BULK)
        return [self._transport.read(BulkImportedInvoice, item, what="client_invoices",
                                     path=_BULK)
                for item in data["client_invoices"]]
