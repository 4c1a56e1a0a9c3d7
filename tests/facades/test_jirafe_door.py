"""The Jirafe door end to end: real HTTP into the facade, real gRPC into OrderService."""

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME

EXAMPLES = Path(__file__).parents[1] / "adapters" / "jirafe" / "examples"
AUTH = {"Authorization": "Bearer token-acme"}


def example(name: str, order_number: str) -> dict[str, Any]:
    event = json.loads((EXAMPLES / name).read_text())
    event["order_number"] = order_number
    return event


def lookup(stub: OrderServiceStub, order_number: str) -> order_pb2.Order:
    return stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent="tenants/acme",
            external_ref=order_pb2.ExternalRef(source="jirafe", id=order_number),
            show_deleted=True,
        ),
        metadata=ACME,
    )


@pytest.fixture
def http(facade_url: str) -> httpx.Client:
    with httpx.Client(base_url=f"{facade_url}/jirafe", timeout=30) as client:
        yield client


def test_placed_then_accepted_then_cancelled_moves_one_order(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    number = uuid.uuid4().hex[:12]
    placed = http.post("/v2/acme/order", json=example("order-placed.json", number), headers=AUTH)
    assert placed.status_code == 200
    assert placed.json() == {"success": True}
    assert lookup(stub, number).lifecycle_state == order_pb2.LIFECYCLE_STATE_PENDING

    # Jirafe's own clients PUT the event and send no Content-Type.
    accepted = http.put(
        "/v2/acme/order",
        content=json.dumps(example("order-accepted.json", number)).encode(),
        headers={**AUTH, "Content-Type": ""},
    )
    assert accepted.status_code == 200
    order = lookup(stub, number)
    assert order.lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED
    assert order.total == order_pb2.Money(currency_code="USD", units=99, nanos=850_000_000)
    assert [item.product.name for item in order.line_items] == ["PowerShot A480"]
    assert order.attribution.visit_id == "1234"  # kept from the placed event

    cancelled = http.post(
        "/v2/acme/order", json=example("order-cancelled.json", number), headers=AUTH
    )
    assert cancelled.status_code == 200
    final = lookup(stub, number)
    assert final.name == order.name
    assert final.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert final.cancel_time.ToJsonString() == "2013-06-17T15:16:10Z"


def test_accepted_resent_with_changed_items_keeps_the_item_history(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    number = uuid.uuid4().hex[:12]
    first = example("order-accepted.json", number)
    assert http.post("/v2/acme/order", json=first, headers=AUTH).status_code == 200
    changed = copy.deepcopy(first)
    changed["items"][0]["quantity"] = 3
    changed["previous_items"] = []
    assert http.post("/v2/acme/order", json=changed, headers=AUTH).status_code == 200
    order = lookup(stub, number)
    assert [item.quantity for item in order.line_items] == [3]
    assert [item.quantity for item in order.previous_line_items] == [1]
    assert order.revision == 2
    again = http.post("/v2/acme/order", json=changed, headers=AUTH)
    assert again.status_code == 200
    assert lookup(stub, number).revision == 2  # a re-sent event changes nothing


def test_cancel_of_an_unknown_order_is_kept_as_a_cancelled_order(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    number = uuid.uuid4().hex[:12]
    response = http.post(
        "/v2/acme/order", json=example("order-cancelled.json", number), headers=AUTH
    )
    assert response.status_code == 200
    assert lookup(stub, number).lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED


@pytest.mark.parametrize(
    ("body", "error_type", "field"),
    [
        (b'{"order_number": ', "bad_json", ""),
        (b"[1, 2]", "invalid_type", ""),
        (b'{"order_number": "1", "status": "shipped"}', "validation", "status"),
        (
            json.dumps({"order_number": "1", "status": "placed", "order_date": "x"}).encode(),
            "validation",
            None,
        ),
    ],
)
def test_bad_events_get_jirafe_errors_and_store_nothing(
    http: httpx.Client, body: bytes, error_type: str, field: str | None
) -> None:
    response = http.post("/v2/acme/order", content=body, headers=AUTH)
    assert response.status_code == 400
    payload = response.json()
    assert payload["success"] is False
    assert payload["error_type"] == error_type
    assert isinstance(payload["errors"], dict)
    assert payload["errors"]
    if field is not None:
        assert field in payload["errors"]


def test_validation_error_names_the_field_path(http: httpx.Client) -> None:
    event = example("order-accepted.json", uuid.uuid4().hex[:12])
    event["items"][0]["price"] = "a lot"
    response = http.post("/v2/acme/order", json=event, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error_type"] == "validation"
    assert "items[0].price" in response.json()["errors"]


def test_tokens_are_checked(http: httpx.Client) -> None:
    event = example("order-placed.json", uuid.uuid4().hex[:12])
    missing = http.post("/v2/acme/order", json=event)
    assert missing.status_code == 403
    assert missing.json()["error_type"] == "invalid_token"
    wrong = http.post("/v2/acme/order", json=event, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert wrong.json()["error_type"] == "invalid_token"
    other_site = http.post("/v2/globex/order", json=event, headers=AUTH)
    assert other_site.status_code == 403
    assert other_site.json()["error_type"] == "authorization"


def test_batch_answers_per_item_in_the_same_positions(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    numbers = [uuid.uuid4().hex[:12] for _ in range(3)]
    bad = example("order-accepted.json", numbers[1])
    bad["currency"] = "dollars"
    body = {
        "order": [
            example("order-accepted.json", numbers[0]),
            bad,
            example("order-cancelled.json", numbers[2]),
        ],
        "cart": [{"id": "c1"}, {"id": "c2"}],
        "gizmo": [{}],
    }
    response = http.post("/v2/acme/batch", json=body, headers=AUTH)
    assert response.status_code == 200
    results = response.json()
    assert results["order"][0] == {"success": True}
    assert results["order"][1]["success"] is False
    assert results["order"][1]["error_type"] == "validation"
    assert results["order"][2] == {"success": True}
    assert [item["error_type"] for item in results["cart"]] == ["invalid_type", "invalid_type"]
    assert results["gizmo"][0]["error_type"] == "invalid_type"
    assert lookup(stub, numbers[0]).lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED
    with pytest.raises(grpc.RpcError):
        lookup(stub, numbers[1])
    assert lookup(stub, numbers[2]).lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED


def test_batch_applies_its_events_in_the_order_sent(
    http: httpx.Client, stub: OrderServiceStub
) -> None:
    # Was: cancellations ran one by one before the batched upserts, so an order accepted then
    # cancelled in one batch ended up confirmed (and one sent cancelled then accepted, too).
    accepted_then_cancelled, cancelled_then_accepted = (uuid.uuid4().hex[:12] for _ in "ab")
    body = {
        "order": [
            example("order-accepted.json", accepted_then_cancelled),
            example("order-cancelled.json", accepted_then_cancelled),
            example("order-cancelled.json", cancelled_then_accepted),
            example("order-accepted.json", cancelled_then_accepted),
        ]
    }
    response = http.put("/v2/acme/batch", json=body, headers=AUTH)
    assert response.json() == {"order": [{"success": True}] * 4}
    cancelled = lookup(stub, accepted_then_cancelled)
    assert cancelled.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert cancelled.cancel_time.ToJsonString() == "2013-06-17T15:16:10Z"
    assert cancelled.total.units == 99  # the accepted event's order, then cancelled
    accepted = lookup(stub, cancelled_then_accepted)
    assert accepted.lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED


def test_batch_over_ten_megabytes_is_refused(http: httpx.Client) -> None:
    padding = "x" * (10 * 1024 * 1024)
    response = http.post("/v2/acme/batch", json={"cart": [{"id": padding}]}, headers=AUTH)
    assert response.status_code == 413
    assert response.json()["success"] is False


def test_openapi_document_describes_the_order_events(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    assert "/v2/{site_id}/order" in document["paths"]
    assert "/v2/{site_id}/batch" in document["paths"]
    assert {"OrderPlaced", "OrderAccepted", "OrderCancelled"} <= set(
        document["components"]["schemas"]
    )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/v2/acme/order", 405), ("POST", "/v2/acme/gizmo", 404), ("GET", "/nowhere", 404)],
)
def test_unknown_routes_and_methods_answer_in_jirafes_shape(
    http: httpx.Client, method: str, path: str, status: int
) -> None:
    # Was FastAPI's {"detail": "Not Found"}: the door had no route handler of its own.
    response = http.request(method, path, headers=AUTH)
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False
    assert body["error_type"] == "invalid_type"
    assert body["errors"]
    if status == 405:
        assert "POST" in response.headers["allow"]
