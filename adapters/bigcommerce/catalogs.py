"""BigCommerce static catalogs: statuses, state tables and field lists; data only, no logic."""

# Sources: tests/vendor_specs/bigcommerce/orders.v2.oas2.yml ("the spec"), seed 002 (the Orders
# reference) and BigCommerce's V2 Orders API overview ("the orders guide"). The state tables are
# documented in README.md, "Vendor mappings"; _states.py chooses a status with them.

from typing import Any

from orderbridge.v1 import order_pb2

from adapters.states import States

VENDOR = "bigcommerce"
# Integer ids BigCommerce writes as JSON numbers; a longer run of digits is not one of its ids
# (and Python reads at most 4300 digits as an int).
MAX_ID = 2**63 - 1

L = order_pb2.LifecycleState
P = order_pb2.PaymentState
F = order_pb2.FulfillmentState

# Statuses: GET /order_statuses as the spec's orderStatusCollection_Resp example shows it (the
# example's "- Testing" custom labels are that store's renames; an unrenamed store repeats the
# system label).
_STATUS_DESCRIPTIONS: dict[int, str] = {
    0: (
        "An incomplete order happens when a shopper reached the payment page,"
        " but did not complete the transaction."
    ),
    1: "Customer started the checkout process, but did not complete it.",
    2: (
        "Order has been shipped, but receipt has not been confirmed;"
        " seller has used the Ship Items action."
    ),
    3: (
        "Only some items in the order have been shipped,"
        " due to some products being pre-order only or other reasons."
    ),
    4: "Seller has used the Refund action.",
    5: "Seller has cancelled an order, due to a stock inconsistency or other reasons.",
    6: "Seller has marked the order as declined for lack of manual payment, or other reasons.",
    7: "Customer has completed checkout process, but payment has yet to be confirmed.",
    8: ("Order has been pulled, and is awaiting customer pickup from a seller-specified location."),
    9: ("Order has been pulled and packaged, and is awaiting collection from a shipping provider."),
    10: ("Client has paid for their digital product and their file(s) are available for download."),
    11: "Customer has completed the checkout process and payment has been confirmed.",
    12: "Order is on hold while some aspect needs to be manually confirmed.",
    13: (
        "Customer has initiated a dispute resolution process"
        " for the PayPal transaction that paid for the order."
    ),
    14: "Seller has partially refunded the order.",
}
# (id, name, sort order in the control panel).
_STATUS_NAMES_AND_ORDER: list[tuple[int, str, int]] = [
    (0, "Incomplete", 0),
    (1, "Pending", 1),
    (2, "Shipped", 8),
    (3, "Partially Shipped", 6),
    (4, "Refunded", 11),
    (5, "Cancelled", 9),
    (6, "Declined", 10),
    (7, "Awaiting Payment", 2),
    (8, "Awaiting Pickup", 5),
    (9, "Awaiting Shipment", 4),
    (10, "Completed", 7),
    (11, "Awaiting Fulfillment", 3),
    (12, "Manual Verification Required", 13),
    (13, "Disputed", 12),
    (14, "Partially Refunded", 14),
]
ORDER_STATUSES: list[dict[str, Any]] = [
    {
        "id": status_id,
        "name": name,
        "system_label": name,
        "custom_label": name,
        "system_description": _STATUS_DESCRIPTIONS[status_id],
        "order": sort_order,
    }
    for status_id, name, sort_order in _STATUS_NAMES_AND_ORDER
]
STATUS_LABELS: dict[int, str] = {status["id"]: status["name"] for status in ORDER_STATUSES}
MAX_STATUS_ID = max(int(status["id"]) for status in ORDER_STATUSES)
# The orders guide: "When status_id is not specified, the automatic value is 1 (Pending)".
DEFAULT_STATUS_ID = 1

