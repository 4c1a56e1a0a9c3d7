"""The Drip door end to end: real HTTP into the facade, real gRPC into OrderService."""

import base64
import copy
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from adapters.drip import translate
from adapters.jsonvalues import canonical_text, loads
from tests.conftest import ACME

EXAMPLES = Path(__file__).parents[1] / "adapters" / "drip" / "examples"


def basic(token: str, *, colon: bool = True) -> dict[str, str]:
    """HTTP Basic with the token as the user name (curl -u token:; drip-nodejs omits the colon)."""
    credentials = f"{token}:" if colon else token
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


AUTH = basic("token-acme")


def example(name: str) -> Any:
    return loads((EXAMPLES / name).read_bytes())


def unique_id() -> str:
    return uuid.uuid4().hex[:12]


def seed_order(upstream_id: str, **changes: Any) -> dict[str, Any]:
    """Seed 004's create-order element with its own upstream_id."""
    order: dict[str, Any] = example("seed004_orders_request.json")["orders"][0]
    return {**order, "upstream_id": upstream_id, **changes}


def lookup(stub: OrderServiceStub, upstream_id: str, provider: str = "shopify") -> order_pb2.Order:
    order: order_pb2.Order = stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent="tenants/acme",
            external_ref=order_pb2.ExternalRef(source=f"drip:{provider}", id=upstream_id),
            show_deleted=True,
        ),
        metadata=ACME,
    )
    return order


def is_stored(stub: OrderServiceStub, upstream_id: str) -> bool:
    try:
        lookup(stub, upstream_id)
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.NOT_FOUND:
            raise
        return False
    return True


def as_request_element(order: dict[str, Any]) -> dict[str, Any]:
    """The order object as a create/update element (its record id and links are the server's)."""
    if "links" not in order:
        return order
    request = {key: value for key, value in order.items() if key not in {"id", "links"}}
    return {**request, "id": order["links"]["subscriber"]}


def post(
    http: httpx.Client, path: str, body: Any, headers: dict[str, str] = AUTH
) -> httpx.Response:
    return http.post(path, content=json.dumps(body).encode(), headers=headers)


def assert_drip_errors(response: httpx.Response, status: int) -> list[dict[str, str]]:
    assert response.status_code == status, response.text
    payload = response.json()
    assert set(payload) == {"errors"}
    assert payload["errors"]
    for entry in payload["errors"]:
        assert set(entry) <= {"code", "attribute", "message"}
        assert entry["code"]
        assert entry["message"]
    errors: list[dict[str, str]] = payload["errors"]
    return errors


@pytest.fixture
def http(facade_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{facade_url}/drip", timeout=30) as client:
        yield client


# ---------------------------------------------------------------------------------------------
# Every Drip example through the door


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("seed004_orders_request.json", "/v2/acme/orders"),
        ("spec_orders_request.json", "/v2/acme/orders"),
        ("spec_orders_request_ruby.json", "/v2/acme/orders"),
        ("spec_orders_batches_request.json", "/v2/acme/orders/batches"),
    ],
)
def test_every_drip_order_example_is_stored_and_reads_back_as_sent(
    http: httpx.Client, stub: OrderServiceStub, name: str, path: str
) -> None:
    body = example(name)
    elements = (
        [order for batch in body["batches"] for order in batch["orders"]]
        if "batches" in body
        else body["orders"]
    )
    for element in elements:
        element["upstream_id"] = unique_id()

    response = post(http, path, body)

    assert response.status_code == 202, response.text
    assert response.json() == {}
    for element in elements:
        stored = lookup(stub, element["upstream_id"])
        assert canonical_text(translate.order_to_drip(stored)) == canonical_text(element)


@pytest.mark.parametrize("name", ["seed004_order_object.json", "spec_order_object.json"])
def test_drip_order_object_examples_are_accepted_as_request_elements(
    http: httpx.Client, stub: OrderServiceStub, name: str
) -> None:
    order = example(name)
    order["upstream_id"] = unique_id()

    response = post(http, "/v2/acme/orders", {"orders": [order]})

    assert response.status_code == 202, response.text
    stored = lookup(stub, order["upstream_id"])
    assert stored.customer.subscriber_id == "5555555"
    emitted = translate.order_to_drip(stored)
    assert canonical_text(emitted) == canonical_text(as_request_element(order))


