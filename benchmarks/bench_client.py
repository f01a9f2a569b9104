"""Benchmark: the client against the simulator, over real HTTP on this machine.

Prints figures; asserts nothing about speed. Run from the repository root:

    python benchmarks/bench_client.py [--invoices 10000] [--changed 100] [--workers 8]

1. Requests per second of client plus simulator for create, send by e-invoice and get.
2. Refreshing the in-flight invoices when only some changed: one list call filtered on
   ``updated_at`` (what the Odoo scheduled action does) against one GET per invoice,
   counted in HTTP requests (the simulator's request log) and in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qonto_einvoicing import QontoClient
from qonto_einvoicing.models import ClientInvoiceCreatePayload, ClientPayload
from qonto_einvoicing.simulator import SimulatorServer

# No lifecycle step while we measure: only the invoices we touch change.
STEP_SECONDS = 10**7


def payload(client_id: str, iban: str, number: str) -> ClientInvoiceCreatePayload:
    today = dt.date.today()
    return ClientInvoiceCreatePayload.model_validate({
        "client_id": client_id, "number": number, "status": "unpaid",
        "issue_date": today, "due_date": today + dt.timedelta(days=30), "currency": "EUR",
        "payment_methods": {"iban": iban},
        "items": [{"title": "Pain de campagne", "quantity": "12", "vat_rate": "0.055",
                   "unit_price": {"value": "4.35", "currency": "EUR"}}],
    })


def rate(label: str, count: int, seconds: float) -> None:
    print(f"  {label:<28} {count:>6} requests in {seconds:6.2f} s = {count / seconds:8.0f} req/s")


def request_total(url: str) -> int:
    return requests.get(f"{url}/_simulator/requests", timeout=30).json()["total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--throughput", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    with SimulatorServer(port=0, step_seconds=STEP_SECONDS) as server, \
            QontoClient(server.url, "demo-org:demo-secret") as qonto:
        iban = qonto.get_organization().bank_accounts[0].iban
        client = qonto.create_client(ClientPayload(
            kind="company", name="Boulangerie Martin", tax_identification_number="55210055400013"))

        print(f"1. Throughput, one client, sequential ({args.throughput} of each)")
        started = time.perf_counter()
        ids = [qonto.create_client_invoice(payload(client.id, iban, f"T-{i:06d}")).id
               for i in range(args.throughput)]
        rate("create client invoice", len(ids), time.perf_counter() - started)
        started = time.perf_counter()
        for invoice_id in ids:
            qonto.send_client_invoice_by_einvoice(invoice_id)
        rate("send by e-invoice", len(ids), time.perf_counter() - started)
        started = time.perf_counter()
        for invoice_id in ids:
            qonto.get_client_invoice(invoice_id)
        rate("get client invoice", len(ids), time.perf_counter() - started)

        remaining = args.invoices - len(ids)
        print(f"\n2. Refresh of {args.invoices} in-flight invoices, {args.changed} changed")
        started = time.perf_counter()

        def create_and_send(index: int) -> str:
            with QontoClient(server.url, "demo-org:demo-secret") as worker:
                invoice = worker.create_client_invoice(payload(client.id, iban, f"F-{index:06d}"))
                worker.send_client_invoice_by_einvoice(invoice.id)
                return invoice.id

        with ThreadPoolExecutor(args.workers) as pool:
            ids += list(pool.map(create_and_send, range(remaining)))
        print(f"  setup: {remaining} more invoices created and sent in "
              f"{time.perf_counter() - started:.1f} s ({args.workers} workers)")

        since = requests.get(f"{server.url}/_simulator/clock", timeout=30).json()["now"]
        since_dt = dt.datetime.fromisoformat(since.replace("Z", "+00:00"))
        time.sleep(0.01)
        changed = ids[:: max(1, len(ids) // args.changed)][: args.changed]
        for invoice_id in changed:
            requests.post(f"{server.url}/_simulator/invoices/{invoice_id}/events", timeout=30,
                          json={"status_code": 201}).raise_for_status()

        before = request_total(server.url)
        started = time.perf_counter()
        listed = list(qonto.list_client_invoices(updated_at_from=since_dt))
        list_seconds = time.perf_counter() - started
        list_requests = request_total(server.url) - before

        before = request_total(server.url)
        started = time.perf_counter()
        moved = [invoice_id for invoice_id in ids
                 if qonto.get_client_invoice(invoice_id).einvoicing_lifecycle_events]
        get_seconds = time.perf_counter() - started
        get_requests = request_total(server.url) - before

        assert {i.id for i in listed} == set(changed) == set(moved), "both must find the same"
        print(f"  {'list filtered on updated_at':<28} {list_requests:>6} requests "
              f"in {list_seconds:6.2f} s  -> {len(listed)} changed invoices")
        print(f"  {'one GET per invoice':<28} {get_requests:>6} requests "
              f"in {get_seconds:6.2f} s  -> {len(moved)} changed invoices")
        print(f"  the list needs {get_requests / max(list_requests, 1):.0f}x fewer requests and "
              f"is {get_seconds / max(list_seconds, 1e-9):.0f}x faster")


if __name__ == "__main__":
    main()
