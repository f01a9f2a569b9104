"""A scripted e-invoicing flow against the simulator, printing each lifecycle step.

``python -m qonto_einvoicing.demo`` starts a simulator in this process (or uses
``--url`` of a running one), finds or creates a reachable French client, creates an
invoice as a draft, checks its totals, finalizes it, sends it by e-invoice and prints
every lifecycle event as the simulator's network reports it, until the final status.

The simulator it starts is strict (Qonto as documented): the demo needs no lax option,
since its client's e-invoicing address, SIREN 552100554, is in the simulator's default
Annuaire, it subscribes to no webhook, and it re-reads the invoice rather than rely on
an answer body Qonto does not document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .client import QontoClient
from .models import ClientInvoiceCreatePayload, ClientPayload


@contextmanager
def _simulator(url: str | None, step_seconds: float) -> Iterator[str]:
    if url:
        yield url
        return
    from .simulator import SimulatorServer  # noqa: PLC0415 - only when no URL is given

    # Qonto's real rate limits apply; nothing laxer is needed (see the module docstring).
    with SimulatorServer(step_seconds=step_seconds) as server:
        yield server.url


def list_received(qonto: QontoClient, out=sys.stdout) -> int:
    """Print the supplier e-invoices Qonto received for the organization; return how many."""
    received = [i for i in qonto.list_supplier_invoices(sort_by="created_at:asc")
                if i.is_einvoice]
    print(f"Received e-invoices: {len(received)}", file=out)
    for invoice in received:
        total = f"{invoice.total_amount.value} {invoice.total_amount.currency}" \
            if invoice.total_amount else "?"
        print(f"  {invoice.invoice_number} from {invoice.supplier_name}: {total} "
              f"({invoice.e_invoice_type}, {invoice.status})", file=out)
    return len(received)


def run(url: str | None, api_key: str, scenario: str, step_seconds: float,
        out=sys.stdout) -> str:
    """Walk one invoice to its final e-invoicing status; return that status."""
    with _simulator(url, step_seconds) as base_url, QontoClient(base_url, api_key) as qonto:
        org = qonto.get_organization()
        print(f"Organization: {org.legal_name} — IBAN {org.bank_accounts[0].iban}", file=out)
        list_received(qonto, out)
        client = qonto.find_client(siret="55210055400013") or qonto.create_client(ClientPayload(
            kind="company", name="Boulangerie Martin", email="compta@martin.example",
            tax_identification_number="55210055400013",
            # Registered in the Annuaire: that is what makes the client reachable.
            e_invoicing_address="552100554_55210055400013",
            billing_address={"street_address": "1 rue de la Paix", "city": "Paris",
                             "zip_code": "75002", "country_code": "FR"}))
        if not client.e_invoicing_address:  # found, but made before it had its address
            client = qonto.update_client(
                client.id, {"e_invoicing_address": "552100554_55210055400013"})
        print(f"Client: {client.display_name} — reachable: {client.e_invoicing_reachable}",
              file=out)
        if scenario != "approved":
            import requests  # noqa: PLC0415

            requests.post(f"{base_url}/_simulator/scenarios", timeout=5,
                          json={"client_id": client.id, "scenario": scenario})
        number = f"DEMO-{dt.datetime.now():%Y%m%d-%H%M%S}"
        draft = qonto.create_client_invoice(ClientInvoiceCreatePayload.model_validate({
            "client_id": client.id, "number": number, "status": "draft",
            "issue_date": dt.date.today(), "due_date": dt.date.today() + dt.timedelta(days=30),
            "currency": "EUR", "payment_methods": {"iban": org.bank_accounts[0].iban},
            "items": [{"title": "Pain de campagne", "quantity": "12", "vat_rate": "0.055",
                       "unit_price": {"value": "4.35", "currency": "EUR"}}],
        }))
        print(f"Draft {draft.number}: total {draft.total_amount.value} EUR "
              f"(VAT {draft.vat_amount.value})", file=out)
        qonto.finalize_client_invoice(draft.id)
        qonto.send_client_invoice_by_einvoice(draft.id)
        print("Sent by e-invoice (204: accepted for processing)", file=out)
        seen = 0
        while True:
            invoice = qonto.get_client_invoice(draft.id)
            for event in invoice.einvoicing_lifecycle_events[seen:]:
                reason = f" — {event.reason}: {event.reason_message}" if event.reason else ""
                print(f"  {event.status_code} {event.stage.label_fr} / {event.stage.label_en}"
                      f"{reason}", file=out, flush=True)
            seen = len(invoice.einvoicing_lifecycle_events)
            latest = invoice.latest_event
            if invoice.einvoicing_status in {"not_delivered", "submission_failed"} or (
                    latest and latest.stage.final) or (
                    latest and latest.status_code == 205 and scenario == "approved"):
                print(f"Final e-invoicing status: {invoice.einvoicing_status} "
                      f"(invoice status {invoice.status})", file=out)
                return invoice.einvoicing_status or ""
            time.sleep(min(step_seconds, 1.0) / 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running simulator (default: start one here)")
    parser.add_argument("--api-key", default="demo-org:demo-secret")
    parser.add_argument("--scenario", default="approved",
                        choices=["approved", "refused", "rejected", "not_delivered", "paid"])
    parser.add_argument("--step-seconds", type=float, default=1.0,
                        help="seconds between two lifecycle steps (default 1)")
    parser.add_argument("--flow2", action="store_true",
                        help="then a Factur-X invoice and its credit note through /bulk")
    args = parser.parse_args(argv)
    if not args.flow2:
        run(args.url, args.api_key, args.scenario, args.step_seconds)
        return 0
    from .demo_flow2 import run_flow2  # noqa: PLC0415 - needs factur-x and saxonche

    with _simulator(args.url, args.step_seconds) as base_url:
        run(base_url, args.api_key, args.scenario, args.step_seconds)
        with QontoClient(base_url, args.api_key) as qonto:
            run_flow2(qonto, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
