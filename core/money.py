"""Canonical money: Decimal ↔ orderbridge.v1.Money ↔ minor units; never a float, no vendor."""

from decimal import Decimal

from google.protobuf.message import Message
from orderbridge.v1 import order_pb2


class AmountError(ValueError):
    """An amount that a Money (or the currency's minor unit) cannot hold exactly."""


class AmountOutOfRange(AmountError):
    """An amount beyond the 64-bit units of a Money."""


_NANOS = Decimal(1_000_000_000)

# ISO 4217 minor-unit exponents that differ from 2 (the default for every other code).
_MINOR_UNIT_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


def minor_unit_exponent(currency_code: str) -> int:
    """Digits after the decimal point in the currency's minor unit (JPY 0, USD 2, KWD 3)."""
    return _MINOR_UNIT_EXPONENTS.get(currency_code.upper(), 2)


def units_and_nanos(amount: Decimal | int) -> tuple[int, int]:
    """The (units, nanos) of a Money holding `amount` exactly; nanos share the sign of units.

    Raises AmountError past nine fractional digits, AmountOutOfRange past 64-bit units.
    """
    if isinstance(amount, int):
        units, nanos = amount, 0
    elif amount.is_finite() and amount.adjusted() >= 19:
        # Past any 64-bit units, refused before int() expands it (1E+10000000 has ten million
        # digits: minutes of work).
        raise AmountOutOfRange(f"{amount} is too large for an amount of money")
    else:
        units = int(amount)  # truncates toward zero, so nanos share the sign of units
        nanos_exact = (amount - units) * _NANOS
        if nanos_exact != nanos_exact.to_integral_value():
            raise AmountError(f"{amount} has more than nine fractional digits")
        nanos = int(nanos_exact)
    if not -(2**63) <= units < 2**63:
        raise AmountOutOfRange(f"{amount} is too large for an amount of money")
    return units, nanos


def money_from_decimal(amount: Decimal, currency_code: str) -> order_pb2.Money:
    """The Money for an exact amount; more than nine fractional digits cannot be held."""
    units, nanos = units_and_nanos(amount)
    return order_pb2.Money(currency_code=currency_code, units=units, nanos=nanos)


def decimal_from_money(money: order_pb2.Money) -> Decimal:
    """The exact amount a Money holds."""
    return Decimal(money.units) + Decimal(money.nanos) / _NANOS


def money_from_minor_units(minor_units: int, currency_code: str) -> order_pb2.Money:
    """The Money for an amount in minor units (cents for USD, yen for JPY, fils for KWD)."""
    exponent = minor_unit_exponent(currency_code)
    # In integers (a minor unit is at most 10^-4 of a unit, so nanos hold it exactly): the same
    # Money as Decimal(minor_units).scaleb(-exponent) gives, without the Decimal arithmetic.
    whole, rest = divmod(abs(minor_units), 10**exponent)
    sign = -1 if minor_units < 0 else 1
    units = sign * whole
    if not -(2**63) <= units < 2**63:
        amount = Decimal(minor_units).scaleb(-exponent)
        raise AmountOutOfRange(f"{amount} is too large for an amount of money")
    return order_pb2.Money(
        currency_code=currency_code, units=units, nanos=sign * rest * 10 ** (9 - exponent)
    )


def minor_units_from_money(money: order_pb2.Money) -> int:
    """The amount in the currency's minor units; refuses amounts finer than the minor unit."""
    exponent = minor_unit_exponent(money.currency_code)
    scale: int = 10**exponent
    minor_nanos, finer = divmod(money.nanos, 10 ** (9 - exponent))
    if finer:
        raise AmountError(
            f"{decimal_from_money(money)} {money.currency_code} is finer than its minor unit"
        )
    return int(money.units) * scale + int(minor_nanos)


def optional_amount(message: Message, field: str) -> Decimal | None:
    """The exact amount of a Money field of `message`, None when it is unset."""
    return decimal_from_money(getattr(message, field)) if message.HasField(field) else None


def unit_prices(line: order_pb2.LineItem) -> tuple[Decimal, Decimal]:
    """(ex tax, inc tax) unit prices of a line: each falls back to the other (0 when neither),
    as a line with one price is shown and summed."""
    price_ex = optional_amount(line, "unit_price")
    price_inc = optional_amount(line, "unit_price_including_tax")
    if price_ex is None:
        price_ex = price_inc if price_inc is not None else Decimal(0)
    return price_ex, price_ex if price_inc is None else price_inc
