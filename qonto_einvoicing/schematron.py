"""The EN 16931 and BR-FR schematrons, run by Saxon in a child process
(:mod:`.schematron_worker`) that this side starts, feeds, bounds and stops."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from typing import Any

from .facturx_check import FacturxError, Violation, profile_of, refuse_untrusted

__all__ = ["SchematronTimeoutError", "SchematronValidator", "violation_to_json"]


class SchematronTimeoutError(RuntimeError):
    """The schematron check took longer than allowed: its child process was stopped."""


class SchematronValidator:
    """The EN 16931 and BR-FR schematrons, run by Saxon in a child process.

    The child (``python -m qonto_einvoicing.schematron_worker``) compiles the stylesheets
    as it starts and then answers each :meth:`validate` call; it ends when this object is
    closed, or with its parent. :meth:`warm_up` starts it ahead, so that the first
    invoice does not wait for the compilation. One validator serves one thread at a time
    (a lock guards it).

    The child is bounded: each answer must come within ``timeout`` seconds (the first
    one included, which waits for the compilation), or the child is killed and
    :class:`SchematronTimeoutError` raised (the next call starts a new child); its
    writable memory is limited to ``memory_limit`` bytes (``RLIMIT_DATA``: Saxon's
    native image reserves 32 GB of address space it never uses, so ``RLIMIT_AS`` cannot
    bound it); and it reads nothing larger than :data:`MAX_XML_BYTES`.
    """

    TIMEOUT = 60.0
    """Seconds: about ten times what the largest accepted XML takes on an idle machine."""
    MEMORY_LIMIT = 1024 * 1024 * 1024
    """Bytes of writable memory: the child needs about 300 MB with both stylesheets."""

    def __init__(self, python: str | None = None, timeout: float = TIMEOUT,
                 memory_limit: int = MEMORY_LIMIT) -> None:
        self._python = python or sys.executable
        self._timeout = timeout
        self._memory_limit = memory_limit
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent,
                                                              env.get("PYTHONPATH")]))
            env["QONTO_SCHEMATRON_MEMORY_LIMIT"] = str(self._memory_limit)
            # The core as a plain package (inside Odoo it is also
            # odoo.addons.<addon>.qonto_einvoicing, a name the child cannot import).
            module = "qonto_einvoicing.schematron_worker"
            self._process = subprocess.Popen(
                [self._python, "-m", module], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, env=env, cwd=package_parent)
        return self._process

    def warm_up(self) -> None:
        """Start the child now, without waiting: it compiles the stylesheets while the
        caller does something else."""
        with self._lock:
            self._start()

    def _exchange(self, process: subprocess.Popen[bytes], request: bytes) -> bytes:
        """Write ``request``, read one answer line; ``b""`` if the child ended;
        :class:`SchematronTimeoutError` (the child killed) past the timeout."""
        assert process.stdin is not None and process.stdout is not None
        deadline = time.monotonic() + self._timeout
        answer = b""
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdin, selectors.EVENT_WRITE)
            selector.register(process.stdout, selectors.EVENT_READ)
            while not answer.endswith(b"\n"):
                left = deadline - time.monotonic()
                ready = selector.select(left) if left > 0 else []
                if not ready:
                    self._kill()
                    raise SchematronTimeoutError(
                        f"the schematron check took more than {self._timeout:g} s and was "
                        "stopped")
                for key, _events in ready:
                    if key.fileobj is process.stdin:
                        written = os.write(process.stdin.fileno(), request[:65536])
                        request = request[written:]
                        if not request:
                            selector.unregister(process.stdin)
                    else:
                        chunk = os.read(process.stdout.fileno(), 65536)
                        if not chunk:
                            return b""
                        answer += chunk
        return answer

    def validate(self, xml: bytes) -> list[Violation]:
        """Every rule that ``xml`` breaks (warnings included) in the schematron of the
        profile it declares and in the French BR-FR schematron. :class:`FacturxError`
        for an XML refused unread (see :mod:`.safe_xml`); :class:`RuntimeError` when
        the check could not run (:class:`SchematronTimeoutError` past the timeout)."""
        refuse_untrusted(xml, "factur-x.xml")
        try:
            profile = profile_of(xml).encode("ascii")
        except FacturxError as exc:
            return [Violation("BT-24", str(exc), source="en16931", terms=("BT-24",))]
        with self._lock:
            process = self._start()
            try:
                line = self._exchange(
                    process, struct.pack(">BI", len(profile), len(xml)) + profile + xml)
            except OSError:
                line = b""
            if not line:
                self._kill()
                raise RuntimeError("the schematron validator stopped (is saxonche installed "
                                   "in this Python?)")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"schematron validation failed: {answer['error']}")
        return [Violation(**{**v, "terms": tuple(v.get("terms", ()))})
                for v in answer["violations"]]

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream:
                    with contextlib.suppress(OSError):
                        stream.close()

    def close(self) -> None:
        """End the child process."""
        process, self._process = self._process, None
        if process is not None:
            if process.stdin:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()

    def __enter__(self) -> SchematronValidator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - best effort
        with contextlib.suppress(Exception):
            self.close()


def violation_to_json(violation: Violation) -> dict[str, Any]:
    """A violation as the worker sends it."""
    return asdict(violation)
