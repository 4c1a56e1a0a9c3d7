"""core.merge: the update mask, then line items and destinations changed by id or number, with
totals kept in step; pure, exact protos."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from orderbridge.v1 import order_pb2

from core import rules
from core.errors import InvalidArgument
from core.merge import DestinationChange, LineItemChange, merged_order
from core.money import decimal_from_money, money_from_decimal


def money(text: str, currency: str = "USD") -> order_pb2.Money:
    return money_from_decimal(Decimal(text), currency)


def line(
    line_id: str, quantity: int = 1, price: str = "1", currency: str = "USD"
) -> order_pb2.LineItem:
    return order_pb2.LineItem(
        id=line_id, name=f"Line {line_id}", quantity=quantity, unit_price=money(price, currency)
    )


def order_with(*lines: order_pb2.LineItem, currency: str = "USD") -> order_pb2.Order:
    return order_pb2.Order(
        name="tenants/acme/orders/0123456789abcdef0123456789abcdef",
        currency_code=currency,
        line_items=lines,
    )


def destination(destination_id: str, city: str) -> order_pb2.ShippingDestination:
    return order_pb2.ShippingDestination(
        id=destination_id,
        address=order_pb2.Address(id=destination_id, city=city, line1=f"{city} 1"),
        shipping_cost=money("5"),
        method="Ground",
    )


def ids(order: order_pb2.Order) -> list[str]:
    return [item.id for item in order.line_items]


def merge(
    current: order_pb2.Order,
    *changes: LineItemChange,
    keep_totals_in_step: bool = False,
) -> order_pb2.Order:
    return merged_order(
        current,
        order_pb2.Order(),
        [],
        line_item_changes=changes,
        keep_totals_in_step=keep_totals_in_step,
    )


# Lines with mixed ids, numbered as BigCommerce shows them: integer ids kept (the first "7"),
# the others after the largest (7) in list order.
MIXED = order_with(line("sku-a"), line("7"), line("x"), line("7"), line("3"))
MIXED_NUMBERS = {8: 0, 7: 1, 9: 2, 10: 3, 3: 4}
INTEGER = order_with(line("1"), line("2"), line("3"))


# ---------------------------------------------------------------------------------------------
# Finding, updating, removing and adding lines
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("number", "position"), MIXED_NUMBERS.items())
def test_a_change_finds_its_line_by_the_number_it_was_shown(number: int, position: int) -> None:
    changed = merge(
        MIXED,
        LineItemChange(
            number=number, line_item=order_pb2.LineItem(quantity=5), paths=("quantity",)
        ),
    )

    assert [item.quantity for item in changed.line_items] == [
        5 if index == position else 1 for index in range(5)
    ]
    assert ids(changed) == ids(MIXED)


MIXED_CHANGES = [
    ("remove by id", [LineItemChange(id="x", remove=True)], ["sku-a", "7", "7", "3"]),
    ("remove by number", [LineItemChange(number=10, remove=True)], ["sku-a", "7", "x", "3"]),
    (
        "numbers stay those shown after a removal",
        [LineItemChange(number=8, remove=True), LineItemChange(number=9, remove=True)],
        ["7", "7", "3"],
    ),
    (
        "an id finds its first line",
        [LineItemChange(id="7", remove=True)],
        ["sku-a", "x", "7", "3"],
    ),
    (
        "a line added to mixed ids stays without one",
        [LineItemChange(line_item=line("", price="2"))],
        ["sku-a", "7", "x", "7", "3", ""],
    ),
    (
        "a line added with its own id keeps it",
        [LineItemChange(line_item=line("new"))],
        ["sku-a", "7", "x", "7", "3", "new"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected_ids"),
    [case[1:] for case in MIXED_CHANGES],
    ids=[case[0] for case in MIXED_CHANGES],
)
def test_changes_to_lines_with_mixed_ids(
    changes: list[LineItemChange], expected_ids: list[str]
) -> None:
    assert ids(merge(MIXED, *changes)) == expected_ids


@pytest.mark.parametrize(
    ("changes", "expected_ids"),
    [
        (
            [LineItemChange(line_item=line("")), LineItemChange(line_item=line(""))],
            ["1", "2", "3", "4", "5"],
        ),
        # An id the request removed is not given again (BigCommerce never reuses an id shown).
        (
            [LineItemChange(number=3, remove=True), LineItemChange(line_item=line(""))],
            ["1", "2", "4"],
        ),
        (
            [LineItemChange(line_item=line("10")), LineItemChange(line_item=line(""))],
            ["1", "2", "3", "10", "11"],
        ),
    ],
)
def test_lines_added_to_integer_ids_get_the_next_ids(
    changes: list[LineItemChange], expected_ids: list[str]
) -> None:
    assert ids(merge(INTEGER, *changes)) == expected_ids


def test_a_line_added_to_an_order_without_lines_gets_no_id() -> None:
    assert ids(merge(order_with(), LineItemChange(line_item=line("")))) == [""]


def test_an_added_line_is_found_by_its_id_not_by_a_number() -> None:
    added = merge(
        INTEGER,
        LineItemChange(line_item=line("")),
        LineItemChange(id="4", line_item=order_pb2.LineItem(name="Pin"), paths=("name",)),
    )
    assert [item.name for item in added.line_items][-1] == "Pin"

    with pytest.raises(InvalidArgument) as raised:
        merge(order_with(line("a")), LineItemChange(line_item=line("")), LineItemChange(number=2))
    assert raised.value.violations == [("line_item_changes[1]", "no such line")]


@dataclass
class UpdateCase:
    name: str
    sent: order_pb2.LineItem
    paths: tuple[str, ...]
    expected: order_pb2.LineItem
    before: order_pb2.LineItem = field(
        default_factory=lambda: order_pb2.LineItem(
            id="1",
            sku="MUG",
            name="Mug",
            quantity=2,
            unit_price=money("10"),
            discount=money("1"),
            product=order_pb2.Product(id="p-1", name="Mug", brand="Acme"),
        )
    )


UPDATES = [
    UpdateCase(
        "one scalar",
        order_pb2.LineItem(quantity=3, name="ignored"),
        ("quantity",),
        order_pb2.LineItem(
            id="1",
            sku="MUG",
            name="Mug",
            quantity=3,
            unit_price=money("10"),
            discount=money("1"),
            product=order_pb2.Product(id="p-1", name="Mug", brand="Acme"),
        ),
    ),
    UpdateCase(
        "a message left out of the line is cleared",
        order_pb2.LineItem(),
        ("discount", "tax"),
        order_pb2.LineItem(
            id="1",
            sku="MUG",
            name="Mug",
            quantity=2,
            unit_price=money("10"),
            product=order_pb2.Product(id="p-1", name="Mug", brand="Acme"),
        ),
    ),
    UpdateCase(
        "a nested field",
        order_pb2.LineItem(product=order_pb2.Product(name="Big mug")),
        ("product.name",),
        order_pb2.LineItem(
            id="1",
            sku="MUG",
            name="Mug",
            quantity=2,
            unit_price=money("10"),
            discount=money("1"),
            product=order_pb2.Product(id="p-1", name="Big mug", brand="Acme"),
        ),
    ),
    UpdateCase(
        "a message replaced whole",
        order_pb2.LineItem(product=order_pb2.Product(name="Big mug")),
        ("product",),
        order_pb2.LineItem(
            id="1",
            sku="MUG",
            name="Mug",
            quantity=2,
            unit_price=money("10"),
            discount=money("1"),
            product=order_pb2.Product(name="Big mug"),
        ),
    ),
    UpdateCase(
        "no paths replace every field but the id",
        order_pb2.LineItem(id="other", name="Cup", quantity=1),
        (),
        order_pb2.LineItem(id="1", name="Cup", quantity=1),
    ),
    UpdateCase(
        "an amount without a currency gets the order's",
        order_pb2.LineItem(unit_price=order_pb2.Money(units=12, nanos=500_000_000)),
        ("unit_price",),
        order_pb2.LineItem(
            id="1",
            sku="MUG",
            name="Mug",
            quantity=2,
            unit_price=money("12.5"),
            discount=money("1"),
            product=order_pb2.Product(id="p-1", name="Mug", brand="Acme"),
        ),
    ),
]


@pytest.mark.parametrize("case", UPDATES, ids=[case.name for case in UPDATES])
def test_an_update_replaces_the_masked_fields_of_the_line(case: UpdateCase) -> None:
    current = order_with(case.before, line("2"))
    changed = merge(current, LineItemChange(id="1", line_item=case.sent, paths=case.paths))

    assert changed.line_items[0] == case.expected
    assert changed.line_items[1] == current.line_items[1]


def test_an_added_line_gets_the_orders_currency() -> None:
    current = order_with(line("1", currency="JPY"), currency="JPY")
    sent = order_pb2.LineItem(name="Pin", quantity=1, unit_price=order_pb2.Money(units=300))

    changed = merge(current, LineItemChange(line_item=sent))

    assert changed.line_items[1] == order_pb2.LineItem(
        id="2", name="Pin", quantity=1, unit_price=money("300", "JPY")
    )


def test_changes_apply_after_the_mask_to_the_lines_it_set() -> None:
    patch = order_with(line("a"), line("b"))
    changed = merged_order(
        INTEGER,
        patch,
        ["line_items", "staff_notes"],
        line_item_changes=[LineItemChange(number=2, remove=True)],
    )

    assert ids(changed) == ["a"]  # "a" is shown as 1, "b" as 2


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------
ERRORS = [
    (
        "no line has the id",
        [LineItemChange(id="nope", remove=True)],
        "line_item_changes[0]",
        "no such line",
    ),
    ("no line has the number", [LineItemChange(number=4)], "line_item_changes[0]", "no such line"),
    (
        "a removed line is gone",
        [LineItemChange(number=1, remove=True), LineItemChange(number=1, remove=True)],
        "line_item_changes[1]",
        "no such line",
    ),
    (
        "id and number",
        [LineItemChange(id="1", number=1)],
        "line_item_changes[0]",
        "set id or number, not both",
    ),
    (
        "an empty id",
        [LineItemChange(id="", remove=True)],
        "line_item_changes[0]",
        "an empty id names nothing; send the number instead",
    ),
    (
        "a removal of nothing",
        [LineItemChange(remove=True)],
        "line_item_changes[0]",
        "a removal needs an id or a number",
    ),
    (
        "a path not of LineItem",
        [LineItemChange(number=1, paths=("quantity", "colour"))],
        "line_item_changes[0].update_mask",
        "colour is not a field of LineItem",
    ),
    (
        "the checks of the whole order",
        [
            LineItemChange(
                number=1,
                line_item=order_pb2.LineItem(unit_price=money("1", "EUR")),
                paths=("unit_price",),
            )
        ],
        "order.line_items[0].unit_price.currency_code",
        "must be the order's currency USD",
    ),
]


@pytest.mark.parametrize(
    ("changes", "field_path", "description"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_a_bad_change_is_invalid_naming_it(
    changes: list[LineItemChange], field_path: str, description: str
) -> None:
    with pytest.raises(InvalidArgument) as raised:
        merge(INTEGER, *changes)

    assert raised.value.violations[0] == (field_path, description)


# ---------------------------------------------------------------------------------------------
# Shipping destinations
# ---------------------------------------------------------------------------------------------
def merge_destinations(current: order_pb2.Order, *changes: DestinationChange) -> order_pb2.Order:
    return merged_order(current, order_pb2.Order(), [], destination_changes=changes)


SHIPPED = order_pb2.Order(
    currency_code="USD",
    shipping_destinations=[destination("132", "Austin"), destination("133", "Dallas")],
)


def test_a_destination_update_replaces_the_address_fields_sent() -> None:
    sent = order_pb2.ShippingDestination(
        address=order_pb2.Address(city="Sydney", region="NSW"), method="Express"
    )

    changed = merge_destinations(
        SHIPPED,
        DestinationChange(
            number=133, destination=sent, paths=("address.city", "address.region", "method")
        ),
    )

    updated = changed.shipping_destinations[1]
    assert (updated.id, updated.address.id, updated.address.line1) == ("133", "133", "Dallas 1")
    assert (updated.address.city, updated.address.region, updated.method) == (
        "Sydney",
        "NSW",
        "Express",
    )
    assert updated.shipping_cost == money("5")
    assert changed.shipping_destinations[0] == SHIPPED.shipping_destinations[0]


def test_destinations_are_added_numbered_and_removed_like_lines() -> None:
    sent = order_pb2.ShippingDestination(
        address=order_pb2.Address(city="Perth"), shipping_cost=order_pb2.Money(units=7)
    )

    changed = merge_destinations(
        SHIPPED, DestinationChange(id="132", remove=True), DestinationChange(destination=sent)
    )

    assert [(d.id, d.address.city) for d in changed.shipping_destinations] == [
        ("133", "Dallas"),
        ("134", "Perth"),
    ]
    # The address keeps its own (empty) id; only POST numbers addresses like their destination.
    assert changed.shipping_destinations[1].address.id == ""
    assert changed.shipping_destinations[1].shipping_cost == money("7")


def test_a_destination_change_naming_no_destination_is_invalid() -> None:
    with pytest.raises(InvalidArgument) as raised:
        merge_destinations(SHIPPED, DestinationChange(number=1, remove=True))

    assert raised.value.violations == [("shipping_destination_changes[0]", "no such destination")]


# ---------------------------------------------------------------------------------------------
# The mask, the currency and the line items' history
# ---------------------------------------------------------------------------------------------
def test_without_changes_the_result_is_the_masked_update() -> None:
    patch = order_pb2.Order(staff_notes="packed", line_items=[line("z")])
    current = order_with(line("1"))

    assert merged_order(current, patch, ["staff_notes"]) == rules.updated_order(
        current, patch, ["staff_notes"]
    )


@pytest.mark.parametrize(
    ("paths", "currency"),
    [(["discount_total"], "JPY"), (["discount_total", "currency_code"], "EUR")],
)
def test_masked_amounts_without_a_currency_get_the_orders(paths: list[str], currency: str) -> None:
    current = order_with(currency="JPY")
    patch = order_pb2.Order(currency_code="EUR", discount_total=order_pb2.Money(units=150))

    merged = merged_order(current, patch, paths)

    assert merged.discount_total == money("150", currency)


def test_changed_lines_keep_the_lines_before_the_request_as_history() -> None:
    current = order_with(line("1"), line("2"))
    current.previous_line_items.append(line("0"))

    removed = merge(current, LineItemChange(number=2, remove=True))
    moved_elsewhere = merge_destinations(current)

    assert list(removed.previous_line_items) == list(current.line_items)
    assert list(moved_elsewhere.previous_line_items) == [line("0")]


# ---------------------------------------------------------------------------------------------
# Totals kept in step
# ---------------------------------------------------------------------------------------------
@dataclass
class TotalsCase:
    name: str
    currency: str
    lines: list[order_pb2.LineItem]
    amounts: dict[str, str]
    changes: list[LineItemChange]
    expected: dict[str, str]
    paths: tuple[str, ...] = ()


def priced(
    line_id: str, quantity: int, ex: str, inc: str | None, currency: str
) -> order_pb2.LineItem:
    item = line(line_id, quantity, ex, currency)
    if inc is not None:
        item.unit_price_including_tax.CopyFrom(money(inc, currency))
    return item


TOTALS = [
    TotalsCase(
        "USD: a quantity moves every total by its ex and inc prices",
        "USD",
        [priced("1", 2, "10.00", "11.00", "USD"), priced("2", 1, "5", "5.50", "USD")],
        {
            "subtotal": "25",
            "subtotal_including_tax": "27.50",
            "total_excluding_tax": "30",
            "total": "33.50",
            "tax_total": "3.50",
        },
        [LineItemChange(id="1", line_item=order_pb2.LineItem(quantity=3), paths=("quantity",))],
        {
            "subtotal": "35",
            "subtotal_including_tax": "38.50",
            "total_excluding_tax": "40",
            "total": "44.50",
            "tax_total": "4.50",
        },
    ),
    TotalsCase(
        "JPY: an added line",
        "JPY",
        [priced("1", 1, "1000", "1100", "JPY")],
        {
            "subtotal": "1000",
            "subtotal_including_tax": "1100",
            "total_excluding_tax": "1500",
            "total": "1600",
        },
        [LineItemChange(line_item=priced("", 2, "500", "550", "JPY"))],
        {
            "subtotal": "2000",
            "subtotal_including_tax": "2200",
            "total_excluding_tax": "2500",
            "total": "2700",
            "tax_total": "200",
        },
    ),
    TotalsCase(
        "KWD: a removed line, three places",
        "KWD",
        [priced("1", 2, "1.125", "1.250", "KWD"), priced("2", 1, "0.375", None, "KWD")],
        {
            "subtotal": "2.625",
            "subtotal_including_tax": "2.875",
            "total_excluding_tax": "3.625",
            "total": "3.875",
        },
        [LineItemChange(number=1, remove=True)],
        {
            "subtotal": "0.375",
            "subtotal_including_tax": "0.375",
            "total_excluding_tax": "1.375",
            "total": "1.375",
            "tax_total": "0",
        },
    ),
    TotalsCase(
        # Another vendor's order: no inc-tax prices, no subtotal, no total_excluding_tax.
        "unset amounts are filled as they are shown",
        "USD",
        [priced("sku-a", 1, "10", None, "USD"), priced("sku-b", 2, "5", None, "USD")],
        {"total": "22", "tax_total": "2"},
        [LineItemChange(number=2, line_item=order_pb2.LineItem(quantity=3), paths=("quantity",))],
        {
            "subtotal": "25",
            "subtotal_including_tax": "25",
            "total_excluding_tax": "25",
            "total": "27",
            "tax_total": "2",
        },
    ),
    TotalsCase(
        "no amount at all: the total is the parts less both discounts",
        "USD",
        [priced("1", 1, "10", "12", "USD")],
        {
            "shipping_total": "4",
            "shipping_total_including_tax": "5",
            "handling_total": "1",
            "discount_total": "2",
            "coupon_discount_total": "1",
        },
        [LineItemChange(number=1, line_item=order_pb2.LineItem(quantity=2), paths=("quantity",))],
        # Shown before: subtotal 10 (inc tax too: the ex-tax one), total 10 + 5 + 1 - 2 - 1.
        {
            "subtotal": "20",
            "subtotal_including_tax": "22",
            "total_excluding_tax": "23",
            "total": "25",
            "tax_total": "2",
        },
    ),
    TotalsCase(
        "a price without its inc-tax price counts for both",
        "USD",
        [priced("1", 2, "10", "11", "USD")],
        {
            "subtotal": "20",
            "subtotal_including_tax": "22",
            "total_excluding_tax": "20",
            "total": "22",
        },
        [
            LineItemChange(
                number=1,
                line_item=order_pb2.LineItem(unit_price=order_pb2.Money(units=15)),
                paths=("unit_price", "unit_price_including_tax"),
            )
        ],
        {
            "subtotal": "30",
            "subtotal_including_tax": "30",
            "total_excluding_tax": "30",
            "total": "30",
            "tax_total": "0",
        },
    ),
    TotalsCase(
        "an amount the mask sets is left as sent",
        "USD",
        [priced("1", 1, "10", "11", "USD")],
        {
            "subtotal": "10",
            "subtotal_including_tax": "11",
            "total_excluding_tax": "10",
            "total": "11",
        },
        [LineItemChange(number=1, line_item=order_pb2.LineItem(quantity=2), paths=("quantity",))],
        {
            "subtotal": "99",
            "subtotal_including_tax": "22",
            "total_excluding_tax": "20",
            "total": "22",
            "tax_total": "2",
        },
        paths=("subtotal",),
    ),
    TotalsCase(
        # 18000000000000000000.000000002 has 29 digits: the default context would round the
        # unchanged line and lose the change.
        "exact beyond 28 digits",
        "USD",
        [
            priced("1", 2, "9000000000000000000.000000001", None, "USD"),
            priced("2", 1, "0.000000001", None, "USD"),
        ],
        {"subtotal": "1", "subtotal_including_tax": "1", "total_excluding_tax": "1", "total": "1"},
        [LineItemChange(number=2, line_item=order_pb2.LineItem(quantity=2), paths=("quantity",))],
        {
            "subtotal": "1.000000001",
            "subtotal_including_tax": "1.000000001",
            "total_excluding_tax": "1.000000001",
            "total": "1.000000001",
            "tax_total": "0",
        },
    ),
]


@pytest.mark.parametrize("case", TOTALS, ids=[case.name for case in TOTALS])
def test_totals_follow_the_changed_lines(case: TotalsCase) -> None:
    current = order_with(*case.lines, currency=case.currency)
    for name, text in case.amounts.items():
        getattr(current, name).CopyFrom(money(text, case.currency))
    patch = order_pb2.Order(subtotal=money("99", case.currency))

    changed = merged_order(
        current,
        patch,
        list(case.paths),
        line_item_changes=case.changes,
        keep_totals_in_step=True,
    )

    for name, text in case.expected.items():
        assert getattr(changed, name) == money(text, case.currency), name


def test_totals_stay_without_keep_totals_in_step_or_without_a_price_change() -> None:
    current = order_with(priced("1", 1, "10", "11", "USD"))
    current.subtotal.CopyFrom(money("10"))
    current.total.CopyFrom(money("11"))
    quantity = LineItemChange(
        number=1, line_item=order_pb2.LineItem(quantity=2), paths=("quantity",)
    )
    rename = LineItemChange(number=1, line_item=order_pb2.LineItem(name="Cup"), paths=("name",))

    not_asked = merge(current, quantity)
    no_amount_moved = merge(current, rename, keep_totals_in_step=True)

    assert (not_asked.subtotal, not_asked.total) == (current.subtotal, current.total)
    assert (no_amount_moved.subtotal, no_amount_moved.total) == (current.subtotal, current.total)
    # What was shown is written down: total_excluding_tax = total - tax_total (unset: 0).
    assert decimal_from_money(no_amount_moved.total_excluding_tax) == Decimal(11)
    assert decimal_from_money(no_amount_moved.tax_total) == Decimal(0)


def test_a_total_too_large_for_money_is_invalid() -> None:
    current = order_with(priced("1", 1, "9000000000000000000", None, "USD"))

    with pytest.raises(InvalidArgument) as raised:
        merge(
            current,
            LineItemChange(number=1, line_item=order_pb2.LineItem(quantity=2), paths=("quantity",)),
            keep_totals_in_step=True,
        )

    assert raised.value.violations[0][0] == "order.subtotal"