# Each BigCommerce status as exactly one canonical (lifecycle, payment, fulfillment) triple.
# UNSPECIFIED fulfillment: BigCommerce's refund and dispute statuses say nothing about shipping.
STATES_BY_STATUS: dict[int, States] = {
    0: (L.LIFECYCLE_STATE_DRAFT, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    1: (L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    2: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_SHIPPED),
    3: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_PARTIALLY_SHIPPED),
    4: (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_REFUNDED, F.FULFILLMENT_STATE_UNSPECIFIED),
    5: (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_VOIDED, F.FULFILLMENT_STATE_UNFULFILLED),
    6: (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_DECLINED, F.FULFILLMENT_STATE_UNFULFILLED),
    7: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    8: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_AWAITING_PICKUP),
    9: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_AWAITING_SHIPMENT),
    10: (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_FULFILLED),
    11: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_UNFULFILLED),
    12: (L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    13: (L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_DISPUTED, F.FULFILLMENT_STATE_UNSPECIFIED),
    14: (
        L.LIFECYCLE_STATE_CONFIRMED,
        P.PAYMENT_STATE_PARTIALLY_REFUNDED,
        F.FULFILLMENT_STATE_UNSPECIFIED,
    ),
}
STATUS_BY_STATES: dict[States, int] = {
    states: status_id for status_id, states in STATES_BY_STATUS.items()
}
# The closest status for a triple no BigCommerce status has; the rules apply in this order.
# 1. A cancelled order: Declined or Refunded when the payment says so, else Cancelled.
STATUS_OF_CANCELLED_BY_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_DECLINED: 6,
    P.PAYMENT_STATE_REFUNDED: 4,
}
CANCELLED_STATUS = 5
# 2. A draft is Incomplete whatever else it says.
DRAFT_STATUS = 0
# 3. A payment state BigCommerce has its own status for.
STATUS_BY_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_REFUNDED: 4,
    P.PAYMENT_STATE_PARTIALLY_REFUNDED: 14,
    P.PAYMENT_STATE_DISPUTED: 13,
    P.PAYMENT_STATE_DECLINED: 6,
    P.PAYMENT_STATE_VOIDED: 6,
}
# 4. A lifecycle BigCommerce has its own status for.
STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, int] = {
    L.LIFECYCLE_STATE_ON_HOLD: 12,
    L.LIFECYCLE_STATE_COMPLETED: 10,
}
# 5. How far fulfillment got (returns happen after shipping).
STATUS_BY_FULFILLMENT: dict[order_pb2.FulfillmentState, int] = {
    F.FULFILLMENT_STATE_AWAITING_PICKUP: 8,
    F.FULFILLMENT_STATE_AWAITING_SHIPMENT: 9,
    F.FULFILLMENT_STATE_PARTIALLY_FULFILLED: 3,
    F.FULFILLMENT_STATE_PARTIALLY_SHIPPED: 3,
    F.FULFILLMENT_STATE_PARTIALLY_DELIVERED: 3,
    F.FULFILLMENT_STATE_FULFILLED: 2,
    F.FULFILLMENT_STATE_SHIPPED: 2,
    F.FULFILLMENT_STATE_DELIVERED: 10,
    F.FULFILLMENT_STATE_PARTIALLY_RETURNED: 2,
    F.FULFILLMENT_STATE_RETURNED: 2,
}
# 6. Nothing shipped yet: paid orders await fulfillment, authorized ones await payment (the
# spec's order 218 is Awaiting Payment with payment_status "authorized").
STATUS_BY_OPEN_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_PAID: 11,
    P.PAYMENT_STATE_AUTHORIZED: 7,
    P.PAYMENT_STATE_PARTIALLY_PAID: 7,
}
# 7. Otherwise: a confirmed order awaits payment when payment is pending and fulfillment when
# nothing is known about payment (Jirafe "accepted"); anything else is Pending.
STATUS_OF_CONFIRMED_BY_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_PENDING: 7,
    P.PAYMENT_STATE_UNSPECIFIED: 11,
}

