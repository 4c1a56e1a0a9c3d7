"""Drip orders drawn from the documented order schema: read exactly, or refused as documented."""

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from orderbridge.v1 import order_pb2

from adapters import jsonvalues
from adapters.drip.translate import order_from_drip, order_to_drip
from adapters.errors import TranslationError
from adapters.money import decimal_from_money, minor_unit_exponent
from tests.conftest import scaled_examples
from tests.json_strategies import any_json, as_loaded, loaded_integers

Json = Any

HERE = Path(__file__).parent
SCHEMA: dict[str, Any] = json.loads((HERE / "drip_order.schema.json").read_text())
DOCS = HERE.parents[1] / "vendor_specs" / "drip" / "docs-source"

# Drawing an order takes tens of milliseconds (translating and validating it, about two); the
# two shapes of _orders.md (request element, order object) share one property.
EXAMPLES = settings(max_examples=scaled_examples(200), deadline=None)


# ---------------------------------------------------------------------------------------------
# The schema, and a check of what is generated from it


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    """The node with its local `$ref` replaced by the target, the node's own keywords added
    (2020-12 applies both; in this schema they add descriptions and `required`)."""
    ref = node.get("$ref")
    if ref is None:
        return node
    target = _resolved(SCHEMA["$defs"][ref.removeprefix("#/$defs/")])
    own = {key: value for key, value in node.items() if key != "$ref"}
    required = [*target.get("required", []), *own.get("required", [])]
    return {**target, **own, **({"required": required} if required else {})}


# An RFC 3339 date-time, what the schema's "date-time" means (jsonschema checks the format only
# with the optional rfc3339-validator installed, so the check is spelled out here).
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_FORMATS = jsonschema.FormatChecker(["email"])
_FORMATS.checks("date-time")(
    lambda value: not isinstance(value, str) or bool(_RFC3339.match(value))
)
_FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(urlsplit(value).scheme))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=_FORMATS)


def _check_schema_valid(payload: Json) -> None:
    # Validated as the JSON text Drip would receive: jsonschema takes no Decimal for an integer,
    # and 4900.0 is a JSON Schema integer (a number with a zero fractional part).
    _VALIDATOR.validate(json.loads(jsonvalues.dumps(payload)))


# ---------------------------------------------------------------------------------------------
# Generation: hypothesis-jsonschema's `from_schema` for the leaves, objects composed here

# The constraint on numbers. JSON bounds neither digits nor exponent; the payloads here travel
# as adapters.jsonvalues.dumps writes them (a Decimal positionally) and loads reads them back
# (every non-integer, and every integer beyond 64 bits, as the exact Decimal of its text). So a
# number is drawn as loads gives it: any int (beyond 64 bits, the Decimal of its digits), or a
# decimal of up to 30 significant digits and 30 fractional ones, trailing zeros kept (4.50).
# _orders.md's amounts and quantity are integers, which JSON Schema 2020-12 defines as numbers
# with a zero fractional part: also drawn spelled 4900.0 or 4900.00, as a decimal type writes.
_MAX_MANTISSA = 10**30


@st.composite
def _decimals(draw: st.DrawFn) -> Decimal:
    mantissa = draw(st.integers(-_MAX_MANTISSA, _MAX_MANTISSA))
    return Decimal(f"{mantissa}E-{draw(st.integers(1, 30))}")  # exact: no context rounding


def _integers(node: dict[str, Any]) -> st.SearchStrategy[Json]:
    # Unbounded, as the docs leave them; half the time within 64 bits, the integers most
    # senders' types hold (and every amount a Money holds), so that orders are read, not only
    # refused with range_error.
    whole = st.one_of(
        from_schema({**node, "minimum": -(2**63), "maximum": 2**63 - 1}), from_schema(node)
    )
    # Spelled from text, exactly: Decimal.quantize would round past the context's 28 digits.
    spelled = st.tuples(whole, st.integers(1, 2)).map(
        lambda pair: Decimal(f"{pair[0]}.{'0' * pair[1]}")
    )
    return st.one_of(whole.map(as_loaded), spelled)