@pytest.mark.parametrize(
    "name",
    ["seed004_refunds_request.json", "spec_refunds_request.json", "spec_refunds_request_ruby.json"],
)
def test_every_drip_refund_example_refunds_its_order(
    http: httpx.Client, stub: OrderServiceStub, name: str
) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202
    body = example(name)
    refund = body["refunds"][0]
    refund["order_upstream_id"] = order_id
    refund["upstream_id"] = unique_id()

    response = post(http, "/v2/acme/refunds", body)

    assert response.status_code == 202, response.text
    assert response.json() == {}
    stored = lookup(stub, order_id)
    assert stored.refunded_total == order_pb2.Money(currency_code="USD", units=20)
    assert stored.payment_state == order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED
    [canonical] = stored.refunds
    emitted = translate.refund_to_drip(stored.external_refs[0], canonical)
    assert canonical_text(emitted) == canonical_text(refund)


# ---------------------------------------------------------------------------------------------
# Retries, updates, money


def test_retried_order_post_never_duplicates_and_changes_nothing(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    body = {"orders": [seed_order(order_id)]}

    assert post(http, "/v2/acme/orders", body).status_code == 202
    first = lookup(stub, order_id)
    assert post(http, "/v2/acme/orders", body).status_code == 202
    assert post(http, "/v2/acme/orders/batches", {"batches": [body]}).status_code == 202

    again = lookup(stub, order_id)
    assert again.name == first.name
    assert again.revision == first.revision
    listed = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent="tenants/acme", filter=f'external_ref = "drip:shopify/{order_id}"'
        ),
        metadata=ACME,
    )
    assert [order.name for order in listed.orders] == [first.name]


