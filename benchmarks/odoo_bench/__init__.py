"""Parts of ``benchmarks/bench_odoo.py`` (``bin/bench``), one module each, and their tools.

The parts, each a function ``part_<name>(bench, cr)`` returning its figures: ``send``
(``part_send``, ``part_network``): Odoo's Send wizard on the local simulator and behind
Qonto's latency and limits; ``profiling``: cProfile of the Send cron and of the addon
alone; ``webhooks``: signed deliveries to real Odoo servers (threaded by default,
threaded with ``ODOO_MAX_HTTP_THREADS``, prefork); ``refresh``: the refresh cron over
invoices in flight against GET-per-invoice; ``list_send``: the invoice list's *Send via
e-invoice* action behind Qonto's latency and limits.

Their tools: ``meters``: what a step costs (wall, SQL, Qonto wait, PDF) and, inside it,
the addon's own ``account.move._qonto_send_batch``; ``simulator_process``: a simulator in
its own process; ``database``: the base database built once and copied for each run;
``report``: the printed table; ``common``: constants and small helpers.
"""
