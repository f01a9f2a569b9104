"""XML from outside, read without trusting it.

An invoice never needs a ``DOCTYPE``: a DTD is how an XML document makes its reader
open files and URLs (external entities, external DTDs) or blow up (nested entities).
A Factur-X from a user, a buyer or a platform is therefore refused, unread, when it
declares one, when it is not UTF-8 (the encoding Factur-X prescribes, and the only one
in which that refusal can be checked on the bytes) or when it is larger than any invoice
(:data:`MAX_XML_BYTES`). What passes is parsed by :func:`parse`, whose parser resolves
no entity, loads no DTD and opens no network connection, should anything slip through.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_XML_BYTES", "UnsafeXmlError", "check_untrusted_xml", "parse", "parser"]

MAX_XML_BYTES = 2 * 1024 * 1024
"""The largest Factur-X XML read: about 1,500 invoice lines. Saxon needs about 6 s per
MB on the schematrons, so this also bounds what one invoice may cost the server."""

_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


class UnsafeXmlError(ValueError):
    """The XML is refused before any parser sees it (DTD, not UTF-8, too large)."""


def check_untrusted_xml(xml: bytes, name: str = "XML") -> None:
    """:class:`UnsafeXmlError` naming ``name`` when ``xml`` must not reach a parser."""
    if len(xml) > MAX_XML_BYTES:
        raise UnsafeXmlError(
            f"{name}: {len(xml) / 1048576:.1f} MB of XML, over the {MAX_XML_BYTES // 1048576}"
            " MB an invoice may have; refused unread")
    if xml.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00", b"\x4c\x6f\xa7\x94")):
        raise UnsafeXmlError(f"{name}: the XML is not UTF-8 (Factur-X is); refused unread")
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeXmlError(f"{name}: the XML is not UTF-8 (Factur-X is); refused unread") \
            from None
    declared = _ENCODING.match(xml.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).strip().lower().replace(b"_", b"-") not in (b"utf-8",
                                                                                b"utf8"):
        raise UnsafeXmlError(f"{name}: the XML declares the encoding "
                             f"{declared.group(1).decode('ascii', 'replace')!r}, not UTF-8 "
                             "(Factur-X is UTF-8); refused unread")
    found = _DECLARATIONS.search(xml)
    if found:
        raise UnsafeXmlError(
            f"{name}: the XML declares a {found.group(1).decode().upper()} (a DTD, which "
            "can make its reader open files or addresses); an invoice never needs one: "
            "refused unread")


def parser() -> Any:
    """An ``lxml`` parser that resolves no entity, loads no DTD and opens no connection."""
    from lxml import etree  # noqa: PLC0415 (lxml comes with factur-x; loaded when used)

    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                           dtd_validation=False, huge_tree=False)


def parse(xml: bytes) -> Any:
    """The root element of ``xml``, parsed by :func:`parser` (``XMLSyntaxError`` if
    malformed); a document that still carries a DTD is refused."""
    from lxml import etree  # noqa: PLC0415

    root = etree.fromstring(xml, parser())
    if root.getroottree().docinfo.doctype:
        raise UnsafeXmlError("the XML declares a DOCTYPE; refused")
    return root