_json_values = any_json(
    loaded_integers, _decimals(), from_schema({"type": "string", "maxLength": 5})
)


def _objects(node: dict[str, Any], also_required: tuple[str, ...] = ()) -> st.SearchStrategy[Json]:
    properties: dict[str, Any] = node.get("properties", {})
    required = {*node.get("required", []), *also_required}
    known = st.fixed_dictionaries(
        {key: _strategy(sub, required=True) for key, sub in properties.items() if key in required},
        optional={key: _strategy(sub) for key, sub in properties.items() if key not in required},
    )
    if properties and not required:
        # A table that marks nothing Required (the order object, its items, addresses, links):
        # half the time every documented key, as in the docs' example, which shows them all;
        # else any of them. So that order objects have their amount and links.subscriber often
        # enough to be read, not only refused.
        every_key = st.fixed_dictionaries({key: _strategy(sub) for key, sub in properties.items()})
        known = st.one_of(every_key, known)
    # No table forbids other keys (every object allows additional properties): any JSON.
    extra_keys = st.text(max_size=6).filter(lambda key: key not in properties)
    extras = st.dictionaries(extra_keys, _json_values, max_size=2 if properties else 3)
    return st.tuples(known, extras).map(lambda pair: {**pair[1], **pair[0]})


def _strategy(node: dict[str, Any], required: bool = False) -> st.SearchStrategy[Json]:
    """A strategy for one schema node; every leaf is hypothesis-jsonschema's `from_schema`.

    Objects and arrays are walked here: hypothesis-jsonschema 0.23.1 draws objects through
    Hypothesis' private `many().more()`, which Hypothesis 6.170 removed (AttributeError).
    """
    node = _resolved(node)
    if "anyOf" in node and "properties" not in node:
        return st.one_of(*(_strategy(branch) for branch in node["anyOf"]))
    kind = node.get("type")
    if kind == "object":
        # order_element's "Either email or id must be included": anyOf of `required` alone.
        branches = [tuple(branch["required"]) for branch in node.get("anyOf", [])] or [()]
        return st.one_of(*(_objects(node, names) for names in branches))
    if kind == "array":
        return st.lists(_strategy(node.get("items", {})), max_size=3)
    if kind == "integer":
        return _integers(node)
    if required and kind == "string":
        # items[].name: any string, says the schema; "Required", says _orders.md, and our reading
        # takes a blank one for a missing one (presence_error). Not blank half the time, so that
        # items are read, not only refused.
        return st.one_of(from_schema({**node, "pattern": r"\S"}), from_schema(node))
    if node.get("pattern") == "^[A-Z]{3}$":
        # currency_code, any three capitals; half the time a code whose minor unit is not the
        # hundredth (ISO 4217: JPY 0 digits, KWD 3, CLF 4), which "in cents" amounts scale by.
        return st.one_of(from_schema(node), st.sampled_from(["USD", "JPY", "KWD", "CLF"]))
    return from_schema(node)


_orders = _strategy(SCHEMA)


# ---------------------------------------------------------------------------------------------
# What our reading refuses of a schema-valid order, and why that is documented

_MONEY_FIELDS = ("amount", "tax", "fees", "discount", "price")
_TIME_FIELDS = ("occurred_at", "closed_at", "cancelled_at")
_PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_ABSENT = object()


def _at(payload: Json, path: str) -> Any:
    """The value at a Drip field path ("items[2].amount"), or _ABSENT."""
    node = payload
    for name, index in _PATH_STEP.findall(path):
        if name and isinstance(node, dict) and name in node:
            node = node[name]
        elif index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
        else:
            return _ABSENT
    return node


def _currency(payload: Json) -> str:
    # The reading's currency: currency_code upper-cased, else USD (catalogs.DEFAULT_CURRENCY;
    # _orders.md prices everything "in cents (e.g. if the order was $49.99 …)").
    code = payload.get("currency_code")
    return code.upper() if isinstance(code, str) else "USD"


def _beyond_money(cents: Any, currency: str) -> bool:
    # google.type.Money units are 64-bit (truncated toward zero): an amount of 2^63 currency
    # units or more, either sign, has no Money.
    amount = Decimal(cents).scaleb(-minor_unit_exponent(currency))
    return not -(2**63) - 1 < amount < 2**63


