"""Shared pytest fixtures of the core's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from qonto_einvoicing import QontoClient
from qonto_einvoicing.simulator import SimulatorServer

# ================================================================ Qonto simulator fixtures
# `simulator` (a started SimulatorServer on a free port), `sim_url` (its base URL),
# `sim_api` (a SimulatorAPI: real HTTP to the Qonto API with the default key, and to the
# control API) and `make_sim_api` (a SimulatorAPI for another URL or API key).
# Lifecycle steps are SIM_STEP_SECONDS apart on the simulator clock (the simulator's
# default): tests advance the clock rather than sleep.
# The simulator is strict by default (Qonto as documented). A test that needs something
# laxer says so: `@pytest.mark.simulator(allow_http_callbacks=True)` passes those keyword
# arguments to the `simulator` fixture's SimulatorServer.

SIM_API_KEY = "demo-org:demo-secret"
SIM_STEP_SECONDS = 5.0
REACHABLE_ADDRESS = "552100554"  # in the simulator's default Annuaire
UNREGISTERED_SIREN = "987654308"  # a valid SIREN the default Annuaire does not hold


class SimulatorAPI:
    """Real HTTP calls to a running simulator, with helpers for the usual objects."""

    def __init__(self, url: str, api_key: str = SIM_API_KEY) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = api_key

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """``method`` on the Qonto API (``path`` starts with ``/v2``), authenticated."""
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("DELETE", path, **kwargs)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """A control call (``/_simulator`` + ``path``); its JSON answer, or ``None``."""
        answer = requests.request(method, f"{self.url}/_simulator{path}", json=body,
                                  timeout=10)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def advance(self, seconds: float = SIM_STEP_SECONDS) -> dict[str, Any]:
        """Advance the simulator clock (one lifecycle step by default)."""
        result: dict[str, Any] = self.control("POST", "/clock/advance", {"seconds": seconds})
        return result

    def iban(self, index: int = 0) -> str:
        """An IBAN of the organization."""
        accounts = self.get("/v2/organization").json()["organization"]["bank_accounts"]
        return str(accounts[index]["iban"])

    def create_client(self, **fields: Any) -> dict[str, Any]:
        """A company client, reachable unless the fields say otherwise.

        Its ``e_invoicing_address`` is :data:`REACHABLE_ADDRESS`, a SIREN registered in the
        simulator's default Annuaire; pass ``e_invoicing_address=None`` for a client
        without one (never reachable).
        """
        body = {"kind": "company", "name": "ACME SAS", "email": "billing@acme.example",
                "tax_identification_number": "55210055400013",
                "e_invoicing_address": REACHABLE_ADDRESS, **fields}
        body = {key: value for key, value in body.items() if value is not None}
        answer = self.post("/v2/clients", json=body)
        assert answer.status_code == 201, answer.text
        client: dict[str, Any] = answer.json()["client"]
        return client

    def invoice_body(self, client_id: str, **overrides: Any) -> dict[str, Any]:
        """A valid create-invoice body: 2 × 10.50 at 20 % VAT, so 25.20 in all."""
        body = {
            "client_id": client_id,
            "issue_date": "2026-01-10",
            "due_date": "2026-02-10",
            "currency": "EUR",
            "payment_methods": {"iban": self.iban()},
            "items": [{"title": "Widget", "quantity": "2",
                       "unit_price": {"value": "10.50", "currency": "EUR"},
                       "vat_rate": "0.2"}],
        }
        body.update(overrides)
        return body

    def create_invoice(self, client_id: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A client invoice (``unpaid`` unless ``status="draft"``), for a new client if none."""
        client_id = client_id or self.create_client()["id"]
        answer = self.post("/v2/client_invoices", json=self.invoice_body(client_id, **overrides))
        assert answer.status_code == 201, answer.text
        invoice: dict[str, Any] = answer.json()["client_invoice"]
        return invoice

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        """``GET /v2/client_invoices/{id}``'s invoice."""
        answer = self.get(f"/v2/client_invoices/{invoice_id}")
        assert answer.status_code == 200, answer.text
        invoice: dict[str, Any] = answer.json()["client_invoice"]
        return invoice


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "simulator(**options): keyword arguments (laxer options) for the "
                   "`simulator` fixture's SimulatorServer")


@pytest.fixture
def simulator(request: pytest.FixtureRequest) -> Iterator[SimulatorServer]:
    """A fresh simulator, served on a free port for the duration of one test.

    Strict (Qonto's documented behaviour) unless the test is marked
    ``@pytest.mark.simulator(**options)``.
    """
    marker = request.node.get_closest_marker("simulator")
    options = dict(marker.kwargs) if marker else {}
    with SimulatorServer(port=0, step_seconds=SIM_STEP_SECONDS, api_key=SIM_API_KEY,
                         **options) as server:
        yield server


@pytest.fixture
def sim_url(simulator: SimulatorServer) -> str:
    """The base URL of the ``simulator`` fixture."""
    return simulator.url


@pytest.fixture
def make_sim_api() -> Iterator[Callable[..., SimulatorAPI]]:
    """Build a :class:`SimulatorAPI` for any URL and API key (another server, another org)."""
    made: list[SimulatorAPI] = []

    def make(url: str, api_key: str = SIM_API_KEY) -> SimulatorAPI:
        made.append(SimulatorAPI(url, api_key))
        return made[-1]

    yield make
    for api in made:
        api.session.close()


@pytest.fixture
def sim_api(sim_url: str, make_sim_api: Callable[..., SimulatorAPI]) -> SimulatorAPI:
    """A :class:`SimulatorAPI` on the ``simulator`` fixture."""
    return make_sim_api(sim_url)

@pytest.fixture
def client(simulator: SimulatorServer) -> Iterator[QontoClient]:
    """The core's :class:`QontoClient` on the ``simulator`` fixture, as the demo
    organization, with no real sleep between retries."""
    with QontoClient(simulator.url, "demo-org:demo-secret",
                     sleep=lambda _s: None, timeout=(2, 2)) as qonto:
        yield qonto


# ================================================================ end of simulator fixtures
