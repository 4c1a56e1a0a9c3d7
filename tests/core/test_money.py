"""Canonical money's edges: exact units and nanos, and amounts no Money holds refused at once."""

from decimal import Decimal

import pytest

from core.money import AmountError, AmountOutOfRange, decimal_from_money, money_from_decimal


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
