"""Receiving at scale: N supplier e-invoices imported as vendor bills, through the real import.

Not a test. Run it with Odoo's interpreter, e.g.::

    bin/bench-receive                      # 500 received e-invoices
    bin/bench-receive --count 100          # fewer
    bin/bench-receive --fresh              # rebuild the base database first

What it does:

1. Databases as ``benchmarks/bench_odoo.py`` builds them, under their own names:
   ``<db>_base`` (default ``qonto_bench_receive_base``) holds ``l10n_fr_account`` and
   ``account_qonto_einvoicing`` and a French company with its chart of accounts; it is
   built once and updated (``-u``) when the addon changed. Each run copies it to
   ``<db>`` so that every run starts from the same state.
2. Starts a simulator on a free port (no arrival of its own), drops N e-invoices into
   the organization's inbox (half Factur-X, half UBL, two suppliers, real files).
3. Runs ``account.move._qonto_receive_company`` once, as the *Fetch from Qonto* button
   does, and measures wall time, SQL queries of this process (``odoo.sql_db.sql_counter``)
   and the simulator's request count; then a second run that has nothing new to import.

Prints a table and JSON (also written to ``var/bench-receive.json``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_bench.common import ROOT, log  # the sibling package, found through sys.path
from odoo_bench.database import odoo_env, prepare_database
from odoo_bench.simulator_process import SimulatorProcess

COMPANY_NAME = "Bench FR"


def measure(odoo, fn):
    from odoo import sql_db
    queries = sql_db.sql_counter
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started, sql_db.sql_counter - queries


def run(args, odoo) -> dict:
    sim = SimulatorProcess("receive")
    try:
        sim.control("POST", "supplier_invoices/arrivals", {"every_seconds": 0})
        log(f"dropping {args.count} e-invoices into the simulator's inbox")
        started = time.perf_counter()
        for index in range(args.count):
            sim.control("POST", "supplier_invoices", {
                "kind": ("facturx", "ubl")[index % 2], "supplier": (index // 2) % 2,
                "number": f"BR-{index:05d}"})
        inbox_seconds = time.perf_counter() - started
        with odoo_env(odoo, args.db) as env:
            company = env["res.company"].search([("name", "=", COMPANY_NAME)], limit=1)
            company.write({"qonto_enabled": True, "qonto_environment": "simulator",
                           "qonto_simulator_url": sim.url, "qonto_login": "demo-org",
                           "qonto_secret_key": "demo-secret"})
            admin = env.ref("base.user_admin")
            user_env = env(user=admin.id, context={"allowed_company_ids": company.ids})
            env.cr.commit()
            sim.clear_requests()
            moves = user_env["account.move"]
            bills, seconds, queries = measure(
                odoo, lambda: moves._qonto_receive_company(company))
            env.cr.commit()
            http = sim.requests_log().get("total")
            sim.clear_requests()
            again, seconds_2, queries_2 = measure(
                odoo, lambda: moves._qonto_receive_company(company))
            env.cr.commit()
            decoded = bills.filtered(lambda b: b.invoice_line_ids)
            count = len(bills) or 1
            return {
                "received_in_qonto": args.count + 3,  # the 3 the simulator starts with
                "imported_bills": len(bills),
                "decoded_with_lines": len(decoded),
                "seconds_total": round(seconds, 2),
                "seconds_per_bill": round(seconds / count, 4),
                "sql_queries_total": queries,
                "sql_queries_per_bill": round(queries / count, 1),
                "qonto_requests_total": http,
                "qonto_requests_per_bill": round((http or 0) / count, 2),
                "second_run_imported": len(again),
                "second_run_seconds": round(seconds_2, 2),
                "second_run_sql_queries": queries_2,
                "inbox_fill_seconds": round(inbox_seconds, 1),
            }
    finally:
        sim.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500,
                        help="received e-invoices to import (default 500)")
    parser.add_argument("--db", default="qonto_bench_receive",
                        help="database (default qonto_bench_receive; base <db>_base)")
    parser.add_argument("--fresh", action="store_true", help="rebuild <db>_base")
    parser.add_argument("--json", default=str(ROOT / "var" / "bench-receive.json"))
    parser.add_argument("--odoo-bin", default=shutil.which("odoo") or "odoo")
    parser.add_argument("--addons-path", required=True)
    args = parser.parse_args(argv)
    odoo = prepare_database(args)
    results = run(args, odoo)
    width = max(len(key) for key in results)
    print()
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    text = json.dumps(results, indent=2)
    print()
    print(text)
    Path(args.json).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
