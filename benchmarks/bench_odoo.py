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
import io
import json
import os
import pstats
import shutil
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from odoo_bench.common import (
    COMPANIES,
    COMPANY_SIRET,
    COMPANY_VAT,
    LOGIN,
    QONTO_CEILING,
    ROOT,
    SECRET,
    log,
    rnd,
    siret,
    summarize_requests,
)
from odoo_bench.database import prepare_database
from odoo_bench.list_send import part_list
from odoo_bench.meters import Meter
from odoo_bench.report import table
from odoo_bench.simulator_process import SimulatorProcess
from odoo_bench.webhooks import OdooServer, part_webhooks

PARTS = ("send", "profile", "webhooks", "refresh", "list", "network")  # the longest last


class Bench:
    def __init__(self, args, odoo) -> None:
        self.args = args
        self.odoo = odoo
        self.results: dict = {"parameters": {}, "notes": []}
        self.sims: dict[str, SimulatorProcess] = {}
        self.server = None
        self.server_url = ""
        self.run_tag = uuid.uuid4().hex[:6]
        self.invoice_seq = 0

    # ---------------------------------------------------------------- setup

    def env(self, cr, company):
        from odoo.api import Environment
        admin_id = Environment(cr, self.odoo.SUPERUSER_ID, {}).ref("base.user_admin").id
        return Environment(cr, admin_id, {"allowed_company_ids": [company.id]})

    def company(self, cr, key: str):
        from odoo.api import Environment
        env = Environment(cr, self.odoo.SUPERUSER_ID, {})
        name = dict((k, n) for n, k in COMPANIES)[key]
        return env["res.company"].search([("name", "=", name)], limit=1)

    def setup_company(self, cr, key: str, sim: SimulatorProcess):
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

    # ---------------------------------------------------------------- send

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

    def outcome(self, env, moves, sim: SimulatorProcess):
        moves = moves.with_env(env)
        env.cr.commit()
        env.invalidate_all()
        sent = moves.filtered("qonto_sent_at")
        left = moves.filtered("sending_data")
        failed = moves - sent - left
        names = set(moves.mapped("name"))
        with sim.client() as qonto:
            numbers = Counter(inv.number for inv in qonto.list_client_invoices()
                              if inv.number in names)
        return {
            "sent": len(sent), "failed": len(failed), "left_behind": len(left),
            "in_qonto": sum(numbers.values()),
            "duplicates_in_qonto": sum(n - 1 for n in numbers.values() if n > 1),
            "failure_sample": list(dict.fromkeys(
                (getattr(m, "qonto_error", False) or "no qonto_sent_at") for m in failed))[:3],
        }

    def part_send(self, cr) -> None:
        sim = self.sims["sim"]
        company, partners = self.company_ctx["sim"]
        env = self.env(cr, company)
        rows = []
        for size in sorted({10, self.args.invoices}):
            moves, creation = self.create_posted(env, company.with_env(env), partners, size)
            log(f"send: {size} posted invoices created in {creation}; sending")
            sim.clear_requests()
            with Meter() as m:
                by_qonto, runs, stub = self.send_batch(env, moves)
            reqs = summarize_requests(sim.requests_log(), size)
            row = {
                "invoices": size, "creation": creation, "wizard_by_qonto": by_qonto,
                "pdf": "stub" if stub else "wkhtmltopdf",
                "cron_runs": runs, "seconds": rnd(m.wall), "invoices_per_s": rnd(size / m.wall, 2),
                "requests_per_invoice": reqs["requests_per_invoice"],
                "requests_by_route_per_invoice": reqs["by_route_per_invoice"],
                **m.split(size),
                "odoo_cpu_ms_per_invoice": rnd(1000 * m.cpu / size, 1),
                "pdf_share": rnd(m.pdf / m.wall, 3), "wkhtmltopdf_calls": m.pdf_calls,
                **self.outcome(env, moves, sim),
            }
            rows.append(row)
            log(f"send {size}: {row['invoices_per_s']} inv/s, {row['requests_per_invoice']} "
                f"req/inv, {row['sql_per_invoice']} SQL/inv, addon {row['addon']}, "
                f"sent {row['sent']}")
        self.results["send"] = rows
        self.sent_moves = moves  # the last batch: named by the webhooks

    def part_network(self, cr) -> None:
        sim = self.sims["net"]
        company, partners = self.company_ctx["net"]
        env = self.env(cr, company)
        size = self.args.network_invoices or self.args.invoices
        moves, creation = self.create_posted(env, company.with_env(env), partners, size)
        log(f"network: {size} invoices, simulator latency {sim.latency_ms} ms, "
            f"rate limits {'on' if sim.rate_limited else 'off'}; sending")
        sim.clear_requests()
        with Meter() as m:
            by_qonto, runs, stub = self.send_batch(env, moves)
        reqs = summarize_requests(sim.requests_log(), size)
        out = self.outcome(env, moves, sim)
        rate = out["sent"] / m.wall
        self.results["network"] = {
            "invoices": size, "creation": creation, "pdf": "stub" if stub else "wkhtmltopdf",
            "latency_ms": sim.latency_ms, "rate_limits": sim.rate_limited,
            "simulator_args": sim.args, "notes": sim.notes, "wizard_by_qonto": by_qonto,
            "cron_runs": runs, "seconds": rnd(m.wall), "invoices_per_s": rnd(rate, 3),
            **out, "status_429": reqs["status_429"],
            "requests_per_invoice": reqs["requests_per_invoice"],
            "request_rate_per_s": rnd(reqs["requests"] / m.wall, 2),
            "ratio_to_qonto_ceiling": rnd(rate * (reqs["requests_per_invoice"] or 0)
                                          / QONTO_CEILING, 3),
            **m.split(size),
        }
        log(f"network: {self.results['network']}")

    def part_profile(self, cr) -> None:
        sim = self.sims["sim"]
        company, partners = self.company_ctx["sim"]
        env = self.env(cr, company)
        size = self.args.profile_invoices
        moves, _creation = self.create_posted(env, company.with_env(env), partners, size)
        log(f"profile: sending {size} invoices under cProfile")
        profile = cProfile.Profile()
        with Meter() as m:
            _q, _r, stub = self.send_batch(env, moves, profile=profile)
        # One profiler at a time per thread: a second batch of the same size profiles
        # the addon's _qonto_send_batch alone.
        addon_moves, _creation = self.create_posted(env, company.with_env(env), partners, size)
        log(f"profile: sending {size} more invoices, the addon alone under cProfile")
        Meter.addon_profile = addon_profile = cProfile.Profile()
        try:
            self.send_batch(env, addon_moves)
        finally:
            Meter.addon_profile = None
        stats = pstats.Stats(profile)
        entries = []
        for (filename, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
            entries.append((cumtime, tottime, calls, f"{Path(filename).name}:{line}({func})",
                            filename, func))
        entries.sort(reverse=True)
        def seconds_in(func_name: str, path_part: str) -> float:
            return max((e[0] for e in entries if e[5] == func_name and path_part in e[4]),
                       default=0.0)
        def callers(func_name: str, path_part: str) -> list:
            found = []
            for (filename, _line, func), value in stats.stats.items():
                if func == func_name and path_part in filename:
                    for (cf, cl, cfn), (_cc, nc, _tt, ct) in value[4].items():
                        found.append({"caller": f"{Path(cf).parent.parent.name}/"
                                      f"{Path(cf).name}:{cl}({cfn})", "calls": nc,
                                      "cum_s": rnd(ct)})
            return sorted(found, key=lambda c: -c["cum_s"])[:8]
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(40)
        (ROOT / "var" / "bench-profile.txt").write_text(text.getvalue())
        profile.dump_stats(str(ROOT / "var" / "bench-profile.pstats"))
        text = io.StringIO()
        addon_stats = pstats.Stats(addon_profile, stream=text)
        addon_stats.sort_stats("cumulative").print_stats(60)
        addon_stats.sort_stats("tottime").print_stats(30)
        addon_stats.print_callers("account_move.py:.*\\(write\\)|_message_log_batch|_in_company_lang")
        (ROOT / "var" / "bench-profile-addon.txt").write_text(text.getvalue())
        addon_profile.dump_stats(str(ROOT / "var" / "bench-profile-addon.pstats"))
        self.results["profile"] = {
            "invoices": size, "pdf": "stub" if stub else "wkhtmltopdf",
            "seconds": rnd(m.wall), "sent": self.outcome(env, moves, sim)["sent"],
            "account_move_write_s": rnd(seconds_in("write", "account/models/account_move.py")),
            "sync_dynamic_lines_s": rnd(seconds_in("_sync_dynamic_lines", "account/models")),
            "account_move_write_callers": callers("write", "account/models/account_move.py"),
            "sync_dynamic_lines_callers": callers("_sync_dynamic_lines", "account/models"),
            "wkhtmltopdf_s": rnd(m.pdf), "qonto_http_s": rnd(m.http),
            "top_cumulative": [{"cum_s": rnd(c), "own_s": rnd(t), "calls": n, "where": w}
                               for c, t, n, w, _f, _fn in entries[:args_top(self.args)]],
            "full_listing": "var/bench-profile.txt (pstats dump: var/bench-profile.pstats)",
            "addon_listing": "var/bench-profile-addon.txt (_qonto_send_batch alone)",
        }

    # ---------------------------------------------------------------- webhooks

    def start_server(self) -> None:
        self.server = OdooServer(self.args)
        self.server_url = self.server.url

    def part_webhooks(self, cr) -> None:
        self.results["webhooks"] = part_webhooks(self, cr)

    def part_list(self, cr) -> None:
        self.results["list"] = part_list(self, cr)

    # ---------------------------------------------------------------- refresh

    def part_refresh(self, cr) -> None:
        sim = self.sims["sim"]
        company, partners = self.company_ctx["sim"]
        env = self.env(cr, company)
        company = company.with_env(env)
        count, changed = self.args.in_flight, self.args.changed
        # Settle what earlier parts left in flight, so that only this part's invoices count.
        env["account.move"].sudo()._cron_qonto_refresh()
        env.cr.commit()
        # Qonto's side: the invoices, created and sent through the API a day ago on
        # the simulator's clock, so that the list filtered on updated_at only returns
        # those changed now.
        log(f"refresh: {count} invoices in flight ({changed} to change); creating them")
        moves, creation = self.create_posted(env, company, partners, count, lines=1)
        client_ids = {}
        with sim.client() as qonto:
            iban = qonto.get_organization().bank_accounts[0].iban
            for partner in partners:
                found = qonto.find_client(siret=partner.company_registry)
                client_ids[partner.id] = found.id
        from qonto_einvoicing.models import ClientInvoiceCreatePayload

        def seed(move_values):
            move_id, name, partner_id, total = move_values
            with sim.client() as qonto:
                invoice = qonto.create_client_invoice(ClientInvoiceCreatePayload.model_validate({
                    "client_id": client_ids[partner_id], "number": name, "status": "unpaid",
                    "issue_date": dt.date.today(), "due_date": dt.date.today(),
                    "currency": "EUR", "payment_methods": {"iban": iban},
                    "items": [{"title": "Bench", "quantity": "1", "vat_rate": "0.2",
                               "unit_price": {"value": f"{total / 1.2:.2f}", "currency": "EUR"}}],
                }))
                qonto.send_client_invoice_by_einvoice(invoice.id)
                return move_id, invoice.id
        rows = [(m.id, m.name, m.partner_id.id, m.amount_total) for m in moves]
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            links = dict(pool.map(seed, rows))
        seeded_s = time.perf_counter() - started
        # Odoo's side: what the Send path records once Qonto accepted the invoice.
        self.link_sent(env, moves, links)
        env.cr.commit()
        env.invalidate_all()
        in_flight = env["account.move"].search_count([
            ("id", "in", moves.ids), ("qonto_in_flight", "=", True)])
        in_flight_all = env["account.move"].search_count([
            ("company_id", "=", company.id), ("qonto_in_flight", "=", True)])
        log(f"refresh: {in_flight} in flight (seeded in Qonto in {seeded_s:.0f} s)")

        has_last_sync = "qonto_last_sync" in company._fields

        def cron_run(label: str, window: bool = False) -> dict:
            if window and has_last_sync:
                # All the invoices were created in Qonto moments ago, which no real
                # month-end has: move the last-sync mark past them (and Qonto's clock past
                # it), so that the list filtered on updated_at holds only real changes.
                company.sudo().qonto_last_sync = dt.datetime.now() + dt.timedelta(hours=1)
                env.cr.commit()
            sim.clear_requests()
            with Meter() as m:
                env["account.move"].sudo()._cron_qonto_refresh()
            env.cr.commit()
            snap = sim.requests_log()
            return {"what": label, "requests": snap["total"], "by_route": snap["counts_by_route"],
                    "seconds": rnd(m.wall, 2), "sql_queries": m.sql,
                    "qonto_http_s": rnd(m.http, 2)}

        results = []
        if has_last_sync:
            company.sudo().qonto_last_sync = False
            env.cr.commit()
            results.append(cron_run("naive: refresh cron, first run (a GET per invoice)"))
        if has_last_sync:
            sim.control("POST", "clock/advance", {"seconds": 3 * 3600})
        else:
            self.results["notes"].append(
                "refresh: no qonto_last_sync on the company: the list window also holds "
                "the invoices seeded moments before")
        # Nothing changed since: the steady-state cost of a run.
        results.append(cron_run("refresh cron, nothing changed", window=True))
        # 100 invoices change in Qonto (a lifecycle step each).
        for move in moves[:changed]:
            sim.control("POST", f"invoices/{links[move.id]}/events", {"status_code": 201})
        results.append(cron_run(f"refresh cron, {changed} changed", window=True))
        env.invalidate_all()
        picked = env["qonto.lifecycle.event"].sudo().search_count([
            ("move_id", "in", moves[:changed].ids), ("status_code", "=", "201")]) \
            if "qonto.lifecycle.event" in env else None
        # The naive baseline, client only: one GET per invoice in flight.
        sim.clear_requests()
        started = time.perf_counter()
        with sim.client() as qonto:
            for qonto_id in links.values():
                qonto.get_client_invoice(qonto_id)
        naive_s = time.perf_counter() - started
        results.append({"what": "naive: GET per invoice, client only (no Odoo)",
                        "requests": sim.requests_log()["total"], "seconds": rnd(naive_s, 2),
                        "sql_queries": 0})
        self.results["refresh"] = {
            "in_flight": in_flight, "in_flight_company_total": in_flight_all,
            "changed": changed, "changes_mirrored": picked,
            "creation": creation, "seeded_in_qonto_s": rnd(seeded_s, 1), "runs": results}

    @staticmethod
    def link_sent(env, moves, links) -> None:
        """Record on Odoo's side what the Send path records once Qonto took the invoice.

        With the ``qonto.einvoice`` model (one row per sent invoice), its rows; before it,
        the fields of account.move.
        """
        now = dt.datetime.now().replace(microsecond=0)
        if "qonto.einvoice" in env:
            model = env["qonto.einvoice"].sudo()
            wanted = {"move_id": "id", "company_id": "company_id", "partner_id": "partner_id"}
            rows = []
            for move in moves:
                row = {"qonto_id": links[move.id], "status": "unpaid",
                       "einvoicing_status": "submitted", "sent_at": now}
                row.update({key: move[attr].id if attr != "id" else move.id
                            for key, attr in wanted.items()})
                rows.append({k: v for k, v in row.items() if k in model._fields})
            model.create(rows)
        else:
            for move in moves:
                move.write({"qonto_invoice_id": links[move.id], "qonto_sent_at": now,
                            "qonto_status": "unpaid", "qonto_einvoicing_status": "submitted"})

    # ---------------------------------------------------------------- run

    def run(self) -> dict:
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
            for part in PARTS:
                if part in parts:
                    log(f"part {part}")
                    started = time.perf_counter()
                    getattr(self, f"part_{part}")(cr)
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
        if self.server:
            self.server.stop()
        for sim in self.sims.values():
            sim.stop()


def args_top(args) -> int:
    return args.top



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
