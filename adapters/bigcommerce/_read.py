"""BigCommerce JSON → canonical: validation and the order's parts; pure, never writes its JSON."""

# Raises only TranslationError, naming the BigCommerce field ("products[2].price_ex_tax").

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from orderbridge.v1 import order_pb2
from pydantic import BaseModel, ValidationError

from adapters.bigcommerce import models
from adapters.bigcommerce._amounts import fee_amount
from adapters.bigcommerce._states import set_status
from adapters.bigcommerce.catalogs import (
    DEFAULT_STATUS_ID,
    ORDER_MONEY_FIELDS,
    PUT_READ_ONLY_FIELDS,
    VENDOR,
)
from adapters.errors import ErrorKind, TranslationError
from adapters.money import money_from_decimal
from adapters.times import parse_rfc2822

# A store without multi-currency answers in its default currency, which the API does not name.
DEFAULT_CURRENCY = "USD"
# Overrides that come in pairs ("If specified, the field `…` is also required").
_PAIRED_OVERRIDES: tuple[tuple[str, str], ...] = (
    ("subtotal_ex_tax", "subtotal_inc_tax"),
    ("total_ex_tax", "total_inc_tax"),
    ("shipping_cost_ex_tax", "shipping_cost_inc_tax"),
)
ModelT = TypeVar("ModelT", bound=BaseModel)
PartT = TypeVar("PartT", order_pb2.LineItem, order_pb2.ShippingDestination, order_pb2.Shipment)
# Pydantic's error types for a number outside its bounds (a status_id past 14): a "range" error,
# as Money's "too large" is.
_RANGE_ERRORS = frozenset({"less_than_equal", "greater_than_equal"})


def _vendor_path(loc: Sequence[int | str], data: Any) -> str:
    """The vendor field path of a pydantic error location, skipping union member tags."""
    path = ""
    node = data
    for index, step in enumerate(loc):
        is_last = index == len(loc) - 1
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            path += f"[{step}]"
            node = node[step]
        elif isinstance(step, str) and isinstance(node, Mapping) and (step in node or is_last):
            path += f".{step}" if path else step
            node = node.get(step)
    return path


def validated(model: type[ModelT], payload: Any, path: str = "") -> ModelT:
    """`payload` as `model`; the error names the vendor field under `path`."""
    if not isinstance(payload, Mapping):
        raise TranslationError(path, "expected a JSON object")
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        first = error.errors()[0]
        field = _vendor_path(first["loc"], payload)
        cause = first.get("ctx", {}).get("error")
        kind: ErrorKind = "range" if first["type"] in _RANGE_ERRORS else "format"
        if isinstance(cause, TranslationError):
            kind = cause.kind  # a model's own validator refused it (models.Money: "too large")
        raise TranslationError(field, first["msg"], kind).under(path) from None


def _money(amount: Decimal, currency_code: str, field: str) -> order_pb2.Money:
    try:
        return money_from_decimal(amount, currency_code)
    except TranslationError as error:
        raise error.under(field) from None


def _text(value: str | None) -> str:
    return value or ""


def _person_name(first: str | None, last: str | None) -> order_pb2.PersonName:
    return order_pb2.PersonName(given_name=_text(first), family_name=_text(last))


def _address_from_bigcommerce(
    address: models.AddressFields,
) -> order_pb2.Address:
    result = order_pb2.Address(
        name=_person_name(address.first_name, address.last_name),
        company=_text(address.company),
        line1=_text(address.street_1),
        line2=_text(address.street_2),
        city=_text(address.city),
        region=_text(address.state),
        postal_code=_text(address.zip),
        country=_text(address.country),
        country_code=_text(address.country_iso2),
        email=_text(address.email),
    )
    if address.phone:
        result.phone.number = address.phone
    return result


