"""The simulator's data: one JSON-able dict, guarded by one lock, saved atomically.

Layout of :attr:`Store.data`::

    {"version": 1,
     "clock_offset": 0.0,             # see clock.py
     "signing_key": "<hex>",          # signs download URLs
     "seq": 0,                        # creation counter: a stable tie-break when sorting
     "organizations": {org_id: org},  # each org holds its clients, invoices, ...
     "tokens": {bearer_token: api_key_login},
     "siren_scenarios": {siren: {"scenario", "reason", "reason_message"}},
     "deliveries": [webhook delivery, ...],
     "oauth": {...}}                  # apps, codes, tokens, consents: see api_oauth.py

Each organization holds its own ``clients``, ``client_invoices``, ``credit_notes``,
``uploads``, ``attachments``, ``webhook_subscriptions`` (dicts by id) and ``emails`` (a
list): data is separated per organization by construction, and a lookup by id goes
through the caller's organization.

With a path, every change is written to a temporary file in the same folder and moved
over the old one with ``os.replace``, so a crash never leaves a half-written state.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["STATE_VERSION", "Record", "Store"]

STATE_VERSION = 1

Record = dict[str, Any]
"""A stored object (organization, client, invoice, ...): plain JSON data."""


class Store:
    """The state and its lock; the only place that touches the state file."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        # One re-entrant lock for everything: simple, and the simulator is never the
        # bottleneck of a test. Re-entrant so that a handler may call helpers that lock.
        self.lock = threading.RLock()
        self.data: Record = {}
        self._changed = False

    # ------------------------------------------------------------ persistence

    def load_or_init(self, factory: Callable[[], Record]) -> bool:
        """Load the state file, or start from ``factory()``; return whether it was loaded."""
        with self.lock:
            if self.path is not None and self.path.exists():
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
                if self.data.get("version") != STATE_VERSION:
                    raise ValueError(
                        f"{self.path}: state version {self.data.get('version')!r} is not "
                        f"{STATE_VERSION}; move the file away to start afresh"
                    )
                return True
            self.data = factory()
            self.mark_changed()
            self.save_if_changed()
            return False

    def replace(self, data: Record) -> None:
        """Swap the whole state (a reset) and save it."""
        with self.lock:
            self.data = data
            self.mark_changed()
            self.save_if_changed()

    def mark_changed(self) -> None:
        """Record that the state differs from the file; :meth:`save_if_changed` writes it."""
        self._changed = True

    def save_if_changed(self) -> None:
        """Write the state file atomically if anything changed since the last write."""
        with self.lock:
            if not self._changed:
                return
            self._changed = False
            if self.path is None:
                return
            folder = self.path.parent
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self.data, handle, separators=(",", ":"))
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    # ------------------------------------------------------------ lookups

    def next_seq(self) -> int:
        """A new value of the creation counter."""
        self.data["seq"] += 1
        return int(self.data["seq"])

    def organizations(self) -> Iterator[Record]:
        """Every organization."""
        return iter(self.data["organizations"].values())

    def organization(self, org_id: str) -> Record | None:
        """The organization ``org_id``, if any."""
        org: Record | None = self.data["organizations"].get(org_id)
        return org

    def organization_by_login(self, login: str) -> Record | None:
        """The organization whose API key login is ``login``, if any."""
        return next((o for o in self.organizations() if o["api_login"] == login), None)

    def find(self, collection: str, record_id: str) -> tuple[Record, Record] | None:
        """``(organization, record)`` for an id in any organization (control endpoints)."""
        for org in self.organizations():
            record = org[collection].get(record_id)
            if record is not None:
                return org, record
        return None
