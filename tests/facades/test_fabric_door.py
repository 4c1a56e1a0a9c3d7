"""The fabric door end to end: real HTTP into the facade, real gRPC into OrderService."""

import json
import struct
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from adapters.jsonvalues import dumps, loads
from tests.conftest import ACME

EXAMPLES = Path(__file__).parents[1] / "adapters" / "fabric" / "examples"
JIRAFE_EXAMPLES = Path(__file__).parents[1] / "adapters" / "jirafe" / "examples"
ORDERS = "/api-order/subscriptions/orders"
SEED_ORDER_ID = "2468-1668-79485"


def headers(account: str = "acme", key: str = "token-acme") -> dict[str, str]:
    return {"x-api-key": key, "x-site-context": json.dumps({"account": account})}


def seed_request() -> dict[str, Any]:
    """The corrected seed 003 request body, numbers parsed exactly (125.33 stays Decimal)."""
    body: dict[str, Any] = loads((EXAMPLES / "subscription_order_request.json").read_bytes())
    return body


def unique_request() -> dict[str, Any]:
    """The seed request with its own orderId, _id and cartId, so tests never share an order."""
    body = seed_request()
    body["orderId"] = f"fab-{uuid.uuid4().hex[:16]}"
    body["_id"] = uuid.uuid4().hex[:24]
    body["cartId"] = uuid.uuid4().hex[:24]
    return body


def lookup(stub: OrderServiceStub, order_id: str) -> order_pb2.Order:
    return stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent="tenants/acme",
            external_ref=order_pb2.ExternalRef(source="fabric", id=order_id),
            show_deleted=True,
        ),
        metadata=ACME,
    )


def count_with_order_id(stub: OrderServiceStub, order_id: str) -> int:
    listed = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent="tenants/acme",
            filter=f'external_ref = "fabric/{order_id}"',
            page_size=10,
            show_deleted=True,
        ),
        metadata=ACME,
    )
    return len(listed.orders)


def assert_fabric_error(response: httpx.Response, status: int, error_code: str | None) -> None:
    """fabric's error object with this status and errorCode (None: any code)."""
    assert response.status_code == status, response.text
    payload = response.json()
    assert set(payload) == {"type", "errorCode", "message"}
    assert payload["type"] == ("SERVER_ERROR" if status >= 500 else "CLIENT_ERROR")
    assert payload["errorCode"]
    if error_code is not None:
        assert payload["errorCode"] == error_code
    assert isinstance(payload["message"], str)
    assert payload["message"]
    assert "Traceback" not in response.text


