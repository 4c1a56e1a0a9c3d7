"""Card numbers and payment tokens out of vendor payment objects; pure, keeps no secret itself."""

import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from adapters.jsonvalues import dumps

# Keys whose whole value is a payment token: dropped, at any depth of a payment object.
PAYMENT_TOKEN_KEYS = frozenset(
    {
        # fabric OMS v1 order, payments[].paymentToken {"token": …} (tests/seeds/003_*.txt).
        "paymentToken",
        # BigCommerce Payments API, POST /payments: payment.instrument.token, the stored card,
        # PayPal account or bank account a payment is charged to ("Process Payments").
        "token",
    }
)
# A PAN is 12 to 19 digits (ISO/IEC 7812-1); it is kept as its last four, as receipts show it.
PAN_MIN_DIGITS = 12
PAN_MAX_DIGITS = 19
KEPT_DIGITS = 4

# Digit groups joined by single spaces or dashes ("4111 1111 1111 1111", "4111-1111-…"); only
# ASCII digits count (str.isdigit would take "²" and other scripts' digits too).
_DIGIT_RUN = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
_DIGIT_GROUP = re.compile(r"[0-9]+")


def is_luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn (mod 10) check of ISO/IEC 7812-1."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = ord(character) - ord("0")
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_pan(digits: str) -> bool:
    """Whether a string of ASCII digits looks like a card number: 12–19 digits, Luhn-valid."""
    return PAN_MIN_DIGITS <= len(digits) <= PAN_MAX_DIGITS and is_luhn_valid(digits)


