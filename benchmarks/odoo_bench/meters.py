"""What a step costs, and the addon's own share of it.

``Meter`` wraps, once, three functions and changes nothing else:

- ``requests.Session.send``: time in every Qonto request (``http``, summed over the send
  pool's threads), and the part of it the main thread waits for (``wait``);
- the ``send_all`` generator the addon iterates: time the main thread waits there for the
  pool's outcomes (``wait`` too: that is the HTTP the batch waits for);
- ``ir.actions.report._run_wkhtmltopdf`` (``pdf``), optionally stubbed.

``Meter.install_addon()`` (once the registry is loaded) also wraps the addon's
``account.move._qonto_send_batch``: its wall time, SQL queries and Qonto wait, counted
on the outermost call only (it calls itself once for stale customers).
"""

from __future__ import annotations

import threading
import time

ADDON_KEYS = ("calls", "invoices", "wall", "sql", "wait")


def _main() -> bool:
    return threading.current_thread() is threading.main_thread()


class Meter:
    """Wall time, CPU, SQL queries, Qonto HTTP and wait, wkhtmltopdf; the addon's share."""

    http_seconds = 0.0
    http_calls = 0
    wait_seconds = 0.0
    pdf_seconds = 0.0
    pdf_calls = 0
    stub_pdf = False
    """When set, wkhtmltopdf is called once and its PDF handed back to later calls: the
    HTML is still rendered by Odoo, the external process is left out."""
    last_pdf = None
    addon = dict.fromkeys(ADDON_KEYS, 0)
    addon_profile = None
    """A ``cProfile.Profile`` enabled inside the addon's outermost ``_qonto_send_batch``
    only (the main thread's work: the pool's threads wait for Qonto), when set."""
    _local = threading.local()
    _depth = 0
    _installed = False
    _addon_installed = False

    @classmethod
    def install(cls) -> None:
        if cls._installed:
            return
        import requests
        from odoo.addons.base.models.ir_actions_report import IrActionsReport
        send = requests.Session.send

        def timed_send(session, request, **kwargs):
            started = time.perf_counter()
            try:
                return send(session, request, **kwargs)
            finally:
                spent = time.perf_counter() - started
                cls.http_seconds += spent
                cls.http_calls += 1
                if _main() and not getattr(cls._local, "in_pool_wait", False):
                    cls.wait_seconds += spent
        requests.Session.send = timed_send
        run = IrActionsReport._run_wkhtmltopdf

        def timed_run(self, *a, **kw):
            started = time.perf_counter()
            try:
                if cls.stub_pdf and cls.last_pdf:
                    return cls.last_pdf
                cls.last_pdf = run(self, *a, **kw)
                return cls.last_pdf
            finally:
                cls.pdf_seconds += time.perf_counter() - started
                cls.pdf_calls += 1
        IrActionsReport._run_wkhtmltopdf = timed_run
        cls._installed = True

    @classmethod
    def install_addon(cls) -> None:
        """Wrap the addon's batch send and its pool; call it once the registry is loaded."""
        if cls._addon_installed:
            return
        from odoo import sql_db
        from odoo.addons.account_qonto_einvoicing.models import account_move_qonto_send as mod
        send_all = mod.send_all

        def timed_send_all(*a, **kw):
            iterator = send_all(*a, **kw)
            try:
                while True:
                    started = time.perf_counter()
                    cls._local.in_pool_wait = True
                    try:
                        outcome = next(iterator)
                    except StopIteration:
                        return
                    finally:
                        cls._local.in_pool_wait = False
                        if _main():
                            cls.wait_seconds += time.perf_counter() - started
                    yield outcome
            finally:
                iterator.close()
        mod.send_all = timed_send_all
        batch = mod.AccountMove._qonto_send_batch

        def measured_batch(self, *a, **kw):
            if cls._depth or not _main():
                return batch(self, *a, **kw)
            cls._depth = 1
            started, sql, wait = time.perf_counter(), sql_db.sql_counter, cls.wait_seconds
            if cls.addon_profile:
                cls.addon_profile.enable()
            try:
                return batch(self, *a, **kw)
            finally:
                if cls.addon_profile:
                    cls.addon_profile.disable()
                cls._depth = 0
                cls.addon["calls"] += 1
                cls.addon["invoices"] += len(self)
                cls.addon["wall"] += time.perf_counter() - started
                cls.addon["sql"] += sql_db.sql_counter - sql
                cls.addon["wait"] += cls.wait_seconds - wait
        mod.AccountMove._qonto_send_batch = measured_batch
        cls._addon_installed = True

    def __enter__(self):
        from odoo import sql_db
        self._sql = sql_db.sql_counter
        self._http, self._wait = Meter.http_seconds, Meter.wait_seconds
        self._pdfs, self._pdfn = Meter.pdf_seconds, Meter.pdf_calls
        self._addon = dict(Meter.addon)
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc):
        from odoo import sql_db
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        self.sql = sql_db.sql_counter - self._sql
        self.http = Meter.http_seconds - self._http
        self.wait = Meter.wait_seconds - self._wait
        self.pdf = Meter.pdf_seconds - self._pdfs
        self.pdf_calls = Meter.pdf_calls - self._pdfn
        # Odoo's time: what the main thread spent neither waiting for Qonto nor for
        # wkhtmltopdf (the pool's requests overlap; only the wait for them counts).
        self.odoo = max(self.wall - self.wait - self.pdf, 0.0)
        self.addon = {k: Meter.addon[k] - self._addon[k] for k in ADDON_KEYS}
        self.addon["odoo"] = max(self.addon["wall"] - self.addon["wait"], 0.0)
        return False

    def split(self, count: int) -> dict:
        """Per invoice: the whole step, the addon's ``_qonto_send_batch``, and the rest
        (Odoo's: the Send wizard, its cron, the invoice report)."""
        def ms(seconds: float) -> float:
            return round(1000 * seconds / count, 1) if count else 0.0
        add = self.addon
        return {
            "odoo_ms_per_invoice": ms(self.odoo),
            "sql_per_invoice": round(self.sql / count, 1) if count else 0.0,
            "qonto_wait_ms_per_invoice": ms(self.wait),
            "qonto_http_ms_per_invoice_all_threads": ms(self.http),
            "pdf_ms_per_invoice": ms(self.pdf),
            "addon": {
                "batches": add["calls"], "invoices": add["invoices"],
                "wall_ms_per_invoice": ms(add["wall"]),
                "odoo_ms_per_invoice": ms(add["odoo"]),
                "qonto_wait_ms_per_invoice": ms(add["wait"]),
                "sql_per_invoice": round(add["sql"] / count, 1) if count else 0.0,
            },
            "outside_addon": {
                "odoo_ms_per_invoice": ms(max(self.odoo - add["odoo"], 0.0)),
                "sql_per_invoice": round((self.sql - add["sql"]) / count, 1) if count else 0.0,
            },
        }
