"""The BigCommerce Orders v2 door: REST routes in, OrderService calls out; no translation here."""

# Sources: tests/vendor_specs/bigcommerce/orders.v2.oas2.yml ("the spec") and
# README.md, "Vendor mappings". A BigCommerce order id is the order's per-store `serial_number`
# (assigned by the service in creation order), so an order written through ANY door has an id
# here; orders are found by `serial_number = N`, never by ExternalRef("bigcommerce", …), which
# only records the id an order had in another BigCommerce store.

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request, Response
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters._facade import (
    DoorDocument,
    ErrorShape,
    FacadeError,
    error_responses,
    install_error_shape,
    json_body_openapi,
    publish_document,
    read_json,
    require_object,
)
from adapters.bigcommerce import models
from adapters.bigcommerce._read import refuse_read_only
from adapters.bigcommerce.catalogs import ORDER_STATUSES
from adapters.bigcommerce.requests import (
    DEFAULT_LIMIT,
    MAX_SKIP,
    invalid,
    order_query,
    parse_int,
    parse_page,
)
from adapters.bigcommerce.store import NOT_FOUND, Store
from adapters.bigcommerce.translate import (
    order_to_bigcommerce,
    products_to_bigcommerce,
    resource_links,
    shipments_to_bigcommerce,
    shipping_addresses_to_bigcommerce,
)
from adapters.errors import TranslationError
from adapters.jsonvalues import dumps
from adapters.port import OrderServicePort, RpcFailure

# Ours: the spec names no body limit, BigCommerce answers 413 "Request Entity Too Large".
BODY_LIMIT = 1024 * 1024
# An orderbridge extension: BigCommerce has no idempotency header; a client that sends one gets
# retry-safe POST and DELETE (it becomes the service's request_id).
IDEMPOTENCY_HEADER = "idempotency-key"
Emitted = dict[str, Any]
Check = Callable[[Emitted], bool]


# ---------------------------------------------------------------------------------------------
# Errors: BigCommerce answers a JSON array of {status, message} (404_Resp in the spec).
# ---------------------------------------------------------------------------------------------
def error_body(status: int, message: str, reason: str = "") -> list[dict[str, Any]]:
    """The BigCommerce error array; `details.invalid_reason` when there is more to say."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason:
        error["details"] = {"invalid_reason": reason}
    return [error]


def error_of_failure(failure: RpcFailure) -> tuple[int, list[dict[str, Any]]]:
    """The google/rpc/code.proto HTTP status, in BigCommerce's words where it has some."""
    status = failure.http_status
    reason = "; ".join(f"{path}: {text}" for path, text in failure.violations)
    if status == 401:
        return 401, error_body(401, "The X-Auth-Token is not valid.")
    if status == 403:
        return 403, error_body(403, "You don't have a required scope to access the endpoint.")
    if status == 404:
        return 404, error_body(404, NOT_FOUND)
    return status, error_body(status, failure.message, reason)


# BigCommerce's shape for every refusal: a JSON array of {status, message} (404_Resp).
ERROR_SHAPE = ErrorShape(
    facade=lambda error: (error.status, error_body(error.status, error.message)),
    rpc=error_of_failure,
    translation=lambda error: (
        400,
        error_body(400, f"The field '{error.field}' is invalid.", error.reason),
    ),
    # Unknown paths and methods answer in BigCommerce's shape too.
    route=lambda status, detail: (
        status,
        error_body(status, NOT_FOUND if status == 404 else detail),
    ),
    # Never a stack trace: the error is logged, the client gets the shape.
    unexpected=lambda: (500, error_body(500, "Internal Server Error")),
)


