"""Credit notes: ``/v2/credit_notes``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..models import CreditNote, CreditNoteCreatePayload
from .base import Resource, checked

__all__ = ["CreditNotesResource"]


class CreditNotesResource(Resource):
    """Credit (part of) an issued invoice; read credit notes."""

    def create(self, payload: CreditNoteCreatePayload | Mapping[str, Any]) -> CreditNote:
        """Create a credit note (positive quantities: Qonto negates them)."""
        created: CreditNote = self._transport.send(
            "POST", "/v2/credit_notes", "credit_note", CreditNote,
            checked(CreditNoteCreatePayload, payload), safe=False)
        return created

    def get(self, credit_note_id: str) -> CreditNote:
        return self._transport.get(f"/v2/credit_notes/{credit_note_id}", "credit_note",
                                   CreditNote)

    def list(self) -> Iterator[CreditNote]:
        return self._transport.paginate("/v2/credit_notes", "credit_notes", CreditNote)
