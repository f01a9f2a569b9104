"""The table ``bin/bench`` prints: each figure of a run, and the goal it is held to."""

from __future__ import annotations


def table(results: dict) -> str:
    """One row per figure of ``results`` (the parts that ran), with its goal if any."""
    lines = []

    def add(what, value, goal=""):
        lines.append(f"| {what:<68} | {value!s:>20} | {goal:<14} |")

    def add_split(label, row):
        addon, rest = row["addon"], row["outside_addon"]
        add(f"{label}: addon (_qonto_send_batch) Odoo ms / SQL per inv",
            f"{addon['odoo_ms_per_invoice']} / {addon['sql_per_invoice']}", "<= 20 / <= 25")
        add(f"{label}: addon's wait for Qonto HTTP, ms per invoice",
            addon["qonto_wait_ms_per_invoice"])
        add(f"{label}: rest (Odoo's wizard, cron, report) ms / SQL per inv",
            f"{rest['odoo_ms_per_invoice']} / {rest['sql_per_invoice']}", "Odoo's")
    lines.append(f"| {'figure':<68} | {'value':>20} | {'goal':<14} |")
    lines.append(f"|{'-' * 70}|{'-' * 22}|{'-' * 16}|")
    for row in results.get("send", []):
        n = row["invoices"]
        add(f"send wizard {n} (PDF: {row['pdf']}): invoices/s", row["invoices_per_s"])
        add(f"send {n}: Qonto requests per invoice", row["requests_per_invoice"], "<= 3")
        add_split(f"send {n}", row)
        add(f"send {n}: PDF (wkhtmltopdf) ms per invoice", row["pdf_ms_per_invoice"])
        add(f"send {n}: sent / failed / left behind / duplicates",
            f"{row['sent']}/{row['failed']}/{row['left_behind']}/{row['duplicates_in_qonto']}",
            f"{n}/0/0/0")
    for key, label in (("list", "list action"), ("network", "network wizard")):
        net = results.get(key)
        if not net:
            continue
        how = f" ({net['per_click']}/click)" if key == "list" else ""
        add(f"{label} {net['invoices']}{how}, {net['latency_ms']} ms, limits "
            f"{'on' if net['rate_limits'] else 'off'}: sent/failed/dup/left",
            f"{net['sent']}/{net['failed']}/{net['duplicates_in_qonto']}/"
            f"{net['left_behind'] + net.get('postponed', 0)}", f"{net['invoices']}/0/0/0")
        add(f"{label}: 429s received", net["status_429"], "0")
        add(f"{label}: requests per invoice", net["requests_per_invoice"], "<= 3")
        add(f"{label}: invoices/s; requests/s", f"{net['invoices_per_s']}; "
            f"{net['request_rate_per_s']}")
        add(f"{label}: requests/s / Qonto's ceiling 16.7", net["ratio_to_qonto_ceiling"],
            ">= 0.8")
        add_split(label, net)
    prof = results.get("profile")
    if prof:
        add(f"profile {prof['invoices']}: seconds total", prof["seconds"])
        add("profile: s in account.move.write (cumulative)", prof["account_move_write_s"])
        add("profile: s in _sync_dynamic_lines (cumulative)", prof["sync_dynamic_lines_s"])
        add("profile: s waiting for wkhtmltopdf", prof["wkhtmltopdf_s"])
        for entry in [e for e in prof["top_cumulative"]
                      if e["cum_s"] < 0.9 * prof["seconds"]][:15]:
            add(f"  {entry['where'][:60]}", f"{entry['cum_s']} s")
        for entry in prof["account_move_write_callers"][:4]:
            add(f"  write <- {entry['caller'][:51]}", f"{entry['cum_s']} s x{entry['calls']}")
    for row in results.get("webhooks", []):
        c = f"{row['concurrency']} {row['server']}"
        if row.get("skipped"):
            add(f"webhooks x{c}", f"skipped: {row['skipped']}")
            continue
        add(f"webhooks x{c} ({row['deliveries']}): p50 / p99 ms",
            f"{row['p50_ms']} / {row['p99_ms']}", "p99 < 1000")
        add(f"webhooks x{c}: ms inside Odoo per delivery (p50)",
            row.get("server_ms_per_delivery_p50"))
        add(f"webhooks x{c}: errors (non-2xx)", row["errors"], "0")
        add(f"webhooks x{c}: SQL queries per delivery (mean/max)",
            f"{row['sql_per_delivery_mean']} / {row['sql_per_delivery_max']}")
        add(f"webhooks x{c}: refresh cron triggers", row["cron_triggers"])
        add(f"webhooks x{c}: then reads per invoice (max)",
            row["refresh_after"]["reads_per_invoice_max"], "1")
    ref = results.get("refresh")
    if ref:
        add("refresh: in flight (this part / company) / changed",
            f"{ref['in_flight']}/{ref['in_flight_company_total']} / {ref['changed']}")
        for run in ref["runs"]:
            add(f"  {run['what'][:60]}", f"{run['requests']} req {run['seconds']} s "
                f"{run['sql_queries']} SQL")
    return "\n".join(lines)
