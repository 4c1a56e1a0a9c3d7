"""The official BigCommerce Python client (PyPI `bigcommerce`) driving the door over HTTP."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bigcommerce
import httpx
import pytest
from bigcommerce.connection import OAuthConnection
from bigcommerce.exception import ClientRequestException

from adapters.facades import build_facades
from service.database import Database
from service.http import HttpServer, build_http_app
from service.server import start_grpc_server

EXAMPLES = Path(__file__).parents[1] / "adapters" / "bigcommerce" / "examples"


class LocalConnection(OAuthConnection):  # type: ignore[misc]  # the client ships no types
    """The client's own OAuth connection (X-Auth-Client / X-Auth-Token headers, its api_path
    template) pointed at the local facade: OAuthConnection takes `host` and `api_path` but
    writes "https://" into every URL (connection.py, full_path), so only that is replaced."""

    def full_path(self, url: str) -> str:
        return f"http://{self.host}{self.api_path.format(self.store_hash, url)}"


def client_for(base_url: str, store_hash: str, token: str) -> Any:
    """A BigcommerceApi for `store_hash`, talking to the facade at `base_url`."""
    api = bigcommerce.api.BigcommerceApi(
        client_id="orderbridge-tests", store_hash=store_hash, access_token=token
    )
    api.connection = LocalConnection(
        "orderbridge-tests",
        store_hash,
        token,
        host=base_url.removeprefix("http://"),
        api_path="/bigcommerce/stores/{}/v2/{}",
    )
    return api


def custom_order(email: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((EXAMPLES / "post_custom_product.json").read_text())
    body["billing_address"]["email"] = email
    return body


@pytest.fixture
def api(facade_url: str) -> Any:
    return client_for(facade_url, "acme", "token-acme")


def test_the_official_client_creates_reads_counts_lists_updates_and_deletes(api: Any) -> None:
    email = f"{uuid.uuid4().hex[:12]}@example.com"
    created = api.Orders.create(**custom_order(email))
    second = api.Orders.create(**custom_order(email))
    assert isinstance(created.id, int)
    assert second.id > created.id
    assert created.total_inc_tax == "50.0000"
    assert created.status_id == 0

    fetched = api.Orders.get(created.id)
    assert fetched.billing_address["email"] == email
    [product] = fetched.products()
    assert (product.name, product.price_ex_tax) == ("BigCommerce Coffee Mug", "45.0000")
    [address] = fetched.shipping_addresses()
    assert address.street_1 == "123 Main Street"

    assert api.Orders.count(email=email) == 2
    # iterall pages with limit=250 until the facade answers 204.
    assert [order.id for order in api.Orders.iterall(email=email)] == [created.id, second.id]
    assert [order.id for order in api.Orders.all(email=email, sort="id:desc")] == [
        second.id,
        created.id,
    ]

    updated = fetched.update(status_id=11, staff_notes="checked")
    assert (updated.status_id, updated.status, updated.staff_notes) == (
        11,
        "Awaiting Fulfillment",
        "checked",
    )
    assert api.Orders.get(created.id).status_id == 11

    fetched.delete()
    assert api.Orders.get(created.id).is_deleted is True
    assert [order.id for order in api.Orders.iterall(email=email)] == [second.id]
    assert api.Orders.count(email=email) == 1

    statuses = api.OrderStatuses.all()
    assert [status.id for status in statuses] == list(range(15))


def test_the_official_client_sees_bigcommerce_errors(api: Any, facade_url: str) -> None:
    with pytest.raises(ClientRequestException) as missing:
        api.Orders.get(999999999)
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()[0]["status"] == 404
    with pytest.raises(ClientRequestException) as refused:
        client_for(facade_url, "globex", "token-acme").Orders.all()
    assert refused.value.response.status_code == 403
    with pytest.raises(ClientRequestException) as unknown:
        client_for(facade_url, "acme", "not-a-token").Orders.count()
    assert unknown.value.response.status_code == 401


@pytest.fixture
def solo_store(database: Database) -> Iterator[str]:
    """A facade and gRPC server of their own, whose only token owns a fresh store, so deleting
    every order cannot touch the orders other tests share."""
    store = f"solo{uuid.uuid4().hex[:8]}"
    grpc_server = start_grpc_server(
        database=database, tokens={"token-solo": store}, host="127.0.0.1", port=0
    )
    port = grpc_server.in_process_port()
    http = HttpServer(build_http_app(mounts=build_facades(port)), host="127.0.0.1", port=0)
    http.start()
    yield f"http://127.0.0.1:{http.port}/bigcommerce/stores/{store}/v2"
    http.stop()
    grpc_server.stop_serving(None)


def test_delete_all_orders_archives_every_order_of_the_store(solo_store: str) -> None:
    headers = {"X-Auth-Token": "token-solo"}
    with httpx.Client(base_url=solo_store, headers=headers, timeout=30) as http:
        ids = [
            http.post("/orders", json=custom_order("solo@example.com")).json()["id"]
            for _ in range(3)
        ]
        assert ids == [1, 2, 3]  # serial numbers are per store
        limited = http.delete("/orders", params={"limit": 1})
        assert limited.status_code == 204
        assert [order["id"] for order in http.get("/orders").json()] == [2, 3]
        everything = http.delete("/orders")
        assert everything.status_code == 204
        assert everything.content == b""
        assert http.get("/orders").status_code == 204
        assert http.get("/orders/count").json()["count"] == 0
        assert http.get("/orders/2").json()["is_deleted"] is True
