"""fabric OMS v1 order JSON ↔ orderbridge.v1.Order; pure, no I/O, never keeps a payment token."""

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from pydantic import BaseModel, ValidationError

from adapters.errors import TranslationError
from adapters.fabric.models import (
    FabricAddress,
    FabricItem,
    FabricName,
    FabricOrder,
    FabricOrderRequest,
    FabricPayment,
    FabricPhone,
    FabricShipTo,
)
from adapters.jsonvalues import require_json_values
from adapters.money import decimal_from_money, money_from_decimal
from adapters.residue import apply_residue, residue_between, residue_from_struct, residue_to_value
from adapters.secrets import without_payment_secrets
from adapters.states import States, code_or_closest
from adapters.times import format_iso8601, parse_iso8601

VENDOR = "fabric"
# ExternalRef sources: fabric's order number (orderId) and its document id (_id).
ORDER_ID_SOURCE = "fabric"
DOCUMENT_ID_SOURCE = "fabric:_id"
# ISO 4217 "no currency": emitted for an order that carries no currency and so no amounts.
NO_CURRENCY = "XXX"
# Every destination of a canonical order has a postal address; fabric's example names that
# kind of ship-to "SHIP_TO_ADDRESS" (other values survive a round trip through the residue).
DEFAULT_SHIP_TO_TYPE = "SHIP_TO_ADDRESS"

# (lifecycle_state, payment_state, fulfillment_state).

# Each of fabric's 14 statuses (seed 003, `status` enum) as exactly one canonical state triple.
STATES_BY_STATUS: dict[str, States] = {
    "ORDER_CREATED": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_PENDING,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_PAYMENT_AUTHORIZED": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_AUTHORIZED,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_PAYMENT_INVALID": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_DECLINED,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_CONFIRMED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PENDING,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_CANCELLED": (
        order_pb2.LIFECYCLE_STATE_CANCELLED,
        order_pb2.PAYMENT_STATE_VOIDED,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_PARTIALLY_FULFILLED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED,
    ),
    "ORDER_FULFILLED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_FULFILLED,
    ),
    "ORDER_PARTIALLY_SHIPPED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED,
    ),
    "ORDER_SHIPPED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_SHIPPED,
    ),
    "ORDER_PARTIALLY_DELIVERED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED,
    ),
    "ORDER_DELIVERED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_DELIVERED,
    ),
    "ORDER_PARTIALLY_RETURNED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED,
    ),
    "ORDER_RETURNED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_RETURNED,
    ),
    "ORDER_REFUNDED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_REFUNDED,
        order_pb2.FULFILLMENT_STATE_RETURNED,
    ),
}

# fabric sends no status label; these are the human wordings Orderbridge shows for its codes.
LABEL_BY_STATUS: dict[str, str] = {
    "ORDER_CREATED": "Order created",
    "ORDER_PAYMENT_AUTHORIZED": "Payment authorized",
    "ORDER_PAYMENT_INVALID": "Payment invalid",
    "ORDER_CONFIRMED": "Order confirmed",
    "ORDER_CANCELLED": "Order cancelled",
    "ORDER_PARTIALLY_FULFILLED": "Partially fulfilled",
    "ORDER_FULFILLED": "Fulfilled",
    "ORDER_PARTIALLY_SHIPPED": "Partially shipped",
    "ORDER_SHIPPED": "Shipped",
    "ORDER_PARTIALLY_DELIVERED": "Partially delivered",
    "ORDER_DELIVERED": "Delivered",
    "ORDER_PARTIALLY_RETURNED": "Partially returned",
    "ORDER_RETURNED": "Returned",
    "ORDER_REFUNDED": "Refunded",
}

