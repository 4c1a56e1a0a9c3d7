"""BigCommerce door end to end: computed POST totals every door sees, date_modified, live links."""

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.protobuf import field_mask_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from adapters.drip.translate import order_to_drip
from adapters.fabric.translate import order_to_fabric
from adapters.jirafe.translate import order_to_jirafe
from adapters.jsonvalues import dumps, loads
from adapters.money import decimal_from_money
from adapters.times import format_rfc2822
from tests.conftest import ACME

EXAMPLES = Path(__file__).parents[1] / "adapters"
STORE = "/bigcommerce/stores/acme/v2"
AUTH = {"X-Auth-Token": "token-acme", "Content-Type": "application/json"}
FABRIC_AUTH = {"x-api-key": "token-acme", "x-site-context": json.dumps({"account": "acme"})}
# A POST without subtotal or total: two custom products, shipping, handling and wrapping in
# ex/inc pairs and an order discount. Expected, as BigCommerce computes them:
# subtotal 2 × 12.34 + 3 × 5 = 39.68 ex, 2 × 13.57 + 3 × 5.50 = 43.64 inc;
# total 39.68 + 10 + 2.50 + 1 − 3 = 50.18 ex, 43.64 + 11 + 2.75 + 1.10 − 3 = 55.49 inc.
COSTS = {
    "shipping_cost_ex_tax": "10.0000",
    "shipping_cost_inc_tax": "11.0000",
    "handling_cost_ex_tax": "2.5000",
    "handling_cost_inc_tax": "2.7500",
    "wrapping_cost_ex_tax": "1.0000",
    "wrapping_cost_inc_tax": "1.1000",
    "discount_amount": "3.0000",
}
EXPECTED_GET_TOTALS = {
    "subtotal_ex_tax": "39.6800",
    "subtotal_inc_tax": "43.6400",
    "subtotal_tax": "3.9600",
    "total_ex_tax": "50.1800",
    "total_inc_tax": "55.4900",
    "total_tax": "5.3100",
}
EXPECTED_CANONICAL_TOTALS = {
    "subtotal": Decimal("39.68"),
    "subtotal_including_tax": Decimal("43.64"),
    "shipping_total": Decimal(10),
    "shipping_total_including_tax": Decimal(11),
    "handling_total": Decimal("2.5"),
    "handling_total_including_tax": Decimal("2.75"),
    "wrapping_total": Decimal(1),
    "wrapping_total_including_tax": Decimal("1.1"),
    "discount_total": Decimal(3),
    "total_excluding_tax": Decimal("50.18"),
    "total": Decimal("55.49"),
    "tax_total": Decimal("5.31"),
}


@pytest.fixture
def http(facade_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=facade_url, timeout=30) as client:
        yield client


def _example(path: str) -> Any:
    return loads((EXAMPLES / path).read_bytes())


def _body(**fields: Any) -> dict[str, Any]:
    email = f"{uuid.uuid4().hex[:12]}@example.com"
    return {
        "billing_address": {
            "first_name": "Jane",
            "last_name": "Doe",
            "street_1": "123 Main Street",
            "city": "Austin",
            "zip": "78751",
            "country_iso2": "US",
            "email": email,
        },
        "status_id": 11,
        "products": [
            {"name": "Mug", "quantity": 2, "price_ex_tax": "12.3400", "price_inc_tax": "13.5700"},
            {"name": "Towel", "quantity": 3, "price_ex_tax": 5, "price_inc_tax": "5.50"},
        ],
        **COSTS,
        **fields,
    }


def _post(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = http.post(f"{STORE}/orders", content=dumps(body), headers=AUTH)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = loads(response.content)
    return created


def _get(http: httpx.Client, path: str, **params: Any) -> Any:
    response = http.get(f"{STORE}{path}", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    return loads(response.content)


def _listed_ids(http: httpx.Client, **params: Any) -> list[int]:
    response = http.get(f"{STORE}/orders", params=params, headers=AUTH)
    if response.status_code == 204:
        return []
    assert response.status_code == 200, response.text
    return [order["id"] for order in response.json()]


def _by_serial(stub: OrderServiceStub, serial_number: int) -> order_pb2.Order:
    listed = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent="tenants/acme", filter=f"serial_number = {serial_number}"
        ),
        metadata=ACME,
    )
    (order,) = listed.orders
    fetched: order_pb2.Order = stub.GetOrder(
        order_service_pb2.GetOrderRequest(name=order.name), metadata=ACME
    )
    return fetched


def _by_ref(stub: OrderServiceStub, source: str, ref_id: str) -> order_pb2.Order:
    found: order_pb2.Order = stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent="tenants/acme", external_ref=order_pb2.ExternalRef(source=source, id=ref_id)
        ),
        metadata=ACME,
    )
    return found


