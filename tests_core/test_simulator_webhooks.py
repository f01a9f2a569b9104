"""Webhooks sent by the simulator to a real local receiver: signature, retries, topics.

The receiver listens on 127.0.0.1, which Qonto would refuse as a ``callback_url`` (public
HTTPS only): every simulator here is started with ``allow_http_callbacks=True``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from qonto_einvoicing.errors import InvalidSignatureError
from qonto_einvoicing.simulator import SimulatorServer
from qonto_einvoicing.webhooks import verify

if TYPE_CHECKING:
    from conftest import SimulatorAPI

SECRET = "whsec-" + "x" * 40
LAX = {"allow_http_callbacks": True}
pytestmark = pytest.mark.simulator(**LAX)


class Receiver:
    """A local HTTP endpoint that records deliveries and answers scripted statuses."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.deliveries.append((dict(self.headers), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/qonto/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for _, body in self.deliveries]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


def _subscribe(sim_api: SimulatorAPI, url: str, types: list[str] | None = None) -> str:
    answer = sim_api.post("/v2/webhook_subscriptions", json={
        "callback_url": url, "types": types or ["v1/client-invoices"], "secret": SECRET})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_deliveries_are_signed_and_carry_the_invoice(sim_api: SimulatorAPI,
                                                     receiver: Receiver) -> None:
    subscription_id = _subscribe(sim_api, receiver.url)
    invoice = sim_api.create_invoice()
    sim_api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
    sim_api.advance(3 * 5)
    # created, send requested, attachment ready, 200, 201, 202 (the step is 5 s). The
    # advance answers once every due delivery is done, whether it or the ticker sent it.
    assert len(receiver.deliveries) == 6
    org = sim_api.get("/v2/organization").json()["organization"]
    for headers, body in receiver.deliveries:
        assert verify(headers["X-Qonto-Signature"], body, SECRET) > 0
        with pytest.raises(InvalidSignatureError):
            verify(headers["X-Qonto-Signature"], body + b" ", SECRET)
        assert headers["Content-Type"] == "application/json"
    events = receiver.events()
    # The envelope's type is the topic (Qonto's supported-webhooks pages).
    assert [e["type"] for e in events] == ["v1/client-invoices"] * 6
    first = events[0]
    assert set(first) == {"id", "subscription_id", "organization_id", "membership_id",
                          "type", "created_at", "data"}
    assert (first["subscription_id"], first["organization_id"]) == (subscription_id, org["id"])
    assert first["data"]["id"] == invoice["id"]
    assert all("einvoicing_lifecycle_events" not in e["data"] for e in events)
    assert [e["data"]["einvoicing_status"] for e in events][-3:] == ["submitted"] * 3
    assert len({e["id"] for e in events}) == 6


def test_a_failed_delivery_is_retried_with_backoff(sim_api: SimulatorAPI,
                                                   receiver: Receiver) -> None:
    _subscribe(sim_api, receiver.url)
    receiver.statuses = [500, 503]
    sim_api.create_invoice(status="draft")
    # Retries after 30 s, then 60 s more (the default --webhook-retry-seconds is 30).
    for seconds, attempts in ((0, 1), (29, 1), (1, 2), (59, 2), (1, 3), (600, 3)):
        sim_api.advance(seconds)
        assert len(receiver.deliveries) == attempts, seconds
    bodies = [body for _, body in receiver.deliveries]
    assert len(bodies) == 3 and len(set(bodies)) == 1
    [delivery] = sim_api.control("GET", "/webhooks/deliveries")["deliveries"]
    assert delivery["status"] == "delivered"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 200]
    assert delivery["event"]["type"] == "v1/client-invoices"
    assert delivery["event_type"] == "v1/client-invoices.created"


def test_a_delivery_is_given_up_after_the_last_attempt(
        receiver: Receiver, make_sim_api: Callable[..., SimulatorAPI]) -> None:
    with SimulatorServer(webhook_retry_seconds=1, webhook_max_attempts=3, **LAX) as server:
        api = make_sim_api(server.url)
        _subscribe(api, receiver.url)
        receiver.statuses = [500] * 10
        api.create_client()  # not subscribed to v1/clients: no delivery
        api.create_invoice(status="draft")
        for _ in range(5):
            api.advance(10)
        [delivery] = api.control("GET", "/webhooks/deliveries")["deliveries"]
        assert delivery["status"] == "failed"
        assert len(delivery["attempts"]) == 3 == len(receiver.deliveries)


def test_an_unreachable_receiver_is_an_error_attempt(sim_api: SimulatorAPI,
                                                     receiver: Receiver) -> None:
    url = receiver.url
    receiver.close()
    _subscribe(sim_api, url)
    sim_api.create_invoice(status="draft")
    sim_api.advance(0)
    [delivery] = sim_api.control("GET", "/webhooks/deliveries")["deliveries"]
    assert delivery["status"] == "pending"
    assert delivery["attempts"][0]["status_code"] is None
    assert delivery["attempts"][0]["error"]


def test_client_events_carry_their_name_in_data_event(sim_api: SimulatorAPI,
                                                       receiver: Receiver) -> None:
    _subscribe(sim_api, receiver.url, ["v1/clients"])
    client = sim_api.create_client()
    invoice = sim_api.create_invoice(client["id"], status="draft")  # not subscribed
    sim_api.post(f"/v2/client_invoices/{invoice['id']}/finalize")
    sim_api.patch(f"/v2/clients/{client['id']}", json={"email": "x@acme.example"})
    sim_api.delete(f"/v2/clients/{client['id']}")
    sim_api.advance(0)
    events = receiver.events()
    assert [e["type"] for e in events] == ["v1/clients"] * 3
    assert [e["data"]["event"] for e in events] == ["created", "updated", "deleted"]
    assert events[0]["data"]["e_invoicing_reachable"] is True
    assert events[-1]["data"] == {"id": client["id"], "event": "deleted"}


def test_deleting_the_subscription_gives_up_its_deliveries(sim_api: SimulatorAPI,
                                                           receiver: Receiver) -> None:
    subscription_id = _subscribe(sim_api, receiver.url)
    receiver.statuses = [500]
    sim_api.create_invoice(status="draft")
    sim_api.advance(0)
    sim_api.delete(f"/v2/webhook_subscriptions/{subscription_id}")
    sim_api.advance(60)
    [delivery] = sim_api.control("GET", "/webhooks/deliveries")["deliveries"]
    assert delivery["status"] == "failed"
    assert len(receiver.deliveries) == 1


def test_the_ticker_sends_webhooks_without_any_request(
        receiver: Receiver, make_sim_api: Callable[..., SimulatorAPI]) -> None:
    with SimulatorServer(step_seconds=0.1, tick_interval=0.05, **LAX) as server:
        api = make_sim_api(server.url)
        _subscribe(api, receiver.url)
        invoice = api.create_invoice()
        api.post(f"/v2/client_invoices/{invoice['id']}/send_by_einvoice")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            statuses = [e["data"]["einvoicing_status"] for e in receiver.events()]
            if statuses and statuses[-1] == "approved":
                break
            time.sleep(0.05)
        assert statuses[-1] == "approved"
