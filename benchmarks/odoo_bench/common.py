"""The benchmark's constants, and small helpers every part uses."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository: the simulator's package is run from it, ``var/`` takes the logs."""
LOGIN, SECRET = "demo-org", "demo-secret"
# The SIRET and VAT number of the simulator's organization of demo-org (SIREN 467822128):
# a company sends only as the seller its Qonto organization is.
COMPANY_SIRET, COMPANY_VAT = "46782212800014", "FR71467822128"
COMPANIES = (("Bench FR", "sim"), ("Bench FR Network", "net"))
"""The base database's companies, and the simulator each one is connected to."""
QONTO_CEILING = 16.7  # Qonto's sustained ceiling, requests per second (10,000 / 10 min)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, seconds: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    import requests
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        with contextlib.suppress(requests.RequestException):
            requests.get(url, timeout=2)
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def siret(index: int) -> str:
    """A SIRET with valid check digits whose SIREN starts with 5 (reachable)."""
    base = f"5{index:07d}"
    siren = next(base + d for d in "0123456789" if luhn_ok(base + d))
    nic = "0001"
    return next(siren + nic + d for d in "0123456789" if luhn_ok(siren + nic + d))


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def rnd(value: float, digits: int = 3) -> float:
    return round(float(value), digits)


def summarize_requests(snapshot: dict, count: int) -> dict:
    by_route = snapshot["counts_by_route"]
    statuses = Counter(entry.get("status") for entry in snapshot["requests"])
    total = snapshot["total"]
    return {
        "requests": total,
        "requests_per_invoice": rnd(total / count, 2) if count else None,
        "by_route_per_invoice": {route: rnd(n / count, 2) for route, n in
                                 sorted(by_route.items(), key=lambda kv: -kv[1])} if count else {},
        # The simulator's own counter when it has one; else the (bounded) list of calls.
        "status_429": snapshot.get("rate_limited", statuses.get(429, 0)),
        "status_counted_over": len(snapshot["requests"]),
    }