# payment_status (read-only, an enum in order_RespOnly) for an order whose payment carries no
# BigCommerce value.
PAYMENT_STATUS_BY_STATE: dict[order_pb2.PaymentState, str] = {
    P.PAYMENT_STATE_UNSPECIFIED: "",
    P.PAYMENT_STATE_PENDING: "pending",
    P.PAYMENT_STATE_AUTHORIZED: "authorized",
    P.PAYMENT_STATE_PARTIALLY_PAID: "capture pending",
    P.PAYMENT_STATE_PAID: "captured",
    P.PAYMENT_STATE_PARTIALLY_REFUNDED: "partially refunded",
    P.PAYMENT_STATE_REFUNDED: "refunded",
    P.PAYMENT_STATE_VOIDED: "void",
    P.PAYMENT_STATE_DECLINED: "declined",
    P.PAYMENT_STATE_DISPUTED: "held for review",
}
# shipping_provider_display_name (read-only) for the spec's standard providers.
SHIPPING_PROVIDER_NAMES: dict[str, str] = {
    "auspost": "Australia Post",
    "canadapost": "Canada Post",
    "endicia": "Endicia",
    "usps": "USPS",
    "fedex": "FedEx",
    "ups": "UPS",
    "upsready": "UPS",
    "upsonline": "UPS",
    "shipperhq": "ShipperHQ",
    "royalmail": "Royal Mail",
}

# Order money fields and their canonical homes (the proto comments name these BigCommerce
# fields). The *_tax amounts next to them are derived: inc minus ex.
ORDER_MONEY_FIELDS: dict[str, str] = {
    "subtotal_ex_tax": "subtotal",
    "subtotal_inc_tax": "subtotal_including_tax",
    "base_shipping_cost": "base_shipping_cost",
    "shipping_cost_ex_tax": "shipping_total",
    "shipping_cost_inc_tax": "shipping_total_including_tax",
    "base_handling_cost": "base_handling_cost",
    "handling_cost_ex_tax": "handling_total",
    "handling_cost_inc_tax": "handling_total_including_tax",
    "base_wrapping_cost": "base_wrapping_cost",
    "wrapping_cost_ex_tax": "wrapping_total",
    "wrapping_cost_inc_tax": "wrapping_total_including_tax",
    "total_ex_tax": "total_excluding_tax",
    "total_inc_tax": "total",
    "total_tax": "tax_total",
    "refunded_amount": "refunded_total",
    "store_credit_amount": "store_credit_total",
    "gift_certificate_amount": "gift_certificate_total",
    "discount_amount": "discount_total",
    "coupon_discount": "coupon_discount_total",
}
# The order's payment, carried as top-level order fields (order_Full in the spec): card numbers
# in them are masked and payment tokens dropped before anything is read or kept
# (adapters.secrets). payment_provider_id is the provider's transaction id ("The external
# Transaction ID/Payment ID"): it stays as sent unless it is a Luhn-valid card number.
PAYMENT_FIELDS = frozenset(
    {"payment_method", "payment_provider_id", "payment_status", "credit_card_type"}
)
# Fields with no canonical home: they travel in the residue (and, for a POST, are the only
# residue kept). Listed in README.md, "Vendor mappings".
ORDER_FIELDS_WITHOUT_HOME = frozenset(
    {
        "shipping_cost_tax_class_id",
        "handling_cost_tax_class_id",
        "wrapping_cost_tax_class_id",
        "is_tax_inclusive_pricing",
        "currency_id",
        "currency_exchange_rate",
        "default_currency_id",
        "store_default_currency_code",
        "store_default_to_transactional_exchange_rate",
        "ebay_order_id",
        "external_id",
        "external_merchant_id",
        "external_order_id",
        "tax_provider_id",
        "credit_card_type",
        "consignments",
        "fees",
        "form_fields",
    }
)
PRODUCT_FIELDS_WITHOUT_HOME = frozenset(
    {
        "order_pickup_method_id",
        "type",
        "base_price",
        "base_total",
        "weight",
        "width",
        "height",
        "depth",
        "base_cost_price",
        "cost_price_inc_tax",
        "cost_price_ex_tax",
        "cost_price_tax",
        "refund_amount",
        "return_id",
        "wrapping_id",
        "wrapping_name",
        "base_wrapping_cost",
        "wrapping_cost_ex_tax",
        "wrapping_cost_inc_tax",
        "wrapping_cost_tax",
        "wrapping_message",
        "event_name",
        "event_date",
        "fixed_shipping_cost",
        "ebay_item_id",
        "ebay_transaction_id",
        "option_set_id",
        "parent_order_product_id",
        "is_bundled_product",
        "bin_picking_number",
        "external_id",
        "applied_discounts",
        "product_options",
        "configurable_fields",
        "gift_certificate_id",
    }
)
SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME = frozenset(
    {
        "base_cost",
        "cost_tax_class_id",
        "base_handling_cost",
        "handling_cost_ex_tax",
        "handling_cost_inc_tax",
        "handling_cost_tax",
        "handling_cost_tax_class_id",
        "shipping_zone_id",
        "shipping_zone_name",
        "shipping_quotes",
        "form_fields",
    }
)
SHIPMENT_FIELDS_WITHOUT_HOME = frozenset(
    {"generated_tracking_link", "shipping_provider_display_name", "billing_address"}
)