def _names_no_subscriber(payload: Json) -> bool:
    # _orders.md: "Either email or id must be included"; the order object's subscriber is
    # links.subscriber, its `id` being the order record's. An empty id names no one.
    links = payload.get("links")
    subscriber = links.get("subscriber") if isinstance(links, dict) else payload.get("id")
    return "email" not in payload and subscriber in (None, "")


def _refusal_is_documented(error: TranslationError, payload: Json) -> bool:
    """Whether the refusal names a field and a reason _orders.md and _errors.md document, and
    the payload's value at that field is indeed so."""
    value = _at(payload, error.field)
    leaf = error.field.rsplit(".", 1)[-1]
    if error.kind == "presence":
        # _errors.md presence_error, "The attribute is required", for _orders.md's "Required."
        # amount, items[].name and items[].amount (the order object's table marks none) and for
        # "Either email or id must be included" (named on email).
        if error.field == "email":
            return _names_no_subscriber(payload)
        if error.field == "amount" or re.fullmatch(r"items\[\d+\]\.(name|amount)", error.field):
            return value is _ABSENT or (isinstance(value, str) and not value.strip())
        return False
    if error.kind == "range" and error.reason.startswith("is out of range"):
        # _errors.md range_error, "A numeric value is out of range": an amount no Money holds,
        # a quantity beyond the canonical 64-bit one.
        if leaf in _MONEY_FIELDS and value is not _ABSENT:
            return _beyond_money(value, _currency(payload))
        if leaf == "quantity" and value is not _ABSENT:
            return not -(2**63) <= int(value) < 2**63
        return False
    if error.kind == "time" and leaf in _TIME_FIELDS:
        # _errors.md time_error. A date-time of RFC 3339's full range whose UTC moment falls
        # outside year 1…9999, the range of a Timestamp ("0001-01-01T00:00:00+01:00" is in year 0).
        return "outside the years 1 to 9999 in UTC" in error.reason and isinstance(value, str)
    return False


# ---------------------------------------------------------------------------------------------
# The property

# Money fields of an order and of an item, with their canonical homes (README, Vendor mappings).
_ORDER_MONEY = {
    "amount": "total",
    "tax": "tax_total",
    "fees": "fee_total",
    "discount": "discount_total",
}
_ITEM_MONEY = {
    "amount": "total",
    "price": "unit_price",
    "tax": "tax",
    "fees": "fees",
    "discount": "discount",
}


def _wire(payload: Json) -> Json:
    """The order as a receiver reads it: JSON text, parsed with our exact number reading."""
    return jsonvalues.loads(jsonvalues.dumps(payload))


def _as_request_element(payload: Json) -> Json:
    """What order_to_drip gives back for an order: the order object's read-only `id` and `links`
    are server-assigned (README, Drip "Order fields"), and a request element names the
    subscriber by `id`."""
    links = payload.get("links")
    if not isinstance(links, dict):
        return payload
    element = {key: value for key, value in payload.items() if key not in ("id", "links")}
    if links.get("subscriber") is not None:
        element["id"] = links["subscriber"]
    return element


def _assert_money_is_exact(
    money_by_key: dict[str, str], drip: Json, message: Any, currency: str, where: str
) -> None:
    exponent = minor_unit_exponent(currency)
    for key, field in money_by_key.items():
        if key not in drip:
            assert not message.HasField(field), f"{where}{field}"
            continue
        money: order_pb2.Money = getattr(message, field)
        assert money.currency_code == currency, f"{where}{key}"
        assert decimal_from_money(money) == Decimal(drip[key]).scaleb(-exponent), f"{where}{key}"


