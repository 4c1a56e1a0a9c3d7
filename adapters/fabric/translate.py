"""fabric OMS v1 order JSON ↔ orderbridge.v1.Order entry points: pure, no I/O, no payment token."""

# Raises only TranslationError, naming the fabric field ("items[0].price"). Sources: the fabric
# reference page "Create subscriptions orders" (tests/seeds/003_*.txt) and README.md, "Vendor
# mappings". The work is done by role: _read (fabric → canonical and the residue of what it did
# not map, secrets stripped first), _emit (canonical → fabric), _numbers (JSON numbers and ids ↔
# text), adapters.codec (the residue kept and put back); the static data is in catalogs. A POST
# body becomes an UpsertOrderRequest in requests.

from collections.abc import Mapping
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.codec import Residue, restore, stored
from adapters.fabric._emit import payload_from_order
from adapters.fabric._intake import store_residue, validated, without_payment_card_numbers
from adapters.fabric._read import order_from_model
from adapters.fabric.catalogs import (
    DEFAULT_STATUS,
    STATES_BY_STATUS,
    STATUS_BY_FULFILLMENT,
    STATUS_BY_LIFECYCLE,
    STATUS_BY_PAYMENT,
    UNFULFILLED_STATUS_BY_LIFECYCLE,
    UNFULFILLED_STATUS_BY_PAYMENT,
    VENDOR,
)
from adapters.fabric.models import FabricOrder
from adapters.jsonvalues import require_json_values
from adapters.residue import apply_residue, residue_from_struct
from adapters.states import code_or_closest


def order_from_fabric(payload: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order for a fabric order object (the 200 response shape, read leniently).

    Raises TranslationError naming the fabric field (``items[0].price``) for anything invalid.
    """
    # Card numbers in payments go first, so that no canonical field ever sees one.
    raw = without_payment_card_numbers(payload)
    model = validated(FabricOrder, raw)
    residue = Residue()
    try:
        order = order_from_model(model, raw, residue)
        store_residue(order, residue)
    except (ValueError, UnicodeEncodeError):
        # Something the JSON writer cannot write back (a lone surrogate, a float, an integer
        # past 64 bits): named by its path. Only a payload built by hand gets here.
        require_json_values(payload)
        raise
    return order


def order_to_fabric(order: order_pb2.Order) -> dict[str, Any]:
    """The fabric order object (200 response shape) for any canonical order, from any vendor."""
    payload = payload_from_order(order, status_for_order(order))
    if VENDOR in order.vendor_data:
        # Orders stored before the residue engine carry a list of edits instead.
        payload = apply_residue(payload, residue_from_struct(order.vendor_data[VENDOR]))
        payload = restore(payload, stored(order.vendor_data, VENDOR))
    return payload


def status_for_order(order: order_pb2.Order) -> str:
    """The fabric status for the order: its native fabric code while that still matches its
    states, else the closest one derived from the state triple."""
    return code_or_closest(
        order, VENDOR, STATES_BY_STATUS, lambda states: status_for_states(*states)
    )


def status_for_states(
    lifecycle: order_pb2.LifecycleState,
    payment: order_pb2.PaymentState,
    fulfillment: order_pb2.FulfillmentState,
) -> str:
    """The closest fabric status for a canonical state triple (see the tables in catalogs)."""
    return (
        STATUS_BY_LIFECYCLE.get(lifecycle)
        or STATUS_BY_PAYMENT.get(payment)
        or STATUS_BY_FULFILLMENT.get(fulfillment)
        or UNFULFILLED_STATUS_BY_LIFECYCLE.get(lifecycle)
        or UNFULFILLED_STATUS_BY_PAYMENT.get(payment)
        or DEFAULT_STATUS
    )
