"""fabric POST bodies and orderId reads as OrderService requests, and errorCodes; pure, no I/O."""

import re
from collections.abc import Mapping
from typing import Any

from orderbridge.v1 import order_pb2, order_service_pb2

from adapters.errors import TranslationError
from adapters.fabric._intake import validated
from adapters.fabric.catalogs import ORDER_ID_SOURCE
from adapters.fabric.models import FabricOrderRequest
from adapters.fabric.translate import order_from_fabric
from adapters.jsonvalues import require_json_values


def upsert_request_from_fabric(
    parent: str, body: Mapping[str, Any]
) -> order_service_pb2.UpsertOrderRequest:
    """The UpsertOrder call for a POST /api-order/subscriptions/orders body.

    The body is checked against the documented request rules first. fabric assigns orderId itself
    and its request rules do not list it, so when the body carries none the order is keyed (and
    numbered) by its orderReference, else by its cartId: re-sending the body updates that order.
    """
    require_json_values(body)
    request = validated(FabricOrderRequest, body)
    order = order_from_fabric(body)
    if not request.orderId:
        key = request.orderReference or request.cartId
        order.order_number = key
        order.external_refs.append(order_pb2.ExternalRef(source=ORDER_ID_SOURCE, id=key))
    return order_service_pb2.UpsertOrderRequest(
        parent=parent, order=order, key_source=ORDER_ID_SOURCE
    )


def lookup_request_for_order_id(parent: str, order_id: str) -> order_service_pb2.LookupOrderRequest:
    """The LookupOrder call for GET /api-order/orders/orderNumber/{orderId}."""
    return order_service_pb2.LookupOrderRequest(
        parent=parent, external_ref=order_pb2.ExternalRef(source=ORDER_ID_SOURCE, id=order_id)
    )


def error_code_for(error: TranslationError) -> str:
    """A stable fabric-style errorCode for a rejected body: "INVALID_" + the top-level field.

    cartId → "INVALID_CART_ID", shipTo[0].price → "INVALID_SHIP_TO"; a body that is not an
    object → "INVALID_REQUEST_BODY".
    """
    head = re.split(r"[.\[]", error.field, maxsplit=1)[0].lstrip("_")
    if not head:
        return "INVALID_REQUEST_BODY"
    return "INVALID_" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", head).upper()


def order_number_filter(order_id: str) -> str:
    """The ListOrders filter for an order number, quoted as the filter language reads it."""
    escaped = order_id.replace("\\", "\\\\").replace('"', '\\"')
    return f'order_number = "{escaped}"'
