"""Receiving: the supplier e-invoices Qonto receives as the organization's platform.

Qonto's pages (checked 2026-12-01):

- ``GET /v2/supplier_invoices`` answers ``{"supplier_invoices": [...], "meta": {...}}``
  and ``GET /v2/supplier_invoices/{id}`` ``{"supplier_invoice": {...}}`` (scope
  ``supplier_invoice.read``); filters ``filter[updated_at_from]``/``_to``,
  ``filter[created_at_from]``/``_to``, ``filter[status]``
  (api-reference/business-api/expense-management/supplier-invoices/list-supplier-invoices,
  get-started/business-api/use-cases/sync-supplier-invoices).
- The file is an attachment: ``GET /v2/attachments/{id}`` gives a URL that expires after
  30 minutes (api-reference/business-api/transactions-statements/attachments/
  retrieve-an-attachment).
- The buyer's answers: ``POST /v2/supplier_invoices/{id}/reject`` with
  ``{"supplier_invoice": {"declined_note", "declined_reason_code"}}``; from 1 September
  2026 a French e-invoice needs a ``declined_reason_code`` from the AFNOR list, or 422
  (api-reference/business-api/spend-management/supplier-invoices/reject-supplier-invoice);
  ``POST .../mark_as_paid`` with ``{"supplier_invoice": {"payment_date"}}`` and
  ``POST .../unmark_as_paid``. Qonto documents **no** endpoint that approves a received
  e-invoice.

This module holds the rules of receiving that are Qonto's or the reform's, not Odoo's:
the supplier invoice model, which of them are e-invoices to import, the file name to
give the downloaded document, how Qonto's total compares with a decoded one, the
refusal reasons, and when two company names are the same name.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator

from .models import LifecycleEvent, Money, OptDate, OptDateTime, QontoObject

__all__ = [
    "REFUSAL_CODES",
    "REFUSAL_REASONS",
    "SupplierInvoice",
    "document_file_name",
    "normalized_name",
    "received_einvoicing_status",
    "total_difference",
]

# The reform's reasons for refusing an invoice (status 210, AFNOR XP Z12-012), as codes
# Qonto's reject endpoint takes in ``declined_reason_code`` (its example: ``DOUBLON``).
REFUSAL_REASONS: tuple[tuple[str, str, str], ...] = (
    ("TX_TVA_ERR", "Taux de TVA erroné", "Wrong VAT rate"),
    ("MONTANTTOTAL_ERR", "Montant total erroné", "Wrong total amount"),
    ("CALCUL_ERR", "Erreur de calcul de la facture", "Calculation error"),
    ("NON_CONFORME", "Mention légale manquante", "Missing legal mention"),
    ("DOUBLON", "Facture en doublon", "Duplicate invoice"),
    ("DEST_ERR", "Erreur de destinataire", "Wrong recipient"),
    ("TRANSAC_INC", "Transaction inconnue", "Unknown transaction"),
    ("EMMET_INC", "Émetteur inconnu", "Unknown issuer"),
    ("CONTRAT_TERM", "Contrat terminé", "Contract ended"),
    ("DOUBLE_FACT", "Double facturation", "Billed twice"),
    ("CMD_ERR", "Numéro de commande erroné ou absent", "Wrong or missing order number"),
    ("ADR_ERR", "Adresse de facturation erronée", "Wrong billing address"),
    ("REF_CT_ABSENT", "Référence contractuelle absente", "Missing contract reference"),
)

REFUSAL_CODES = frozenset(code for code, _fr, _en in REFUSAL_REASONS)

# The file types Qonto names in ``e_invoice_type`` and the extension of each.
_EXTENSIONS = {"facturx": ".pdf", "factur-x": ".pdf", "zugferd": ".pdf", "ubl": ".xml",
               "cii": ".xml", "xml": ".xml", "pdf": ".pdf"}


class SupplierInvoice(QontoObject):
    """A supplier invoice as Qonto answers it (list and retrieve).

    Lenient like every answer: the fields this addon uses are typed, any other is kept.
    """

    id: str
    organization_id: str | None = None
    is_einvoice: bool = False
    e_invoice_type: str | None = None
    source_type: str | None = None
    status: str | None = None
    file_name: str | None = None
    attachment_id: str | None = None
    display_attachment_id: str | None = None
    invoice_number: str | None = None
    supplier_name: str | None = None
    vat_number: str | None = None
    tin: str | None = None
    total_amount: Money | None = None
    total_amount_excluding_taxes: Money | None = None
    total_tax_amount: Money | None = None
    issue_date: OptDate = None
    due_date: OptDate = None
    payment_date: OptDate = None
    declined_note: str | None = None
    created_at: OptDateTime = None
    updated_at: OptDateTime = None
    einvoicing_lifecycle_events: list[LifecycleEvent] = Field(default_factory=list)

    @field_validator("einvoicing_lifecycle_events", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def original_attachment_id(self) -> str | None:
        """The original file (the e-invoice itself), not a display copy."""
        return self.attachment_id or self.display_attachment_id

    @property
    def label(self) -> str:
        """How a message names it: number, supplier and Qonto id."""
        number = self.invoice_number or "(no number)"
        supplier = f" from {self.supplier_name}" if self.supplier_name else ""
        return f"supplier invoice {number}{supplier} (Qonto id {self.id})"


def normalized_name(name: str | None) -> str:
    """A company name reduced to what identifies it, for an exact comparison.

    Case, accents and spacing are not part of a name (``Légitime`` = ``LEGITIME``), nor
    the dots of an abbreviated legal form (``S.A.S.`` = ``SAS``); any other punctuation
    separates words (``Boulangerie-Pâtisserie`` = ``Boulangerie Pâtisserie``). Nothing
    else is dropped: the legal form stays part of the name (``Martin SAS`` and
    ``Martin SARL`` are two companies). A name made of punctuation only reduces to
    ``""``, which matches nothing.
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(" " if not (c.isalnum() or c == ".") else c for c in text)
    return " ".join(text.replace(".", "").split())


