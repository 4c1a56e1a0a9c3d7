"""Page tokens are signed per database: tampered, truncated, foreign or crafted ones are refused."""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from service.database import Database, open_database
from service.filtering import parse_order_by, query_fingerprint
from service.migrate import upgrade
from service.page_keys import PageKeyMissing, load_page_key
from service.server import GrpcServer, start_grpc_server
from tests.conftest import ACME, TOKENS
from tests.service.builders import an_order
from tests.service.status_details import field_violations

PARENT = "tenants/acme"
ORDER_BY = "serial_number, place_time desc"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _create(stub: OrderServiceStub, cart: str) -> order_pb2.Order:
    order = an_order()
    order.cart_id = cart
    created: order_pb2.Order = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=order), metadata=ACME
    )
    return created


def _request(cart: str, token: str = "", size: int = 2) -> order_service_pb2.ListOrdersRequest:
    return order_service_pb2.ListOrdersRequest(
        parent=PARENT,
        filter=f"cart_id = {cart}",
        order_by=ORDER_BY,
        page_size=size,
        page_token=token,
    )


def _refused(stub: OrderServiceStub, request: order_service_pb2.ListOrdersRequest) -> str:
    """The page_token violation the call is refused with."""
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListOrders(request, metadata=ACME, timeout=10)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = field_violations(raised.value)
    assert set(violations) == {"page_token"}
    return violations["page_token"]


@pytest.fixture
def cart(stub: OrderServiceStub) -> str:
    """Five fresh orders sharing a cart id of their own."""
    name = f"tok{uuid.uuid4().hex[:12]}"
    for _ in range(5):
        _create(stub, name)
    return name