def line_item_from_bigcommerce(
    product: models.Product, currency: str, path: str
) -> order_pb2.LineItem:
    """The line item of a BigCommerce product; amounts in `currency`, errors under `path`."""
    line = order_pb2.LineItem(
        sku=_text(product.sku),
        name=_text(product.name or product.name_customer),
        # The spec's POST example "Multiple Products" leaves quantity out of a catalog product.
        quantity=1 if product.quantity is None else product.quantity,
        quantity_shipped=product.quantity_shipped or 0,
        quantity_refunded=product.quantity_refunded or 0,
    )
    if product.id is not None:
        line.id = str(product.id)
    if product.order_address_id is not None:
        line.destination_id = str(product.order_address_id)
    # Custom products carry product_id 0: no catalog product.
    if product.product_id:
        line.product.id = str(product.product_id)
    if product.variant_id is not None:
        line.product.variant_id = str(product.variant_id)
    # Set only what was sent: a touched sub-message becomes present in the proto.
    if product.name_merchant:
        line.product.name = product.name_merchant
    if product.brand:
        line.product.brand = product.brand
    if product.upc:
        line.product.upc = product.upc
    money_fields = {
        "price_ex_tax": ("unit_price", product.price_ex_tax),
        "price_inc_tax": ("unit_price_including_tax", product.price_inc_tax),
        "total_tax": ("tax", product.total_tax),
        "total_inc_tax": ("total", product.total_inc_tax),
    }
    for vendor_field, (field, amount) in money_fields.items():
        if amount is not None:
            getattr(line, field).CopyFrom(_money(amount, currency, f"{path}.{vendor_field}"))
    if product.applied_discounts:
        discount = sum((d.amount or Decimal(0) for d in product.applied_discounts), Decimal(0))
        line.discount.CopyFrom(_money(discount, currency, f"{path}.applied_discounts"))
    return line


def destination_from_bigcommerce(
    address: models.ShippingAddress, currency: str, path: str
) -> order_pb2.ShippingDestination:
    """The shipping destination of a BigCommerce shipping address, errors under `path`."""
    destination = order_pb2.ShippingDestination(
        address=_address_from_bigcommerce(address),
        method=_text(address.shipping_method),
        items_total=address.items_total or 0,
        items_shipped=address.items_shipped or 0,
    )
    if address.id is not None:
        destination.id = str(address.id)
        destination.address.id = str(address.id)
    money_fields = {
        "cost_ex_tax": ("shipping_cost", address.cost_ex_tax),
        "cost_inc_tax": ("shipping_cost_including_tax", address.cost_inc_tax),
        "cost_tax": ("shipping_tax", address.cost_tax),
    }
    for vendor_field, (field, amount) in money_fields.items():
        if amount is not None:
            getattr(destination, field).CopyFrom(_money(amount, currency, f"{path}.{vendor_field}"))
    return destination


def _shipment_from_bigcommerce(
    shipment: models.Shipment, currency: str, path: str
) -> order_pb2.Shipment:
    result = order_pb2.Shipment(
        tracking_number=_text(shipment.tracking_number),
        tracking_carrier=_text(shipment.tracking_carrier),
        tracking_link=_text(shipment.tracking_link),
        shipping_method=_text(shipment.shipping_method),
        shipping_provider=_text(shipment.shipping_provider),
        comments=_text(shipment.comments),
    )
    if shipment.id is not None:
        result.id = str(shipment.id)
    if shipment.order_address_id is not None:
        result.destination_id = str(shipment.order_address_id)
    if shipment.date_created:
        result.create_time.CopyFrom(parse_rfc2822(shipment.date_created, f"{path}.date_created"))
    if shipment.merchant_shipping_cost is not None:
        result.merchant_shipping_cost.CopyFrom(
            _money(shipment.merchant_shipping_cost, currency, f"{path}.merchant_shipping_cost")
        )
    for item in shipment.items or []:
        result.items.append(
            order_pb2.ShipmentItem(
                line_item_id="" if item.order_product_id is None else str(item.order_product_id),
                product_id=str(item.product_id) if item.product_id else "",
                quantity=item.quantity or 0,
            )
        )
    return result


def _set_time(order: order_pb2.Order, field: str, text: str | None, path: str) -> None:
    # BigCommerce writes "" for a date it does not have (date_shipped of an unshipped order).
    if text:
        getattr(order, field).CopyFrom(parse_rfc2822(text, path))


