"""``python -m qonto_einvoicing.simulator``: run the Qonto simulator."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any

from .app import DEFAULT_API_KEY
from .options import QONTO_RATE_LIMITS
from .organizations import split_api_key
from .server import SimulatorServer

__all__ = ["main", "options", "parser"]

_EPILOG = """\
defaults: Qonto as its pages document it. Each laxer behaviour is a flag above:
  webhook subscriptions answer the bare object (POST) and {"subscriptions", "meta"} (GET)
    (--wrapped-webhook-subscriptions: {"webhook_subscription"}, {"webhook_subscriptions"});
  a callback_url is public HTTPS, never localhost or a private address
    (--allow-http-callbacks: any http(s) URL, e.g. a receiver on 127.0.0.1);
  an API key may create webhook subscriptions (Qonto's access table could not be read;
    --oauth-only-webhooks: 403 insufficient_permissions for an API key);
  e_invoicing_address must be registered in the Annuaire (552100554, 732829320,
    443061841, 356000000, and POST /_simulator/annuaire {"siren", "registered"}), else
    422 on /e_invoicing_address; a client is e_invoicing_reachable iff its address is
    registered now (--open-annuaire: every valid SIREN is registered);
  GET /v2/client_invoices leaves out einvoicing_lifecycle_events (--list-lifecycle-events);
  a lifecycle step moves the invoice's updated_at: Qonto's pages are silent, both are
    playable (--lifecycle-keeps-updated-at);
  rate limits per IP: 1000 requests / 10 s and 10000 / 600 s, 429 without Retry-After
    (--rate-limit N/SECONDS to set others, --no-rate-limit, --rate-limit-retry-after);
  finalize, unmark_as_paid, mark_as_canceled answer 200 {"client_invoice"}: Qonto
    documents no body, two public clients expect this one (--undocumented-bodies none:
    204 without a body);
  a paid_at or payment_date after today is 422, today read in UTC: Qonto's pages do not
    say which time zone (--today-utc-offset HOURS, e.g. 1 or 2 for Paris).

lifecycle: after send_by_einvoice, one step every --step-seconds of simulator time:
200, 201, 202, then the scenario's answer (approved, refused, rejected, not_delivered,
paid; POST /_simulator/scenarios). Move time with POST /_simulator/clock/advance.

control API: /_simulator/... (see the package docstring: pydoc qonto_einvoicing.simulator).
"""


def _rate_limit(value: str) -> tuple[int, float]:
    requests, sep, seconds = value.partition("/")
    try:
        limit = (int(requests), float(seconds))
    except ValueError:
        limit = (0, 0.0)
    if not sep or limit[0] < 1 or limit[1] <= 0:
        raise argparse.ArgumentTypeError("a rate limit is N/SECONDS, e.g. 1000/10")
    return limit


def _non_negative(value: str) -> float:
    number = float(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


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
    strict = cli.add_argument_group(
        "laxer than Qonto (the defaults follow Qonto's documentation)")
    strict.add_argument("--wrapped-webhook-subscriptions", action="store_true",
                        help="answer {\"webhook_subscription\"} and "
                             "{\"webhook_subscriptions\", \"meta\"} instead of the bare "
                             "object and {\"subscriptions\", \"meta\"}")
    strict.add_argument("--allow-http-callbacks", action="store_true",
                        help="accept any http(s) callback_url (localhost, private "
                             "addresses); default: public HTTPS only")
    strict.add_argument("--oauth-only-webhooks", action="store_true",
                        help="refuse an API key on POST /v2/webhook_subscriptions (403 "
                             "insufficient_permissions); default: API keys allowed")
    strict.add_argument("--open-annuaire", action="store_true",
                        help="register every valid SIREN in the Annuaire; default: only "
                             "the built-in list and those registered through the control "
                             "API")
    strict.add_argument("--list-lifecycle-events", action="store_true",
                        help="include einvoicing_lifecycle_events in GET "
                             "/v2/client_invoices; default: left out")
    strict.add_argument("--lifecycle-keeps-updated-at", action="store_true",
                        help="a lifecycle step does not move the invoice's updated_at; "
                             "default: it does (Qonto's pages are silent)")
    strict.add_argument("--rate-limit", metavar="N/SECONDS", type=_rate_limit,
                        action="append", default=None,
                        help="a rate-limit window per client IP, repeatable; default: "
                             "1000/10 and 10000/600 (Qonto's)")
    strict.add_argument("--no-rate-limit", action="store_true",
                        help="no rate limits at all")
    strict.add_argument("--rate-limit-retry-after", action="store_true",
                        help="send Retry-After with a 429 (Qonto documents none)")
    strict.add_argument("--latency-ms", metavar="N", type=_non_negative, default=0.0,
                        help="add N milliseconds to every /v2 answer (default: "
                             "%(default)s)")
    strict.add_argument("--undocumented-bodies", choices=("invoice", "none"),
                        default="invoice",
                        help="what finalize, unmark_as_paid and mark_as_canceled answer: "
                             "invoice (200 {\"client_invoice\"}, default: what public "
                             "clients expect) or none (204: Qonto's pages show no body)")
    strict.add_argument("--today-utc-offset", metavar="HOURS", type=float, default=0.0,
                        help="read the simulator's today that many hours ahead of UTC "
                             "(a paid_at after it is in the future); default: UTC")
    cli.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return cli


def options(args: argparse.Namespace) -> dict[str, Any]:
    """The strictness keyword arguments of ``SimulatorServer`` from parsed arguments."""
    limits: tuple[tuple[int, float], ...] | None = QONTO_RATE_LIMITS
    if args.no_rate_limit:
        limits = None
    elif args.rate_limit:
        limits = tuple(args.rate_limit)
    return {
        "wrapped_webhook_subscriptions": args.wrapped_webhook_subscriptions,
        "allow_http_callbacks": args.allow_http_callbacks,
        "oauth_only_webhooks": args.oauth_only_webhooks,
        "open_annuaire": args.open_annuaire,
        "list_lifecycle_events": args.list_lifecycle_events,
        "lifecycle_bumps_updated_at": not args.lifecycle_keeps_updated_at,
        "rate_limits": limits,
        "rate_limit_retry_after": args.rate_limit_retry_after,
        "latency_ms": args.latency_ms,
        "undocumented_bodies": args.undocumented_bodies,
        "today_utc_offset_hours": args.today_utc_offset,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until interrupted."""
    args = parser().parse_args(argv)
    server = SimulatorServer(args.host, args.port, args.state, args.step_seconds,
                             args.api_key, webhook_retry_seconds=args.webhook_retry_seconds,
                             webhook_max_attempts=args.webhook_max_attempts,
                             verbose=args.verbose, **options(args))
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
