"""jsonvalues: loads's fast path equals the standard path; exact_dumps is dumps or ValueError."""

import dataclasses
import datetime
import enum
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters import jsonvalues
from tests.conftest import scaled_examples

SETTINGS = settings(max_examples=scaled_examples(300), deadline=None)

# ---------------------------------------------------------------------------------------------
# The reference: the standard path as loads has always run it.


def _standard(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    return jsonvalues._DECODER.decode(data)


def _outcome(decode: Callable[[Any], Any], data: bytes | str) -> tuple[str, Any]:
    try:
        return "value", decode(data)
    except Exception as error:  # any type: a different one is itself the finding
        return "error", type(error)


def assert_same(actual: Any, expected: Any, path: str = "$") -> None:
    """Equal values of identical types all the way down: int is not Decimal, Decimal("4.50") is
    not Decimal("4.5"), and dict keys come in the same order."""
    assert type(actual) is type(expected), f"{path}: {actual!r} is not {expected!r}"
    if isinstance(expected, dict):
        assert list(actual) == list(expected), f"{path}: keys {list(actual)} != {list(expected)}"
        for key, item in expected.items():
            assert_same(actual[key], item, f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{path}: {len(actual)} != {len(expected)} items"
        for index, (got, item) in enumerate(zip(actual, expected, strict=True)):
            assert_same(got, item, f"{path}[{index}]")
    elif isinstance(expected, Decimal):
        assert actual.as_tuple() == expected.as_tuple(), f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, float):  # NaN and Infinity literals: compare the spelling
        assert repr(actual) == repr(expected), path
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def assert_loads_as_standard(data: bytes | str) -> tuple[str, Any]:
    expected = _outcome(_standard, data)
    actual = _outcome(jsonvalues.loads, data)
    assert actual[0] == expected[0], f"loads gave {actual}, the standard path {expected}"
    if expected[0] == "error":
        assert actual[1] is expected[1]
    else:
        assert_same(actual[1], expected[1])
    return expected


# ---------------------------------------------------------------------------------------------
# JSON texts written here, token by token, so that spellings json.dumps never writes appear.

INT_EDGES = (
    -(2**63) - 1,
    -(2**63),
    2**63 - 1,
    2**63,
    2**64 - 1,
    2**64,
    10**18 - 1,
    10**18,
    10**19 - 1,
    10**19,
    -(10**18),
    -(10**19),
    0,
    -1,
)
DECIMAL_SPELLINGS = (
    "4.50",
    "1e2",
    "1E+2",
    "1E2",
    "1e-7",
    "-0.0",
    "0.0",
    "0e0",
    "-0E-0",
    "1e400",
    "-1.5E-0003",
    "1e0000000000000000000001",  # a 22-digit run, but an exponent: not an integer token
    "0.0000000000000000000001",
    "1234567890123456789012.5",
)
TRICKY_STRINGS = (
    "0000000000000000000001",
    "id: 0000000000000000000001",
    ": 12345678901234567890",
    "[1234567890123456789012",
    ", -99999999999999999999",
    "1.5e",
    "1E+2",
    "-0",
    "\u2028\u2029",
    "é",
    "😀",
    "",
)
# Escapes that are lone surrogates (msgspec refuses them), and one valid pair.
SURROGATE_ESCAPES = ("\\ud800", "\\udc00", "\\uDBFF", "\\ud800\\u0041", "\\ud83d\\ude00")

# One draw each (the texts are long enough as it is); the last three are longer than the 64
# characters _has_long_integer looks back over before a digit run.
whitespace = st.sampled_from(
    (
        "",
        "",
        "",
        "",
        " ",
        "  ",
        "\n",
        "\t",
        "\r\n",
        " \n\t\r ",
        " " * 70,
        "\n" * 65 + " ",
        "\t\r\n" * 30,
    )
)


def _signed(pair: tuple[int, int]) -> int:
    return pair[0] * pair[1]


integer_texts = st.one_of(
    st.sampled_from(INT_EDGES),
    st.integers(-(2**63) - 3, -(2**63) + 3),
    st.integers(2**63 - 3, 2**63 + 3),
    st.integers(2**64 - 3, 2**64 + 3),
    st.tuples(st.integers(10**18, 10**25 - 1), st.sampled_from((1, -1))).map(
        _signed
    ),  # 19-25 digits
    st.integers(-(10**6), 10**6),
).map(str) | st.just("-0")


def _decimal_text(parts: tuple[str, str, str | None, str | None]) -> str:
    sign, whole, fraction, exponent = parts
    if fraction is None and exponent is None:
        fraction = "0"
    return sign + whole + ("" if fraction is None else "." + fraction) + (exponent or "")


decimal_texts = st.tuples(
    st.sampled_from(("", "-")),
    st.just("0") | st.integers(1, 10**24).map(str),
    st.none() | st.text(alphabet="0123456789", min_size=1, max_size=24),
    st.none()
    | st.tuples(
        st.sampled_from("eE"),
        st.sampled_from(("", "+", "-")),
        st.text(alphabet="0123456789", min_size=1, max_size=4),
    ).map("".join),
).map(_decimal_text)
number_texts = st.one_of(integer_texts, decimal_texts, st.sampled_from(DECIMAL_SPELLINGS))
plain_strings = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(TRICKY_STRINGS)


def _every_char_escaped(text: str) -> str:
    return "".join(
        json.dumps(char)[1:-1] if ord(char) > 0xFFFF else f"\\u{ord(char):04X}" for char in text
    )


def _with_surrogate_escape(pair: tuple[str, str]) -> str:
    return json.dumps(pair[0])[:-1] + pair[1] + '"'


string_texts = st.one_of(
    plain_strings.map(json.dumps),  # non-ASCII as \\u escapes, astral as surrogate pairs
    plain_strings.map(lambda text: json.dumps(text, ensure_ascii=False)),  # raw UTF-8
    plain_strings.map(lambda text: '"' + _every_char_escaped(text) + '"'),
    st.tuples(plain_strings, st.sampled_from(SURROGATE_ESCAPES)).map(_with_surrogate_escape),
)
scalar_texts = st.one_of(number_texts, string_texts, st.sampled_from(("true", "false", "null")))
key_texts = st.sampled_from(('"a"', '"b"', '"id"')) | string_texts  # keys may repeat


def _array_text(parts: tuple[str, list[tuple[str, str, str]]]) -> str:
    empty, items = parts
    return "[" + (",".join("".join(item) for item in items) or empty) + "]"


def _object_text(parts: tuple[str, list[tuple[str, str, str, str, str, str]]]) -> str:
    empty, members = parts
    return (
        "{"
        + (",".join(m[0] + m[1] + m[2] + ":" + m[3] + m[4] + m[5] for m in members) or empty)
        + "}"
    )


def _containers(items: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    arrays = st.tuples(
        whitespace, st.lists(st.tuples(whitespace, items, whitespace), max_size=4)
    ).map(_array_text)
    objects = st.tuples(
        whitespace,
        st.lists(
            st.tuples(whitespace, key_texts, whitespace, whitespace, items, whitespace), max_size=5
        ),
    ).map(_object_text)
    return arrays | objects


value_texts = st.recursive(scalar_texts, _containers, max_leaves=6)
json_texts = st.tuples(whitespace, value_texts, whitespace).map("".join)


# ---------------------------------------------------------------------------------------------
# 1. Valid JSON: loads(bytes) and loads(str) are the standard path's value, type for type.


@SETTINGS
@given(text=json_texts)
@example(text=str(-(2**63) - 1))
@example(text=str(-(2**63)))
@example(text=str(2**63 - 1))
@example(text=str(2**63))
@example(text=str(2**64 - 1))
@example(text=str(2**64))
@example(text=f"[{-(2**63) - 1}, {-(2**63)}, {2**63 - 1}, {2**63}, {2**64 - 1}, {2**64}]")
@example(text='{"a": 1234567890123456789, "b": -1234567890123456789012345}')
@example(text=f"[{-(2**63) - 1}]")  # a long integer after "[" only
@example(text=f'["x", {2**64}]')  # ... after "," only
@example(text=f'{{"a": {2**64}}}')  # ... after ":" only
@example(text=f"{-(2**63) - 1}")  # ... at the start only
@example(text="[" + " " * 70 + "12345678901234567890]")
@example(text='{"a":' + "\n" * 70 + "-" + "9" * 25 + "}")
@example(text="[1," + "\t" * 70 + "-" + "9" * 19 + "]")
@example(text="-0")
@example(text="[-0, -0.0, 0.0, 0e0]")
@example(text="[4.50, 1e2, 1E+2, 1E2, -0.0, 1e400, 1e-7, -1.5E-0003]")
@example(text="1e0000000000000000000001")
@example(text="0.0000000000000000000001")
@example(text="1" * 4301)  # past int()'s 4300-digit limit
@example(text='"0000000000000000000001"')
@example(text='{"id: 0000000000000000000001": ": 12345678901234567890"}')
@example(text='["[1234567890123456789012", ", -99999999999999999999", 7]')
@example(text='{"a": 1, "b": 2, "a": 3}')
@example(text='{"\\ud800": "\\udc00", "x": "\\ud83d\\ude00"}')
@example(text='"é😀\u2028"')
@example(text=" \t\r\n 1.5 \r\n\t ")
@example(text="true")
@example(text="null")
@example(text="[]")
@example(text="{}")
def test_loads_gives_the_standard_decoders_value_with_the_same_types(text: str) -> None:
    assert _outcome(_standard, text)[0] == "value", "the generator writes only valid JSON"
    assert_loads_as_standard(text)
    assert_loads_as_standard(text.encode())


# ---------------------------------------------------------------------------------------------
# 2. Texts the fast path refuses (or mangled texts): the standard path's value or its error.

BOM = "\ufeff"
# Keeps valid texts free of raw lone surrogates (a known finding, tested on its own below).
corruptions = st.one_of(
    st.sampled_from(
        ("NaN", "Infinity", "-Infinity", '"\\ud800"', '"\\udc00x"', "]", "}", ",", ":")
    ),
    st.sampled_from(('"\\x"', '"\x00"', '"\x1f"', "01", "1.", ".5", "+1", "1e", "1e+", "-", "tru")),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3),
)
invalid_utf8 = st.sampled_from(
    (
        b"\xff",
        b"\xc0\x80",
        b"\xed\xa0\x80",
        b"\xed\xbf\xbf",
        b"\xf4\x90\x80\x80",
        b"\xe2\x80",
        b"\x80",
    )
)


@st.composite
def mangled_texts(draw: st.DrawFn) -> bytes | str:
    text = draw(json_texts)
    how = draw(st.sampled_from(("bom", "insert", "truncate", "replace", "bytes", "utf8", "append")))
    if how == "bom":
        text = BOM + text
    elif how in ("insert", "replace", "append"):
        at = len(text) if how == "append" else draw(st.integers(0, len(text)))
        end = at + draw(st.integers(0, 3)) if how == "replace" else at
        text = text[:at] + draw(corruptions) + text[end:]
    elif how == "truncate":
        text = text[: draw(st.integers(0, max(0, len(text) - 1)))]
    data = text.encode()
    if how in ("bytes", "utf8"):
        at = draw(st.integers(0, len(data)))
        bad = draw(invalid_utf8 if how == "utf8" else st.binary(min_size=1, max_size=3))
        return data[:at] + bad + data[at:]
    return data if draw(st.booleans()) else text


@SETTINGS
@given(data=mangled_texts())
@example(data=BOM.encode() + b'{"a": 1.50}')
@example(data=BOM + '{"a": 1.50}')
@example(data=BOM.encode() + b"12345678901234567890")
@example(data='"\\ud800"')
@example(data=b'["\\udc00", "\\ud800\\u0041", 2.0]')
@example(data="NaN")
@example(data=b"[Infinity, -Infinity, NaN, 1.5]")
@example(data='{"a": NaN}')
@example(data=b'"\xed\xa0\x80"')  # a surrogate in UTF-8 bytes
@example(data=b'"\xc0\x80"')  # overlong
@example(data=b'{"a": "\xff"}')
@example(data=b"\xff1")
@example(data="[1,]")
@example(data='{"a": 1,}')
@example(data="01")
@example(data="1 2")
@example(data="")
@example(data=b"")
@example(data=" ")
@example(data='"\x00"')
@example(data="1\x0c")
@example(data="1e9999999999999999999")  # Decimal refuses the exponent, on either path
@example(data="[" * 1100 + "]" * 1100)  # too deep for either path
def test_loads_gives_the_standard_paths_value_or_error_for_texts_msgspec_refuses(
    data: bytes | str,
) -> None:
    assert_loads_as_standard(data)


def test_a_bom_text_loads_through_the_standard_path() -> None:
    assert_same(jsonvalues.loads(BOM.encode() + b'{"a": [1.50, 2]}'), {"a": [Decimal("1.50"), 2]})
    with pytest.raises(json.JSONDecodeError):
        jsonvalues.loads(BOM + "1")  # str has no BOM to strip; the standard path never took it


# Found: msgspec encodes a str to UTF-8 first and raised UnicodeEncodeError (not a DecodeError,
# so there was no fallback) for a raw lone surrogate the standard path reads.
@pytest.mark.parametrize(
    "text", ['"\ud800"', '["\udc00", 1]', '{"\ud800": 1.5}'], ids=["string", "item", "key"]
)
def test_a_str_holding_a_raw_lone_surrogate_loads_as_the_standard_path_reads_it(text: str) -> None:
    assert_loads_as_standard(text)


# ---------------------------------------------------------------------------------------------
# 3. exact_dumps: dumps's bytes for JSON values, ValueError for whatever dumps writes inexactly.

json_ints = st.one_of(
    st.sampled_from((-(2**63), 2**63 - 1, 2**63, 2**64 - 1, 0, -1)),
    st.integers(-(2**63), 2**64 - 1),
)
finite_decimals = st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal(text) for text in (*DECIMAL_SPELLINGS, "1", "-0", str(2**64), "1" * 30)]
)
json_strings = plain_strings | st.sampled_from(("1.5e", "1.5e10", "1.0", "-0.0", "NaN", "1e20"))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), json_ints, finite_decimals, json_strings),
    lambda items: st.lists(items, max_size=4) | st.dictionaries(json_strings, items, max_size=4),
    max_leaves=6,
)