# What the writer always writes for the keys with no canonical home (a read spells the
# payload's own value over it): values, amounts it writes as 0 in the order's money format, and
# empty arrays (written fresh each time).
ORDER_DEFAULTS: dict[str, Any] = {
    "shipping_cost_tax_class_id": 0,
    "handling_cost_tax_class_id": 0,
    "wrapping_cost_tax_class_id": 0,
    "is_tax_inclusive_pricing": False,
    "currency_id": 1,
    "default_currency_id": 1,
    # "Otherwise, the value will be `0`" (order_Shared.ebay_order_id).
    "ebay_order_id": "0",
    "credit_card_type": None,
    "external_id": None,
    "external_merchant_id": None,
    "tax_provider_id": "",
    "store_default_currency_code": "",
    "external_order_id": "",
}
# Exchange rates, written as 1: "For orders created using the V2 endpoints, this value is
# always 1" (order_RespOnly.currency_exchange_rate).
ORDER_UNIT_RATES = ("currency_exchange_rate", "store_default_to_transactional_exchange_rate")
PRODUCT_DEFAULTS: dict[str, Any] = {
    "return_id": 0,
    "wrapping_id": 0,
    "wrapping_name": "",
    "wrapping_message": "",
    "event_name": None,
    "event_date": None,
    "ebay_item_id": "",
    "ebay_transaction_id": "",
    "option_set_id": None,
    "parent_order_product_id": None,
    "is_bundled_product": False,
    "bin_picking_number": "",
    "external_id": None,
    "gift_certificate_id": None,
}
# refund_amount is deprecated in the spec: "always returns `0`".
PRODUCT_ZERO_AMOUNTS = (
    "weight", "width", "height", "depth", "base_cost_price", "cost_price_inc_tax",
    "cost_price_ex_tax", "cost_price_tax", "refund_amount", "base_wrapping_cost",
    "wrapping_cost_ex_tax", "wrapping_cost_inc_tax", "wrapping_cost_tax", "fixed_shipping_cost",
)  # fmt: skip
PRODUCT_EMPTY_ARRAYS = ("product_options", "configurable_fields")
SHIPPING_ADDRESS_DEFAULTS: dict[str, Any] = {
    "cost_tax_class_id": 0,
    "handling_cost_tax_class_id": 0,
    "shipping_zone_id": 0,
    "shipping_zone_name": "",
}
SHIPPING_ADDRESS_ZERO_AMOUNTS = (
    "base_handling_cost", "handling_cost_ex_tax", "handling_cost_inc_tax", "handling_cost_tax",
)  # fmt: skip

