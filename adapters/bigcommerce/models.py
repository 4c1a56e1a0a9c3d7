"""BigCommerce Orders v2 JSON as pydantic models in the vendor's own field names; no translation."""

# Shapes follow tests/vendor_specs/bigcommerce/orders.v2.oas2.yml (components.schemas
# order_Shared, order_RespOnly, order_Post, order_Put, orderProducts, orderShippingAddress,
# orderShipment, orderFees_*) and seed 002 (the older Orders reference). Money arrives as strings
# with four places ("336.3200") in responses and as JSON numbers in POST/PUT product prices; both
# become `Decimal`.

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from adapters.errors import TranslationError
from adapters.money import parse_decimal

# A canonical Money has 64-bit units (9.2E+18 at most): no amount of 1E+19 or more is one. It is
# refused as it is read, before arithmetic or int() sees it: a POST's totals raised
# decimal.Overflow past the context's exponent limit (two fees costing "9E+999999"), and int()
# took minutes to spell out "1E+10000000" (schema-valid: the spec types money as a string).
_MAX_MONEY_EXPONENT = 18


def _exact_decimal(value: Any) -> Decimal:
    # parse_decimal refuses floats and booleans; its TranslationError is a ValueError, which
    # pydantic reports as a validation error at the field.
    amount = parse_decimal(value, "")
    if amount.adjusted() > _MAX_MONEY_EXPONENT:
        raise TranslationError("", f"{amount} is too large for an amount of money", "range")
    return amount


# "(Float, Float-As-String, Integer)" in the spec: a string, a JSON number or an integer.
Money = Annotated[Decimal, BeforeValidator(_exact_decimal)]
PaymentStatus = Literal[
    "authorized",
    "captured",
    "capture pending",
    "declined",
    "held for review",
    "paid",
    "partially refunded",
    "pending",
    "refunded",
    "void",
    "void pending",
    "",
]
ProductType = Literal["physical", "digital", "giftcertificate"]
OptionType = Literal[
    "Checkbox",
    "Date field",
    "File Upload",
    "Multi-line text field",
    "Multiple choice",
    "Product Pick List",
    "Swatch",
    "Text field",
]


class VendorModel(BaseModel):
    """Base of every BigCommerce model: unknown fields are kept, never dropped."""

    model_config = ConfigDict(extra="allow")


class ResourceLink(VendorModel):
    """A sub-resource reference as GET returns it (products, shipping_addresses, coupons)."""

    url: str
    resource: str


class FormField(VendorModel):
    """A custom checkout form field on an address (formFields)."""

    name: str | None = None
    value: Decimal | str | list[Any] | None = None


class AddressFields(VendorModel):
    """The contact and postal fields billing and shipping addresses share."""

    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    street_1: str | None = None
    street_2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    country_iso2: str | None = None
    phone: str | None = None
    email: str | None = None
    form_fields: list[FormField] | None = None


class BillingAddress(AddressFields):
    """billingAddress_Base / billingAddress_Resp: `zip` is the one required field."""

    zip: str


class ShippingAddress(AddressFields):
    """orderShippingAddress (GET) and the shipping address of a POST/PUT order body."""

    id: int | None = None
    order_id: int | None = None
    items_total: int | None = None
    items_shipped: int | None = None
    shipping_method: str | None = None
    base_cost: Money | None = None
    cost_ex_tax: Money | None = None
    cost_inc_tax: Money | None = None
    cost_tax: Money | None = None
    cost_tax_class_id: int | None = None
    base_handling_cost: Money | None = None
    handling_cost_ex_tax: Money | None = None
    handling_cost_inc_tax: Money | None = None
    handling_cost_tax: Money | None = None
    handling_cost_tax_class_id: int | None = None
    shipping_zone_id: int | None = None
    shipping_zone_name: str | None = None
    shipping_quotes: ResourceLink | None = None


class AppliedDiscount(VendorModel):
    """orderProductAppliedDiscounts: one discount spread onto a product line."""

    id: str | None = None
    amount: Money | None = None
    name: str | None = None
    code: str | None = None
    target: Literal["order", "product"] | None = None


class ProductOption(VendorModel):
    """orderProductOptions (GET) or a `{id, value}` option of a POST/PUT product."""

    id: int | None = None
    option_id: int | None = None
    order_product_id: int | None = None
    product_option_id: int | None = None
    display_name: str | None = None
    display_name_customer: str | None = None
    display_name_merchant: str | None = None
    display_value: str | None = None
    display_value_customer: str | None = None
    display_value_merchant: str | None = None
    # A string in the spec; the PUT example "Adding an existing product" sends the integer 12.
    value: str | int | None = None
    type: OptionType | None = None
    name: str | None = None
    display_style: str | None = None


