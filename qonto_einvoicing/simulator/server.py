"""Serving a :class:`~.app.Simulator` over HTTP, with its background ticker."""

from __future__ import annotations

import logging
import os
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import DEFAULT_API_KEY, Simulator

__all__ = ["SimulatorServer"]

_log = logging.getLogger(__name__)


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler, quiet unless verbose, and closing the socket on a drop."""

    def connection_dropped(self, error: BaseException,
                           environ: Any = None) -> None:
        # Nothing was written: without this, an HTTP/1.1 connection would stay open
        # waiting for a next request, and the client would wait for its answer forever.
        self.close_connection = True

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "info" and not getattr(self.server, "verbose", False):
            return
        super().log(type, message, *args)


class SimulatorServer:
    """A :class:`Simulator` served by a threaded werkzeug server in a daemon thread.

    ``port=0`` takes a free port; :attr:`url` tells which. A ticker thread applies what
    becomes due on the clock every ``tick_interval`` seconds and sends due webhooks, so
    they go out even when nobody calls the API. Use as a context manager, or call
    :meth:`start` and :meth:`stop`.

    ``options`` are the strictness options of :class:`~.app.Simulator` (see
    :mod:`.options`): ``wrapped_webhook_subscriptions``, ``allow_http_callbacks``,
    ``oauth_only_webhooks``, ``open_annuaire``, ``list_lifecycle_events``,
    ``lifecycle_bumps_updated_at``, ``rate_limits``, ``rate_limit_retry_after``,
    ``latency_ms``, ``undocumented_bodies``, ``today_utc_offset_hours``. Their defaults
    are Qonto as documented, or, where Qonto's pages are silent, as public clients show
    Qonto to behave (or one reading, an option playing the other).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0,
                 state_path: str | os.PathLike[str] | None = None,
                 step_seconds: float = 5.0, api_key: str = DEFAULT_API_KEY, *,
                 webhook_retry_seconds: float = 30.0, webhook_max_attempts: int = 6,
                 verbose: bool = False, tick_interval: float = 0.25,
                 **options: Any) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self.tick_interval = tick_interval
        self.simulator = Simulator(state_path, step_seconds, api_key,
                                   webhook_retry_seconds=webhook_retry_seconds,
                                   webhook_max_attempts=webhook_max_attempts,
                                   **options)
        self._server: BaseWSGIServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        """``http://host:port`` (the real port once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SimulatorServer:
        """Bind, then serve and tick in daemon threads; returns ``self``.

        Raises ``OSError`` when the address cannot be bound (port in use).
        """
        if self._server is not None:
            raise RuntimeError("the simulator server is already started")
        try:
            server = make_server(self.host, self.port, self.simulator, threaded=True,
                                 request_handler=_RequestHandler)
        except (SystemExit, OSError) as exc:
            # Werkzeug 3 exits when it cannot bind, Werkzeug 2 (Odoo 19's) raises: a
            # library raises one error either way.
            raise OSError(f"cannot listen on {self.host}:{self.port}: {exc}") from exc
        server.verbose = self.verbose  # type: ignore[attr-defined]
        self._server = server
        self.port = server.port
        self.simulator.base_url = self.url
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                             name="qonto-simulator-http", daemon=True),
            threading.Thread(target=self._tick_forever, name="qonto-simulator-ticker",
                             daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and ticking; the state is already saved."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def wait(self) -> None:
        """Block until :meth:`stop` is called from another thread (or an interrupt)."""
        self._stopping.wait()

    def _tick_forever(self) -> None:
        while not self._stopping.wait(self.tick_interval):
            try:
                self.simulator.tick()
            except Exception:  # keep ticking: one bad delivery must not stop the clock
                _log.exception("simulator tick failed")

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
