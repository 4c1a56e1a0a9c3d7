"""Pure conversion between Order protos and table rows, and exact money arithmetic; no I/O."""

from datetime import UTC, datetime
from typing import Any

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2


def nanos_of(money: order_pb2.Money) -> int:
    """The amount in billionths of its currency unit, as one integer."""
    return money.units * 1_000_000_000 + money.nanos


def datetime_from_timestamp(stamp: timestamp_pb2.Timestamp) -> datetime:
    """An aware UTC datetime."""
    return stamp.ToDatetime(tzinfo=UTC)


def timestamp_from_datetime(moment: datetime) -> timestamp_pb2.Timestamp:
    """A Timestamp of an aware datetime."""
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def payment_method_of(order: order_pb2.Order) -> str:
    """The method of the first payment: what BigCommerce's payment_method filter matches."""
    return order.payments[0].method if order.payments else ""


def _placed_at(order: order_pb2.Order) -> datetime | None:
    # An order that names no placing time was placed when it was recorded: lists sort and
    # filter it by its create_time, which is stamped before any row is written.
    if order.HasField("place_time"):
        return datetime_from_timestamp(order.place_time)
    if order.HasField("create_time"):
        return datetime_from_timestamp(order.create_time)
    return None


def record_columns(order: order_pb2.Order) -> dict[str, Any]:
    """The indexed columns derived from an order (everything else lives in the body)."""
    return {
        "order_number": order.order_number,
        "cart_id": order.cart_id,
        "customer_id": order.customer.id,
        "customer_email": order.customer.email.lower(),
        "payment_method": payment_method_of(order),
        "lifecycle_state": order.lifecycle_state,
        "payment_state": order.payment_state,
        "fulfillment_state": order.fulfillment_state,
        "native_source": order.native_status.source,
        "native_code": order.native_status.code,
        "native_label": order.native_status.label,
        "currency_code": order.currency_code,
        "total_nanos": nanos_of(order.total),
        "channel": order.channel,
        "place_time": _placed_at(order),
        "archive_time": (
            datetime_from_timestamp(order.archive_time) if order.HasField("archive_time") else None
        ),
    }


def record_values(tenant: str, order_id: str, order: order_pb2.Order) -> dict[str, Any]:
    """The row of a new, fully stamped order (name, serial, revision and times set)."""
    return {
        "id": order_id,
        "tenant": tenant,
        "serial_number": order.serial_number,
        **updated_values(order),
        "create_time": datetime_from_timestamp(order.create_time),
    }


def updated_values(order: order_pb2.Order) -> dict[str, Any]:
    """The columns a re-stamped order changes on its row."""
    return {
        "revision": order.revision,
        "update_time": datetime_from_timestamp(order.update_time),
        "body": order.SerializeToString(deterministic=True),
        **record_columns(order),
    }
