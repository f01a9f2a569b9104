"""What checking a Factur-X costs: ``python benchmarks/bench_facturx.py [N]``.

Checks Odoo 19's own Factur-X (tests_core/fixtures, with the French mentions added as
the addon adds them) N times (default 50): the XSD in this process, then the schematron
of its profile and the BR-FR one in the Saxon child process. Prints the child's start
(compiling the stylesheets, paid once per Odoo process) apart from the cost per
document, which is what each invoice pays afterwards. Then what the first invoice of a
process waits for when the child was started ahead (``warm_up``, as the addon does on
any send through Qonto) some seconds before: the case of Correct and resend, whose
credit note is the process's first Factur-X.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from qonto_einvoicing.facturx_check import check_xsd  # noqa: E402
from qonto_einvoicing.facturx_fr import FrenchMentions, add_french_mentions  # noqa: E402
from qonto_einvoicing.schematron import SchematronValidator  # noqa: E402


def _documents() -> list[bytes]:
    fixtures = os.path.join(ROOT, "tests_core", "fixtures")
    mentions = {"recovery_fee_note": "40 €", "late_penalties_note": "3x taux légal",
                "discount_note": "Pas d'escompte"}
    with open(os.path.join(fixtures, "odoo_invoice_multirate.xml"), "rb") as handle:
        invoice = add_french_mentions(handle.read(), FrenchMentions(**mentions))
    with open(os.path.join(fixtures, "odoo_credit_note_partial.xml"), "rb") as handle:
        note = add_french_mentions(handle.read(), FrenchMentions(
            corrected_invoice="FAC/2026/00042", corrected_invoice_date=date(2026, 11, 30),
            **mentions))
    return [invoice, note]


WARM_AHEAD = 10.0


def main(count: int = 50) -> None:
    documents = _documents()
    with SchematronValidator() as validator:
        started = time.perf_counter()
        validator.validate(documents[0])  # starts the child and compiles both stylesheets
        warm_up = time.perf_counter() - started
        costs = []
        for index in range(count):
            xml = documents[index % len(documents)]
            started = time.perf_counter()
            problems = check_xsd(xml) + validator.validate(xml)
            costs.append(time.perf_counter() - started)
            assert not problems, problems
    costs.sort()
    with SchematronValidator() as validator:
        validator.warm_up()
        time.sleep(WARM_AHEAD)  # the user reads the refused invoice
        started = time.perf_counter()
        validator.validate(documents[1])
        first_warm = time.perf_counter() - started
    print(f"Factur-X check (XSD + EXTENDED + BR-FR schematrons), {count} documents")
    print(f"  child start and stylesheet compilation, once per process: {warm_up:.2f} s")
    print(f"  first document, child started {WARM_AHEAD:.0f} s ahead: "
          f"{first_warm * 1000:.0f} ms")
    print(f"  per document: median {statistics.median(costs) * 1000:.0f} ms, "
          f"p95 {costs[int(len(costs) * 0.95) - 1] * 1000:.0f} ms, "
          f"max {costs[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
