import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LifecycleState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIFECYCLE_STATE_UNSPECIFIED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_DRAFT: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_PENDING: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_CONFIRMED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_ON_HOLD: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_COMPLETED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_CANCELLED: _ClassVar[LifecycleState]

class PaymentState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_STATE_UNSPECIFIED: _ClassVar[PaymentState]
    PAYMENT_STATE_PENDING: _ClassVar[PaymentState]
    PAYMENT_STATE_AUTHORIZED: _ClassVar[PaymentState]
    PAYMENT_STATE_PARTIALLY_PAID: _ClassVar[PaymentState]
    PAYMENT_STATE_PAID: _ClassVar[PaymentState]
    PAYMENT_STATE_PARTIALLY_REFUNDED: _ClassVar[PaymentState]
    PAYMENT_STATE_REFUNDED: _ClassVar[PaymentState]
    PAYMENT_STATE_VOIDED: _ClassVar[PaymentState]
    PAYMENT_STATE_DECLINED: _ClassVar[PaymentState]
    PAYMENT_STATE_DISPUTED: _ClassVar[PaymentState]

class FulfillmentState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FULFILLMENT_STATE_UNSPECIFIED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_UNFULFILLED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_PARTIALLY_FULFILLED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_FULFILLED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_AWAITING_PICKUP: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_AWAITING_SHIPMENT: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_PARTIALLY_SHIPPED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_SHIPPED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_PARTIALLY_DELIVERED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_DELIVERED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_PARTIALLY_RETURNED: _ClassVar[FulfillmentState]
    FULFILLMENT_STATE_RETURNED: _ClassVar[FulfillmentState]
LIFECYCLE_STATE_UNSPECIFIED: LifecycleState
LIFECYCLE_STATE_DRAFT: LifecycleState
LIFECYCLE_STATE_PENDING: LifecycleState
LIFECYCLE_STATE_CONFIRMED: LifecycleState
LIFECYCLE_STATE_ON_HOLD: LifecycleState
LIFECYCLE_STATE_COMPLETED: LifecycleState
LIFECYCLE_STATE_CANCELLED: LifecycleState
PAYMENT_STATE_UNSPECIFIED: PaymentState
PAYMENT_STATE_PENDING: PaymentState
PAYMENT_STATE_AUTHORIZED: PaymentState
PAYMENT_STATE_PARTIALLY_PAID: PaymentState
PAYMENT_STATE_PAID: PaymentState
PAYMENT_STATE_PARTIALLY_REFUNDED: PaymentState
PAYMENT_STATE_REFUNDED: PaymentState
PAYMENT_STATE_VOIDED: PaymentState
PAYMENT_STATE_DECLINED: PaymentState
PAYMENT_STATE_DISPUTED: PaymentState
FULFILLMENT_STATE_UNSPECIFIED: FulfillmentState
FULFILLMENT_STATE_UNFULFILLED: FulfillmentState
FULFILLMENT_STATE_PARTIALLY_FULFILLED: FulfillmentState
FULFILLMENT_STATE_FULFILLED: FulfillmentState
FULFILLMENT_STATE_AWAITING_PICKUP: FulfillmentState
FULFILLMENT_STATE_AWAITING_SHIPMENT: FulfillmentState
FULFILLMENT_STATE_PARTIALLY_SHIPPED: FulfillmentState
FULFILLMENT_STATE_SHIPPED: FulfillmentState
FULFILLMENT_STATE_PARTIALLY_DELIVERED: FulfillmentState
FULFILLMENT_STATE_DELIVERED: FulfillmentState
FULFILLMENT_STATE_PARTIALLY_RETURNED: FulfillmentState
FULFILLMENT_STATE_RETURNED: FulfillmentState

class Money(_message.Message):
    __slots__ = ("currency_code", "units", "nanos")
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    NANOS_FIELD_NUMBER: _ClassVar[int]
    currency_code: str
    units: int
    nanos: int
    def __init__(self, currency_code: _Optional[str] = ..., units: _Optional[int] = ..., nanos: _Optional[int] = ...) -> None: ...

