"""Every door answers hostile bodies in its own error shape: never a 500, never a stack trace."""

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.jsonvalues import dumps, loads
from tests.conftest import scaled_examples

EXAMPLES = Path(__file__).parents[1] / "adapters"
BASIC = "Basic " + base64.b64encode(b"token-acme:").decode()
FABRIC = {"x-api-key": "token-acme", "x-site-context": json.dumps({"account": "acme"})}
# Each example is an HTTP request through a door, a service call and a database write, for each
# database and door port (and six routes): fewer examples than the in-process translation
# properties, scaled with the profile's budget (tests/conftest.py). function_scoped_fixture: the
# http client is stateless over session-scoped servers, so one client for all of a test's
# examples is intended; too_slow stays suppressed as in the profiles.
DOOR_HEALTH_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

# (door, path, headers, a real body to mutate)
ROUTES: list[tuple[str, str, dict[str, str], Any]] = [
    (
        "jirafe",
        "/jirafe/v2/acme/order",
        {"Authorization": "Bearer token-acme"},
        loads((EXAMPLES / "jirafe/examples/order-accepted.json").read_bytes()),
    ),
    (
        "jirafe batch",
        "/jirafe/v2/acme/batch",
        {"Authorization": "Bearer token-acme"},
        {"order": [loads((EXAMPLES / "jirafe/examples/order-placed.json").read_bytes())]},
    ),
    (
        "bigcommerce",
        "/bigcommerce/stores/acme/v2/orders",
        {"X-Auth-Token": "token-acme"},
        loads((EXAMPLES / "bigcommerce/examples/post_custom_product.json").read_bytes()),
    ),
    (
        "fabric",
        "/fabric/api-order/subscriptions/orders",
        FABRIC,
        loads((EXAMPLES / "fabric/examples/subscription_order_request.json").read_bytes()),
    ),
    (
        "drip",
        "/drip/v2/acme/orders",
        {"Authorization": BASIC},
        loads((EXAMPLES / "drip/examples/seed004_orders_request.json").read_bytes()),
    ),
    (
        "drip refunds",
        "/drip/v2/acme/refunds",
        {"Authorization": BASIC},
        loads((EXAMPLES / "drip/examples/seed004_refunds_request.json").read_bytes()),
    ),
]

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.text(max_size=30),
    st.just(""),
    st.builds(list),
    st.builds(dict),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, body: Any) -> Any:
    """The body with a few of its values (at any depth) replaced by values of any JSON type."""
    copy = loads(dumps(body))
    paths = _paths(copy)
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4)):
        node = copy
        try:
            for step in path[:-1]:
                node = node[step]
            if draw(st.booleans()) and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = draw(LEAVES)
        except (KeyError, IndexError, TypeError):
            continue
    return copy


@pytest.fixture
def http(facade_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=facade_url, timeout=30) as client:
        yield client


