"""The simulator's PDFs read as written: French accents survive a text extraction."""

import io

from pypdf import PdfReader

from qonto_einvoicing.simulator.pdf import render_pdf


def test_french_text_reads_back_from_the_pdf():
    pdf = render_pdf(["Café du Rhône", "Démo Fournisseur SAS", "Total : 120,00 €"])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Café du Rhône" in text
    assert "Démo Fournisseur SAS" in text
    assert "120,00 €" in text


def test_parentheses_and_backslashes_are_escaped():
    text = PdfReader(io.BytesIO(render_pdf([r"Note (a\b)"]))).pages[0].extract_text()
    assert r"Note (a\b)" in text
