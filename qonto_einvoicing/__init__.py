"""Qonto e-invoicing, without a framework.

The Qonto Business API client, pydantic models of Qonto's objects, typed errors, the
French e-invoicing lifecycle table, French identifier checks, rate-limit pacing,
webhook signatures and a local Qonto simulator.
Nothing here imports Odoo: the Odoo addon around this package maps records to these
objects and stores what comes back.
"""

from .auth import ApiKey, OAuthToken, OAuthTokenAuth
from .client import PRODUCTION_URL, SANDBOX_URL, QontoClient, RetryPolicy
from .errors import (
    AuthenticationError,
    ConflictError,
    ErrorObject,
    InvalidSignatureError,
    NotFoundError,
    PayloadError,
    PermissionDeniedError,
    PreconditionFailedError,
    QontoAPIError,
    QontoError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
)
from .identifiers import is_fr_vat, is_siren, is_siret, siren_of
from .lifecycle import STAGES, Attention, LifecycleStage, stage
from .ratelimit import QONTO_RATE_LIMITS, RateLimiter

__all__ = [
    "PRODUCTION_URL",
    "QONTO_RATE_LIMITS",
    "SANDBOX_URL",
    "STAGES",
    "ApiKey",
    "Attention",
    "AuthenticationError",
    "ConflictError",
    "ErrorObject",
    "InvalidSignatureError",
    "LifecycleStage",
    "NotFoundError",
    "OAuthToken",
    "OAuthTokenAuth",
    "PayloadError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "QontoAPIError",
    "QontoClient",
    "QontoError",
    "RateLimitedError",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "ValidationError",
    "is_fr_vat",
    "is_siren",
    "is_siret",
    "siren_of",
    "stage",
]