def document_file_name(invoice: SupplierInvoice, content: bytes) -> str:
    """The name to give the downloaded document: Qonto's, else one from its content.

    Odoo's importer picks its decoder partly by extension, so an XML must end in ``.xml``
    and a PDF in ``.pdf`` whatever Qonto named it.
    """
    extension = ".pdf" if content[:5] == b"%PDF-" else (
        ".xml" if content.lstrip()[:1] == b"<" else
        _EXTENSIONS.get((invoice.e_invoice_type or "").lower(), ""))
    name = invoice.file_name or f"{invoice.invoice_number or invoice.id}"
    stem, dot, current = name.rpartition(".")
    if dot and f".{current.lower()}" in (".pdf", ".xml"):
        name = stem
    return f"{name}{extension}"


def total_difference(invoice: SupplierInvoice, decoded_total: Decimal | None) -> Decimal | None:
    """Qonto's total minus the decoded one, to the cent; ``None`` when either is unknown.

    Zero means they agree. The caller shows any other value on the bill.
    """
    if invoice.total_amount is None or decoded_total is None:
        return None
    cent = Decimal("0.01")
    return (invoice.total_amount.value - decoded_total).quantize(cent)


def received_einvoicing_status(events: list[LifecycleEvent]) -> str | None:
    """The e-invoicing status of a received invoice, from its last decisive event.

    Qonto gives a supplier invoice no ``einvoicing_status``; the buyer's side shows the
    same statuses as a sent invoice: 210 Refusée / 213 Rejetée → ``declined``,
    205 Approuvée / 211 Paiement transmis / 212 Encaissée → ``approved``, anything else
    received → ``submitted``.
    """
    if not events:
        return None
    ordered = sorted(events, key=lambda e: (e.timestamp is None,
                                            e.timestamp or dt.datetime.min))
    for event in reversed(ordered):
        if event.status_code in (210, 213):
            return "declined"
        if event.status_code in (205, 206, 211, 212):
            return "approved"
    return "submitted"
