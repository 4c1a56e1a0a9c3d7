"""Each door's OpenAPI document tells the truth: the credential it checks, the statuses it answers
in the vendor's own error shape, a body on every write route, and why a schema-valid body is
refused. Documents are read as published; answers come from the real doors."""

import base64
import copy
import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from adapters.facades import VENDORS, build_facade
from adapters.port import OrderServicePort, port_of

EXAMPLES = Path(__file__).parents[1] / "adapters"
WRITE_METHODS = ("post", "put", "patch")


def _unused(name: str) -> Any:
    async def rpc(_request: Any, _credential: str) -> Any:
        raise AssertionError(f"publishing a document called {name}")

    return rpc


DOCUMENT_PORT: OrderServicePort = port_of(_unused)


def document_of(vendor: str) -> dict[str, Any]:
    return build_facade(vendor, DOCUMENT_PORT).openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def schema_errors(document: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """What makes `instance` invalid for `schema`, a schema of `document` (its refs resolved)."""
    rooted = {**schema, "components": document["components"]}
    validator = jsonschema.Draft202012Validator(rooted)
    return [error.message for error in validator.iter_errors(instance)]


def response_schema(document: dict[str, Any], path: str, method: str, status: int) -> Any:
    responses = document["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document {status}"
    return responses[str(status)]["content"]["application/json"]["schema"]


# ---------------------------------------------------------------------------------------------
# What the documents say


SCHEMES = {
    "jirafe": {"bearer": {"type": "http", "scheme": "bearer"}},
    "bigcommerce": {"X-Auth-Token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"}},
    "fabric": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}},
    "drip": {
        "basic": {"type": "http", "scheme": "basic"},
        "bearer": {"type": "http", "scheme": "bearer"},
    },
}
ERROR_SCHEMAS = {
    "jirafe": "JirafeError",
    "bigcommerce": "BigCommerceErrors",
    "fabric": "FabricError",
    "drip": "DripErrors",
}


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_door_documents_the_credential_it_checks(vendor: str) -> None:
    document = document_of(vendor)
    assert document["components"]["securitySchemes"] == SCHEMES[vendor]
    assert document["security"] == [{name: []} for name in SCHEMES[vendor]]


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_door_documents_the_frameworks_422(vendor: str) -> None:
    # FastAPI's {"detail": [...]} 422 is never sent: a door refuses in its vendor's shape.
    document = document_of(vendor)
    assert "HTTPValidationError" not in json.dumps(document)
    for path, method, operation in operations(document):
        if vendor != "drip":  # _errors.md: Drip's validation errors are its own 422
            assert "422" not in operation["responses"], f"{method.upper()} {path}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_write_route_documents_its_json_body(vendor: str) -> None:
    for path, method, operation in operations(document_of(vendor)):
        if method in WRITE_METHODS:
            body = operation.get("requestBody")
            assert body is not None, f"{method.upper()} {path}"
            assert body["required"] is True
            assert body["content"]["application/json"]["schema"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_refusal_is_documented_in_the_vendors_error_shape(vendor: str) -> None:
    document = document_of(vendor)
    error_ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMAS[vendor]}"}
    for path, method, operation in operations(document):
        refusals = {status for status in operation["responses"] if status[0] in "45"}
        assert {"401", "403"} & refusals or vendor == "jirafe", f"{method.upper()} {path}"
        for status in refusals:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == error_ref, f"{method.upper()} {path} {status}"


def test_jirafe_and_fabric_document_the_400_they_answer() -> None:
    for vendor in ("jirafe", "fabric"):
        for path, method, operation in operations(document_of(vendor)):
            if method in WRITE_METHODS:
                assert "400" in operation["responses"], f"{vendor} {method.upper()} {path}"


def test_drip_documents_its_400_and_the_401_challenge() -> None:
    for path, _method, operation in operations(document_of("drip")):
        assert "400" in operation["responses"], path
        assert "WWW-Authenticate" in operation["responses"]["401"]["headers"], path


# ---------------------------------------------------------------------------------------------
# What the doors answer agrees with what they document

JIRAFE_AUTH = {"Authorization": "Bearer token-acme"}
BIGCOMMERCE_AUTH = {"X-Auth-Token": "token-acme"}
FABRIC_AUTH = {"x-api-key": "token-acme", "x-site-context": '{"account": "acme"}'}
DRIP_AUTH = {"Authorization": "Basic " + base64.b64encode(b"token-acme:").decode()}

