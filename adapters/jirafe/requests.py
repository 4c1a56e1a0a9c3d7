"""Jirafe order events as UpsertOrder requests and their update masks; pure: no I/O, no HTTP."""

from collections.abc import Mapping
from typing import Any

from google.protobuf import field_mask_pb2
from orderbridge.v1 import order_service_pb2

from adapters.jirafe.translate import (
    VENDOR,
    cancellation_from_jirafe,
    event_kind,
    order_from_jirafe,
)

# Jirafe event field → the canonical fields it carries, for the update mask of an upsert: an
# event replaces only what it carries, so a late order-placed never wipes an accepted order.
MASK_PATHS_BY_FIELD: dict[str, tuple[str, ...]] = {
    "order_number": ("order_number",),
    "cart_id": ("cart_id",),
    "order_date": ("place_time",),
    "visit": ("attribution",),
    "change_date": ("vendor_update_time",),
    "delivery_address": ("shipping_destinations",),
    "payment_address": ("billing_address",),
    "currency": ("currency_code",),
    "subtotal": ("subtotal",),
    "total": ("total",),
    "total_tax": ("tax_total",),
    "total_shipping": ("shipping_total",),
    "total_payment_cost": ("payment_cost_total",),
    "total_discounts": ("discount_total",),
    "items": ("line_items",),
    "previous_items": ("previous_line_items",),
}
# Customer fields one by one, so Jirafe never clears what another vendor knows (locale, account).
CUSTOMER_MASK_PATHS: dict[str, str] = {
    "id": "customer.id",
    "email": "customer.email",
    "first_name": "customer.name.given_name",
    "last_name": "customer.name.family_name",
    "name": "customer.name.full_name",
    "phone": "customer.phone.number",
    "create_date": "customer.create_time",
    "change_date": "customer.update_time",
    "marketing_opt_in": "customer.email_opt_in",
}
# An order-accepted event states the order is confirmed and paid; it says nothing of shipping,
# so fulfillment_state is set when the event creates the order but never overwritten.
ACCEPTED_STATE_MASK_PATHS = ("lifecycle_state", "payment_state", "native_status")
# An order-cancelled event cancels: it says nothing else an existing order should take from it.
CANCELLED_STATE_MASK_PATHS = ("lifecycle_state", "cancel_time")
# Only Jirafe's entry of the vendor_data map (AIP-161 map-key path), never the other vendors'.
VENDOR_DATA_MASK_PATH = f"vendor_data.{VENDOR}"


def _mask_paths(kind: str, event: Mapping[str, Any]) -> list[str]:
    paths: list[str] = []
    for field, canonical_paths in MASK_PATHS_BY_FIELD.items():
        if field in event:
            paths.extend(canonical_paths)
    paths.extend(path for field, path in CUSTOMER_MASK_PATHS.items() if field in event["customer"])
    if kind == "accepted":
        # An order-placed event neither moves an existing order back to pending nor replaces
        # the residue an order-accepted event left; it sets them only when it creates the order.
        paths.extend(ACCEPTED_STATE_MASK_PATHS)
        paths.append(VENDOR_DATA_MASK_PATH)
    return paths


def upsert_request_from_jirafe(
    parent: str, event: Mapping[str, Any]
) -> order_service_pb2.UpsertOrderRequest:
    """The upsert any order event asks for, keyed by its order_number: one call per event.

    The update mask names only the canonical fields the event carries (external_refs never:
    the order was found by its Jirafe reference and may hold other vendors' ones). An
    order-cancelled event changes only the lifecycle and cancel time of the order it names; for
    a number never seen it keeps the cancelled order whole rather than lose it. Being upserts,
    the events of a batch apply in the order they were sent.
    """
    kind = event_kind(event)
    if kind == "cancelled":
        cancellation_from_jirafe(event)  # the order_number it must name, and its cancel_date
    # Validates the event before its fields are read for the mask.
    order = order_from_jirafe(event)
    paths = list(CANCELLED_STATE_MASK_PATHS) if kind == "cancelled" else _mask_paths(kind, event)
    return order_service_pb2.UpsertOrderRequest(
        parent=parent,
        order=order,
        key_source=VENDOR,
        update_mask=field_mask_pb2.FieldMask(paths=paths),
    )