class ExternalRef(_message.Message):
    __slots__ = ("source", "id")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    source: str
    id: str
    def __init__(self, source: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class NativeStatus(_message.Message):
    __slots__ = ("source", "code", "label")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    source: str
    code: str
    label: str
    def __init__(self, source: _Optional[str] = ..., code: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class PersonName(_message.Message):
    __slots__ = ("given_name", "middle_name", "family_name", "full_name")
    GIVEN_NAME_FIELD_NUMBER: _ClassVar[int]
    MIDDLE_NAME_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    given_name: str
    middle_name: str
    family_name: str
    full_name: str
    def __init__(self, given_name: _Optional[str] = ..., middle_name: _Optional[str] = ..., family_name: _Optional[str] = ..., full_name: _Optional[str] = ...) -> None: ...

class Phone(_message.Message):
    __slots__ = ("number", "kind")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    number: str
    kind: str
    def __init__(self, number: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class Address(_message.Message):
    __slots__ = ("id", "name", "company", "line1", "line2", "city", "region", "postal_code", "country", "country_code", "phone", "email", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    LINE1_FIELD_NUMBER: _ClassVar[int]
    LINE2_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: PersonName
    company: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    country_code: str
    phone: Phone
    email: str
    kind: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[_Union[PersonName, _Mapping]] = ..., company: _Optional[str] = ..., line1: _Optional[str] = ..., line2: _Optional[str] = ..., city: _Optional[str] = ..., region: _Optional[str] = ..., postal_code: _Optional[str] = ..., country: _Optional[str] = ..., country_code: _Optional[str] = ..., phone: _Optional[_Union[Phone, _Mapping]] = ..., email: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class Customer(_message.Message):
    __slots__ = ("id", "account_id", "email", "name", "phone", "create_time", "update_time", "locale", "email_opt_in", "subscriber_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_OPT_IN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    account_id: str
    email: str
    name: PersonName
    phone: Phone
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    locale: str
    email_opt_in: bool
    subscriber_id: str
    def __init__(self, id: _Optional[str] = ..., account_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[_Union[PersonName, _Mapping]] = ..., phone: _Optional[_Union[Phone, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., locale: _Optional[str] = ..., email_opt_in: _Optional[bool] = ..., subscriber_id: _Optional[str] = ...) -> None: ...

class Attribution(_message.Message):
    __slots__ = ("visit_id", "visitor_id", "pageview_id", "last_pageview_id")
    VISIT_ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    PAGEVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_PAGEVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    visit_id: str
    visitor_id: str
    pageview_id: str
    last_pageview_id: str
    def __init__(self, visit_id: _Optional[str] = ..., visitor_id: _Optional[str] = ..., pageview_id: _Optional[str] = ..., last_pageview_id: _Optional[str] = ...) -> None: ...

class CatalogEntry(_message.Message):
    __slots__ = ("id", "name")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("id", "code", "name", "brand", "catalog", "categories", "image_urls", "is_product", "is_sku", "create_time", "update_time", "variant_id", "url", "upc", "upstream_id", "upstream_variant_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    IMAGE_URLS_FIELD_NUMBER: _ClassVar[int]
    IS_PRODUCT_FIELD_NUMBER: _ClassVar[int]
    IS_SKU_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    VARIANT_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    UPC_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_ID_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_VARIANT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    code: str
    name: str
    brand: str
    catalog: CatalogEntry
    categories: _containers.RepeatedCompositeFieldContainer[CatalogEntry]
    image_urls: _containers.RepeatedScalarFieldContainer[str]
    is_product: bool
    is_sku: bool
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    variant_id: str
    url: str
    upc: str
    upstream_id: str
    upstream_variant_id: str
    def __init__(self, id: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., brand: _Optional[str] = ..., catalog: _Optional[_Union[CatalogEntry, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[CatalogEntry, _Mapping]]] = ..., image_urls: _Optional[_Iterable[str]] = ..., is_product: _Optional[bool] = ..., is_sku: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., variant_id: _Optional[str] = ..., url: _Optional[str] = ..., upc: _Optional[str] = ..., upstream_id: _Optional[str] = ..., upstream_variant_id: _Optional[str] = ...) -> None: ...

class LineItem(_message.Message):
    __slots__ = ("id", "sku", "name", "quantity", "unit_price", "unit_price_including_tax", "discount", "discounted_unit_price", "tax", "total", "fees", "product", "status", "line_number", "destination_id", "taxable", "quantity_shipped", "quantity_refunded", "create_time", "update_time", "tax_code", "upstream_id", "properties")
    ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_INCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    DISCOUNTED_UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    TAX_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    FEES_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_ID_FIELD_NUMBER: _ClassVar[int]
    TAXABLE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_SHIPPED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_REFUNDED_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    TAX_CODE_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_ID_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    id: str
    sku: str
    name: str
    quantity: int
    unit_price: Money
    unit_price_including_tax: Money
    discount: Money
    discounted_unit_price: Money
    tax: Money
    total: Money
    fees: Money
    product: Product
    status: str
    line_number: str
    destination_id: str
    taxable: bool
    quantity_shipped: int
    quantity_refunded: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    tax_code: str
    upstream_id: str
    properties: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., sku: _Optional[str] = ..., name: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price: _Optional[_Union[Money, _Mapping]] = ..., unit_price_including_tax: _Optional[_Union[Money, _Mapping]] = ..., discount: _Optional[_Union[Money, _Mapping]] = ..., discounted_unit_price: _Optional[_Union[Money, _Mapping]] = ..., tax: _Optional[_Union[Money, _Mapping]] = ..., total: _Optional[_Union[Money, _Mapping]] = ..., fees: _Optional[_Union[Money, _Mapping]] = ..., product: _Optional[_Union[Product, _Mapping]] = ..., status: _Optional[str] = ..., line_number: _Optional[str] = ..., destination_id: _Optional[str] = ..., taxable: _Optional[bool] = ..., quantity_shipped: _Optional[int] = ..., quantity_refunded: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tax_code: _Optional[str] = ..., upstream_id: _Optional[str] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ShippingDestination(_message.Message):
    __slots__ = ("id", "address", "shipping_cost", "shipping_cost_including_tax", "shipping_tax", "total", "carrier", "method", "method_id", "promised_delivery_time", "instructions", "shipment_status", "items_total", "items_shipped", "tax_code")
    ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_COST_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_COST_INCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_TAX_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    PROMISED_DELIVERY_TIME_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    SHIPMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    ITEMS_SHIPPED_FIELD_NUMBER: _ClassVar[int]
    TAX_CODE_FIELD_NUMBER: _ClassVar[int]
    id: str
    address: Address
    shipping_cost: Money
    shipping_cost_including_tax: Money
    shipping_tax: Money
    total: Money
    carrier: str
    method: str
    method_id: str
    promised_delivery_time: _timestamp_pb2.Timestamp
    instructions: str
    shipment_status: str
    items_total: int
    items_shipped: int
    tax_code: str
    def __init__(self, id: _Optional[str] = ..., address: _Optional[_Union[Address, _Mapping]] = ..., shipping_cost: _Optional[_Union[Money, _Mapping]] = ..., shipping_cost_including_tax: _Optional[_Union[Money, _Mapping]] = ..., shipping_tax: _Optional[_Union[Money, _Mapping]] = ..., total: _Optional[_Union[Money, _Mapping]] = ..., carrier: _Optional[str] = ..., method: _Optional[str] = ..., method_id: _Optional[str] = ..., promised_delivery_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., instructions: _Optional[str] = ..., shipment_status: _Optional[str] = ..., items_total: _Optional[int] = ..., items_shipped: _Optional[int] = ..., tax_code: _Optional[str] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("id", "method", "kind", "provider_transaction_id", "amount", "status", "card_last4", "billing_address", "billing_address_id", "destination_ids", "conversion_rate")
    ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CARD_LAST4_FIELD_NUMBER: _ClassVar[int]
    BILLING_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    BILLING_ADDRESS_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_IDS_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_RATE_FIELD_NUMBER: _ClassVar[int]
    id: str
    method: str
    kind: str
    provider_transaction_id: str
    amount: Money
    status: str
    card_last4: str
    billing_address: Address
    billing_address_id: str
    destination_ids: _containers.RepeatedScalarFieldContainer[str]
    conversion_rate: str
    def __init__(self, id: _Optional[str] = ..., method: _Optional[str] = ..., kind: _Optional[str] = ..., provider_transaction_id: _Optional[str] = ..., amount: _Optional[_Union[Money, _Mapping]] = ..., status: _Optional[str] = ..., card_last4: _Optional[str] = ..., billing_address: _Optional[_Union[Address, _Mapping]] = ..., billing_address_id: _Optional[str] = ..., destination_ids: _Optional[_Iterable[str]] = ..., conversion_rate: _Optional[str] = ...) -> None: ...

class ShipmentItem(_message.Message):
    __slots__ = ("line_item_id", "product_id", "quantity")
    LINE_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    line_item_id: str
    product_id: str
    quantity: int
    def __init__(self, line_item_id: _Optional[str] = ..., product_id: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class Shipment(_message.Message):
    __slots__ = ("id", "destination_id", "create_time", "tracking_number", "tracking_carrier", "tracking_link", "shipping_method", "shipping_provider", "comments", "merchant_shipping_cost", "items")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TRACKING_CARRIER_FIELD_NUMBER: _ClassVar[int]
    TRACKING_LINK_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_METHOD_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_SHIPPING_COST_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    id: str
    destination_id: str
    create_time: _timestamp_pb2.Timestamp
    tracking_number: str
    tracking_carrier: str
    tracking_link: str
    shipping_method: str
    shipping_provider: str
    comments: str
    merchant_shipping_cost: Money
    items: _containers.RepeatedCompositeFieldContainer[ShipmentItem]
    def __init__(self, id: _Optional[str] = ..., destination_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tracking_number: _Optional[str] = ..., tracking_carrier: _Optional[str] = ..., tracking_link: _Optional[str] = ..., shipping_method: _Optional[str] = ..., shipping_provider: _Optional[str] = ..., comments: _Optional[str] = ..., merchant_shipping_cost: _Optional[_Union[Money, _Mapping]] = ..., items: _Optional[_Iterable[_Union[ShipmentItem, _Mapping]]] = ...) -> None: ...

class Refund(_message.Message):
    __slots__ = ("id", "upstream_id", "amount", "note", "processed_by", "refund_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PROCESSED_BY_FIELD_NUMBER: _ClassVar[int]
    REFUND_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    upstream_id: str
    amount: Money
    note: str
    processed_by: str
    refund_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., upstream_id: _Optional[str] = ..., amount: _Optional[_Union[Money, _Mapping]] = ..., note: _Optional[str] = ..., processed_by: _Optional[str] = ..., refund_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LineItemsRevision(_message.Message):
    __slots__ = ("revision", "line_items")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    LINE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    revision: int
    line_items: _containers.RepeatedCompositeFieldContainer[LineItem]
    def __init__(self, revision: _Optional[int] = ..., line_items: _Optional[_Iterable[_Union[LineItem, _Mapping]]] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ("name", "etag", "revision", "serial_number", "create_time", "update_time", "place_time", "close_time", "cancel_time", "archive_time", "vendor_update_time", "order_number", "external_refs", "cart_id", "channel", "source", "external_source", "tags", "staff_notes", "customer_message", "ip_address", "geoip_country", "geoip_country_code", "attribution", "permalink", "status_message", "digital", "lifecycle_state", "payment_state", "fulfillment_state", "native_status", "currency_code", "subtotal", "subtotal_including_tax", "discount_total", "coupon_discount_total", "tax_total", "shipping_total", "shipping_total_including_tax", "base_shipping_cost", "handling_total", "handling_total_including_tax", "base_handling_cost", "wrapping_total", "wrapping_total_including_tax", "base_wrapping_cost", "fee_total", "payment_cost_total", "refunded_total", "store_credit_total", "gift_certificate_total", "total_excluding_tax", "total", "customer", "billing_address", "shipping_destinations", "line_items", "payments", "shipments", "refunds", "previous_line_items", "properties", "vendor_data")
    class VendorDataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Struct
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PLACE_TIME_FIELD_NUMBER: _ClassVar[int]
    CLOSE_TIME_FIELD_NUMBER: _ClassVar[int]
    CANCEL_TIME_FIELD_NUMBER: _ClassVar[int]
    ARCHIVE_TIME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ORDER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_REFS_FIELD_NUMBER: _ClassVar[int]
    CART_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_SOURCE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    STAFF_NOTES_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    GEOIP_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    GEOIP_COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    PERMALINK_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DIGITAL_FIELD_NUMBER: _ClassVar[int]
    LIFECYCLE_STATE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    FULFILLMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    NATIVE_STATUS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_INCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_TOTAL_FIELD_NUMBER: _ClassVar[int]
    COUPON_DISCOUNT_TOTAL_FIELD_NUMBER: _ClassVar[int]
    TAX_TOTAL_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_TOTAL_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_TOTAL_INCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    BASE_SHIPPING_COST_FIELD_NUMBER: _ClassVar[int]
    HANDLING_TOTAL_FIELD_NUMBER: _ClassVar[int]
    HANDLING_TOTAL_INCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    BASE_HANDLING_COST_FIELD_NUMBER: _ClassVar[int]
    WRAPPING_TOTAL_FIELD_NUMBER: _ClassVar[int]
    WRAPPING_TOTAL_INCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    BASE_WRAPPING_COST_FIELD_NUMBER: _ClassVar[int]
    FEE_TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_COST_TOTAL_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    STORE_CREDIT_TOTAL_FIELD_NUMBER: _ClassVar[int]
    GIFT_CERTIFICATE_TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_EXCLUDING_TAX_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    BILLING_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_DESTINATIONS_FIELD_NUMBER: _ClassVar[int]
    LINE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    SHIPMENTS_FIELD_NUMBER: _ClassVar[int]
    REFUNDS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_LINE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    VENDOR_DATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    etag: str
    revision: int
    serial_number: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    place_time: _timestamp_pb2.Timestamp
    close_time: _timestamp_pb2.Timestamp
    cancel_time: _timestamp_pb2.Timestamp
    archive_time: _timestamp_pb2.Timestamp
    vendor_update_time: _timestamp_pb2.Timestamp
    order_number: str
    external_refs: _containers.RepeatedCompositeFieldContainer[ExternalRef]
    cart_id: str
    channel: str
    source: str
    external_source: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    staff_notes: str
    customer_message: str
    ip_address: str
    geoip_country: str
    geoip_country_code: str
    attribution: Attribution
    permalink: str
    status_message: str
    digital: bool
    lifecycle_state: LifecycleState
    payment_state: PaymentState
    fulfillment_state: FulfillmentState
    native_status: NativeStatus
    currency_code: str
    subtotal: Money
    subtotal_including_tax: Money
    discount_total: Money
    coupon_discount_total: Money
    tax_total: Money
    shipping_total: Money
    shipping_total_including_tax: Money
    base_shipping_cost: Money
    handling_total: Money
    handling_total_including_tax: Money
    base_handling_cost: Money
    wrapping_total: Money
    wrapping_total_including_tax: Money
    base_wrapping_cost: Money
    fee_total: Money
    payment_cost_total: Money
    refunded_total: Money
    store_credit_total: Money
    gift_certificate_total: Money
    total_excluding_tax: Money
    total: Money
    customer: Customer
    billing_address: Address
    shipping_destinations: _containers.RepeatedCompositeFieldContainer[ShippingDestination]
    line_items: _containers.RepeatedCompositeFieldContainer[LineItem]
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    shipments: _containers.RepeatedCompositeFieldContainer[Shipment]
    refunds: _containers.RepeatedCompositeFieldContainer[Refund]
    previous_line_items: _containers.RepeatedCompositeFieldContainer[LineItem]
    properties: _struct_pb2.Struct
    vendor_data: _containers.MessageMap[str, _struct_pb2.Struct]
    def __init__(self, name: _Optional[str] = ..., etag: _Optional[str] = ..., revision: _Optional[int] = ..., serial_number: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., place_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., close_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., archive_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., vendor_update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., order_number: _Optional[str] = ..., external_refs: _Optional[_Iterable[_Union[ExternalRef, _Mapping]]] = ..., cart_id: _Optional[str] = ..., channel: _Optional[str] = ..., source: _Optional[str] = ..., external_source: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., staff_notes: _Optional[str] = ..., customer_message: _Optional[str] = ..., ip_address: _Optional[str] = ..., geoip_country: _Optional[str] = ..., geoip_country_code: _Optional[str] = ..., attribution: _Optional[_Union[Attribution, _Mapping]] = ..., permalink: _Optional[str] = ..., status_message: _Optional[str] = ..., digital: _Optional[bool] = ..., lifecycle_state: _Optional[_Union[LifecycleState, str]] = ..., payment_state: _Optional[_Union[PaymentState, str]] = ..., fulfillment_state: _Optional[_Union[FulfillmentState, str]] = ..., native_status: _Optional[_Union[NativeStatus, _Mapping]] = ..., currency_code: _Optional[str] = ..., subtotal: _Optional[_Union[Money, _Mapping]] = ..., subtotal_including_tax: _Optional[_Union[Money, _Mapping]] = ..., discount_total: _Optional[_Union[Money, _Mapping]] = ..., coupon_discount_total: _Optional[_Union[Money, _Mapping]] = ..., tax_total: _Optional[_Union[Money, _Mapping]] = ..., shipping_total: _Optional[_Union[Money, _Mapping]] = ..., shipping_total_including_tax: _Optional[_Union[Money, _Mapping]] = ..., base_shipping_cost: _Optional[_Union[Money, _Mapping]] = ..., handling_total: _Optional[_Union[Money, _Mapping]] = ..., handling_total_including_tax: _Optional[_Union[Money, _Mapping]] = ..., base_handling_cost: _Optional[_Union[Money, _Mapping]] = ..., wrapping_total: _Optional[_Union[Money, _Mapping]] = ..., wrapping_total_including_tax: _Optional[_Union[Money, _Mapping]] = ..., base_wrapping_cost: _Optional[_Union[Money, _Mapping]] = ..., fee_total: _Optional[_Union[Money, _Mapping]] = ..., payment_cost_total: _Optional[_Union[Money, _Mapping]] = ..., refunded_total: _Optional[_Union[Money, _Mapping]] = ..., store_credit_total: _Optional[_Union[Money, _Mapping]] = ..., gift_certificate_total: _Optional[_Union[Money, _Mapping]] = ..., total_excluding_tax: _Optional[_Union[Money, _Mapping]] = ..., total: _Optional[_Union[Money, _Mapping]] = ..., customer: _Optional[_Union[Customer, _Mapping]] = ..., billing_address: _Optional[_Union[Address, _Mapping]] = ..., shipping_destinations: _Optional[_Iterable[_Union[ShippingDestination, _Mapping]]] = ..., line_items: _Optional[_Iterable[_Union[LineItem, _Mapping]]] = ..., payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ..., shipments: _Optional[_Iterable[_Union[Shipment, _Mapping]]] = ..., refunds: _Optional[_Iterable[_Union[Refund, _Mapping]]] = ..., previous_line_items: _Optional[_Iterable[_Union[LineItem, _Mapping]]] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., vendor_data: _Optional[_Mapping[str, _struct_pb2.Struct]] = ...) -> None: ...
