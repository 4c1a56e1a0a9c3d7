"""Every OrderService RPC over a real channel, on SQLite and PostgreSQL."""

import grpc
import pytest
from google.protobuf import field_mask_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME, GLOBEX
from tests.service.builders import an_order, usd
from tests.service.status_details import error_info, field_violations

PARENT = "tenants/acme"


def create(stub: OrderServiceStub, order: order_pb2.Order, request_id: str = "") -> order_pb2.Order:
    return stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=order, request_id=request_id),
        metadata=ACME,
        timeout=10,
    )


def test_create_order_assigns_name_revision_etag_serial_and_times(stub: OrderServiceStub) -> None:
    sent = an_order()
    stored = create(stub, sent)
    assert stored.name.startswith("tenants/acme/orders/")
    assert len(stored.name.rsplit("/", 1)[1]) == 32
    assert stored.revision == 1
    assert stored.etag
    assert stored.serial_number > 0
    assert stored.create_time == stored.update_time
    assert stored.create_time.seconds > 0
    assert list(stored.line_items) == list(sent.line_items)
    assert stored.total == usd(29, 970_000_000)


def test_serial_numbers_grow_in_creation_order(stub: OrderServiceStub) -> None:
    first = create(stub, an_order())
    second = create(stub, an_order())
    assert second.serial_number == first.serial_number + 1


def test_create_ignores_output_only_fields(stub: OrderServiceStub) -> None:
    sent = an_order()
    sent.name = "tenants/acme/orders/" + "f" * 32
    sent.revision = 42
    sent.archive_time.seconds = 5
    stored = create(stub, sent)
    assert stored.name != sent.name
    assert stored.revision == 1
    assert not stored.HasField("archive_time")


