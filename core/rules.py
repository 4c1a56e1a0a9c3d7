"""Order rules as pure functions over the canonical Order: no storage, no clock, no transport."""

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from google.protobuf import field_mask_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from core.errors import AlreadyExists, Conflict, InvalidArgument
from core.money import AmountOutOfRange, decimal_from_money, money_from_decimal
from core.validation import OUTPUT_ONLY_FIELDS, check_order


def order_name(tenant: str, order_id: str) -> str:
    """The resource name "tenants/{tenant}/orders/{id}"."""
    return f"tenants/{tenant}/orders/{order_id}"


def order_id_of(order: order_pb2.Order) -> str:
    """The id segment of a stored order's name."""
    return order.name.rsplit("/", 1)[1]


def etag_for(order_id: str, revision: int) -> str:
    """An opaque tag that changes with every revision of one order."""
    digest = hashlib.blake2b(f"{order_id}/{revision}".encode(), digest_size=8).hexdigest()
    return f'W/"{revision}-{digest}"'


def new_order(
    order: order_pb2.Order,
    *,
    tenant: str,
    order_id: str,
    serial_number: int,
    now: timestamp_pb2.Timestamp,
) -> order_pb2.Order:
    """A caller's order as first stored: named, numbered, revision 1, output-only fields reset."""
    stored = order_pb2.Order()
    stored.CopyFrom(order)
    for field in OUTPUT_ONLY_FIELDS:
        stored.ClearField(field)
    stored.name = order_name(tenant, order_id)
    stored.serial_number = serial_number
    if not stored.order_number:
        # Every order gets a human-facing number: the serial, when the caller gave none.
        stored.order_number = str(serial_number)
    stored.revision = 1
    stored.etag = etag_for(order_id, 1)
    stored.create_time.CopyFrom(now)
    stored.update_time.CopyFrom(now)
    return stored


def next_revision(
    current: order_pb2.Order, updated: order_pb2.Order, now: timestamp_pb2.Timestamp
) -> order_pb2.Order | None:
    """`updated` stamped as the next revision, or None when nothing changed (no new revision).

    An order keeps its human-facing number: a change that sends none (a Drip order re-sent
    without an `identifier`, a replace without order_number) keeps the one it has, which the
    server gave it at creation when the caller gave none.
    """
    if not updated.order_number:
        updated.order_number = current.order_number
    if updated.SerializeToString(deterministic=True) == current.SerializeToString(
        deterministic=True
    ):
        return None
    updated.revision = current.revision + 1
    updated.etag = etag_for(order_id_of(current), updated.revision)
    updated.update_time.CopyFrom(now)
    return updated


def check_etag(current: order_pb2.Order, expected_etag: str) -> None:
    """Conflict when the caller's etag is set and no longer current."""
    if expected_etag and expected_etag != current.etag:
        raise Conflict(f"etag {expected_etag} is stale; the order is at {current.etag}")


def apply_mask(patch: order_pb2.Order, target: order_pb2.Order, paths: Sequence[str]) -> None:
    """Copies the masked fields of `patch` onto `target`, replacing messages and lists whole.

    `vendor_data.<vendor>` replaces that one vendor's entry (or removes it when the patch has
    none), so each vendor door can write its own data without touching the others'.
    """
    plain = []
    for path in paths:
        top, _, key = path.partition(".")
        if top == "vendor_data" and key:
            if key in patch.vendor_data:
                target.vendor_data[key].CopyFrom(patch.vendor_data[key])
            elif key in target.vendor_data:
                del target.vendor_data[key]
        else:
            plain.append(path)
    if plain:
        field_mask_pb2.FieldMask(paths=plain).MergeMessage(
            patch, target, replace_message_field=True, replace_repeated_field=True
        )


