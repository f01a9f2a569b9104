"""Month-end scale: the addon inside Odoo 19, against a local Qonto simulator.

Run it with ``bin/bench`` (``bin/bench --help``), which finds Odoo's interpreter and the
addons folder. Everything runs on 127.0.0.1 and stops by itself; every loop is bounded.
Prints each figure as a table, then as JSON (also written to ``var/bench-odoo.json``).

Databases: ``<db>_base`` holds the installed modules (``l10n_fr_account``,
``account_qonto_einvoicing``) and the French companies with their charts of accounts; it is
built once (``--fresh`` rebuilds it). Each run copies it to ``<db>`` (filestore included),
so that every run starts from the same state.

Parts (``--only``, comma-separated):

send
    Batches of 10 and N posted invoices through Odoo's Send wizard as an accountant uses
    it: the invoices selected in the list, ``action_send_and_print`` (batch wizard, where
    "by Qonto e-invoice" is the customers' default method), which fills ``sending_data``
    and triggers ``account.ir_cron_account_move_send``; that cron is then run (as the
    scheduler does, ``method_direct_trigger``) until no invoice is left to send.
list
    The invoice list's *Send via e-invoice* action (``action_qonto_send`` on the
    selection, ``--click`` invoices a click) against the network simulator below: no PDF
    on this path, so it shows the rate the addon itself reaches against Qonto.
network
    The same Send wizard with Qonto's network and limits: a second simulator with
    ``--latency-ms 150`` and its real rate-limit windows (when this simulator version has
    those options).
profile
    cProfile of the Send cron over 100 invoices, then of the addon's own
    ``_qonto_send_batch`` over 100 more.
webhooks
    Signed deliveries to a real ``odoo`` HTTP server (threaded, ``--workers 0``, one
    database by ``--database``), one at a time, 50 and 200 concurrent; then 200
    concurrent to one more server per deployment setting (``--webhook-servers``:
    ``--db-filter``, ``ODOO_MAX_HTTP_THREADS``, ``--workers``, behind HAProxy).
refresh
    The refresh cron over M invoices in flight of which 100 changed, against the naive
    GET-per-invoice baseline, in the same run.

How each figure is measured:

- requests: the simulator's own log (``GET /_simulator/requests``: ``total``,
  ``counts_by_route``; 429s from its ``rate_limited`` counter), cleared before each step;
- SQL queries in this process: ``odoo.sql_db.sql_counter`` before and after (every query
  of every cursor of the process, the cron's own cursor included);
- SQL queries per webhook: the count Odoo's server writes on each request's log line
  (``"POST <route> HTTP/1.1" 200 - <queries> <query s> <other s>``), read back from
  ``var/bench-odoo-server.log``;
- time: wall clock; "PDF" is the time inside ``ir.actions.report._run_wkhtmltopdf``;
  "Qonto wait" the time the main thread waits for Qonto (its own requests, and the send
  pool's outcomes; the pool's 4 threads overlap); "Odoo" is wall minus those two;
- the addon's share: ``account.move._qonto_send_batch`` wrapped (outermost call): its
  wall time, SQL queries and Qonto wait; its "Odoo ms" is wall minus the wait. "Rest" is
  the whole minus the addon: Odoo's Send wizard, its cron, the invoice report's HTML
  (see ``benchmarks/odoo_bench/meters.py``);
- PDFs: batches of more than ``--real-pdf-upto`` invoices (10) get the first real PDF back
  instead of a wkhtmltopdf run each (Odoo still renders the HTML), so the figures of the
  large batches are Odoo's and Qonto's; the 10-invoice batch gives wkhtmltopdf's share;
- cron triggers: new ``ir_cron_trigger`` rows of the refresh cron; then the refresh cron
  runs once and the simulator tells how often each invoice was read.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

from odoo_bench.common import (
    COMPANIES,
    COMPANY_SIRET,
    COMPANY_VAT,
    LOGIN,
    ROOT,
    SECRET,
    log,
    rnd,
    siret,
)
from odoo_bench.database import prepare_database
from odoo_bench.list_send import part_list
from odoo_bench.meters import Meter
from odoo_bench.profiling import part_profile
from odoo_bench.refresh import part_refresh
from odoo_bench.report import table
from odoo_bench.send import part_network, part_send
from odoo_bench.simulator_process import SimulatorProcess
from odoo_bench.webhooks import OdooServer, part_webhooks

PARTS = {  # each part and what runs it, the longest last
    "send": part_send, "profile": part_profile, "webhooks": part_webhooks,
    "refresh": part_refresh, "list": part_list, "network": part_network,
}


class Bench:
    """One run: its simulators and Odoo server, the companies connected to them, and
    what every part needs to make and send invoices; the parts are in ``odoo_bench``."""

    def __init__(self, args, odoo) -> None:
        self.args = args
        self.odoo = odoo
        self.results: dict = {"parameters": {}, "notes": []}
        self.sims: dict[str, SimulatorProcess] = {}
        self.server = None
        self.server_url = ""
        self.run_tag = uuid.uuid4().hex[:6]
        self.invoice_seq = 0
        self.company_ctx: dict = {}
        """Per simulator key, the company connected to it and its customers."""

    # ---------------------------------------------------------------- setup

    def env(self, cr, company):
        """The administrator's environment in ``company``."""
        from odoo.api import Environment
        admin_id = Environment(cr, self.odoo.SUPERUSER_ID, {}).ref("base.user_admin").id
        return Environment(cr, admin_id, {"allowed_company_ids": [company.id]})

    def company(self, cr, key: str):
        """The base database's company connected to the simulator ``key``."""
        from odoo.api import Environment
        env = Environment(cr, self.odoo.SUPERUSER_ID, {})
        name = dict((k, n) for n, k in COMPANIES)[key]
        return env["res.company"].search([("name", "=", name)], limit=1)

    def setup_company(self, cr, key: str, sim: SimulatorProcess):
        """Connect the company ``key`` to ``sim``; its customers, checked reachable."""
        company = self.company(cr, key)
        env = self.env(cr, company)
        company = company.with_env(env)
        company.write({
            "qonto_enabled": True, "qonto_environment": "simulator",
            "qonto_simulator_url": sim.url, "qonto_login": LOGIN, "qonto_secret_key": SECRET,
            # A base database built before the SIREN check had another SIRET.
            "company_registry": COMPANY_SIRET, "vat": COMPANY_VAT,
        })
        company._qonto_test_connection()
        # Customers: a few dozen French companies, reachable on the network, checked the
        # way an accountant does (Contacts > Check e-invoicing reachability).
        partners = env["res.partner"].create([{
            "name": f"Client {key} {self.run_tag} {i:02d}", "is_company": True,
            "company_registry": siret(i + 100 * (key == "net")),
            "street": "3 place Bellecour", "zip": "69002", "city": "Lyon",
            "country_id": env.ref("base.fr").id, "email": f"compta{i}@client.example",
        } for i in range(self.args.customers)])
        partners.action_qonto_check_reachability()
        reachable = partners.filtered(lambda p: p.qonto_reachability == "reachable")
        if len(reachable) != len(partners):
            raise RuntimeError(f"{len(partners) - len(reachable)} customer(s) not reachable")
        env.cr.commit()
        return company, partners

    def start_server(self) -> None:
        """The Odoo HTTP server wkhtmltopdf and the webhooks reach."""
        self.server = OdooServer(self.args)
        self.server_url = self.server.url

    # ---------------------------------------------------------------- invoices, every part

    def create_posted(self, env, company, partners, count: int, lines: int = 2):
        """``count`` posted invoices: one ``create`` for all, then one ``action_post``."""
        tax = company.account_sale_tax_id
        today = dt.date.today()
        values = []
        for _i in range(count):
            self.invoice_seq += 1
            values.append({
                "move_type": "out_invoice", "company_id": company.id,
                "partner_id": partners[self.invoice_seq % len(partners)].id,
                "invoice_date": today,
                "invoice_line_ids": [
                    (0, 0, {"name": "Pain de campagne (lot de 12)", "quantity": 3,
                            "price_unit": 52.2, "tax_ids": [(6, 0, tax.ids)]}),
                    (0, 0, {"name": "Livraison", "quantity": 1, "price_unit": 35.0,
                            "tax_ids": [(6, 0, tax.ids)]}),
                ][:lines],
            })
        started = time.perf_counter()
        moves = env["account.move"].create(values)
        created = time.perf_counter() - started
        moves.action_post()
        env.cr.commit()
        return moves, {"create_s": rnd(created), "post_s": rnd(time.perf_counter() - started
                                                               - created)}

    def send_batch(self, env, moves, *, profile: cProfile.Profile | None = None):
        """Select, Send (batch wizard), then the sending cron until nothing is left."""
        wizard = env["account.move.send.batch.wizard"].with_context(
            active_model="account.move", active_ids=moves.ids).create({})
        summary = wizard.summary_data or {}
        by_qonto = (summary.get("qonto") or {}).get("count", 0)
        wizard.action_send_and_print()
        env.cr.commit()
        cron = env.ref("account.ir_cron_account_move_send").sudo()
        runs = 0
        # The cron takes 10 invoices per call and re-runs itself while some are left.
        bound = len(moves) // 5 + 20
        domain = [("id", "in", moves.ids), ("sending_data", "!=", False)]
        Meter.stub_pdf = len(moves) > self.args.real_pdf_upto
        if profile:
            profile.enable()
        try:
            while runs < bound and env["account.move"].search_count(domain):
                cron.method_direct_trigger()
                # The job ran in its own transaction: a new snapshot sees what it did.
                env.cr.commit()
                env.invalidate_all()
                runs += 1
        finally:
            if profile:
                profile.disable()
        return by_qonto, runs, Meter.stub_pdf

    # ---------------------------------------------------------------- run

    def run(self) -> dict:
        """Start the simulators and the server, connect the companies, run each part."""
        args = self.args
        parts = args.only
        self.results["parameters"] = {
            "invoices": args.invoices, "deliveries": args.deliveries,
            "in_flight": args.in_flight, "changed": args.changed, "parts": parts,
            "simulator_args": args.simulator_arg,
            "database": args.db, "cpus": os.cpu_count()}
        Meter.install()
        self.sims["sim"] = SimulatorProcess("sim", extra=args.simulator_arg)
        if "network" in parts or "list" in parts:
            self.sims["net"] = SimulatorProcess("net", latency_ms=150, real_limits=True,
                                                extra=args.simulator_arg)
            self.results["notes"] += [f"network: {n}" for n in self.sims["net"].notes]
        from odoo.modules.registry import Registry
        registry = Registry(args.db)
        Meter.install_addon()
        with registry.cursor() as cr:
            from odoo.api import Environment
            env = Environment(cr, self.odoo.SUPERUSER_ID, {})
            # wkhtmltopdf fetches the report's assets from Odoo: a server must answer.
            self.start_server()
            env["ir.config_parameter"].set_param("web.base.url", self.server_url)
            env["ir.config_parameter"].set_param("report.url", self.server_url)
            self.pdf_setup(env)
            cr.commit()
            self.company_ctx = {key: self.setup_company(cr, key, sim)
                                for key, sim in self.sims.items()}
            for part, run_part in PARTS.items():
                if part in parts:
                    log(f"part {part}")
                    started = time.perf_counter()
                    self.results[part] = run_part(self, cr)
                    cr.commit()
                    self.results.setdefault("part_seconds", {})[part] = rnd(
                        time.perf_counter() - started, 1)
                    # What is done so far survives an interrupted run.
                    Path(args.json).write_text(json.dumps(self.results, indent=2, default=str))
        return self.results

    def pdf_setup(self, env) -> None:
        """A wkhtmltopdf built on an unpatched Qt cannot render several invoices in one
        call, which is how the sending cron renders them (80 a call): every batch would
        fail. Odoo's own knob then renders one invoice per call."""
        from odoo.addons.base.models import ir_actions_report
        try:
            patched = bool(ir_actions_report._wkhtml().is_patched_qt)
        except Exception:
            patched = None
        self.results["wkhtmltopdf_patched_qt"] = patched
        if patched is False:
            env["ir.config_parameter"].set_param("account.pdf_generation_batch", "0")
            self.results["notes"].append(
                "wkhtmltopdf here is built on an unpatched Qt: Odoo's batch PDF render "
                "('account.pdf_generation_batch', 80 invoices a call) fails on it, so the "
                "benchmark sets that parameter to 0 (one wkhtmltopdf call per invoice)")

    def close(self) -> None:
        """Stop the server and the simulators this run started."""
        if self.server:
            self.server.stop()
        for sim in self.sims.values():
            sim.stop()