@pytest.fixture
def http(facade_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{facade_url}/fabric", timeout=30) as client:
        yield client


def post(
    http: httpx.Client, body: Any, *, with_headers: dict[str, str] | None = None
) -> httpx.Response:
    """POSTs the body as JSON text with exact numbers (httpx's json= cannot write Decimals)."""
    return http.post(ORDERS, content=dumps(body), headers=with_headers or headers())


# ------------------------------------------------------------------------------ seed examples


def test_seed_request_is_stored_and_answered_as_fabric_returns_it(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    response = post(http, seed_request())
    assert response.status_code == 200, response.text
    order = loads(response.content)
    assert order["orderId"] == SEED_ORDER_ID
    assert order["_id"] == "60b5b8b08766410008dd72be"
    assert order["cartId"] == "60b5b8b08766410008dd72aa"
    assert order["orderTotal"] == Decimal("125.33")
    assert order["taxTotal"] == Decimal("5.23")
    assert order["status"] == "ORDER_CREATED"
    assert isinstance(order["revision"], int)
    assert order["createdAt"] == "2021-06-01T04:33:52.118Z"
    assert order["updatedAt"] == "2021-06-01T04:33:52.118Z"
    assert order["items"][0]["price"] == Decimal("4.5")
    assert order["shipTo"][0]["address"]["zipCode"] == 98004
    assert "paymentToken" not in order["payments"][0]
    assert b"12345689" not in response.content
    # The same body re-sent (a retry) is the same order, answered the same way.
    again = post(http, seed_request())
    assert again.status_code == 200
    assert loads(again.content) == order
    assert count_with_order_id(stub, SEED_ORDER_ID) == 1


def test_seed_example_lacks_cart_id_and_is_refused(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    verbatim = loads((EXAMPLES / "subscription_order.json").read_bytes())
    response = post(http, verbatim)
    assert_fabric_error(response, 400, "INVALID_CART_ID")
    assert "cartId" in response.json()["message"]
    unique = dict(verbatim, orderId=f"fab-{uuid.uuid4().hex[:16]}")
    assert_fabric_error(post(http, unique), 400, "INVALID_CART_ID")
    with pytest.raises(grpc.RpcError) as raised:
        lookup(stub, unique["orderId"])
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


# --------------------------------------------------------------------------- writes and reads


def test_reposted_order_updates_and_never_duplicates(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    body = unique_request()
    first = post(http, body)
    assert first.status_code == 200
    created = lookup(stub, body["orderId"])
    assert created.lifecycle_state == order_pb2.LIFECYCLE_STATE_PENDING

    body["status"] = "ORDER_CONFIRMED"
    body["items"][0]["quantity"] = 3
    second = post(http, body)
    assert second.status_code == 200
    assert second.json()["status"] == "ORDER_CONFIRMED"
    assert second.json()["items"][0]["quantity"] == 3
    updated = lookup(stub, body["orderId"])
    assert updated.name == created.name
    assert updated.lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED
    assert [line.quantity for line in updated.line_items] == [3]
    assert updated.revision > created.revision
    assert second.json()["revision"] == updated.revision
    assert count_with_order_id(stub, body["orderId"]) == 1


def test_order_without_order_id_is_keyed_by_its_reference_then_its_cart(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    by_reference = unique_request()
    del by_reference["orderId"]
    by_reference["orderReference"] = f"ref-{uuid.uuid4().hex[:12]}"
    by_cart = unique_request()
    del by_cart["orderId"]
    for body, key in ((by_reference, by_reference["orderReference"]), (by_cart, by_cart["cartId"])):
        first = post(http, body)
        assert first.status_code == 200, first.text
        assert first.json()["orderId"] == key
        assert post(http, body).status_code == 200
        assert count_with_order_id(stub, key) == 1
        fetched = http.get(f"/api-order/orders/orderNumber/{key}", headers=headers())
        assert fetched.status_code == 200
        assert fetched.json()["order"]["orderId"] == key


def test_get_by_order_number_answers_the_stored_order(http: httpx.Client) -> None:
    body = unique_request()
    posted = post(http, body)
    assert posted.status_code == 200
    fetched = http.get(f"/api-order/orders/orderNumber/{body['orderId']}", headers=headers())
    assert fetched.status_code == 200
    assert loads(fetched.content) == {"order": loads(posted.content)}


def test_get_of_an_unknown_order_number_is_not_found(http: httpx.Client) -> None:
    response = http.get(f"/api-order/orders/orderNumber/nope-{uuid.uuid4().hex}", headers=headers())
    assert_fabric_error(response, 404, "ORDER_NOT_FOUND")


def test_order_reads_back_through_get_order_intact(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    body = unique_request()
    assert post(http, body).status_code == 200
    name = lookup(stub, body["orderId"]).name
    order = stub.GetOrder(order_service_pb2.GetOrderRequest(name=name), metadata=ACME)

    assert order.total == order_pb2.Money(currency_code="USD", units=125, nanos=330_000_000)
    assert order.tax_total == order_pb2.Money(currency_code="USD", units=5, nanos=230_000_000)
    assert (order.lifecycle_state, order.payment_state, order.fulfillment_state) == (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_PENDING,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    )
    assert (order.native_status.source, order.native_status.code) == ("fabric", "ORDER_CREATED")
    assert order.cart_id == body["cartId"]
    assert order.order_number == body["orderId"]

    [line] = order.line_items
    assert (line.sku, line.name, line.quantity) == ("1538910", "Luminous Cushion Lagoon", 10)
    assert line.unit_price == order_pb2.Money(currency_code="USD", units=4, nanos=500_000_000)
    assert line.tax == order_pb2.Money(currency_code="USD", units=10, nanos=250_000_000)

    [destination] = order.shipping_destinations
    assert destination.shipping_cost == order_pb2.Money(
        currency_code="USD", units=24, nanos=870_000_000
    )
    shipping = destination.address
    assert (shipping.line1, shipping.line2, shipping.city) == (
        "10400 NE 4th St",
        "Suite 500",
        "Bellevue",
    )
    assert (shipping.region, shipping.postal_code, shipping.country) == ("WA", "98004", "USA")
    assert (shipping.name.given_name, shipping.name.family_name) == ("Mark", "styler")
    assert order.billing_address.name.given_name == "Marl"
    assert order.billing_address.line1 == "10400 NE 4th St"

    [payment] = order.payments
    assert payment.amount == order_pb2.Money(currency_code="USD", units=533, nanos=330_000_000)
    assert payment.card_last4 == "4242"


def test_payment_token_is_never_stored(http: httpx.Client, stub: OrderServiceStub) -> None:
    body = unique_request()
    secret = f"pm-secret-{uuid.uuid4().hex}"
    body["payments"][0]["paymentToken"] = {"token": secret}
    body["payments"][0]["paymentIdentifier"] = {"cardIdentifier": "4111111111111111"}
    response = post(http, body)
    assert response.status_code == 200
    assert secret.encode() not in response.content
    assert b"4111111111111111" not in response.content

    order = lookup(stub, body["orderId"])
    stored = stub.GetOrder(order_service_pb2.GetOrderRequest(name=order.name), metadata=ACME)
    stored_bytes = stored.SerializeToString()
    stored_json = json_format.MessageToJson(stored)
    assert secret.encode() not in stored_bytes
    assert b"4111111111111111" not in stored_bytes
    assert "paymentToken" not in stored_json
    assert stored.payments[0].card_last4 == "1111"

    # The seed's numeric token, as text or as a Struct number (a little-endian double).
    seed = unique_request()
    assert post(http, seed).status_code == 200
    seed_stored = lookup(stub, seed["orderId"]).SerializeToString()
    assert b"12345689" not in seed_stored
    assert struct.pack("<d", 12345689.0) not in seed_stored


def test_order_from_another_door_reads_through_fabric_by_its_number(
    http: httpx.Client, facade_url: str
) -> None:
    number = uuid.uuid4().hex[:12]
    event = json.loads((JIRAFE_EXAMPLES / "order-accepted.json").read_text())
    event["order_number"] = number
    placed = httpx.post(
        f"{facade_url}/jirafe/v2/acme/order",
        json=event,
        headers={"Authorization": "Bearer token-acme"},
        timeout=30,
    )
    assert placed.status_code == 200
    fetched = http.get(f"/api-order/orders/orderNumber/{number}", headers=headers())
    assert fetched.status_code == 200, fetched.text
    order = loads(fetched.content)["order"]
    assert order["orderId"] == number
    assert order["orderTotal"] == Decimal("99.85")
    assert order["orderCurrency"] == "USD"
    assert order["status"] == "ORDER_CONFIRMED"
    assert [item["title"] for item in order["items"]] == ["PowerShot A480"]
    # fabric's only bill-to is a payment's billToAddress: the Jirafe payment_address is there.
    bill_to = order["payments"][0]["billToAddress"]
    assert (bill_to["street1"], bill_to["city"]) == ("123 Main St.", "Anytown")
    ship_to = order["shipTo"][0]["address"]
    assert (ship_to["street1"], ship_to["zipCode"]) == ("123 Main St.", 12345)


def test_order_number_with_quotes_and_backslashes_reads_back(http: httpx.Client) -> None:
    body = unique_request()
    body["orderId"] = f'a"b\\c d-{uuid.uuid4().hex[:8]}'
    assert post(http, body).status_code == 200
    fetched = http.get(f"/api-order/orders/orderNumber/{body['orderId']}", headers=headers())
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["order"]["orderId"] == body["orderId"]
    other = http.get('/api-order/orders/orderNumber/zz"\\', headers=headers())
    assert_fabric_error(other, 404, "ORDER_NOT_FOUND")


def test_long_digit_ids_and_int64_quantities_are_answered_exactly(http: httpx.Client) -> None:
    body = unique_request()
    body["items"][0]["sku"] = "1" * 30
    body["items"][0]["quantity"] = 2**63 - 1
    body["items"].append(dict(body["items"][0], sku=1538910, _id=uuid.uuid4().hex[:24]))
    response = post(http, body)
    assert response.status_code == 200, response.text
    order = loads(response.content)
    assert order["items"][0]["sku"] == "1" * 30
    assert order["items"][0]["quantity"] == 2**63 - 1


# ------------------------------------------------------------------------------------ errors


def test_document_id_of_another_order_is_a_conflict(http: httpx.Client) -> None:
    first = unique_request()
    assert post(http, first).status_code == 200
    second = unique_request()
    second["_id"] = first["_id"]
    # The service names the reason (ALREADY_EXISTS, or CONCURRENT_WRITE from its upsert path).
    assert_fabric_error(post(http, second), 409, None)


def test_api_key_is_required_and_must_be_known(http: httpx.Client) -> None:
    body = unique_request()
    missing = post(http, body, with_headers={"x-site-context": '{"account": "acme"}'})
    assert_fabric_error(missing, 401, "MISSING_CREDENTIALS")
    unknown = post(http, body, with_headers=headers(key="not-a-key"))
    assert_fabric_error(unknown, 401, "INVALID_TOKEN")
    get = http.get(f"/api-order/orders/orderNumber/{SEED_ORDER_ID}", headers=headers(key="x"))
    assert_fabric_error(get, 401, "INVALID_TOKEN")
    # gRPC metadata cannot carry it, so it is refused before any call.
    not_ascii = {"x-api-key": b"\xffkey", "x-site-context": b'{"account": "acme"}'}
    assert_fabric_error(http.post(ORDERS, content=b"{}", headers=not_ascii), 401, "INVALID_TOKEN")


def test_account_of_another_tenant_is_forbidden(http: httpx.Client, stub: OrderServiceStub) -> None:
    body = unique_request()
    response = post(http, body, with_headers=headers(account="globex"))
    assert_fabric_error(response, 403, "TENANT_MISMATCH")
    with pytest.raises(grpc.RpcError):
        lookup(stub, body["orderId"])
    assert post(http, body).status_code == 200
    read = http.get(
        f"/api-order/orders/orderNumber/{body['orderId']}", headers=headers(account="globex")
    )
    assert_fabric_error(read, 403, "TENANT_MISMATCH")


@pytest.mark.parametrize(
    ("site_context", "error_code"),
    [
        (None, "MISSING_SITE_CONTEXT"),
        ("", "MISSING_SITE_CONTEXT"),
        ("acme", "INVALID_SITE_CONTEXT"),
        ('["acme"]', "INVALID_SITE_CONTEXT"),
        ('{"channel": 12}', "INVALID_SITE_CONTEXT"),
        ('{"account": 42}', "INVALID_SITE_CONTEXT"),
        ('{"account": "  "}', "INVALID_SITE_CONTEXT"),
        ("[" * 5000, "INVALID_SITE_CONTEXT"),
        ('{"account": "acme/other"}', "INVALID_ARGUMENT"),  # the service's word: no such tenant
    ],
)
def test_site_context_must_name_an_account(
    http: httpx.Client, site_context: str | None, error_code: str
) -> None:
    sent = {"x-api-key": "token-acme"}
    if site_context is not None:
        sent["x-site-context"] = site_context
    assert_fabric_error(post(http, unique_request(), with_headers=sent), 400, error_code)
    read = http.get(f"/api-order/orders/orderNumber/{SEED_ORDER_ID}", headers=sent)
    assert_fabric_error(read, 400, error_code)


def _with(**changes: Any) -> dict[str, Any]:
    body = unique_request()
    body.update(changes)
    return body


def _with_item_price(price: Any) -> dict[str, Any]:
    body = unique_request()
    body["items"][0]["price"] = price
    return body


@pytest.mark.parametrize(
    ("content", "error_code"),
    [
        (b'{"cartId": ', "INVALID_REQUEST_BODY"),
        (b"\xff\xfe", "INVALID_REQUEST_BODY"),
        (b"[1, 2]", "INVALID_REQUEST_BODY"),
        (b"", "INVALID_REQUEST_BODY"),
        (b"[" * 100_000 + b"]" * 100_000, "INVALID_REQUEST_BODY"),
        (dumps(_with(cartId="short")), "INVALID_CART_ID"),
        (dumps(_with(orderTotal=0)), "INVALID_ORDER_TOTAL"),
        (dumps(_with(taxTotal=-1)), "INVALID_TAX_TOTAL"),
        (dumps(_with(orderCurrency="DOLLARS")), "INVALID_ORDER_CURRENCY"),
        (dumps(_with(status="ORDER_LOST")), "INVALID_STATUS"),
        (dumps(_with(shipTo="home")), "INVALID_SHIP_TO"),
        (dumps(_with(channel="web")), "INVALID_CHANNEL"),
        (dumps(_with(createdAt="yesterday")), "INVALID_CREATED_AT"),
        (dumps(_with(orderTotal=Decimal("1e400"))), "INVALID_ORDER_TOTAL"),
        (dumps(_with_item_price("a lot")), "INVALID_ITEMS"),
        (dumps(unique_request()).replace(b'"sku":1538910', b'"sku":' + b"1" * 30), "INVALID_ITEMS"),
    ],
)
def test_bad_bodies_get_fabric_errors_never_a_500(
    http: httpx.Client, content: bytes, error_code: str
) -> None:
    response = http.post(ORDERS, content=content, headers=headers())
    assert_fabric_error(response, 400, error_code)


def test_body_over_one_mebibyte_is_refused(http: httpx.Client) -> None:
    body = unique_request()
    body["notes"] = "x" * (1024 * 1024)
    assert_fabric_error(post(http, body), 413, "REQUEST_TOO_LARGE")


def test_unknown_paths_and_methods_answer_in_fabric_shape(http: httpx.Client) -> None:
    assert_fabric_error(http.get("/api-order/nothing-here", headers=headers()), 404, "NOT_FOUND")
    assert_fabric_error(http.get(ORDERS, headers=headers()), 405, "REQUEST_NOT_SUPPORTED")


def test_openapi_document_lists_both_paths_and_the_request_model(http: httpx.Client) -> None:
    response = http.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert set(document["paths"]) == {ORDERS, "/api-order/orders/orderNumber/{orderId}"}
    schemas = document["components"]["schemas"]
    assert {"FabricOrderRequest", "FabricOrder"} <= set(schemas)
    assert {"cartId", "orderTotal", "shipTo", "status"} <= set(
        schemas["FabricOrderRequest"]["required"]
    )
    create = document["paths"][ORDERS]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FabricOrderRequest"
    }
    # x-api-key is the document's security scheme; x-site-context a header parameter.
    header_names = {p["name"] for p in create["parameters"] if p["in"] == "header"}
    assert header_names == {"x-site-context"}
    assert document["components"]["securitySchemes"]["apiKey"]["name"] == "x-api-key"
    get = document["paths"]["/api-order/orders/orderNumber/{orderId}"]["get"]
    assert {p["name"] for p in get["parameters"]} == {"orderId", "x-site-context"}
