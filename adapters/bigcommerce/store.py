"""The OrderService calls of one BigCommerce request, on the typed port; no HTTP, no SQL."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

import grpc
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters._facade import FacadeError, check_credential, parent_of
from adapters.bigcommerce._emit import is_number
from adapters.bigcommerce.requests import (
    EXTERNAL_ORDER_SOURCE,
    OrderQuery,
    counts_by_status,
    list_request,
    put_error_of,
    status_slices,
    status_term,
    triples_by_status,
    update_request_from_bigcommerce_put,
)
from adapters.bigcommerce.translate import order_from_bigcommerce_post, with_bigcommerce_ids
from adapters.port import OrderServicePort, RpcFailure

# The spec's 404_Resp message.
NOT_FOUND = "The requested resource was not found."


class Store:
    """One request's view of a store: its parent, its token and the service port."""

    def __init__(self, port: OrderServicePort, store_hash: str, token: str) -> None:
        self.port = port
        self.parent = parent_of(store_hash)
        self.token = token

    async def authorize(self) -> None:
        """Raises unless the token is valid and the store is its tenant (no order read)."""
        await check_credential(self.port, self.parent, self.token)

    async def order(self, order_id: str) -> order_pb2.Order:
        """The order with BigCommerce id `order_id` (its serial number), archived ones too."""
        # An id is an order's serial number: ASCII digits within 64 bits ("²" is a digit to
        # str.isdigit, not to int(); 5,000 digits are past int()'s limit and any serial).
        if not is_number(order_id):
            raise FacadeError(404, NOT_FOUND)
        response = await self.port.ListOrders(
            order_service_pb2.ListOrdersRequest(
                parent=self.parent,
                filter=f"serial_number = {int(order_id)}",
                page_size=1,
                show_deleted=True,
            ),
            self.token,
        )
        if not response.orders:
            raise FacadeError(404, NOT_FOUND)
        order: order_pb2.Order = response.orders[0]
        return order

    async def _groups(self, query: OrderQuery) -> list[order_service_pb2.StatusCount]:
        """CountOrders: the matching orders grouped by native status and states."""
        response = await self.port.CountOrders(
            order_service_pb2.CountOrdersRequest(
                parent=self.parent, filter=query.filter_with(), show_deleted=query.show_deleted
            ),
            self.token,
        )
        return list(response.status_counts)

    async def status_counts(self, query: OrderQuery) -> Counter[int]:
        """How many orders match, by BigCommerce status: one CountOrders."""
        return counts_by_status(await self._groups(query), query.status_id)

    async def _list(self, request: order_service_pb2.ListOrdersRequest | None) -> list[Any]:
        if request is None:
            return []
        response = await self.port.ListOrders(request, self.token)
        return list(response.orders)

    async def list_page(self, query: OrderQuery, page: int, limit: int) -> list[order_pb2.Order]:
        """One page of GET /orders: one ListOrders, after one CountOrders when a status is
        filtered (which state triples show as it) or sorted on (how many orders each has)."""
        skip = (page - 1) * limit
        if query.status_id is None and query.sort != "status_id":
            return await self._list(list_request(self.parent, query, skip=skip, page_size=limit))
        groups = await self._groups(query)
        triples = triples_by_status(groups)
        if query.status_id is not None:
            # Several state triples may show as one status (a Jirafe "accepted" order is
            # Awaiting Fulfillment too): the filter names each the store holds.
            triples = {query.status_id: triples.get(query.status_id, set())}
            if not triples[query.status_id]:
                return []
        if query.sort != "status_id":
            term = status_term(triples[query.status_id or 0])
            return await self._list(
                list_request(self.parent, query, skip=skip, page_size=limit, extra=[term])
            )
        counts = counts_by_status(groups, query.status_id)
        orders: list[order_pb2.Order] = []
        for part in status_slices(counts, descending=query.descending, page=page, limit=limit):
            orders += await self._list(
                list_request(
                    self.parent,
                    query,
                    skip=part.skip,
                    page_size=part.page_size,
                    extra=[status_term(triples[part.status_id])],
                )
            )
        return orders

    async def update(self, order_id: str, body: Mapping[str, Any]) -> order_pb2.Order:
        """PUT: the fields sent replace the order's, products and addresses change by id.

        Two calls: the read finds the order's name from its BigCommerce id, then one
        UpdateOrder, which the service merges under its row lock (no etag, no retry).
        """
        current = await self.order(order_id)
        request = update_request_from_bigcommerce_put(current.name, body, payments=current.payments)
        if not (
            request.update_mask.paths
            or request.line_item_changes
            or request.shipping_destination_changes
        ):
            return current
        if "payments" in request.update_mask.paths:
            # The payments list is replaced whole, from the one read: stale, the service
            # refuses it (409) rather than lose another writer's payment.
            request.order.etag = current.etag
        try:
            updated: order_pb2.Order = await self.port.UpdateOrder(request, self.token)
        except RpcFailure as failure:
            if failure.code == grpc.StatusCode.INVALID_ARGUMENT:
                for field, description in failure.violations:
                    error = put_error_of(body, field, description)
                    if error is not None:
                        raise error from None
            raise
        return updated

    async def create(self, body: Mapping[str, Any], request_id: str) -> order_pb2.Order:
        """POST: a new order (or, with an external_order_id, the one already holding it)."""
        order = with_bigcommerce_ids(order_from_bigcommerce_post(body))
        external_order_id = body.get("external_order_id")
        if isinstance(external_order_id, str) and external_order_id:
            order.external_refs.append(
                order_pb2.ExternalRef(source=EXTERNAL_ORDER_SOURCE, id=external_order_id)
            )
            response = await self.port.UpsertOrder(
                order_service_pb2.UpsertOrderRequest(
                    parent=self.parent,
                    order=order,
                    key_source=EXTERNAL_ORDER_SOURCE,
                    request_id=request_id,
                ),
                self.token,
            )
            upserted: order_pb2.Order = response.order
            return upserted
        created: order_pb2.Order = await self.port.CreateOrder(
            order_service_pb2.CreateOrderRequest(
                parent=self.parent, order=order, request_id=request_id
            ),
            self.token,
        )
        return created