def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="bin/bench", description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=None,
                        help="invoices per batch (default 1000, --quick 100)")
    parser.add_argument("--deliveries", type=int, default=None,
                        help="webhook deliveries per concurrency (default 2000, --quick 200)")
    parser.add_argument("--in-flight", type=int, default=None,
                        help="invoices in flight for the refresh (default 10000, --quick 1000)")
    parser.add_argument("--changed", type=int, default=100, help="of which changed (100)")
    parser.add_argument("--profile-invoices", type=int, default=100)
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--webhook-invoices", type=int, default=20,
                        help="distinct invoices the deliveries name (default 20)")
    parser.add_argument("--real-pdf-upto", type=int, default=10, metavar="K",
                        help="batches of more than K invoices hand wkhtmltopdf's first PDF "
                             "back instead of running it per invoice (default 10; the "
                             "PDF cost per invoice is the K batch's)")
    parser.add_argument("--simulator-arg", action="append", default=[], metavar="ARG",
                        help="one more argument for both simulators, repeatable (e.g. "
                             "--simulator-arg=--undocumented-bodies=none); "
                             "--open-annuaire and --allow-http-callbacks are always given "
                             "when the simulator has them")
    parser.add_argument("--network-invoices", type=int, default=None,
                        help="invoices through the Send wizard behind Qonto's latency and "
                             "limits (default: --invoices)")
    parser.add_argument("--list-invoices", type=int, default=None,
                        help="invoices sent by the list action (default: --invoices)")
    parser.add_argument("--click", type=int, default=80,
                        help="invoices selected per click of the list action (default 80, "
                             "0: all at once)")
    parser.add_argument("--webhook-servers",
                        default="db-filter,threads-auto,workers-2,proxy-32,proxy-2-workers-2",
                        help="more Odoo servers taking 200 concurrent deliveries, among "
                             "db-filter, threads-auto, threads-N (ODOO_MAX_HTTP_THREADS), "
                             "workers-N, proxy-N (HAProxy, N at a time; skipped without "
                             "haproxy), proxy-N-workers-W (default: %(default)s; '' for "
                             "none)")
    parser.add_argument("--top", type=int, default=40, help="profile entries kept")
    parser.add_argument("--quick", action="store_true",
                        help="N=100, 200 deliveries, 1000 in flight")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts among {', '.join(PARTS)} (default: all)")
    parser.add_argument("--db", default="qonto_bench", help="database (default qonto_bench)")
    parser.add_argument("--fresh", action="store_true",
                        help="rebuild <db>_base (install the modules again)")
    parser.add_argument("--json", default=str(ROOT / "var" / "bench-odoo.json"),
                        help="where the JSON goes as well (default var/bench-odoo.json)")
    parser.add_argument("--odoo-bin", default=shutil.which("odoo") or "odoo")
    parser.add_argument("--addons-path", required=True)
    args = parser.parse_args(argv)
    args.invoices = args.invoices or (100 if args.quick else 1000)
    args.deliveries = args.deliveries or (200 if args.quick else 2000)
    args.in_flight = args.in_flight or (1000 if args.quick else 10000)
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    odoo = prepare_database(args)
    bench = Bench(args, odoo)
    started = time.perf_counter()
    try:
        results = bench.run()
    finally:
        bench.close()
    results["total_seconds"] = rnd(time.perf_counter() - started, 1)
    print()
    print(table(results))
    print()
    text = json.dumps(results, indent=2, default=str)
    print(text)
    Path(args.json).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
