"""BigCommerce list, count and PUT requests as OrderService requests: pure, no I/O.

Every GET /orders filter and sort becomes a service filter and order_by (the service filters,
sorts and counts; the door never does); a PUT /v2/orders/{id} body becomes one
UpdateOrderRequest (the service merges it). Sources: tests/vendor_specs/bigcommerce/
orders.v2.oas2.yml ("the spec"), the parameters of getAllOrders and getCountOrder, and the
description of PUT /v2/orders/{id}.
"""

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from google.protobuf import field_mask_pb2
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters._facade import quoted
from adapters.bigcommerce import models
from adapters.bigcommerce._amounts import priced_product
from adapters.bigcommerce._params import (  # re-exported: the query parameters parse there
    DEFAULT_LIMIT as DEFAULT_LIMIT,
)
from adapters.bigcommerce._params import MAX_LIMIT as MAX_LIMIT
from adapters.bigcommerce._params import MAX_SKIP as MAX_SKIP
from adapters.bigcommerce._params import invalid as invalid
from adapters.bigcommerce._params import parse_date as parse_date
from adapters.bigcommerce._params import parse_decimal as parse_decimal
from adapters.bigcommerce._params import parse_int as parse_int
from adapters.bigcommerce._params import parse_page as parse_page
from adapters.bigcommerce._read import (
    canonical_order,
    check_new_product,
    destination_from_bigcommerce,
    line_item_from_bigcommerce,
    refuse_read_only,
    reject_consignments,
    require_pairs,
    validated,
)
from adapters.bigcommerce.catalogs import (
    ADDRESS_FIELD_PATHS,
    MAX_ID,
    MAX_STATUS_ID,
    PAYMENT_FIELDS,
    PRODUCT_FIELD_PATHS,
    PUT_FIELD_PATHS,
    SORT_ORDERINGS,
)
from adapters.bigcommerce.translate import status_of
from adapters.errors import TranslationError
from adapters.secrets import without_payment_field_secrets

# POST `external_order_id` ("The order ID in another system", order_Shared) identifies the
# upstream order: a re-sent POST carrying it updates that order instead of duplicating it.
EXTERNAL_ORDER_SOURCE = "bigcommerce.external_order_id"

Triple = tuple[int, int, int]


def _time(moment: datetime) -> str:
    return quoted(moment.astimezone(UTC).isoformat())


@dataclasses.dataclass
class OrderQuery:
    """GET /orders and /orders/count parameters as service filter terms and an ordering."""

    terms: list[str] = dataclasses.field(default_factory=list)
    status_id: int | None = None
    sort: str = "id"
    descending: bool = False
    show_deleted: bool = False

    def filter_with(self, *more: str) -> str:
        """The terms (and `more`), each parenthesized, joined by AND."""
        return " AND ".join(f"({term})" for term in (*self.terms, *more) if term)

    @property
    def order_by(self) -> str:
        if self.sort == "status_id":
            # Within one status (a slice of its own), orders come in id order either way.
            return "serial_number"
        ordering = SORT_ORDERINGS[self.sort]
        direction = " desc" if self.descending else ""
        if ordering == "serial_number":
            return f"serial_number{direction}"
        return f"{ordering}{direction}, serial_number"


def _sort_of(text: str) -> tuple[str, bool]:
    # The spec: "add `:asc` or `:desc` to the end … e.g., `sort=date_created:desc`".
    name, _, direction = text.partition(":")
    if name not in SORT_ORDERINGS or direction not in ("", "asc", "desc"):
        raise invalid("sort", f"Use one of {', '.join(SORT_ORDERINGS)}, with :asc or :desc.")
    return name, direction == "desc"


def _date_terms(params: Mapping[str, str], name: str, column: str) -> list[str]:
    terms = []
    earliest = parse_date(params, f"min_{name}")
    if earliest is not None:
        terms.append(f"{column} >= {_time(earliest)}")
    latest = parse_date(params, f"max_{name}")
    if latest is not None:
        # BigCommerce shows whole seconds (RFC 2822): an order shown at the bound matches it.
        bound = latest.replace(microsecond=0) + timedelta(seconds=1)
        terms.append(f"{column} < {_time(bound)}")
    return terms


