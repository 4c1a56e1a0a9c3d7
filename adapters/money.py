"""Vendor money: exact numbers from vendor JSON, fixed-point text; canonical money lives in core."""

from decimal import Decimal, InvalidOperation
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.errors import ErrorKind, TranslationError
from core import money as canonical
from core.money import decimal_from_money, minor_unit_exponent

__all__ = [
    "decimal_from_money",
    "format_fixed",
    "minor_unit_exponent",
    "minor_units_from_money",
    "money_error",
    "money_from_decimal",
    "money_from_minor_units",
    "parse_decimal",
    "put_money",
]


def parse_decimal(value: Any, field: str) -> Decimal:
    """A Decimal from a JSON value parsed with ``parse_float=Decimal``, an int or a numeric string.

    Floats are refused: they have already lost the exact text the vendor sent.
    """
    if isinstance(value, bool) or value is None or isinstance(value, float):
        raise TranslationError(field, f"expected an exact number, got {type(value).__name__}")
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise TranslationError(field, f"not a number: {value!r}") from None
    else:
        raise TranslationError(field, f"expected a number, got {type(value).__name__}")
    if not amount.is_finite():
        raise TranslationError(field, f"not a finite number: {value!r}")
    return amount


def money_error(field: str, error: canonical.AmountError) -> TranslationError:
    """The TranslationError naming `field` for an amount Money cannot hold."""
    kind: ErrorKind = "range" if isinstance(error, canonical.AmountOutOfRange) else "format"
    return TranslationError(field, str(error), kind)


def money_from_decimal(amount: Decimal, currency_code: str, field: str = "") -> order_pb2.Money:
    """The Money for an exact amount; a TranslationError naming `field` when it cannot be held."""
    try:
        return canonical.money_from_decimal(amount, currency_code)
    except canonical.AmountError as error:
        raise money_error(field, error) from None


def put_money(
    target: order_pb2.Money, amount: Decimal | int, currency_code: str, field: str = ""
) -> None:
    """Sets `target` to the exact amount (no Money built and copied: the read's hot path)."""
    try:
        target.units, target.nanos = canonical.units_and_nanos(amount)
    except canonical.AmountError as error:
        raise money_error(field, error) from None
    target.currency_code = currency_code


def money_from_minor_units(
    minor_units: int, currency_code: str, field: str = ""
) -> order_pb2.Money:
    """The Money for an amount in minor units (Drip cents; yen for JPY; fils for KWD)."""
    try:
        return canonical.money_from_minor_units(minor_units, currency_code)
    except canonical.AmountError as error:
        raise money_error(field, error) from None


def minor_units_from_money(money: order_pb2.Money, field: str = "") -> int:
    """The amount in the currency's minor units; refuses amounts finer than the minor unit."""
    try:
        return canonical.minor_units_from_money(money)
    except canonical.AmountError as error:
        raise money_error(field, error) from None


def format_fixed(money: order_pb2.Money, places: int, field: str = "") -> str:
    """The amount as a string with exactly `places` decimals (BigCommerce "336.3200")."""
    amount = decimal_from_money(money)
    fixed = amount.quantize(Decimal(1).scaleb(-places))
    if fixed != amount:
        raise TranslationError(field, f"{amount} needs more than {places} decimal places")
    return f"{fixed:f}"
