"""Partial updates: the update mask, then single line items and destinations changed by id or
number, totals kept in step; pure functions over the Order, no storage, no API message, no door."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from typing import Generic, TypeVar

from google.protobuf import field_mask_pb2
from google.protobuf.message import Message
from orderbridge.v1 import order_pb2

from core import rules
from core.errors import InvalidArgument
from core.money import (
    AmountError,
    money_from_decimal,
    optional_amount,
    unit_prices,
)
from core.numbering import is_number, line_numbers
from core.validation import check_order

# An amount holds up to 28 significant digits (64-bit units, nine places) and a quantity up to
# 19: a price × quantity, and sums of many, need more than the default context's 28 digits.
_EXACT = Context(prec=120)
# The amounts keep_totals_in_step moves: (ex tax, inc tax) pairs, then the tax between them.
_SUBTOTALS = ("subtotal", "subtotal_including_tax")
_TOTALS = ("total_excluding_tax", "total")
_COST_PARTS = ("shipping_total", "handling_total", "wrapping_total")


@dataclass(frozen=True)
class LineItemChange:
    """One line item updated (`paths` of `line_item`; every field but the id when empty),
    removed, or, with neither `id` nor `number`, added."""

    id: str | None = None
    number: int | None = None
    line_item: order_pb2.LineItem = field(default_factory=order_pb2.LineItem)
    paths: tuple[str, ...] = ()
    remove: bool = False


@dataclass(frozen=True)
class DestinationChange:
    """One shipping destination updated, removed or added, as LineItemChange."""

    id: str | None = None
    number: int | None = None
    destination: order_pb2.ShippingDestination = field(
        default_factory=order_pb2.ShippingDestination
    )
    paths: tuple[str, ...] = ()
    remove: bool = False


ItemT = TypeVar("ItemT", order_pb2.LineItem, order_pb2.ShippingDestination)


@dataclass(frozen=True)
class _Change(Generic[ItemT]):
    """A line or destination change, whichever it is."""

    id: str | None
    number: int | None
    message: ItemT
    paths: tuple[str, ...]
    remove: bool


def merged_order(
    current: order_pb2.Order,
    patch: order_pb2.Order,
    paths: Sequence[str],
    *,
    line_item_changes: Sequence[LineItemChange] = (),
    destination_changes: Sequence[DestinationChange] = (),
    keep_totals_in_step: bool = False,
) -> order_pb2.Order:
    """`current` with the masked fields of `patch` replaced (rules.updated_order), then each
    line item change and each destination change applied in order.

    A change finds its line by id, or by number as vendors with integer line ids show the lines
    (`_numbering`); amounts sent without a currency get the order's. With keep_totals_in_step,
    changed lines move subtotal, subtotal_including_tax, total_excluding_tax and total by the
    change in unit price × quantity, and tax_total follows (each amount `paths` sets is left as
    sent). The line items before the request are kept as previous_line_items.
    """
    currency = patch.currency_code if "currency_code" in paths else current.currency_code
    filled = order_pb2.Order()
    filled.CopyFrom(patch)
    _fill_currency(filled, currency)
    merged = rules.updated_order(current, filled, paths)
    if not (line_item_changes or destination_changes or keep_totals_in_step):
        return merged
    lines = _changed_items(
        merged.line_items,
        [_Change(c.id, c.number, c.line_item, c.paths, c.remove) for c in line_item_changes],
        "line_item_changes",
        "no such line",
        currency,
    )
    destinations = _changed_items(
        merged.shipping_destinations,
        [_Change(c.id, c.number, c.destination, c.paths, c.remove) for c in destination_changes],
        "shipping_destination_changes",
        "no such destination",
        currency,
    )
    del merged.line_items[:]
    merged.line_items.extend(lines)
    del merged.shipping_destinations[:]
    merged.shipping_destinations.extend(destinations)
    items_changed = list(merged.line_items) != list(current.line_items)
    if keep_totals_in_step and items_changed:
        _move_totals(merged, current, paths)
    if "previous_line_items" not in paths or not patch.previous_line_items:
        # As rules.updated_order keeps the history: the lines before this request.
        del merged.previous_line_items[:]
        merged.previous_line_items.extend(
            current.line_items if items_changed else current.previous_line_items
        )
    check_order(merged)
    return merged


# ---------------------------------------------------------------------------------------------
# Line items and destinations
# ---------------------------------------------------------------------------------------------
def _changed_items(
    items: Sequence[ItemT],
    changes: Sequence[_Change[ItemT]],
    field_name: str,
    missing: str,
    currency: str,
) -> list[ItemT]:
    """The items with each change applied in order; numbers are those shown before them."""
    result: list[ItemT] = []
    for item in items:
        kept = type(item)()
        kept.CopyFrom(item)
        result.append(kept)
    # Numbers stay those the caller was shown: a removal renumbers nothing, an added item has
    # none yet (it is found by its id).
    numbers: list[int | None] = list(line_numbers([item.id for item in result]))
    # Items added to an order whose ids are all integers are numbered after the largest id
    # the order had, also when that item is removed by this same request.
    integer_ids = bool(result) and all(is_number(item.id) for item in result)
    last_number = max((number or 0 for number in numbers), default=0)
    for index, change in enumerate(changes):
        path = f"{field_name}[{index}]"
        sent = type(change.message)()
        sent.CopyFrom(change.message)
        _fill_currency(sent, currency)
        if change.id is not None and change.number is not None:
            raise _invalid(path, "set id or number, not both")
        if change.id == "":
            raise _invalid(path, "an empty id names nothing; send the number instead")
        if change.id is None and change.number is None:
            if change.remove:
                raise _invalid(path, "a removal needs an id or a number")
            if not sent.id and integer_ids:
                last_number += 1
                sent.id = str(last_number)
            elif is_number(sent.id):
                last_number = max(last_number, int(sent.id))
            result.append(sent)
            numbers.append(None)
            continue
        if change.id is not None:
            position = next((i for i, item in enumerate(result) if item.id == change.id), None)
        else:
            position = next((i for i, n in enumerate(numbers) if n == change.number), None)
        if position is None:
            raise _invalid(path, missing)
        if change.remove:
            del result[position]
            del numbers[position]
            continue
        result[position] = _updated_item(result[position], sent, change.paths, path)
    return result


def _updated_item(item: ItemT, sent: ItemT, paths: Sequence[str], path: str) -> ItemT:
    """`item` with the `paths` of `sent` replaced, messages and lists whole; every field but
    the id when `paths` is empty."""
    updated = type(item)()
    if not paths:
        updated.CopyFrom(sent)
        updated.id = item.id
        return updated
    descriptor = item.DESCRIPTOR
    for field_path in paths:
        if not field_mask_pb2.FieldMask(paths=[field_path]).IsValidForDescriptor(
            descriptor  # type: ignore[arg-type]  # upb and pure descriptors differ only in stubs
        ):
            raise _invalid(
                f"{path}.update_mask", f"{field_path} is not a field of {descriptor.name}"
            )
    updated.CopyFrom(item)
    field_mask_pb2.FieldMask(paths=list(paths)).MergeMessage(
        sent, updated, replace_message_field=True, replace_repeated_field=True
    )
    return updated


def _fill_currency(message: Message, currency: str) -> None:
    """Gives every amount sent without a currency the order's."""
    if isinstance(message, order_pb2.Money):
        if not message.currency_code:
            message.currency_code = currency
        return
    for descriptor, value in message.ListFields():
        if descriptor.message_type is None or descriptor.message_type.full_name.startswith(
            "google."
        ):
            continue
        if descriptor.is_repeated:
            if descriptor.message_type.GetOptions().map_entry:
                continue  # no map of the Order holds money
            for item in value:
                _fill_currency(item, currency)
        else:
            _fill_currency(value, currency)


