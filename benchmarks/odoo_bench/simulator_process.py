"""The benchmark's Qonto: ``python -m qonto_einvoicing.simulator`` in a process of its own.

An option this simulator version lacks (latency, rate limits) is said in ``notes`` and
left out, not failed on, so that the benchmark also measures older simulators.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from .common import LOGIN, ROOT, SECRET, free_port, wait_http

STEP_SECONDS = "1000000000"  # no lifecycle step on its own while we measure


class SimulatorProcess:
    """``python -m qonto_einvoicing.simulator`` in its own process, on a free port."""

    def __init__(self, name: str, latency_ms: int = 0, real_limits: bool = False,
                 extra: list[str] | None = None) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        help_text = subprocess.run(
            [sys.executable, "-m", "qonto_einvoicing.simulator", "--help"], cwd=ROOT,
            capture_output=True, text=True, timeout=60, check=False).stdout
        args = ["--port", str(self.port), "--step-seconds", STEP_SECONDS]
        self.notes: list[str] = []
        self.latency_ms = 0
        self.rate_limited = False
        if latency_ms:
            if "--latency-ms" in help_text:
                args += ["--latency-ms", str(latency_ms)]
                self.latency_ms = latency_ms
            else:
                self.notes.append("this simulator has no --latency-ms: no network latency")
        if real_limits:
            if "--rate-limit" in help_text or "--no-rate-limit" in help_text:
                self.rate_limited = True  # the real windows are the simulator's default
            else:
                self.notes.append("this simulator has no rate limits: no 429 possible")
        elif "--no-rate-limit" in help_text:
            args.append("--no-rate-limit")
        # Lax options, when this simulator version has them.
        for flag in ("--open-annuaire", "--allow-http-callbacks"):
            if flag in help_text:
                args.append(flag)
        args += extra or []
        self.args = args
        self.log = open(ROOT / "var" / f"bench-simulator-{name}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "qonto_einvoicing.simulator", *args], cwd=ROOT,
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_http(f"{self.url}/_simulator/clock", 60, self.proc)

    def control(self, method: str, path: str, payload=None):
        """Call the control API (``/_simulator/<path>``); its JSON answer, if any."""
        import requests
        response = requests.request(method, f"{self.url}/_simulator/{path}", json=payload,
                                    timeout=120)
        response.raise_for_status()
        return response.json() if response.content else None

    def requests_log(self) -> dict:
        """The simulator's log of the API calls since the last :meth:`clear_requests`."""
        return self.control("GET", "requests")

    def clear_requests(self) -> None:
        """Empty the log of API calls, before a step is measured."""
        self.control("DELETE", "requests")

    def client(self):
        """A ``QontoClient`` of the default organization."""
        from qonto_einvoicing import QontoClient
        return QontoClient(self.url, f"{LOGIN}:{SECRET}")

    def stop(self) -> None:
        """Terminate the process (killed after 10 s) and close its log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()

