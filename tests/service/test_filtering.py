"""The filter, order_by and page-token parsers on their own: table-driven, no database."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from orderbridge.v1 import order_pb2

from core.errors import InvalidArgument
from service.filtering import (
    DEFAULT_ORDERING,
    MAX_FILTER_BYTES,
    MAX_FILTER_DEPTH,
    And,
    Comparison,
    Expression,
    ExternalRefValue,
    Membership,
    Not,
    Or,
    Ordering,
    Presence,
    SortKey,
    decode_page_token,
    encode_page_token,
    parse_filter,
    parse_order_by,
    query_fingerprint,
)


def eq(field: str, value: object) -> Comparison:
    return Comparison(field, "=", value)  # type: ignore[arg-type]  # test values are typed


A, B, C, D = (eq("cart_id", name) for name in "abcd")
NOON = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

PARSED: list[tuple[str, Expression | None]] = [
    # Blank filters match everything.
    ("", None),
    ("   ", None),
    # Precedence (AIP-160): NOT, then OR, then AND; juxtaposition is AND.
    ("cart_id = a", A),
    ("cart_id = a AND cart_id = b", And((A, B))),
    ("cart_id = a OR cart_id = b", Or((A, B))),
    ("cart_id = a AND cart_id = b OR cart_id = c", And((A, Or((B, C))))),
    ("cart_id = a OR cart_id = b AND cart_id = c", And((Or((A, B)), C))),
    ("cart_id = a cart_id = b OR cart_id = c", And((A, Or((B, C))))),
    ("cart_id = a OR cart_id = b cart_id = c OR cart_id = d", And((Or((A, B)), Or((C, D))))),
    ("(cart_id = a AND cart_id = b) OR cart_id = c", Or((And((A, B)), C))),
    ("cart_id = a AND cart_id = b AND cart_id = c", And((A, B, C))),
    ("((cart_id = a))", A),
    # Negation: NOT and -, binding tighter than OR.
    ("NOT cart_id = a", Not(A)),
    ("-cart_id = a", Not(A)),
    ("NOT cart_id = a OR cart_id = b", Or((Not(A), B))),
    ("-(cart_id = a OR cart_id = b)", Not(Or((A, B)))),
    ("NOT (cart_id = a) AND -cart_id = b", And((Not(A), Not(B)))),
    # Membership and the has-operator.
    ("cart_id:(a OR b OR c)", Membership("cart_id", ("a", "b", "c"))),
    ("cart_id:(a OR a)", Membership("cart_id", ("a",))),
    (
        "lifecycle_state:(CONFIRMED OR completed)",
        Membership(
            "lifecycle_state",
            (order_pb2.LIFECYCLE_STATE_CONFIRMED, order_pb2.LIFECYCLE_STATE_COMPLETED),
        ),
    ),
    ("serial_number:(1 OR 2)", Membership("serial_number", (1, 2))),
    ("cart_id:a", A),
    ("cart_id:*", Presence("cart_id")),
    ('cart_id:"*"', eq("cart_id", "*")),
    ("payment_state:*", Presence("payment_state")),
    ("external_ref:*", Presence("external_ref")),
    (
        'external_ref:("pos/1" OR "web/2")',
        Membership("external_ref", (ExternalRefValue("pos", "1"), ExternalRefValue("web", "2"))),
    ),
    # Values: quoted (both quotes, escapes) or bare; keywords only when quoted.
    ('cart_id = "a b"', eq("cart_id", "a b")),
    ("cart_id = 'a b'", eq("cart_id", "a b")),
    (r'cart_id = "say \"hi\" \\ \n"', eq("cart_id", 'say "hi" \\ \n')),
    ('cart_id = "OR"', eq("cart_id", "OR")),
    ("cart_id = ORANGE", eq("cart_id", "ORANGE")),
    ("cart_id=-a", eq("cart_id", "-a")),
    ('cart_id = ""', eq("cart_id", "")),
    # Every field, its value parsed to the column's type.
    ("lifecycle_state = CANCELLED", eq("lifecycle_state", order_pb2.LIFECYCLE_STATE_CANCELLED)),
    (
        "lifecycle_state != LIFECYCLE_STATE_CANCELLED",
        Comparison("lifecycle_state", "!=", order_pb2.LIFECYCLE_STATE_CANCELLED),
    ),
    ("payment_state = paid", eq("payment_state", order_pb2.PAYMENT_STATE_PAID)),
    (
        'fulfillment_state = "SHIPPED"',
        eq("fulfillment_state", order_pb2.FULFILLMENT_STATE_SHIPPED),
    ),
    ("create_time >= 2024-05-01T12:00:00Z", Comparison("create_time", ">=", NOON)),
    ('update_time < "2024-05-01T14:00:00+02:00"', Comparison("update_time", "<", NOON)),
    ("place_time > 2024-05-01T12:00:00", Comparison("place_time", ">", NOON)),
    ("serial_number <= 42", Comparison("serial_number", "<=", 42)),
    ("serial_number != -1", Comparison("serial_number", "!=", -1)),
    ("total >= 29.97", Comparison("total", ">=", 29_970_000_000)),
    ("total < -0.5", Comparison("total", "<", -500_000_000)),
    ("total = 2.997e9", eq("total", 2_997_000_000_000_000_000)),
    ("total = 1.500000000000", eq("total", 1_500_000_000)),
    ("total = 1E+3", eq("total", 1_000_000_000_000)),
    ('total = "0.000000001"', eq("total", 1)),
    ("order_number = ON-1", eq("order_number", "ON-1")),
    ("channel = web", eq("channel", "web")),
    ("channel != ''", Comparison("channel", "!=", "")),
    ('customer.id = "c-1"', eq("customer.id", "c-1")),
    ('customer.email = "Ann@Example.COM"', eq("customer.email", "ann@example.com")),
    ("native_status.code = 11", eq("native_status.code", "11")),
    ("native_status.source = bigcommerce", eq("native_status.source", "bigcommerce")),
    ("payment_method = card", eq("payment_method", "card")),
    (
        'external_ref = "drip:shopify/a/b"',
        eq("external_ref", ExternalRefValue("drip:shopify", "a/b")),
    ),
    ("external_ref.source != pos", Comparison("external_ref.source", "!=", "pos")),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_filter_parses_to_its_expression(text: str, expected: Expression | None) -> None:
    assert parse_filter(text) == expected


def test_values_are_parsed_to_their_field_types() -> None:
    parsed = parse_filter('update_time > "2024-05-01T12:00:00-04:00"')
    assert isinstance(parsed, Comparison)
    assert parsed.value == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)
    assert isinstance(parsed.value, datetime)
    assert parsed.value.utcoffset() == timedelta(0)


REFUSED: list[tuple[str, str]] = [
    # Syntax.
    ("nonsense", "unexpected end"),
    ("nonsense nonsense", "unexpected text at 9"),
    ("cart_id", "unexpected"),
    ("cart_id =", "unexpected end"),
    ("cart_id = a AND", "unexpected end"),
    ("AND", "unexpected"),
    ("(cart_id = a", "unexpected"),
    ("cart_id = a)", "unexpected text at 11"),
    ('cart_id = "open', "unexpected text at 10"),
    ("cart_id = a,b", "unexpected text at 11"),
    ("NOT NOT cart_id = a", "unexpected"),
    ("cart_id = (a OR b)", "unexpected text at 10"),
    ("cart_id == a", "unexpected"),
    ("count(cart_id) = 1", "unexpected"),
    ("cart_id = OR cart_id = b", "bare OR as a value"),
    ("cart_id = a AND cart_id = NOT", "bare NOT as a value"),
    # Fields and operators.
    ("foo = 1", "unknown field foo"),
    ("customer.name = a", "unknown field customer.name"),
    ("foo:(a OR b)", "unknown field foo"),
    ('cart_id < "a"', "cart_id supports only = and !="),
    ("channel >= a", "channel supports only = and !="),
    ("lifecycle_state > CONFIRMED", "lifecycle_state supports only = and !="),
    ('external_ref != "a/b"', "external_ref supports only ="),
    ("external_ref.source > a", "external_ref.source supports only = and !="),
    ("total:*", "total does not support :*"),
    ("create_time:*", "create_time does not support :*"),
    ("cart_id:(a OR *)", "cart_id membership lists values"),
    # Values.
    ("lifecycle_state = SHIPPED", "unknown lifecycle_state SHIPPED"),
    ("update_time >= yesterday", "update_time needs an RFC 3339 time"),
    ("create_time < 0001-01-01T00:00:00+05:00", "create_time out of range"),
    ("serial_number = 1.5", "serial_number needs an integer"),
    ("serial_number = +5", "serial_number needs an integer"),
    ("serial_number = ٣", "serial_number needs an integer"),
    ("serial_number > 9223372036854775808", "serial_number out of range"),
    ("serial_number < -9223372036854775809", "serial_number out of range"),
    ("serial_number = " + "9" * 5000, "serial_number out of range"),
    ("total < 1e30", "total out of range"),
    ("total = 1e999999", "total out of range"),
    ("total = 9223372037", "total out of range"),
    ("total = NaN", "total needs a decimal"),
    ("total = Infinity", "total needs a decimal"),
    ("total = -inf", "total needs a decimal"),
    ("total = 1_000", "total needs a decimal"),
    ("total = ten", "total needs a decimal"),
    ("total = 0.0000000001", "total too precise"),
    ("total = 1e-999999", "total too precise"),
    ("total = 0." + "0" * 5000 + "1", "total too precise"),
    ('external_ref = "nosource"', "external_ref needs source/id"),
    ('external_ref = "/id"', "external_ref needs source/id"),
    ('cart_id = "a\x00"', "contains NUL"),
    # Bounds.
    ("cart_id = a OR " * 600 + "cart_id = b", "too long"),
    ("(" * (MAX_FILTER_DEPTH + 1) + "cart_id = a" + ")" * (MAX_FILTER_DEPTH + 1), "too deep"),
    ("-(" * 2000 + "cart_id = a" + ")" * 2000, "too deep"),
    ("(" * 4000 + "cart_id = a" + ")" * 4000, "too deep"),
    ("NOT (" * (MAX_FILTER_DEPTH // 2 + 1) + "a = b" + ")" * (MAX_FILTER_DEPTH // 2 + 1), "deep"),
]


@pytest.mark.parametrize(("text", "violation"), REFUSED)
def test_bad_filter_is_invalid_argument_on_filter(text: str, violation: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        parse_filter(text)
    [(field, description)] = raised.value.violations
    assert field == "filter"
    assert violation in description


def test_filters_up_to_the_bounds_parse() -> None:
    deepest = "(" * MAX_FILTER_DEPTH + "cart_id = a" + ")" * MAX_FILTER_DEPTH
    assert parse_filter(deepest) == A
    longest = "cart_id = a OR " * 500
    longest += "cart_id = " + "b" * (MAX_FILTER_BYTES - len(longest) - len("cart_id = "))
    assert len(longest.encode()) == MAX_FILTER_BYTES
    assert isinstance(parse_filter(longest), Or)


ORDERINGS: list[tuple[str, Ordering]] = [
    ("", DEFAULT_ORDERING),
    ("create_time", Ordering((SortKey("create_time", False),))),
    ("total desc", Ordering((SortKey("total", True),))),
    (
        " channel ,total desc,  customer.id ASC ",
        Ordering(
            (SortKey("channel", False), SortKey("total", True), SortKey("customer.id", False))
        ),
    ),
    (
        "serial_number desc, create_time, update_time, place_time desc, order_number",
        Ordering(
            (
                SortKey("serial_number", True),
                SortKey("create_time", False),
                SortKey("update_time", False),
                SortKey("place_time", True),
                SortKey("order_number", False),
            )
        ),
    ),
]


@pytest.mark.parametrize(("text", "expected"), ORDERINGS)
def test_order_by_parses(text: str, expected: Ordering) -> None:
    assert parse_order_by(text) == expected


@pytest.mark.parametrize(
    ("text", "violation"),
    [
        ("tax", "unsupported ordering"),
        ("create_time sideways", "direction must be asc or desc"),
        ("create_time desc asc", "unsupported ordering"),
        ("create_time,", "unsupported ordering"),
        (",create_time", "unsupported ordering"),
        ("total, total desc", "total appears twice"),
        ("customer.email", "unsupported ordering"),
        ("create_time\x00", "contains NUL"),
    ],
)
def test_bad_order_by_is_invalid_argument_on_order_by(text: str, violation: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        parse_order_by(text)
    [(field, description)] = raised.value.violations
    assert field == "order_by"
    assert violation in description


def test_fingerprint_ignores_order_by_spacing_but_not_the_query() -> None:
    spaced = query_fingerprint("cart_id = a", parse_order_by(" total  desc "), False)
    assert spaced == query_fingerprint("cart_id = a", parse_order_by("total desc"), False)
    assert spaced != query_fingerprint("cart_id = a", parse_order_by("total"), False)
    assert spaced != query_fingerprint("cart_id = b", parse_order_by("total desc"), False)
    assert spaced != query_fingerprint("cart_id = a", parse_order_by("total desc"), True)


MULTI = parse_order_by("channel, total desc, place_time, serial_number")
SECRET = bytes(range(32))
MULTI_KEY = (("web", -5, datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC), 7), "0f" * 16)


def test_page_token_round_trips_every_key_type() -> None:
    fingerprint = query_fingerprint("", MULTI, False)
    token = encode_page_token(fingerprint, MULTI_KEY, secret=SECRET)
    assert decode_page_token(token, fingerprint, MULTI, secret=SECRET) == MULTI_KEY


def test_page_token_times_come_back_in_utc() -> None:
    ordering = parse_order_by("update_time")
    fingerprint = query_fingerprint("", ordering, False)
    moment = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    token = encode_page_token(fingerprint, ((moment,), "ab"), secret=SECRET)
    decoded = decode_page_token(token, fingerprint, ordering, secret=SECRET)
    assert decoded == ((NOON,), "ab")


def test_page_token_of_another_query_is_refused() -> None:
    token = encode_page_token(query_fingerprint("", MULTI, False), MULTI_KEY, secret=SECRET)
    with pytest.raises(InvalidArgument) as raised:
        decode_page_token(token, query_fingerprint("", MULTI, True), MULTI, secret=SECRET)
    assert raised.value.violations == [("page_token", "filter, order_by or show_deleted changed")]


def _forged(*payload: object) -> str:
    """A token signed with the right key around a payload the service would never write: the
    checks behind the signature still refuse it."""
    raw = json.dumps(list(payload)).encode()
    tag = hmac.new(SECRET, b"orderbridge.v1 page token\x00" + raw, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(tag[:16] + raw).decode().rstrip("=")


FINGERPRINT = query_fingerprint("", MULTI, False)
GOOD_VALUES = ["web", -5, "2024-05-01T12:00:00+00:00", 7]


@pytest.mark.parametrize(
    "token",
    [
        "garbage!",
        "e30",  # {}
        _forged(FINGERPRINT, GOOD_VALUES),
        _forged(FINGERPRINT, GOOD_VALUES[:3], "ab"),
        _forged(FINGERPRINT, [*GOOD_VALUES, 1], "ab"),
        _forged(FINGERPRINT, ["web", "-5", GOOD_VALUES[2], 7], "ab"),
        _forged(FINGERPRINT, ["web", True, GOOD_VALUES[2], 7], "ab"),
        _forged(FINGERPRINT, ["web", 2**63, GOOD_VALUES[2], 7], "ab"),
        _forged(FINGERPRINT, ["web", -5, "2024-05-01T12:00:00", 7], "ab"),
        _forged(FINGERPRINT, ["web", -5, "yesterday", 7], "ab"),
        _forged(FINGERPRINT, ["web", -5, "9999-12-31T23:00:00-05:00", 7], "ab"),
        _forged(FINGERPRINT, ["w\x00b", -5, GOOD_VALUES[2], 7], "ab"),
        _forged(FINGERPRINT, [7, -5, GOOD_VALUES[2], 7], "ab"),
        _forged(FINGERPRINT, GOOD_VALUES, "a\x00"),
        _forged(FINGERPRINT, GOOD_VALUES, 12),
        _forged(FINGERPRINT, GOOD_VALUES, "x" * 33),
        _forged(FINGERPRINT, {"not": "a list"}, "ab"),
        _forged(FINGERPRINT, GOOD_VALUES, "ab")[:-3],
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),
        "A" * 20_000,
    ],
)
def test_malformed_page_token_is_invalid_argument(token: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        decode_page_token(token, FINGERPRINT, MULTI, secret=SECRET)
    assert raised.value.violations == [("page_token", "malformed")]
