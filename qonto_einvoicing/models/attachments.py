"""Attachments: the files Qonto keeps (invoice PDFs, Factur-X)."""

from __future__ import annotations

from .base import QontoObject
from .values import OptDateTime


class Attachment(QontoObject):
    id: str
    file_name: str | None = None
    file_size: int | None = None
    file_content_type: str | None = None
    url: str | None = None
    created_at: OptDateTime = None
