"""The refresh cron over thousands of invoices in flight, against GET-per-invoice.

Qonto's side is seeded through the API, Odoo's side is written as the Send path records
it; the cron then runs with nothing changed, with ``--changed`` invoices changed, and the
naive baseline (one GET per invoice, client only) runs in the same part.
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

from .common import log, rnd
from .meters import Meter


def part_refresh(bench, cr) -> dict:
    """The refresh cron over ``--in-flight`` invoices, ``--changed`` of them changed."""
    sim = bench.sims["sim"]
    company, partners = bench.company_ctx["sim"]
    env = bench.env(cr, company)
    company = company.with_env(env)
    count, changed = bench.args.in_flight, bench.args.changed
    # Settle what earlier parts left in flight, so that only this part's invoices count.
    env["account.move"].sudo()._cron_qonto_refresh()
    env.cr.commit()
    # Qonto's side: the invoices, created and sent through the API a day ago on
    # the simulator's clock, so that the list filtered on updated_at only returns
    # those changed now.
    log(f"refresh: {count} invoices in flight ({changed} to change); creating them")
    moves, creation = bench.create_posted(env, company, partners, count, lines=1)
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
    link_sent(env, moves, links)
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
        bench.results["notes"].append(
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
    return {
        "in_flight": in_flight, "in_flight_company_total": in_flight_all,
        "changed": changed, "changes_mirrored": picked,
        "creation": creation, "seeded_in_qonto_s": rnd(seeded_s, 1), "runs": results}


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
