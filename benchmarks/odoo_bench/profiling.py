"""Where the Send cron's time goes: cProfile of 100 invoices, then of the addon alone.

The listings go to ``var/bench-profile.txt`` and ``var/bench-profile-addon.txt`` (with
their pstats dumps); the figures keep the top entries and ``account.move.write``'s callers.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from pathlib import Path

from .common import ROOT, log, rnd
from .meters import Meter
from .send import outcome


def part_profile(bench, cr) -> dict:
    """cProfile of the Send cron, then of the addon's ``_qonto_send_batch`` alone."""
    sim = bench.sims["sim"]
    company, partners = bench.company_ctx["sim"]
    env = bench.env(cr, company)
    size = bench.args.profile_invoices
    moves, _creation = bench.create_posted(env, company.with_env(env), partners, size)
    log(f"profile: sending {size} invoices under cProfile")
    profile = cProfile.Profile()
    with Meter() as m:
        _q, _r, stub = bench.send_batch(env, moves, profile=profile)
    # One profiler at a time per thread: a second batch of the same size profiles
    # the addon's _qonto_send_batch alone.
    addon_moves, _creation = bench.create_posted(env, company.with_env(env), partners, size)
    log(f"profile: sending {size} more invoices, the addon alone under cProfile")
    Meter.addon_profile = addon_profile = cProfile.Profile()
    try:
        bench.send_batch(env, addon_moves)
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
    return {
        "invoices": size, "pdf": "stub" if stub else "wkhtmltopdf",
        "seconds": rnd(m.wall), "sent": outcome(env, moves, sim)["sent"],
        "account_move_write_s": rnd(seconds_in("write", "account/models/account_move.py")),
        "sync_dynamic_lines_s": rnd(seconds_in("_sync_dynamic_lines", "account/models")),
        "account_move_write_callers": callers("write", "account/models/account_move.py"),
        "sync_dynamic_lines_callers": callers("_sync_dynamic_lines", "account/models"),
        "wkhtmltopdf_s": rnd(m.pdf), "qonto_http_s": rnd(m.http),
        "top_cumulative": [{"cum_s": rnd(c), "own_s": rnd(t), "calls": n, "where": w}
                           for c, t, n, w, _f, _fn in entries[:bench.args.top]],
        "full_listing": "var/bench-profile.txt (pstats dump: var/bench-profile.pstats)",
        "addon_listing": "var/bench-profile-addon.txt (_qonto_send_batch alone)",
    }
