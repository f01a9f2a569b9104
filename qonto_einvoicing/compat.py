"""What the core needs from Python 3.11+, available on Python 3.10 too.

Odoo 19 runs on Python 3.10 and later, and so does this package. Two names are used
instead of the standard library's 3.11 ones:

- :data:`UTC`, the same object as ``datetime.timezone.utc`` (``datetime.UTC`` on 3.11+);
- :class:`StrEnum`, :class:`enum.StrEnum` where it exists, else an equivalent whose
  members are strings and whose ``str()`` and ``format()`` give the value.
"""

from __future__ import annotations

import datetime as _dt
import enum
import sys

__all__ = ["UTC", "StrEnum"]

UTC = _dt.timezone.utc  # datetime.UTC does not exist on Python 3.10

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - exercised by the Python 3.10 run of the suite

    class StrEnum(str, enum.Enum):
        """Python 3.11's :class:`enum.StrEnum` for Python 3.10."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, format_spec: str) -> str:
            return format(str(self.value), format_spec)

        @staticmethod
        def _generate_next_value_(name: str, start: int, count: int,
                                  last_values: list[object]) -> str:
            return name.lower()
