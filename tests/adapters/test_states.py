"""The state-table rule every door shares (adapters/states.py)."""

from orderbridge.v1 import order_pb2

from adapters.states import code_or_closest, native_status_code

PAID = (
    order_pb2.LIFECYCLE_STATE_CONFIRMED,
    order_pb2.PAYMENT_STATE_PAID,
    order_pb2.FULFILLMENT_STATE_UNFULFILLED,
)
TABLE = {"paid": PAID}


def _order(source: str, code: str, payment: int) -> order_pb2.Order:
    return order_pb2.Order(
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=payment,  # type: ignore[arg-type]  # an enum value as its number
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        native_status=order_pb2.NativeStatus(source=source, code=code),
    )


def test_the_vendors_own_code_is_kept_while_it_describes_the_order() -> None:
    order = _order("shop", "paid", order_pb2.PAYMENT_STATE_PAID)
    assert code_or_closest(order, "shop", TABLE, lambda _states: "closest") == "paid"


def test_a_code_another_door_has_outdated_gives_way_to_the_closest() -> None:
    refunded = _order("shop", "paid", order_pb2.PAYMENT_STATE_REFUNDED)
    assert code_or_closest(refunded, "shop", TABLE, lambda _states: "closest") == "closest"


def test_another_vendors_code_is_never_used() -> None:
    order = _order("other", "paid", order_pb2.PAYMENT_STATE_PAID)
    assert native_status_code(order, "shop", lambda _code: True) is None
    assert code_or_closest(order, "shop", TABLE, lambda states: str(states[1])) == str(
        order_pb2.PAYMENT_STATE_PAID
    )
