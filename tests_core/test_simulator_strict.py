"""The simulator is Qonto as documented by default; each laxer behaviour is an option.

Over real HTTP: webhook subscriptions (shapes, HTTPS, topics, credentials), the Annuaire,
the invoice list, ``updated_at`` on lifecycle steps, rate limits, latency, the three
actions with no documented body, raw values, and loading a state of the first version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests

from qonto_einvoicing.simulator import Simulator, SimulatorServer
from qonto_einvoicing.simulator.__main__ import options as cli_options
from qonto_einvoicing.simulator.__main__ import parser as cli_parser
from qonto_einvoicing.simulator.annuaire import REGISTERED, address_siren
from qonto_einvoicing.simulator.throttle import RateLimiter

if TYPE_CHECKING:
    from conftest import SimulatorAPI

HOOK = "https://odoo.example.com/qonto/webhook"


@pytest.fixture
def lax(make_sim_api: Callable[..., SimulatorAPI]) -> Callable[..., Any]:
    """``with lax(**options) as api``: a simulator started with those options."""

    @contextmanager
    def start(**options: Any) -> Iterator[SimulatorAPI]:
        with SimulatorServer(**options) as server:
            yield make_sim_api(server.url)

    return start


def _pointers(answer: requests.Response) -> set[str]:
    return {e["source"]["pointer"] for e in answer.json()["errors"]}


# ---------------------------------------------------------------- webhook subscriptions


def test_subscriptions_answer_qontos_bare_shapes_by_default(sim_api: SimulatorAPI) -> None:
    created = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": HOOK, "types": ["v1/client-invoices"]})
    assert created.status_code == 201
    body = created.json()
    org = sim_api.get("/v2/organization").json()["organization"]
    assert set(body) == {"id", "organization_id", "membership_id", "callback_url", "types",
                         "description", "created_at", "updated_at", "secret"}
    assert (body["organization_id"], body["callback_url"], body["types"]) == (
        org["id"], HOOK, ["v1/client-invoices"])
    assert 32 <= len(body["secret"]) <= 128  # generated when omitted
    listed = sim_api.get("/v2/webhook_subscriptions").json()
    assert set(listed) == {"subscriptions", "meta"}
    assert [s["id"] for s in listed["subscriptions"]] == [body["id"]]
    assert "secret" not in listed["subscriptions"][0]


def test_wrapped_subscription_shapes_are_an_option(lax: Callable[..., Any]) -> None:
    with lax(wrapped_webhook_subscriptions=True) as api:
        created = api.post("/v2/webhook_subscriptions", json={
            "callback_url": HOOK, "types": ["v1/clients"], "secret": "k" * 40})
        assert created.status_code == 201
        assert created.json()["webhook_subscription"]["secret"] == "k" * 40
        listed = api.get("/v2/webhook_subscriptions").json()
        assert set(listed) == {"webhook_subscriptions", "meta"}
        assert listed["webhook_subscriptions"][0]["types"] == ["v1/clients"]


@pytest.mark.parametrize("url", [
    "http://odoo.example.com/qonto/webhook",
    "https://localhost/hook",
    "https://odoo.localhost/hook",
    "https://127.0.0.1:8069/hook",
    "https://10.1.2.3/hook",
    "https://192.168.1.10/hook",
    "https://172.16.0.5/hook",
    "https://169.254.1.1/hook",
    "https://[::1]/hook",
    "https://odoo.example.com/" + "a" * 500,
    "odoo.example.com/hook",
])
def test_callback_url_must_be_public_https(sim_api: SimulatorAPI, url: str) -> None:
    answer = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": url, "types": ["v1/client-invoices"]})
    assert answer.status_code == 422
    assert _pointers(answer) == {"/callback_url"}
    assert sim_api.get("/v2/webhook_subscriptions").json()["subscriptions"] == []


def test_http_and_local_callbacks_are_an_option(lax: Callable[..., Any]) -> None:
    with lax(allow_http_callbacks=True) as api:
        for url in ("http://127.0.0.1:8069/qonto/webhook", "http://localhost/hook"):
            answer = api.post("/v2/webhook_subscriptions", json={
                "callback_url": url, "types": ["v1/client-invoices"]})
            assert answer.status_code == 201, answer.text
        too_long = api.post("/v2/webhook_subscriptions", json={
            "callback_url": "http://localhost/" + "a" * 500, "types": ["v1/clients"]})
        assert _pointers(too_long) == {"/callback_url"}


def test_types_are_topics_only(sim_api: SimulatorAPI) -> None:
    for types in (["v1/client-invoices.updated"], ["v1/clients.created"], ["v1/nothing"]):
        answer = sim_api.post("/v2/webhook_subscriptions", json={
            "callback_url": HOOK, "types": types})
        assert answer.status_code == 422
        assert _pointers(answer) == {"/types/0"}
    both = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": HOOK, "types": ["v1/client-invoices", "v1/clients"]})
    assert both.status_code == 201


def test_secret_is_32_to_128_characters(sim_api: SimulatorAPI) -> None:
    for secret in ("s" * 31, "s" * 129):
        answer = sim_api.post("/v2/webhook_subscriptions", json={
            "callback_url": HOOK, "types": ["v1/clients"], "secret": secret})
        assert _pointers(answer) == {"/secret"}
    for secret in ("s" * 32, "s" * 128):
        assert sim_api.post("/v2/webhook_subscriptions", json={
            "callback_url": HOOK, "types": ["v1/clients"], "secret": secret}
        ).json()["secret"] == secret


def test_api_keys_may_subscribe_unless_oauth_only(sim_api: SimulatorAPI,
                                                  lax: Callable[..., Any]) -> None:
    body = {"callback_url": HOOK, "types": ["v1/client-invoices"]}
    assert sim_api.post("/v2/webhook_subscriptions", json=body).status_code == 201
    with lax(oauth_only_webhooks=True) as api:
        refused = api.post("/v2/webhook_subscriptions", json=body)
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["code"] == "insufficient_permissions"
        assert api.get("/v2/webhook_subscriptions").status_code == 200
        api.control("POST", "/tokens", {"token": "oauth-tok"})
        api.session.headers["Authorization"] = "Bearer oauth-tok"
        assert api.post("/v2/webhook_subscriptions", json=body).status_code == 201


# ---------------------------------------------------------------- the Annuaire


def test_default_annuaire_content(sim_api: SimulatorAPI) -> None:
    annuaire = sim_api.control("GET", "/annuaire")
    assert annuaire == {"open": False, "registered": sorted(REGISTERED), "unregistered": []}
    assert {"552100554", "732829320", "356000000", "443061841"} <= set(REGISTERED)
    assert "987654308" not in REGISTERED and "912345674" not in REGISTERED


@pytest.mark.parametrize(("address", "siren"), [
    ("552100554", "552100554"),
    ("552100554_55210055400013", "552100554"),
    ("552100554_55210055400013_SERVICE-A", "552100554"),
    ("552100554_ACHATS", "552100554"),
    ("552100554_73282932000074", None),  # a SIRET of another SIREN
    ("552100554_5521005540001_X", None),  # the middle part is no SIRET
    ("55210055", None),
    ("FR96552100554", None),
    ("552100554 ", None),
])
def test_address_formats(address: str, siren: str | None) -> None:
    assert address_siren(address) == siren


def test_an_address_outside_the_annuaire_is_422(sim_api: SimulatorAPI) -> None:
    for address in ("987654308", "987654308_98765430800012", "98765430", "not an address"):
        answer = sim_api.post("/v2/clients", json={
            "kind": "company", "name": "Nord SA", "e_invoicing_address": address})
        assert answer.status_code == 422, address
        [error] = answer.json()["errors"]
        assert error["source"] == {"pointer": "/e_invoicing_address"}
        if address.startswith("987654308"):  # well formed, but not in the Annuaire
            assert (error["code"], "Annuaire" in error["detail"]) == ("invalid", True)
    assert sim_api.get("/v2/clients").json()["clients"] == []  # nothing created

    client = sim_api.create_client(e_invoicing_address=None)  # the e-mail fallback
    refused = sim_api.patch(f"/v2/clients/{client['id']}",
                            json={"e_invoicing_address": "987654308"})
    assert (refused.status_code, _pointers(refused)) == (422, {"/e_invoicing_address"})
    assert sim_api.get(f"/v2/clients/{client['id']}").json()["client"][
        "e_invoicing_address"] is None


def test_registering_later_makes_the_client_reachable_at_the_next_read(
        sim_api: SimulatorAPI) -> None:
    client = sim_api.create_client(tax_identification_number="98765430800012",
                                   e_invoicing_address=None)
    assert client["e_invoicing_reachable"] is False
    invoice = sim_api.create_invoice(client["id"])
    refused = sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (
        412, "recipient_not_reachable_on_einvoicing")

    registered = sim_api.control("POST", "/annuaire",
                                 {"siren": "987654308", "registered": True})
    assert registered["registered"] is True
    patched = sim_api.patch(f"/v2/clients/{client['id']}",
                            json={"e_invoicing_address": "987654308_98765430800012"})
    assert patched.json()["client"]["e_invoicing_reachable"] is True
    assert sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
                        ).status_code == 204

    # Leaving the Annuaire: the same client reads as unreachable at once.
    sim_api.control("POST", "/annuaire", {"siren": "987654308", "registered": False})
    assert sim_api.get(f"/v2/clients/{client['id']}").json()["client"][
        "e_invoicing_reachable"] is False
    listed = sim_api.get("/v2/clients").json()["clients"][0]
    assert listed["e_invoicing_reachable"] is False


def test_annuaire_control_refuses_bad_bodies(sim_api: SimulatorAPI) -> None:
    for body in ({"siren": "12345678", "registered": True}, {"siren": "123456789"},
                 {"siren": 552100554, "registered": True}):
        answer = requests.post(f"{sim_api.url}/_simulator/annuaire", json=body, timeout=5)
        assert answer.status_code == 422


def test_open_annuaire_registers_every_valid_siren(lax: Callable[..., Any]) -> None:
    with lax(open_annuaire=True) as api:
        assert api.control("GET", "/annuaire")["open"] is True
        valid = api.create_client(e_invoicing_address="987654308_98765430800012")
        assert valid["e_invoicing_reachable"] is True
        # 912345674 has a wrong Luhn key: no company has it, even in an open Annuaire.
        answer = api.post("/v2/clients", json={"kind": "company", "name": "X",
                                               "e_invoicing_address": "912345674"})
        assert _pointers(answer) == {"/e_invoicing_address"}
        api.control("POST", "/annuaire", {"siren": "987654308", "registered": False})
        assert api.get(f"/v2/clients/{valid['id']}").json()["client"][
            "e_invoicing_reachable"] is False


# ---------------------------------------------------------------- list and updated_at


def _sent_and_stepped(api: SimulatorAPI) -> dict[str, Any]:
    invoice = api.create_invoice()
    assert api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice"
                    ).status_code == 204
    api.advance(3 * 5)
    return invoice


def test_the_list_leaves_lifecycle_events_out(sim_api: SimulatorAPI,
                                              lax: Callable[..., Any]) -> None:
    invoice = _sent_and_stepped(sim_api)
    [listed] = sim_api.get("/v2/client_invoices").json()["client_invoices"]
    assert "einvoicing_lifecycle_events" not in listed
    assert listed["einvoicing_status"] == "submitted"
    assert [e["status_code"] for e in sim_api.invoice(invoice["id"])[
        "einvoicing_lifecycle_events"]] == [200, 201, 202]
    with lax(list_lifecycle_events=True) as api:
        _sent_and_stepped(api)
        [listed] = api.get("/v2/client_invoices").json()["client_invoices"]
        assert [e["status_code"] for e in listed["einvoicing_lifecycle_events"]] == [
            200, 201, 202]


def test_lifecycle_steps_move_updated_at_unless_told_not_to(
        sim_api: SimulatorAPI, lax: Callable[..., Any]) -> None:
    invoice = sim_api.create_invoice()
    sim_api.advance(5)  # the PDF is ready: a change of the invoice
    sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
    before = sim_api.invoice(invoice["id"])["updated_at"]
    sim_api.advance(5)
    after = sim_api.invoice(invoice["id"])
    assert [e["status_code"] for e in after["einvoicing_lifecycle_events"]] == [200]
    assert after["updated_at"] > before
    assert after["updated_at"] == after["einvoicing_lifecycle_events"][0]["timestamp"]

    with lax(lifecycle_bumps_updated_at=False) as api:
        invoice = api.create_invoice()
        api.advance(5)
        api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
        before = api.invoice(invoice["id"])["updated_at"]
        api.advance(3 * 5)
        after = api.invoice(invoice["id"])
        assert len(after["einvoicing_lifecycle_events"]) == 3
        assert after["updated_at"] == before
        since = api.get("/v2/client_invoices",
                        params={"filter[updated_at_from]": api.control("GET", "/clock")[
                            "now"]}).json()["client_invoices"]
        assert since == []  # a sync on updated_at alone misses these steps


# ---------------------------------------------------------------- rate limits


def test_qontos_rate_limits_are_the_default(sim_api: SimulatorAPI) -> None:
    options = sim_api.control("GET", "/options")
    assert options["rate_limits"] == [{"requests": 1000, "seconds": 10.0},
                                      {"requests": 10000, "seconds": 600.0}]
    assert options["rate_limit_retry_after"] is False
    assert Simulator().options.rate_limits == ((1000, 10.0), (10000, 600.0))


def test_a_refused_request_answers_429_and_does_nothing(lax: Callable[..., Any]) -> None:
    with lax(rate_limits=((4, 3600),)) as api:
        # /_simulator/ calls are not counted.
        for _ in range(10):
            api.control("GET", "/clock")
        body = {"kind": "company", "name": "Burst SAS"}
        assert [api.post("/v2/clients", json=body).status_code for _ in range(4)] == [201] * 4
        refused = api.post("/v2/clients", json=body)
        assert refused.status_code == 429
        assert refused.json() == {"errors": [{"status": "429", "code": "too_many_requests",
                                              "detail": "Rate limit exceeded"}]}
        assert "Retry-After" not in refused.headers
        assert api.get("/v2/clients").status_code == 429
        [org] = api.control("GET", "/state")["organizations"]
        assert org["clients"] == 4  # the refused create did nothing
        log = api.control("GET", "/requests")
        assert (log["rate_limited"], log["total"]) == (2, 6)
        assert [r["status"] for r in log["requests"]] == [201] * 4 + [429, 429]
        assert log["requests"][-1]["rate_limited"] is True
        api.control("POST", "/reset")  # forgets the counts too
        assert api.get("/v2/clients").status_code == 200


def test_retry_after_is_an_option(lax: Callable[..., Any]) -> None:
    with lax(rate_limits=((1, 60),), rate_limit_retry_after=True) as api:
        assert api.get("/v2/organization").status_code == 200
        refused = api.get("/v2/organization")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_no_rate_limit_is_an_option(lax: Callable[..., Any]) -> None:
    with lax(rate_limits=None) as api:
        assert api.control("GET", "/options")["rate_limits"] is None
        assert {api.get("/v2/einvoicing/settings").status_code for _ in range(50)} == {200}


def test_both_windows_count_on_monotonic_time() -> None:
    now = [1000.0]
    limiter = RateLimiter(((3, 10.0), (5, 600.0)), clock=lambda: now[0])
    assert [limiter.wait_time("ip") for _ in range(3)] == [0.0] * 3
    assert limiter.wait_time("ip") == pytest.approx(10.0)  # the 10 s window is full
    assert limiter.wait_time("other-ip") == 0.0  # per IP
    now[0] += 10.0
    assert [limiter.wait_time("ip") for _ in range(2)] == [0.0] * 2
    # 5 calls within 600 s: the long window refuses although the short one has room.
    assert limiter.wait_time("ip") == pytest.approx(590.0)
    now[0] += 589.0
    assert limiter.wait_time("ip") > 0
    now[0] += 1.0
    assert limiter.wait_time("ip") == 0.0
    assert limiter.refused == 3


# ---------------------------------------------------------------- latency


def test_latency_is_added_to_every_api_answer_and_calls_overlap(
        lax: Callable[..., Any]) -> None:
    with lax(latency_ms=150) as api:
        api.control("DELETE", "/requests")

        def call(_: int) -> int:
            return requests.get(f"{api.url}/v2/einvoicing/settings", timeout=10,
                                headers={"Authorization": "demo-org:demo-secret"}).status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(call, range(4))) == [200] * 4
        api.get("/v2/nothing")  # a 404 waits too
        log = api.control("GET", "/requests")
        assert log["total"] == 5
        assert all(r["duration_ms"] >= 150 for r in log["requests"])
        assert log["max_in_flight"] >= 2  # threaded: concurrent clients overlap
        assert api.control("GET", "/options")["latency_ms"] == 150


# ---------------------------------------------------------------- undocumented bodies


def test_undocumented_bodies_can_be_none(lax: Callable[..., Any]) -> None:
    """Qonto's pages show no body for these three actions: the option plays that."""
    with lax(undocumented_bodies="none") as api:
        draft = api.create_invoice(status="draft")
        finalized = api.post(f"/v2/client_invoices/{draft['id']}/finalize")
        assert (finalized.status_code, finalized.content) == (204, b"")
        assert api.invoice(draft["id"])["status"] == "unpaid"
        api.post(f"/v2/client_invoices/{draft['id']}/mark_as_paid")
        unpaid = api.post(f"/v2/client_invoices/{draft['id']}/unmark_as_paid")
        assert (unpaid.status_code, unpaid.content) == (204, b"")
        canceled = api.post(f"/v2/client_invoices/{draft['id']}/mark_as_canceled")
        assert (canceled.status_code, canceled.content) == (204, b"")
        assert api.invoice(draft["id"])["status"] == "canceled"
    with pytest.raises(ValueError, match="undocumented_bodies"):
        Simulator(undocumented_bodies="client_invoice")