def test_order_without_an_identifier_resent_unchanged_changes_nothing(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    # Found (issue 10): the re-send cleared the order number the server had given the order
    # (its serial) and so stored a new revision of an unchanged order.
    order_id = unique_id()
    order = {key: value for key, value in seed_order(order_id).items() if key != "identifier"}
    body = {"orders": [order]}

    assert post(http, "/v2/acme/orders", body).status_code == 202
    first = lookup(stub, order_id)
    assert post(http, "/v2/acme/orders", body).status_code == 202

    again = lookup(stub, order_id)
    assert first.order_number == str(first.serial_number)
    assert (again.revision, again.etag, again.order_number) == (
        first.revision,
        first.etag,
        first.order_number,
    )


def test_order_resent_with_changes_updates_the_same_order(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202
    first = lookup(stub, order_id)

    changed = seed_order(
        order_id,
        amount=5900,
        fulfillment_state="partially_fulfilled",
        cancelled_at="2013-06-22T08:00:00Z",
    )
    assert post(http, "/v2/acme/orders", {"orders": [changed]}).status_code == 202

    updated = lookup(stub, order_id)
    assert updated.name == first.name
    assert updated.revision == first.revision + 1
    assert updated.total == order_pb2.Money(currency_code="USD", units=59)
    assert updated.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert updated.fulfillment_state == order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED
    assert updated.cancel_time.ToJsonString() == "2013-06-22T08:00:00Z"


@pytest.mark.parametrize(
    ("currency", "total", "discount"),
    [
        ("USD", order_pb2.Money(currency_code="USD", units=49, nanos=990_000_000), (0, 10_000_000)),
        ("JPY", order_pb2.Money(currency_code="JPY", units=4999), (1, 0)),
        ("KWD", order_pb2.Money(currency_code="KWD", units=4, nanos=999_000_000), (0, 1_000_000)),
    ],
)
def test_cents_become_exact_money_in_the_currency_minor_unit(
    http: httpx.Client,
    stub: OrderServiceStub,
    currency: str,
    total: order_pb2.Money,
    discount: tuple[int, int],
) -> None:
    order_id = unique_id()
    order = seed_order(order_id, amount=4999, currency_code=currency)
    order["items"][0]["discount"] = 1

    assert post(http, "/v2/acme/orders", {"orders": [order]}).status_code == 202

    by_name = stub.GetOrder(
        order_service_pb2.GetOrderRequest(name=lookup(stub, order_id).name), metadata=ACME
    )
    assert by_name.currency_code == currency
    assert by_name.total == total
    units, nanos = discount
    assert by_name.line_items[0].discount == order_pb2.Money(
        currency_code=currency, units=units, nanos=nanos
    )
    assert translate.order_to_drip(by_name)["amount"] == 4999


def test_order_reads_back_through_get_order_with_state_items_and_addresses(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202

    order = stub.GetOrder(
        order_service_pb2.GetOrderRequest(name=lookup(stub, order_id).name), metadata=ACME
    )

    assert order.name.startswith("tenants/acme/orders/")
    assert order.total == order_pb2.Money(currency_code="USD", units=49)
    assert order.tax_total == order_pb2.Money(currency_code="USD", units=1)
    assert (order.lifecycle_state, order.payment_state, order.fulfillment_state) == (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_FULFILLED,
    )
    assert order.customer.email == "john@acme.com"
    [item] = order.line_items
    assert (item.name, item.sku, item.quantity) == ("Canoe", "4444", 1)
    assert item.unit_price == order_pb2.Money(currency_code="USD", units=49)
    assert order.billing_address.line1 == "123 Bill St."
    assert order.billing_address.name.full_name == "Bill Billington"
    assert order.shipping_destinations[0].address.city == "Shipville"
    assert order.place_time.ToJsonString() == "2013-06-21T10:31:58Z"


def test_batch_stores_every_order_of_every_batch(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    ids = [unique_id() for _ in range(5)]
    body = {
        "batches": [
            {"orders": [seed_order(order_id) for order_id in ids[:3]]},
            {"orders": [seed_order(order_id, amount=100) for order_id in ids[3:]]},
        ]
    }

    assert post(http, "/v2/acme/orders/batches", body).status_code == 202

    totals = [lookup(stub, order_id).total.units for order_id in ids]
    assert totals == [49, 49, 49, 1, 1]


@pytest.mark.parametrize(
    ("currency", "total", "refunded"),
    [("USD", "49.9900", "10.0000"), ("JPY", "4999.0000", "1000.0000"), ("KWD", "4.9990", "1.0000")],
)
def test_order_and_refund_read_back_through_the_bigcommerce_door(
    http: httpx.Client,
    facade_url: str,
    stub: OrderServiceStub,
    currency: str,
    total: str,
    refunded: str,
) -> None:
    order_id = unique_id()
    order = seed_order(order_id, amount=4999, currency_code=currency)
    assert post(http, "/v2/acme/orders", {"orders": [order]}).status_code == 202
    refund = {"provider": "shopify", "order_upstream_id": order_id, "amount": 1000}
    assert post(http, "/v2/acme/refunds", {"refunds": [refund]}).status_code == 202
    serial = lookup(stub, order_id).serial_number

    with httpx.Client(
        base_url=f"{facade_url}/bigcommerce/stores/acme/v2",
        headers={"X-Auth-Token": "token-acme"},
        timeout=30,
    ) as bigcommerce:
        read = bigcommerce.get(f"/orders/{serial}")
        products = bigcommerce.get(f"/orders/{serial}/products")
        shipping = bigcommerce.get(f"/orders/{serial}/shipping_addresses")

    assert read.status_code == 200, read.text
    bc_order = read.json()
    assert (bc_order["currency_code"], bc_order["total_inc_tax"]) == (currency, total)
    assert (bc_order["refunded_amount"], bc_order["payment_status"]) == (
        refunded,
        "partially refunded",
    )
    assert bc_order["order_source"] == "shopify"
    assert (bc_order["billing_address"]["first_name"], bc_order["billing_address"]["street_1"]) == (
        "Bill",
        "123 Bill St.",
    )
    [product] = products.json()
    assert (product["name"], product["sku"], product["quantity"]) == ("Canoe", "4444", 1)
    [address] = shipping.json()
    assert (address["street_1"], address["city"]) == ("123 Ship St.", "Shipville")


# ---------------------------------------------------------------------------------------------
# Refunds


def test_retried_refund_is_recorded_once(http: httpx.Client, stub: OrderServiceStub) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202
    refund = {
        "provider": "shopify",
        "order_upstream_id": order_id,
        "upstream_id": unique_id(),
        "amount": 4900,
    }

    assert post(http, "/v2/acme/refunds", {"refunds": [refund]}).status_code == 202
    assert post(http, "/v2/acme/refunds", {"refunds": [refund]}).status_code == 202

    stored = lookup(stub, order_id)
    assert len(stored.refunds) == 1
    assert stored.refunded_total == order_pb2.Money(currency_code="USD", units=49)
    assert stored.payment_state == order_pb2.PAYMENT_STATE_REFUNDED


def test_refund_is_in_the_order_currency_minor_unit(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    order = seed_order(order_id, currency_code="KWD")
    assert post(http, "/v2/acme/orders", {"orders": [order]}).status_code == 202
    refund = {"provider": "shopify", "order_upstream_id": order_id, "amount": 1234}

    assert post(http, "/v2/acme/refunds", {"refunds": [refund]}).status_code == 202

    assert lookup(stub, order_id).refunded_total == order_pb2.Money(
        currency_code="KWD", units=1, nanos=234_000_000
    )


def test_refund_of_an_unknown_order_is_not_found_and_refunds_nothing(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202
    refunds = [
        {"provider": "shopify", "order_upstream_id": order_id, "amount": 100},
        {"provider": "shopify", "order_upstream_id": unique_id(), "amount": 100},
    ]

    response = post(http, "/v2/acme/refunds", {"refunds": refunds})

    assert assert_drip_errors(response, 404) == [
        {
            "code": "not_found_error",
            "attribute": "refunds[1].order_upstream_id",
            "message": "The resource you requested was not found",
        }
    ]
    assert not lookup(stub, order_id).refunds  # every order is found before any refund is made


def test_refund_upstream_id_reused_with_another_amount_is_a_uniqueness_error(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202
    refund = {"provider": "shopify", "order_upstream_id": order_id, "upstream_id": "r1"}
    assert post(http, "/v2/acme/refunds", {"refunds": [{**refund, "amount": 100}]}).is_success

    response = post(http, "/v2/acme/refunds", {"refunds": [{**refund, "amount": 200}]})

    [error] = assert_drip_errors(response, 422)
    assert (error["code"], error["attribute"]) == ("uniqueness_error", "refunds[0].upstream_id")
    assert lookup(stub, order_id).refunded_total.units == 1


def test_refund_the_service_refuses_is_a_validation_error_on_its_amount(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    assert post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}).status_code == 202
    refund = {"provider": "shopify", "order_upstream_id": order_id, "amount": 0}

    response = post(http, "/v2/acme/refunds", {"refunds": [refund]})

    [error] = assert_drip_errors(response, 422)
    assert error["attribute"] == "refunds[0].amount"
    assert not lookup(stub, order_id).refunds


# ---------------------------------------------------------------------------------------------
# Authentication and the account


@pytest.mark.parametrize(
    "headers",
    [
        basic("token-acme", colon=True),
        basic("token-acme", colon=False),
        {"Authorization": "Bearer token-acme"},
    ],
    ids=["basic-with-colon", "basic-without-colon", "oauth-bearer"],
)
def test_every_documented_credential_form_is_accepted(
    http: httpx.Client, stub: OrderServiceStub, headers: dict[str, str]
) -> None:
    order_id = unique_id()

    response = post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}, headers)

    assert response.status_code == 202, response.text
    assert is_stored(stub, order_id)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("nope"),
        {"Authorization": "Basic %%%not-base64%%%"},
        {"Authorization": "Basic " + base64.b64encode(b":").decode()},
        {"Authorization": "Token token-acme"},
    ],
    ids=["missing", "unknown-token", "not-base64", "empty-user", "other-scheme"],
)
def test_missing_or_invalid_credentials_are_unauthorized(
    http: httpx.Client, stub: OrderServiceStub, headers: dict[str, str]
) -> None:
    order_id = unique_id()

    response = post(http, "/v2/acme/orders", {"orders": [seed_order(order_id)]}, headers)

    [error] = assert_drip_errors(response, 401)
    assert error["code"] == "authentication_error"
    assert response.headers["www-authenticate"].startswith("Basic")
    assert not is_stored(stub, order_id)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v2/globex/orders", {"orders": [seed_order("x")]}),
        ("/v2/globex/orders/batches", {"batches": [{"orders": [seed_order("x")]}]}),
        (
            "/v2/globex/refunds",
            {"refunds": [{"provider": "shopify", "order_upstream_id": "x", "amount": 1}]},
        ),
    ],
)
def test_another_account_is_forbidden(http: httpx.Client, path: str, body: Any) -> None:
    response = post(http, path, body)

    assert assert_drip_errors(response, 403) == [
        {"code": "authorization_error", "message": "You are not authorized to access this resource"}
    ]