def mask_pans(value: Any) -> Any:
    """A copy of a JSON value with every card number (PAN) cut to its last four digits.

    A PAN is a Luhn-valid run of 12 to 19 ASCII digits that no further digit touches; its digits
    may be grouped by single spaces or dashes ("4111 1111 1111 1111", "4111-1111-1111-1111").
    The replacement:

    - in a string (an object key too), the PAN with its separators becomes its last four digits
      and the rest of the text stays: "Visa 4111-1111-1111-1111 12/30" → "Visa 1111 12/30". In a
      longer run of groups, whole groups making a PAN are masked ("4111 1111 1111 1111 2030" →
      "1111 2030"), the longest reading first, then the leftmost; masking repeats until nothing
      looks like a PAN, so mask_pans(mask_pans(v)) == mask_pans(v).
    - an integer (or a Decimal with an integer value) that is a PAN becomes its last four as a
      JSON number (4111111111111111 → 1111), or as text when a number would drop a leading zero
      (4111111111190123 → "0123"): the form in which fabric writes a cardIdentifier's last four.
    - in an object, keys and values are masked; two keys that mask alike keep the later value.
    - anything else (booleans, null, numbers with a fraction, shorter or longer runs of digits,
      runs failing the Luhn check such as most transaction ids) stays as it is.
    """
    kind = type(value)  # exact types first: parsed JSON holds nothing else, and it is the hot path
    if kind is dict:
        return {
            _masked_text(key) if type(key) is str else key: mask_pans(item)
            for key, item in value.items()
        }
    if kind is str:
        return _masked_text(value)
    if kind is list:
        return [mask_pans(item) for item in value]
    if kind is int or kind is Decimal:
        return _masked_number(value)
    if isinstance(value, str):
        return _masked_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal):
        return _masked_number(value)
    if isinstance(value, Mapping):
        return {
            _masked_text(key) if isinstance(key, str) else key: mask_pans(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_pans(item) for item in value]
    return value


def without_payment_secrets(payment: Any, amount_keys: Collection[str] = ()) -> Any:
    """A copy of a payment object (any JSON value) with every PAYMENT_TOKEN_KEYS entry dropped,
    at any depth, and every card number masked as mask_pans does, but for the values of its
    top-level `amount_keys`: money is never a card number, however many digits it has."""
    if not amount_keys or not isinstance(payment, Mapping):
        return _masked_unless_clear(_without_tokens(payment))
    amounts = {key: payment[key] for key in amount_keys if key in payment}
    cleaned = _without_tokens({k: v for k, v in payment.items() if k not in amounts})
    return {**_masked_unless_clear(cleaned), **amounts}


def _masked_unless_clear(value: Any) -> Any:
    # The masking walk only where the JSON text has 12 digits in a run (two C passes first).
    return mask_pans(value) if _may_hold_pan(value) else value


# Digits, spaces and dashes all fold to "0": any PAN, grouped or not, becomes a run of at least
# PAN_MIN_DIGITS zeros (so do some dates and phone numbers, which only cost the full check).
_DIGITS_AND_SEPARATORS_TO_ZERO = bytes.maketrans(b"0123456789 -", b"000000000000")
_PAN_CANDIDATE = b"0" * PAN_MIN_DIGITS
_TOKEN_KEY_TEXTS = tuple(f'"{key}":'.encode() for key in PAYMENT_TOKEN_KEYS)


def may_hold_payment_secrets(payment: Any) -> bool:
    """False only when without_payment_secrets would return `payment` unchanged: no token key
    and no run of 12 digits anywhere in its JSON text. Two C passes, no walk in Python."""
    text = _json_text(payment)
    return text is None or any(key in text for key in _TOKEN_KEY_TEXTS) or _pan_in_text(text)


def _may_hold_pan(value: Any) -> bool:
    text = _json_text(value)
    return text is None or _pan_in_text(text)


def _json_text(value: Any) -> bytes | None:
    """The value's JSON text; None when it is not writable as JSON (the walk then decides)."""
    try:
        return dumps(value)
    except TypeError:
        return None


def _pan_in_text(text: bytes) -> bool:
    """Whether masking the JSON text would change it. The text holds each string and number of
    the value verbatim (no whitespace, digits never escaped), and JSON punctuation bounds every
    run of digit groups as the value does: unchanged text means the walk changes nothing. An
    escape ("\\u0019" for a control character) writes digits the value does not have, so text
    with a backslash goes to the walk. (A number such as 4111111111111111.0 reads as a PAN
    here and not in the walk: it only costs the walk.)"""
    if _PAN_CANDIDATE not in text.translate(_DIGITS_AND_SEPARATORS_TO_ZERO):
        return False  # the common case, two C passes
    if b"\\" in text:
        return True
    decoded = text.decode()
    return _masked_text(decoded) != decoded


def without_payment_field_secrets(payload: Any, fields: Collection[str]) -> Any:
    """A copy of an object that carries its payment as top-level fields (BigCommerce's order)
    with each of those `fields` cleaned as without_payment_secrets cleans a payment object; the
    other fields are left alone. Anything but an object is returned as it is."""
    if not isinstance(payload, Mapping):
        return payload
    return {
        key: without_payment_secrets(value) if key in fields else value
        for key, value in payload.items()
    }


# The leaves parsed JSON holds: returned at once, before the slower checks against Mapping.
_JSON_LEAF_TYPES = frozenset({str, int, Decimal, bool, type(None)})


def _without_tokens(value: Any) -> Any:
    kind = type(value)
    if kind in _JSON_LEAF_TYPES:
        return value
    if kind is dict or isinstance(value, Mapping):
        return {
            key: _without_tokens(item)
            for key, item in value.items()
            if key not in PAYMENT_TOKEN_KEYS
        }
    if isinstance(value, list | tuple):
        return [_without_tokens(item) for item in value]
    return value


def _masked_number(value: int | Decimal) -> int | Decimal | str:
    if isinstance(value, Decimal):
        # adjusted() is the exponent of the leading digit: 11 to 18 for 12 to 19 integer digits.
        # Checked first, so that no huge exponent (1E+999999) is ever expanded to its digits.
        if not value.is_finite() or value != value.to_integral_value():
            return value
        if not PAN_MIN_DIGITS - 1 <= abs(value).adjusted() <= PAN_MAX_DIGITS - 1:
            return value
    elif not 10 ** (PAN_MIN_DIGITS - 1) <= abs(value) < 10**PAN_MAX_DIGITS:
        return value
    digits = str(abs(int(value)))
    if not is_pan(digits):
        return value
    last = digits[-KEPT_DIGITS:]
    return last if last.startswith("0") else int(last)


_DIGITS_AND_SEPARATORS_TO_ZERO_TEXT = str.maketrans("0123456789 -", "000000000000")
_PAN_CANDIDATE_TEXT = "0" * PAN_MIN_DIGITS


def _masked_text(text: str) -> str:
    # Most texts (keys, names, short ids) cannot hold 12 digits: skip the regular expression.
    if len(text) < PAN_MIN_DIGITS or _PAN_CANDIDATE_TEXT not in text.translate(
        _DIGITS_AND_SEPARATORS_TO_ZERO_TEXT
    ):
        return text
    masked = _masked_once(text)
    while masked != text:
        text, masked = masked, _masked_once(masked)
    return masked


def _masked_once(text: str) -> str:
    return _DIGIT_RUN.sub(_masked_run, text)


def _masked_run(run: re.Match[str]) -> str:
    """One run of digit groups with each PAN it holds replaced by its last four digits."""
    text = run.group()
    groups = [(group.start(), group.end()) for group in _DIGIT_GROUP.finditer(text)]
    # Spans of whole groups (first, last, digit count) that spell a PAN: the longest is taken
    # first (the whole run, when it is one), then the leftmost.
    spans: list[tuple[int, int, int]] = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += text[groups[last][0] : groups[last][1]]
            if len(digits) > PAN_MAX_DIGITS:
                break
            if is_pan(digits):
                spans.append((first, last, len(digits)))
    chosen: list[tuple[int, int]] = []
    taken: set[int] = set()
    for first, last, _ in sorted(spans, key=lambda span: (-span[2], span[0])):
        if taken.isdisjoint(range(first, last + 1)):
            chosen.append((first, last))
            taken.update(range(first, last + 1))
    if not chosen:
        return text
    pieces: list[str] = []
    end = 0
    for first, last in sorted(chosen):
        start, stop = groups[first][0], groups[last][1]
        pieces.append(text[end:start])
        pieces.append(_last_digits(text[start:stop]))
        end = stop
    pieces.append(text[end:])
    return "".join(pieces)


def _last_digits(text: str) -> str:
    return "".join(character for character in text if "0" <= character <= "9")[-KEPT_DIGITS:]
