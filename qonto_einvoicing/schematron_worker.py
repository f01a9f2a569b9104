"""The child process of :class:`~qonto_einvoicing.facturx_check.SchematronValidator`.

Reads documents from standard input (a 1-byte profile length and a 4-byte big-endian XML
length, the profile, the XML), runs the schematron of that profile (``en16931`` or
``extended``) and the French BR-FR one with Saxon (``saxonche``, XSLT 2), and writes one
JSON line per document: ``{"violations": [...]}`` or ``{"error": "..."}``. Each stylesheet
is compiled once, when first needed. Ends at the end of its input.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from typing import Any, BinaryIO

from .facturx_check import Violation, business_terms, schematron_files, violation_to_json

_SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def _violations(svrl: bytes, source: str) -> list[Violation]:
    from lxml import etree  # noqa: PLC0415

    root = etree.fromstring(svrl)
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


def _lift_address_space_limit() -> None:
    """Saxon's native image reserves much virtual memory, more than an Odoo worker's
    ``limit_memory_hard`` (an address-space limit this child inherits) allows: raise
    the soft limit to the hard one, as Odoo does for the Chrome it starts."""
    try:
        import resource  # noqa: PLC0415
    except ImportError:  # not on POSIX
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def main() -> int:
    """Serve documents until the input ends."""
    _lift_address_space_limit()
    from saxonche import PySaxonProcessor  # noqa: PLC0415

    # Saxon may write to the standard output: answers go to a private copy of it.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    source = sys.stdin.buffer
    with PySaxonProcessor(license=False) as processor:
        xslt = processor.new_xslt30_processor()
        files = schematron_files()
        compiled: dict[str, Any] = {}
        while True:
            header = _read_exactly(source, 5)
            if not header:
                return 0
            profile_size, xml_size = struct.unpack(">BI", header)
            profile = _read_exactly(source, profile_size).decode("ascii")
            xml = _read_exactly(source, xml_size)
            answer: dict[str, Any]
            try:
                document = processor.parse_xml(xml_text=xml.decode("utf-8"))
                violations = []
                for name in (profile, "fr-ctc"):
                    if name not in compiled:
                        compiled[name] = xslt.compile_stylesheet(stylesheet_file=files[name])
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
