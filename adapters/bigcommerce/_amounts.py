"""BigCommerce money text, amounts and order totals: exact Decimal arithmetic; no floats."""

# Formats, reads and sums amounts; placing them in protos and vendor JSON is the translators'
# business (_read, _emit, translate).

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.bigcommerce import models
from adapters.bigcommerce.catalogs import ORDER_MONEY_FIELDS
from adapters.money import decimal_from_money
from core.money import optional_amount

# vendor_data["bigcommerce"] key telling how the order's money strings were written.
MONEY_FORMAT_KEY = "money_format"
# "336.3200": the four places BigCommerce writes; "plain": "924.47", "8" (the spec's
# "Multiple Items" example writes every amount that way).
FIXED_FORMAT = "fixed"
PLAIN_FORMAT = "plain"
_FOUR_PLACES = Decimal("0.0001")
_TEN_PLACES = Decimal("0.0000000001")
# A canonical amount has up to 28 significant digits (64-bit units, nine places) and a quantity
# up to 19: a line's price × quantity, and sums of many of them, need more than the default
# context's 28 digits. With these, every amount an order can hold is shown exactly (then
# rounded to four places), never rounded early nor refused by quantize.
EXACT = Context(prec=120)
# Money strings whose writing (four places or plain) the order keeps as its money format.
_MONEY_KEYS = frozenset(
    {
        *ORDER_MONEY_FIELDS,
        "subtotal_tax",
        "shipping_cost_tax",
        "handling_cost_tax",
        "wrapping_cost_tax",
        "base_price",
        "price_ex_tax",
        "price_inc_tax",
        "price_tax",
        "base_total",
        "total_ex_tax",
        "total_inc_tax",
        "total_tax",
        "base_cost_price",
        "cost_price_inc_tax",
        "cost_price_ex_tax",
        "cost_price_tax",
        "refund_amount",
        "wrapping_cost_ex_tax",
        "wrapping_cost_inc_tax",
        "fixed_shipping_cost",
        "discounted_total_inc_tax",
        "base_cost",
        "cost_ex_tax",
        "cost_inc_tax",
        "cost_tax",
        "handling_cost_ex_tax",
        "handling_cost_inc_tax",
        "merchant_shipping_cost",
    }
)
_COST_PARTS = ("subtotal", "shipping_cost", "handling_cost", "wrapping_cost")
# The order object's amounts (amounts_of): the money fields and the *_tax of each cost part.
SHOWN_AMOUNTS = (*ORDER_MONEY_FIELDS, *(f"{part}_tax" for part in _COST_PARTS))


def amount_of(message: Any, field: str) -> Decimal:
    """The amount of a Money field, zero when unset."""
    if message.HasField(field):
        return decimal_from_money(getattr(message, field))
    return Decimal(0)


def format_money(amount: Decimal, money_format: str) -> str:
    """BigCommerce money text: four places ("336.3200") or plain ("924.47", "8")."""
    # Four places is all BigCommerce keeps; finer canonical amounts round half-even.
    fixed = amount.quantize(_FOUR_PLACES, rounding=ROUND_HALF_EVEN)
    if money_format == PLAIN_FORMAT:
        return f"{fixed.normalize():f}"
    return f"{fixed:f}"


def format_rate(amount: Decimal, money_format: str) -> str:
    """An exchange rate: ten places ("1.0000000000") or plain ("1")."""
    if money_format == PLAIN_FORMAT:
        return f"{amount.normalize():f}"
    return f"{amount.quantize(_TEN_PLACES):f}"


def _is_fixed(text: str) -> bool:
    _, dot, fraction = text.partition(".")
    return bool(dot) and len(fraction) == 4 and fraction.isdigit()


def _is_plain(text: str) -> bool:
    try:
        return f"{Decimal(text).normalize():f}" == text
    except ArithmeticError:
        return False


def _money_texts(payload: Mapping[str, Any]) -> list[str]:
    """Every money string in the payload, at any depth (a walk with a stack: no recursion)."""
    texts: list[str] = []
    stack: list[Any] = [payload]
    while stack:
        node = stack.pop()
        if type(node) is dict or isinstance(node, Mapping):
            for key, value in node.items():
                if type(value) is str:
                    if key in _MONEY_KEYS:
                        texts.append(value)
                elif isinstance(value, dict | list | Mapping):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return texts


def money_format_of(payload: Mapping[str, Any]) -> str:
    """ "plain" when every money string is written plain and some not with four places."""
    texts = _money_texts(payload)
    if all(_is_fixed(text) for text in texts) or not all(_is_plain(text) for text in texts):
        return FIXED_FORMAT
    return PLAIN_FORMAT


def fee_amount(fee: models.Fee) -> Decimal:
    """What a fee costs the shopper: cost_inc_tax, else cost_ex_tax plus cost_tax."""
    if fee.cost_inc_tax is not None:
        return fee.cost_inc_tax
    return (fee.cost_ex_tax or Decimal(0)) + (fee.cost_tax or Decimal(0))


def fee_amount_excluding_tax(fee: models.Fee) -> Decimal:
    """What a fee costs before tax: cost_ex_tax, else its amount less cost_tax."""
    if fee.cost_ex_tax is not None:
        return fee.cost_ex_tax
    return fee_amount(fee) - (fee.cost_tax or Decimal(0))


