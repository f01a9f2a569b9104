"""The route table of the Qonto API the simulator answers (all authenticated)."""

from __future__ import annotations

from . import (
    api_bulk,
    api_clients,
    api_credit_notes,
    api_files,
    api_invoice_actions,
    api_invoices,
    api_oauth,
    api_organization,
    api_supplier_actions,
    api_supplier_invoices,
    api_transactions,
    api_webhooks,
)
from .routing import Route

__all__ = ["API_ROUTES"]

API_ROUTES: list[Route] = [
    *api_organization.ROUTES,
    *api_clients.ROUTES,
    *api_bulk.ROUTES,
    *api_invoices.ROUTES,
    *api_invoice_actions.ROUTES,
    *api_credit_notes.ROUTES,
    *api_files.ROUTES,
    *api_webhooks.ROUTES,
    *api_oauth.API_ROUTES,
    *api_supplier_invoices.ROUTES,
    *api_supplier_actions.ROUTES,
    *api_transactions.ROUTES,
]