# ---------------------------------------------------------------- which day is "today"


def _at_23h_utc(api: SimulatorAPI) -> dt.date:
    """Move the simulator's clock to the next 23:00 UTC, when Paris is already tomorrow;
    return that UTC day."""
    now = dt.datetime.fromtimestamp(api.control("GET", "/clock")["epoch"], dt.timezone.utc)
    at = now.replace(hour=23, minute=0, second=0, microsecond=0)
    if at <= now:
        at += dt.timedelta(days=1)
    api.control("POST", "/clock/advance", {"seconds": (at - now).total_seconds()})
    return at.date()


@pytest.mark.parametrize(("hours", "tomorrow_in_utc"), [(0, 422), (2, 200)])
def test_the_day_a_payment_cannot_pass_is_utcs_unless_told(
        lax: Callable[..., Any], hours: int, tomorrow_in_utc: int) -> None:
    """Qonto's *Mark a client invoice as paid* (seed ``004``): ``paid_at`` "cannot be in
    the future", in a time zone no page names. By default the simulator's today is UTC's;
    ``today_utc_offset_hours=2`` plays Paris in summer. At 23:00 UTC the two readings
    disagree on the next day, and agree that UTC's day is not in the future."""
    with lax(today_utc_offset_hours=hours) as api:
        utc_day = _at_23h_utc(api)
        assert api.control("GET", "/clock")["today"] == (
            utc_day + dt.timedelta(days=1 if hours else 0)).isoformat()
        invoice = api.create_invoice()
        mark = f"/v2/client_invoices/{invoice['id']}/mark_as_paid"
        ahead = api.post(mark, json={"paid_at": (utc_day + dt.timedelta(days=1)).isoformat()})
        assert ahead.status_code == tomorrow_in_utc
        if tomorrow_in_utc == 422:
            assert _pointers(ahead) == {"/paid_at"}
        paid = api.post(mark, json={"paid_at": utc_day.isoformat()})
        assert paid.json()["client_invoice"]["paid_at"] == f"{utc_day}T00:00:00.000Z"
    with pytest.raises(ValueError, match="today_utc_offset_hours"):
        Simulator(today_utc_offset_hours=15)