def _invalid(path: str, description: str) -> InvalidArgument:
    return InvalidArgument(f"invalid {path}: {description}", violations=[(path, description)])


# ---------------------------------------------------------------------------------------------
# Totals
# ---------------------------------------------------------------------------------------------
def _amount(message: Message, field_name: str) -> Decimal:
    return optional_amount(message, field_name) or Decimal(0)


def _line_sums(lines: Sequence[order_pb2.LineItem]) -> tuple[Decimal, Decimal]:
    """Σ unit price × quantity, ex and inc tax."""
    prices = [(unit_prices(line), line.quantity) for line in lines]
    return (
        sum((ex * quantity for (ex, _), quantity in prices), Decimal(0)),
        sum((inc * quantity for (_, inc), quantity in prices), Decimal(0)),
    )


def _shown_totals(order: order_pb2.Order) -> dict[str, Decimal]:
    """Subtotals and totals, filled as a vendor computes what the order leaves unset.

    subtotal: Σ unit_price × quantity; an inc-tax amount: its ex-tax one; total: the parts
    inc tax less both discounts; total_excluding_tax: total less tax_total.
    """
    subtotal = optional_amount(order, "subtotal")
    if subtotal is None:
        subtotal = sum(
            (_amount(line, "unit_price") * line.quantity for line in order.line_items), Decimal(0)
        )
    subtotal_inc = optional_amount(order, "subtotal_including_tax")
    if subtotal_inc is None:
        subtotal_inc = subtotal
    total = optional_amount(order, "total")
    if total is None:
        parts = subtotal_inc
        for part in _COST_PARTS:
            part_inc = optional_amount(order, f"{part}_including_tax")
            parts += _amount(order, part) if part_inc is None else part_inc
        total = parts - _amount(order, "discount_total") - _amount(order, "coupon_discount_total")
    total_ex = optional_amount(order, "total_excluding_tax")
    if total_ex is None:
        total_ex = total - _amount(order, "tax_total")
    return {
        "subtotal": subtotal,
        "subtotal_including_tax": subtotal_inc,
        "total_excluding_tax": total_ex,
        "total": total,
    }


def _sets(paths: Sequence[str], field_name: str) -> bool:
    return any(path == field_name or path.startswith(f"{field_name}.") for path in paths)


def _move_totals(order: order_pb2.Order, before: order_pb2.Order, paths: Sequence[str]) -> None:
    """Subtotals and totals moved by the lines' change from what `before` showed; tax_total
    the difference of the totals."""
    currency = order.currency_code
    with localcontext(_EXACT):
        shown = _shown_totals(before)
        after_ex, after_inc = _line_sums(order.line_items)
        before_ex, before_inc = _line_sums(before.line_items)
        changes = (after_ex - before_ex, after_inc - before_inc)
        moved = {
            name: shown[name] + changes[inc]
            for names in (_SUBTOTALS, _TOTALS)
            for inc, name in enumerate(names)
        }
        for name, amount in moved.items():
            if not _sets(paths, name):
                getattr(order, name).CopyFrom(_money(amount, currency, name))
        if not _sets(paths, "tax_total"):
            tax = _amount(order, "total") - _amount(order, "total_excluding_tax")
            order.tax_total.CopyFrom(_money(tax, currency, "tax_total"))


def _money(amount: Decimal, currency: str, field_name: str) -> order_pb2.Money:
    try:
        return money_from_decimal(amount, currency)
    except AmountError as error:
        raise _invalid(f"order.{field_name}", str(error)) from None