# 404_Resp in the spec: an array of {status, message}; `details` when there is more to say.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "integer"},
            "message": {"type": "string"},
            "details": {
                "type": "object",
                "properties": {"invalid_reason": {"type": "string"}},
            },
        },
    },
}
DOCUMENT = DoorDocument(
    models=(models.OrderPost, models.OrderPut, models.Order, models.OrderStatus),
    schemas={"BigCommerceErrors": ERROR_SCHEMA},
    # The spec's only security scheme: the X-Auth-Token header.
    security_schemes={"X-Auth-Token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"}},
)
_EVERY_ROUTE = {
    401: "No X-Auth-Token, or an unknown one",
    403: "The store is not the token's",
    500: "An unexpected error",
    504: "The service did not answer in time",
}
# A bad filter, page or limit (query parameters) is the spec's 400.
QUERY_ERRORS = error_responses(
    "BigCommerceErrors", {**_EVERY_ROUTE, 400: "A query parameter is invalid"}
)
ORDER_ERRORS = error_responses(
    "BigCommerceErrors",
    {**_EVERY_ROUTE, 400: "A query parameter is invalid", 404: "No order has that id"},
)
CREATE_ERRORS = error_responses(
    "BigCommerceErrors",
    {
        **_EVERY_ROUTE,
        400: "The body is not an order the route takes (a custom product without its name, an "
        "amount with more than nine fractional digits or too large for an amount of money)",
        409: "external_order_id is another order's, or the Idempotency-Key another request's",
        413: "The body is larger than 1 MiB",
    },
)
UPDATE_ERRORS = error_responses(
    "BigCommerceErrors",
    {
        **_EVERY_ROUTE,
        400: "The body is not an order update the route takes (a read-only field, an amount "
        "with more than nine fractional digits or too large for an amount of money)",
        404: "No order has that id",
        409: "external_order_id is another order's",
        413: "The body is larger than 1 MiB",
    },
)
STATUS_ERRORS = error_responses("BigCommerceErrors", {**_EVERY_ROUTE, 404: "No such status"})
# BigCommerce answers an empty page, and a shipping quote of an API order, with 204.
EMPTY: dict[int | str, dict[str, Any]] = {204: {"description": "Nothing to list"}}


def _token(request: Request) -> str:
    # The spec's only security scheme is the X-Auth-Token header; X-Auth-Client (the app's client
    # id, which the official client also sends) names no tenant and is ignored.
    token = request.headers.get("x-auth-token", "").strip()
    if not token:
        raise FacadeError(401, "No X-Auth-Token header was supplied.", code="unauthenticated")
    return token


class _ReadOnce(Store):
    """A request's store whose order reads are made once: a later read of the same id is
    answered by the first (a PUT reads its order before its body, then updates it)."""

    def __init__(self, store: Store) -> None:
        self.port, self.parent, self.token = store.port, store.parent, store.token
        self._read: dict[str, order_pb2.Order] = {}

    async def order(self, order_id: str) -> order_pb2.Order:
        if order_id not in self._read:
            self._read[order_id] = await super().order(order_id)
        return self._read[order_id]


def _api_base(request: Request, store_hash: str) -> str:
    """This store's API root as the client reached it (for the {url, resource} links).

    Cut from the request's own URL, so the mount prefix (/bigcommerce) and host are kept.
    """
    root = f"/stores/{store_hash}/v2"
    path = request.url.path
    return str(request.url.replace(path=path[: path.index(root) + len(root)], query=""))


def page_of(items: list[Any], page: int, limit: int) -> list[Any]:
    """The 1-based `page` of `items`, `limit` per page."""
    start = (page - 1) * limit
    return items[start : start + limit]


def top_level(emitted: Emitted, api_base: str) -> Emitted:
    """GET /orders/{id}: products and shipping addresses as {url, resource} links."""
    order = {key: value for key, value in emitted.items() if key != "shipments"}
    order.update(resource_links(emitted["id"], api_base=api_base))
    return order


def require_post_fields(body: Mapping[str, Any]) -> None:
    """order_Post requires billing_address and products (pickup consignments are refused)."""
    for key in ("billing_address", "products"):
        if body.get(key) is None:
            raise FacadeError(400, f"The required field '{key}' was not supplied.", field=key)


def _json(payload: Any, status: int = 200) -> Response:
    # Written with Decimals as exact JSON numbers, never through float.
    return Response(dumps(payload), status, media_type="application/json")


def _collection(items: list[Any]) -> Response:
    # BigCommerce answers an empty collection page with 204 and no body.
    return _json(items) if items else Response(status_code=204)


# ---------------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------------
def _query_parameter(name: str, kind: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}, "description": description}


