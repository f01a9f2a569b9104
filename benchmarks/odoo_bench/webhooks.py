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
- ``workers-N``: prefork, ``--workers N``;
- ``proxy-N``: Odoo's default server behind HAProxy (when ``haproxy`` is installed),
  which holds every connection and passes Odoo at most N at a time (``maxconn``): a
  callback Qonto accepts is public HTTPS, so a TLS proxy stands in front of Odoo anyway,
  and this one queues a burst instead of leaving it in Odoo's listen backlog;
  ``proxy-N-workers-W``: the same in front of ``--workers W``.

SQL per delivery comes from each server's own request log line
(``"POST <route> HTTP/1.1" 200 - <queries> <query s> <other s>``).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from .common import ROOT, free_port, log, percentile, rnd, wait_http
from .meters import Meter

WEBHOOK_ROUTE = "/account_qonto_einvoicing/webhook"


class OdooServer:
    """``odoo`` on 127.0.0.1, no cron thread (triggers pile up where they are counted)."""

    def __init__(self, args, name: str = "default") -> None:
        self.name = name
        port = free_port()
        env = dict(os.environ)
        env.pop("ODOO_MAX_HTTP_THREADS", None)
        workers = "0"
        extra = []
        self.proxy = None
        if name.startswith("proxy-") and not shutil.which("haproxy"):
            raise SettingUnavailableError("haproxy is not installed")
        if name == "db-filter":
            extra = ["--db-filter", f"^{args.db}$"]
        elif name.startswith("threads-"):
            env["ODOO_MAX_HTTP_THREADS"] = name.split("-", 1)[1]
        elif name.startswith("workers-") or "-workers-" in name:
            workers = name.rsplit("-", 1)[1]
            extra = ["--gevent-port", str(free_port())]
        elif name != "default" and not name.startswith("proxy-"):
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
        if name.startswith("proxy-"):
            self.proxy, self.url = start_haproxy(port, int(name.split("-")[1]))
            wait_http(f"{self.url}/web/webclient/version_info", 30, self.proxy)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def queries(self, offset: int) -> list[tuple[int, float]]:
        """``(queries, server seconds)`` per webhook request, from Odoo's own request log
        lines (seconds: its query time plus its other time)."""
        time.sleep(0.5)  # the last lines reach the file
        with open(self.log_path, "rb") as handle:
            handle.seek(offset)
            text = handle.read().decode(errors="replace")
        pattern = re.compile(re.escape(WEBHOOK_ROUTE)
                             + r"/\d+ HTTP/[\d.]+.*?\" (\d{3}) \S+ (\d+) ([\d.]+) ([\d.]+)")
        found = []
        for line in text.splitlines():
            match = pattern.search(re.sub(r"\x1b\[[0-9;]*m", "", line))
            if match:
                found.append((int(match.group(2)),
                              float(match.group(3)) + float(match.group(4))))
        return found

    def stop(self) -> None:
        for proc in filter(None, (self.proxy, self.proc)):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)


class SettingUnavailableError(RuntimeError):
    """A deployment setting this machine cannot play (its row says why)."""


def start_haproxy(odoo_port: int, maxconn: int) -> tuple[subprocess.Popen, str]:
    """HAProxy on a free port in front of Odoo, queueing beyond ``maxconn`` requests."""
    port = free_port()
    config = ROOT / "var" / f"bench-haproxy-{port}.cfg"
    config.write_text(
        "global\n    maxconn 4096\n"
        "defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n"
        "    timeout server 60s\n    timeout queue 60s\n"
        f"frontend qonto\n    bind 127.0.0.1:{port}\n    default_backend odoo\n"
        f"backend odoo\n    server odoo 127.0.0.1:{odoo_port} maxconn {maxconn}\n")
    proc = subprocess.Popen(["haproxy", "-db", "-f", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def part_webhooks(bench, cr) -> list[dict]:
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
        # A new connection per delivery, as a sender across the internet makes; plain
        # http.client, whose own CPU is a fraction of requests' on the shared cores.
        parts = urlsplit(url)
        started = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request("POST", parts.path, body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            status = answer.status
        except (OSError, http.client.HTTPException) as error:
            samples.setdefault(type(error).__name__, str(error)[-160:])
            status = type(error).__name__
        finally:
            connection.close()
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
        lines = server.queries(log_offset)
        queries = [q for q, _seconds in lines]
        served = [seconds for _q, seconds in lines]
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
            # Inside Odoo, from the request's start to its answer (its own log line):
            # what the client waits beyond it is the server's queue and the network.
            "server_ms_per_delivery_p50": rnd(1000 * percentile(served, 50), 1)
            if served else None,
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
        try:
            server = OdooServer(args, name)
        except SettingUnavailableError as why:
            rows.append({"server": name, "concurrency": 200, "skipped": str(why)})
            log(f"webhooks: {name} skipped: {why}")
            continue
        try:
            rows.append(burst(server, 200))
        finally:
            server.stop()
    return rows