def order_query(params: Mapping[str, str]) -> OrderQuery:
    """The query of GET /orders and /orders/count (the spec's filter parameters)."""
    query = OrderQuery()
    for name, op in (("min_id", ">="), ("max_id", "<=")):
        value = parse_int(params, name)
        if value is not None:
            if not -(2**63) <= value < 2**63:
                raise invalid(name, "It is out of range.")
            query.terms.append(f"serial_number {op} {value}")
    for name, op in (("min_total", ">="), ("max_total", "<=")):
        amount = parse_decimal(params, name)
        if amount is not None:
            # The order's grand total (canonical `total`, BigCommerce total_inc_tax).
            query.terms.append(f"total {op} {amount}")
    customer_id = parse_int(params, "customer_id")
    if customer_id is not None:
        # customer_id 0 is a guest order: one with no customer id.
        query.terms.append(f"customer.id = {quoted(str(customer_id) if customer_id else '')}")
    for name, column in (
        ("email", "customer.email"),
        ("cart_id", "cart_id"),
        ("payment_method", "payment_method"),
    ):
        if params.get(name):
            query.terms.append(f"{column} = {quoted(params[name])}")
    query.terms += _date_terms(params, "date_created", "place_time")
    query.terms += _date_terms(params, "date_modified", "update_time")
    channel_id = parse_int(params, "channel_id")
    if channel_id is not None:
        # order_Shared: "The channel_id defaults to 1": an order with no channel is in 1.
        query.terms.append(
            'channel:("1" OR "")' if channel_id == 1 else f"channel = {quoted(str(channel_id))}"
        )
    if params.get("external_order_id"):
        ref = f"{EXTERNAL_ORDER_SOURCE}/{params['external_order_id']}"
        query.terms.append(f"external_ref = {quoted(ref)}")
    status_id = parse_int(params, "status_id")
    if status_id is not None:
        if not 0 <= status_id <= MAX_STATUS_ID:
            raise invalid("status_id", "It is not an order status.")
        query.status_id = status_id
    deleted = params.get("is_deleted", "").lower()
    if deleted not in ("", "true", "false"):
        raise invalid("is_deleted", "It must be true or false.")
    if deleted == "true":
        # Archived orders are listed only when asked for, as BigCommerce's is_deleted=true.
        query.show_deleted = True
        query.terms.append("archive_time:*")
    query.sort, query.descending = _sort_of(params.get("sort", "id") or "id")
    return query


def status_of_group(group: order_service_pb2.StatusCount) -> int:
    """The BigCommerce status of a CountOrders group (it depends on the three states only)."""
    order = order_pb2.Order(
        lifecycle_state=group.lifecycle_state,
        payment_state=group.payment_state,
        fulfillment_state=group.fulfillment_state,
    )
    return status_of(order)[0]


def counts_by_status(
    groups: Iterable[order_service_pb2.StatusCount], status_id: int | None = None
) -> Counter[int]:
    """How many orders show as each BigCommerce status (only `status_id`'s, when given)."""
    counts: Counter[int] = Counter()
    for group in groups:
        counts[status_of_group(group)] += group.count
    return counts if status_id is None else Counter({status_id: counts[status_id]})


def triples_by_status(
    groups: Iterable[order_service_pb2.StatusCount],
) -> dict[int, set[Triple]]:
    """Which state triples of the store show as each BigCommerce status."""
    found: dict[int, set[Triple]] = {}
    for group in groups:
        triple = (group.lifecycle_state, group.payment_state, group.fulfillment_state)
        found.setdefault(status_of_group(group), set()).add(triple)
    return found


def status_term(triples: Iterable[Triple]) -> str:
    """A filter matching exactly the orders in any of the state triples."""
    return " OR ".join(
        f"(lifecycle_state = {order_pb2.LifecycleState.Name(lifecycle)}"
        f" AND payment_state = {order_pb2.PaymentState.Name(payment)}"
        f" AND fulfillment_state = {order_pb2.FulfillmentState.Name(fulfillment)})"
        for lifecycle, payment, fulfillment in sorted(triples)
    )


@dataclasses.dataclass(frozen=True)
class Slice:
    """Part of a page: `page_size` orders of one status after skipping `skip` of them."""

    status_id: int
    skip: int
    page_size: int


def status_slices(
    counts: Mapping[int, int], *, descending: bool, page: int, limit: int
) -> list[Slice]:
    """The page of a list sorted by status id, cut from per-status counts (ids within one)."""
    start = (page - 1) * limit
    end = start + limit
    slices: list[Slice] = []
    offset = 0
    for status_id in sorted(counts, reverse=descending):
        count = counts[status_id]
        first, last = max(start, offset), min(end, offset + count)
        if first < last:
            slices.append(Slice(status_id, first - offset, last - first))
        offset += count
    return slices


