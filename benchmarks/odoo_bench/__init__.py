"""Parts of ``benchmarks/bench_odoo.py`` (``bin/bench``), one module each, and their tools.

``meters``: what a step costs (wall, SQL, Qonto wait, PDF) and, inside it, the addon's
own ``account.move._qonto_send_batch``; ``list_send``: the invoice list's *Send via
e-invoice* action behind Qonto's latency and limits; ``webhooks``: signed deliveries to
real Odoo servers (threaded by default, threaded with ``ODOO_MAX_HTTP_THREADS``, prefork).

Their tools: ``simulator_process``: a simulator in its own process; ``database``: the base
database built once and copied for each run; ``report``: the printed table; ``common``:
constants and small helpers.
"""