def test_malformed_account_id_is_a_validation_error_on_it(http: httpx.Client) -> None:
    response = post(http, f"/v2/{'x' * 300}/orders", {"orders": [seed_order(unique_id())]})

    [error] = assert_drip_errors(response, 422)
    assert error["attribute"] == "account_id"


def test_order_the_service_refuses_names_the_drip_attribute(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    good = unique_id()
    too_long = "u" * 300  # Drip sets no length; stored references are at most 256 characters

    response = post(http, "/v2/acme/orders", {"orders": [seed_order(good), seed_order(too_long)]})

    [error] = assert_drip_errors(response, 422)
    assert error["attribute"] == "orders[1].upstream_id"
    # Each element stands on its own once translated, as in BatchUpsertOrders; a corrected
    # re-send is safe because the stored one is upserted again, not duplicated.
    assert is_stored(stub, good)


def test_credentials_are_checked_before_the_body(http: httpx.Client) -> None:
    response = http.post("/v2/acme/orders", content=b"{not json")

    assert_drip_errors(response, 401)


# ---------------------------------------------------------------------------------------------
# Validation and malformed requests


@pytest.mark.parametrize(
    ("path", "body", "code", "attribute"),
    [
        ("/v2/acme/orders", {"orders": [{"provider": "shopify"}]}, "format_error", None),
        ("/v2/acme/orders", {}, "presence_error", "orders"),
        ("/v2/acme/orders", {"orders": []}, "length_error", "orders"),
        ("/v2/acme/orders", {"orders": "many"}, "format_error", "orders"),
        ("/v2/acme/orders/batches", {"orders": []}, "presence_error", "batches"),
        ("/v2/acme/orders/batches", {"batches": [{"orders": []}]}, "length_error", None),
        ("/v2/acme/refunds", {"refunds": [{"amount": 1}]}, "presence_error", None),
        ("/v2/acme/refunds", {"orders": []}, "presence_error", "refunds"),
    ],
)
def test_invalid_bodies_get_422_with_drip_error_codes(
    http: httpx.Client, path: str, body: Any, code: str, attribute: str | None
) -> None:
    response = post(http, path, body)

    [error, *_] = assert_drip_errors(response, 422)
    if attribute is not None:
        assert error["attribute"] == attribute
    if code != "format_error":
        assert error["code"] == code


@pytest.mark.parametrize(
    ("change", "code", "attribute"),
    [
        ({"amount": None}, "format_error", "orders[1].amount"),
        ({"amount": "49.99"}, "format_error", "orders[1].amount"),
        ({"email": "not-an-email"}, "email_error", "orders[1].email"),
        ({"occurred_at": "yesterday"}, "time_error", "orders[1].occurred_at"),
        ({"permalink": "myorders"}, "url_error", "orders[1].permalink"),
        ({"financial_state": "lost"}, "format_error", "orders[1].financial_state"),
        ({"upstream_id": ""}, "presence_error", "orders[1].upstream_id"),
        ({"provider": None}, "presence_error", "orders[1].provider"),
        ({"amount": 10**30}, "range_error", "orders[1].amount"),
        ({"currency_code": "dollars"}, "format_error", "orders[1].currency_code"),
    ],
)
def test_one_invalid_order_names_its_attribute_and_stores_nothing(
    http: httpx.Client, stub: OrderServiceStub, change: dict[str, Any], code: str, attribute: str
) -> None:
    good, bad = unique_id(), unique_id()
    body = {"orders": [seed_order(good), {**seed_order(bad), **change}]}

    response = post(http, "/v2/acme/orders", body)

    [error] = assert_drip_errors(response, 422)
    assert (error["code"], error["attribute"]) == (code, attribute)
    assert not is_stored(stub, good)  # every element is validated before the first is written


def test_missing_email_and_id_is_a_presence_error(http: httpx.Client) -> None:
    order = seed_order(unique_id())
    del order["email"]

    response = post(http, "/v2/acme/orders", {"orders": [order]})

    [error] = assert_drip_errors(response, 422)
    assert (error["code"], error["attribute"]) == ("presence_error", "orders[0].email")


def test_invalid_order_in_a_batch_names_its_batch_and_stores_nothing(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    ids = [unique_id() for _ in range(3)]
    orders = [seed_order(order_id) for order_id in ids]
    orders[2]["items"][0]["name"] = " "
    body = {"batches": [{"orders": orders[:1]}, {"orders": orders[1:]}]}

    response = post(http, "/v2/acme/orders/batches", body)

    [error] = assert_drip_errors(response, 422)
    assert error["code"] == "presence_error"
    assert error["attribute"] == "batches[1].orders[1].items[0].name"
    assert not any(is_stored(stub, order_id) for order_id in ids)


def test_batch_of_more_than_1000_orders_is_refused(http: httpx.Client) -> None:
    order = {"email": "a@b.co", "provider": "p", "upstream_id": "u", "amount": 1}
    body = {"batches": [{"orders": [order] * 1001}]}

    response = post(http, "/v2/acme/orders/batches", body)

    [error] = assert_drip_errors(response, 422)
    assert error["code"] == "length_error"
    assert error["attribute"] == "batches[0].orders"


@pytest.mark.parametrize(
    "body",
    [b'{"orders": [', b"\xff\xfe", b"[1, 2]", b'"orders"', b""],
    ids=["truncated", "not-utf8", "array", "string", "empty"],
)
@pytest.mark.parametrize("path", ["/v2/acme/orders", "/v2/acme/orders/batches", "/v2/acme/refunds"])
def test_malformed_json_is_a_bad_request_in_drip_shape(
    http: httpx.Client, path: str, body: bytes
) -> None:
    response = http.post(path, content=body, headers=AUTH)

    [error] = assert_drip_errors(response, 400)
    assert error["code"] == "format_error"


def test_body_without_content_type_is_accepted(http: httpx.Client, stub: OrderServiceStub) -> None:
    order_id = unique_id()
    body = json.dumps({"orders": [seed_order(order_id)]}).encode()

    response = http.post("/v2/acme/orders", content=body, headers={**AUTH, "Content-Type": ""})

    assert response.status_code == 202
    assert is_stored(stub, order_id)


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("/v2/acme/orders", 1024 * 1024),
        ("/v2/acme/refunds", 1024 * 1024),
        ("/v2/acme/orders/batches", 10 * 1024 * 1024),
    ],
)
def test_body_over_the_limit_is_refused(http: httpx.Client, path: str, size: int) -> None:
    order = seed_order(unique_id(), properties={"padding": "x" * size})

    response = post(http, path, {"orders": [order], "batches": [{"orders": [order]}]})

    [error] = assert_drip_errors(response, 413)
    assert error["code"] == "length_error"


