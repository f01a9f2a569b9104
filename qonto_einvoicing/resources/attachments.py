"""Attachments: ``/v2/attachments/{id}`` and the download behind its expiring URL."""

from __future__ import annotations

import logging

import requests

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

    def download(self, attachment_id: str) -> bytes:
        """The attachment's bytes, fetched at once: Qonto's download URL expires in 30 min.

        A URL refused as expired (403, or 410) is asked for again once: a new URL is
        valid for another 30 minutes.
        """
        transport = self._transport
        for attempt in range(2):
            attachment = self.get(attachment_id)
            if not attachment.url:
                raise TransportError(f"attachment {attachment_id} has no download URL",
                                     request_may_have_reached_qonto=False)
            try:
                response = transport.session.get(attachment.url, timeout=transport.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise TransportError(f"download of attachment {attachment_id}: "
                                     f"{exc.__class__.__name__}") from None
            if response.status_code in (403, 410) and attempt == 0:
                _logger.info("Download URL of attachment %s expired: asking for a new one",
                             attachment_id)
                continue
            if response.status_code >= 400:
                raise error_from_response(response.status_code, None, method="GET",
                                          path=f"attachment {attachment_id}")
            return response.content
        raise AssertionError("unreachable")  # pragma: no cover
