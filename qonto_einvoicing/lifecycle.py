"""The French e-invoicing lifecycle: status codes 200 to 214 and what they mean.

Qonto reports each step of an invoice on the network as an ``einvoicing_lifecycle_event``
whose ``status_code`` comes from the reform's list (seed ``002``). This table gives each
code its French and English label and what it asks of the accountant. A code that is
not in the table (the standard may grow) is kept with its number, never dropped.

The labels are seed ``002``'s, word for word (its ``status_code`` description; seed
``000`` agrees on 200 to 202): "Emise" is written without an accent there, and 202 is
"Reçue de la plateforme / Received from the platform".
"""

from __future__ import annotations

from dataclasses import dataclass

from .compat import StrEnum

__all__ = ["STAGES", "Attention", "LifecycleStage", "stage"]


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
        LifecycleStage(201, "Emise par la plateforme", "Issued by the platform", _IN),
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