@SETTINGS
@given(value=json_values)
@example(value={"price": Decimal("4.50"), "qty": 2**64 - 1, "min": -(2**63)})
@example(value=[Decimal("1E+2"), Decimal("-0.0"), Decimal("1e400"), Decimal(2**64)])
@example(value={"1.5e": "1.5e10", "text": "12345678901234567890.5"})
@example(value=[True, False, None, "", [], {}])
@example(value="1.0")
def test_exact_dumps_writes_what_dumps_writes_for_json_values(value: Any) -> None:
    assert jsonvalues.exact_dumps(value) == jsonvalues.dumps(value)


def assert_refused(value: Any) -> None:
    """exact_dumps raises ValueError (the type is the contract, not the wording)."""
    try:
        written = jsonvalues.exact_dumps(value)
    except ValueError:
        return
    raise AssertionError(f"exact_dumps({value!r}) wrote {written!r}")


class _Opaque:
    pass


FLOATS = (1.0, 1e20, -0.0, 0.0, 0.5, 5e-324, 1.7976931348623157e308, 123456789.0)
poisons = st.one_of(
    st.sampled_from(FLOATS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from((2**64, -(2**63) - 1, 10**30, -(10**30))),
    st.integers(min_value=2**64) | st.integers(max_value=-(2**63) - 1),
    st.sampled_from(("\ud800", "\udc00", "ok\udfffok")),
    st.sampled_from((Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"))),
    st.builds(object),
    st.builds(_Opaque),
    st.just({1, 2}),
)


def _plant(draw: st.DrawFn, value: Any, poison: Any) -> Any:
    """The value with the poison somewhere inside it (or beside it)."""
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], _plant(draw, value[index], poison), *value[index + 1 :]]
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        return {**value, key: _plant(draw, value[key], poison)}
    places = ["alone", "in a list", "as a value"] + (
        ["as a key"] if isinstance(poison, str) else []
    )
    place = draw(st.sampled_from(places))
    if place == "alone":
        return poison
    if place == "in a list":
        return [value, poison] if draw(st.booleans()) else [poison, value]
    if place == "as a value":
        return {"x": value, "y": poison}
    return {"x": value, poison: 1}


@st.composite
def poisoned_values(draw: st.DrawFn) -> Any:
    return _plant(draw, draw(json_values), draw(poisons))


@SETTINGS
@given(value=poisoned_values())
@example(value=1.0)
@example(value=1e20)
@example(value=-0.0)
@example(value=[[[{"a": [Decimal("1"), 1.0]}]]])
@example(value={"a": {"b": [1, 2, {"c": 1e20}]}})
@example(value={"price": -0.0, "note": "1.5e"})
@example(value=2**64)
@example(value=-(2**63) - 1)
@example(value=[1, {"big": 10**30}])
@example(value="\ud800")
@example(value=["ok", "a\udc00b"])
@example(value={"\ud800": 1})
@example(value={"x": {"\udfff": "y"}})
@example(value=object())
@example(value=[object()])
@example(value={1: 2})
@example(value=Decimal("NaN"))
@example(value=[Decimal("Infinity")])
def test_exact_dumps_refuses_what_dumps_cannot_write_exactly(value: Any) -> None:
    assert_refused(value)


# Found: orjson writes a NaN or infinite float as null, so the float probe never saw it.
@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), [float("-inf")], {"a": float("nan")}],
    ids=["nan", "inf", "nested -inf", "nested nan"],
)
def test_exact_dumps_refuses_a_nan_or_infinite_float(value: Any) -> None:
    assert_refused(value)


@dataclasses.dataclass
class _Point:
    x: int


class _Colour(enum.Enum):
    RED = "red"


# Found: orjson wrote these in its own way, so _placeholder never saw them.
@pytest.mark.parametrize(
    "value",
    [datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), datetime.date(2020, 1, 1), _Point(1)],
    ids=["datetime", "date", "dataclass"],
)
def test_exact_dumps_refuses_a_value_that_is_not_json(value: Any) -> None:
    assert_refused(value)


# A choice, not a finding: orjson writes these as the JSON they stand for (an array, the UUID's
# text, the enum's value), which is what the value means, so exact_dumps keeps them.
@pytest.mark.parametrize(
    ("value", "text"),
    [
        ((1, 2), b"[1,2]"),
        (uuid.UUID(int=1), b'"00000000-0000-0000-0000-000000000001"'),
        (_Colour.RED, b'"red"'),
    ],
    ids=["tuple", "uuid", "enum"],
)
def test_exact_dumps_writes_tuples_uuids_and_enums_as_their_json(value: Any, text: bytes) -> None:
    assert jsonvalues.exact_dumps(value) == text
