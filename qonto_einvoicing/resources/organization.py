"""The organization: ``/v2/organization``, its e-invoicing settings, OAuth consents."""

from __future__ import annotations

from ..models import EInvoicingSettings, Organization
from .base import Resource

__all__ = ["OrganizationResource"]


class OrganizationResource(Resource):
    """The authenticated organization."""

    def get(self) -> Organization:
        """The organization and its bank accounts; also the connection check."""
        return self._transport.get("/v2/organization", "organization", Organization)

    def einvoicing_settings(self) -> EInvoicingSettings:
        """Whether the organization can send (``sending_status``) and receive e-invoices."""
        path = "/v2/einvoicing/settings"
        return self._transport.unwrap(self._transport.request("GET", path),
                                      "einvoicing_settings", EInvoicingSettings, path=path,
                                      bare=True)

    def revoke_consents(self) -> None:
        """Revoke the OAuth consents of the authenticated membership (Disconnect).

        ``DELETE /v2/oauth2/consents`` (Qonto's *Revoke consents* page, scope
        ``organization.read``): every token of the consent stops working.
        """
        self._transport.request("DELETE", "/v2/oauth2/consents", safe=True, decode=False)