def amounts_of(order: order_pb2.Order) -> dict[str, Decimal]:
    """The order's money fields as shown, filling what a non-BigCommerce order leaves out."""
    given = {vendor: optional_amount(order, field) for vendor, field in ORDER_MONEY_FIELDS.items()}
    amounts = {vendor: amount or Decimal(0) for vendor, amount in given.items()}
    if given["subtotal_ex_tax"] is None:
        amounts["subtotal_ex_tax"] = sum(
            (amount_of(line, "unit_price") * line.quantity for line in order.line_items), Decimal(0)
        )
    for part in _COST_PARTS:
        if given[f"{part}_inc_tax"] is None:
            amounts[f"{part}_inc_tax"] = amounts[f"{part}_ex_tax"]
    if given["total_inc_tax"] is None:
        # As a POST computes it (post_totals): both discounts come off.
        amounts["total_inc_tax"] = (
            sum((amounts[f"{part}_inc_tax"] for part in _COST_PARTS), Decimal(0))
            - amounts["discount_amount"]
            - amounts["coupon_discount"]
        )
    if given["total_ex_tax"] is None:
        amounts["total_ex_tax"] = amounts["total_inc_tax"] - amounts["total_tax"]
    if given["total_tax"] is None:
        amounts["total_tax"] = amounts["total_inc_tax"] - amounts["total_ex_tax"]
    for part in _COST_PARTS:
        amounts[f"{part}_tax"] = amounts[f"{part}_inc_tax"] - amounts[f"{part}_ex_tax"]
    return amounts


def priced_product(product: models.Product) -> dict[str, Any]:
    """A POST product with the line totals BigCommerce computes (catalog prices unknown: 0)."""
    quantity = Decimal(1 if product.quantity is None else product.quantity)
    price_ex = product.price_ex_tax or Decimal(0)
    price_inc = product.price_inc_tax or Decimal(0)
    priced = product.model_dump(exclude_none=True)
    priced.update(
        quantity=int(quantity),
        price_ex_tax=price_ex,
        price_inc_tax=price_inc,
        total_ex_tax=price_ex * quantity,
        total_inc_tax=price_inc * quantity,
        total_tax=(price_inc - price_ex) * quantity,
    )
    return priced


def _pair(body: models.OrderShared, ex_field: str, inc_field: str) -> tuple[Decimal, Decimal]:
    ex, inc = getattr(body, ex_field), getattr(body, inc_field)
    if ex is None and inc is None:
        return Decimal(0), Decimal(0)
    return (inc if ex is None else ex), (ex if inc is None else inc)


def post_totals(post: models.OrderPost, products: Sequence[dict[str, Any]]) -> dict[str, Decimal]:
    """Subtotal and total as BigCommerce computes them for a POST, where not overridden.

    subtotal = Σ line totals (price × quantity), ex and inc tax; total = subtotal + shipping +
    handling + wrapping + fees − discount_amount − coupon_discount; total_tax = inc − ex.
    order_Shared: subtotal_* and total_* are "Override value[s]" and come in ex/inc pairs
    (_read.require_pairs), so an override replaces both figures of its pair and nothing else: a
    subtotal override still feeds the computed total.
    """
    subtotal_ex = sum((p["total_ex_tax"] for p in products), Decimal(0))
    subtotal_inc = sum((p["total_inc_tax"] for p in products), Decimal(0))
    if post.subtotal_ex_tax is not None and post.subtotal_inc_tax is not None:
        subtotal_ex, subtotal_inc = post.subtotal_ex_tax, post.subtotal_inc_tax
    shipping = _pair(post, "shipping_cost_ex_tax", "shipping_cost_inc_tax")
    handling = _pair(post, "handling_cost_ex_tax", "handling_cost_inc_tax")
    wrapping = _pair(post, "wrapping_cost_ex_tax", "wrapping_cost_inc_tax")
    fees = post.fees or []
    fees_ex = sum((fee_amount_excluding_tax(fee) for fee in fees), Decimal(0))
    fees_inc = sum((fee_amount(fee) for fee in fees), Decimal(0))
    # Both discounts come off, ex and inc tax alike: the spec's order 218 has total_inc_tax
    # 69.8400 = 67.8400 + 12.0000 shipping - 5.0000 discount_amount - 5.0000 coupon_discount.
    # order_Post has no coupon field (coupon_discount is order_RespOnly); it counts only when
    # a client sends one anyway, since the order then keeps it as its coupon discount.
    discount = post.discount_amount or Decimal(0)
    discounts = discount + (post.coupon_discount or Decimal(0))
    total_ex = subtotal_ex + shipping[0] + handling[0] + wrapping[0] + fees_ex - discounts
    total_inc = subtotal_inc + shipping[1] + handling[1] + wrapping[1] + fees_inc - discounts
    if post.total_ex_tax is not None and post.total_inc_tax is not None:
        total_ex, total_inc = post.total_ex_tax, post.total_inc_tax
    return {
        "subtotal_ex_tax": subtotal_ex,
        "subtotal_inc_tax": subtotal_inc,
        "shipping_cost_ex_tax": shipping[0],
        "shipping_cost_inc_tax": shipping[1],
        "handling_cost_ex_tax": handling[0],
        "handling_cost_inc_tax": handling[1],
        "wrapping_cost_ex_tax": wrapping[0],
        "wrapping_cost_inc_tax": wrapping[1],
        "discount_amount": discount,
        "total_ex_tax": total_ex,
        "total_inc_tax": total_inc,
        "total_tax": total_inc - total_ex,
    }
