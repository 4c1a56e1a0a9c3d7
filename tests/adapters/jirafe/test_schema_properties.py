"""Property tests over events generated from Jirafe's own JSON Schemas (order-placed, -accepted,
-cancelled): refused only with TranslationError for a documented reason, else an exact round
trip and exact money."""

import json
import string
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from adapters import jsonvalues
from adapters.errors import TranslationError
from adapters.jirafe.translate import order_from_jirafe, order_to_jirafe
from adapters.money import decimal_from_money
from tests.adapters.jirafe.conftest import EVENT_SCHEMAS, SCHEMA_BASE, SPECS
from tests.conftest import scaled_examples
from tests.json_strategies import any_json, loaded_integers

Json = Any

# Translation takes a few milliseconds an example; the three events share one property.
EXAMPLES = settings(max_examples=scaled_examples(150), deadline=None)


def _inlined(node: Json) -> Json:
    """The schema with every `$ref` to Jirafe's (dead) schema host replaced by the local file."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_BASE):
            return _inlined(json.loads((SPECS / ref.removeprefix(SCHEMA_BASE)).read_text()))
        return {key: _inlined(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(value) for value in node]
    return node


SCHEMAS = {
    kind: _inlined(json.loads((SPECS / name).read_text())) for kind, name in EVENT_SCHEMAS.items()
}

# The constraint on the schemas' `number`: JSON leaves a number's digits and exponent unbounded,
# but Jirafe's senders are JavaScript (every number a double), and our exact Decimal reading puts
# amounts into a canonical Money (int64 units, nine fractional digits). So a number is drawn as a
# decimal of at most 15 significant digits (exact in a double, whatever its spelling) and at most
# 9 fractional digits, within the schema's own bounds; sometimes as a JSON integer (the schema
# allows 12 where Jirafe writes 12.0). Doubles past these bounds (1e+300, 1e-10) are not drawn:
# Money refuses them ("too large", "more than nine fractional digits"), naming the field.
_MAX_MANTISSA = 10**15 - 1


def _numbers(node: dict[str, Any]) -> st.SearchStrategy[Json]:
    low: int = node.get("minimum", -_MAX_MANTISSA)  # Jirafe's bounds are integers (0, 2^53)
    high: int = node.get("maximum", _MAX_MANTISSA)

    @st.composite
    def number(draw: st.DrawFn) -> Json:
        places = draw(st.integers(0, 9))
        scale = 10**places
        mantissa = draw(
            st.integers(max(-_MAX_MANTISSA, low * scale), min(_MAX_MANTISSA, high * scale))
        )
        amount = Decimal(mantissa).scaleb(-places)
        if places == 0 and draw(st.booleans()):
            return mantissa
        # Shortest spelling (JavaScript's), or with the trailing zeros a decimal type writes.
        return amount.normalize() if draw(st.booleans()) else amount

    return number()


# Values of the fields the schemas leave open (customer.cookies) and of unknown fields (every
# schema allows them): any JSON.
_json_values = any_json(loaded_integers, st.text(max_size=5), _numbers({}))


def _objects(node: dict[str, Any]) -> st.SearchStrategy[Json]:
    properties: dict[str, Any] = node.get("properties", {})
    required = set(node.get("required", []))
    known = st.fixed_dictionaries(
        {key: _strategy(sub, key) for key, sub in properties.items() if key in required},
        optional={
            key: _strategy(sub, key) for key, sub in properties.items() if key not in required
        },
    )
    extra_keys = st.text(max_size=6).filter(lambda key: key not in properties)
    extras = st.dictionaries(extra_keys, _json_values, max_size=2)
    return st.tuples(known, extras).map(lambda pair: {**pair[1], **pair[0]})


def _strategy(node: dict[str, Any], key: str = "") -> st.SearchStrategy[Json]:
    """A strategy for one schema node; every leaf is hypothesis-jsonschema's `from_schema`.

    Objects and arrays are walked here: hypothesis-jsonschema 0.23.1 draws objects through
    Hypothesis' private `many().more()`, which Hypothesis 6.170 removed (AttributeError).
    """
    kind = node.get("type")
    if kind == "object":
        return _objects(node)
    if kind == "array":
        items = _strategy(node.get("items", {}))
        if node.get("uniqueItems"):
            return st.lists(items, max_size=3, unique_by=jsonvalues.canonical_text)
        return st.lists(items, max_size=3)
    if kind == "number":
        return _numbers(node)
    if key == "order_number":
        # Any string, says the schema; not an empty one, says our reading (the upsert key). Filled
        # half the time, so that events are read, not only refused.
        return st.one_of(from_schema({**node, "minLength": 1}), from_schema(node))
    if key == "currency":
        # A string, says the schema; an ISO 4217 code, says order_endpoint.md (and our reading
        # refuses anything else, see _refusal_is_documented). Codes half the time, so that
        # order-accepted events are read, not only refused.
        letters = st.text(string.ascii_letters, min_size=3, max_size=3)
        return st.one_of(letters, from_schema(node))
    return from_schema(node)


_events = st.one_of(*(_strategy(schema) for schema in SCHEMAS.values()))

# Reasons our reading is documented to be stricter than the schemas (README, Jirafe section).
_DOCUMENTED_REFUSALS = {
    # "must not be empty (it is the upsert key)"
    "order_number": "must not be empty",
    # "3 letters required"
    "currency": "expected an ISO 4217 code",
}


def _refusal_is_documented(error: TranslationError) -> bool:
    expected = _DOCUMENTED_REFUSALS.get(error.field)
    if expected is not None:
        return error.reason.startswith(expected)
    # A date-time of the schema's full range whose UTC moment falls outside year 1…9999, the
    # range of a Timestamp ("0001-01-01T00:00:00+01:00" is in year 0).
    return error.field.endswith("date") and "outside the years 1 to 9999 in UTC" in error.reason


def _wire(event: Json) -> Json:
    """The event as a receiver reads it: JSON text, parsed with our exact number reading."""
    return jsonvalues.loads(jsonvalues.dumps(event))


def _read_exactly(event: Json) -> None:
    refusal: TranslationError | None = None
    try:
        order = order_from_jirafe(event)
    except TranslationError as error:
        refusal = error
    if refusal is not None:
        assert _refusal_is_documented(refusal), (refusal.field, refusal.reason)
        return
    assert jsonvalues.canonical_text(order_to_jirafe(order)) == jsonvalues.canonical_text(event)
    if event["status"] != "accepted":
        return
    # The money invariants: each amount exactly the event's decimal, in the event's currency.
    currency = event["currency"].upper()
    totals = {"subtotal": order.subtotal, "total": order.total, "total_tax": order.tax_total}
    for field, money in totals.items():
        assert money.currency_code == currency, field
        assert decimal_from_money(money) == Decimal(event[field]), field


_CANCELLED_IN_YEAR_ZERO = {
    "order_number": "1",
    "cancel_date": "0001-01-01T00:00:00+01:00",
    "status": "cancelled",
}


@EXAMPLES
@given(_events)
# Found: a schema-valid date-time whose UTC moment is in year 0 raised OverflowError.
@example(_CANCELLED_IN_YEAR_ZERO)
def test_any_schema_valid_event_is_read_exactly_or_refused_for_a_documented_reason(
    generated: Json,
) -> None:
    _read_exactly(_wire(generated))


@EXAMPLES
@given(_strategy(SCHEMAS["accepted"]))
def test_a_schema_valid_accepted_event_keeps_its_money_exactly(generated: Json) -> None:
    _read_exactly(_wire(generated))


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (_CANCELLED_IN_YEAR_ZERO, "cancel_date"),
        ({**_CANCELLED_IN_YEAR_ZERO, "cancel_date": "9999-12-31T23:59:59-00:01"}, "cancel_date"),
    ],
)
def test_a_date_time_outside_the_timestamp_years_is_refused_naming_its_field(
    event: Json, field: str
) -> None:
    with pytest.raises(TranslationError) as raised:
        order_from_jirafe(event)
    assert raised.value.field == field
    assert "outside the years 1 to 9999 in UTC" in raised.value.reason
