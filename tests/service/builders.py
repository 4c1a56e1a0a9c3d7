"""Canonical orders for service tests, each with unique external references."""

import uuid

from orderbridge.v1 import order_pb2


def usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def an_order(*, items: int = 2, ref_source: str = "test") -> order_pb2.Order:
    """A confirmed USD order with `items` lines and one unique external reference."""
    number = uuid.uuid4().hex[:10]
    order = order_pb2.Order(
        order_number=f"ON-{number}",
        currency_code="USD",
        external_refs=[order_pb2.ExternalRef(source=ref_source, id=number)],
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        customer=order_pb2.Customer(id="c-1", email=f"{number}@example.com"),
        cart_id=f"cart-{number}",
    )
    for index in range(items):
        order.line_items.add(
            id=f"li-{index}",
            sku=f"SKU-{index}",
            name=f"Item {index}",
            quantity=index + 1,
            unit_price=usd(9, 990_000_000),
        )
    order.total.CopyFrom(usd(29, 970_000_000))
    return order
