"""Partners' real npm clients driving the doors over HTTP: Drip's official `drip-nodejs` and the
BigCommerce client `node-bigcommerce` (Orders v2), installed by `npm ci` from
tests/facades/npm/package-lock.json and run as node scripts (tests/facades/npm/*.js) that print
what the client resolved or rejected with as JSON."""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from adapters.drip import translate
from adapters.jsonvalues import canonical_text
from tests.conftest import ACME

NPM_DIR = Path(__file__).parent / "npm"
EXAMPLES = Path(__file__).parents[1] / "adapters"
NODE = shutil.which("node")
NPM = shutil.which("npm")
if NODE is None or NPM is None:
    pytest.skip(
        "node and npm are needed to run the partners' npm clients (not on PATH)",
        allow_module_level=True,
    )
NPM_CI_TIMEOUT = 600
NODE_TIMEOUT = 60


@contextlib.contextmanager
def npm_dir_lock() -> Iterator[None]:
    """Serializes `npm ci` between pytest sessions sharing this checkout (it empties node_modules
    first). The lock file lives in the temp dir, so the npm folder holds only committed files."""
    digest = hashlib.sha256(str(NPM_DIR.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"orderbridge-npm-{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The clients at the versions package-lock.json pins, installed once per session."""
    assert NPM is not None
    with npm_dir_lock():
        completed = subprocess.run(
            [NPM, "ci", "--no-audit", "--no-fund"],
            cwd=NPM_DIR,
            capture_output=True,
            text=True,
            timeout=NPM_CI_TIMEOUT,
            check=False,
        )
    if completed.returncode != 0:
        pytest.fail(
            f"npm ci failed in {NPM_DIR} ({completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    return NPM_DIR / "node_modules"


def node(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Runs tests/facades/npm/`script` and returns the JSON line it prints."""
    assert NODE is not None
    # Loopback only: a proxy from the environment (axios honours HTTP_PROXY) must not be used.
    loopback = "127.0.0.1,localhost"
    env = {**os.environ, "NO_PROXY": loopback, "no_proxy": loopback, **(env or {})}
    completed = subprocess.run(
        [NODE, str(NPM_DIR / script), *args],
        cwd=NPM_DIR,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
        check=False,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    [line] = completed.stdout.splitlines()
    result: dict[str, Any] = json.loads(line)
    return result


def payload_file(directory: Path, payload: Any) -> str:
    path = directory / f"{uuid.uuid4().hex}.json"
    path.write_text(json.dumps(payload))
    return str(path)


def unique_id() -> str:
    return uuid.uuid4().hex[:12]


# ---------------------------------------------------------------------------------------------
# Drip: drip-nodejs


def example(*parts: str) -> Any:
    return json.loads(EXAMPLES.joinpath(*parts).read_text())


def seed_order(upstream_id: str, **changes: Any) -> dict[str, Any]:
    """Seed 004's create-order element (what a partner passes createUpdateOrder)."""
    order: dict[str, Any] = example("drip", "examples", "seed004_orders_request.json")["orders"][0]
    return {**order, "upstream_id": upstream_id, **changes}


def usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def lookup(stub: OrderServiceStub, upstream_id: str, provider: str = "shopify") -> order_pb2.Order:
    order: order_pb2.Order = stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent="tenants/acme",
            external_ref=order_pb2.ExternalRef(source=f"drip:{provider}", id=upstream_id),
        ),
        metadata=ACME,
    )
    return order


class Drip:
    """drip-nodejs for one account and token, pointed at the door at `facade_url`."""

    def __init__(
        self,
        facade_url: str,
        tmp_path: Path,
        token: str,
        account_id: str,
        token_type: str = "Basic",
    ) -> None:
        self.args = (facade_url, token, account_id)
        self.tmp_path = tmp_path
        self.env = {"DRIP_TOKEN_TYPE": token_type}

    def __call__(self, method: str, payload: Any) -> dict[str, Any]:
        path = payload_file(self.tmp_path, payload)
        return node("drip.js", *self.args, method, path, env=self.env)


@pytest.fixture
def drip(node_modules: Path, facade_url: str, tmp_path: Path) -> Drip:
    return Drip(facade_url, tmp_path, "token-acme", "acme")


def assert_accepted(result: dict[str, Any]) -> None:
    assert result == {"ok": True, "status": 202, "data": {}}


def assert_drip_error(result: dict[str, Any], status: int) -> list[dict[str, str]]:
    """The client rejected with axios's error for `status`, carrying Drip's error body."""
    assert result["ok"] is False, result
    assert (result["name"], result["status"]) == ("AxiosError", status), result
    assert result["message"] == f"Request failed with status code {status}"
    assert set(result["data"]) == {"errors"}
    errors: list[dict[str, str]] = result["data"]["errors"]
    assert errors
    for error in errors:
        assert set(error) <= {"code", "attribute", "message"}
        assert error["code"]
        assert error["message"]
    return errors


def test_drip_client_creates_then_updates_an_order(drip: Drip, stub: OrderServiceStub) -> None:
    order_id = unique_id()
    order = seed_order(order_id)

    assert_accepted(drip("createUpdateOrder", order))

    stored = lookup(stub, order_id)
    assert stored.order_number == "Order_123456"
    assert stored.customer.email == "john@acme.com"
    assert (stored.total, stored.tax_total) == (usd(49), usd(1))
    assert stored.lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED
    assert stored.payment_state == order_pb2.PAYMENT_STATE_PAID
    assert stored.fulfillment_state == order_pb2.FULFILLMENT_STATE_FULFILLED
    assert (stored.native_status.source, stored.native_status.code) == ("drip", "paid/fulfilled")
    assert stored.close_time.ToJsonString() == "2013-06-21T10:35:58Z"
    [line] = stored.line_items
    assert (line.name, line.quantity, line.total, line.discount) == ("Canoe", 1, usd(49), usd(1))
    # Everything the client sent reads back in Drip's shape.
    assert canonical_text(translate.order_to_drip(stored)) == canonical_text(order)

    changed = seed_order(
        order_id,
        amount=5900,
        financial_state="partially_paid",
        fulfillment_state="partially_fulfilled",
        cancelled_at="2013-06-22T08:00:00Z",
    )
    assert_accepted(drip("createUpdateOrder", changed))

    updated = lookup(stub, order_id)
    assert updated.name == stored.name
    assert updated.revision == stored.revision + 1
    assert updated.total == usd(59)
    assert updated.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert updated.payment_state == order_pb2.PAYMENT_STATE_PARTIALLY_PAID
    assert updated.fulfillment_state == order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED
    assert updated.cancel_time.ToJsonString() == "2013-06-22T08:00:00Z"


def test_drip_client_batch_stores_every_order(drip: Drip, stub: OrderServiceStub) -> None:
    first, second = unique_id(), unique_id()
    orders = [
        seed_order(first),
        seed_order(
            second,
            provider="woocommerce",
            identifier="Order_654321",
            amount=12345,
            currency_code="EUR",
            financial_state="pending",
            fulfillment_state="not_fulfilled",
            occurred_at="2026-11-30T00:10:41.789Z",  # JavaScript's new Date().toISOString()
        ),
    ]
    del orders[1]["closed_at"]

    # The client takes the bare array and wraps it as {"batches": [{"orders": [...]}]}.
    assert_accepted(drip("createUpdateBatchOrders", orders))

    paid = lookup(stub, first)
    assert paid.total == usd(49)
    assert paid.payment_state == order_pb2.PAYMENT_STATE_PAID
    assert paid.fulfillment_state == order_pb2.FULFILLMENT_STATE_FULFILLED
    pending = lookup(stub, second, provider="woocommerce")
    assert pending.name != paid.name
    assert pending.order_number == "Order_654321"
    assert pending.total == order_pb2.Money(currency_code="EUR", units=123, nanos=450_000_000)
    assert pending.lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED
    assert pending.payment_state == order_pb2.PAYMENT_STATE_PENDING
    assert pending.fulfillment_state == order_pb2.FULFILLMENT_STATE_UNFULFILLED
    assert pending.place_time.ToJsonString() == "2026-11-30T00:10:41.789Z"
    for sent in orders:
        stored = lookup(stub, sent["upstream_id"], provider=sent["provider"])
        assert canonical_text(translate.order_to_drip(stored)) == canonical_text(sent)


def test_drip_client_refunds_an_order(drip: Drip, stub: OrderServiceStub) -> None:
    order_id = unique_id()
    assert_accepted(drip("createUpdateOrder", seed_order(order_id)))
    refund = {
        "provider": "shopify",
        "order_upstream_id": order_id,
        "upstream_id": unique_id(),
        "amount": 2000,
        "note": "Incorrect size",
        "processed_by": "Bill",
        "processed_at": "2013-06-22T10:41:11Z",
    }

    assert_accepted(drip("createUpdateRefund", refund))

    stored = lookup(stub, order_id)
    assert stored.refunded_total == usd(20)
    assert stored.payment_state == order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED
    assert stored.total == usd(49)
    [canonical] = stored.refunds
    assert (canonical.upstream_id, canonical.amount) == (refund["upstream_id"], usd(20))
    assert (canonical.note, canonical.processed_by) == ("Incorrect size", "Bill")
    assert canonical.refund_time.ToJsonString() == "2013-06-22T10:41:11Z"
    emitted = translate.refund_to_drip(stored.external_refs[0], canonical)
    assert canonical_text(emitted) == canonical_text(refund)

    # A retried refund changes nothing; the rest of the amount refunds the order in full.
    assert_accepted(drip("createUpdateRefund", refund))
    assert len(lookup(stub, order_id).refunds) == 1
    rest = {**refund, "upstream_id": unique_id(), "amount": 2900, "note": "Rest"}
    assert_accepted(drip("createUpdateRefund", rest))
    refunded = lookup(stub, order_id)
    assert refunded.refunded_total == usd(49)
    assert refunded.payment_state == order_pb2.PAYMENT_STATE_REFUNDED
    assert [r.upstream_id for r in refunded.refunds] == [refund["upstream_id"], rest["upstream_id"]]


def test_drip_client_gets_drip_errors(
    node_modules: Path, facade_url: str, tmp_path: Path, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    order = seed_order(order_id)

    for token_type in ("Basic", "Bearer"):
        unknown = Drip(facade_url, tmp_path, "not-a-token", "acme", token_type)
        [error] = assert_drip_error(unknown("createUpdateOrder", order), 401)
        assert error["code"] == "authentication_error"
    other_account = Drip(facade_url, tmp_path, "token-acme", "globex")("createUpdateOrder", order)
    assert assert_drip_error(other_account, 403) == [
        {"code": "authorization_error", "message": "You are not authorized to access this resource"}
    ]
    with pytest.raises(grpc.RpcError) as missing:
        lookup(stub, order_id)
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND

    drip = Drip(facade_url, tmp_path, "token-acme", "acme")
    without_amount = {key: value for key, value in order.items() if key != "amount"}
    [error] = assert_drip_error(drip("createUpdateOrder", without_amount), 422)
    assert error["code"] == "presence_error"
    assert error["attribute"].endswith("amount")
    refund_of_nothing = {
        "provider": "shopify",
        "order_upstream_id": unique_id(),
        "upstream_id": unique_id(),
        "amount": 100,
    }
    [not_found] = assert_drip_error(drip("createUpdateRefund", refund_of_nothing), 404)
    assert not_found["code"] == "not_found_error"
    # The client's v3 shopper-activity call is not a door route (README: v3 is not covered).
    activity = {"provider": "shopify", "action": "placed", "order_id": order_id, "email": "a@b.co"}
    [no_route] = assert_drip_error(drip("createUpdateOrderActivity", activity), 404)
    assert no_route["code"] == "not_found_error"


def test_drip_client_with_an_oauth_bearer_token(
    node_modules: Path, facade_url: str, tmp_path: Path, stub: OrderServiceStub
) -> None:
    """Drip's docs tell public integrations to pass tokenType "Bearer" to this client."""
    order_id = unique_id()
    drip = Drip(facade_url, tmp_path, "token-acme", "acme", token_type="Bearer")

    assert_accepted(drip("createUpdateOrder", seed_order(order_id, amount=1234)))

    assert lookup(stub, order_id).total == usd(12, 340_000_000)


# ---------------------------------------------------------------------------------------------
# BigCommerce: node-bigcommerce (Orders v2)


class BigCommerce:
    """node-bigcommerce for one store and token, pointed at the door at `facade_url`."""

    def __init__(self, facade_url: str, tmp_path: Path, token: str, store_hash: str) -> None:
        self.args = (facade_url, token, store_hash)
        self.tmp_path = tmp_path

    def call(self, method: str, path: str, payload: Any = None) -> dict[str, Any]:
        extra = [] if payload is None else [payload_file(self.tmp_path, payload)]
        return node("bigcommerce.js", *self.args, method, path, *extra)

    def ok(self, method: str, path: str, payload: Any = None) -> Any:
        result = self.call(method, path, payload)
        assert result["ok"] is True, result
        return result["data"]


@pytest.fixture
def bigcommerce(node_modules: Path, facade_url: str, tmp_path: Path) -> BigCommerce:
    return BigCommerce(facade_url, tmp_path, "token-acme", "acme")


def custom_order(email: str) -> dict[str, Any]:
    body: dict[str, Any] = example("bigcommerce", "examples", "post_custom_product.json")
    body["billing_address"]["email"] = email
    return body


def test_bigcommerce_client_creates_gets_lists_updates_counts_and_deletes(
    bigcommerce: BigCommerce,
) -> None:
    email = f"{unique_id()}@example.com"

    created = bigcommerce.ok("post", "/orders", custom_order(email))
    second = bigcommerce.ok("post", "/orders", custom_order(email))
    assert isinstance(created["id"], int)
    assert second["id"] > created["id"]
    assert (created["status_id"], created["status"]) == (0, "Incomplete")
    assert (created["subtotal_ex_tax"], created["total_inc_tax"]) == ("45.0000", "50.0000")
    assert created["billing_address"]["email"] == email
    order_path = f"/orders/{created['id']}"

    fetched = bigcommerce.ok("get", order_path)
    assert fetched["id"] == created["id"]
    assert fetched["billing_address"]["email"] == email
    # Partners follow the {url, resource} links with the client: resource is its path argument.
    [product] = bigcommerce.ok("get", fetched["products"]["resource"])
    assert (product["order_id"], product["name"], product["quantity"]) == (
        created["id"],
        "BigCommerce Coffee Mug",
        1,
    )
    assert (product["price_ex_tax"], product["price_inc_tax"]) == ("45.0000", "50.0000")
    [address] = bigcommerce.ok("get", fetched["shipping_addresses"]["resource"])
    assert (address["order_id"], address["street_1"]) == (created["id"], "123 Main Street")
    assert bigcommerce.ok("get", address["shipping_quotes"]["resource"]) == ""
    assert bigcommerce.ok("get", fetched["coupons"]["resource"]) == ""

    listed = bigcommerce.ok("get", f"/orders?email={email}")
    assert [order["id"] for order in listed] == [created["id"], second["id"]]
    descending = bigcommerce.ok("get", f"/orders?email={email}&sort=id:desc&limit=1")
    assert [order["id"] for order in descending] == [second["id"]]
    assert bigcommerce.ok("get", f"/orders/count?email={email}")["count"] == 2

    updated = bigcommerce.ok("put", order_path, {"status_id": 11, "staff_notes": "checked"})
    assert (updated["id"], updated["status_id"], updated["status"]) == (
        created["id"],
        11,
        "Awaiting Fulfillment",
    )
    assert updated["staff_notes"] == "checked"
    assert bigcommerce.ok("get", order_path)["status_id"] == 11
    # Products in a PUT: an id updates that line, a line without one is added.
    mug = {"id": product["id"], "quantity": 3, "price_inc_tax": 50, "price_ex_tax": 45}
    spoon = {"name": "Spoon", "quantity": 2, "price_inc_tax": 5, "price_ex_tax": 4}
    repriced = bigcommerce.ok("put", order_path, {"products": [mug, spoon]})
    assert (repriced["subtotal_ex_tax"], repriced["total_inc_tax"]) == ("143.0000", "160.0000")
    assert repriced["items_total"] == 5
    lines = bigcommerce.ok("get", f"{order_path}/products")
    assert [(line["name"], line["quantity"], line["total_inc_tax"]) for line in lines] == [
        ("BigCommerce Coffee Mug", 3, "150.0000"),
        ("Spoon", 2, "10.0000"),
    ]

    # 204 No Content: the client resolves with the empty body.
    assert bigcommerce.ok("delete", order_path) == ""
    assert bigcommerce.ok("get", order_path)["is_deleted"] is True
    assert bigcommerce.ok("get", f"/orders/count?email={email}")["count"] == 1
    assert [order["id"] for order in bigcommerce.ok("get", f"/orders?email={email}")] == [
        second["id"]
    ]
    assert bigcommerce.ok("get", f"/orders?email=nobody-{unique_id()}@example.com") == ""


def test_bigcommerce_client_gets_bigcommerce_errors(
    node_modules: Path, facade_url: str, tmp_path: Path
) -> None:
    def rejected(result: dict[str, Any], status: int) -> list[dict[str, Any]]:
        assert result["ok"] is False, result
        assert result["code"] == status
        assert result["message"].startswith(f"Request returned error code: {status} and body: ")
        errors: list[dict[str, Any]] = json.loads(result["responseBody"])
        assert [error["status"] for error in errors] == [status] * len(errors)
        return errors

    acme = BigCommerce(facade_url, tmp_path, "token-acme", "acme")
    rejected(acme.call("get", "/orders/999999999"), 404)
    bad_post = rejected(acme.call("post", "/orders", {"products": []}), 400)
    assert bad_post[0]["message"]
    created = acme.ok("post", "/orders", custom_order(f"{unique_id()}@example.com"))
    [read_only] = rejected(acme.call("put", f"/orders/{created['id']}", {"status": "Shipped"}), 400)
    assert read_only["message"].startswith("The field 'status' cannot be written to.")
    rejected(BigCommerce(facade_url, tmp_path, "token-acme", "globex").call("get", "/orders"), 403)
    unknown = BigCommerce(facade_url, tmp_path, "not-a-token", "acme")
    rejected(unknown.call("get", "/orders/count"), 401)
