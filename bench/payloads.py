"""Bench payloads: canonical N-item orders and 5-item vendor bodies with a unique id per request."""

import copy
import itertools
import threading
import uuid
from pathlib import Path
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.jsonvalues import dumps, loads

EXAMPLES = Path(__file__).resolve().parents[1] / "tests" / "adapters"
VENDORS = ("jirafe", "drip", "fabric", "bigcommerce")
# A text no example contains; every request's body replaces it with a fresh 24-hex id.
PLACEHOLDER = "BENCHID0BENCHID0BENCHID0"
ITEMS = 5


class UniqueIds:
    """24 hex characters per call, unique for this run (fabric wants 24-character ids)."""

    def __init__(self) -> None:
        self._prefix = uuid.uuid4().hex[:8]
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            number = next(self._counter)
        return f"{self._prefix}{number:016x}"


def _usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def _address(unique: str) -> order_pb2.Address:
    return order_pb2.Address(
        name=order_pb2.PersonName(given_name="Jane", family_name="Doe"),
        line1="123 Main Street",
        line2="Suite 500",
        city="Austin",
        region="TX",
        postal_code="78751",
        country_code="US",
        email=f"{unique}@example.com",
    )


def canonical_order(items: int, unique: str, *, ref_source: str = "bench") -> order_pb2.Order:
    """A confirmed, paid USD order with `items` lines, addresses and one external reference."""
    order = order_pb2.Order(
        order_number=f"ON-{unique}",
        currency_code="USD",
        external_refs=[order_pb2.ExternalRef(source=ref_source, id=unique)],
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        customer=order_pb2.Customer(
            id="c-1",
            email=f"{unique}@example.com",
            name=order_pb2.PersonName(given_name="Jane", family_name="Doe"),
        ),
        cart_id=f"cart-{unique}",
        channel="web",
        billing_address=_address(unique),
    )
    order.shipping_destinations.add(id="d-1", address=_address(unique), carrier="Fedex")
    for index in range(items):
        order.line_items.add(
            id=f"li-{index}",
            sku=f"SKU-{index}",
            name=f"Luminous Cushion Lagoon {index}",
            quantity=1,
            unit_price=_usd(9, 990_000_000),
            total=_usd(9, 990_000_000),
            product=order_pb2.Product(id=f"p-{index}", code=f"C-{index}", brand="Canon"),
            destination_id="d-1",
        )
    total_cents = 999 * items
    order.subtotal.CopyFrom(_usd(total_cents // 100, (total_cents % 100) * 10_000_000))
    order.total.CopyFrom(order.subtotal)
    return order


def _example(vendor: str, name: str) -> Any:
    return loads((EXAMPLES / vendor / "examples" / name).read_bytes())


def _jirafe() -> dict[str, Any]:
    event = _example("jirafe", "order-accepted.json")
    item = event["items"][0]
    event["items"] = []
    for index in range(ITEMS):
        line = copy.deepcopy(item)
        line["id"] = f"{item['id']}{index}"
        line["order_item_number"] = str(index + 1)
        line["product"]["code"] = f"{item['product']['code']}-{index}"
        event["items"].append(line)
    event["subtotal"] = event["total"] = item["price"] * ITEMS
    event["order_number"] = PLACEHOLDER
    return dict(event)


def _drip() -> dict[str, Any]:
    order = _example("drip", "spec_orders_request.json")["orders"][0]
    item = order["items"][0]
    order["items"] = []
    for index in range(ITEMS):
        line = copy.deepcopy(item)
        line["id"] = f"{item['id']}{index}"
        line["sku"] = f"{item['sku']}-{index}"
        line["upstream_id"] = f"{item['upstream_id']}{index}"
        order["items"].append(line)
    order["amount"] = item["amount"] * ITEMS
    order["upstream_id"] = order["identifier"] = PLACEHOLDER
    return dict(order)


def _fabric() -> dict[str, Any]:
    body = _example("fabric", "subscription_order_request.json")
    item = body["items"][0]
    body["items"] = []
    for index in range(ITEMS):
        line = copy.deepcopy(item)
        line["lineItemId"] = index + 1
        line["itemId"] = item["itemId"] + index
        line["sku"] = item["sku"] + index
        body["items"].append(line)
    body["totalQuantity"] = item["quantity"] * ITEMS
    body["orderId"] = body["_id"] = PLACEHOLDER
    return dict(body)


def _bigcommerce() -> dict[str, Any]:
    # POST creates a new order every time (the service numbers it): no id to make unique.
    body = _example("bigcommerce", "post_custom_product.json")
    product = body["products"][0]
    body["products"] = [{**product, "name": f"{product['name']} {index}"} for index in range(ITEMS)]
    body["staff_notes"] = PLACEHOLDER
    return dict(body)


BUILDERS = {"jirafe": _jirafe, "drip": _drip, "fabric": _fabric, "bigcommerce": _bigcommerce}


def vendor_order(vendor: str, unique: str = "000000000000000000000001") -> Any:
    """The 5-item order as `vendor` writes it (numbers as exact Decimals), with id `unique`."""
    return loads(dumps(BUILDERS[vendor]()).replace(PLACEHOLDER.encode(), unique.encode()))


class BodyTemplate:
    """A request body as JSON bytes with the unique id spliced in per request (cheap)."""

    def __init__(self, payload: Any) -> None:
        self._parts = dumps(payload).split(PLACEHOLDER.encode())

    def render(self, unique: str) -> bytes:
        return unique.encode().join(self._parts)


def facade_body(vendor: str) -> BodyTemplate:
    """What the facade's write route receives (Drip wraps its orders in {"orders": [...]})."""
    payload = BUILDERS[vendor]()
    if vendor == "drip":
        payload = {"orders": [payload]}
    return BodyTemplate(payload)