def canonical_order(source: models.Order) -> order_pb2.Order:
    """The canonical order for a validated BigCommerce order, without any residue."""
    currency = source.default_currency_code or source.currency_code or DEFAULT_CURRENCY
    order = order_pb2.Order(
        currency_code=currency,
        cart_id=_text(source.cart_id),
        source=_text(source.order_source),
        external_source=_text(source.external_source),
        staff_notes=_text(source.staff_notes),
        customer_message=_text(source.customer_message),
        ip_address=source.ip_address or source.ip_address_v6 or "",
        geoip_country=_text(source.geoip_country),
        geoip_country_code=_text(source.geoip_country_iso2),
        digital=bool(source.order_is_digital),
    )
    if source.id is not None:
        order.order_number = str(source.id)
        order.external_refs.append(order_pb2.ExternalRef(source=VENDOR, id=str(source.id)))
    if source.channel_id is not None:
        order.channel = str(source.channel_id)
    _set_time(order, "place_time", source.date_created, "date_created")
    _set_time(order, "vendor_update_time", source.date_modified, "date_modified")
    _set_time(order, "close_time", source.date_shipped, "date_shipped")
    set_status(
        order,
        DEFAULT_STATUS_ID if source.status_id is None else source.status_id,
        source.status,
    )
    for vendor_field, field in ORDER_MONEY_FIELDS.items():
        amount = getattr(source, vendor_field)
        if amount is not None:
            getattr(order, field).CopyFrom(_money(amount, currency, vendor_field))
    if isinstance(source.fees, list) and source.fees:
        fees = sum((fee_amount(fee) for fee in source.fees), Decimal(0))
        order.fee_total.CopyFrom(_money(fees, currency, "fees"))

    customer = order.customer
    if source.customer_id is not None:
        customer.id = str(source.customer_id)
    customer.locale = _text(source.customer_locale)
    customer.email_opt_in = bool(source.is_email_opt_in)
    if source.billing_address is not None:
        order.billing_address.CopyFrom(_address_from_bigcommerce(source.billing_address))
        customer.email = order.billing_address.email
        customer.name.CopyFrom(order.billing_address.name)

    payment_fields = (source.payment_method, source.payment_provider_id, source.payment_status)
    if any(value is not None for value in payment_fields):
        order.payments.append(
            order_pb2.Payment(
                method=_text(source.payment_method),
                provider_transaction_id=(
                    "" if source.payment_provider_id is None else str(source.payment_provider_id)
                ),
                status=_text(source.payment_status),
            )
        )
    if isinstance(source.products, list):
        for index, product in enumerate(source.products):
            path = f"products[{index}]"
            order.line_items.append(
                _fitting(path, line_item_from_bigcommerce, product, currency, path)
            )
    if isinstance(source.shipping_addresses, list):
        for index, address in enumerate(source.shipping_addresses):
            path = f"shipping_addresses[{index}]"
            order.shipping_destinations.append(
                _fitting(path, destination_from_bigcommerce, address, currency, path)
            )
    for index, shipment in enumerate(source.shipments or []):
        path = f"shipments[{index}]"
        order.shipments.append(_fitting(path, _shipment_from_bigcommerce, shipment, currency, path))
    return order


def _fitting(path: str, make: Callable[..., PartT], *args: Any) -> PartT:
    """`make(*args)`, naming `path` when a count does not fit its proto field.

    The spec bounds no integer (quantity, quantity_shipped, items_total, …), the canonical
    order's counts are int64: beyond, protobuf raises ValueError (was a crash). Named as the
    PUT names it (requests._held): the product, address or shipment.
    """
    try:
        return make(*args)
    except TranslationError:
        raise
    except ValueError as error:
        raise TranslationError(path, str(error), "range") from None


def refuse_read_only(body: Mapping[str, Any]) -> None:
    """Refuses a PUT body carrying a read-only field, as BigCommerce does."""
    for key in body:
        if key in PUT_READ_ONLY_FIELDS:
            raise TranslationError(
                key,
                f"The field '{key}' cannot be written to. "
                "Please remove it from your request before trying again.",
            )


def require_pairs(body: Mapping[str, Any], prefix: str = "") -> None:
    """Refuses half of a paired override (the ex/inc tax pairs of _PAIRED_OVERRIDES)."""
    for first, second in _PAIRED_OVERRIDES:
        for given, missing in ((first, second), (second, first)):
            if given in body and missing not in body:
                raise TranslationError(f"{prefix}{missing}", f"required when {given} is given")


def check_new_product(product: models.Product, path: str) -> None:
    """Refuses a new product missing what BigCommerce requires to create it."""
    if product.product_id is None:
        # orderCustomProduct_Post: name, quantity, price_inc_tax and price_ex_tax required.
        for field in ("name", "quantity", "price_inc_tax", "price_ex_tax"):
            if getattr(product, field) is None:
                raise TranslationError(f"{path}.{field}", "required for a custom product")
        if len(product.name or "") > 250:
            raise TranslationError(f"{path}.name", "at most 250 characters")
    # The orders guide: "If you set price_ex_tax or price_inc_tax, then you need to specify
    # them both."
    if (product.price_ex_tax is None) != (product.price_inc_tax is None):
        missing = "price_ex_tax" if product.price_ex_tax is None else "price_inc_tax"
        raise TranslationError(f"{path}.{missing}", "price_ex_tax and price_inc_tax go together")


def reject_consignments(consignments: Any) -> None:
    """Refuses pickup consignments, which this door does not support."""
    if consignments is not None:
        raise TranslationError(
            "consignments", "pickup consignments are not supported; send shipping_addresses"
        )