# ---------------------------------------------------------------- raw values


def test_raw_values_outside_qontos_enums(sim_api: SimulatorAPI) -> None:
    invoice = sim_api.create_invoice()
    forced = sim_api.control("POST", f"/invoices/{invoice['id']}/raw",
                             {"status": "archived", "einvoicing_status": "pending_review"})
    assert (forced["client_invoice"]["status"],
            forced["client_invoice"]["einvoicing_status"]) == ("archived", "pending_review")
    read = sim_api.invoice(invoice["id"])
    assert (read["status"], read["einvoicing_status"]) == ("archived", "pending_review")
    [listed] = sim_api.get("/v2/client_invoices").json()["client_invoices"]
    assert listed["status"] == "archived"
    only_one = sim_api.control("POST", f"/invoices/{invoice['id']}/raw",
                               {"einvoicing_status": "approved"})
    assert only_one["client_invoice"]["status"] == "archived"
    for body in ({}, {"status": 3}, {"einvoicing_status": ""}):
        answer = requests.post(f"{sim_api.url}/_simulator/invoices/{invoice['id']}/raw",
                               json=body, timeout=5)
        assert answer.status_code == 422
    missing = requests.post(f"{sim_api.url}/_simulator/invoices/nope/raw",
                            json={"status": "archived"}, timeout=5)
    assert missing.status_code == 404