# The reverse, for an order whose native status is not a fabric code matching its states.
# Checked in this order: lifecycle, then payment, then fulfillment, then the pre-fulfillment
# tables; the first hit wins, else DEFAULT_STATUS. Each status's own triple leads back to it.
STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, str] = {
    order_pb2.LIFECYCLE_STATE_CANCELLED: "ORDER_CANCELLED",
}
STATUS_BY_PAYMENT: dict[order_pb2.PaymentState, str] = {
    order_pb2.PAYMENT_STATE_REFUNDED: "ORDER_REFUNDED",
    order_pb2.PAYMENT_STATE_DECLINED: "ORDER_PAYMENT_INVALID",
}
STATUS_BY_FULFILLMENT: dict[order_pb2.FulfillmentState, str] = {
    order_pb2.FULFILLMENT_STATE_RETURNED: "ORDER_RETURNED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED: "ORDER_PARTIALLY_RETURNED",
    order_pb2.FULFILLMENT_STATE_DELIVERED: "ORDER_DELIVERED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED: "ORDER_PARTIALLY_DELIVERED",
    order_pb2.FULFILLMENT_STATE_SHIPPED: "ORDER_SHIPPED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED: "ORDER_PARTIALLY_SHIPPED",
    order_pb2.FULFILLMENT_STATE_FULFILLED: "ORDER_FULFILLED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED: "ORDER_PARTIALLY_FULFILLED",
}
# Nothing fulfilled yet (unfulfilled, awaiting pickup or shipment, unspecified).
UNFULFILLED_STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, str] = {
    order_pb2.LIFECYCLE_STATE_CONFIRMED: "ORDER_CONFIRMED",
    order_pb2.LIFECYCLE_STATE_COMPLETED: "ORDER_CONFIRMED",
}
UNFULFILLED_STATUS_BY_PAYMENT: dict[order_pb2.PaymentState, str] = {
    order_pb2.PAYMENT_STATE_AUTHORIZED: "ORDER_PAYMENT_AUTHORIZED",
    order_pb2.PAYMENT_STATE_PARTIALLY_PAID: "ORDER_PAYMENT_AUTHORIZED",
    order_pb2.PAYMENT_STATE_PAID: "ORDER_PAYMENT_AUTHORIZED",
}
DEFAULT_STATUS = "ORDER_CREATED"

_INTEGER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# The integers adapters.jsonvalues (orjson) writes as JSON integers; a larger one is emitted
# from its exact Decimal text instead.
_INT64 = range(-(2**63), 2**63)
# The longest integer text that can be in _INT64 ("-9223372036854775808"); longer digit runs
# (an id of 5000 digits: Python reads at most 4300 as an int) are never converted to int.
_INT64_TEXT_LENGTH = len(str(-(2**63)))
_MISSING = object()
_ModelT = TypeVar("_ModelT", bound=BaseModel)


# ---------------------------------------------------------------------------- entry points


