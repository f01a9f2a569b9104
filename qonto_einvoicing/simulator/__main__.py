"""``python -m qonto_einvoicing.simulator``: run the Qonto simulator."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from .app import DEFAULT_API_KEY
from .organizations import split_api_key
from .server import SimulatorServer

__all__ = ["main", "parser"]

_EPILOG = """\
reachability: a client's SIREN is the first 9 digits of its e_invoicing_address, else of a
9- or 14-digit tax_identification_number, else of a French VAT number (FRkk + SIREN). The
client is e_invoicing_reachable iff a SIREN is found and it does not start with 9
(override per client: POST /_simulator/clients/{id}/reachability).

lifecycle: after send_by_einvoice, one step every --step-seconds of simulator time:
200, 201, 202, then the scenario's answer (approved, refused, rejected, not_delivered,
paid; POST /_simulator/scenarios). Move time with POST /_simulator/clock/advance.

control API: /_simulator/... (see the package docstring: pydoc qonto_einvoicing.simulator).
"""


def _api_key(value: str) -> str:
    try:
        split_api_key(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _attempts(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return number


def parser() -> argparse.ArgumentParser:
    """The command line's parser."""
    cli = argparse.ArgumentParser(
        prog="python -m qonto_einvoicing.simulator",
        description="A local Qonto Business API with e-invoicing: clients, client invoices, "
                    "the e-invoicing lifecycle, signed webhooks, scripted faults.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--host", default="127.0.0.1", help="address to listen on "
                     "(default: %(default)s)")
    cli.add_argument("--port", type=int, default=8765, help="port to listen on, 0 for any "
                     "free port (default: %(default)s)")
    cli.add_argument("--state", metavar="FILE", default=None,
                     help="JSON file holding the state, loaded at start and saved on every "
                          "change (default: in memory only)")
    cli.add_argument("--step-seconds", metavar="S", type=_positive, default=5.0,
                     help="simulator-clock seconds between two lifecycle steps "
                          "(default: %(default)s)")
    cli.add_argument("--api-key", metavar="LOGIN:SECRET", type=_api_key,
                     default=DEFAULT_API_KEY,
                     help="API key of the default organization (default: %(default)s)")
    cli.add_argument("--webhook-retry-seconds", metavar="S", type=_positive, default=30.0,
                     help="first delay before retrying a failed webhook delivery, doubled "
                          "at each attempt, on the simulator clock (default: %(default)s)")
    cli.add_argument("--webhook-max-attempts", metavar="N", type=_attempts, default=6,
                     help="attempts before a webhook delivery is given up "
                          "(default: %(default)s)")
    cli.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until interrupted."""
    args = parser().parse_args(argv)
    server = SimulatorServer(args.host, args.port, args.state, args.step_seconds,
                             args.api_key, webhook_retry_seconds=args.webhook_retry_seconds,
                             webhook_max_attempts=args.webhook_max_attempts,
                             verbose=args.verbose)
    try:
        server.start()
    except OSError as exc:
        print(f"Qonto simulator: {exc}", file=sys.stderr)
        return 1
    login = split_api_key(args.api_key)[0]
    # Only the login: the secret must not land in a terminal log or a CI transcript.
    print(f"Qonto simulator listening on {server.url} (API key login: {login})", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (a service manager, CI) stops as cleanly as Ctrl-C.
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
