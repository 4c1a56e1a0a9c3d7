"""Canonical money's edges: exact units and nanos, and amounts no Money holds refused at once."""

from decimal import Decimal

import pytest

from core.money import (
    AmountError,
    AmountOutOfRange,
    decimal_from_money,
    minor_units_from_money,
    money_from_decimal,
    money_from_minor_units,
)


@pytest.mark.parametrize(
    ("amount", "units", "nanos"),
    [
        (Decimal("4.50"), 4, 500_000_000),
        (Decimal("-0.000000001"), 0, -1),
        (Decimal("-9223372036854775808"), -(2**63), 0),
        (Decimal("9223372036854775807.999999999"), 2**63 - 1, 999_999_999),
        (12, 12, 0),
    ],
)
def test_an_amount_becomes_the_money_holding_it_exactly(
    amount: Decimal, units: int, nanos: int
) -> None:
    money = money_from_decimal(amount, "USD")

    assert (money.units, money.nanos) == (units, nanos)
    assert decimal_from_money(money) == amount


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("9223372036854775808"),
        Decimal("-9223372036854775809"),
        # Ten million digits: refused before int() would spend minutes expanding it.
        Decimal("1E+10000000"),
    ],
)
def test_an_amount_past_64_bit_units_is_out_of_range(amount: Decimal) -> None:
    with pytest.raises(AmountOutOfRange):
        money_from_decimal(amount, "USD")


def test_an_amount_finer_than_nanos_is_refused() -> None:
    with pytest.raises(AmountError, match="nine fractional digits"):
        money_from_decimal(Decimal("0.0000000001"), "USD")


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD", "CLF"])
@pytest.mark.parametrize(
    "minor_units", [0, 1, -1, 5, -5, 99, 100, -101, 12345, 10**18, -(10**18), 2**62 + 7]
)
def test_minor_units_round_trip_as_the_exact_decimal(currency: str, minor_units: int) -> None:
    exponent = {"USD": 2, "JPY": 0, "KWD": 3, "CLF": 4}[currency]

    money = money_from_minor_units(minor_units, currency)

    assert decimal_from_money(money) == Decimal(minor_units).scaleb(-exponent)
    assert (money.units >= 0) == (money.nanos >= 0) or 0 in (money.units, money.nanos)
    assert minor_units_from_money(money) == minor_units


def test_minor_units_past_64_bit_units_are_out_of_range() -> None:
    with pytest.raises(AmountOutOfRange, match="too large"):
        money_from_minor_units(-(2**63) * 100 - 100, "USD")


def test_an_amount_finer_than_the_minor_unit_has_no_minor_units() -> None:
    with pytest.raises(AmountError, match="finer than its minor unit"):
        minor_units_from_money(money_from_decimal(Decimal("-0.005"), "USD"))
