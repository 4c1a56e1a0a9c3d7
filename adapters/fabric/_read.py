"""fabric JSON → canonical: validation, secrets stripped, the order's parts; never writes JSON."""

# Raises only TranslationError, naming the fabric field ("items[0].price").

import copy
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2
from pydantic import BaseModel, ValidationError

from adapters.errors import TranslationError
from adapters.fabric._numbers import id_value, text_of
from adapters.fabric.catalogs import (
    DOCUMENT_ID_SOURCE,
    LABEL_BY_STATUS,
    ORDER_ID_SOURCE,
    STATES_BY_STATUS,
    VENDOR,
)
from adapters.fabric.models import (
    FabricAddress,
    FabricItem,
    FabricName,
    FabricOrder,
    FabricPayment,
    FabricPhone,
    FabricShipTo,
)
from adapters.money import money_from_decimal
from adapters.secrets import without_payment_secrets
from adapters.times import parse_iso8601

_MISSING = object()
_ModelT = TypeVar("_ModelT", bound=BaseModel)


# Validation and secrets.


def validated(model_type: type[_ModelT], payload: Mapping[str, Any]) -> _ModelT:
    """The payload as `model_type`; TranslationError naming the first invalid fabric field."""
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


def without_secrets(payload: Any) -> Any:
    """A copy with every paymentToken removed and every cardIdentifier cut to its last four
    digits (written as order_to_fabric writes them), then each payments[] object without payment
    tokens and with any other card number masked (adapters.secrets), so no secret is kept."""
    if not isinstance(payload, Mapping):
        return payload  # not an order object: validated rejects it
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
                value["cardIdentifier"] = id_value(last4)
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


# The order's parts.


def order_from_model(model: FabricOrder) -> order_pb2.Order:
    """The canonical order for a validated fabric order, without its residue (translate's)."""
    currency = model.orderCurrency
    order = order_pb2.Order(
        currency_code=currency,
        order_number=model.orderId or "",
        cart_id=model.cartId or "",
        channel=text_of(model.channel) if model.channel is not None else "",
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
    # of an order not paid yet (see _emit.payload_from_order): an address, not a payment.
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
        id=text_of(ship_to.shipToId),
        carrier=ship_to.shipmentCarrier or "",
        method=ship_to.shipmentMethod or "",
        method_id=text_of(ship_to.shipmentMethodId),
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
        line_number=text_of(item.lineItemId),
        sku=text_of(item.sku),
        name=item.title or "",
        quantity=item.quantity or 0,
        destination_id=text_of(item.shipToId),
        tax_code=item.taxCode or "",
    )
    if item.itemId is not None:
        line.product.id = text_of(item.itemId)
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
        billing_address_id=text_of(payment.billToId),
        destination_ids=[text_of(ship_to_id) for ship_to_id in payment.shipToId or []],
        conversion_rate=text_of(payment.conversion),
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
        postal_code=text_of(address.zipCode),
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