def _assert_answered_in_shape(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    if response.status_code not in (202, 204):
        response.json()  # every answer is JSON in the vendor's shape


@pytest.mark.parametrize(("door", "path", "headers", "body"), ROUTES, ids=[r[0] for r in ROUTES])
@settings(max_examples=scaled_examples(60), deadline=None, suppress_health_check=DOOR_HEALTH_CHECKS)
@given(data=st.data())
def test_mutated_vendor_bodies_never_get_a_500(
    http: httpx.Client,
    door: str,
    path: str,
    headers: dict[str, str],
    body: Any,
    data: st.DataObject,
) -> None:
    hostile = data.draw(mutated(body), label=door)
    # The standard library writes integers of any size (orjson stops at 64 bits).
    text = json.dumps(hostile, default=float)
    _assert_answered_in_shape(http.post(path, content=text.encode(), headers=headers))


def _replaced(body: Any, path: tuple[str | int, ...], value: Any) -> Any:
    copy = loads(dumps(body))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


# Bodies the property above found answered with a 500, kept as plain cases because its examples
# are drawn with st.data(), which @example cannot give: the door's real body with one value
# replaced, and the class of the status answered since the fix.
FOUND_BODIES = [
    # Integers beyond 64 bits were parsed as ints orjson cannot write back (0c5dccb); found in an
    # item's properties, which only the residue keeps. Both edges of the range orjson writes.
    pytest.param(
        "drip",
        ("orders", 0, "items", 0, "properties", "color"),
        -(2**63) - 1,
        2,
        id="drip-below-int64",
    ),
    pytest.param(
        "drip",
        ("orders", 0, "items", 0, "properties", "color"),
        2**64,
        2,
        id="drip-beyond-uint64",
    ),
    # NUL reached a PostgreSQL text column (9adc18a): the customer email is one.
    pytest.param(
        "bigcommerce", ("billing_address", "email"), "\x00", 4, id="bigcommerce-nul-email"
    ),
    # A grand total beyond the 64-bit nanos column (882bc4a), from a quantity or a total.
    pytest.param(
        "bigcommerce",
        ("products", 0, "quantity"),
        184467441,
        4,
        id="bigcommerce-total-beyond-nanos",
    ),
    pytest.param("jirafe", ("total",), 9223372037, 4, id="jirafe-total-beyond-nanos"),
    # Found by a wide run on ffd7795: a customer_id of 2**64 or more reached orjson as an int
    # ("Integer exceeds 64-bit range"), a 500; since 9e70ab6 it is a guest's (customer_id 0).
    pytest.param(
        "bigcommerce",
        ("customer_id",),
        Decimal("18446744073709550592.0000"),
        2,
        id="bigcommerce-customer-id-beyond-uint64",
    ),
]


@pytest.mark.parametrize(("door", "where", "value", "status_class"), FOUND_BODIES)
def test_bodies_found_by_the_property_are_answered_in_shape(
    http: httpx.Client,
    door: str,
    where: tuple[str | int, ...],
    value: Any,
    status_class: int,
) -> None:
    _, path, headers, body = next(route for route in ROUTES if route[0] == door)
    # Written as the property writes it: by the standard library, Decimals as floats.
    text = json.dumps(_replaced(body, where, value), default=float)
    response = http.post(path, content=text.encode(), headers=headers)
    _assert_answered_in_shape(response)
    assert response.status_code // 100 == status_class, response.text


@pytest.mark.parametrize(("door", "path", "headers", "body"), ROUTES, ids=[r[0] for r in ROUTES])
@pytest.mark.parametrize(
    "raw",
    [
        *(b"", b"null", b"[]", b'"text"', b"{", b'{"a": NaN}', b"\xff\xfe", b"1e999999"),
        # Found: an exponent past Decimal's limits raised InvalidOperation, not ValueError (a 500).
        b'{"a": 1e9999999999999999999}',
        # Ten bytes that would be written back as a billion digits: refused when parsed.
        b'{"a": 1e999999999}',
    ],
)
def test_malformed_bodies_never_get_a_500(
    http: httpx.Client, door: str, path: str, headers: dict[str, str], body: Any, raw: bytes
) -> None:
    _assert_answered_in_shape(http.post(path, content=raw, headers=headers))


@pytest.fixture
def bigcommerce_order_id(http: httpx.Client) -> int:
    body = loads((EXAMPLES / "bigcommerce/examples/post_custom_product.json").read_bytes())
    created = http.post(
        "/bigcommerce/stores/acme/v2/orders",
        content=dumps(body),
        headers={"X-Auth-Token": "token-acme"},
    )
    assert created.status_code == 200, created.text
    order_id: int = created.json()["id"]
    return order_id


@settings(max_examples=scaled_examples(40), deadline=None, suppress_health_check=DOOR_HEALTH_CHECKS)
@given(data=st.data())
def test_mutated_bigcommerce_updates_never_get_a_500(
    http: httpx.Client, bigcommerce_order_id: int, data: st.DataObject
) -> None:
    update = {"status_id": 2, "staff_notes": "x", "products": [{"id": 1, "quantity": 2}]}
    hostile = data.draw(mutated(update))
    response = http.put(
        f"/bigcommerce/stores/acme/v2/orders/{bigcommerce_order_id}",
        content=json.dumps(hostile, default=float).encode(),
        headers={"X-Auth-Token": "token-acme"},
    )
    _assert_answered_in_shape(response)


@settings(max_examples=scaled_examples(40), deadline=None, suppress_health_check=DOOR_HEALTH_CHECKS)
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "min_id",
                "max_id",
                "min_total",
                "status_id",
                "email",
                "page",
                "limit",
                "sort",
                "min_date_created",
                "max_date_modified",
                "customer_id",
                "is_deleted",
                "channel_id",
            ]
        ),
        st.one_of(st.text(max_size=20), st.integers(-(2**70), 2**70).map(str)),
        max_size=4,
    )
)
# Found: filter values beyond the 64-bit columns answered 500 (7691059); the ids and totals just
# past each end of the range.
@example(query={"min_id": "9223372036854775808"})
@example(query={"max_id": "-9223372036854775809"})
@example(query={"min_total": "9223372037"})
@example(query={"max_total": "-9223372037"})
def test_hostile_bigcommerce_list_queries_never_get_a_500(
    http: httpx.Client, query: dict[str, str]
) -> None:
    response = http.get(
        "/bigcommerce/stores/acme/v2/orders", params=query, headers={"X-Auth-Token": "token-acme"}
    )
    _assert_answered_in_shape(response)


# Found by a wide run on ffd7795: (page - 1) * limit past 32 bits failed building ListOrders'
# skip, a 500 (since fixed: the door checks skip). A plain test rather than an @example: a 500
# may drop the connection, which would make the property's next examples flaky.
def test_a_bigcommerce_page_past_a_32_bit_skip_is_answered_in_shape(http: httpx.Client) -> None:
    response = http.get(
        "/bigcommerce/stores/acme/v2/orders",
        params={"page": "42949674"},
        headers={"X-Auth-Token": "token-acme"},
    )
    _assert_answered_in_shape(response)


@pytest.mark.parametrize(
    "path",
    [
        "/fabric/api-order/orders/orderNumber/a%00b",
        "/fabric/api-order/orders/orderNumber/%22%5C%27",
        "/bigcommerce/stores/acme/v2/orders/99999999999999999999999",
        "/bigcommerce/stores/acme/v2/orders/-1/products",
        "/bigcommerce/stores/acme/v2/orders?email=a%00b",
        "/bigcommerce/stores/acme/v2/orders?cart_id=%00",
        "/bigcommerce/stores/a%00b/v2/orders",
        "/jirafe/v2/a%00b/order",
        "/drip/v2/%00/orders",
    ],
)
def test_hostile_paths_and_queries_never_get_a_500(http: httpx.Client, path: str) -> None:
    headers = {
        "Authorization": "Bearer token-acme",
        "X-Auth-Token": "token-acme",
        **FABRIC,
    }
    _assert_answered_in_shape(http.get(path, headers=headers))
    _assert_answered_in_shape(http.post(path, content=b"{}", headers=headers))
