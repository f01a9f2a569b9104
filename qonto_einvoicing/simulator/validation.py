"""Payload checks with the models of :mod:`qonto_einvoicing.models`, answered as 422."""

from __future__ import annotations

from typing import Any

from ..models import QontoPayload, payload_errors
from .jsonapi import ApiError

__all__ = ["validated"]


def validated(model: type[QontoPayload], body: dict[str, Any]) -> dict[str, Any]:
    """``body`` checked against ``model``, as JSON data; 422 with pointers when invalid."""
    errors = payload_errors(model, body)
    if errors:
        raise ApiError.from_objects(422, errors)
    return model.model_validate(body).to_json()
