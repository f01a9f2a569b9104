"""Whether a URL stays on this machine: where a simulator may be reached with real keys.

The simulator is a local tool. A URL that leaves the machine is where a stored API key or
OAuth client secret must not go unless the operator said so, so the rule is strict and
costs no network: the host must be ``localhost`` (or a name under ``.localhost``, which
RFC 6761 keeps on the machine) or a literal loopback address (``127.0.0.0/8``, ``::1``).
A name is never resolved: what it resolves to can change between the check and the call.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback_url"]


def is_loopback_url(url: str) -> bool:
    """``True`` when ``url`` is an ``http``/``https`` URL whose host is this machine."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback
