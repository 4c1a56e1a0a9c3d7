"""OrderService glue: unpack, authorize, call the repository, map errors to statuses; no SQL."""

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

import grpc
from google.protobuf import any_pb2, field_mask_pb2, message_factory
from google.protobuf.message import DecodeError, Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status
from orderbridge.v1 import order_pb2, order_service_pb2, order_service_pb2_grpc

from core import merge
from core.errors import (
    Aborted,
    AlreadyExists,
    Conflict,
    DeadlineExceeded,
    InvalidArgument,
    NotFound,
    OrderError,
    PermissionDenied,
)
from core.ports import Call, OrderReader
from core.usecases import (
    Archive,
    Cancel,
    OrderUseCases,
    Refund,
    ReplyCodec,
    Target,
    Upsert,
    Upserted,
    Write,
)
from core.validation import (
    check_cancel_time,
    check_no_nul,
    check_order,
    check_refund,
    check_request_id,
    check_update_mask,
    parse_order_name,
    tenant_of_parent,
)
from service.auth import TokenAuthenticator, Unauthenticated
from service.filtering import (
    decode_page_token,
    encode_page_token,
    parse_filter,
    parse_order_by,
    query_fingerprint,
)
from service.listing import count_groups, list_page
from service.page_keys import load_page_key
from service.repository import OrderRepository

log = logging.getLogger(__name__)

ERROR_DOMAIN = "orderbridge.v1"
_CODES: dict[type[OrderError], tuple[grpc.StatusCode, int]] = {
    InvalidArgument: (grpc.StatusCode.INVALID_ARGUMENT, code_pb2.INVALID_ARGUMENT),
    NotFound: (grpc.StatusCode.NOT_FOUND, code_pb2.NOT_FOUND),
    AlreadyExists: (grpc.StatusCode.ALREADY_EXISTS, code_pb2.ALREADY_EXISTS),
    Conflict: (grpc.StatusCode.ABORTED, code_pb2.ABORTED),
    Aborted: (grpc.StatusCode.ABORTED, code_pb2.ABORTED),
    PermissionDenied: (grpc.StatusCode.PERMISSION_DENIED, code_pb2.PERMISSION_DENIED),
    DeadlineExceeded: (grpc.StatusCode.DEADLINE_EXCEEDED, code_pb2.DEADLINE_EXCEEDED),
    Unauthenticated: (grpc.StatusCode.UNAUTHENTICATED, code_pb2.UNAUTHENTICATED),
}
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000

ResponseT = TypeVar("ResponseT")
MessageT = TypeVar("MessageT", bound=Message)


def code_of(error: OrderError) -> int:
    """The google.rpc.Code of a domain error."""
    for kind, (_, code) in _CODES.items():
        if isinstance(error, kind):
            return code
    return int(code_pb2.FAILED_PRECONDITION)


def status_of(error: OrderError) -> status_pb2.Status:
    """A google.rpc.Status with ErrorInfo, and BadRequest for invalid arguments."""
    details = []
    if isinstance(error, InvalidArgument) and error.violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=field, description=text)
                for field, text in error.violations
            ]
        )
        details.append(_packed(bad_request))
    details.append(_packed(error_details_pb2.ErrorInfo(reason=error.reason, domain=ERROR_DOMAIN)))
    return status_pb2.Status(code=code_of(error), message=error.message, details=details)


def _packed(message: Any) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def _rpc(
    method: Callable[..., ResponseT],
) -> Callable[..., ResponseT]:
    """Turns domain errors into statuses with details; anything else is INTERNAL, logged."""

    @functools.wraps(method)
    def handle(self: "OrderServicer", request: Any, context: grpc.ServicerContext) -> ResponseT:
        remaining = context.time_remaining()
        if remaining is not None and remaining <= 0:
            context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded before start")
        try:
            return method(self, request, context)
        except OrderError as error:
            context.abort_with_status(rpc_status.to_status(status_of(error)))
        except Exception:
            log.exception("unexpected error in %s", method.__name__)
            context.abort(grpc.StatusCode.INTERNAL, "internal error")
        raise AssertionError("abort raises")

    return handle


_SERVICE = order_service_pb2.DESCRIPTOR.services_by_name["OrderService"]


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """A base-128 varint at `position`, and the position after it; IndexError when cut off."""
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80 or shift > 63:
            return value, position


def _field_end(data: bytes, position: int, wire_type: int) -> tuple[int, int]:
    """(start of the value, end of the field) for a field whose tag ends at `position`."""
    if wire_type == 0:
        return position, _varint(data, position)[1]
    if wire_type in (1, 5):
        return position, position + (8 if wire_type == 1 else 4)
    if wire_type == 2:
        length, start = _varint(data, position)
        return start, start + length
    raise IndexError("a group or an unknown wire type")


def undecodable_field(message_type: Any, data: bytes, prefix: str = "") -> str:
    """The path of the first field of `data` that does not decode alone (a string that is not
    UTF-8, a cut-off value), followed into nested messages; '' when no field can be named."""
    descriptor = message_type.DESCRIPTOR
    position, seen = 0, dict[int, int]()
    while position < len(data):
        start = position
        number = 0
        try:
            key, position = _varint(data, position)
            number = key >> 3
            value_start, position = _field_end(data, position, key & 7)
            if position > len(data):
                raise IndexError("cut off")
        except IndexError:
            field = descriptor.fields_by_number.get(number)
            return f"{prefix}{field.name}" if field is not None else prefix.rstrip(".")
        field = descriptor.fields_by_number.get(number)
        index = seen.get(number, 0)
        seen[number] = index + 1
        try:
            message_type.FromString(data[start:position])
            continue
        except DecodeError:
            if field is None:
                return prefix.rstrip(".")
        path = f"{prefix}{field.name}" + (f"[{index}]" if field.is_repeated else "")
        if field.message_type is None:
            return path
        nested = message_factory.GetMessageClass(field.message_type)
        return undecodable_field(nested, data[value_start:position], path + ".") or path
    return prefix.rstrip(".")


@dataclass(frozen=True)
class _Undecodable:
    """A request body that is not its message: what field, if one can be named."""

    field: str


class UndecodableRequests(grpc.ServerInterceptor):
    """OrderService requests that do not decode (truncated, a string field that is not UTF-8)
    answer INVALID_ARGUMENT with a field violation; left to grpc they would be INTERNAL."""

    def __init__(self) -> None:
        # The wrapped handler of each method, built on its first call: the service's handlers
        # never change, and building one costs more than the call it guards.
        self._wrapped: dict[str, grpc.RpcMethodHandler[Any, Any] | None] = {}

    def intercept_service(
        self,
        # Quoted: grpc's stubs make RpcMethodHandler generic, the runtime class is not.
        continuation: Callable[[grpc.HandlerCallDetails], "grpc.RpcMethodHandler[Any, Any] | None"],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> "grpc.RpcMethodHandler[Any, Any] | None":
        method_name = handler_call_details.method
        if method_name in self._wrapped:
            return self._wrapped[method_name]
        wrapped = self._wrap(continuation(handler_call_details), method_name)
        if wrapped is not None:
            self._wrapped[method_name] = wrapped
        return wrapped

    def _wrap(
        self, handler: "grpc.RpcMethodHandler[Any, Any] | None", method_name: str
    ) -> "grpc.RpcMethodHandler[Any, Any] | None":
        service, _, name = method_name.strip("/").rpartition("/")
        if handler is None or handler.unary_unary is None or service != _SERVICE.full_name:
            return handler
        method = _SERVICE.methods_by_name.get(name)
        if method is None:
            return handler
        message_type = message_factory.GetMessageClass(method.input_type)
        inner = handler.unary_unary

        def parse(data: bytes) -> Any:
            try:
                return message_type.FromString(data)
            except DecodeError:
                return _Undecodable(undecodable_field(message_type, data))

        def guarded(request: Any, context: grpc.ServicerContext) -> Any:
            if isinstance(request, _Undecodable):
                field = request.field or "request"
                error = InvalidArgument(
                    f"{field}: not a valid {method.input_type.name} (cut off, or text that is not"
                    " UTF-8)",
                    violations=[(field, "does not decode")],
                )
                context.abort_with_status(rpc_status.to_status(status_of(error)))
            return inner(request, context)

        return grpc.unary_unary_rpc_method_handler(
            guarded, request_deserializer=parse, response_serializer=handler.response_serializer
        )


class OrderServicer(order_service_pb2_grpc.OrderServiceServicer):
    """orderbridge.v1.OrderService."""

    def __init__(
        self,
        orders: OrderUseCases,
        reader: OrderReader,
        repository: OrderRepository,
        authenticator: TokenAuthenticator,
        *,
        page_key: bytes | None = None,
    ) -> None:
        self._orders = orders
        self._reader = reader
        # Listing and counting compile queries against its database.
        self._repository = repository
        self._auth = authenticator
        # Signs page tokens; shared by every replica on the database (service/page_keys.py).
        # Read here, once, when the composition root passes none.
        self._page_key = (
            page_key if page_key is not None else load_page_key(repository.database.reader)
        )

    @_rpc
    def check_credential(self, parent: str, context: grpc.ServicerContext) -> None:
        """For the in-process doors, before they read a body: the caller's token is valid and
        `parent` is its tenant. Not an RPC of the service; reads no storage."""
        self._own_parent(context, parent)

    def _own_parent(self, context: grpc.ServicerContext, parent: str) -> str:
        tenant = self._auth.tenant_of(context)
        if tenant_of_parent(parent) != tenant:
            raise PermissionDenied(f"{parent} is not the caller's tenant")
        return tenant

    def _own_order(
        self, context: grpc.ServicerContext, name: str, field: str = "name"
    ) -> tuple[str, str]:
        tenant = self._auth.tenant_of(context)
        return tenant, _order_id_of(tenant, name, field)

    @staticmethod
    def _call(tenant: str, request: Any, context: grpc.ServicerContext) -> Call:
        """The write's tenant, its request_id (checked) and the caller's deadline."""
        check_request_id(request.request_id)
        return Call(
            tenant=tenant,
            request_id=request.request_id,
            # The RPC's own name: one request_id never answers two different methods.
            method=type(request).__name__,
            fingerprint=_fingerprint_of(request) if request.request_id else "",
            time_left=context.time_remaining,
        )

    @_rpc
    def CreateOrder(
        self, request: order_service_pb2.CreateOrderRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant = self._own_parent(context, request.parent)
        check_order(request.order)
        return self._orders.create(self._call(tenant, request, context), request.order)

    @_rpc
    def GetOrder(
        self, request: order_service_pb2.GetOrderRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant, order_id = self._own_order(context, request.name)
        return self._reader.get(tenant=tenant, order_id=order_id)

    @_rpc
    def LookupOrder(
        self, request: order_service_pb2.LookupOrderRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant = self._own_parent(context, request.parent)
        check_no_nul("external_ref.source", request.external_ref.source)
        check_no_nul("external_ref.id", request.external_ref.id)
        if not request.external_ref.source or not request.external_ref.id:
            raise InvalidArgument(
                "external_ref needs source and id",
                violations=[("external_ref", "source and id are required")],
            )
        return self._reader.lookup(
            tenant=tenant, ref=request.external_ref, show_deleted=request.show_deleted
        )

    @_rpc
    def ListOrders(
        self, request: order_service_pb2.ListOrdersRequest, context: grpc.ServicerContext
    ) -> order_service_pb2.ListOrdersResponse:
        tenant = self._own_parent(context, request.parent)
        for field, value in (("page_size", request.page_size), ("skip", request.skip)):
            if value < 0:
                raise InvalidArgument(
                    f"{field} must not be negative", violations=[(field, "negative")]
                )
        page_size = min(request.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        where = parse_filter(request.filter)
        ordering = parse_order_by(request.order_by)
        fingerprint = query_fingerprint(request.filter, ordering, request.show_deleted)
        after = (
            decode_page_token(request.page_token, fingerprint, ordering, secret=self._page_key)
            if request.page_token
            else None
        )
        page = list_page(
            self._repository.database,
            tenant=tenant,
            where=where,
            ordering=ordering,
            page_size=page_size,
            skip=request.skip,
            after=after,
            show_deleted=request.show_deleted,
        )
        token = (
            encode_page_token(fingerprint, page.last_key, secret=self._page_key)
            if page.last_key
            else ""
        )
        response = order_service_pb2.ListOrdersResponse(next_page_token=token)
        for body in page.bodies:
            response.orders.add().MergeFromString(body)
        return response

    @_rpc
    def CountOrders(
        self, request: order_service_pb2.CountOrdersRequest, context: grpc.ServicerContext
    ) -> order_service_pb2.CountOrdersResponse:
        tenant = self._own_parent(context, request.parent)
        groups = count_groups(
            self._repository.database,
            tenant=tenant,
            where=parse_filter(request.filter),
            show_deleted=request.show_deleted,
        )
        response = order_service_pb2.CountOrdersResponse()
        for source, code, label, lifecycle, payment, fulfillment, count in groups:
            response.status_counts.add(
                native_status=order_pb2.NativeStatus(source=source, code=code, label=label),
                lifecycle_state=lifecycle,
                payment_state=payment,
                fulfillment_state=fulfillment,
                count=count,
            )
            response.total_count += count
        return response

    @_rpc
    def UpdateOrder(
        self, request: order_service_pb2.UpdateOrderRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant, order_id = self._own_order(context, request.order.name, "order.name")
        keyed = bool(request.line_item_changes or request.shipping_destination_changes)
        # With keyed changes and no mask, the mask names nothing: the changes are the update.
        paths = (
            []
            if keyed and not request.update_mask.paths
            else check_update_mask(request.update_mask)
        )
        return self._orders.update(
            self._call(tenant, request, context),
            order_id,
            request.order,
            paths,
            expected_etag=request.order.etag,
            line_item_changes=line_item_changes_of(request),
            destination_changes=destination_changes_of(request),
            keep_totals_in_step=request.keep_totals_in_step,
        )

    @staticmethod
    def _upsert_of(request: order_service_pb2.UpsertOrderRequest, path: str = "order") -> Upsert:
        check_order(request.order, path)
        check_no_nul("key_source", request.key_source)
        if not request.key_source:
            raise InvalidArgument("key_source is required", violations=[("key_source", "required")])
        return Upsert(request.order, request.key_source, check_update_mask(request.update_mask))

    @_rpc
    def UpsertOrder(
        self, request: order_service_pb2.UpsertOrderRequest, context: grpc.ServicerContext
    ) -> order_service_pb2.UpsertOrderResponse:
        tenant = self._own_parent(context, request.parent)
        upserted = self._orders.upsert(
            self._call(tenant, request, context), self._upsert_of(request), _UPSERT_REPLY
        )
        return _upsert_response(upserted)

    @_rpc
    def BatchUpsertOrders(
        self, request: order_service_pb2.BatchUpsertOrdersRequest, context: grpc.ServicerContext
    ) -> order_service_pb2.BatchUpsertOrdersResponse:
        tenant = self._own_parent(context, request.parent)
        upserts: list[Upsert | OrderError] = []
        for index, entry in enumerate(request.requests):
            try:
                if entry.parent not in ("", request.parent):
                    raise InvalidArgument(
                        "every entry's parent must be the batch's",
                        violations=[(f"requests[{index}].parent", "differs from parent")],
                    )
                upserts.append(self._upsert_of(entry, f"requests[{index}].order"))
            except OrderError as error:
                upserts.append(error)
        results = self._orders.batch_upsert(
            self._call(tenant, request, context), upserts, _BATCH_REPLY
        )
        return _batch_response(results)

    @_rpc
    def DeleteOrder(
        self, request: order_service_pb2.DeleteOrderRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant, order_id = self._own_order(context, request.name)
        return self._orders.archive(
            self._call(tenant, request, context), order_id, expected_etag=request.etag
        )

    @_rpc
    def PurgeOrders(
        self, request: order_service_pb2.PurgeOrdersRequest, context: grpc.ServicerContext
    ) -> order_service_pb2.PurgeOrdersResponse:
        tenant = self._own_parent(context, request.parent)
        if not request.filter.strip():
            raise InvalidArgument(
                'filter is required ("*" matches every order)',
                violations=[("filter", "required")],
            )
        criteria = None if request.filter.strip() == "*" else parse_filter(request.filter)
        count = self._orders.purge(
            self._call(tenant, request, context), criteria, force=request.force
        )
        return order_service_pb2.PurgeOrdersResponse(purge_count=count)

    def _target(self, tenant: str, name: str, ref: order_pb2.ExternalRef, path: str) -> Target:
        """The order a batch write names: by name, else by the entry's order_ref."""
        if name:
            return Target(order_id=_order_id_of(tenant, name, f"{path}.name"))
        check_no_nul(f"{path}.order_ref.source", ref.source)
        check_no_nul(f"{path}.order_ref.id", ref.id)
        if not ref.source or not ref.id:
            raise InvalidArgument(
                "a write needs the order's name or an order_ref",
                violations=[(f"{path}.order_ref", "name or order_ref (source and id) required")],
            )
        return Target(ref=ref)

    def _write_of(self, tenant: str, parent: str, entry: Any, path: str) -> Write:
        kind = entry.WhichOneof("write")
        if kind == "upsert":
            if entry.upsert.parent not in ("", parent):
                raise InvalidArgument(
                    "every entry's parent must be the batch's",
                    violations=[(f"{path}.upsert.parent", "differs from parent")],
                )
            return self._upsert_of(entry.upsert, f"{path}.upsert.order")
        if kind == "cancel":
            if entry.cancel.HasField("cancel_time"):
                check_cancel_time(entry.cancel.cancel_time, f"{path}.cancel.cancel_time")
            return Cancel(
                self._target(tenant, entry.cancel.name, entry.order_ref, path),
                entry.cancel.cancel_time if entry.cancel.HasField("cancel_time") else None,
            )
        if kind == "refund":
            check_refund(entry.refund.refund, f"{path}.refund.refund")
            return Refund(
                self._target(tenant, entry.refund.name, entry.order_ref, path), entry.refund.refund
            )
        if kind == "delete":
            return Archive(
                self._target(tenant, entry.delete.name, entry.order_ref, path), entry.delete.etag
            )
        raise InvalidArgument(
            "a write needs one of upsert, cancel, refund or delete",
            violations=[(path, "empty write")],
        )

    @_rpc
    def BatchWriteOrders(
        self, request: order_service_pb2.BatchWriteOrdersRequest, context: grpc.ServicerContext
    ) -> order_service_pb2.BatchWriteOrdersResponse:
        tenant = self._own_parent(context, request.parent)
        writes: list[Write | OrderError] = []
        for index, entry in enumerate(request.writes):
            try:
                writes.append(self._write_of(tenant, request.parent, entry, f"writes[{index}]"))
            except OrderError as error:
                writes.append(error)
        results = self._orders.batch_write(
            self._call(tenant, request, context),
            writes,
            _BATCH_REPLY,
            all_or_nothing=request.all_or_nothing,
        )
        return order_service_pb2.BatchWriteOrdersResponse(results=_batch_response(results).results)

    @_rpc
    def CancelOrder(
        self, request: order_service_pb2.CancelOrderRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant, order_id = self._own_order(context, request.name)
        cancel_time = request.cancel_time if request.HasField("cancel_time") else None
        if cancel_time is not None:
            check_cancel_time(cancel_time)
        return self._orders.cancel(self._call(tenant, request, context), order_id, cancel_time)

    @_rpc
    def CreateRefund(
        self, request: order_service_pb2.CreateRefundRequest, context: grpc.ServicerContext
    ) -> order_pb2.Order:
        tenant, order_id = self._own_order(context, request.name)
        check_refund(request.refund)
        return self._orders.refund(self._call(tenant, request, context), order_id, request.refund)


@dataclass
class _StoredFailure(OrderError):
    """A batch entry's failure as first answered, replayed for a retried request_id."""

    stored: order_service_pb2.BatchUpsertResult = dataclass_field(
        default_factory=order_service_pb2.BatchUpsertResult, kw_only=True
    )


def _order_id_of(tenant: str, name: str, field: str) -> str:
    """The id of the tenant's order `name`; another tenant's order is reported exactly like a
    missing one."""
    owner, order_id = parse_order_name(name, field)
    if owner != tenant:
        raise NotFound(f"order {name} not found")
    return order_id


def line_item_changes_of(
    request: order_service_pb2.UpdateOrderRequest,
) -> list[merge.LineItemChange]:
    """The request's keyed line item changes as the core's, their masks checked."""
    return [
        merge.LineItemChange(
            id=change.id if change.WhichOneof("line") == "id" else None,
            number=change.number if change.WhichOneof("line") == "number" else None,
            line_item=change.line_item,
            paths=_item_paths(
                change.update_mask, order_pb2.LineItem, f"line_item_changes[{index}].update_mask"
            ),
            remove=change.remove,
        )
        for index, change in enumerate(request.line_item_changes)
    ]


def destination_changes_of(
    request: order_service_pb2.UpdateOrderRequest,
) -> list[merge.DestinationChange]:
    """The request's keyed shipping destination changes as the core's, their masks checked."""
    return [
        merge.DestinationChange(
            id=change.id if change.WhichOneof("destination") == "id" else None,
            number=change.number if change.WhichOneof("destination") == "number" else None,
            destination=change.shipping_destination,
            paths=_item_paths(
                change.update_mask,
                order_pb2.ShippingDestination,
                f"shipping_destination_changes[{index}].update_mask",
            ),
            remove=change.remove,
        )
        for index, change in enumerate(request.shipping_destination_changes)
    ]


def _item_paths(mask: Any, message_type: Any, field: str) -> tuple[str, ...]:
    """The paths of a line or destination change's mask, each a field of its message."""
    for path in mask.paths:
        if not field_mask_pb2.FieldMask(paths=[path]).IsValidForDescriptor(message_type.DESCRIPTOR):
            raise InvalidArgument(
                f"{field}: {path} is not a field of {message_type.DESCRIPTOR.name}",
                violations=[(field, f"{path} is not a field of {message_type.DESCRIPTOR.name}")],
            )
    return tuple(mask.paths)


def _fingerprint_of(request: Message) -> str:
    """A digest of a request, to tell a retry from a different request with the same id."""
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()


def _upsert_response(upserted: Upserted) -> order_service_pb2.UpsertOrderResponse:
    return order_service_pb2.UpsertOrderResponse(order=upserted.order, created=upserted.created)


def _upserted_of(response: order_service_pb2.UpsertOrderResponse) -> Upserted:
    return Upserted(response.order, response.created)


_UPSERT_REPLY: ReplyCodec[Upserted] = ReplyCodec(
    encode=lambda upserted: _upsert_response(upserted).SerializeToString(deterministic=True),
    decode=lambda data: _upserted_of(order_service_pb2.UpsertOrderResponse.FromString(data)),
)


def _batch_response(
    results: list[Upserted | OrderError],
) -> order_service_pb2.BatchUpsertOrdersResponse:
    response = order_service_pb2.BatchUpsertOrdersResponse()
    for result in results:
        if isinstance(result, OrderError):
            response.results.append(_failed_result(result))
        else:
            response.results.add(order=result.order, created=result.created)
    return response


def _results_of(
    response: order_service_pb2.BatchUpsertOrdersResponse,
) -> list[Upserted | OrderError]:
    # A replayed batch is answered from its stored response, so its failures keep their code.
    return [
        Upserted(result.order, result.created)
        if result.code == 0
        else _StoredFailure(result.message, stored=result)
        for result in response.results
    ]


_BATCH_REPLY: ReplyCodec[list[Upserted | OrderError]] = ReplyCodec(
    encode=lambda results: _batch_response(results).SerializeToString(deterministic=True),
    decode=lambda data: _results_of(order_service_pb2.BatchUpsertOrdersResponse.FromString(data)),
)


def _failed_result(error: OrderError) -> order_service_pb2.BatchUpsertResult:
    if isinstance(error, _StoredFailure):
        return error.stored
    violations = error.violations if isinstance(error, InvalidArgument) else []
    return order_service_pb2.BatchUpsertResult(
        code=code_of(error),
        message=error.message,
        field_violations=[
            order_service_pb2.FieldViolation(field=field, description=text)
            for field, text in violations
        ],
    )
