"""The Send wizard as an accountant uses it, on the local simulator and behind Qonto's network.

``send``: batches of 10 and N posted invoices through Odoo's Send wizard, then its sending
cron until none is left; ``network``: the same against the simulator with Qonto's latency
and rate limits. Both count Qonto's requests per invoice and what became of each invoice.
"""

from __future__ import annotations

from collections import Counter

from .common import QONTO_CEILING, log, rnd, summarize_requests
from .meters import Meter


def outcome(env, moves, sim) -> dict:
    """What became of ``moves``: sent, failed, left behind; in Qonto, and twice there."""
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


def part_send(bench, cr) -> list[dict]:
    """Batches of 10 and ``--invoices`` invoices through the Send wizard, no latency."""
    sim = bench.sims["sim"]
    company, partners = bench.company_ctx["sim"]
    env = bench.env(cr, company)
    rows = []
    for size in sorted({10, bench.args.invoices}):
        moves, creation = bench.create_posted(env, company.with_env(env), partners, size)
        log(f"send: {size} posted invoices created in {creation}; sending")
        sim.clear_requests()
        with Meter() as m:
            by_qonto, runs, stub = bench.send_batch(env, moves)
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
            **outcome(env, moves, sim),
        }
        rows.append(row)
        log(f"send {size}: {row['invoices_per_s']} inv/s, {row['requests_per_invoice']} "
            f"req/inv, {row['sql_per_invoice']} SQL/inv, addon {row['addon']}, "
            f"sent {row['sent']}")
    bench.sent_moves = moves  # the last batch: named by the webhooks
    return rows


def part_network(bench, cr) -> dict:
    """The Send wizard behind Qonto's latency and rate limits (the ``net`` simulator)."""
    sim = bench.sims["net"]
    company, partners = bench.company_ctx["net"]
    env = bench.env(cr, company)
    size = bench.args.network_invoices or bench.args.invoices
    moves, creation = bench.create_posted(env, company.with_env(env), partners, size)
    log(f"network: {size} invoices, simulator latency {sim.latency_ms} ms, "
        f"rate limits {'on' if sim.rate_limited else 'off'}; sending")
    sim.clear_requests()
    with Meter() as m:
        by_qonto, runs, stub = bench.send_batch(env, moves)
    reqs = summarize_requests(sim.requests_log(), size)
    out = outcome(env, moves, sim)
    rate = out["sent"] / m.wall
    row = {
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
    log(f"network: {row}")
    return row
