"""The lifecycle code table: every code of the reform, in French and English."""

from qonto_einvoicing.lifecycle import STAGES, Attention, reason, stage


def test_every_code_from_200_to_214_is_known_with_both_labels():
    assert sorted(STAGES) == list(range(200, 215))
    for code, known in STAGES.items():
        assert known.known and known.code == code
        assert known.label_fr and known.label_en and known.label_en != "Unknown status"


def test_labels_follow_the_language():
    assert stage(200).label("fr_FR") == "Déposée"
    assert stage(200).label("en_US") == "Submitted"
    assert stage(212).label("fr") == "Encaissée"
    assert stage(213).label(None) == "Rejected"


def test_what_each_code_asks_of_the_accountant():
    assert stage(201).attention is Attention.IN_PROGRESS
    assert stage(205).attention is Attention.DONE
    assert stage(212).attention is Attention.DONE and stage(212).final
    for refusal in (210, 213):
        assert stage(refusal).attention is Attention.NEEDS_ATTENTION
        assert stage(refusal).final
    assert not stage(202).final


def test_unknown_code_is_kept_with_its_number():
    unknown = stage(221)
    assert unknown.code == 221 and not unknown.known
    assert (unknown.label("fr"), unknown.label("en")) == ("Statut inconnu", "Unknown status")
    assert unknown.attention is Attention.NEEDS_ATTENTION


# Seed 002 (the spec of record), ClientInvoice's EInvoicingLifecycleEvent.status_code.
SEED_002_LABELS = {
    200: ("Déposée", "Submitted"),
    201: ("Émise par la plateforme", "Issued by the platform"),  # the seed drops the É
    202: ("Reçue de la plateforme", "Received from the platform"),
    203: ("Mise à disposition", "Made available"),
    204: ("Prise en charge", "Taken over"),
    205: ("Approuvée", "Approved"),
    206: ("Approuvée partiellement", "Partially approved"),
    207: ("En litige", "In dispute"),
    208: ("Suspendue", "Suspended"),
    209: ("Complétée", "Completed"),
    210: ("Refusée", "Refused"),
    211: ("Paiement transmis", "Payment sent"),
    212: ("Encaissée", "Collected"),
    213: ("Rejetée", "Rejected"),
    214: ("Visée", "Vised"),
}


def test_every_label_is_seed_002s_word_for_word():
    assert {code: (s.label_fr, s.label_en) for code, s in STAGES.items()} == SEED_002_LABELS


def test_reasons_have_labels_and_unknown_codes_are_kept():
    assert reason("TX_TVA_ERR").label("fr_FR") == "Taux de TVA erroné"
    assert reason("tx_tva_err").label("en_US") == "Wrong VAT rate"
    # Qonto's own example (seed 002) writes the code with a space.
    assert reason("DOUBLE FACTURE").label("fr") == "Double facture"
    unknown = reason("MOTIF_MAISON")
    assert not unknown.known and unknown.label("fr_FR") == "MOTIF_MAISON"
    assert reason(None) is None and reason("  ") is None
