"""Attachments: ``/v2/attachments/{id}`` and the download behind its expiring URL."""

from __future__ import annotations

import logging

from .. import downloads
from ..downloads import MAX_DOWNLOAD_BYTES
from ..errors import TransportError, error_from_response
from ..models import Attachment
from .base import Resource

__all__ = ["AttachmentsResource"]

_logger = logging.getLogger(__name__)


class AttachmentsResource(Resource):
    """The files of invoices (PDFs, received e-invoices)."""

    def get(self, attachment_id: str) -> Attachment:
        return self._transport.get(f"/v2/attachments/{attachment_id}", "attachment",
                                   Attachment)

    def download(self, attachment_id: str, *, label: str | None = None,
                 max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
        """The attachment's bytes, fetched at once: Qonto's download URL expires in 30 min.

        A URL refused as expired (403, or 410) is asked for again once: a new URL is
        valid for another 30 minutes. The URL must be HTTPS against Qonto, the
        simulator's own against a simulator, and the file at most ``max_bytes``
        (:mod:`qonto_einvoicing.downloads`); ``label`` names the file's owner (a
        supplier invoice) in the errors.
        """
        transport = self._transport
        label = label or f"attachment {attachment_id}"
        for attempt in range(2):
            attachment = self.get(attachment_id)
            if not attachment.url:
                raise TransportError(f"attachment {attachment_id} has no download URL",
                                     request_may_have_reached_qonto=False)
            status, content = downloads.fetch(
                transport.session, attachment.url, base_url=transport.base_url,
                is_qonto=transport.is_qonto, label=label, timeout=transport.timeout,
                max_bytes=max_bytes)
            if status in (403, 410) and attempt == 0:
                _logger.info("Download URL of attachment %s expired: asking for a new one",
                             attachment_id)
                continue
            if status >= 400:
                raise error_from_response(status, None, method="GET",
                                          path=f"attachment {attachment_id}")
            return content
        raise AssertionError("unreachable")  # pragma: no cover
