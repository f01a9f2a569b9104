"""The simulator's clock: wall time plus an offset that tests move forward.

Everything that happens "later" in the simulator (lifecycle steps, the PDF being ready,
webhook retries) is scheduled on this clock, so a test advances it instead of sleeping.
The offset lives in the persistent state: after a restart, time goes on where it was.
"""

from __future__ import annotations

import datetime as dt
import time

from .state import Store

__all__ = ["Clock", "iso", "iso_date", "parse_instant"]


class Clock:
    """Simulator time: ``time.time()`` plus the stored offset, in epoch seconds."""

    def __init__(self, store: Store, today_utc_offset_hours: float = 0.0) -> None:
        self._store = store
        self._today_offset = today_utc_offset_hours * 3600

    @property
    def offset(self) -> float:
        """Seconds the clock has been advanced past wall time."""
        return float(self._store.data["clock_offset"])

    def now(self) -> float:
        """The current simulator time, in epoch seconds."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward (the caller holds the store lock)."""
        self._store.data["clock_offset"] = self.offset + seconds
        self._store.mark_changed()

    def today(self) -> dt.date:
        """The current simulator date: UTC's, or that many hours ahead (see the option
        ``today_utc_offset_hours``)."""
        return dt.datetime.fromtimestamp(self.now() + self._today_offset,
                                         dt.timezone.utc).date()


def iso(ts: float) -> str:
    """``ts`` as Qonto writes instants: UTC, milliseconds, ``Z`` (``2026-11-25T10:00:00.000Z``).

    One fixed format everywhere means stored instants also sort correctly as strings.
    """
    moment = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_date(day: dt.date) -> str:
    """Midnight UTC of ``day``, in the format of :func:`iso`."""
    return f"{day.isoformat()}T00:00:00.000Z"


def parse_instant(text: str, *, end_of_day: bool = False) -> float:
    """Epoch seconds of an ISO date or date-time; a naive value is read as UTC.

    A bare date is midnight, or the last instant of that day with ``end_of_day`` (so that
    ``filter[created_at_to]=2026-01-31`` includes the whole of the 31st). Raises
    ``ValueError`` on anything else.
    """
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
        if end_of_day:
            moment += dt.timedelta(days=1, microseconds=-1)
        return moment.timestamp()
    if text.endswith(("Z", "z")):
        # Python 3.10's fromisoformat does not read the "Z" that Qonto writes.
        text = text[:-1] + "+00:00"
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.timestamp()