# Read-only order fields a PUT must not carry (order_RespOnly and the readOnly properties of
# order_Put); BigCommerce answers 400 "The field '…' cannot be written to." for them.
PUT_READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "date_modified",
        "date_shipped",
        "cart_id",
        "status",
        "custom_status",
        "subtotal_tax",
        "shipping_cost_tax",
        "shipping_cost_tax_class_id",
        "handling_cost_tax",
        "handling_cost_tax_class_id",
        "wrapping_cost_tax",
        "wrapping_cost_tax_class_id",
        "payment_status",
        "store_credit_amount",
        "gift_certificate_amount",
        "currency_id",
        "currency_code",
        "currency_exchange_rate",
        "default_currency_id",
        "default_currency_code",
        "store_default_currency_code",
        "store_default_to_transactional_exchange_rate",
        "coupon_discount",
        "shipping_address_count",
        "total_tax",
        "is_tax_inclusive_pricing",
        "is_email_opt_in",
        "coupons",
        "external_id",
        "tax_provider_id",
        # order_Shared: "a PUT request to update the order will return a 400 error".
        "external_merchant_id",
    }
)
# PUT body fields and the canonical fields they replace (FieldMask paths). Writable fields with
# no canonical home (items_total, items_shipped, ebay_order_id, external_order_id) are ignored;
# `is_deleted: true` archives the order, which the facade does with DeleteOrder.
PUT_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "customer_id": ("customer.id",),
    "customer_message": ("customer_message",),
    "customer_locale": ("customer.locale",),
    "date_created": ("place_time",),
    "channel_id": ("channel",),
    "external_source": ("external_source",),
    "order_source": ("source",),
    "geoip_country": ("geoip_country",),
    "geoip_country_iso2": ("geoip_country_code",),
    "ip_address": ("ip_address",),
    "ip_address_v6": ("ip_address",),
    "order_is_digital": ("digital",),
    "staff_notes": ("staff_notes",),
    "status_id": ("lifecycle_state", "payment_state", "fulfillment_state", "native_status"),
    "billing_address": ("billing_address", "customer.email", "customer.name"),
    "payment_method": ("payments",),
    "payment_provider_id": ("payments",),
    "fees": ("fee_total",),
    "shipping_addresses": ("shipping_destinations",),
    "products": ("line_items",),
    **{
        vendor: (field,)
        for vendor, field in ORDER_MONEY_FIELDS.items()
        if vendor not in PUT_READ_ONLY_FIELDS
    },
}
# Shipping address fields and the Address fields they set.
ADDRESS_FIELD_PATHS: dict[str, str] = {
    "first_name": "name.given_name",
    "last_name": "name.family_name",
    "company": "company",
    "street_1": "line1",
    "street_2": "line2",
    "city": "city",
    "state": "region",
    "zip": "postal_code",
    "country": "country",
    "country_iso2": "country_code",
    "email": "email",
    "phone": "phone.number",
}
# PUT product fields and the LineItem fields they set.
PRODUCT_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "name_customer": ("name",),
    "name_merchant": ("product.name",),
    "sku": ("sku",),
    "upc": ("product.upc",),
    "product_id": ("product.id",),
    "variant_id": ("product.variant_id",),
    "quantity": ("quantity",),
    "price_ex_tax": ("unit_price", "tax", "total"),
    "price_inc_tax": ("unit_price_including_tax", "tax", "total"),
}

# The spec's `sort` enum, and the ListOrders ordering of each (the id, the order's serial
# number, breaks ties, as BigCommerce lists equal values in id order).
SORT_ORDERINGS = {
    "id": "serial_number",
    "customer_id": "customer.id",
    # date_created shows place_time, else create_time: the service's place_time ordering.
    "date_created": "place_time",
    # date_modified shows when the order last changed here.
    "date_modified": "update_time",
    "status_id": "",  # no service ordering: pages are cut from per-status counts
    "channel_id": "channel",
    # external_id is always null on this door (no order has one): id order.
    "external_id": "serial_number",
}
