"""fabric JSON → canonical: the order's parts and the residue of what they do not map; never
renders fabric JSON (the writer is _emit) nor validates it (_intake does, first)."""

# Raises only TranslationError, naming the fabric field ("items[0].price"). Each object's mapping
# declares the keys it consumes (the *_KEYS sets below); the rest of the object is kept in the
# residue as it came (adapters.codec), and a consumed value fabric spelled otherwise than _emit
# writes it (4.50 for 4.5, null or "" for nothing, a ship-to type other than the default) is
# noted with its spelling. Secrets never reach either: payments are cleaned before validation,
# and what is kept is cleaned again before it is stored.

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.codec import ABSENT, Path, Residue, same
from adapters.fabric._intake import card_last4, join_path, strip_secrets
from adapters.fabric._numbers import id_value, json_integer, json_number, text_of
from adapters.fabric.catalogs import (
    DEFAULT_SHIP_TO_TYPE,
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
from adapters.money import money_error
from adapters.times import format_iso8601, parse_iso8601
from core.money import AmountError, units_and_nanos

# The keys each object's mapping consumes; anything else in the object is kept as it came.
ORDER_KEYS = frozenset(
    {
        "tags", "_id", "channel", "orderTotal", "taxTotal", "orderCurrency", "status",
        "statusLog", "customerUserId", "customerAccountId", "customerEmail", "customerPhone",
        "orderId", "shipTo", "items", "payments", "revision", "totalQuantity", "createdAt",
        "updatedAt", "cartId", "notes",
    }
)  # fmt: skip
SHIP_TO_KEYS = frozenset(
    {
        "address", "_id", "shipToId", "shipToType", "price", "currency", "estimatedTax",
        "total", "taxCode", "shipmentCarrier", "shipmentMethod", "shipmentMethodId",
        "promisedDeliveryDate", "shipmentInstructions", "shipmentStatus",
    }
)  # fmt: skip
ITEM_KEYS = frozenset(
    {
        "_id", "lineItemId", "itemId", "sku", "title", "quantity", "price", "discount",
        "currency", "shipToId", "estimatedTax", "total", "taxCode",
    }
)  # fmt: skip
# paymentToken is consumed only to be dropped: a token is never kept (README, "Secrets").
PAYMENT_KEYS = frozenset(
    {
        "billToAddress", "shipToId", "_id", "billToId", "paymentIdentifier", "paymentMethod",
        "paymentToken", "paymentKind", "amount", "currency", "conversion", "paymentStatus",
    }
)  # fmt: skip
ADDRESS_KEYS = frozenset(
    {"name", "phone", "email", "street1", "street2", "city", "state", "country", "zipCode", "kind"}
)
NAME_KEYS = frozenset({"first", "middle", "last"})
PHONE_KEYS = frozenset({"number", "kind"})
IDENTIFIER_KEYS = frozenset({"cardIdentifier"})

# What _emit writes for a consumed key whose value is null or "" (nothing, unless listed here),
# and the keys whose written value depends on the rest of the order (noted by their readers).
_WRITTEN_WHEN_EMPTY: dict[str, Any] = {
    "orderTotal": 0, "taxTotal": 0, "shipTo": [], "items": [], "payments": [], "revision": 0,
    "quantity": 0,
}  # fmt: skip
_DERIVED = frozenset({"currency", "totalQuantity", "shipToType"})
# The form _emit writes times in (seed 003: "2021-06-01T04:33:52.118Z").
_WRITTEN_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")


# Spellings: how fabric wrote a consumed value, where _emit would write it otherwise.


def _note_empties(residue: Residue, raw: Mapping[str, Any], path: Path) -> None:
    """Null or "" where _emit writes nothing (or its default for the key)."""
    residue.note_empties(raw, path, skip=_DERIVED, written_when_empty=_WRITTEN_WHEN_EMPTY)


def _note_absent_defaults(
    residue: Residue, raw: Mapping[str, Any], keys: Iterable[str], path: Path
) -> None:
    """Keys fabric left out that _emit always writes (its default for them)."""
    for key in keys:
        if key not in raw:
            residue.spell((*path, key), _WRITTEN_WHEN_EMPTY[key], ABSENT)


def _note_id(residue: Residue, raw: Mapping[str, Any], key: str, path: Path) -> None:
    """An id _emit writes as a number when it is plain digits (shipToId 1000001), else text."""
    value = raw.get(key)
    if value is None or value == "":  # empties are noted on their own
        return
    if type(value) is int and -(2**63) <= value < 2**63:  # written as the same int
        return
    text = text_of(value)
    residue.note(raw, key, id_value(text) if text else ABSENT, path)


def _note_amount(residue: Residue, raw: Mapping[str, Any], key: str, path: Path) -> None:
    """An amount _emit writes as an integer when whole (10), else normalized (4.5)."""
    value = raw.get(key)
    if type(value) is not Decimal:  # an int is written as the int; null is an empty
        return
    _sign, digits, exponent = value.as_tuple()
    if type(exponent) is int and exponent < 0 and digits[-1]:
        return  # a fraction ending in a non-zero digit (4.55): _emit writes it as it is
    written: int | Decimal = int(value) if value == value.to_integral_value() else value.normalize()
    if not same(written, value):
        residue.spell((*path, key), written, value)


def _note_time(
    residue: Residue, raw: Mapping[str, Any], key: str, stamp: timestamp_pb2.Timestamp, path: Path
) -> None:
    value = raw.get(key)
    if value is None or (type(value) is str and _WRITTEN_TIME.fullmatch(value)):
        return  # already in _emit's form, which parses back to the same text
    try:
        written = format_iso8601(stamp, milliseconds=True)
    except (ValueError, OverflowError):  # no ISO form: _emit writes nothing
        written = ABSENT
    if written != value:
        residue.spell((*path, key), written, value)


def _note_currency(
    residue: Residue,
    raw: Mapping[str, Any],
    amount_keys: Iterable[str],
    order_currency: str,
    path: Path,
) -> None:
    """_emit writes the object's currency: its own when it has an amount, else the order's."""
    own = raw.get("currency")
    has_amount = any(raw.get(key) is not None for key in amount_keys)
    written = (own or order_currency) if has_amount else order_currency
    residue.note(raw, "currency", written, path)


# The order's parts.


def order_from_model(
    model: FabricOrder, raw: Mapping[str, Any], residue: Residue
) -> order_pb2.Order:
    """The canonical order for a validated fabric order (`raw`: the JSON it was validated from),
    telling `residue` what the mapping did not consume."""
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
    _set_money(order.total, model.orderTotal, currency, (), "orderTotal")
    _set_money(order.tax_total, model.taxTotal, currency, (), "taxTotal")
    _set_customer(order.customer, model)
    ship_tos = raw.get("shipTo") or []
    for index, ship_to in enumerate(model.shipTo or []):
        order.shipping_destinations.append(
            _destination_from_ship_to(
                ship_to, ship_tos[index], currency, ("shipTo", index), residue
            )
        )
    items = raw.get("items") or []
    for index, item in enumerate(model.items or []):
        order.line_items.append(
            _line_item_from_item(item, items[index], currency, ("items", index), residue)
        )
    raw_payments = raw.get("payments") or []
    payments = [
        _payment_from_fabric(payment, raw_payments[index], currency, ("payments", index), residue)
        for index, payment in enumerate(model.payments or [])
    ]
    # A lone payment holding nothing but its bill-to is how fabric carries the billing address
    # of an order not paid yet (see _emit.payload_from_order): an address, not a payment.
    if not (len(payments) == 1 and _is_bill_to_only(payments[0])):
        order.payments.extend(payments)
    elif _is_blank(payments[0].billing_address):
        # _emit writes that payment from the billing address; a blank one writes none at all.
        residue.spell(("payments",), [], raw_payments)
    # fabric keeps the bill-to on each payment; the first one also becomes the order's billing
    # address so that other doors (BigCommerce, Drip, Jirafe) see it.
    for canonical_payment in payments:
        if canonical_payment.HasField("billing_address"):
            order.billing_address.CopyFrom(canonical_payment.billing_address)
            break
    _note_order(model, raw, order, residue)
    return order


def _note_order(
    model: FabricOrder, raw: Mapping[str, Any], order: order_pb2.Order, residue: Residue
) -> None:
    path: Path = ()
    residue.keep_unconsumed(raw, ORDER_KEYS, path)
    _note_empties(residue, raw, path)
    _note_absent_defaults(
        residue, raw, ("orderTotal", "taxTotal", "shipTo", "items", "payments", "revision"), path
    )
    if raw.get("tags") == []:
        residue.spell(("tags",), ABSENT, [])
    _note_amount(residue, raw, "orderTotal", path)
    _note_amount(residue, raw, "taxTotal", path)
    if model.channel is not None:
        residue.note(raw, "channel", _written_number(order.channel), path)
    quantity = sum(item.quantity or 0 for item in model.items or [])
    residue.note(raw, "totalQuantity", json_integer(quantity), path)
    _note_time(residue, raw, "createdAt", order.place_time, path)
    _note_time(residue, raw, "updatedAt", order.vendor_update_time, path)
    phone = raw.get("customerPhone")
    if isinstance(phone, dict):
        _note_phone(phone, order.customer.phone, ("customerPhone",), residue)


def _written_number(text: str) -> Any:
    number = json_number(text)
    return ABSENT if number is None else number


def _note_phone(
    raw: Mapping[str, Any], phone: order_pb2.Phone, path: Path, residue: Residue
) -> None:
    if not (phone.number or phone.kind):  # _emit writes no phone at all
        residue.spell(path, ABSENT, raw)
        return
    residue.keep_unconsumed(raw, PHONE_KEYS, path)
    _note_empties(residue, raw, path)


def _note_name(
    raw: Mapping[str, Any], name: order_pb2.PersonName, path: Path, residue: Residue
) -> None:
    if not (name.given_name or name.middle_name or name.family_name):
        residue.spell(path, ABSENT, raw)
        return
    residue.keep_unconsumed(raw, NAME_KEYS, path)
    _note_empties(residue, raw, path)


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
    ship_to: FabricShipTo,
    raw: Mapping[str, Any],
    order_currency: str,
    path: Path,
    residue: Residue,
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
        destination.address.CopyFrom(
            _address_from_fabric(ship_to.address, raw["address"], (*path, "address"), residue)
        )
    # The ship-to's own document id: the closest canonical home is the id of its address.
    if ship_to.id:
        destination.address.id = ship_to.id
    _set_money(destination.shipping_cost, ship_to.price, currency, path, "price")
    _set_money(destination.shipping_tax, ship_to.estimatedTax, currency, path, "estimatedTax")
    _set_money(destination.total, ship_to.total, currency, path, "total")
    if ship_to.promisedDeliveryDate is not None:
        _set_time(
            destination.promised_delivery_time,
            ship_to.promisedDeliveryDate,
            f"{_field_path(path)}.promisedDeliveryDate",
        )
    residue.keep_unconsumed(raw, SHIP_TO_KEYS, path)
    _note_empties(residue, raw, path)
    for key in ("price", "estimatedTax", "total"):
        _note_amount(residue, raw, key, path)
    _note_id(residue, raw, "shipToId", path)
    _note_id(residue, raw, "shipmentMethodId", path)
    residue.note(raw, "shipToType", DEFAULT_SHIP_TO_TYPE, path)
    _note_currency(residue, raw, ("price", "estimatedTax", "total"), order_currency, path)
    _note_time(residue, raw, "promisedDeliveryDate", destination.promised_delivery_time, path)
    return destination


def _line_item_from_item(
    item: FabricItem, raw: Mapping[str, Any], order_currency: str, path: Path, residue: Residue
) -> order_pb2.LineItem:
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
    _set_money(line.unit_price, item.price, currency, path, "price")
    _set_money(line.discount, item.discount, currency, path, "discount")
    _set_money(line.tax, item.estimatedTax, currency, path, "estimatedTax")
    _set_money(line.total, item.total, currency, path, "total")
    residue.keep_unconsumed(raw, ITEM_KEYS, path)
    _note_empties(residue, raw, path)
    _note_absent_defaults(residue, raw, ("quantity",), path)
    for key in ("price", "discount", "estimatedTax", "total"):
        _note_amount(residue, raw, key, path)
    for key in ("lineItemId", "itemId", "sku", "shipToId"):
        _note_id(residue, raw, key, path)
    _note_currency(residue, raw, ("price", "estimatedTax", "total"), order_currency, path)
    return line


def _payment_from_fabric(
    payment: FabricPayment,
    raw: Mapping[str, Any],
    order_currency: str,
    path: Path,
    residue: Residue,
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
        card_last4=card_last4(identifier.cardIdentifier) if identifier is not None else "",
    )
    if payment.billToAddress is not None:
        result.billing_address.CopyFrom(
            _address_from_fabric(
                payment.billToAddress, raw["billToAddress"], (*path, "billToAddress"), residue
            )
        )
    _set_money(result.amount, payment.amount, currency, path, "amount")
    residue.keep_unconsumed(raw, PAYMENT_KEYS, path)
    _note_empties(residue, raw, path)
    _note_amount(residue, raw, "amount", path)
    _note_id(residue, raw, "billToId", path)
    if payment.shipToId is not None:
        written = [id_value(text) for text in result.destination_ids] or ABSENT
        residue.note(raw, "shipToId", written, path)
    if payment.conversion is not None:
        residue.note(raw, "conversion", _written_number(result.conversion_rate), path)
    _note_currency(residue, raw, ("amount",), order_currency, path)
    raw_identifier = raw.get("paymentIdentifier")
    if isinstance(raw_identifier, dict):
        # The identifier as it may be kept: its card number as the last four, _emit's spelling.
        kept_identifier = strip_secrets(raw_identifier)
        written = {"cardIdentifier": id_value(result.card_last4)} if result.card_last4 else ABSENT
        residue.note({"paymentIdentifier": kept_identifier}, "paymentIdentifier", written, path)
    return result


def _address_from_fabric(
    address: FabricAddress, raw: Mapping[str, Any], path: Path, residue: Residue
) -> order_pb2.Address:
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
    if _is_blank(result):  # _emit writes no address at all
        residue.spell(path, ABSENT, raw)
        return result
    residue.keep_unconsumed(raw, ADDRESS_KEYS, path)
    _note_empties(residue, raw, path)
    _note_id(residue, raw, "zipCode", path)
    if isinstance(raw.get("name"), dict):
        _note_name(raw["name"], result.name, (*path, "name"), residue)
    if isinstance(raw.get("phone"), dict):
        _note_phone(raw["phone"], result.phone, (*path, "phone"), residue)
    return result


def _is_blank(address: order_pb2.Address) -> bool:
    """Whether _emit writes nothing for the address (its id is the ship-to's _id, not its own)."""
    return not (
        address.email
        or address.line1
        or address.line2
        or address.city
        or address.region
        or address.country
        or address.postal_code
        or address.kind
        or address.name.given_name
        or address.name.middle_name
        or address.name.family_name
        or address.phone.number
        or address.phone.kind
    )


def _name_from_fabric(name: FabricName) -> order_pb2.PersonName:
    return order_pb2.PersonName(
        given_name=name.first or "", middle_name=name.middle or "", family_name=name.last or ""
    )


def _phone_from_fabric(phone: FabricPhone) -> order_pb2.Phone:
    return order_pb2.Phone(number=phone.number or "", kind=phone.kind or "")


def _field_path(path: Path) -> str:
    return join_path(path)


def _set_money(
    target: order_pb2.Money, amount: Decimal | None, currency: str, path: Path, key: str
) -> None:
    """Sets `target` to `amount`; the fabric field path is spelled only for an error."""
    if amount is None:
        return
    try:
        target.units, target.nanos = units_and_nanos(amount)
    except AmountError as error:
        raise money_error(join_path((*path, key)), error) from None
    target.currency_code = currency


def _set_time(target: timestamp_pb2.Timestamp, value: str | None, path: str) -> None:
    if value is not None:
        target.CopyFrom(parse_iso8601(value, path))