def list_request(
    parent: str, query: OrderQuery, *, skip: int, page_size: int, extra: Sequence[str] = ()
) -> order_service_pb2.ListOrdersRequest | None:
    """The ListOrders call of one page (or slice) of GET /orders; None past any store's end."""
    if skip > MAX_SKIP:
        return None
    return order_service_pb2.ListOrdersRequest(
        parent=parent,
        page_size=page_size,
        skip=skip,
        filter=query.filter_with(*extra),
        order_by=query.order_by,
        show_deleted=query.show_deleted,
    )


# ---------------------------------------------------------------------------------------------
# PUT /v2/orders/{id} as one UpdateOrderRequest: the service merges it under its row lock
# ---------------------------------------------------------------------------------------------
def _copy_path(target: Any, source: Any, path: str) -> None:
    """Copies one dotted field path from `source` to `target` (messages of the same type)."""
    head, _, rest = path.partition(".")
    if rest:
        _copy_path(getattr(target, head), getattr(source, head), rest)
        return
    field = target.DESCRIPTOR.fields_by_name[head]
    if field.is_repeated:
        del getattr(target, head)[:]
        getattr(target, head).extend(getattr(source, head))
    elif field.message_type is not None:
        if source.HasField(head):
            getattr(target, head).CopyFrom(getattr(source, head))
        else:
            target.ClearField(head)
    else:
        setattr(target, head, getattr(source, head))


def _line_for_put(product: Mapping[str, Any], currency: str, path: str) -> order_pb2.LineItem:
    model = validated(models.Product, product, path)
    return line_item_from_bigcommerce(
        models.Product.model_validate(priced_product(model)), currency, path
    )


# Product fields whose change moves a line's totals. GET shows a product without stored totals
# with total_inc_tax = price_inc_tax × quantity and total_tax = total_inc_tax − total_ex_tax
# (_emit._product), as BigCommerce recalculates a changed product: the change clears them.
_LINE_TOTAL_KEYS = frozenset({"quantity", "price_ex_tax", "price_inc_tax"})
# Overrides that stop subtotal and total following the products (order_Shared: "Override value").
_TOTAL_OVERRIDES = ("subtotal_ex_tax", "total_ex_tax")
ProtoT = TypeVar("ProtoT", order_pb2.LineItem, order_pb2.ShippingDestination)
_CHANGE_FIELDS = {
    "line_item_changes": ("products", "no such product in the order"),
    "shipping_destination_changes": ("shipping_addresses", "no such shipping address in the order"),
}


def _held(path: str, make: Callable[..., ProtoT], *args: Any) -> ProtoT:
    """`make(*args)`, naming `path` when a value does not fit its proto field (an int past 64
    bits)."""
    try:
        return make(*args)
    except TranslationError:
        raise
    except ValueError as error:
        raise TranslationError(path, str(error)) from None


def _shown_number(value: int | None, path: str, missing: str) -> int:
    """The product or address number a client sent: the id it was shown (_numbering)."""
    if value is None or not 0 <= value <= MAX_ID:
        raise TranslationError(path, missing)
    return value


def _without_currency(message: Any) -> None:
    """Clears the currency of every amount: the service gives them the order's."""
    if isinstance(message, order_pb2.Money):
        message.currency_code = ""
        return
    for field, value in message.ListFields():
        if field.message_type is None or field.message_type.full_name.startswith("google."):
            continue
        for item in value if field.is_repeated else [value]:
            _without_currency(item)


def _line_item_change(sent: Mapping[str, Any], path: str) -> order_service_pb2.LineItemChange:
    """One PUT product: `id` updates the line shown with it (quantity 0 removes it), no `id`
    adds one (the spec's PUT /v2/orders/{id} description)."""
    product = validated(models.Product, sent, path)
    if "id" not in sent:
        check_new_product(product, path)
        line = _held(path, _line_for_put, sent, "", path)
        return order_service_pb2.LineItemChange(line_item=line)
    number = _shown_number(product.id, f"{path}.id", _CHANGE_FIELDS["line_item_changes"][1])
    if product.quantity == 0:
        return order_service_pb2.LineItemChange(number=number, remove=True)
    line = _held(path, line_item_from_bigcommerce, product, "", path)
    # The spec (PUT order): a changed product loses its discounts.
    paths = {"discount"}
    for key in sent:
        paths.update(PRODUCT_FIELD_PATHS.get(key, ()))
    if _LINE_TOTAL_KEYS & set(sent):
        paths |= {"tax", "total"}
    for field in ("discount", "tax", "total"):
        line.ClearField(field)
    return order_service_pb2.LineItemChange(
        number=number, line_item=line, update_mask=field_mask_pb2.FieldMask(paths=sorted(paths))
    )