class Product(VendorModel):
    """orderProducts (GET), or a catalog/custom product of a POST or PUT body."""

    id: int | None = None
    order_id: int | None = None
    product_id: int | None = None
    order_pickup_method_id: int | None = None
    order_address_id: int | None = None
    name: Annotated[str, Field(min_length=1)] | None = None
    name_customer: str | None = None
    name_merchant: str | None = None
    sku: str | None = None
    upc: Annotated[str, Field(max_length=255)] | None = None
    type: ProductType | None = None
    base_price: Money | None = None
    price_ex_tax: Money | None = None
    price_inc_tax: Money | None = None
    price_tax: Money | None = None
    base_total: Money | None = None
    total_ex_tax: Money | None = None
    total_inc_tax: Money | None = None
    total_tax: Money | None = None
    weight: str | Decimal | None = None
    width: str | None = None
    height: str | None = None
    depth: str | None = None
    quantity: int | None = None
    base_cost_price: Money | None = None
    cost_price_inc_tax: Money | None = None
    cost_price_ex_tax: Money | None = None
    cost_price_tax: Money | None = None
    is_refunded: bool | None = None
    quantity_refunded: int | None = None
    refund_amount: Money | None = None
    return_id: int | None = None
    wrapping_id: int | None = None
    wrapping_name: str | None = None
    base_wrapping_cost: Money | None = None
    wrapping_cost_ex_tax: Money | None = None
    wrapping_cost_inc_tax: Money | None = None
    wrapping_cost_tax: Money | None = None
    wrapping_message: str | None = None
    quantity_shipped: int | None = None
    event_name: str | None = None
    event_date: str | None = None
    fixed_shipping_cost: Money | None = None
    ebay_item_id: str | None = None
    ebay_transaction_id: str | None = None
    option_set_id: int | None = None
    parent_order_product_id: int | None = None
    is_bundled_product: bool | None = None
    bin_picking_number: str | None = None
    external_id: str | None = None
    brand: str | None = None
    applied_discounts: list[AppliedDiscount] | None = None
    product_options: list[ProductOption] | None = None
    configurable_fields: list[dict[str, Any]] | None = None
    variant_id: int | None = None
    gift_certificate_id: int | None = None
    discounted_total_inc_tax: Money | None = None


class ShipmentItem(VendorModel):
    """One item of a shipment: order_product_id and quantity (product_id is read-only)."""

    order_product_id: int | None = None
    product_id: int | None = None
    quantity: int | None = None


class Shipment(VendorModel):
    """orderShipment."""

    id: int | None = None
    order_id: int | None = None
    customer_id: int | None = None
    order_address_id: int | None = None
    date_created: str | None = None
    tracking_number: str | None = None
    merchant_shipping_cost: Money | None = None
    shipping_method: str | None = None
    shipping_provider: str | None = None
    tracking_carrier: str | None = None
    tracking_link: Annotated[str, Field(max_length=500)] | None = None
    comments: Annotated[str, Field(max_length=65535)] | None = None
    billing_address: dict[str, Any] | None = None
    shipping_address: dict[str, Any] | None = None
    items: list[ShipmentItem] | None = None
    shipping_provider_display_name: str | None = None
    generated_tracking_link: str | None = None


class Fee(VendorModel):
    """orderFees_Resp / orderFees_Post / orderFees_Put: an order-level custom fee."""

    id: int | None = None
    type: Literal["custom_fee"] | None = None
    display_name_customer: str | None = None
    display_name_merchant: str | None = None
    source: str | None = None
    base_cost: Money | None = None
    cost_ex_tax: Money | None = None
    cost_inc_tax: Money | None = None
    cost_tax: Money | None = None
    tax_class_id: int | None = None


def _link_or_list(value: Any) -> str:
    return "link" if isinstance(value, dict) else "list"


ProductsField = Annotated[
    Annotated[ResourceLink, Tag("link")] | Annotated[list[Product], Tag("list")],
    Discriminator(_link_or_list),
]
ShippingAddressesField = Annotated[
    Annotated[ResourceLink, Tag("link")] | Annotated[list[ShippingAddress], Tag("list")],
    Discriminator(_link_or_list),
]
FeesField = Annotated[
    Annotated[ResourceLink, Tag("link")] | Annotated[list[Fee], Tag("list")],
    Discriminator(_link_or_list),
]
StatusId = Annotated[int, Field(ge=0, le=14)]


