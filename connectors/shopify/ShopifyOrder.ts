// The Shopify order as edgesync's record: everything a web sale needs (FACTS §2.1), money in the shop's
// currency as BigDecimal, decoded once from the wire.
import { Schema } from "effect"
import * as Address from "./ShopifyAddress.js"
import type { ShopMoneyBag, TaxLine as TaxLineWire } from "./wire/MoneyWire.js"
import type { LineItemNode, OrderBulkRoot, OrderNode, ShippingLineNode } from "./wire/OrderWire.js"

const Money = Schema.BigDecimal

export const TaxLine = Schema.Struct({
  title: Schema.String,
  /** A fraction (0.13), not money. */
  rate: Schema.NullOr(Schema.Number),
  ratePercentage: Schema.NullOr(Schema.Number),
  amount: Money
})
export type TaxLine = typeof TaxLine.Type

export const OrderCustomer = Schema.Struct({
  id: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  /** The customer record's last change (its values above are the current ones, not the checkout's). */
  updatedAt: Schema.Date
})
export type OrderCustomer = typeof OrderCustomer.Type

export const LineItem = Schema.Struct({
  id: Schema.String,
  sku: Schema.NullOr(Schema.String),
  name: Schema.String,
  title: Schema.String,
  variantTitle: Schema.NullOr(Schema.String),
  quantity: Schema.Int,
  /** The quantity after refunds and edits. */
  currentQuantity: Schema.Int,
  taxable: Schema.Boolean,
  originalUnitPrice: Money,
  /** After line-level discounts only (FACTS §2.2). */
  discountedUnitPrice: Money,
  originalTotal: Money,
  discountedTotal: Money,
  totalDiscount: Money,
  taxLines: Schema.Array(TaxLine),
  variantId: Schema.NullOr(Schema.String),
  productId: Schema.NullOr(Schema.String)
})
export type LineItem = typeof LineItem.Type

export const ShippingLine = Schema.Struct({
  title: Schema.String,
  code: Schema.NullOr(Schema.String),
  price: Money,
  discountedPrice: Money,
  taxLines: Schema.Array(TaxLine)
})
export type ShippingLine = typeof ShippingLine.Type

export const Transaction = Schema.Struct({
  id: Schema.String,
  /** SALE, CAPTURE, AUTHORIZATION, VOID, REFUND, ... */
  kind: Schema.String,
  /** SUCCESS, FAILURE, PENDING, ... */
  status: Schema.String,
  gateway: Schema.NullOr(Schema.String),
  processedAt: Schema.NullOr(Schema.Date),
  amount: Money
})
export type Transaction = typeof Transaction.Type

export const Refund = Schema.Struct({
  id: Schema.String,
  createdAt: Schema.NullOr(Schema.Date),
  note: Schema.NullOr(Schema.String),
  totalRefunded: Money
})
export type Refund = typeof Refund.Type

export const ShopifyOrder = Schema.Struct({
  /** `gid://shopify/Order/<n>`. */
  id: Schema.String,
  legacyId: Schema.String,
  /** "#1001". */
  name: Schema.String,
  number: Schema.Int,
  createdAt: Schema.Date,
  updatedAt: Schema.Date,
  processedAt: Schema.Date,
  cancelledAt: Schema.NullOr(Schema.Date),
  cancelReason: Schema.NullOr(Schema.String),
  closedAt: Schema.NullOr(Schema.Date),
  test: Schema.Boolean,
  /** "web", "pos", "shopify_draft_order", ... */
  sourceName: Schema.NullOr(Schema.String),
  /** The contact on the order itself: what a guest checkout has instead of a customer. */
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  customer: Schema.NullOr(OrderCustomer),
  /** The shop's currency: every amount below is in it. */
  currency: Schema.String,
  presentmentCurrency: Schema.String,
  taxesIncluded: Schema.Boolean,
  /** PAID, PARTIALLY_REFUNDED, REFUNDED, PENDING, ...; null for an order created without one (FACTS §2.2). */
  financialStatus: Schema.NullOr(Schema.String),
  fulfillmentStatus: Schema.String,
  paymentGateways: Schema.Array(Schema.String),
  subtotal: Schema.NullOr(Money),
  currentSubtotal: Money,
  total: Money,
  /** After refunds and edits. */
  currentTotal: Money,
  totalTax: Schema.NullOr(Money),
  currentTotalTax: Money,
  totalShipping: Money,
  totalDiscounts: Schema.NullOr(Money),
  currentTotalDiscounts: Money,
  totalRefunded: Money,
  taxLines: Schema.Array(TaxLine),
  shippingAddress: Schema.NullOr(Address.ShopifyAddress),
  billingAddress: Schema.NullOr(Address.ShopifyAddress),
  shippingLines: Schema.Array(ShippingLine),
  lineItems: Schema.Array(LineItem),
  transactions: Schema.Array(Transaction),
  refunds: Schema.Array(Refund)
}).annotations({ identifier: "ShopifyOrder" })
export type ShopifyOrder = typeof ShopifyOrder.Type

