"""What every resource of :mod:`qonto_einvoicing.resources` shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from ..models import QontoPayload
from ..transport import Transport

__all__ = ["Resource", "checked", "list_filters"]

P = TypeVar("P", bound=QontoPayload)


class Resource:
    """One kind of Qonto object, reached through the client's :class:`Transport`."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport


def checked(model: type[P], payload: P | Mapping[str, Any]) -> P:
    """``payload`` as ``model``, checked: :class:`~qonto_einvoicing.errors.PayloadError`
    before any request."""
    if isinstance(payload, model):
        return payload
    if isinstance(payload, QontoPayload):
        payload = payload.to_json()
    result: P = model.model_validate(dict(payload))
    return result


def list_filters(dates: Mapping[str, dt.datetime | None], status: list[str] | None,
                 sort_by: str | None) -> dict[str, Any]:
    """Qonto's list query: ``filter[<date>]`` for each date given, ``filter[status]``
    comma-separated, ``sort_by`` (the same for client and supplier invoices)."""
    params: dict[str, Any] = {f"filter[{k}]": v.isoformat() for k, v in dates.items() if v}
    if status:
        params["filter[status]"] = ",".join(status)
    if sort_by:
        params["sort_by"] = sort_by
    return params
