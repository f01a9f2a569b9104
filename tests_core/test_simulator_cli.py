"""``python -m qonto_einvoicing.simulator``: its help, and one real start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
OPTIONS = ("--host", "--port", "--state", "--step-seconds", "--api-key",
           "--webhook-retry-seconds", "--webhook-max-attempts", "--verbose", "-v",
           "--wrapped-webhook-subscriptions", "--allow-http-callbacks",
           "--oauth-only-webhooks", "--open-annuaire", "--list-lifecycle-events",
           "--lifecycle-keeps-updated-at", "--rate-limit", "--no-rate-limit",
           "--rate-limit-retry-after", "--latency-ms", "--undocumented-bodies")


def _run(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "qonto_einvoicing.simulator", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, cwd=REPO, **kwargs)  # type: ignore[call-overload]


def test_help_lists_every_option_and_the_strict_defaults() -> None:
    process = _run("--help")
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    for option in OPTIONS:
        assert option in out
    assert "default: 8765" in out and "default: 127.0.0.1" in out
    for default in ("1000 requests / 10 s and 10000 / 600 s", "public HTTPS",
                    "registered in the Annuaire", "552100554", "two public clients",
                    "Qonto's pages are silent"):
        assert default in out, default


def test_starts_prints_one_line_without_the_secret_and_stops_on_sigterm(
        tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = tmp_path / "state.json"
    process = _run("--port", str(port), "--api-key", "acme:top-secret-value",
                   "--state", str(state), "--step-seconds", "2")
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line == (f"Qonto simulator listening on http://127.0.0.1:{port} "
                        "(API key login: acme)")
        answer = requests.get(f"http://127.0.0.1:{port}/v2/organization",
                              headers={"Authorization": "acme:top-secret-value"}, timeout=5)
        assert answer.status_code == 200
        clock = requests.get(f"http://127.0.0.1:{port}/_simulator/clock", timeout=5).json()
        assert clock["step_seconds"] == 2
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "top-secret-value" not in line + rest
    assert state.exists()


def test_a_malformed_api_key_is_refused() -> None:
    process = _run("--api-key", "no-colon")
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "login:secret" in out


def test_a_busy_port_is_an_error_not_a_hang() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = _run("--port", str(busy.getsockname()[1]))
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "cannot listen" in out
