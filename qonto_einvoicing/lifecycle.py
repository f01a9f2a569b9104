"""The French e-invoicing lifecycle: status codes 200 to 214 and what they mean.

Qonto reports each step of an invoice on the network as an ``einvoicing_lifecycle_event``
whose ``status_code`` comes from the reform's list (seed ``002``). This table gives each
code its French and English label and what it asks of the accountant. A code that is
not in the table (the standard may grow) is kept with its number, never dropped.

The labels are seed ``002``'s, word for word (its ``status_code`` description; seed
``000`` agrees on 200 to 202), but for the capital accent the seed drops: it writes
"Emise", French spelling (and the screens) "Émise". 202 is "Reçue de la plateforme /
Received from the platform".
"""

from __future__ import annotations

from dataclasses import dataclass

from .compat import StrEnum

__all__ = ["REASONS", "STAGES", "Attention", "LifecycleStage", "Reason", "reason", "stage"]


class Attention(StrEnum):
    """What a lifecycle step asks of the accountant."""

    IN_PROGRESS = "in_progress"
    """The invoice is moving on the network; nothing to do."""
    DONE = "done"
    """A good end: the buyer approved it, or the money arrived."""
    NEEDS_ATTENTION = "needs_attention"
    """Someone must act: refused, rejected, disputed, suspended."""


@dataclass(frozen=True)
class LifecycleStage:
    """One status code of the lifecycle."""

    code: int
    label_fr: str
    label_en: str
    attention: Attention
    final: bool = False
    """No further event is expected: stop refreshing the invoice."""
    known: bool = True

    def label(self, lang: str | None = None) -> str:
        """The label in ``lang`` (``fr`` or ``fr_FR`` gives French, anything else English)."""
        return self.label_fr if (lang or "").lower().startswith("fr") else self.label_en


_IN, _DONE, _ACT = Attention.IN_PROGRESS, Attention.DONE, Attention.NEEDS_ATTENTION

STAGES: dict[int, LifecycleStage] = {
    s.code: s
    for s in (
        LifecycleStage(200, "Déposée", "Submitted", _IN),
        LifecycleStage(201, "Émise par la plateforme", "Issued by the platform", _IN),
        LifecycleStage(202, "Reçue de la plateforme", "Received from the platform", _IN),
        LifecycleStage(203, "Mise à disposition", "Made available", _IN),
        LifecycleStage(204, "Prise en charge", "Taken over", _IN),
        LifecycleStage(205, "Approuvée", "Approved", _DONE),
        LifecycleStage(206, "Approuvée partiellement", "Partially approved", _ACT),
        LifecycleStage(207, "En litige", "In dispute", _ACT),
        LifecycleStage(208, "Suspendue", "Suspended", _ACT),
        LifecycleStage(209, "Complétée", "Completed", _IN),
        LifecycleStage(210, "Refusée", "Refused", _ACT, final=True),
        LifecycleStage(211, "Paiement transmis", "Payment sent", _IN),
        LifecycleStage(212, "Encaissée", "Collected", _DONE, final=True),
        LifecycleStage(213, "Rejetée", "Rejected", _ACT, final=True),
        LifecycleStage(214, "Visée", "Vised", _IN),
    )
}


def stage(code: int) -> LifecycleStage:
    """The stage of ``code``; an unknown code gets a neutral stage that keeps its number."""
    known = STAGES.get(code)
    if known is not None:
        return known
    return LifecycleStage(
        code, "Statut inconnu", "Unknown status", Attention.NEEDS_ATTENTION, known=False
    )


@dataclass(frozen=True)
class Reason:
    """Why the buyer or a platform stopped an invoice (the event's ``reason``)."""

    code: str
    label_fr: str
    label_en: str
    known: bool = True

    def label(self, lang: str | None = None) -> str:
        """The label in ``lang``; an unknown code is shown as Qonto sent it."""
        return self.label_fr if (lang or "").lower().startswith("fr") else self.label_en


# Qonto's ``reason`` is "the reason label associated with a given event" (seed ``002``,
# example ``DOUBLE FACTURE``). The reform's reason codes for a refusal (210) and a
# rejection (213) come from the French lifecycle standard (AFNOR XP Z12-012, the
# "Status Reason Codes" table republished by e-invoicing providers, e.g.
# developer.vertexinc.com/einvoicing/docs/france-general-status-reason-codes). A code
# not listed is kept and shown as it came.
REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        # Refused by the buyer (210).
        Reason("TX_TVA_ERR", "Taux de TVA erroné", "Wrong VAT rate"),
        Reason("MONTANTTOTAL_ERR", "Montant total erroné", "Wrong total amount"),
        Reason("CALCUL_ERR", "Erreur de calcul de la facture", "Calculation error"),
        Reason("NON_CONFORME", "Mention légale manquante ou non conforme",
               "Invoice not compliant"),
        Reason("DOUBLON", "Facture en doublon", "Duplicate invoice"),
        Reason("DOUBLE_FACT", "Double facture", "Invoice received twice"),
        Reason("DOUBLE_FACTURE", "Double facture", "Invoice received twice"),
        Reason("DEST_ERR", "Erreur de destinataire", "Wrong recipient"),
        Reason("ADR_ERR", "Erreur d'adresse de facturation", "Wrong billing address"),
        Reason("EMMET_INC", "Émetteur inconnu", "Unknown issuer"),
        Reason("TRANSAC_INC", "Transaction inconnue", "Unknown transaction"),
        Reason("CMD_ERR", "Référence de commande erronée", "Wrong purchase order reference"),
        Reason("REF_CT_ABSENT", "Référence contractuelle absente",
               "Contract reference missing"),
        Reason("CONTRAT_TERM", "Contrat terminé", "Contract terminated"),
        # Rejected by a platform (213).
        Reason("REJ_SEMAN", "Erreur sémantique", "Semantic error"),
        Reason("REJ_UNI", "Facture déjà déposée", "Invoice already submitted"),
        Reason("REJ_COH", "Données incohérentes", "Inconsistent data"),
        Reason("REJ_ADR", "Erreur d'adressage", "Addressing error"),
    )
}


def reason(code: str | None) -> Reason | None:
    """The reason of a lifecycle event, matched without regard to case or spaces.

    Qonto's own example writes ``DOUBLE FACTURE`` with a space where the reform's codes
    use ``_``. ``None`` for an event without reason; an unknown code keeps its text.
    """
    text = (code or "").strip()
    if not text:
        return None
    key = "_".join(text.upper().split())
    known = REASONS.get(key)
    if known is not None:
        return known
    return Reason(text, text, text, known=False)