# (vendor, method, path in the document, the path called, headers, body, the answer's status).
MALFORMED = [
    ("jirafe", "post", "/v2/{site_id}/order", "/v2/acme/order", JIRAFE_AUTH, 400),
    ("jirafe", "put", "/v2/{site_id}/batch", "/v2/acme/batch", JIRAFE_AUTH, 400),
    (
        "bigcommerce",
        "post",
        "/stores/{store_hash}/v2/orders",
        "/stores/acme/v2/orders",
        BIGCOMMERCE_AUTH,
        400,
    ),
    (
        "fabric",
        "post",
        "/api-order/subscriptions/orders",
        "/api-order/subscriptions/orders",
        FABRIC_AUTH,
        400,
    ),
    ("drip", "post", "/v2/{account_id}/orders", "/v2/acme/orders", DRIP_AUTH, 400),
    ("drip", "post", "/v2/{account_id}/refunds", "/v2/acme/refunds", DRIP_AUTH, 400),
]


@pytest.mark.parametrize(("vendor", "method", "route", "path", "headers", "status"), MALFORMED)
def test_a_malformed_body_is_answered_as_documented(
    facade_url: str,
    vendor: str,
    method: str,
    route: str,
    path: str,
    headers: dict[str, str],
    status: int,
) -> None:
    document = document_of(vendor)
    response = httpx.request(
        method, f"{facade_url}/{vendor}{path}", content=b"{not json", headers=headers, timeout=30
    )
    assert response.status_code == status, response.text
    schema = response_schema(document, route, method, status)
    assert schema_errors(document, schema, response.json()) == []


def test_bigcommerces_405_carries_allow(facade_url: str) -> None:
    response = httpx.patch(
        f"{facade_url}/bigcommerce/stores/acme/v2/orders", headers=BIGCOMMERCE_AUTH, timeout=30
    )
    assert response.status_code == 405
    assert {"GET", "POST", "DELETE"} <= {m.strip() for m in response.headers["allow"].split(",")}
    assert response.json()[0]["status"] == 405


def test_fabrics_tiny_order_total_is_refused_as_its_document_says(facade_url: str) -> None:
    # 5e-324 is a JSON number the request schema takes; the canonical money keeps nine
    # fractional digits, so the door refuses it, and its documented 400 says so.
    document = document_of("fabric")
    route = "/api-order/subscriptions/orders"
    body = json.loads((EXAMPLES / "fabric/examples/subscription_order_request.json").read_text())
    body["orderTotal"] = 5e-324
    body_schema = document["paths"][route]["post"]["requestBody"]["content"]["application/json"]
    assert schema_errors(document, body_schema["schema"], body) == []
    response = httpx.post(f"{facade_url}/fabric{route}", json=body, headers=FABRIC_AUTH, timeout=30)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "INVALID_ORDER_TOTAL"
    described = document["paths"][route]["post"]["responses"]["400"]["description"]
    assert "nine fractional digits" in described


def test_drips_documents_refuse_what_the_door_refuses() -> None:
    # A refund of amount 0 is refused (the service takes only positive refunds); an order
    # without provider and upstream_id, or without email or id, cannot be upserted.
    document = document_of("drip")

    def body_schema(route: str) -> Any:
        post = document["paths"][route]["post"]
        return post["requestBody"]["content"]["application/json"]["schema"]

    refund = {"provider": "shopify", "order_upstream_id": "1", "amount": 0}
    assert schema_errors(document, body_schema("/v2/{account_id}/refunds"), {"refunds": [refund]})
    refund["amount"] = 1
    assert not schema_errors(
        document, body_schema("/v2/{account_id}/refunds"), {"refunds": [refund]}
    )
    order = {"provider": "shopify", "upstream_id": "1", "email": "a@example.com", "amount": 0}
    orders = body_schema("/v2/{account_id}/orders")
    assert schema_errors(document, orders, {"orders": [order]}) == []  # amount 0 is taken
    for missing in ("provider", "upstream_id", "email"):
        incomplete = copy.deepcopy(order)
        del incomplete[missing]
        assert schema_errors(document, orders, {"orders": [incomplete]}), missing


def test_drip_takes_an_order_of_amount_0(facade_url: str) -> None:
    body = {"orders": [{"provider": "p", "upstream_id": "zero", "email": "a@b.co", "amount": 0}]}
    response = httpx.post(f"{facade_url}/drip/v2/acme/orders", json=body, headers=DRIP_AUTH)
    assert response.status_code == 202, response.text
