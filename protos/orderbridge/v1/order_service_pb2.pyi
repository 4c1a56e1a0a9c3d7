import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from orderbridge.v1 import order_pb2 as _order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateOrderRequest(_message.Message):
    __slots__ = ("parent", "order", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    order: _order_pb2.Order
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class GetOrderRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class LookupOrderRequest(_message.Message):
    __slots__ = ("parent", "external_ref", "show_deleted")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_REF_FIELD_NUMBER: _ClassVar[int]
    SHOW_DELETED_FIELD_NUMBER: _ClassVar[int]
    parent: str
    external_ref: _order_pb2.ExternalRef
    show_deleted: bool
    def __init__(self, parent: _Optional[str] = ..., external_ref: _Optional[_Union[_order_pb2.ExternalRef, _Mapping]] = ..., show_deleted: _Optional[bool] = ...) -> None: ...

class ListOrdersRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "filter", "order_by", "show_deleted", "skip")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    SHOW_DELETED_FIELD_NUMBER: _ClassVar[int]
    SKIP_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    filter: str
    order_by: str
    show_deleted: bool
    skip: int
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ..., order_by: _Optional[str] = ..., show_deleted: _Optional[bool] = ..., skip: _Optional[int] = ...) -> None: ...

class ListOrdersResponse(_message.Message):
    __slots__ = ("orders", "next_page_token")
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    orders: _containers.RepeatedCompositeFieldContainer[_order_pb2.Order]
    next_page_token: str
    def __init__(self, orders: _Optional[_Iterable[_Union[_order_pb2.Order, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CountOrdersRequest(_message.Message):
    __slots__ = ("parent", "filter", "show_deleted")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    SHOW_DELETED_FIELD_NUMBER: _ClassVar[int]
    parent: str
    filter: str
    show_deleted: bool
    def __init__(self, parent: _Optional[str] = ..., filter: _Optional[str] = ..., show_deleted: _Optional[bool] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ("native_status", "lifecycle_state", "payment_state", "fulfillment_state", "count")
    NATIVE_STATUS_FIELD_NUMBER: _ClassVar[int]
    LIFECYCLE_STATE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    FULFILLMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    native_status: _order_pb2.NativeStatus
    lifecycle_state: _order_pb2.LifecycleState
    payment_state: _order_pb2.PaymentState
    fulfillment_state: _order_pb2.FulfillmentState
    count: int
    def __init__(self, native_status: _Optional[_Union[_order_pb2.NativeStatus, _Mapping]] = ..., lifecycle_state: _Optional[_Union[_order_pb2.LifecycleState, str]] = ..., payment_state: _Optional[_Union[_order_pb2.PaymentState, str]] = ..., fulfillment_state: _Optional[_Union[_order_pb2.FulfillmentState, str]] = ..., count: _Optional[int] = ...) -> None: ...

class CountOrdersResponse(_message.Message):
    __slots__ = ("total_count", "status_counts")
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_COUNTS_FIELD_NUMBER: _ClassVar[int]
    total_count: int
    status_counts: _containers.RepeatedCompositeFieldContainer[StatusCount]
    def __init__(self, total_count: _Optional[int] = ..., status_counts: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ...) -> None: ...

class UpdateOrderRequest(_message.Message):
    __slots__ = ("order", "update_mask", "request_id", "line_item_changes", "shipping_destination_changes", "keep_totals_in_step")
    ORDER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_ITEM_CHANGES_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_DESTINATION_CHANGES_FIELD_NUMBER: _ClassVar[int]
    KEEP_TOTALS_IN_STEP_FIELD_NUMBER: _ClassVar[int]
    order: _order_pb2.Order
    update_mask: _field_mask_pb2.FieldMask
    request_id: str
    line_item_changes: _containers.RepeatedCompositeFieldContainer[LineItemChange]
    shipping_destination_changes: _containers.RepeatedCompositeFieldContainer[ShippingDestinationChange]
    keep_totals_in_step: bool
    def __init__(self, order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., request_id: _Optional[str] = ..., line_item_changes: _Optional[_Iterable[_Union[LineItemChange, _Mapping]]] = ..., shipping_destination_changes: _Optional[_Iterable[_Union[ShippingDestinationChange, _Mapping]]] = ..., keep_totals_in_step: _Optional[bool] = ...) -> None: ...

class LineItemChange(_message.Message):
    __slots__ = ("id", "number", "line_item", "update_mask", "remove")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    LINE_ITEM_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: int
    line_item: _order_pb2.LineItem
    update_mask: _field_mask_pb2.FieldMask
    remove: bool
    def __init__(self, id: _Optional[str] = ..., number: _Optional[int] = ..., line_item: _Optional[_Union[_order_pb2.LineItem, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., remove: _Optional[bool] = ...) -> None: ...

class ShippingDestinationChange(_message.Message):
    __slots__ = ("id", "number", "shipping_destination", "update_mask", "remove")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: int
    shipping_destination: _order_pb2.ShippingDestination
    update_mask: _field_mask_pb2.FieldMask
    remove: bool
    def __init__(self, id: _Optional[str] = ..., number: _Optional[int] = ..., shipping_destination: _Optional[_Union[_order_pb2.ShippingDestination, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., remove: _Optional[bool] = ...) -> None: ...

class UpsertOrderRequest(_message.Message):
    __slots__ = ("parent", "order", "key_source", "update_mask", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    KEY_SOURCE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    order: _order_pb2.Order
    key_source: str
    update_mask: _field_mask_pb2.FieldMask
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ..., key_source: _Optional[str] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class UpsertOrderResponse(_message.Message):
    __slots__ = ("order", "created")
    ORDER_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    order: _order_pb2.Order
    created: bool
    def __init__(self, order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class BatchUpsertOrdersRequest(_message.Message):
    __slots__ = ("parent", "requests", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    requests: _containers.RepeatedCompositeFieldContainer[UpsertOrderRequest]
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., requests: _Optional[_Iterable[_Union[UpsertOrderRequest, _Mapping]]] = ..., request_id: _Optional[str] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ("field", "description")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    field: str
    description: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class BatchUpsertResult(_message.Message):
    __slots__ = ("code", "message", "field_violations", "order", "created")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIELD_VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    field_violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    order: _order_pb2.Order
    created: bool
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., field_violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ..., order: _Optional[_Union[_order_pb2.Order, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class BatchUpsertOrdersResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BatchUpsertResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BatchUpsertResult, _Mapping]]] = ...) -> None: ...

class DeleteOrderRequest(_message.Message):
    __slots__ = ("name", "request_id", "etag")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    request_id: str
    etag: str
    def __init__(self, name: _Optional[str] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class PurgeOrdersRequest(_message.Message):
    __slots__ = ("parent", "filter", "force", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    filter: str
    force: bool
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., filter: _Optional[str] = ..., force: _Optional[bool] = ..., request_id: _Optional[str] = ...) -> None: ...

class PurgeOrdersResponse(_message.Message):
    __slots__ = ("purge_count",)
    PURGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    purge_count: int
    def __init__(self, purge_count: _Optional[int] = ...) -> None: ...

class BatchWriteOrdersRequest(_message.Message):
    __slots__ = ("parent", "writes", "request_id", "all_or_nothing")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    WRITES_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ALL_OR_NOTHING_FIELD_NUMBER: _ClassVar[int]
    parent: str
    writes: _containers.RepeatedCompositeFieldContainer[OrderWrite]
    request_id: str
    all_or_nothing: bool
    def __init__(self, parent: _Optional[str] = ..., writes: _Optional[_Iterable[_Union[OrderWrite, _Mapping]]] = ..., request_id: _Optional[str] = ..., all_or_nothing: _Optional[bool] = ...) -> None: ...

class OrderWrite(_message.Message):
    __slots__ = ("upsert", "cancel", "refund", "delete", "order_ref")
    UPSERT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    DELETE_FIELD_NUMBER: _ClassVar[int]
    ORDER_REF_FIELD_NUMBER: _ClassVar[int]
    upsert: UpsertOrderRequest
    cancel: CancelOrderRequest
    refund: CreateRefundRequest
    delete: DeleteOrderRequest
    order_ref: _order_pb2.ExternalRef
    def __init__(self, upsert: _Optional[_Union[UpsertOrderRequest, _Mapping]] = ..., cancel: _Optional[_Union[CancelOrderRequest, _Mapping]] = ..., refund: _Optional[_Union[CreateRefundRequest, _Mapping]] = ..., delete: _Optional[_Union[DeleteOrderRequest, _Mapping]] = ..., order_ref: _Optional[_Union[_order_pb2.ExternalRef, _Mapping]] = ...) -> None: ...

class BatchWriteOrdersResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BatchUpsertResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BatchUpsertResult, _Mapping]]] = ...) -> None: ...

class CancelOrderRequest(_message.Message):
    __slots__ = ("name", "request_id", "cancel_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CANCEL_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    request_id: str
    cancel_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., request_id: _Optional[str] = ..., cancel_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateRefundRequest(_message.Message):
    __slots__ = ("name", "refund", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    refund: _order_pb2.Refund
    request_id: str
    def __init__(self, name: _Optional[str] = ..., refund: _Optional[_Union[_order_pb2.Refund, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...