class OrderShared(VendorModel):
    """order_Shared: the order properties used in POST and PUT requests and in responses."""

    base_handling_cost: Money | None = None
    base_shipping_cost: Money | None = None
    base_wrapping_cost: Money | None = None
    channel_id: int | None = None
    customer_id: int | None = None
    customer_message: str | None = None
    date_created: str | None = None
    discount_amount: Money | None = None
    order_source: str | None = None
    ebay_order_id: str | None = None
    external_id: str | None = None
    external_merchant_id: str | None = None
    external_source: str | None = None
    geoip_country: str | None = None
    geoip_country_iso2: str | None = None
    handling_cost_ex_tax: Money | None = None
    handling_cost_inc_tax: Money | None = None
    ip_address: Annotated[str, Field(max_length=30)] | None = None
    ip_address_v6: Annotated[str, Field(max_length=39)] | None = None
    items_shipped: int | None = None
    items_total: int | None = None
    order_is_digital: bool | None = None
    payment_method: str | None = None
    payment_provider_id: str | int | Decimal | None = None
    refunded_amount: Money | None = None
    shipping_cost_ex_tax: Money | None = None
    shipping_cost_inc_tax: Money | None = None
    staff_notes: Annotated[str, Field(max_length=65535)] | None = None
    status_id: StatusId | None = None
    subtotal_ex_tax: Money | None = None
    subtotal_inc_tax: Money | None = None
    tax_provider_id: str | None = None
    customer_locale: str | None = None
    external_order_id: str | None = None
    total_ex_tax: Money | None = None
    total_inc_tax: Money | None = None
    wrapping_cost_ex_tax: Money | None = None
    wrapping_cost_inc_tax: Money | None = None


class Order(OrderShared):
    """order_Resp: an order as GET /v2/orders/{id} returns it (order_RespOnly + order_Shared).

    `products` and `shipping_addresses` are the `{url, resource}` references GET returns, or the
    sub-resource arrays; `shipments` may be carried as an array too.
    """

    id: int | None = None
    date_modified: str | None = None
    date_shipped: str | None = None
    cart_id: str | None = None
    status: str | None = None
    custom_status: str | None = None
    subtotal_tax: Money | None = None
    shipping_cost_tax: Money | None = None
    shipping_cost_tax_class_id: int | None = None
    handling_cost_tax: Money | None = None
    handling_cost_tax_class_id: int | None = None
    wrapping_cost_tax: Money | None = None
    wrapping_cost_tax_class_id: int | None = None
    payment_status: PaymentStatus | None = None
    store_credit_amount: Money | None = None
    gift_certificate_amount: Money | None = None
    currency_id: int | None = None
    currency_code: str | None = None
    currency_exchange_rate: Money | None = None
    default_currency_id: int | None = None
    default_currency_code: str | None = None
    store_default_currency_code: str | None = None
    store_default_to_transactional_exchange_rate: Money | None = None
    coupon_discount: Money | None = None
    shipping_address_count: int | None = None
    is_deleted: bool | None = None
    total_tax: Money | None = None
    is_tax_inclusive_pricing: bool | None = None
    is_email_opt_in: bool | None = None
    credit_card_type: Any = None
    billing_address: BillingAddress | None = None
    products: ProductsField | None = None
    shipping_addresses: ShippingAddressesField | None = None
    shipments: list[Shipment] | None = None
    coupons: ResourceLink | None = None
    fees: FeesField | None = None
    consignments: Any = None


class OrderPost(OrderShared):
    """order_Post: the body of POST /v2/orders; `billing_address` and `products` are required."""

    billing_address: BillingAddress
    products: Annotated[list[Product], Field(min_length=1)]
    shipping_addresses: list[ShippingAddress] | None = None
    default_currency_code: str | None = None
    fees: list[Fee] | None = None
    consignments: Any = None
    # order_RespOnly, not order_Post: kept when a client sends it (an order copied from a GET).
    coupon_discount: Money | None = None


class OrderPut(OrderShared):
    """order_Put: the body of PUT /v2/orders/{id}; every field is optional."""

    billing_address: BillingAddress | None = None
    products: list[Product] | None = None
    shipping_addresses: list[ShippingAddress] | None = None
    fees: list[Fee] | None = None
    consignments: Any = None
    is_deleted: bool | None = None


class OrderStatus(VendorModel):
    """orderStatus_Base plus the `order` (sort position) GET /order_statuses returns."""

    id: int
    name: str
    system_label: str
    custom_label: str
    system_description: str
    order: int