# ---------------------------------------------------------------------------------------------
# 1. A POST without totals gets BigCommerce's computed totals, and every door sees them
# ---------------------------------------------------------------------------------------------
def test_post_without_totals_reads_back_with_the_computed_totals_through_every_door(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    created = _post(http, _body())

    # BigCommerce GET, as the POST answered.
    seen = _get(http, f"/orders/{created['id']}")
    assert seen == created
    assert {key: seen[key] for key in EXPECTED_GET_TOTALS} == EXPECTED_GET_TOTALS
    assert (seen["shipping_cost_tax"], seen["handling_cost_tax"]) == ("1.0000", "0.2500")
    assert (seen["wrapping_cost_tax"], seen["discount_amount"]) == ("0.1000", "3.0000")
    products = _get(http, f"/orders/{created['id']}/products")
    assert [p["total_inc_tax"] for p in products] == ["27.1400", "16.5000"]

    # gRPC GetOrder: the stored canonical totals, exact, in the order's currency.
    order = _by_serial(stub, created["id"])
    assert {
        field: decimal_from_money(getattr(order, field)) for field in EXPECTED_CANONICAL_TOTALS
    } == EXPECTED_CANONICAL_TOTALS
    assert {getattr(order, field).currency_code for field in EXPECTED_CANONICAL_TOTALS} == {"USD"}

    # fabric's door reads the same total and tax.
    response = http.get(
        f"/fabric/api-order/orders/orderNumber/{order.order_number}", headers=FABRIC_AUTH
    )
    assert response.status_code == 200, response.text
    fabric = loads(response.content)["order"]
    assert (Decimal(fabric["orderTotal"]), Decimal(fabric["taxTotal"])) == (
        Decimal("55.49"),
        Decimal("5.31"),
    )
    # And so do the Drip (cents), fabric and Jirafe translations of the stored order.
    drip = order_to_drip(order)
    assert (drip["amount"], drip["tax"], drip["discount"]) == (5549, 531, 300)
    assert order_to_fabric(order)["orderTotal"] == Decimal("55.49")
    jirafe = order_to_jirafe(order)
    assert jirafe["status"] == "accepted"
    assert (jirafe["subtotal"], jirafe["total"], jirafe["total_tax"]) == (
        Decimal("39.68"),
        Decimal("55.49"),
        Decimal("5.31"),
    )
    assert jirafe["total_discounts"] == Decimal("3.0")


def test_post_with_overridden_totals_keeps_them_at_every_door(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    created = _post(http, _body(total_ex_tax="49.0000", total_inc_tax="54.0000"))

    assert (created["subtotal_ex_tax"], created["subtotal_inc_tax"]) == ("39.6800", "43.6400")
    assert (created["total_ex_tax"], created["total_inc_tax"]) == ("49.0000", "54.0000")
    assert created["total_tax"] == "5.0000"
    order = _by_serial(stub, created["id"])
    assert decimal_from_money(order.total) == Decimal(54)
    assert order_to_drip(order)["amount"] == 5400


# ---------------------------------------------------------------------------------------------
# 2. date_modified is when the order last changed here, whichever door changed it
# ---------------------------------------------------------------------------------------------
def _second_ago() -> datetime:
    # RFC 2822 dates have whole seconds: a bound on a whole second below now.
    return datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)


def _through_jirafe(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    # Jirafe's change_date (2013) becomes the order's vendor_update_time.
    event = _example("jirafe/examples/order-accepted.json")
    event["order_number"] = uuid.uuid4().hex[:12]
    response = http.put(
        "/jirafe/v2/acme/order",
        content=dumps(event),
        headers={"Authorization": "Bearer token-acme"},
    )
    assert response.status_code == 200, response.text
    return _by_ref(stub, "jirafe", event["order_number"])


def _through_fabric(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    # fabric's updatedAt (2021) becomes the order's vendor_update_time.
    body = _example("fabric/examples/subscription_order_request.json")
    body["orderId"] = f"fab-{uuid.uuid4().hex[:12]}"
    body["_id"] = uuid.uuid4().hex[:24]
    body["cartId"] = uuid.uuid4().hex[:24]
    response = http.post(
        "/fabric/api-order/subscriptions/orders", content=dumps(body), headers=FABRIC_AUTH
    )
    assert response.status_code == 200, response.text
    return _by_ref(stub, "fabric", body["orderId"])


def _through_bigcommerce(http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    # A migrated historical order: date_created is writable on POST (order_Shared).
    created = _post(http, _body(date_created="Tue, 05 Mar 2019 21:40:11 +0000"))
    return _by_serial(stub, created["id"])


def _through_grpc(_http: httpx.Client, stub: OrderServiceStub) -> order_pb2.Order:
    old = timestamp_pb2.Timestamp()
    old.FromJsonString("2013-06-17T15:16:15Z")
    order = order_pb2.Order(
        currency_code="USD",
        order_number=uuid.uuid4().hex[:12],
        vendor_update_time=old,
        total=order_pb2.Money(currency_code="USD", units=12),
    )
    created: order_pb2.Order = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=order), metadata=ACME
    )
    return created


DOORS: dict[str, Callable[[httpx.Client, OrderServiceStub], order_pb2.Order]] = {
    "jirafe": _through_jirafe,
    "fabric": _through_fabric,
    "bigcommerce": _through_bigcommerce,
    "grpc": _through_grpc,
}


@pytest.mark.parametrize("door", DOORS)
def test_min_date_modified_finds_an_order_changed_through_any_door(
    door: str, http: httpx.Client, stub: OrderServiceStub
) -> None:
    since = _second_ago()
    stored = DOORS[door](http, stub)
    order_id = stored.serial_number

    seen = _get(http, f"/orders/{order_id}")
    assert seen["date_modified"] == format_rfc2822(stored.update_time)
    assert parsedate_to_datetime(seen["date_modified"]) >= since
    only_it = {"min_id": order_id, "max_id": order_id}
    assert _listed_ids(http, **only_it, min_date_modified=since.isoformat()) == [order_id]
    assert _listed_ids(http, **only_it, max_date_modified="2022-01-01T00:00:00Z") == []
    assert _listed_ids(http, **only_it, sort="date_modified:desc") == [order_id]

    # A later change through gRPC (another door) moves date_modified with it.
    changed: order_pb2.Order = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=order_pb2.Order(name=stored.name, staff_notes="changed elsewhere"),
            update_mask=field_mask_pb2.FieldMask(paths=["staff_notes"]),
        ),
        metadata=ACME,
    )
    after = _get(http, f"/orders/{order_id}")
    assert after["date_modified"] == format_rfc2822(changed.update_time)
    assert after["staff_notes"] == "changed elsewhere"
    since_change = changed.update_time.ToDatetime(tzinfo=UTC).replace(microsecond=0)
    assert _listed_ids(http, **only_it, min_date_modified=since_change.isoformat()) == [order_id]


