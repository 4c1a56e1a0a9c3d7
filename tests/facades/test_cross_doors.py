"""Any door to any door: an order written through one door reads back through the others."""

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from adapters.jsonvalues import dumps, loads
from adapters.money import decimal_from_money
from tests.conftest import ACME

EXAMPLES = Path(__file__).parents[1] / "adapters"
BASIC = "Basic " + base64.b64encode(b"token-acme:").decode()


def _example(path: str) -> Any:
    return loads((EXAMPLES / path).read_bytes())


def _by_ref(stub: OrderServiceStub, source: str, ref_id: str) -> order_pb2.Order:
    return stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent="tenants/acme", external_ref=order_pb2.ExternalRef(source=source, id=ref_id)
        ),
        metadata=ACME,
    )


def _through_jirafe(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    event = _example("jirafe/examples/order-accepted.json")
    event["order_number"] = uuid.uuid4().hex[:12]
    response = http.post(
        "/jirafe/v2/acme/order",
        content=dumps(event),
        headers={"Authorization": "Bearer token-acme"},
    )
    assert response.status_code == 200, response.text
    return _by_ref(stub, "jirafe", event["order_number"])


def _through_drip(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    order = _example("drip/examples/seed004_orders_request.json")["orders"][0]
    order["upstream_id"] = uuid.uuid4().hex[:12]
    order["identifier"] = f"Order_{order['upstream_id']}"
    response = http.post(
        "/drip/v2/acme/orders", content=dumps({"orders": [order]}), headers={"Authorization": BASIC}
    )
    assert response.status_code == 202, response.text
    return _by_ref(stub, f"drip:{order['provider']}", order["upstream_id"])


def _through_fabric(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    body = _example("fabric/examples/subscription_order_request.json")
    body["orderId"] = f"fab-{uuid.uuid4().hex[:12]}"
    body["_id"] = uuid.uuid4().hex[:24]
    body["cartId"] = uuid.uuid4().hex[:24]
    response = http.post(
        "/fabric/api-order/subscriptions/orders",
        content=dumps(body),
        headers={"x-api-key": "token-acme", "x-site-context": json.dumps({"account": "acme"})},
    )
    assert response.status_code == 200, response.text
    return _by_ref(stub, "fabric", body["orderId"])


def _through_bigcommerce(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    body = _example("bigcommerce/examples/post_custom_product.json")
    response = http.post(
        "/bigcommerce/stores/acme/v2/orders",
        content=dumps(body),
        headers={"X-Auth-Token": "token-acme", "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    listed = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent="tenants/acme", filter=f"serial_number = {response.json()['id']}"
        ),
        metadata=ACME,
    )
    (order,) = listed.orders
    return order


def _through_grpc(_http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    order = order_pb2.Order(
        currency_code="KWD",
        order_number=uuid.uuid4().hex[:12],
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        billing_address=order_pb2.Address(
            line1="1 Gulf Road",
            city="Kuwait City",
            email="b@example.com",
            name=order_pb2.PersonName(given_name="Badr", family_name="Ali"),
        ),
        total=order_pb2.Money(currency_code="KWD", units=12, nanos=345_000_000),
    )
    order.line_items.add(
        sku="DATES-1",
        name="Dates",
        quantity=3,
        unit_price=order_pb2.Money(currency_code="KWD", units=4, nanos=115_000_000),
    )
    return stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=order), metadata=ACME
    )


DOORS: dict[str, Callable[[httpx.Client, OrderServiceStub], order_pb2.Order]] = {
    "jirafe": _through_jirafe,
    "drip": _through_drip,
    "fabric": _through_fabric,
    "bigcommerce": _through_bigcommerce,
    "grpc": _through_grpc,
}


@pytest.fixture
def http(facade_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=facade_url, timeout=30) as client:
        yield client


def _four_places(money: order_pb2.Money) -> str:
    return f"{decimal_from_money(money).quantize(Decimal('0.0001')):f}"


@pytest.mark.parametrize("door", DOORS)
def test_order_from_any_door_reads_back_through_bigcommerce_and_get_order(
    door: str, http: httpx.Client, stub: OrderServiceStub
) -> None:
    stored = DOORS[door](http, stub)
    fetched = stub.GetOrder(order_service_pb2.GetOrderRequest(name=stored.name), metadata=ACME)
    assert fetched == stored
    auth = {"X-Auth-Token": "token-acme"}
    seen = http.get(f"/bigcommerce/stores/acme/v2/orders/{stored.serial_number}", headers=auth)
    assert seen.status_code == 200, seen.text
    order = seen.json()
    assert order["id"] == stored.serial_number
    assert order["currency_code"] == stored.currency_code
    assert order["total_inc_tax"] == _four_places(stored.total)
    if stored.billing_address.line1:
        assert order["billing_address"]["street_1"] == stored.billing_address.line1
        assert order["billing_address"]["city"] == stored.billing_address.city
    products = http.get(
        f"/bigcommerce/stores/acme/v2/orders/{stored.serial_number}/products", headers=auth
    )
    if not stored.line_items:
        assert products.status_code == 204
        return
    assert products.status_code == 200, products.text
    assert [(p["quantity"], p["price_ex_tax"]) for p in products.json()] == [
        (item.quantity, _four_places(item.unit_price)) for item in stored.line_items
    ]


@pytest.mark.parametrize("door", ["jirafe", "drip", "bigcommerce", "grpc"])
def test_order_from_any_door_reads_back_through_fabric(
    door: str, http: httpx.Client, stub: OrderServiceStub
) -> None:
    stored = DOORS[door](http, stub)
    seen = http.get(
        f"/fabric/api-order/orders/orderNumber/{stored.order_number}",
        headers={"x-api-key": "token-acme", "x-site-context": json.dumps({"account": "acme"})},
    )
    assert seen.status_code == 200, seen.text
    fabric = loads(seen.content)["order"]
    assert fabric["orderCurrency"] == stored.currency_code
    assert Decimal(fabric["orderTotal"]) == decimal_from_money(stored.total)
    assert [item["quantity"] for item in fabric.get("items", [])] == [
        item.quantity for item in stored.line_items
    ]