def updated_order(
    current: order_pb2.Order, patch: order_pb2.Order, paths: Sequence[str]
) -> order_pb2.Order:
    """The masked fields replaced; the line items before a change kept as previous_line_items."""
    updated = order_pb2.Order()
    updated.CopyFrom(current)
    apply_mask(patch, updated, paths)
    items_changed = list(updated.line_items) != list(current.line_items)
    sent_previous = "previous_line_items" in paths and len(patch.previous_line_items) > 0
    if not sent_previous:
        # An empty previous_line_items never erases the history: the server keeps it.
        del updated.previous_line_items[:]
        updated.previous_line_items.extend(
            current.line_items if items_changed else current.previous_line_items
        )
    check_order(updated)
    return updated


def archived_order(current: order_pb2.Order, now: timestamp_pb2.Timestamp) -> order_pb2.Order:
    """The order with archive_time set; an archived order stays as it is."""
    updated = order_pb2.Order()
    updated.CopyFrom(current)
    if not current.HasField("archive_time"):
        updated.archive_time.CopyFrom(now)
    return updated


def cancelled_order(
    current: order_pb2.Order, cancel_time: timestamp_pb2.Timestamp
) -> order_pb2.Order:
    """Lifecycle CANCELLED with its time; a cancelled order stays as it is."""
    updated = order_pb2.Order()
    updated.CopyFrom(current)
    if current.lifecycle_state != order_pb2.LIFECYCLE_STATE_CANCELLED:
        updated.lifecycle_state = order_pb2.LIFECYCLE_STATE_CANCELLED
        updated.cancel_time.CopyFrom(cancel_time)
    return updated


def refunded_order(
    current: order_pb2.Order,
    refund: order_pb2.Refund,
    *,
    refund_id: str,
    now: timestamp_pb2.Timestamp,
) -> order_pb2.Order:
    """The refund appended, refunded_total summed and the payment state moved.

    A refund re-sent with the same upstream_id and amount leaves the order as it is.
    """
    currency = current.currency_code
    if refund.amount.currency_code not in ("", currency):
        raise InvalidArgument(
            f"refund currency must be the order's {currency}",
            violations=[("refund.amount.currency_code", f"must be {currency}")],
        )
    amount = decimal_from_money(refund.amount)
    if amount <= 0:
        raise InvalidArgument(
            "refund amount must be positive", violations=[("refund.amount", "must be positive")]
        )
    updated = order_pb2.Order()
    updated.CopyFrom(current)
    if refund.upstream_id:
        for existing in current.refunds:
            if existing.upstream_id == refund.upstream_id:
                if decimal_from_money(existing.amount) == amount:
                    return updated  # the same refund, re-sent
                raise AlreadyExists(
                    f"refund {refund.upstream_id} was recorded with another amount",
                    reason="REFUND_EXISTS",
                )
    added = updated.refunds.add()
    added.CopyFrom(refund)
    added.id = refund_id
    added.amount.currency_code = currency
    if not added.HasField("refund_time"):
        added.refund_time.CopyFrom(now)
    refunded = sum((decimal_from_money(item.amount) for item in updated.refunds), Decimal(0))
    try:
        updated.refunded_total.CopyFrom(money_from_decimal(refunded, currency))
    except AmountOutOfRange:
        raise InvalidArgument(
            "the refunds would add up past the largest amount of money",
            violations=[("refund.amount", "the refunded total would pass 64-bit units")],
        ) from None
    total = decimal_from_money(current.total)
    updated.payment_state = (
        order_pb2.PAYMENT_STATE_REFUNDED
        if total > 0 and refunded >= total
        else order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED
    )
    return updated


def upsert_key(order: order_pb2.Order, key_source: str) -> str:
    """The id of the order's reference of `key_source`: the upsert key."""
    keys = [ref.id for ref in order.external_refs if ref.source == key_source]
    if not key_source or not keys:
        raise InvalidArgument(
            "the order needs an external reference of key_source",
            violations=[("order.external_refs", f"no reference of source {key_source!r}")],
        )
    return keys[0]