_PAGING = [
    _query_parameter("page", "integer", "The 1-based page to return."),
    _query_parameter("limit", "integer", f"Results per page, {DEFAULT_LIMIT} by default, ≤250."),
]
_FILTERS = [
    _query_parameter("min_id", "integer", "The minimum order ID."),
    _query_parameter("max_id", "integer", "The maximum order ID."),
    _query_parameter("min_total", "number", "The minimum order total (total_inc_tax)."),
    _query_parameter("max_total", "number", "The maximum order total (total_inc_tax)."),
    _query_parameter("customer_id", "integer", "Customer ID (0: guest orders)."),
    _query_parameter("email", "string", "The email of the customer."),
    _query_parameter("status_id", "integer", "The status ID of the order."),
    _query_parameter("cart_id", "string", "The cart ID of the order."),
    _query_parameter("payment_method", "string", "The payment method's display name."),
    *(
        _query_parameter(name, "string", "RFC 2822 or ISO 8601.")
        for name in (
            "min_date_created",
            "max_date_created",
            "min_date_modified",
            "max_date_modified",
        )
    ),
    _query_parameter("channel_id", "integer", "The channel ID."),
    _query_parameter("external_order_id", "string", "The order ID in another system."),
    _query_parameter("is_deleted", "boolean", "true lists archived orders."),
]
_SORT = [_query_parameter("sort", "string", "id, date_created, … with :asc or :desc.")]


