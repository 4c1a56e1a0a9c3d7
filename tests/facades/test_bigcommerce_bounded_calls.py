"""The BigCommerce door lists, filters, sorts and counts a big store in a bounded number of
calls."""

import dataclasses
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters.facades import build_facades
from adapters.port import SERVICE, OrderServicePort, Rpc
from service.database import Database
from service.http import HttpServer, build_http_app
from service.server import start_grpc_server

STORE_SIZE = 2500


def _counting(port: OrderServicePort, calls: Counter[str]) -> OrderServicePort:
    """The same port, counting each RPC it is asked for."""

    def counted(name: str, rpc: Rpc[Any, Any]) -> Rpc[Any, Any]:
        async def call(request: Any, credential: str) -> Any:
            calls[name] += 1
            return await rpc(request, credential)

        return call

    # The RPCs only: the in-process credential check is no call on the service.
    return dataclasses.replace(
        port,
        **{
            method.name: counted(method.name, getattr(port, method.name))
            for method in SERVICE.methods
        },
    )


@pytest.fixture(scope="module")
def big_store(database: Database) -> Iterator[tuple[str, Counter[str]]]:
    """A door over a counting port, and a store of STORE_SIZE orders in three states."""
    store = f"big{uuid.uuid4().hex[:8]}"
    server = start_grpc_server(
        database=database, tokens={"token-big": store}, host="127.0.0.1", port=0
    )
    calls: Counter[str] = Counter()
    port = server.in_process_port()
    states = [
        (order_pb2.LIFECYCLE_STATE_CONFIRMED, order_pb2.PAYMENT_STATE_PAID),
        (order_pb2.LIFECYCLE_STATE_PENDING, order_pb2.PAYMENT_STATE_PENDING),
        (order_pb2.LIFECYCLE_STATE_CANCELLED, order_pb2.PAYMENT_STATE_VOIDED),
    ]
    for start in range(0, STORE_SIZE, 1000):
        requests = []
        for number in range(start, min(start + 1000, STORE_SIZE)):
            lifecycle, payment = states[number % len(states)]
            order = order_pb2.Order(
                currency_code="USD",
                channel=str(1 + number % 2),
                lifecycle_state=lifecycle,
                payment_state=payment,
                customer=order_pb2.Customer(email=f"c{number % 7}@example.com"),
                total=order_pb2.Money(currency_code="USD", units=number),
                external_refs=[order_pb2.ExternalRef(source="load", id=str(number))],
            )
            requests.append(order_service_pb2.UpsertOrderRequest(order=order, key_source="load"))
        server.servicer.BatchUpsertOrders(
            order_service_pb2.BatchUpsertOrdersRequest(
                parent=f"tenants/{store}", requests=requests
            ),
            _Context(),
        )
    http = HttpServer(
        build_http_app(mounts=build_facades(_counting(port, calls))), host="127.0.0.1", port=0
    )
    http.start()
    yield f"http://127.0.0.1:{http.port}/bigcommerce/stores/{store}/v2", calls
    http.stop()
    server.stop_serving(None)


class _Context:
    """The servicer context of a direct call that loads the store (token-big's tenant)."""

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return (("authorization", "Bearer token-big"),)

    def time_remaining(self) -> None:
        return None


@pytest.mark.parametrize(
    ("path", "params", "most_calls"),
    [
        ("/orders", {"limit": "250", "page": "7"}, 1),
        ("/orders", {"min_total": "100", "max_total": "2000", "channel_id": "2"}, 1),
        ("/orders", {"email": "c3@example.com", "sort": "date_created:desc"}, 1),
        ("/orders", {"min_date_modified": "2000-01-01T00:00:00Z", "sort": "date_modified"}, 1),
        ("/orders", {"sort": "customer_id:desc", "page": "3"}, 1),
        ("/orders", {"sort": "channel_id", "channel_id": "1"}, 1),
        # A status filter asks which state triples show as that status (one CountOrders).
        ("/orders", {"status_id": "5", "page": "2"}, 2),
        # A status sort counts per status, then lists the statuses the page spans.
        ("/orders", {"sort": "status_id:desc", "page": "4", "limit": "250"}, 4),
        ("/orders/count", {}, 1),
        ("/orders/count", {"min_date_created": "2000-01-01T00:00:00Z", "status_id": "1"}, 1),
    ],
)
def test_big_store_queries_make_a_bounded_number_of_calls(
    big_store: tuple[str, Counter[str]], path: str, params: dict[str, str], most_calls: int
) -> None:
    base, calls = big_store
    calls.clear()
    response = httpx.get(f"{base}{path}", params=params, headers={"X-Auth-Token": "token-big"})
    assert response.status_code in (200, 204)
    assert 1 <= sum(calls.values()) <= most_calls, calls


def test_big_store_pages_cover_every_order_once_sorted_by_status(
    big_store: tuple[str, Counter[str]],
) -> None:
    base, calls = big_store
    seen: list[tuple[int, int]] = []
    calls.clear()
    for page in range(1, STORE_SIZE // 250 + 2):
        response = httpx.get(
            f"{base}/orders",
            params={"sort": "status_id", "limit": "250", "page": str(page)},
            headers={"X-Auth-Token": "token-big"},
        )
        if response.status_code == 204:
            break
        seen += [(order["status_id"], order["id"]) for order in response.json()]
    assert len(seen) == STORE_SIZE
    assert seen == sorted(seen)
    # Per page: one CountOrders and one ListOrders per status it spans, never a scan.
    assert sum(calls.values()) <= 2 * (STORE_SIZE // 250 + 1) + 3


def test_big_store_put_is_one_read_and_one_update(big_store: tuple[str, Counter[str]]) -> None:
    base, calls = big_store
    calls.clear()
    body = {"staff_notes": "big", "products": [{"name": "Pin", "quantity": 1, "price_ex_tax": 2,
                                                "price_inc_tax": 2}]}  # fmt: skip
    response = httpx.put(f"{base}/orders/1234", json=body, headers={"X-Auth-Token": "token-big"})
    assert response.status_code == 200, response.text
    assert response.json()["staff_notes"] == "big"
    assert calls == Counter({"ListOrders": 1, "UpdateOrder": 1})


def test_big_store_bulk_delete_is_one_purge(big_store: tuple[str, Counter[str]]) -> None:
    # Last in this module: it archives the store the tests above read.
    base, calls = big_store
    headers = {"X-Auth-Token": "token-big"}
    calls.clear()
    assert (
        httpx.delete(f"{base}/orders", params={"limit": "1000"}, headers=headers).status_code == 204
    )
    assert calls == Counter({"ListOrders": 1, "PurgeOrders": 1})
    count = httpx.get(f"{base}/orders/count", headers=headers).json()["count"]
    assert count == STORE_SIZE - 1000
    archived = httpx.get(f"{base}/orders/1000", headers=headers).json()
    assert archived["is_deleted"] is True, archived
    assert not httpx.get(f"{base}/orders/1001", headers=headers).json().get("is_deleted")
    calls.clear()
    assert httpx.delete(f"{base}/orders", headers=headers).status_code == 204
    assert calls == Counter({"PurgeOrders": 1})
    assert httpx.get(f"{base}/orders", headers=headers).status_code == 204
