"""The state-table rule every door shares: its own native status while it still describes the
order, else the closest status for the order's states; pure, no vendor tables here."""

from collections.abc import Callable, Mapping

from orderbridge.v1 import order_pb2

# (lifecycle, payment, fulfillment): the canonical state of an order.
States = tuple[order_pb2.LifecycleState, order_pb2.PaymentState, order_pb2.FulfillmentState]


def states_of(order: order_pb2.Order) -> States:
    """The order's three canonical states."""
    return (order.lifecycle_state, order.payment_state, order.fulfillment_state)


def native_status_code(
    order: order_pb2.Order, vendor: str, still_describes: Callable[[str], bool]
) -> str | None:
    """The status code `vendor` gave the order, when it set one and it still describes the
    order (another door may have moved the states since); None otherwise."""
    native = order.native_status
    if native.source == vendor and still_describes(native.code):
        return native.code
    return None


def code_or_closest(
    order: order_pb2.Order,
    vendor: str,
    states_by_code: Mapping[str, States],
    closest: Callable[[States], str],
) -> str:
    """The vendor's own code while its states are the order's, else the closest code."""
    states = states_of(order)
    code = native_status_code(order, vendor, lambda code: states_by_code.get(code) == states)
    return code if code is not None else closest(states)
