"""Schemathesis against each door's own OpenAPI document, with a valid credential: no 5xx and no
answer the document does not describe. It fuzzes and pins the success paths; nothing else."""

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from adapters.facades import build_facade, build_facades
from adapters.port import OrderServicePort, port_of
from service.database import open_database
from service.http import HttpServer, build_http_app
from service.migrate import upgrade
from service.server import start_grpc_server
from tests.conftest import TOKENS

# The CI budget per operation, small and fixed. A drill sets ORDERBRIDGE_FUZZ_EXAMPLES=N: N
# examples per operation, and the coverage phase too (boundary and negative values, methods the
# document does not list: some thousand requests per operation).
CI_EXAMPLES = 8
DRILL = "ORDERBRIDGE_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("ORDERBRIDGE_FUZZ_EXAMPLES", CI_EXAMPLES))
SEEDS = Path(__file__).parents[1] / "adapters"
TENANT = TOKENS["token-acme"]

# Each vendor's own credential for the tenant (README, "The vendor doors").
CREDENTIALS: dict[str, dict[str, str]] = {
    "jirafe": {"Authorization": "Bearer token-acme"},
    "bigcommerce": {"X-Auth-Token": "token-acme"},
    "fabric": {"x-api-key": "token-acme", "x-site-context": '{"account": "acme"}'},
    "drip": {"Authorization": "Basic dG9rZW4tYWNtZTo="},  # base64("token-acme:")
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
]


def _seed(vendor: str, name: str) -> Any:
    return json.loads((SEEDS / vendor / "examples" / name).read_text())


# Request bodies from the vendors' own documents (tests/adapters/*/examples): the examples
# phase sends them first, so every write route is reached on its success path.
SEED_BODIES: dict[str, dict[tuple[str, str], list[Any]]] = {
    "jirafe": {
        (method, "/v2/{site_id}/order"): [
            _seed("jirafe", "order-placed.json"),
            _seed("jirafe", "order-accepted.json"),
        ]
        for method in ("post", "put")
    }
    | {
        (method, "/v2/{site_id}/batch"): [{"order": [_seed("jirafe", "order-accepted.json")]}]
        for method in ("post", "put")
    },
    "bigcommerce": {
        ("post", "/stores/{store_hash}/v2/orders"): [
            _seed("bigcommerce", "post_custom_product.json")
        ],
        ("put", "/stores/{store_hash}/v2/orders/{order_id}"): [{"staff_notes": "fuzzed"}],
    },
    "fabric": {
        ("post", "/api-order/subscriptions/orders"): [
            _seed("fabric", "subscription_order_request.json")
        ],
    },
    "drip": {
        ("post", "/v2/{account_id}/orders"): [_seed("drip", "seed004_orders_request.json")],
        ("post", "/v2/{account_id}/orders/batches"): [
            _seed("drip", "spec_orders_batches_request.json")
        ],
        ("post", "/v2/{account_id}/refunds"): [_seed("drip", "seed004_refunds_request.json")],
    },
}


def _with_seed_examples(vendor: str, document: dict[str, Any]) -> dict[str, Any]:
    for (method, path), bodies in SEED_BODIES[vendor].items():
        media = document["paths"][path][method]["requestBody"]["content"]["application/json"]
        media["examples"] = {f"seed{n}": {"value": body} for n, body in enumerate(bodies)}
    return document


def _unused(name: str) -> Any:
    async def rpc(_request: Any, _credential: str) -> Any:
        raise AssertionError(f"building a document called {name}")

    return rpc


# The documents are built without a service: publishing one calls no RPC.
_DOCUMENT_PORT: OrderServicePort = port_of(_unused)


def _schema(vendor: str) -> Any:
    document = _with_seed_examples(vendor, build_facade(vendor, _DOCUMENT_PORT).openapi())
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
                "mode": "all",
            },
            # The tenant's own site, store and account: the success paths are reached.
            "parameters": {
                "path.site_id": TENANT,
                "path.store_hash": TENANT,
                "path.account_id": TENANT,
            },
            "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": DRILL}},
            "headers": CREDENTIALS[vendor],
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        }
    )
    return schemathesis.openapi.from_dict(document, config=config)


SCHEMAS = {vendor: _schema(vendor) for vendor in ("jirafe", "bigcommerce", "fabric", "drip")}


@pytest.fixture(scope="module")
def doors_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every door over real HTTP and a real OrderService on a fresh SQLite file of its own."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "orders.db"
    database = open_database(f"sqlite:///{path}")
    upgrade(database)
    server = start_grpc_server(database=database, tokens=TOKENS, host="127.0.0.1", port=0)
    port = server.in_process_port()
    http = HttpServer(build_http_app(mounts=build_facades(port)), host="127.0.0.1", port=0)
    http.start()
    yield f"http://127.0.0.1:{http.port}"
    http.stop()
    server.stop_serving(None)
    database.dispose()


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as opened:
        yield opened


def _call(case: Any, base_url: str, session: requests.Session) -> None:
    case.call_and_validate(base_url=base_url, session=session, checks=CHECKS, timeout=30)


@SCHEMAS["jirafe"].parametrize()
def test_jirafe_door_keeps_its_document(
    case: Any, doors_url: str, session: requests.Session
) -> None:
    _call(case, f"{doors_url}/jirafe", session)


@SCHEMAS["bigcommerce"].parametrize()
def test_bigcommerce_door_keeps_its_document(
    case: Any, doors_url: str, session: requests.Session
) -> None:
    _call(case, f"{doors_url}/bigcommerce", session)


@SCHEMAS["fabric"].parametrize()
def test_fabric_door_keeps_its_document(
    case: Any, doors_url: str, session: requests.Session
) -> None:
    _call(case, f"{doors_url}/fabric", session)


@SCHEMAS["drip"].parametrize()
def test_drip_door_keeps_its_document(case: Any, doors_url: str, session: requests.Session) -> None:
    _call(case, f"{doors_url}/drip", session)


# ---------------------------------------------------------------------------------------------
# Every write route's success path, reached by the schemathesis case of its seed body


def _seed_case(vendor: str, method: str, path: str, **path_parameters: str) -> Any:
    [body, *_] = SEED_BODIES[vendor][(method, path)]
    operation = SCHEMAS[vendor][path][method.upper()]
    return operation.Case(
        path_parameters={"site_id": TENANT, "store_hash": TENANT, "account_id": TENANT}
        | path_parameters,
        headers=CREDENTIALS[vendor],
        body=body,
        media_type="application/json",
    )


def _accepted(case: Any, base_url: str, session: requests.Session) -> Any:
    response = case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)
    assert 200 <= response.status_code < 300, response.text
    return response


@pytest.mark.parametrize(
    ("vendor", "method", "path"),
    [(vendor, method, path) for vendor, bodies in SEED_BODIES.items() for method, path in bodies],
)
def test_every_write_route_accepts_its_seed_body(
    doors_url: str, session: requests.Session, vendor: str, method: str, path: str
) -> None:
    base_url = f"{doors_url}/{vendor}"
    extra: dict[str, str] = {}
    if vendor == "bigcommerce" and "{order_id}" in path:  # an order to update
        created = _seed_case(vendor, "post", "/stores/{store_hash}/v2/orders")
        extra["order_id"] = str(_accepted(created, base_url, session).json()["id"])
    if path.endswith("/refunds"):  # the refunded order
        _accepted(_seed_case(vendor, "post", "/v2/{account_id}/orders"), base_url, session)
    _accepted(_seed_case(vendor, method, path, **extra), base_url, session)
