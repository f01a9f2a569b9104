"""The invoice list's *Send via e-invoice* action, behind Qonto's latency and limits.

An accountant selects invoices in the list and clicks the action: ``action_qonto_send()``
on the selection, one transaction per click (``--click`` invoices a click, 0 = all at
once). No PDF is rendered on this path, so it shows what the addon itself reaches against
Qonto's network (``--latency-ms 150``) and its real rate-limit windows.
"""

from __future__ import annotations

import time

from .common import QONTO_CEILING
from .meters import Meter


def part_list(bench, cr) -> dict:
    from odoo.exceptions import UserError

    from .common import log, rnd, summarize_requests
    args = bench.args
    sim = bench.sims["net"]
    company, partners = bench.company_ctx["net"]
    env = bench.env(cr, company)
    size = args.list_invoices or args.invoices
    click = args.click or size
    moves, creation = bench.create_posted(env, company.with_env(env), partners, size)
    log(f"list: {size} invoices, {click} a click, simulator latency {sim.latency_ms} ms, "
        f"rate limits {'on' if sim.rate_limited else 'off'}; sending")
    sim.clear_requests()
    refused = []
    with Meter() as m:
        for start in range(0, size, click):
            selection = moves[start:start + click].with_env(env)
            try:
                selection.action_qonto_send()
                env.cr.commit()
            except UserError as error:
                env.cr.rollback()
                refused.append(str(error)[:200])
            env.invalidate_all()
    reqs = summarize_requests(sim.requests_log(), size)
    row = {
        "invoices": size, "per_click": click, "clicks": -(-size // click),
        "latency_ms": sim.latency_ms, "rate_limits": sim.rate_limited,
        "creation": creation, "seconds": rnd(m.wall, 1),
        **state(env, moves, sim), "refused_clicks": refused[:3],
        "status_429": reqs["status_429"],
        "requests_per_invoice": reqs["requests_per_invoice"],
        "requests_by_route_per_invoice": reqs["by_route_per_invoice"],
        "request_rate_per_s": rnd(reqs["requests"] / m.wall, 2),
        "ratio_to_qonto_ceiling": rnd(reqs["requests"] / m.wall / QONTO_CEILING, 3),
        **m.split(size),
    }
    row["invoices_per_s"] = rnd(row["sent"] / m.wall, 2)
    if row["postponed"]:
        # Qonto's rate limit postponed some: the refresh cron sends them once due.
        due = max(moves.with_env(env).qonto_einvoice_id.mapped("send_postponed_until"))
        wait = min(max((due - _now()).total_seconds() + 1, 0), 300)
        log(f"list: {row['postponed']} postponed; the refresh cron sends them in {wait:.0f} s")
        time.sleep(wait)
        env["qonto.einvoice"].sudo()._send_postponed(company)
        env.cr.commit()
        env.invalidate_all()
        row["after_refresh_cron"] = state(env, moves, sim)
    log(f"list: {row}")
    return row


def _now():
    import datetime as dt
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def state(env, moves, sim) -> dict:
    from collections import Counter
    moves = moves.with_env(env)
    env.invalidate_all()
    sent = moves.filtered("qonto_sent_at")
    postponed = (moves - sent).filtered(lambda m: m.qonto_einvoice_id.send_postponed_until)
    failed = (moves - sent - postponed).filtered("qonto_error")
    names = set(moves.mapped("name"))
    with sim.client() as qonto:
        numbers = Counter(inv.number for inv in qonto.list_client_invoices()
                          if inv.number in names)
    return {"sent": len(sent), "failed": len(failed), "postponed": len(postponed),
            "left_behind": len(moves - sent - postponed - failed),
            "in_qonto": sum(numbers.values()),
            "duplicates_in_qonto": sum(n - 1 for n in numbers.values() if n > 1),
            "failure_sample": list(dict.fromkeys(failed.mapped("qonto_error")))[:3]}
