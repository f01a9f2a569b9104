"""Parts of ``benchmarks/bench_odoo.py`` (``bin/bench``), one module each.

``meters``: what a step costs (wall, SQL, Qonto wait, PDF) and, inside it, the addon's
own ``account.move._qonto_send_batch``; ``list_send``: the invoice list's *Send via
e-invoice* action behind Qonto's latency and limits; ``webhooks``: signed deliveries to
real Odoo servers (threaded by default, threaded with ``ODOO_MAX_HTTP_THREADS``, prefork).
"""
