// The record `edge.webSales` writes: one Shopify order as an Edge web sale, with its lines, tenders
// and taxes. Amounts are exact decimals (encoded as strings); each must fit DECIMAL(12,2) exactly.
import { Schema } from "effect"

export const SaleStatus = Schema.Literal("open", "paid", "partially_refunded", "refunded", "void")
export type SaleStatus = typeof SaleStatus.Type

export const WebSaleLine = Schema.Struct({
  /** Null for an item Edge does not know; the description then says what was sold. */
  sku: Schema.NullOr(Schema.String),
  description: Schema.String,
  quantity: Schema.Int,
  unit_price: Schema.BigDecimal,
  discount: Schema.BigDecimal,
  tax: Schema.BigDecimal,
  extended: Schema.BigDecimal
}).annotations({ identifier: "WebSaleLine" })
export type WebSaleLine = typeof WebSaleLine.Type

export const WebSaleTender = Schema.Struct({
  /** The payment gateway (`shopify_payments`, `paypal`, `gift_card`, `manual`). */
  tender: Schema.String,
  amount: Schema.BigDecimal
}).annotations({ identifier: "WebSaleTender" })
export type WebSaleTender = typeof WebSaleTender.Type

export const WebSaleTax = Schema.Struct({
  title: Schema.String,
  /** As a fraction: 0.0825 for 8.25 %. At most six decimals. */
  rate: Schema.BigDecimal,
  amount: Schema.BigDecimal
}).annotations({ identifier: "WebSaleTax" })
export type WebSaleTax = typeof WebSaleTax.Type

export const WebSale = Schema.Struct({
  /** The Shopify order GID: the idempotency key. */
  shopify_order_id: Schema.String,
  /** The Shopify order name (`#1001`). */
  sale_no: Schema.String,
  store_no: Schema.Int,
  customer_id: Schema.NullOr(Schema.Int),
  sale_date: Schema.Date,
  status: SaleStatus,
  currency: Schema.String,
  subtotal: Schema.BigDecimal,
  discount: Schema.BigDecimal,
  shipping: Schema.BigDecimal,
  tax: Schema.BigDecimal,
  total: Schema.BigDecimal,
  tax_stripped: Schema.Boolean,
  /** Shopify's `updatedAt` of the order version: a later one replaces the stored sale, an equal or earlier one changes nothing. */
  shopify_updated_at: Schema.Date,
  lines: Schema.Array(WebSaleLine),
  tenders: Schema.Array(WebSaleTender),
  taxes: Schema.Array(WebSaleTax)
}).annotations({ identifier: "WebSale" })
export type WebSale = typeof WebSale.Type
