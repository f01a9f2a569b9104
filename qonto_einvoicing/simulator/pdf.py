"""A tiny, valid one-page PDF: the simulator's stand-in for Qonto's generated invoice.

It only has to be a real PDF that a viewer opens and a test can recognize, so it is a
few lines of Helvetica text, built by hand with a correct cross-reference table.
"""

from __future__ import annotations

__all__ = ["render_pdf"]


def _pdf_text(line: str) -> bytes:
    # The font is declared in WinAnsiEncoding, so the text is written in cp1252 (accented
    # French letters, the euro sign); anything else becomes "?". Helvetica's default
    # StandardEncoding would show "é" as "Ø".
    text = line.encode("cp1252", "replace")
    return text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def render_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing ``lines``."""
    text = [b"BT", b"/F1 12 Tf", b"14 TL", b"56 780 Td"]
    for line in lines:
        text.append(b"(%s) Tj T*" % _pdf_text(line))
    text.append(b"ET")
    stream = b"\n".join(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
