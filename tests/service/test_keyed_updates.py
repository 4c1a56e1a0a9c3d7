"""UpdateOrder's keyed line and destination changes: merged by the service under the row lock."""

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from google.protobuf import field_mask_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME
from tests.service.builders import an_order, usd
from tests.service.status_details import field_violations

PARENT = "tenants/acme"


def _created(stub: OrderServiceStub) -> order_pb2.Order:
    return stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=an_order(items=3)),
        metadata=ACME,
    )


def _quantity_change(line_id: str, quantity: int) -> order_service_pb2.LineItemChange:
    return order_service_pb2.LineItemChange(
        id=line_id,
        line_item=order_pb2.LineItem(quantity=quantity),
        update_mask=field_mask_pb2.FieldMask(paths=["quantity"]),
    )


def test_changes_update_remove_and_add_lines_in_one_call(stub: OrderServiceStub) -> None:
    order = _created(stub)
    updated = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=order_pb2.Order(name=order.name),
            line_item_changes=[
                _quantity_change("li-0", 7),
                order_service_pb2.LineItemChange(id="li-1", remove=True),
                order_service_pb2.LineItemChange(
                    line_item=order_pb2.LineItem(
                        id="li-9", sku="NEW", name="New", quantity=1, unit_price=usd(2)
                    )
                ),
            ],
        ),
        metadata=ACME,
    )
    assert [(line.id, line.quantity) for line in updated.line_items] == [
        ("li-0", 7),
        ("li-2", 3),
        ("li-9", 1),
    ]
    assert updated.line_items[0].sku == "SKU-0"  # only the masked field changed
    assert [line.id for line in updated.previous_line_items] == ["li-0", "li-1", "li-2"]
    assert updated.total == order.total  # totals move only when asked to
    assert updated.revision == order.revision + 1


def test_concurrent_changes_to_different_lines_both_survive(stub: OrderServiceStub) -> None:
    order = _created(stub)

    def change(line_id: str, quantity: int) -> order_pb2.Order:
        return stub.UpdateOrder(
            order_service_pb2.UpdateOrderRequest(
                order=order_pb2.Order(name=order.name),
                line_item_changes=[_quantity_change(line_id, quantity)],
            ),
            metadata=ACME,
        )

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(change, ["li-0", "li-1", "li-2", "li-0"], [10, 20, 30, 10]))
    final = stub.GetOrder(order_service_pb2.GetOrderRequest(name=order.name), metadata=ACME)
    assert [line.quantity for line in final.line_items] == [10, 20, 30]


def test_keep_totals_in_step_moves_the_totals_by_the_lines(stub: OrderServiceStub) -> None:
    order = _created(stub)
    updated = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=order_pb2.Order(name=order.name),
            line_item_changes=[_quantity_change("li-0", 2)],  # one more at 9.99
            keep_totals_in_step=True,
        ),
        metadata=ACME,
    )
    assert updated.total == usd(39, 960_000_000)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (order_service_pb2.LineItemChange(id="no-such-line", remove=True), "line_item_changes[0]"),
        (
            order_service_pb2.LineItemChange(
                id="li-0", update_mask=field_mask_pb2.FieldMask(paths=["colour"])
            ),
            "line_item_changes[0].update_mask",
        ),
    ],
)
def test_a_change_that_names_nothing_is_invalid(
    stub: OrderServiceStub, change: order_service_pb2.LineItemChange, field: str
) -> None:
    order = _created(stub)
    with pytest.raises(grpc.RpcError) as raised:
        stub.UpdateOrder(
            order_service_pb2.UpdateOrderRequest(
                order=order_pb2.Order(name=order.name), line_item_changes=[change]
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(raised.value)
    unchanged = stub.GetOrder(order_service_pb2.GetOrderRequest(name=order.name), metadata=ACME)
    assert unchanged.revision == order.revision
