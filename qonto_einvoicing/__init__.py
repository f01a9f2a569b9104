"""Qonto e-invoicing, without a framework.

The Qonto Business API client, pydantic models of Qonto's objects, typed errors, the
French e-invoicing lifecycle table, webhook signatures and a local Qonto simulator.
Nothing here imports Odoo: the Odoo addon around this package maps records to these
objects and stores what comes back.
"""

from .auth import ApiKey, OAuthToken, OAuthTokenAuth
from .client import PRODUCTION_URL, SANDBOX_URL, QontoClient, RetryPolicy
from .errors import (
    AuthenticationError,
    ConflictError,
    InvalidSignatureError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    QontoAPIError,
    QontoError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from .lifecycle import STAGES, Attention, LifecycleStage, stage

__all__ = [
    "PRODUCTION_URL",
    "SANDBOX_URL",
    "STAGES",
    "ApiKey",
    "Attention",
    "AuthenticationError",
    "ConflictError",
    "InvalidSignatureError",
    "LifecycleStage",
    "NotFoundError",
    "OAuthToken",
    "OAuthTokenAuth",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "QontoAPIError",
    "QontoClient",
    "QontoError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "ValidationError",
    "stage",
]