def test_get_order_returns_what_create_stored(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    fetched = stub.GetOrder(order_service_pb2.GetOrderRequest(name=stored.name), metadata=ACME)
    assert fetched == stored


def test_get_missing_order_is_not_found_with_error_info(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(
            order_service_pb2.GetOrderRequest(name="tenants/acme/orders/" + "0" * 32),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    assert error_info(raised.value).reason == "ORDER_NOT_FOUND"
    assert error_info(raised.value).domain == "orderbridge.v1"


def test_get_malformed_name_is_invalid_argument(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(order_service_pb2.GetOrderRequest(name="orders/1"), metadata=ACME)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "name" in field_violations(raised.value)


def test_create_without_currency_lists_field_violations(stub: OrderServiceStub) -> None:
    order = an_order()
    order.currency_code = ""
    order.line_items[1].unit_price.currency_code = "EUR"
    with pytest.raises(grpc.RpcError) as raised:
        create(stub, order)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = field_violations(raised.value)
    assert "order.currency_code" in violations
    assert "order.line_items[1].unit_price.currency_code" in violations


def test_money_with_mixed_signs_is_invalid(stub: OrderServiceStub) -> None:
    order = an_order()
    order.total.CopyFrom(order_pb2.Money(currency_code="USD", units=1, nanos=-5))
    with pytest.raises(grpc.RpcError) as raised:
        create(stub, order)
    assert field_violations(raised.value) == {
        "order.total.nanos": "must have the same sign as units"
    }


def test_create_with_taken_external_ref_is_already_exists(stub: OrderServiceStub) -> None:
    first = create(stub, an_order())
    duplicate = an_order()
    duplicate.external_refs[0].CopyFrom(first.external_refs[0])
    with pytest.raises(grpc.RpcError) as raised:
        create(stub, duplicate)
    assert raised.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert error_info(raised.value).reason == "EXTERNAL_REF_TAKEN"


def test_lookup_finds_order_by_external_ref(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    found = stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(parent=PARENT, external_ref=stored.external_refs[0]),
        metadata=ACME,
    )
    assert found.name == stored.name
    with pytest.raises(grpc.RpcError) as raised:
        stub.LookupOrder(
            order_service_pb2.LookupOrderRequest(
                parent=PARENT, external_ref=order_pb2.ExternalRef(source="test", id="nope")
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_update_with_field_mask_changes_only_masked_fields(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    patch = order_pb2.Order(name=stored.name, etag=stored.etag, staff_notes="call first")
    patch.cart_id = "should-not-change"
    updated = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=patch, update_mask=field_mask_pb2.FieldMask(paths=["staff_notes"])
        ),
        metadata=ACME,
    )
    assert updated.staff_notes == "call first"
    assert updated.cart_id == stored.cart_id
    assert updated.revision == 2
    assert updated.etag != stored.etag
    assert updated.update_time.ToNanoseconds() >= stored.update_time.ToNanoseconds()
    assert updated.create_time == stored.create_time


def test_update_with_stale_etag_is_aborted(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    mask = field_mask_pb2.FieldMask(paths=["staff_notes"])
    fresh = order_pb2.Order(name=stored.name, etag=stored.etag, staff_notes="one")
    stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(order=fresh, update_mask=mask), metadata=ACME
    )
    stale = order_pb2.Order(name=stored.name, etag=stored.etag, staff_notes="two")
    with pytest.raises(grpc.RpcError) as raised:
        stub.UpdateOrder(
            order_service_pb2.UpdateOrderRequest(order=stale, update_mask=mask), metadata=ACME
        )
    assert raised.value.code() == grpc.StatusCode.ABORTED
    assert error_info(raised.value).reason == "ETAG_MISMATCH"
    current = stub.GetOrder(order_service_pb2.GetOrderRequest(name=stored.name), metadata=ACME)
    assert current.staff_notes == "one"


def test_update_rejects_output_only_and_unknown_paths(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    for path in ("revision", "no_such_field"):
        with pytest.raises(grpc.RpcError) as raised:
            stub.UpdateOrder(
                order_service_pb2.UpdateOrderRequest(
                    order=order_pb2.Order(name=stored.name),
                    update_mask=field_mask_pb2.FieldMask(paths=[path]),
                ),
                metadata=ACME,
            )
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "update_mask" in field_violations(raised.value)


def test_update_that_changes_nothing_keeps_the_revision(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    same = order_pb2.Order(name=stored.name, cart_id=stored.cart_id)
    result = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=same, update_mask=field_mask_pb2.FieldMask(paths=["cart_id"])
        ),
        metadata=ACME,
    )
    assert result == stored


def test_changing_line_items_keeps_the_previous_items(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order(items=2))
    patch = order_pb2.Order(name=stored.name)
    patch.line_items.add(sku="NEW", quantity=1, unit_price=usd(1))
    updated = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=patch, update_mask=field_mask_pb2.FieldMask(paths=["line_items"])
        ),
        metadata=ACME,
    )
    assert [item.sku for item in updated.line_items] == ["NEW"]
    assert list(updated.previous_line_items) == list(stored.line_items)


def test_update_missing_order_is_not_found(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.UpdateOrder(
            order_service_pb2.UpdateOrderRequest(
                order=order_pb2.Order(name="tenants/acme/orders/" + "a" * 32, staff_notes="x"),
                update_mask=field_mask_pb2.FieldMask(paths=["staff_notes"]),
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_delete_archives_and_hides_from_list(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    archived = stub.DeleteOrder(
        order_service_pb2.DeleteOrderRequest(name=stored.name), metadata=ACME
    )
    assert archived.HasField("archive_time")
    assert archived.revision == stored.revision + 1
    still_readable = stub.GetOrder(
        order_service_pb2.GetOrderRequest(name=stored.name), metadata=ACME
    )
    assert still_readable.HasField("archive_time")
    ref_filter = f'external_ref = "{stored.external_refs[0].source}/{stored.external_refs[0].id}"'
    hidden = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(parent=PARENT, filter=ref_filter), metadata=ACME
    )
    assert list(hidden.orders) == []
    shown = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(parent=PARENT, filter=ref_filter, show_deleted=True),
        metadata=ACME,
    )
    assert [order.name for order in shown.orders] == [stored.name]
    again = stub.DeleteOrder(order_service_pb2.DeleteOrderRequest(name=stored.name), metadata=ACME)
    assert again == archived


def test_delete_missing_order_is_not_found(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.DeleteOrder(
            order_service_pb2.DeleteOrderRequest(name="tenants/acme/orders/" + "b" * 32),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_cancel_sets_lifecycle_and_time_once(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    when = timestamp_pb2.Timestamp(seconds=1_700_000_000)
    cancelled = stub.CancelOrder(
        order_service_pb2.CancelOrderRequest(name=stored.name, cancel_time=when), metadata=ACME
    )
    assert cancelled.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert cancelled.cancel_time == when
    again = stub.CancelOrder(order_service_pb2.CancelOrderRequest(name=stored.name), metadata=ACME)
    assert again == cancelled


def test_cancel_missing_order_is_not_found(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.CancelOrder(
            order_service_pb2.CancelOrderRequest(name="tenants/acme/orders/" + "c" * 32),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_upsert_creates_then_updates_the_same_order(stub: OrderServiceStub) -> None:
    order = an_order(ref_source="drip:shopify")
    first = stub.UpsertOrder(
        order_service_pb2.UpsertOrderRequest(parent=PARENT, order=order, key_source="drip:shopify"),
        metadata=ACME,
    )
    assert first.created
    order.staff_notes = "updated by a re-sent webhook"
    second = stub.UpsertOrder(
        order_service_pb2.UpsertOrderRequest(parent=PARENT, order=order, key_source="drip:shopify"),
        metadata=ACME,
    )
    assert not second.created
    assert second.order.name == first.order.name
    assert second.order.staff_notes == "updated by a re-sent webhook"
    assert second.order.revision == 2
    third = stub.UpsertOrder(
        order_service_pb2.UpsertOrderRequest(parent=PARENT, order=order, key_source="drip:shopify"),
        metadata=ACME,
    )
    assert third.order == second.order


def test_upsert_without_a_reference_of_key_source_is_invalid(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.UpsertOrder(
            order_service_pb2.UpsertOrderRequest(
                parent=PARENT, order=an_order(), key_source="jirafe"
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "order.external_refs" in field_violations(raised.value)


def test_batch_upsert_applies_each_entry_on_its_own(stub: OrderServiceStub) -> None:
    good = an_order(ref_source="jirafe")
    bad = an_order(ref_source="jirafe")
    bad.currency_code = "dollars"
    also_good = an_order(ref_source="jirafe")
    response = stub.BatchUpsertOrders(
        order_service_pb2.BatchUpsertOrdersRequest(
            parent=PARENT,
            requests=[
                order_service_pb2.UpsertOrderRequest(order=order, key_source="jirafe")
                for order in (good, bad, also_good)
            ],
        ),
        metadata=ACME,
    )
    codes = [result.code for result in response.results]
    assert codes == [0, grpc.StatusCode.INVALID_ARGUMENT.value[0], 0]
    assert response.results[1].field_violations[0].field == "requests[1].order.currency_code"
    assert response.results[0].created
    assert response.results[2].created
    for result in (response.results[0], response.results[2]):
        fetched = stub.GetOrder(
            order_service_pb2.GetOrderRequest(name=result.order.name), metadata=ACME
        )
        assert fetched == result.order


def test_batch_over_the_limit_is_refused(stub: OrderServiceStub) -> None:
    request = order_service_pb2.BatchUpsertOrdersRequest(parent=PARENT)
    request.requests.extend(
        order_service_pb2.UpsertOrderRequest(key_source="x") for _ in range(1001)
    )
    with pytest.raises(grpc.RpcError) as raised:
        stub.BatchUpsertOrders(request, metadata=ACME)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_refunds_add_up_and_move_the_payment_state(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())  # total 29.97
    partly = stub.CreateRefund(
        order_service_pb2.CreateRefundRequest(
            name=stored.name, refund=order_pb2.Refund(upstream_id="r1", amount=usd(10))
        ),
        metadata=ACME,
    )
    assert partly.refunded_total == usd(10)
    assert partly.payment_state == order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED
    resent = stub.CreateRefund(
        order_service_pb2.CreateRefundRequest(
            name=stored.name, refund=order_pb2.Refund(upstream_id="r1", amount=usd(10))
        ),
        metadata=ACME,
    )
    assert resent == partly
    fully = stub.CreateRefund(
        order_service_pb2.CreateRefundRequest(
            name=stored.name,
            refund=order_pb2.Refund(upstream_id="r2", amount=usd(19, 970_000_000)),
        ),
        metadata=ACME,
    )
    assert fully.refunded_total == usd(29, 970_000_000)
    assert fully.payment_state == order_pb2.PAYMENT_STATE_REFUNDED
    assert [refund.upstream_id for refund in fully.refunds] == ["r1", "r2"]


def test_refund_in_another_currency_is_invalid(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateRefund(
            order_service_pb2.CreateRefundRequest(
                name=stored.name,
                refund=order_pb2.Refund(amount=order_pb2.Money(currency_code="EUR", units=1)),
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_refund_reusing_an_upstream_id_with_another_amount_is_already_exists(
    stub: OrderServiceStub,
) -> None:
    stored = create(stub, an_order())
    refund = order_pb2.Refund(upstream_id="r9", amount=usd(1))
    stub.CreateRefund(
        order_service_pb2.CreateRefundRequest(name=stored.name, refund=refund), metadata=ACME
    )
    refund.amount.units = 2
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateRefund(
            order_service_pb2.CreateRefundRequest(name=stored.name, refund=refund), metadata=ACME
        )
    assert raised.value.code() == grpc.StatusCode.ALREADY_EXISTS


def test_count_groups_by_status(stub: OrderServiceStub) -> None:
    source = "count-" + an_order().order_number
    for code in ("11", "11", "2"):
        order = an_order()
        order.native_status.CopyFrom(order_pb2.NativeStatus(source=source, code=code))
        create(stub, order)
    response = stub.CountOrders(
        order_service_pb2.CountOrdersRequest(
            parent=PARENT, filter=f'native_status.source = "{source}"'
        ),
        metadata=ACME,
    )
    assert response.total_count == 3
    assert sorted((group.native_status.code, group.count) for group in response.status_counts) == [
        ("11", 2),
        ("2", 1),
    ]


def test_missing_token_is_unauthenticated(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(order_service_pb2.GetOrderRequest(name="tenants/acme/orders/" + "0" * 32))
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(
            order_service_pb2.GetOrderRequest(name="tenants/acme/orders/" + "0" * 32),
            metadata=(("authorization", "Bearer wrong"),),
        )
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_other_tenants_orders_look_missing(stub: OrderServiceStub) -> None:
    stored = create(stub, an_order())
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(order_service_pb2.GetOrderRequest(name=stored.name), metadata=GLOBEX)
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as raised:
        stub.DeleteOrder(order_service_pb2.DeleteOrderRequest(name=stored.name), metadata=GLOBEX)
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    globex_lookup = order_service_pb2.LookupOrderRequest(
        parent="tenants/globex", external_ref=stored.external_refs[0]
    )
    with pytest.raises(grpc.RpcError) as raised:
        stub.LookupOrder(globex_lookup, metadata=GLOBEX)
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    listed = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(parent="tenants/globex", page_size=1000),
        metadata=GLOBEX,
    )
    assert stored.name not in {order.name for order in listed.orders}


def test_another_tenants_parent_is_permission_denied(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent="tenants/globex", order=an_order()),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error_info(raised.value).reason == "TENANT_MISMATCH"


def test_same_external_ref_in_two_tenants_is_two_orders(stub: OrderServiceStub) -> None:
    order = an_order()
    mine = create(stub, order)
    theirs = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent="tenants/globex", order=order), metadata=GLOBEX
    )
    assert mine.name != theirs.name
    assert theirs.name.startswith("tenants/globex/")


def test_vendor_data_mask_path_replaces_only_that_vendor(stub: OrderServiceStub) -> None:
    order = an_order()
    order.vendor_data["drip"].fields["kept"].string_value = "yes"
    order.vendor_data["jirafe"].fields["old"].string_value = "old"
    stored = create(stub, order)
    patch = order_pb2.Order(name=stored.name)
    patch.vendor_data["jirafe"].fields["new"].string_value = "new"
    updated = stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(
            order=patch, update_mask=field_mask_pb2.FieldMask(paths=["vendor_data.jirafe"])
        ),
        metadata=ACME,
    )
    assert dict(updated.vendor_data["drip"].fields)["kept"].string_value == "yes"
    assert list(updated.vendor_data["jirafe"].fields) == ["new"]


def test_upsert_whose_second_reference_is_taken_names_it(stub: OrderServiceStub) -> None:
    holder = an_order()
    holder.external_refs.add(source="fabric:_id", id="shared-" + holder.order_number)
    create(stub, holder)
    newcomer = an_order(ref_source="fabric")
    newcomer.external_refs.add(source="fabric:_id", id="shared-" + holder.order_number)
    with pytest.raises(grpc.RpcError) as raised:
        stub.UpsertOrder(
            order_service_pb2.UpsertOrderRequest(
                parent=PARENT, order=newcomer, key_source="fabric"
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert error_info(raised.value).reason == "EXTERNAL_REF_TAKEN"
    assert "fabric:_id/shared-" in raised.value.details()


def test_order_without_a_number_is_numbered_by_its_serial(stub: OrderServiceStub) -> None:
    order = an_order()
    order.order_number = ""
    stored = create(stub, order)
    assert stored.order_number == str(stored.serial_number)


def test_an_order_keeps_its_number_when_a_change_sends_none(stub: OrderServiceStub) -> None:
    # Found (issue 10): an upsert re-sent unchanged without a number cleared the number the
    # server had given the order, and so made a new revision of an unchanged order.
    order = an_order()
    order.order_number = ""
    order.external_refs.add(source="drip:shopify", id="keeps-its-number")
    request = order_service_pb2.UpsertOrderRequest(
        parent=PARENT, order=order, key_source="drip:shopify"
    )
    first = stub.UpsertOrder(request, metadata=ACME).order

    again = stub.UpsertOrder(request, metadata=ACME).order

    assert first.order_number == str(first.serial_number)
    assert again.order_number == first.order_number
    assert (again.revision, again.etag) == (first.revision, first.etag)


def test_a_refund_pushing_the_refunded_total_past_any_money_is_invalid(
    stub: OrderServiceStub,
) -> None:
    # Found (issue 10): the second refund's sum passed int64 units and answered INTERNAL.
    stored = create(stub, an_order())
    largest = usd(2**63 - 1)
    stub.CreateRefund(
        order_service_pb2.CreateRefundRequest(
            name=stored.name, refund=order_pb2.Refund(upstream_id="big-1", amount=largest)
        ),
        metadata=ACME,
    )
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateRefund(
            order_service_pb2.CreateRefundRequest(
                name=stored.name, refund=order_pb2.Refund(upstream_id="big-2", amount=largest)
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert list(field_violations(raised.value)) == ["refund.amount"]