def _address_paths(sent: Mapping[str, Any]) -> list[str]:
    """The ShippingDestination fields a PUT shipping address sets (its costs are not
    recalculated, so they are not written)."""
    paths = [f"address.{ADDRESS_FIELD_PATHS[key]}" for key in sent if key in ADDRESS_FIELD_PATHS]
    if "shipping_method" in sent:
        paths.append("method")
    return sorted(paths)


def _address_indices(body: Mapping[str, Any]) -> list[int]:
    """The shipping addresses of a PUT that become a change, in order: an address with an
    `id` and nothing to set changes nothing."""
    addresses = body.get("shipping_addresses") or []
    return [
        index
        for index, sent in enumerate(addresses)
        if sent.get("id") is None or _address_paths(sent)
    ]


def update_request_from_bigcommerce_put(
    name: str, body: Mapping[str, Any], *, payments: Sequence[order_pb2.Payment] = ()
) -> order_service_pb2.UpdateOrderRequest:
    """The UpdateOrderRequest of PUT /v2/orders/{id} for the order named `name`.

    Read-only fields are refused as BigCommerce refuses them; the fields sent replace the
    order's (update_mask). Products and shipping addresses become keyed changes, by the `id`
    the client was shown; subtotal and total follow changed products unless the body overrides
    them. Amounts carry no currency: the service gives them the order's. `payments` are the
    order's as read: payment_method and payment_provider_id edit the first (a mask can only
    replace the whole list).
    """
    body = without_payment_field_secrets(body, PAYMENT_FIELDS)
    refuse_read_only(body)
    put = validated(models.OrderPut, body)
    reject_consignments(put.consignments)
    require_pairs(body)
    as_order = {
        key: value
        for key, value in put.model_dump(exclude_none=True).items()
        if key in body and key not in ("products", "shipping_addresses")
    }
    translated = canonical_order(validated(models.Order, as_order))
    order = order_pb2.Order(name=name)
    paths = {path for key in body for path in PUT_FIELD_PATHS.get(key, ())}
    paths -= {"line_items", "shipping_destinations"}
    for path in sorted(paths - {"payments"}):
        _copy_path(order, translated, path)
    _without_currency(order)
    if "payments" in paths:
        order.payments.extend(payments)
        if not order.payments:
            order.payments.add()
        for key, field in (
            ("payment_method", "method"),
            ("payment_provider_id", "provider_transaction_id"),
        ):
            if key in body:
                setattr(order.payments[0], field, "" if body[key] is None else str(body[key]))
    request = order_service_pb2.UpdateOrderRequest(
        order=order, update_mask=field_mask_pb2.FieldMask(paths=sorted(paths))
    )
    for index, sent in enumerate(body.get("products") or []):
        request.line_item_changes.append(_line_item_change(sent, f"products[{index}]"))
    addresses = put.shipping_addresses or []
    for index in _address_indices(body):
        path = f"shipping_addresses[{index}]"
        address = addresses[index]
        destination = _held(path, destination_from_bigcommerce, address, "", path)
        if address.id is None:
            request.shipping_destination_changes.add(shipping_destination=destination)
            continue
        number = _shown_number(
            address.id, f"{path}.id", _CHANGE_FIELDS["shipping_destination_changes"][1]
        )
        request.shipping_destination_changes.add(
            number=number,
            shipping_destination=destination,
            update_mask=field_mask_pb2.FieldMask(
                paths=_address_paths(body["shipping_addresses"][index])
            ),
        )
    request.keep_totals_in_step = bool(request.line_item_changes) and not any(
        key in body for key in _TOTAL_OVERRIDES
    )
    return request


def put_error_of(body: Mapping[str, Any], field: str, description: str) -> TranslationError | None:
    """The PUT body field a service violation of one keyed change names, in BigCommerce's
    words ("line_item_changes[2]" → "products[2].id"); None for any other field."""
    for change_field, (vendor_field, missing) in _CHANGE_FIELDS.items():
        index = field.removeprefix(f"{change_field}[").removesuffix("]")
        if index == field or not index.isascii() or not index.isdigit():
            continue
        sent_index = int(index)
        if vendor_field == "shipping_addresses":
            indices = _address_indices(body)
            if sent_index >= len(indices):
                return None
            sent_index = indices[sent_index]
        reason = missing if description.startswith("no such") else description
        return TranslationError(f"{vendor_field}[{sent_index}].id", reason)
    return None
