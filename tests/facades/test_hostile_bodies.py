"""Every door answers hostile bodies in its own error shape: never a 500, never a stack trace."""

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.jsonvalues import dumps, loads

EXAMPLES = Path(__file__).parents[1] / "adapters"
BASIC = "Basic " + base64.b64encode(b"token-acme:").decode()
FABRIC = {"x-api-key": "token-acme", "x-site-context": json.dumps({"account": "acme"})}

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
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
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


@pytest.mark.parametrize(("door", "path", "headers", "body"), ROUTES, ids=[r[0] for r in ROUTES])
@pytest.mark.parametrize(
    "raw", [b"", b"null", b"[]", b'"text"', b"{", b'{"a": NaN}', b"\xff\xfe", b"1e999999"]
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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
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
def test_hostile_bigcommerce_list_queries_never_get_a_500(
    http: httpx.Client, query: dict[str, str]
) -> None:
    response = http.get(
        "/bigcommerce/stores/acme/v2/orders", params=query, headers={"X-Auth-Token": "token-acme"}
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