def order_from_fabric(payload: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order for a fabric order object (the 200 response shape, read leniently).

    Raises TranslationError naming the fabric field (``items[0].price``) for anything invalid.
    """
    require_json_values(payload)
    # Secrets go first, so that neither the canonical fields nor the residue ever see them.
    original = _without_secrets(payload)
    model = _validated(FabricOrder, original)
    order = _order_from_model(model)
    residue = residue_between(original, order_to_fabric(order))
    if residue:
        order.vendor_data[VENDOR].fields["residue"].CopyFrom(residue_to_value(residue))
    return order


def order_to_fabric(order: order_pb2.Order) -> dict[str, Any]:
    """The fabric order object (200 response shape) for any canonical order, from any vendor."""
    payload = _payload_from_order(order)
    if VENDOR in order.vendor_data:
        payload = apply_residue(payload, residue_from_struct(order.vendor_data[VENDOR]))
    return payload


def upsert_request_from_fabric(
    parent: str, body: Mapping[str, Any]
) -> order_service_pb2.UpsertOrderRequest:
    """The UpsertOrder call for a POST /api-order/subscriptions/orders body.

    The body is checked against the documented request rules first. fabric assigns orderId itself
    and its request rules do not list it, so when the body carries none the order is keyed (and
    numbered) by its orderReference, else by its cartId: re-sending the body updates that order.
    """
    require_json_values(body)
    request = _validated(FabricOrderRequest, body)
    order = order_from_fabric(body)
    if not request.orderId:
        key = request.orderReference or request.cartId
        order.order_number = key
        order.external_refs.append(order_pb2.ExternalRef(source=ORDER_ID_SOURCE, id=key))
    return order_service_pb2.UpsertOrderRequest(
        parent=parent, order=order, key_source=ORDER_ID_SOURCE
    )


def lookup_request_for_order_id(parent: str, order_id: str) -> order_service_pb2.LookupOrderRequest:
    """The LookupOrder call for GET /api-order/orders/orderNumber/{orderId}."""
    return order_service_pb2.LookupOrderRequest(
        parent=parent, external_ref=order_pb2.ExternalRef(source=ORDER_ID_SOURCE, id=order_id)
    )


def error_code_for(error: TranslationError) -> str:
    """A stable fabric-style errorCode for a rejected body: "INVALID_" + the top-level field.

    cartId → "INVALID_CART_ID", shipTo[0].price → "INVALID_SHIP_TO"; a body that is not an
    object → "INVALID_REQUEST_BODY".
    """
    head = re.split(r"[.\[]", error.field, maxsplit=1)[0].lstrip("_")
    if not head:
        return "INVALID_REQUEST_BODY"
    return "INVALID_" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", head).upper()


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
    """The closest fabric status for a canonical state triple (see the tables above)."""
    return (
        STATUS_BY_LIFECYCLE.get(lifecycle)
        or STATUS_BY_PAYMENT.get(payment)
        or STATUS_BY_FULFILLMENT.get(fulfillment)
        or UNFULFILLED_STATUS_BY_LIFECYCLE.get(lifecycle)
        or UNFULFILLED_STATUS_BY_PAYMENT.get(payment)
        or DEFAULT_STATUS
    )


# ------------------------------------------------------------------- validation and secrets


def _validated(model_type: type[_ModelT], payload: Mapping[str, Any]) -> _ModelT:
    if not isinstance(payload, Mapping):
        raise TranslationError("", "expected a JSON object")
    try:
        return model_type.model_validate(dict(payload))
    except ValidationError as error:
        first = error.errors()[0]
        path = _vendor_path(payload, first["loc"], missing=first["type"] == "missing")
        raise TranslationError(path, first["msg"]) from None


def _vendor_path(payload: Any, loc: Sequence[int | str], *, missing: bool) -> str:
    """The fabric path of a pydantic error location, without pydantic's union-member labels
    (("zipCode", "int") → "zipCode"): only steps that exist in the payload are kept, plus the
    last one when the field is missing."""
    steps: list[int | str] = []
    node = payload
    for index, step in enumerate(loc):
        child = _child(node, step)
        if child is _MISSING and not (missing and index == len(loc) - 1):
            break
        steps.append(step)
        node = child
    return _join_path(steps)


def _child(node: Any, step: int | str) -> Any:
    if isinstance(node, Mapping) and isinstance(step, str):
        return node.get(step, _MISSING)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return _MISSING


def _join_path(steps: Iterable[int | str]) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _without_secrets(payload: Any) -> Any:
    """A copy with every paymentToken removed and every cardIdentifier cut to its last four
    digits (written as order_to_fabric writes them), then each payments[] object without payment
    tokens and with any other card number masked (adapters.secrets), so no secret is kept."""
    if not isinstance(payload, Mapping):
        return payload  # not an order object: _validated rejects it
    cleaned = copy.deepcopy(dict(payload))
    _strip_secrets(cleaned)
    if isinstance(cleaned.get("payments"), list):
        cleaned["payments"] = [without_payment_secrets(item) for item in cleaned["payments"]]
    return cleaned


def _strip_secrets(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("paymentToken", None)
        if "cardIdentifier" in value:
            last4 = _card_last4(value["cardIdentifier"])
            if last4:
                value["cardIdentifier"] = _id_value(last4)
            else:
                del value["cardIdentifier"]
        for item in value.values():
            _strip_secrets(item)
    elif isinstance(value, list):
        for item in value:
            _strip_secrets(item)


def _card_last4(identifier: object) -> str:
    if isinstance(identifier, bool) or not isinstance(identifier, int | str):
        return ""
    return "".join(character for character in str(identifier) if character.isdigit())[-4:]


# ------------------------------------------------------------------------ fabric → canonical


def _order_from_model(model: FabricOrder) -> order_pb2.Order:
    currency = model.orderCurrency
    order = order_pb2.Order(
        currency_code=currency,
        order_number=model.orderId or "",
        cart_id=model.cartId or "",
        channel=_text(model.channel) if model.channel is not None else "",
        tags=model.tags or [],
        staff_notes=model.notes or "",
        status_message=model.statusLog or "",
        revision=model.revision or 0,
    )
    if model.orderId:
        order.external_refs.add(source=ORDER_ID_SOURCE, id=model.orderId)
    if model.id:
        order.external_refs.add(source=DOCUMENT_ID_SOURCE, id=model.id)
    _set_states(order, model.status)
    _set_time(order.place_time, model.createdAt, "createdAt")
    _set_time(order.vendor_update_time, model.updatedAt, "updatedAt")
    _set_money(order.total, model.orderTotal, currency, "orderTotal")
    _set_money(order.tax_total, model.taxTotal, currency, "taxTotal")
    _set_customer(order.customer, model)
    for index, ship_to in enumerate(model.shipTo or []):
        order.shipping_destinations.append(
            _destination_from_ship_to(ship_to, currency, f"shipTo[{index}]")
        )
    for index, item in enumerate(model.items or []):
        order.line_items.append(_line_item_from_item(item, currency, f"items[{index}]"))
    payments = [
        _payment_from_fabric(payment, currency, f"payments[{index}]")
        for index, payment in enumerate(model.payments or [])
    ]
    # A lone payment holding nothing but its bill-to is how fabric carries the billing address
    # of an order not paid yet (see _payload_from_order): an address, not a payment.
    if not (len(payments) == 1 and _is_bill_to_only(payments[0])):
        order.payments.extend(payments)
    # fabric keeps the bill-to on each payment; the first one also becomes the order's billing
    # address so that other doors (BigCommerce, Drip, Jirafe) see it.
    for canonical_payment in payments:
        if canonical_payment.HasField("billing_address"):
            order.billing_address.CopyFrom(canonical_payment.billing_address)
            break
    return order


def _is_bill_to_only(payment: order_pb2.Payment) -> bool:
    if not payment.HasField("billing_address"):
        return False
    bare = order_pb2.Payment()
    bare.CopyFrom(payment)
    bare.ClearField("billing_address")
    return bare == order_pb2.Payment()


def _set_states(order: order_pb2.Order, status: str) -> None:
    lifecycle, payment, fulfillment = STATES_BY_STATUS[status]
    order.lifecycle_state = lifecycle
    order.payment_state = payment
    order.fulfillment_state = fulfillment
    order.native_status.CopyFrom(
        order_pb2.NativeStatus(source=VENDOR, code=status, label=LABEL_BY_STATUS[status])
    )


def _set_customer(customer: order_pb2.Customer, model: FabricOrder) -> None:
    if model.customerUserId is not None:
        customer.id = model.customerUserId
    if model.customerAccountId is not None:
        customer.account_id = model.customerAccountId
    if model.customerEmail is not None:
        customer.email = model.customerEmail
    if model.customerPhone is not None:
        customer.phone.CopyFrom(_phone_from_fabric(model.customerPhone))


def _destination_from_ship_to(
    ship_to: FabricShipTo, order_currency: str, path: str
) -> order_pb2.ShippingDestination:
    currency = ship_to.currency or order_currency
    destination = order_pb2.ShippingDestination(
        id=_text(ship_to.shipToId),
        carrier=ship_to.shipmentCarrier or "",
        method=ship_to.shipmentMethod or "",
        method_id=_text(ship_to.shipmentMethodId),
        instructions=ship_to.shipmentInstructions or "",
        shipment_status=ship_to.shipmentStatus or "",
        tax_code=ship_to.taxCode or "",
    )
    if ship_to.address is not None:
        destination.address.CopyFrom(_address_from_fabric(ship_to.address))
    # The ship-to's own document id: the closest canonical home is the id of its address.
    if ship_to.id:
        destination.address.id = ship_to.id
    _set_money(destination.shipping_cost, ship_to.price, currency, f"{path}.price")
    _set_money(destination.shipping_tax, ship_to.estimatedTax, currency, f"{path}.estimatedTax")
    _set_money(destination.total, ship_to.total, currency, f"{path}.total")
    _set_time(
        destination.promised_delivery_time,
        ship_to.promisedDeliveryDate,
        f"{path}.promisedDeliveryDate",
    )
    return destination


def _line_item_from_item(item: FabricItem, order_currency: str, path: str) -> order_pb2.LineItem:
    currency = item.currency or order_currency
    line = order_pb2.LineItem(
        id=item.id or "",
        line_number=_text(item.lineItemId),
        sku=_text(item.sku),
        name=item.title or "",
        quantity=item.quantity or 0,
        destination_id=_text(item.shipToId),
        tax_code=item.taxCode or "",
    )
    if item.itemId is not None:
        line.product.id = _text(item.itemId)
    _set_money(line.unit_price, item.price, currency, f"{path}.price")
    _set_money(line.discount, item.discount, currency, f"{path}.discount")
    _set_money(line.tax, item.estimatedTax, currency, f"{path}.estimatedTax")
    _set_money(line.total, item.total, currency, f"{path}.total")
    return line


def _payment_from_fabric(
    payment: FabricPayment, order_currency: str, path: str
) -> order_pb2.Payment:
    currency = payment.currency or order_currency
    identifier = payment.paymentIdentifier
    result = order_pb2.Payment(
        id=payment.id or "",
        method=payment.paymentMethod or "",
        kind=payment.paymentKind or "",
        status=payment.paymentStatus or "",
        billing_address_id=_text(payment.billToId),
        destination_ids=[_text(ship_to_id) for ship_to_id in payment.shipToId or []],
        conversion_rate=_text(payment.conversion),
        # Only the last four digits of the card are kept; paymentToken is never read.
        card_last4=_card_last4(identifier.cardIdentifier) if identifier is not None else "",
    )
    if payment.billToAddress is not None:
        result.billing_address.CopyFrom(_address_from_fabric(payment.billToAddress))
    _set_money(result.amount, payment.amount, currency, f"{path}.amount")
    return result


def _address_from_fabric(address: FabricAddress) -> order_pb2.Address:
    result = order_pb2.Address(
        email=address.email or "",
        line1=address.street1 or "",
        line2=address.street2 or "",
        city=address.city or "",
        region=address.state or "",
        country=address.country or "",
        postal_code=_text(address.zipCode),
        kind=address.kind or "",
    )
    if address.name is not None:
        result.name.CopyFrom(_name_from_fabric(address.name))
    if address.phone is not None:
        result.phone.CopyFrom(_phone_from_fabric(address.phone))
    return result


def _name_from_fabric(name: FabricName) -> order_pb2.PersonName:
    return order_pb2.PersonName(
        given_name=name.first or "", middle_name=name.middle or "", family_name=name.last or ""
    )


def _phone_from_fabric(phone: FabricPhone) -> order_pb2.Phone:
    return order_pb2.Phone(number=phone.number or "", kind=phone.kind or "")


def _set_money(target: order_pb2.Money, amount: Decimal | None, currency: str, path: str) -> None:
    if amount is None:
        return
    try:
        target.CopyFrom(money_from_decimal(amount, currency))
    except TranslationError as error:
        raise error.under(path) from None
    except ValueError:  # units beyond int64
        raise TranslationError(path, f"{amount} is out of range", "range") from None


def _set_time(target: timestamp_pb2.Timestamp, value: str | None, path: str) -> None:
    if value is not None:
        target.CopyFrom(parse_iso8601(value, path))


def _text(value: int | str | Decimal | None) -> str:
    """Ids and numbers fabric writes as JSON numbers, kept as their digits."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


# ------------------------------------------------------------------------ canonical → fabric


def _payload_from_order(order: order_pb2.Order) -> dict[str, Any]:
    currency = order.currency_code or order.total.currency_code or NO_CURRENCY
    refs = {ref.source: ref.id for ref in reversed(order.external_refs)}
    payload: dict[str, Any] = {}
    if order.tags:
        payload["tags"] = list(order.tags)
    if refs.get(DOCUMENT_ID_SOURCE):
        payload["_id"] = refs[DOCUMENT_ID_SOURCE]
    channel = _json_number(order.channel)
    if channel is not None:
        payload["channel"] = channel
    # orderTotal and taxTotal are required by fabric's request rules; an order without them
    # has nothing to pay, so 0 is their value.
    payload["orderTotal"] = _json_amount(order.total) if order.HasField("total") else 0
    payload["taxTotal"] = _json_amount(order.tax_total) if order.HasField("tax_total") else 0
    payload["orderCurrency"] = currency
    payload["status"] = status_for_order(order)
    if order.status_message:
        payload["statusLog"] = order.status_message
    payload.update(_customer_fields(order.customer))
    order_id = refs.get(ORDER_ID_SOURCE) or order.order_number
    if order_id:
        payload["orderId"] = order_id
    payload["shipTo"] = [
        _ship_to_from_destination(destination, currency)
        for destination in order.shipping_destinations
    ]
    payload["items"] = [_item_from_line_item(line, currency) for line in order.line_items]
    # fabric keeps the bill-to on each payment. When no payment has one (an order from another
    # door), the order's billing address stands for all of them.
    shared_bill_to = (
        order.billing_address
        if not any(payment.HasField("billing_address") for payment in order.payments)
        else order_pb2.Address()
    )
    payload["payments"] = [
        _payment_to_fabric(payment, shared_bill_to, currency) for payment in order.payments
    ]
    if not order.payments and _address_to_fabric(order.billing_address):
        # seed 003: payments[].billToAddress is fabric's only bill-to. An order with a billing
        # address and no payment yet (from another door) answers a payment holding just that.
        payload["payments"] = [_payment_to_fabric(order_pb2.Payment(), shared_bill_to, currency)]
    payload["revision"] = order.revision
    payload["totalQuantity"] = _json_integer(sum(line.quantity for line in order.line_items))
    _put_time(payload, "createdAt", _first_time(order, "place_time", "create_time"))
    _put_time(payload, "updatedAt", _first_time(order, "vendor_update_time", "update_time"))
    if order.cart_id:
        payload["cartId"] = order.cart_id
    if order.staff_notes:
        payload["notes"] = order.staff_notes
    return payload


def _first_time(order: order_pb2.Order, *fields: str) -> timestamp_pb2.Timestamp | None:
    """The vendor's own time when set (fabric createdAt/updatedAt), else Orderbridge's."""
    for field in fields:
        if order.HasField(field):
            stamp: timestamp_pb2.Timestamp = getattr(order, field)
            return stamp
    return None


def _customer_fields(customer: order_pb2.Customer) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if customer.id:
        fields["customerUserId"] = customer.id
    if customer.account_id:
        fields["customerAccountId"] = customer.account_id
    if customer.email:
        fields["customerEmail"] = customer.email
    phone = _phone_to_fabric(customer.phone)
    if phone:
        fields["customerPhone"] = phone
    return fields


def _ship_to_from_destination(
    destination: order_pb2.ShippingDestination, order_currency: str
) -> dict[str, Any]:
    ship_to: dict[str, Any] = {}
    address = _address_to_fabric(destination.address)
    if address:
        ship_to["address"] = address
    if destination.address.id:
        ship_to["_id"] = destination.address.id
    if destination.id:
        ship_to["shipToId"] = _id_value(destination.id)
    ship_to["shipToType"] = DEFAULT_SHIP_TO_TYPE
    _put_amount(ship_to, "price", destination, "shipping_cost")
    ship_to["currency"] = _currency_of(
        (destination.shipping_cost, destination.shipping_tax, destination.total), order_currency
    )
    _put_amount(ship_to, "estimatedTax", destination, "shipping_tax")
    _put_amount(ship_to, "total", destination, "total")
    _put_text(ship_to, "taxCode", destination.tax_code)
    _put_text(ship_to, "shipmentCarrier", destination.carrier)
    _put_text(ship_to, "shipmentMethod", destination.method)
    if destination.method_id:
        ship_to["shipmentMethodId"] = _id_value(destination.method_id)
    if destination.HasField("promised_delivery_time"):
        _put_time(ship_to, "promisedDeliveryDate", destination.promised_delivery_time)
    _put_text(ship_to, "shipmentInstructions", destination.instructions)
    _put_text(ship_to, "shipmentStatus", destination.shipment_status)
    return ship_to


def _item_from_line_item(line: order_pb2.LineItem, order_currency: str) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put_text(item, "_id", line.id)
    if line.line_number:
        item["lineItemId"] = _id_value(line.line_number)
    if line.product.id:
        item["itemId"] = _id_value(line.product.id)
    if line.sku:
        item["sku"] = _id_value(line.sku)
    _put_text(item, "title", line.name or line.product.name)
    item["quantity"] = line.quantity
    _put_amount(item, "price", line, "unit_price")
    _put_amount(item, "discount", line, "discount")
    item["currency"] = _currency_of((line.unit_price, line.tax, line.total), order_currency)
    if line.destination_id:
        item["shipToId"] = _id_value(line.destination_id)
    _put_amount(item, "estimatedTax", line, "tax")
    _put_amount(item, "total", line, "total")
    _put_text(item, "taxCode", line.tax_code)
    return item


def _payment_to_fabric(
    payment: order_pb2.Payment, shared_bill_to: order_pb2.Address, order_currency: str
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    address = _address_to_fabric(
        payment.billing_address if payment.HasField("billing_address") else shared_bill_to
    )
    if address:
        result["billToAddress"] = address
    if payment.destination_ids:
        result["shipToId"] = [_id_value(text) for text in payment.destination_ids]
    _put_text(result, "_id", payment.id)
    if payment.billing_address_id:
        result["billToId"] = _id_value(payment.billing_address_id)
    if payment.card_last4:
        result["paymentIdentifier"] = {"cardIdentifier": _id_value(payment.card_last4)}
    _put_text(result, "paymentMethod", payment.method)
    _put_text(result, "paymentKind", payment.kind)
    _put_amount(result, "amount", payment, "amount")
    result["currency"] = _currency_of((payment.amount,), order_currency)
    conversion = _json_number(payment.conversion_rate)
    if conversion is not None:
        result["conversion"] = conversion
    _put_text(result, "paymentStatus", payment.status)
    return result


def _address_to_fabric(address: order_pb2.Address) -> dict[str, Any]:
    result: dict[str, Any] = {}
    name = _name_to_fabric(address.name)
    if name:
        result["name"] = name
    phone = _phone_to_fabric(address.phone)
    if phone:
        result["phone"] = phone
    _put_text(result, "email", address.email)
    _put_text(result, "street1", address.line1)
    _put_text(result, "street2", address.line2)
    _put_text(result, "city", address.city)
    _put_text(result, "state", address.region)
    _put_text(result, "country", address.country or address.country_code)
    if address.postal_code:
        result["zipCode"] = _id_value(address.postal_code)
    _put_text(result, "kind", address.kind)
    return result


def _name_to_fabric(name: order_pb2.PersonName) -> dict[str, str]:
    first, middle, last = name.given_name, name.middle_name, name.family_name
    if not (first or middle or last):
        first, middle, last = _split_full_name(name.full_name)
    parts = {"first": first, "middle": middle, "last": last}
    return {key: value for key, value in parts.items() if value}


def _split_full_name(full_name: str) -> tuple[str, str, str]:
    """ "Mark P Styler" → first "Mark", middle "P", last "Styler"; one word is a first name."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    return words[0], " ".join(words[1:-1]), words[-1]


def _phone_to_fabric(phone: order_pb2.Phone) -> dict[str, str]:
    result: dict[str, str] = {}
    _put_text(result, "number", phone.number)
    _put_text(result, "kind", phone.kind)
    return result


def _currency_of(amounts: Iterable[order_pb2.Money], order_currency: str) -> str:
    for amount in amounts:
        if amount.currency_code:
            return amount.currency_code
    return order_currency


def _put_amount(target: dict[str, Any], key: str, message: Any, field: str) -> None:
    if message.HasField(field):
        target[key] = _json_amount(getattr(message, field))


def _put_text(target: dict[str, Any], key: str, value: str) -> None:
    if value:
        target[key] = value


def _put_time(target: dict[str, Any], key: str, stamp: timestamp_pb2.Timestamp | None) -> None:
    if stamp is None:
        return
    try:
        # fabric writes "2021-06-01T04:33:52.118Z" (seed 003: createdAt, promisedDeliveryDate).
        target[key] = format_iso8601(stamp, milliseconds=True)
    except (ValueError, OverflowError):  # a Timestamp outside years 1–9999 has no ISO form
        return


def _json_amount(money: order_pb2.Money) -> int | Decimal:
    """An amount as fabric writes it: a JSON integer when whole (10), else a decimal (4.5)."""
    amount = decimal_from_money(money)
    if amount == amount.to_integral_value():
        return int(amount)
    return amount.normalize()


def _json_number(text: str) -> int | Decimal | None:
    """Numeric text as a JSON number (channel "13" → 13, conversion "1.25"); None if not numeric."""
    if _INTEGER_TEXT.fullmatch(text):
        return _json_integer(int(text)) if len(text) <= _INT64_TEXT_LENGTH else Decimal(text)
    if _DECIMAL_TEXT.fullmatch(text):
        return Decimal(text)
    return None


def _id_value(text: str) -> int | str:
    """An id as fabric writes it: a JSON number when it is plain digits (shipToId 1000001), else
    text, so that "02134" keeps its leading zero."""
    if _INTEGER_TEXT.fullmatch(text) and len(text) <= _INT64_TEXT_LENGTH and int(text) in _INT64:
        return int(text)
    return text


def _json_integer(value: int) -> int | Decimal:
    """An integer as a JSON number: beyond 64 bits (a sum of int64 quantities, a 30-digit
    channel) it is written from its exact Decimal text, which adapters.jsonvalues can write."""
    return value if value in _INT64 else Decimal(value)