def _signed(secret: bytes, raw: bytes) -> str:
    """A token built the way the service builds one (the format, written out independently)."""
    tag = hmac.new(secret, b"orderbridge.v1 page token\x00" + raw, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(tag[:16] + raw).decode().rstrip("=")


def _signed_json(secret: bytes, cart: str, values: object, order_id: object = "ab") -> str:
    fingerprint = query_fingerprint(f"cart_id = {cart}", parse_order_by(ORDER_BY), False)
    return _signed(secret, json.dumps([fingerprint, values, order_id]).encode())


def test_a_real_token_pages_through_every_order(stub: OrderServiceStub, cart: str) -> None:
    names: list[str] = []
    token = ""
    for _ in range(5):
        page = stub.ListOrders(_request(cart, token), metadata=ACME)
        names += [order.name for order in page.orders]
        token = page.next_page_token
        if not token:
            break
    everything = stub.ListOrders(_request(cart, size=10), metadata=ACME)
    assert names == [order.name for order in everything.orders]
    assert len(names) == 5


def test_a_token_from_one_replica_pages_on_another_of_the_same_database(
    stub: OrderServiceStub, grpc_server: GrpcServer, cart: str
) -> None:
    replica = start_grpc_server(
        database=grpc_server.database, tokens=TOKENS, host="127.0.0.1", port=0
    )
    try:
        with grpc.insecure_channel(f"127.0.0.1:{replica.port}") as channel:
            first = stub.ListOrders(_request(cart), metadata=ACME)
            second = OrderServiceStub(channel).ListOrders(
                _request(cart, first.next_page_token), metadata=ACME
            )
    finally:
        replica.stop_serving(None)
    expected = stub.ListOrders(_request(cart, size=4), metadata=ACME)
    assert [o.name for o in [*first.orders, *second.orders]] == [o.name for o in expected.orders]


def test_every_one_character_change_of_a_token_is_refused(
    stub: OrderServiceStub, cart: str
) -> None:
    token = stub.ListOrders(_request(cart), metadata=ACME).next_page_token
    assert token
    for index, character in enumerate(token):
        flipped = B64[(B64.index(character) + 1) % len(B64)]
        tampered = token[:index] + flipped + token[index + 1 :]
        assert _refused(stub, _request(cart, tampered)) == "malformed", index


def test_truncated_and_extended_tokens_are_refused(stub: OrderServiceStub, cart: str) -> None:
    token = stub.ListOrders(_request(cart), metadata=ACME).next_page_token
    for bad in (
        token[:-1],
        token[:-4],
        token[:22],
        token[:1],
        token + "A",
        token + "=",
        " " + token,
    ):
        assert _refused(stub, _request(cart, bad)) == "malformed"


@pytest.fixture
def other_database(tmp_path: Path) -> Iterator[Database]:
    """A second migrated database: a key of its own."""
    database = open_database(f"sqlite:///{tmp_path}/other.db")
    upgrade(database)
    yield database
    database.dispose()


def test_a_token_from_another_database_is_refused(
    stub: OrderServiceStub, cart: str, other_database: Database
) -> None:
    token = stub.ListOrders(_request(cart), metadata=ACME).next_page_token
    other = start_grpc_server(database=other_database, tokens=TOKENS, host="127.0.0.1", port=0)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{other.port}") as channel:
            assert _refused(OrderServiceStub(channel), _request(cart, token)) == "malformed"
    finally:
        other.stop_serving(None)


def test_each_database_has_its_own_lasting_key(
    database: Database, other_database: Database
) -> None:
    key, other_key = load_page_key(database.reader), load_page_key(other_database.reader)
    assert len(key) == len(other_key) == 32
    assert key != other_key
    upgrade(other_database)  # upgrading again keeps the key
    assert load_page_key(other_database.reader) == other_key


def test_an_unmigrated_database_has_no_key(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/empty.db")
    try:
        with pytest.raises(PageKeyMissing, match="orderbridge migrate"):
            load_page_key(database.reader)
    finally:
        database.dispose()


GOOD_TIME = "2024-05-01T12:00:00+00:00"
# Payloads the service never writes. Signed with the database's own key (as if it leaked), the
# checks behind the signature refuse them; unsigned, the signature does.
CRAFTED: list[tuple[str, object, object]] = [
    ("naive datetime", [1, "2024-05-01T12:00:00"], "ab"),
    ("serial 2^63", [2**63, GOOD_TIME], "ab"),
    ("serial -2^63-1", [-(2**63) - 1, GOOD_TIME], "ab"),
    ("serial as float", [1.0, GOOD_TIME], "ab"),
    ("serial as text", ["1", GOOD_TIME], "ab"),
    ("offset past year 9999", [1, "9999-12-31T23:00:00-05:00"], "ab"),
    ("offset before year 1", [1, "0001-01-01T00:00:00+05:00"], "ab"),
    ("offset out of range", [1, "2024-05-01T12:00:00+25:00"], "ab"),
    ("year 10000", [1, "10000-01-01T00:00:00+00:00"], "ab"),
    ("deeply nested values", json.loads("[" * 500 + "]" * 500), "ab"),
    ("too few values", [1], "ab"),
    ("nested id", [1, GOOD_TIME], [["ab"]]),
    ("id with NUL", [1, GOOD_TIME], "a\x00"),
    ("id too long", [1, GOOD_TIME], "a" * 33),
]


@pytest.mark.parametrize(
    ("values", "order_id"), [(v, i) for _, v, i in CRAFTED], ids=[name for name, _, _ in CRAFTED]
)
def test_crafted_tokens_are_invalid_argument(
    stub: OrderServiceStub, database: Database, values: object, order_id: object
) -> None:
    cart = "crafted"
    for secret in (load_page_key(database.reader), b"guessed" * 4):
        token = _signed_json(secret, cart, values, order_id)
        assert _refused(stub, _request(cart, token)) == "malformed"


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 20_000,
        b"[" * 5_000 + b"]" * 5_000,
        b'{"a":' * 3_000 + b"1" + b"}" * 3_000,
        b"\xff\xfe not utf-8",
        b"",
        b"null",
        b'"text"',
        b"[1e999999, 2]",
        b"[NaN, Infinity, -Infinity]",
    ],
    ids=["open", "nested", "objects", "bytes", "empty", "null", "string", "huge", "nan"],
)
def test_crafted_payloads_signed_with_the_key_are_invalid_argument(
    stub: OrderServiceStub, database: Database, raw: bytes
) -> None:
    # The longest is past the 16 KiB bound: refused before its signature is even computed.
    token = _signed(load_page_key(database.reader), raw)
    assert _refused(stub, _request("crafted", token)) == "malformed"


def test_a_token_of_another_query_names_the_change(stub: OrderServiceStub, cart: str) -> None:
    token = stub.ListOrders(_request(cart), metadata=ACME).next_page_token
    request = _request(cart, token)
    request.order_by = "serial_number"
    assert _refused(stub, request) == "filter, order_by or show_deleted changed"
