"""The child process of :class:`~qonto_einvoicing.schematron.SchematronValidator`.

Reads documents from standard input (a 1-byte profile length and a 4-byte big-endian XML
length, the profile, the XML), runs the schematron of that profile (``en16931`` or
``extended``) and the French BR-FR one with Saxon (``saxonche``, XSLT 2), and writes one
JSON line per document: ``{"violations": [...]}`` or ``{"error": "..."}``. The stylesheets
are compiled once, as it starts (its parent may start it ahead of the first document).
Ends at the end of its input.

A document is untrusted: it is refused unread when :mod:`.safe_xml` refuses it (its
parent refuses it first), and Saxon's parser is set to refuse any ``DOCTYPE`` and to open
no external entity nor DTD, and Saxon to read no URI but the stylesheets' own code lists
(``file:``). The child bounds its own writable memory (``RLIMIT_DATA``, from
``QONTO_SCHEMATRON_MEMORY_LIMIT``); its parent bounds its time.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from typing import Any, BinaryIO

from . import safe_xml
from .facturx_check import Violation, business_terms, schematron_files
from .schematron import violation_to_json

_SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
_PARSER_FEATURE = "http://saxon.sf.net/feature/parserFeature?uri="
_SAXON_SETTINGS = {
    # Only the stylesheets' own document('..._codedb.xml') calls read anything: a file.
    "http://saxon.sf.net/feature/allowedProtocols": "file",
    _PARSER_FEATURE + "http%3A//apache.org/xml/features/disallow-doctype-decl": "true",
    _PARSER_FEATURE + "http%3A//xml.org/sax/features/external-general-entities": "false",
    _PARSER_FEATURE + "http%3A//xml.org/sax/features/external-parameter-entities": "false",
    _PARSER_FEATURE + "http%3A//apache.org/xml/features/nonvalidating/load-external-dtd":
        "false",
}


def _violations(svrl: bytes, source: str) -> list[Violation]:
    from lxml import etree  # noqa: PLC0415

    root = etree.fromstring(svrl, safe_xml.parser())
    found = []
    for node in root.xpath("//svrl:failed-assert | //svrl:successful-report",
                           namespaces=_SVRL):
        text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=_SVRL)).split())
        found.append(Violation(
            rule=node.get("id") or "",
            text=text,
            location=node.get("location") or "",
            flag=node.get("flag") or "fatal",
            source=source,
            terms=business_terms(text),
        ))
    return found


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return b""
        data += chunk
    return data


ADDRESS_SPACE = 40 * 1024**3
"""Saxon's native image (GraalVM) reserves 32 GB of address space for its heap as it
starts, and fails below about 33 GB: more than an Odoo worker's ``limit_memory_hard``
(an address-space limit this child inherits) allows. That reservation is not memory;
what the child really uses is bounded by ``RLIMIT_DATA`` instead."""


def _limit_memory() -> None:
    """Set this process's limits: the address space Saxon needs, and the writable memory
    its parent allows (measured: about 300 MB with both stylesheets compiled)."""
    try:
        import resource  # noqa: PLC0415
    except ImportError:  # not on POSIX
        return

    def capped(limit: int, hard: int) -> int:
        return limit if hard == resource.RLIM_INFINITY else min(limit, hard)

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (capped(ADDRESS_SPACE, hard), hard))
    data = int(os.environ.get("QONTO_SCHEMATRON_MEMORY_LIMIT") or 0)
    if data > 0:
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(resource.RLIMIT_DATA, (capped(data, hard), capped(data, hard)))


def harden(processor: Any) -> None:
    """Set ``processor`` (a ``PySaxonProcessor``) to refuse any DTD and to read no URI
    but files (the stylesheets' code lists)."""
    for name, value in _SAXON_SETTINGS.items():
        processor.set_configuration_property(name, value)


def main() -> int:
    """Serve documents until the input ends."""
    _limit_memory()
    from saxonche import PySaxonProcessor  # noqa: PLC0415

    # Saxon may write to the standard output: answers go to a private copy of it.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    source = sys.stdin.buffer
    with PySaxonProcessor(license=False) as processor:
        harden(processor)
        xslt = processor.new_xslt30_processor()
        compiled: dict[str, Any] = {
            name: xslt.compile_stylesheet(stylesheet_file=path)
            for name, path in schematron_files().items()}
        while True:
            header = _read_exactly(source, 5)
            if not header:
                return 0
            profile_size, xml_size = struct.unpack(">BI", header)
            if xml_size > safe_xml.MAX_XML_BYTES:  # its parent never sends one
                return 2
            profile = _read_exactly(source, profile_size).decode("ascii")
            xml = _read_exactly(source, xml_size)
            answer: dict[str, Any]
            try:
                safe_xml.check_untrusted_xml(xml, "factur-x.xml")
                document = processor.parse_xml(xml_text=xml.decode("utf-8"))
                violations = []
                for name in (profile, "fr-ctc"):
                    executable = compiled[name]
                    svrl = executable.transform_to_string(xdm_node=document)
                    violations += _violations(svrl.encode("utf-8"), name)
                answer = {"violations": [violation_to_json(v) for v in violations]}
            except Exception as exc:
                answer = {"error": f"{exc.__class__.__name__}: {exc}"}
            answers.write(json.dumps(answer).encode("utf-8") + b"\n")
            answers.flush()


if __name__ == "__main__":
    sys.exit(main())