def create_app(port: OrderServicePort) -> FastAPI:
    """The BigCommerce facade; mount it under /bigcommerce. OpenAPI at /openapi.json."""
    app = FastAPI(
        title="Orderbridge — BigCommerce Orders v2",
        version="2",
        description="BigCommerce's /stores/{store_hash}/v2 orders, statuses and sub-resources.",
    )
    publish_document(app, DOCUMENT)

    install_error_shape(app, ERROR_SHAPE)

    def store(request: Request, store_hash: str) -> Store:
        return Store(port, store_hash, _token(request))

    prefix = "/stores/{store_hash}/v2"

    @app.get(
        f"{prefix}/orders",
        summary="Get All Orders (204 when the page is empty)",
        responses={**EMPTY, **QUERY_ERRORS},
        openapi_extra={"parameters": [*_FILTERS, *_PAGING, *_SORT]},
    )
    async def get_orders(store_hash: str, request: Request) -> Response:
        orders = store(request, store_hash)
        page, limit = parse_page(request.query_params)
        query = order_query(request.query_params)
        api_base = _api_base(request, store_hash)
        found = await orders.list_page(query, page, limit)
        return _collection(
            [top_level(order_to_bigcommerce(order, api_base=api_base), api_base) for order in found]
        )

    @app.post(
        f"{prefix}/orders",
        summary="Create an Order",
        responses=CREATE_ERRORS,
        openapi_extra=json_body_openapi(models.OrderPost),
    )
    async def create_order(store_hash: str, request: Request) -> Response:
        orders = store(request, store_hash)
        await orders.authorize()  # the credential before the body
        body = require_object(await read_json(request, limit=BODY_LIMIT))
        require_post_fields(body)
        created = await orders.create(body, request.headers.get(IDEMPOTENCY_HEADER, ""))
        api_base = _api_base(request, store_hash)
        return _json(top_level(order_to_bigcommerce(created, api_base=api_base), api_base))

    @app.delete(
        f"{prefix}/orders",
        summary="Delete All Orders (archives them)",
        responses=QUERY_ERRORS,
        status_code=204,
        openapi_extra={"parameters": _PAGING[1:]},
    )
    async def delete_orders(store_hash: str, request: Request) -> Response:
        orders = store(request, store_hash)
        limit = parse_int(request.query_params, "limit")
        if limit is not None and limit < 1:
            raise invalid("limit", "It must be 1 or more.")
        # One PurgeOrders archives the store's orders in one transaction; with a limit, one
        # ListOrders first finds the id of the last order to archive (the oldest `limit` ones).
        criteria = "*"
        if limit is not None:
            listed = await orders.port.ListOrders(
                order_service_pb2.ListOrdersRequest(
                    parent=orders.parent,
                    order_by="serial_number",
                    skip=min(limit - 1, MAX_SKIP),
                    page_size=1,
                ),
                orders.token,
            )
            if listed.orders:
                criteria = f"serial_number <= {listed.orders[0].serial_number}"
        await orders.port.PurgeOrders(
            order_service_pb2.PurgeOrdersRequest(
                parent=orders.parent,
                filter=criteria,
                force=True,
                request_id=request.headers.get(IDEMPOTENCY_HEADER, ""),
            ),
            orders.token,
        )
        return Response(status_code=204)

    @app.get(
        f"{prefix}/orders/count",
        summary="Get a Count of Orders, by status",
        responses=QUERY_ERRORS,
        openapi_extra={"parameters": _FILTERS},
    )
    async def count_orders(store_hash: str, request: Request) -> Response:
        orders = store(request, store_hash)
        query = order_query(request.query_params)
        counts = await orders.status_counts(query)
        return _json(counts_body(counts, _api_base(request, store_hash)))

    @app.get(f"{prefix}/orders/{{order_id}}", summary="Get an Order", responses=ORDER_ERRORS)
    async def get_order(store_hash: str, order_id: str, request: Request) -> Response:
        order = await store(request, store_hash).order(order_id)
        api_base = _api_base(request, store_hash)
        return _json(top_level(order_to_bigcommerce(order, api_base=api_base), api_base))

    @app.put(
        f"{prefix}/orders/{{order_id}}",
        summary="Update an Order",
        responses=UPDATE_ERRORS,
        openapi_extra=json_body_openapi(models.OrderPut),
    )
    async def update_order(store_hash: str, order_id: str, request: Request) -> Response:
        # The order's read checks the credential (and that the order exists) before the body
        # is read, and is the one read the update makes.
        orders = _ReadOnce(store(request, store_hash))
        await orders.order(order_id)
        body = require_object(await read_json(request, limit=BODY_LIMIT))
        try:
            refuse_read_only(body)
        except TranslationError as error:
            # The spec's 400 carries BigCommerce's own sentence as the message.
            raise FacadeError(400, error.reason, field=error.field) from None
        order = await orders.update(order_id, body)
        if body.get("is_deleted") is True:
            # order_Put: `is_deleted: true` archives the order, as DELETE does.
            order = await orders.port.DeleteOrder(
                order_service_pb2.DeleteOrderRequest(name=order.name), orders.token
            )
        api_base = _api_base(request, store_hash)
        return _json(top_level(order_to_bigcommerce(order, api_base=api_base), api_base))

    @app.delete(
        f"{prefix}/orders/{{order_id}}",
        summary="Archive an Order",
        status_code=204,
        responses=ORDER_ERRORS,
    )
    async def delete_order(store_hash: str, order_id: str, request: Request) -> Response:
        orders = store(request, store_hash)
        order = await orders.order(order_id)
        await orders.port.DeleteOrder(
            order_service_pb2.DeleteOrderRequest(
                name=order.name, request_id=request.headers.get(IDEMPOTENCY_HEADER, "")
            ),
            orders.token,
        )
        return Response(status_code=204)

    async def sub_resource(
        request: Request,
        store_hash: str,
        order_id: str,
        emit: Callable[[order_pb2.Order, str], list[dict[str, Any]]],
    ) -> Response:
        orders = store(request, store_hash)
        page, limit = parse_page(request.query_params)
        order = await orders.order(order_id)
        items = emit(order, _api_base(request, store_hash))
        return _collection(page_of(items, page, limit))

    @app.get(
        f"{prefix}/orders/{{order_id}}/products",
        summary="List Order Products",
        responses={**EMPTY, **ORDER_ERRORS},
        openapi_extra={"parameters": _PAGING},
    )
    async def get_products(store_hash: str, order_id: str, request: Request) -> Response:
        return await sub_resource(
            request, store_hash, order_id, lambda order, _base: products_to_bigcommerce(order)
        )

    async def get_shipping_addresses(store_hash: str, order_id: str, request: Request) -> Response:
        return await sub_resource(
            request,
            store_hash,
            order_id,
            lambda order, base: shipping_addresses_to_bigcommerce(order, api_base=base),
        )

    # The order's own link says /shippingaddresses (the spec's order_Resp examples); the path
    # table says /shipping_addresses: both answer.
    for path in ("shipping_addresses", "shippingaddresses"):
        app.add_api_route(
            f"{prefix}/orders/{{order_id}}/{path}",
            get_shipping_addresses,
            methods=["GET"],
            operation_id=f"get_order_{path}",
            summary="Get Order Shipping Addresses",
            responses={**EMPTY, **ORDER_ERRORS},
            openapi_extra={"parameters": _PAGING},
        )

    @app.get(
        f"{prefix}/orders/{{order_id}}/shipments",
        summary="Get Order Shipments (204 when none)",
        responses={**EMPTY, **ORDER_ERRORS},
        openapi_extra={"parameters": _PAGING},
    )
    async def get_shipments(store_hash: str, order_id: str, request: Request) -> Response:
        return await sub_resource(
            request, store_hash, order_id, lambda order, _base: shipments_to_bigcommerce(order)
        )

    @app.get(
        f"{prefix}/orders/{{order_id}}/coupons",
        summary="List Order Coupons (204: no coupon is stored per order yet)",
        responses={**EMPTY, **ORDER_ERRORS},
        openapi_extra={"parameters": _PAGING},
    )
    async def get_coupons(store_hash: str, order_id: str, request: Request) -> Response:
        # The order's `coupons` link points here. The canonical order keeps only the coupon
        # discount total (coupon_discount_total), not the coupons themselves: an empty list.
        return await sub_resource(request, store_hash, order_id, lambda _order, _base: [])

    async def get_shipping_quotes(
        store_hash: str, order_id: str, address_id: str, request: Request
    ) -> Response:
        # The spec: "Orders that are created in the control panel or using the API return a
        # 204 for this endpoint since a shipping quote is not generated during that process."
        orders = store(request, store_hash)
        order = await orders.order(order_id)
        addresses = shipping_addresses_to_bigcommerce(
            order, api_base=_api_base(request, store_hash)
        )
        if not any(str(address["id"]) == address_id for address in addresses):
            raise FacadeError(404, NOT_FOUND)
        return Response(status_code=204)

    # Each shipping address links to .../shippingaddresses/{id}/shippingquotes (the spec's
    # order_Resp examples); the path table says /shipping_addresses/{id}/shipping_quotes.
    for addresses_path, quotes_path in (
        ("shipping_addresses", "shipping_quotes"),
        ("shippingaddresses", "shippingquotes"),
    ):
        app.add_api_route(
            f"{prefix}/orders/{{order_id}}/{addresses_path}/{{address_id}}/{quotes_path}",
            get_shipping_quotes,
            methods=["GET"],
            operation_id=f"get_order_{quotes_path}",
            summary="Get Order Shipping Quotes (204 for orders created by API)",
            responses={**EMPTY, **ORDER_ERRORS},
        )

    @app.get(f"{prefix}/order_statuses", summary="Get All Order Statuses", responses=STATUS_ERRORS)
    async def get_order_statuses(store_hash: str, request: Request) -> Response:
        await store(request, store_hash).authorize()
        return _json(ORDER_STATUSES)

    @app.get(
        f"{prefix}/order_statuses/{{status_id}}",
        summary="Get a Single Order Status by ID",
        responses=STATUS_ERRORS,
    )
    async def get_order_status(store_hash: str, status_id: str, request: Request) -> Response:
        await store(request, store_hash).authorize()
        for status in ORDER_STATUSES:
            if str(status["id"]) == status_id:
                return _json(status)
        raise FacadeError(404, NOT_FOUND)

    return app


def counts_body(counts: Mapping[int, int], api_base: str) -> dict[str, Any]:
    """ordersCount_Full: every status in control-panel order with its count, and the total."""
    statuses = [
        {
            "id": status["id"],
            "name": status["name"],
            "system_label": status["system_label"],
            "custom_label": status["custom_label"],
            "system_description": status["system_description"],
            "count": counts.get(status["id"], 0),
            "url": f"{api_base}/orders?status_id={status['id']}",
            "sort_order": status["order"],
        }
        for status in sorted(ORDER_STATUSES, key=lambda status: status["order"])
    ]
    return {"statuses": statuses, "count": sum(counts.values())}


__all__ = ["create_app"]