# ---------------------------------------------------------------------------------------------
# 3. Every link a door emits points at a route that answers
# ---------------------------------------------------------------------------------------------
def _urls(node: Any) -> Iterator[str]:
    """Every URL anywhere in a JSON document."""
    if isinstance(node, dict):
        for value in node.values():
            yield from _urls(value)
    elif isinstance(node, list):
        for item in node:
            yield from _urls(item)
    elif isinstance(node, str) and node.startswith(("http://", "https://")):
        yield node


def _links(node: Any) -> Iterator[dict[str, Any]]:
    """Every `{url, resource}` object anywhere in a JSON document."""
    if isinstance(node, dict):
        if isinstance(node.get("url"), str) and isinstance(node.get("resource"), str):
            yield node
        for value in node.values():
            yield from _links(value)
    elif isinstance(node, list):
        for item in node:
            yield from _links(item)


def _unanswered_links(http: httpx.Client, documents: list[Any], *, deep: bool) -> list[str]:
    """Follows every URL in `documents` (`deep`: and in what they answer), once each; the
    failures."""
    failures: list[str] = []
    for document in documents:
        for link in _links(document):
            if not link["url"].endswith(link["resource"]):
                failures.append(f"{link['url']}: resource {link['resource']} is not its path")
    pending = [url for document in documents for url in _urls(document)]
    followed: set[str] = set()
    while pending:
        url = pending.pop(0)
        if url in followed:
            continue
        followed.add(url)
        if not url.startswith(str(http.base_url).rstrip("/") + "/"):
            failures.append(f"{url}: not this door's host")
            continue
        response = http.get(url, headers=AUTH)
        if response.status_code not in (200, 204):
            failures.append(f"GET {httpx.URL(url).path}: {response.status_code}")
            continue
        if deep and response.content:
            answered = loads(response.content)
            for link in _links(answered):
                if not link["url"].endswith(link["resource"]):
                    failures.append(f"{link['url']}: resource {link['resource']} is not its path")
            pending.extend(_urls(answered))
    assert followed, "no link to follow"
    return failures


def test_every_link_of_an_order_answers(http: httpx.Client) -> None:
    # order_Post has no coupon field (coupons are applied at checkout), so the order carries
    # the coupons link of every order and no coupon of its own.
    body = _body()
    body["shipping_addresses"] = [
        {
            "first_name": "Ann",
            "street_1": "1 Elm Street",
            "city": "Austin",
            "zip": "78701",
            "country_iso2": "US",
            "shipping_method": "Flat Rate",
        },
        {
            "first_name": "Bo",
            "street_1": "2 Oak Street",
            "city": "Dallas",
            "zip": "75201",
            "country_iso2": "US",
            "shipping_method": "Free Shipping",
        },
    ]
    created = _post(http, body)
    order_id = created["id"]
    documents = [
        created,
        _get(http, f"/orders/{order_id}"),
        _get(http, "/orders", min_id=order_id, max_id=order_id),
    ]
    assert {"products", "shipping_addresses", "coupons"} <= {
        key for key, value in documents[1].items() if isinstance(value, dict) and "url" in value
    }

    failures = _unanswered_links(http, documents, deep=True)
    assert failures == [], "\n".join(failures)


def test_every_link_of_the_order_count_answers(http: httpx.Client) -> None:
    _post(http, _body())
    counts = _get(http, "/orders/count")

    # Each status links to the order list filtered on it (ordersCount_Full); the orders those
    # lists hold are test_every_link_of_an_order_answers' business.
    assert len(list(_urls(counts))) == len(counts["statuses"])
    failures = _unanswered_links(http, [counts], deep=False)
    assert failures == [], "\n".join(failures)
