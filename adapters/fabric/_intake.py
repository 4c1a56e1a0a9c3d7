"""fabric JSON as it comes in: validation naming the fabric field, card numbers and payment
tokens out; maps nothing (that is _read's)."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from orderbridge.v1 import order_pb2
from pydantic import BaseModel, ValidationError

from adapters.codec import Residue, store
from adapters.errors import TranslationError
from adapters.fabric._numbers import id_value
from adapters.fabric.catalogs import VENDOR
from adapters.secrets import may_hold_payment_secrets, without_payment_secrets

_MISSING = object()
_ModelT = TypeVar("_ModelT", bound=BaseModel)

# A payment's numbers that are money, never masked as card numbers (seed 003: amount 533.33,
# conversion 1).
PAYMENT_AMOUNT_KEYS = ("amount", "conversion")


# Validation.


def validated(model_type: type[_ModelT], payload: Mapping[str, Any]) -> _ModelT:
    """The payload as `model_type`; TranslationError naming the first invalid fabric field."""
    if not isinstance(payload, Mapping):
        raise TranslationError("", "expected a JSON object")
    try:
        return model_type.model_validate(dict(payload))
    except ValidationError as error:
        first = error.errors()[0]
        path = _vendor_path(payload, first["loc"], missing=first["type"] == "missing")
        raise TranslationError(path, first["msg"]) from None


def _vendor_path(payload: Any, loc: Sequence[int | str], *, missing: bool) -> str:
    """The fabric path of a pydantic error location, without pydantic's union-member labels
    (("zipCode", "int") → "zipCode"): only steps that exist in the payload are kept, plus the
    last one when the field is missing."""
    steps: list[int | str] = []
    node = payload
    for index, step in enumerate(loc):
        child = _child(node, step)
        if child is _MISSING and not (missing and index == len(loc) - 1):
            break
        steps.append(step)
        node = child
    return join_path(steps)


def _child(node: Any, step: int | str) -> Any:
    if isinstance(node, Mapping) and isinstance(step, str):
        return node.get(step, _MISSING)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return _MISSING


def join_path(steps: Iterable[int | str]) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


# Secrets.


def without_payment_card_numbers(payload: Any) -> Any:
    """The payload with each payments[] object cleaned by adapters.secrets (tokens dropped, card
    numbers masked) before anything reads it; other objects are cleaned when kept."""
    if not isinstance(payload, Mapping):
        return payload  # not an order object: validated rejects it
    payments = payload.get("payments")
    if not isinstance(payments, list) or not any(map(may_hold_payment_secrets, payments)):
        return payload
    raw = dict(payload)
    raw["payments"] = [
        without_payment_secrets(payment, PAYMENT_AMOUNT_KEYS) for payment in payments
    ]
    return raw


def store_residue(order: order_pb2.Order, residue: Residue) -> None:
    """Stores what the read kept in vendor_data, without a payment token or a card identifier
    longer than its last four, wherever in the payload they sat."""
    store(
        order.vendor_data,
        VENDOR,
        residue,
        secret_keys=("paymentToken", "cardIdentifier"),
        clean=strip_secrets,
    )


def strip_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if key == "paymentToken":
                continue
            if key == "cardIdentifier":
                last4 = card_last4(item)
                if last4:
                    cleaned[key] = id_value(last4)
                continue
            cleaned[key] = strip_secrets(item)
        return cleaned
    if isinstance(value, list):
        return [strip_secrets(item) for item in value]
    return value


def card_last4(identifier: object) -> str:
    if isinstance(identifier, bool) or not isinstance(identifier, int | str):
        return ""
    return "".join(character for character in str(identifier) if character.isdigit())[-4:]