# ---------------------------------------------------------------- state of the first version


def test_a_state_saved_by_the_first_version_loads(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with SimulatorServer(state_path=state, allow_http_callbacks=True) as first:
        api = requests.Session()
        api.headers["Authorization"] = "demo-org:demo-secret"
        client = api.post(f"{first.url}/v2/clients", json={
            "kind": "company", "name": "Old SAS",
            "e_invoicing_address": "552100554"}, timeout=5).json()["client"]
        api.post(f"{first.url}/v2/webhook_subscriptions", json={
            "callback_url": "http://127.0.0.1:9/hook", "types": ["v1/client-invoices"],
            "secret": "s" * 32}, timeout=5).raise_for_status()
    # What the first version wrote: no Annuaire, subscriptions without updated_at and
    # holding an event type, clients found reachable by the old SIREN rule.
    data = json.loads(state.read_text())
    del data["annuaire"]
    [org] = data["organizations"].values()
    [subscription] = org["webhook_subscriptions"].values()
    del subscription["updated_at"]
    subscription["types"] = ["v1/client-invoices.updated"]
    state.write_text(json.dumps(data))

    with SimulatorServer(state_path=state) as second:
        read = requests.get(f"{second.url}/v2/clients/{client['id']}", timeout=5,
                            headers={"Authorization": "demo-org:demo-secret"}).json()
        assert read["client"]["e_invoicing_reachable"] is True
        listed = requests.get(f"{second.url}/v2/webhook_subscriptions", timeout=5,
                              headers={"Authorization": "demo-org:demo-secret"}).json()
        [shown] = listed["subscriptions"]
        assert shown["updated_at"] == shown["created_at"]
        assert requests.get(f"{second.url}/_simulator/annuaire", timeout=5).json()[
            "registered"] == sorted(REGISTERED)
        # The legacy event type still receives its event; the envelope carries the topic.
        second.simulator.sender.emit(org, "v1/client-invoices", "updated", {"id": "x"}, 0)
        [delivery] = second.simulator.store.data["deliveries"]
        assert json.loads(delivery["body"])["type"] == "v1/client-invoices"
    saved = json.loads(state.read_text())
    assert "annuaire" in saved and saved["version"] == 1


def test_the_command_line_maps_every_flag_to_its_option() -> None:
    defaults = cli_options(cli_parser().parse_args([]))
    assert defaults == {
        "wrapped_webhook_subscriptions": False, "allow_http_callbacks": False,
        "oauth_only_webhooks": False, "open_annuaire": False,
        "list_lifecycle_events": False, "lifecycle_bumps_updated_at": True,
        "rate_limits": ((1000, 10.0), (10000, 600.0)), "rate_limit_retry_after": False,
        "latency_ms": 0.0, "undocumented_bodies": "invoice", "today_utc_offset_hours": 0.0}
    lax = cli_options(cli_parser().parse_args([
        "--wrapped-webhook-subscriptions", "--allow-http-callbacks", "--oauth-only-webhooks",
        "--open-annuaire", "--list-lifecycle-events", "--lifecycle-keeps-updated-at",
        "--rate-limit", "5/1", "--rate-limit", "50/60", "--rate-limit-retry-after",
        "--latency-ms", "25", "--undocumented-bodies", "none", "--today-utc-offset", "2"]))
    assert lax == {
        "wrapped_webhook_subscriptions": True, "allow_http_callbacks": True,
        "oauth_only_webhooks": True, "open_annuaire": True,
        "list_lifecycle_events": True, "lifecycle_bumps_updated_at": False,
        "rate_limits": ((5, 1.0), (50, 60.0)), "rate_limit_retry_after": True,
        "latency_ms": 25.0, "undocumented_bodies": "none", "today_utc_offset_hours": 2.0}
    assert cli_options(cli_parser().parse_args(["--no-rate-limit"]))["rate_limits"] is None
    Simulator(**lax)  # every flag is a keyword the simulator takes
