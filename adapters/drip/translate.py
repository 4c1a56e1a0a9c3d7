"""Drip v2 orders and refunds ↔ orderbridge.v1 entry points: pure; no I/O, only TranslationError."""

# Every Drip field with a canonical home is mapped to it (README.md, "Vendor mappings"); what
# is left travels in ``Order.vendor_data["drip"]["residue_json"]`` (adapters.codec) so a
# same-vendor round trip is exact. The work is done by role: _read (Drip → canonical and the
# residue), _emit (canonical → Drip); validation and
# Drip's error objects are in errors, the static data in catalogs. Request bodies become
# service requests in requests.

from collections.abc import Mapping
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.codec import Residue, restore, store, stored
from adapters.drip._emit import emitted_order, emitted_refund
from adapters.drip._read import canonical_order, canonical_refund, note_order
from adapters.drip.catalogs import (
    DRIP_FULFILLMENT_STATE_BY_FULFILLMENT_STATE,
    FINANCIAL_LABELS,
    FINANCIAL_STATE_BY_PAYMENT_STATE,
    FULFILLMENT_LABELS,
    FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE,
    LIFECYCLE_STATE_BY_CANCELLED,
    PAYMENT_STATE_BY_FINANCIAL_STATE,
    VENDOR,
)
from adapters.drip.errors import validated
from adapters.drip.models import DripOrder, DripRefund
from adapters.jsonvalues import plain_json
from adapters.residue import apply_residue, residue_from_struct
from adapters.states import native_status_code

# ---------------------------------------------------------------------------------------------
# Drip → canonical


def order_from_drip(payload: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order for one Drip order (a request element or the order object)."""
    drip_order = validated(DripOrder, payload)
    states = states_from_drip(
        drip_order.financial_state,
        drip_order.fulfillment_state,
        cancelled=drip_order.cancelled_at is not None,
    )
    order = canonical_order(drip_order, states)
    # Drip carries no secrets (no payment tokens or card numbers), so nothing is stripped; the
    # order object's server-assigned fields are not kept (see _read.as_request_element).
    residue = Residue()
    note_order(drip_order, payload, order, residue)
    store(order.vendor_data, VENDOR, residue)
    return order


def refund_from_drip(
    refund: Mapping[str, Any], currency_code: str
) -> tuple[order_pb2.ExternalRef, order_pb2.Refund]:
    """The refunded order's reference and the canonical refund, in the order's currency."""
    return canonical_refund(validated(DripRefund, plain_json(refund)), currency_code)


def states_from_drip(
    financial_state: str | None, fulfillment_state: str | None, cancelled: bool
) -> tuple[Any, Any, Any, order_pb2.NativeStatus]:
    """The (lifecycle, payment, fulfillment) triple and native status of a Drip order status."""
    payment = PAYMENT_STATE_BY_FINANCIAL_STATE.get(
        financial_state or "", order_pb2.PAYMENT_STATE_UNSPECIFIED
    )
    fulfillment = FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE.get(
        fulfillment_state or "", order_pb2.FULFILLMENT_STATE_UNSPECIFIED
    )
    label_parts = [
        FINANCIAL_LABELS.get(financial_state or "", "No financial state"),
        FULFILLMENT_LABELS.get(fulfillment_state or "", "no fulfillment state"),
    ]
    if cancelled:
        label_parts.append("cancelled")
    native = order_pb2.NativeStatus(
        source=VENDOR,
        code=f"{financial_state or ''}/{fulfillment_state or ''}",
        label=", ".join(label_parts),
    )
    return LIFECYCLE_STATE_BY_CANCELLED[cancelled], payment, fulfillment, native


# ---------------------------------------------------------------------------------------------
# Canonical → Drip


def order_to_drip(order: order_pb2.Order) -> dict[str, Any]:
    """One Drip order element for any canonical order; exact for orders that came from Drip."""
    payload = _emitted(order)
    if VENDOR in order.vendor_data:
        # Orders stored before the residue engine carry a list of edits instead.
        payload = apply_residue(payload, residue_from_struct(order.vendor_data[VENDOR]))
        payload = restore(payload, stored(order.vendor_data, VENDOR))
    validated(DripOrder, payload)  # what goes out must be a valid Drip order
    return payload


def refund_to_drip(order_ref: order_pb2.ExternalRef, refund: order_pb2.Refund) -> dict[str, Any]:
    """The Drip refund element for a canonical refund of the order `order_ref` names."""
    payload = emitted_refund(order_ref, refund)
    validated(DripRefund, payload)
    return payload


def drip_states_for(order: order_pb2.Order) -> tuple[str | None, str | None]:
    """Drip's (financial_state, fulfillment_state) for an order: its own Drip status when that
    still describes the order, else the closest values from the state tables."""
    code = native_status_code(order, VENDOR, lambda code: _describes(code, order))
    if code is not None:
        financial, fulfillment = (part or None for part in code.split("/"))
        return financial, fulfillment
    return (
        FINANCIAL_STATE_BY_PAYMENT_STATE.get(order.payment_state),
        DRIP_FULFILLMENT_STATE_BY_FULFILLMENT_STATE.get(order.fulfillment_state),
    )


def _describes(code: str, order: order_pb2.Order) -> bool:
    """Whether a "financial/fulfillment" code still maps to the order's payment and fulfillment
    states (a cancellation is Drip's cancelled_at, not part of the code)."""
    if code.count("/") != 1:
        return False
    financial, fulfillment = (part or None for part in code.split("/"))
    if financial is not None and financial not in PAYMENT_STATE_BY_FINANCIAL_STATE:
        return False
    if fulfillment is not None and fulfillment not in FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE:
        return False
    _, payment, fulfilled, _ = states_from_drip(financial, fulfillment, cancelled=False)
    return bool(payment == order.payment_state and fulfilled == order.fulfillment_state)


def _emitted(order: order_pb2.Order) -> dict[str, Any]:
    """The Drip order element for the canonical fields alone, in the states Drip would show."""
    return emitted_order(order, *drip_states_for(order))
