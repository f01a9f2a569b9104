"""Signed webhook deliveries to a real ``odoo`` HTTP server.

The benchmark's own server (threaded, ``--workers 0``, Odoo's default, serving one
database named by ``--database``) takes 1, 50 and 200 concurrent deliveries; then, for
200 concurrent (``--webhook-servers``), one more server per deployment setting, each
started and stopped here:

- ``db-filter``: the same with ``--db-filter ^<db>$`` as well. A delivery carries no
  session, so Odoo then lists the databases to pick one, on a new connection to the
  ``postgres`` database each time (``odoo.http``, ``_get_session_and_dbname``); with
  ``--database`` alone it takes that name as the list;
- ``threads-auto``: threaded with ``ODOO_MAX_HTTP_THREADS=auto`` (Odoo caps the request
  threads at (db_maxconn - max_cron_threads) / 2, so 32 with the default 64: further
  connections wait in the listen backlog instead of failing to borrow a connection);
- ``threads-N``: the same capped at N threads;
- ``workers-N``: prefork, ``--workers N``.

SQL per delivery comes from each server's own request log line
(``"POST <route> HTTP/1.1" 200 - <queries> <query s> <other s>``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import statistics
import subprocess
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .common import free_port, log, percentile, rnd, wait_http
from .meters import Meter

WEBHOOK_ROUTE = "/account_qonto_einvoicing/webhook"
ROOT = Path(__file__).resolve().parents[2]


class OdooServer:
    """``odoo`` on 127.0.0.1, no cron thread (triggers pile up where they are counted)."""

    def __init__(self, args, name: str = "default") -> None:
        self.name = name
        port = free_port()
        env = dict(os.environ)
        env.pop("ODOO_MAX_HTTP_THREADS", None)
        workers = "0"
        extra = []
        if name == "db-filter":
            extra = ["--db-filter", f"^{args.db}$"]
        elif name.startswith("threads-"):
            env["ODOO_MAX_HTTP_THREADS"] = name.split("-", 1)[1]
        elif name.startswith("workers-"):
            workers = name.split("-", 1)[1]
            extra = ["--gevent-port", str(free_port())]
        elif name != "default":
            raise ValueError(f"unknown server setting {name!r}")
        suffix = "" if name == "default" else f"-{name}"
        self.log_path = ROOT / "var" / f"bench-odoo-server{suffix}.log"
        self.log_path.unlink(missing_ok=True)
        self.proc = subprocess.Popen([
            args.odoo_bin, "-d", args.db, f"--addons-path={args.addons_path}",
            "--http-interface", "127.0.0.1", "--http-port", str(port), "--workers", workers,
            *extra, "--max-cron-threads", "0",
            "--logfile", str(self.log_path), "--log-level", "info"], env=env)
        self.url = f"http://127.0.0.1:{port}"
        wait_http(f"{self.url}/web/webclient/version_info", 120, self.proc)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def queries(self, offset: int) -> list[int]:
        """Queries per webhook request, from Odoo's own request log lines."""
        time.sleep(0.5)  # the last lines reach the file
        with open(self.log_path, "rb") as handle:
            handle.seek(offset)
            text = handle.read().decode(errors="replace")
        pattern = re.compile(re.escape(WEBHOOK_ROUTE)
                             + r"/\d+ HTTP/[\d.]+.*?\" (\d{3}) \S+ (\d+) ")
        found = []
        for line in text.splitlines():
            match = pattern.search(re.sub(r"\x1b\[[0-9;]*m", "", line))
            if match:
                found.append(int(match.group(2)))
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def part_webhooks(bench, cr) -> list[dict]:
    import requests
    from qonto_einvoicing.webhooks import SIGNATURE_HEADER, signature_header
    args = bench.args
    sim = bench.sims["sim"]
    company, partners = bench.company_ctx["sim"]
    env = bench.env(cr, company)
    moves = getattr(bench, "sent_moves", None)
    if not moves:
        moves, _c = bench.create_posted(env, company.with_env(env), partners, 20)
        bench.send_batch(env, moves)
    moves = moves.with_env(env)
    env.invalidate_all()
    targets = moves.filtered("qonto_invoice_id")[:args.webhook_invoices]
    if not targets:
        raise RuntimeError("no sent invoice to name in the webhooks")
    secret = "bench-webhook-secret-" + bench.run_tag
    company.with_env(env).sudo().qonto_webhook_secret = secret
    env.cr.commit()
    with sim.client() as qonto:
        org_id = qonto.get_organization().id
    qonto_ids = targets.mapped("qonto_invoice_id")
    cron = env.ref("account_qonto_einvoicing.ir_cron_qonto_refresh")
    samples: dict[str, str] = {}

    def deliver(url: str, i: int):
        body = json.dumps({
            "id": str(uuid.uuid4()), "subscription_id": "bench-subscription",
            "organization_id": org_id, "type": "v1/client-invoices.updated",
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
            "data": {"id": qonto_ids[i % len(qonto_ids)], "status": "unpaid"},
        }).encode()
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: signature_header(secret, body)}
        started = time.perf_counter()
        try:
            status = requests.post(url, data=body, headers=headers, timeout=60).status_code
        except requests.RequestException as error:
            samples.setdefault(type(error).__name__, str(error)[-160:])
            status = type(error).__name__
        return time.perf_counter() - started, status

    def burst(server: OdooServer, concurrency: int) -> dict:
        count = args.deliveries
        url = f"{server.url}{WEBHOOK_ROUTE}/{company.id}"
        cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
        triggers_before = cr.fetchone()[0]
        cr.commit()
        log_offset = server.log_size()
        samples.clear()
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            answers = list(pool.map(lambda i: deliver(url, i), range(count)))
        seconds = time.perf_counter() - started
        latencies = [a[0] for a in answers]
        errors = Counter(str(a[1]) for a in answers
                         if not (isinstance(a[1], int) and 200 <= a[1] < 300))
        cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
        triggers = cr.fetchone()[0] - triggers_before
        cr.commit()
        queries = server.queries(log_offset)
        # Then the refresh cron runs once, as the scheduler would: how often is each
        # invoice read from Qonto?
        sim.clear_requests()
        with Meter() as m:
            env["account.move"].sudo()._cron_qonto_refresh()
        env.cr.commit()
        snapshot = sim.requests_log()
        reads = Counter(e["path"] for e in snapshot["requests"]
                        if e["method"] == "GET" and "/client_invoices/" in e["path"])
        row = {
            "server": server.name, "concurrency": concurrency, "deliveries": count,
            "distinct_invoices_named": len(qonto_ids), "seconds": rnd(seconds, 2),
            "deliveries_per_s": rnd(count / seconds, 1),
            "p50_ms": rnd(1000 * percentile(latencies, 50), 1),
            "p99_ms": rnd(1000 * percentile(latencies, 99), 1),
            "max_ms": rnd(1000 * max(latencies), 1),
            "errors": sum(errors.values()), "error_kinds": dict(errors),
            "error_samples": dict(samples),
            "sql_per_delivery_mean": rnd(statistics.mean(queries), 1) if queries else None,
            "sql_per_delivery_max": max(queries) if queries else None,
            "server_lines_counted": len(queries),
            "cron_triggers": triggers,
            "refresh_after": {
                "seconds": rnd(m.wall, 2), "requests": snapshot["counts_by_route"],
                "reads_per_invoice_max": max(reads.values()) if reads else 0,
                "invoices_read": len(reads)},
        }
        log(f"webhooks {server.name} x{concurrency}: p99 {row['p99_ms']} ms, "
            f"{row['errors']} errors {row['error_kinds']}, SQL {row['sql_per_delivery_mean']}")
        return row

    rows = [burst(bench.server, c) for c in (1, 50, 200)]
    bench.results["webhooks"] = rows
    for name in [n.strip() for n in args.webhook_servers.split(",") if n.strip()]:
        log(f"webhooks: server {name}")
        server = OdooServer(args, name)
        try:
            rows.append(burst(server, 200))
        finally:
            server.stop()
    return rows