const shop = (bag: ShopMoneyBag) => bag.shopMoney.amount

const taxLine = (t: TaxLineWire): TaxLine => ({
  title: t.title,
  rate: t.rate,
  ratePercentage: t.ratePercentage,
  amount: shop(t.priceSet)
})

export const lineItemFromWire = (l: LineItemNode): LineItem => ({
  id: l.id,
  sku: l.sku,
  name: l.name,
  title: l.title,
  variantTitle: l.variantTitle,
  quantity: l.quantity,
  currentQuantity: l.currentQuantity,
  taxable: l.taxable,
  originalUnitPrice: shop(l.originalUnitPriceSet),
  discountedUnitPrice: shop(l.discountedUnitPriceSet),
  originalTotal: shop(l.originalTotalSet),
  discountedTotal: shop(l.discountedTotalSet),
  totalDiscount: shop(l.totalDiscountSet),
  taxLines: l.taxLines.map(taxLine),
  variantId: l.variant?.id ?? null,
  productId: l.product?.id ?? null
})

export const shippingLineFromWire = (s: typeof ShippingLineNode.Type): ShippingLine => ({
  title: s.title,
  code: s.code,
  price: shop(s.originalPriceSet),
  discountedPrice: shop(s.discountedPriceSet),
  taxLines: s.taxLines.map(taxLine)
})

/** Maps an order read by page or by bulk (whose nested lines arrive separately). */
export const fromWire = (
  o: OrderBulkRoot,
  nested: { readonly lineItems: ReadonlyArray<LineItemNode>; readonly shippingLines: ReadonlyArray<typeof ShippingLineNode.Type> }
): ShopifyOrder => ({
  id: o.id,
  legacyId: o.legacyResourceId,
  name: o.name,
  number: o.number,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
  processedAt: o.processedAt,
  cancelledAt: o.cancelledAt,
  cancelReason: o.cancelReason,
  closedAt: o.closedAt,
  test: o.test,
  sourceName: o.sourceName,
  email: o.email,
  phone: o.phone,
  customer: o.customer === null ? null : {
    id: o.customer.id,
    email: o.customer.defaultEmailAddress?.emailAddress ?? null,
    phone: o.customer.defaultPhoneNumber?.phoneNumber ?? null,
    firstName: o.customer.firstName,
    lastName: o.customer.lastName,
    updatedAt: o.customer.updatedAt
  },
  currency: o.currencyCode,
  presentmentCurrency: o.presentmentCurrencyCode,
  taxesIncluded: o.taxesIncluded,
  financialStatus: o.displayFinancialStatus,
  fulfillmentStatus: o.displayFulfillmentStatus,
  paymentGateways: o.paymentGatewayNames,
  subtotal: o.subtotalPriceSet === null ? null : shop(o.subtotalPriceSet),
  currentSubtotal: shop(o.currentSubtotalPriceSet),
  total: shop(o.totalPriceSet),
  currentTotal: shop(o.currentTotalPriceSet),
  totalTax: o.totalTaxSet === null ? null : shop(o.totalTaxSet),
  currentTotalTax: shop(o.currentTotalTaxSet),
  totalShipping: shop(o.totalShippingPriceSet),
  totalDiscounts: o.totalDiscountsSet === null ? null : shop(o.totalDiscountsSet),
  currentTotalDiscounts: shop(o.currentTotalDiscountsSet),
  totalRefunded: shop(o.totalRefundedSet),
  taxLines: o.taxLines.map(taxLine),
  shippingAddress: o.shippingAddress === null ? null : Address.fromWire(o.shippingAddress),
  billingAddress: o.billingAddress === null ? null : Address.fromWire(o.billingAddress),
  shippingLines: nested.shippingLines.map(shippingLineFromWire),
  lineItems: nested.lineItems.map(lineItemFromWire),
  transactions: o.transactions.map((t) => ({
    id: t.id,
    kind: t.kind,
    status: t.status,
    gateway: t.gateway,
    processedAt: t.processedAt,
    amount: shop(t.amountSet)
  })),
  refunds: o.refunds.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    note: r.note,
    totalRefunded: shop(r.totalRefundedSet)
  }))
})

export const fromNode = (o: OrderNode, lineItems: ReadonlyArray<LineItemNode> = o.lineItems.nodes): ShopifyOrder =>
  fromWire(o, { lineItems, shippingLines: o.shippingLines.nodes })
