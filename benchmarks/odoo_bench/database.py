"""The benchmark's databases: ``<db>_base`` built once, copied to ``<db>`` for each run.

The base holds the installed modules and the French companies with their charts of
accounts (minutes to build); it records the fingerprint of the addon it was built with,
and is updated (``-u``) when the addon's code changed since.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
from pathlib import Path

from .common import COMPANIES, COMPANY_SIRET, COMPANY_VAT, ROOT, log


def import_odoo(odoo_bin: str):
    """The ``odoo`` package: importable as is, or from the path ``odoo_bin`` inserts."""
    try:
        import odoo
    except ImportError:
        text = Path(odoo_bin).read_text(errors="replace")
        paths = re.findall(r"sys\.path\.insert\(0,\s*['\"]([^'\"]+)['\"]\)", text)
        # A shell wrapper (``exec python /opt/odoo/odoo-bin "$@"``): the package is
        # beside the odoo-bin it runs.
        paths += re.findall(r"(\S+)/odoo-bin\b", text)
        for path in paths:
            sys.path.insert(0, path)
        import odoo
    return odoo


def odoo_cmd(args, *more: str) -> list[str]:
    """The ``odoo`` command line with ``more`` arguments."""
    return [args.odoo_bin, *more]


def db_exists(name: str) -> bool:
    """Whether PostgreSQL has a database ``name``."""
    import psycopg2
    with contextlib.closing(psycopg2.connect(dbname="postgres")) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def addon_fingerprint() -> str:
    """A hash of the addon's code and data as Odoo loads them (tests and benchmarks out)."""
    import hashlib
    digest = hashlib.sha256()
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if (path.is_file() and path.suffix in {".py", ".xml", ".csv", ".po", ".js", ".scss"}
                and rel.parts[0] not in {"tests", "tests_core", "benchmarks", "bin", "var",
                                         ".venv", ".git"}):
            digest.update(str(rel).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def base_state(name: str) -> str | None:
    """The fingerprint the base database was built or updated with, None if unusable."""
    if not db_exists(name):
        return None
    import psycopg2
    with contextlib.closing(psycopg2.connect(dbname=name)) as conn, conn.cursor() as cr, \
            contextlib.suppress(psycopg2.Error):
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'qonto_bench.ready'")
        row = cr.fetchone()
        return row[0] if row else None
    return None


def init_modules(args, base: str, what: str, *modules: str) -> None:
    """Install or update modules in ``base`` with ``odoo --stop-after-init``; exit if it fails.

    ``what`` names the step in the message; Odoo's output goes to ``var/bench-install.log``.
    """
    install_log = ROOT / "var" / "bench-install.log"
    with open(install_log, "w") as out:
        rc = subprocess.run(odoo_cmd(
            args, "-d", base, f"--addons-path={args.addons_path}",
            *modules, "--stop-after-init", "--no-http"),
            stdout=out, stderr=subprocess.STDOUT, timeout=3600, check=False).returncode
    if rc:
        sys.exit(f"{what} failed, see {install_log}")


def update_base(args, base: str, fingerprint: str) -> None:
    """The addon changed since the base was built: update it there (-u)."""
    log(f"the addon changed: updating account_qonto_einvoicing in {base}")
    init_modules(args, base, "update", "-u", "account_qonto_einvoicing")
    import psycopg2
    with contextlib.closing(psycopg2.connect(dbname=base)) as conn, conn.cursor() as cr:
        cr.execute("UPDATE ir_config_parameter SET value = %s WHERE key = 'qonto_bench.ready'",
                   [fingerprint])
        conn.commit()


def build_base(args, odoo) -> None:
    """(Re)create ``<db>_base``: the modules, the companies, their charts of accounts."""
    base = f"{args.db}_base"
    if db_exists(base):
        subprocess.run(odoo_cmd(args, "db", "drop", base), check=False, timeout=300,
                       capture_output=True)
    log(f"creating {base}: installing l10n_fr_account, account_qonto_einvoicing (minutes, once)")
    init_modules(args, base, "install", "-i", "l10n_fr_account,account_qonto_einvoicing")
    with odoo_env(odoo, base) as env:
        fr = env.ref("base.fr")
        for name, _key in COMPANIES:
            company = env["res.company"].search([("name", "=", name)], limit=1)
            if not company:
                company = env["res.company"].create({
                    "name": name, "country_id": fr.id, "currency_id": env.ref("base.EUR").id,
                    "street": "8 rue des Lilas", "zip": "69003", "city": "Lyon",
                    "company_registry": COMPANY_SIRET, "vat": COMPANY_VAT})
                log(f"loading the French chart of accounts for {name}")
                env["account.chart.template"].try_loading("fr", company, install_demo=False)
            admin = env.ref("base.user_admin")
            admin.write({"company_ids": [(4, company.id)]})
        env["ir.config_parameter"].set_param("qonto_bench.ready", addon_fingerprint())
        env.cr.commit()
    # Copying a database needs nobody connected to it.
    from odoo.modules.registry import Registry
    Registry.delete(base)
    odoo.sql_db.close_db(base)


@contextlib.contextmanager
def odoo_env(odoo, dbname: str):
    """A superuser environment on ``dbname``, its cursor closed on the way out."""
    from odoo.modules.registry import Registry
    registry = Registry(dbname)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def prepare_database(args):
    """Import Odoo, bring ``<db>_base`` up to the addon's code, copy it to ``<db>``.

    A SIGTERM then unwinds like Ctrl-C, so that the simulators and servers a run started
    are stopped on the way out. Returns the imported ``odoo`` package.
    """
    (ROOT / "var").mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    odoo = import_odoo(args.odoo_bin)
    from odoo.tools import config
    config.parse_config(["--addons-path", args.addons_path, "--log-level", "warn"])
    import logging
    logging.getLogger("odoo").setLevel(logging.WARNING)
    base = f"{args.db}_base"
    state = None if args.fresh else base_state(base)
    if state is None:
        build_base(args, odoo)
    elif state != addon_fingerprint():
        update_base(args, base, addon_fingerprint())
    log(f"copying {base} to {args.db}")
    subprocess.run(odoo_cmd(args, "db", "duplicate", "-f", base, args.db), check=True,
                   timeout=600, capture_output=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    return odoo