def _read_exactly(payload: Json) -> None:
    refusal: TranslationError | None = None
    try:
        order = order_from_drip(payload)
    except TranslationError as error:
        refusal = error
    if refusal is not None:
        assert _refusal_is_documented(refusal, payload), (
            refusal.field,
            refusal.kind,
            refusal.reason,
        )
        return
    stored = order_pb2.Order.FromString(order.SerializeToString())
    assert jsonvalues.canonical_text(order_to_drip(stored)) == jsonvalues.canonical_text(
        _as_request_element(payload)
    )
    # The money invariants: every amount exactly its canonical Money, in the order's currency.
    currency = _currency(payload)
    assert order.currency_code == currency
    _assert_money_is_exact(_ORDER_MONEY, payload, order, currency, "")
    items = payload.get("items", [])
    assert len(order.line_items) == len(items)
    for index, (item, line) in enumerate(zip(items, order.line_items, strict=True)):
        _assert_money_is_exact(_ITEM_MONEY, item, line, currency, f"items[{index}].")
    # The canonical fields alone, without the residue, give every amount back.
    order.vendor_data.pop("drip", None)
    bare = order_to_drip(order)
    for key in _ORDER_MONEY:
        assert bare.get(key) == payload.get(key), key
    for index, (item, bare_item) in enumerate(zip(items, bare.get("items", []), strict=True)):
        for key in _ITEM_MONEY:
            assert bare_item.get(key) == item.get(key), f"items[{index}].{key}"


@EXAMPLES
@given(_orders)
# Found: an empty subscriber `id` was read as an order without a subscriber, which could not be
# written back without its residue ("email is required"); now refused on email. The order
# object's `id` with empty links named no subscriber either, and was not written back at all.
@example({"id": "", "amount": 0})
@example({"id": "9999999", "amount": 0, "links": {}})
# Found: a quantity of 0.0, a JSON Schema integer, was refused ("must be an integer"); read now,
# and written back as 0.0 (the second example is the first with a subscriber that is named).
@example(
    {
        "id": "",
        "amount": 0,
        "permalink": "https://A.COM",
        "items": [{"name": "E", "amount": 0, "quantity": Decimal("0.0")}],
    }
)
@example(
    {"id": "5", "amount": 0, "items": [{"name": "E", "amount": 0, "quantity": Decimal("0.0")}]}
)
# Found by the residue engine's first Drip read: an empty upstream_id with a provider is written
# as no key (the reference's id is empty), so the read must spell the "" it came as.
@example({"id": "5", "provider": "0", "upstream_id": "", "amount": 0})
def test_any_schema_valid_order_is_read_exactly_or_refused_for_a_documented_reason(
    generated: Json,
) -> None:
    _check_schema_valid(generated)
    _read_exactly(_wire(generated))


# ---------------------------------------------------------------------------------------------
# The schema against Drip's own examples


def _doc_orders() -> list[tuple[str, Json]]:
    """The order object and the create request's order element, as _orders.md writes them."""
    text = (DOCS / "_orders.md").read_text()
    order_object = re.search(r"```json\n(.*?)```", text, re.DOTALL)
    request = re.search(r"<< EOF\n(.*?)\nEOF", text, re.DOTALL)
    assert order_object is not None
    assert request is not None
    return [
        ("order object", jsonvalues.loads(order_object.group(1))),
        ("create request element", jsonvalues.loads(request.group(1))["orders"][0]),
    ]


@pytest.mark.parametrize("order", [pytest.param(order, id=name) for name, order in _doc_orders()])
def test_drips_own_examples_are_valid_under_the_schema_and_read_exactly(order: Json) -> None:
    _check_schema_valid(order)
    _read_exactly(order)


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"name": "E", "amount": Decimal("1E+999999999")}, "items[0].amount"),
        ({"name": "E", "amount": 0, "quantity": Decimal("1E+999999999")}, "items[0].quantity"),
    ],
)
def test_an_integer_with_a_huge_exponent_is_a_range_error_without_being_expanded(
    item: Json, field: str
) -> None:
    # `1e999999999` is a JSON Schema integer (the draws above never spell one: dumps writes a
    # Decimal positionally). The amount's int() expanded it: 1e1000000 alone took over 30 s.
    with pytest.raises(TranslationError) as raised:
        order_from_drip({"id": "5", "amount": 0, "items": [item]})
    assert (raised.value.field, raised.value.kind) == (field, "range")


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