def test_unknown_path_is_drips_not_found(http: httpx.Client) -> None:
    response = http.get("/v2/acme/subscribers", headers=AUTH)

    assert assert_drip_errors(response, 404) == [
        {"code": "not_found_error", "message": "The resource you requested was not found"}
    ]


def test_wrong_method_keeps_drips_error_shape(http: httpx.Client) -> None:
    response = http.get("/v2/acme/orders", headers=AUTH)

    assert_drip_errors(response, 405)


def test_same_order_twice_in_one_batch_is_one_order(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    order_id = unique_id()
    order = seed_order(order_id)
    body = {"batches": [{"orders": [order, copy.deepcopy(order)]}]}

    assert post(http, "/v2/acme/orders/batches", body).status_code == 202
    assert lookup(stub, order_id).revision == 1


# ---------------------------------------------------------------------------------------------
# The published contract


def test_openapi_document_lists_the_drip_paths_and_models(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()

    assert {
        "/v2/{account_id}/orders",
        "/v2/{account_id}/orders/batches",
        "/v2/{account_id}/refunds",
    } <= set(document["paths"])
    orders = document["paths"]["/v2/{account_id}/orders"]["post"]
    assert "202" in orders["responses"]
    assert {"401", "403", "404", "413", "422"} <= set(orders["responses"])
    assert {"DripOrdersBody", "DripOrderBatchesBody", "DripRefundsBody", "DripErrors"} <= set(
        document["components"]["schemas"]
    )


def test_more_orders_than_one_service_batch_are_all_stored(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    # POST /orders names no count limit (_orders.md); the service takes 1000 upserts a call, so
    # the door sends them in order, 1000 at a time.
    prefix = unique_id()
    orders = [
        {"provider": "shopify", "upstream_id": f"{prefix}-{n}", "email": "a@example.com",
         "amount": 100}
        for n in range(1001)
    ]  # fmt: skip
    response = post(http, "/v2/acme/orders", {"orders": orders})
    assert response.status_code == 202, response.text
    assert is_stored(stub, f"{prefix}-0")
    assert is_stored(stub, f"{prefix}-1000")
