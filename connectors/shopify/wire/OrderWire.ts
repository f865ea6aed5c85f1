// The Order object as the connector selects it: everything a web sale needs (FACTS §2.1, §2.2).
import { Schema } from "effect"
import { MailingAddress, mailingAddressSelection, PageInfo } from "./CustomerWire.js"
import { ShopMoneyBag, shopMoneySelection, TaxLine, taxLineSelection } from "./MoneyWire.js"

export const LineItemNode = Schema.Struct({
  id: Schema.String,
  sku: Schema.NullOr(Schema.String),
  name: Schema.String,
  title: Schema.String,
  variantTitle: Schema.NullOr(Schema.String),
  quantity: Schema.Int,
  currentQuantity: Schema.Int,
  taxable: Schema.Boolean,
  originalUnitPriceSet: ShopMoneyBag,
  discountedUnitPriceSet: ShopMoneyBag,
  originalTotalSet: ShopMoneyBag,
  discountedTotalSet: ShopMoneyBag,
  totalDiscountSet: ShopMoneyBag,
  taxLines: Schema.Array(TaxLine),
  // Custom items and deleted products have no variant or product (FACTS §2.2).
  variant: Schema.NullOr(Schema.Struct({ id: Schema.String })),
  product: Schema.NullOr(Schema.Struct({ id: Schema.String }))
})
export type LineItemNode = typeof LineItemNode.Type

export const lineItemSelection = `{
  id sku name title variantTitle quantity currentQuantity taxable
  originalUnitPriceSet ${shopMoneySelection}
  discountedUnitPriceSet ${shopMoneySelection}
  originalTotalSet ${shopMoneySelection}
  discountedTotalSet ${shopMoneySelection}
  totalDiscountSet ${shopMoneySelection}
  taxLines ${taxLineSelection}
  variant { id }
  product { id }
}`

export const LineItemConnection = Schema.Struct({
  nodes: Schema.Array(LineItemNode),
  pageInfo: PageInfo
})

export const ShippingLineNode = Schema.Struct({
  title: Schema.String,
  code: Schema.NullOr(Schema.String),
  originalPriceSet: ShopMoneyBag,
  discountedPriceSet: ShopMoneyBag,
  taxLines: Schema.Array(TaxLine)
})

export const TransactionNode = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  status: Schema.String,
  gateway: Schema.NullOr(Schema.String),
  processedAt: Schema.NullOr(Schema.Date),
  amountSet: ShopMoneyBag
})

export const RefundNode = Schema.Struct({
  id: Schema.String,
  createdAt: Schema.NullOr(Schema.Date),
  note: Schema.NullOr(Schema.String),
  totalRefundedSet: ShopMoneyBag
})

export const OrderNode = Schema.Struct({
  id: Schema.String,
  legacyResourceId: Schema.String,
  name: Schema.String,
  number: Schema.Int,
  createdAt: Schema.Date,
  updatedAt: Schema.Date,
  processedAt: Schema.Date,
  cancelledAt: Schema.NullOr(Schema.Date),
  cancelReason: Schema.NullOr(Schema.String),
  closedAt: Schema.NullOr(Schema.Date),
  test: Schema.Boolean,
  sourceName: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  customer: Schema.NullOr(Schema.Struct({
    id: Schema.String,
    firstName: Schema.NullOr(Schema.String),
    lastName: Schema.NullOr(Schema.String),
    defaultEmailAddress: Schema.NullOr(Schema.Struct({ emailAddress: Schema.NullOr(Schema.String) })),
    defaultPhoneNumber: Schema.NullOr(Schema.Struct({ phoneNumber: Schema.String })),
    updatedAt: Schema.Date
  })),
  currencyCode: Schema.String,
  presentmentCurrencyCode: Schema.String,
  taxesIncluded: Schema.Boolean,
  displayFinancialStatus: Schema.NullOr(Schema.String),
  displayFulfillmentStatus: Schema.String,
  paymentGatewayNames: Schema.Array(Schema.String),
  subtotalPriceSet: Schema.NullOr(ShopMoneyBag),
  currentSubtotalPriceSet: ShopMoneyBag,
  totalPriceSet: ShopMoneyBag,
  currentTotalPriceSet: ShopMoneyBag,
  totalTaxSet: Schema.NullOr(ShopMoneyBag),
  currentTotalTaxSet: ShopMoneyBag,
  totalShippingPriceSet: ShopMoneyBag,
  totalDiscountsSet: Schema.NullOr(ShopMoneyBag),
  currentTotalDiscountsSet: ShopMoneyBag,
  totalRefundedSet: ShopMoneyBag,
  taxLines: Schema.Array(TaxLine),
  shippingAddress: Schema.NullOr(MailingAddress),
  billingAddress: Schema.NullOr(MailingAddress),
  shippingLines: Schema.Struct({ nodes: Schema.Array(ShippingLineNode) }),
  lineItems: LineItemConnection,
  transactions: Schema.Array(TransactionNode),
  refunds: Schema.Array(RefundNode)
})
export type OrderNode = typeof OrderNode.Type

// Everything but the nested connections, which differ between paged reads and bulk queries.
const orderBaseFields = `
  id legacyResourceId name number createdAt updatedAt processedAt cancelledAt cancelReason closedAt test sourceName
  email phone
  customer { id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } updatedAt }
  currencyCode presentmentCurrencyCode taxesIncluded
  displayFinancialStatus displayFulfillmentStatus paymentGatewayNames
  subtotalPriceSet ${shopMoneySelection}
  currentSubtotalPriceSet ${shopMoneySelection}
  totalPriceSet ${shopMoneySelection}
  currentTotalPriceSet ${shopMoneySelection}
  totalTaxSet ${shopMoneySelection}
  currentTotalTaxSet ${shopMoneySelection}
  totalShippingPriceSet ${shopMoneySelection}
  totalDiscountsSet ${shopMoneySelection}
  currentTotalDiscountsSet ${shopMoneySelection}
  totalRefundedSet ${shopMoneySelection}
  taxLines ${taxLineSelection}
  shippingAddress ${mailingAddressSelection}
  billingAddress ${mailingAddressSelection}
  transactions(first: 10) { id kind status gateway processedAt amountSet ${shopMoneySelection} }
  refunds(first: 10) { id createdAt note totalRefundedSet ${shopMoneySelection} }
`

export const shippingLineSelection =
  `{ title code originalPriceSet ${shopMoneySelection} discountedPriceSet ${shopMoneySelection} taxLines ${taxLineSelection} }`

/** The paged read's selection; `$lineItems` sizes the line-item page (the rest is fetched by id). */
export const orderSelection = `{${orderBaseFields}
  shippingLines(first: 5) { nodes ${shippingLineSelection} }
  lineItems(first: $lineItems) { nodes ${lineItemSelection} pageInfo { hasNextPage endCursor } }
}`

/**
 * The bulk query's selection: nested connections without page sizes, each node becoming its own JSONL
 * line with `__parentId` (FACTS §5.5).
 */
export const orderBulkSelection = `{${orderBaseFields}
  shippingLines { edges { node ${shippingLineSelection} } }
  lineItems { edges { node ${lineItemSelection} } }
}`

/** A root order line of a bulk result: the order without its nested connections. */
export const OrderBulkRoot = OrderNode.omit("shippingLines", "lineItems")
export type OrderBulkRoot = typeof OrderBulkRoot.Type
