// Order money as Shopify computes it, in shop and presentment currency (FACTS §2.3; the reference is
// the recorded order-create-math-matrix and order-create-parity captures): subtotal is the line totals
// after line discounts, total tax is line plus shipping plus order tax lines, and the total adds
// shipping and, unless taxes are included in prices, tax. "Current" amounts follow refunds and
// cancellation; the financial status follows the transactions.
import * as Money from "./Money.js"
import type * as StoreModel from "./StoreModel.js"

type Bag = Money.Bag
const { bagAdd, bagSubtract, bagSum, bagZero } = Money

const lineTotal = (l: StoreModel.LineItem, scaleShop: number, scalePresentment: number): Bag =>
  Money.bagScale(l.unitPrice, Money.fromInteger(l.quantity), scaleShop, scalePresentment)

const taxOf = (lines: ReadonlyArray<StoreModel.TaxLine>): Bag => bagSum(lines.map((t) => t.price))

/** Share of a line's value (discount, tax) belonging to `quantity` of its units. */
const share = (bag: Bag, quantity: number, of: number, o: StoreModel.Order): Bag =>
  of === 0 || quantity === 0
    ? bagZero
    : quantity === of
    ? bag
    : {
      shop: Money.divide(Money.multiply(bag.shop, Money.fromInteger(quantity)), Money.fromInteger(of), Money.currencyScale(o.currency)),
      presentment: Money.divide(
        Money.multiply(bag.presentment, Money.fromInteger(quantity)),
        Money.fromInteger(of),
        Money.currencyScale(o.presentmentCurrency)
      )
    }

/** Groups tax lines by title and rate, as Order.taxLines reports them. */
const aggregateTaxLines = (lines: ReadonlyArray<StoreModel.TaxLine>): ReadonlyArray<StoreModel.TaxLine> => {
  const groups = new Map<string, StoreModel.TaxLine>()
  for (const t of lines) {
    const key = `${t.title}\u0000${t.rate}`
    const g = groups.get(key)
    groups.set(key, g === undefined ? t : { ...g, price: bagAdd(g.price, t.price) })
  }
  return [...groups.values()]
}

const isPayment = (t: StoreModel.Transaction) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE")
const isRefund = (t: StoreModel.Transaction) => t.status === "SUCCESS" && t.kind === "REFUND"
const isAuthorization = (t: StoreModel.Transaction) =>
  t.status === "SUCCESS" && (t.kind === "AUTHORIZATION" || t.kind === "EMV_AUTHORIZATION")

/** Authorised amounts not yet captured or voided. */
const capturableOf = (o: StoreModel.Order): Bag => {
  let total = bagZero
  for (const auth of o.transactions.filter(isAuthorization)) {
    const settled = o.transactions.filter((t) =>
      t.parentId === auth.id && t.status === "SUCCESS" && (t.kind === "CAPTURE" || t.kind === "VOID")
    )
    const voided = settled.some((t) => t.kind === "VOID")
    if (!voided) total = bagAdd(total, Money.bagClampAtZero(bagSubtract(auth.amount, bagSum(settled.map((t) => t.amount)))))
  }
  return total
}

export const computeTotals = (o: Omit<StoreModel.Order, "totals">): StoreModel.OrderTotals => {
  const order = o as StoreModel.Order
  const ss = Money.currencyScale(o.currency)
  const ps = Money.currencyScale(o.presentmentCurrency)
  const lineTotals = o.lineItems.map((l) => lineTotal(l, ss, ps))
  const lineDiscounts = bagSum(o.lineItems.map((l) => l.discount))
  const subtotal = bagSubtract(bagSum(lineTotals), lineDiscounts)
  const totalShipping = bagSum(o.shippingLines.map((s) => s.price))
  const shippingDiscount = bagSum(o.shippingLines.map((s) => s.discount))
  const allTaxLines = [
    ...o.lineItems.flatMap((l) => l.taxLines),
    ...o.shippingLines.flatMap((s) => s.taxLines),
    ...o.orderTaxLines
  ]
  const totalTax = taxOf(allTaxLines)
  const totalDiscounts = bagAdd(lineDiscounts, shippingDiscount)
  const totalPrice = bagAdd(bagSubtract(bagAdd(subtotal, totalShipping), shippingDiscount), o.taxesIncluded ? bagZero : totalTax)

  // What refunds took back out of the order's goods and shipping.
  let refundedItems = bagZero
  let refundedItemTax = bagZero
  let refundedItemDiscount = bagZero
  for (const l of o.lineItems) {
    if (l.refundedQuantity === 0) continue
    refundedItems = bagAdd(refundedItems, bagSubtract(share(lineTotal(l, ss, ps), l.refundedQuantity, l.quantity, order), share(l.discount, l.refundedQuantity, l.quantity, order)))
    refundedItemTax = bagAdd(refundedItemTax, share(taxOf(l.taxLines), l.refundedQuantity, l.quantity, order))
    refundedItemDiscount = bagAdd(refundedItemDiscount, share(l.discount, l.refundedQuantity, l.quantity, order))
  }
  const refundedShipping = bagSum(o.refunds.map((r) => r.shipping))
  const shippingNet = bagSubtract(totalShipping, shippingDiscount)
  const refundedShippingTax = Money.isPositive(shippingNet.shop)
    ? Money.bagScale(taxOf(o.shippingLines.flatMap((s) => s.taxLines)), Money.divide(refundedShipping.shop, shippingNet.shop, 6), ss, ps)
    : bagZero

  const cancelled = o.cancelledAt !== null
  const currentSubtotal = cancelled ? bagZero : Money.bagClampAtZero(bagSubtract(subtotal, refundedItems))
  const currentShipping = cancelled ? bagZero : Money.bagClampAtZero(bagSubtract(totalShipping, refundedShipping))
  const currentTax = cancelled ? bagZero : Money.bagClampAtZero(bagSubtract(totalTax, bagAdd(refundedItemTax, refundedShippingTax)))
  const currentDiscounts = cancelled ? bagZero : Money.bagClampAtZero(bagSubtract(totalDiscounts, refundedItemDiscount))
  const currentTotal = cancelled
    ? bagZero
    : Money.bagClampAtZero(
      bagAdd(bagSubtract(bagAdd(currentSubtotal, currentShipping), shippingDiscount), o.taxesIncluded ? bagZero : currentTax)
    )

  const received = bagSum(o.transactions.filter(isPayment).map((t) => t.amount))
  const refunded = bagSum(o.transactions.filter(isRefund).map((t) => t.amount))
  const capturable = cancelled ? bagZero : capturableOf(order)
  const netPayment = bagSubtract(received, refunded)
  const outstanding = cancelled
    ? bagZero
    : Money.bagClampAtZero(bagSubtract(bagSubtract(totalPrice, received), capturable))

  const voided = o.transactions.some((t) => t.kind === "VOID" && t.status === "SUCCESS") && Money.isZero(received.shop)
  const financialStatus = voided
    ? "VOIDED"
    : Money.isPositive(refunded.shop)
    ? (Money.lessThan(refunded.shop, received.shop) ? "PARTIALLY_REFUNDED" : "REFUNDED")
    : Money.isPositive(received.shop)
    ? (Money.lessThan(received.shop, totalPrice.shop) ? "PARTIALLY_PAID" : "PAID")
    : Money.isPositive(capturable.shop)
    ? "AUTHORIZED"
    : o.declaredFinancialStatus

  const itemCount = o.lineItems.reduce((n, l) => n + l.quantity, 0)
  const currentItemCount = cancelled ? 0 : o.lineItems.reduce((n, l) => n + l.quantity - l.refundedQuantity, 0)
  return {
    subtotal,
    totalShipping,
    totalTax,
    totalDiscounts,
    totalPrice,
    currentSubtotal,
    currentShipping,
    currentTax,
    currentDiscounts,
    currentTotal,
    received,
    refunded,
    refundedShipping,
    capturable,
    netPayment,
    outstanding,
    financialStatus,
    taxLines: aggregateTaxLines(allTaxLines),
    currentTaxLines: cancelled ? [] : aggregateTaxLines(allTaxLines),
    itemCount,
    currentItemCount
  }
}

export const withTotals = (o: Omit<StoreModel.Order, "totals">): StoreModel.Order => ({ ...o, totals: computeTotals(o) })

/** The value of `quantity` units of a line, after its discount, with its tax share. */
export const lineRefundValue = (o: StoreModel.Order, l: StoreModel.LineItem, quantity: number) => {
  const ss = Money.currencyScale(o.currency)
  const ps = Money.currencyScale(o.presentmentCurrency)
  const subtotal = bagSubtract(share(lineTotal(l, ss, ps), quantity, l.quantity, o), share(l.discount, quantity, l.quantity, o))
  const tax = share(taxOf(l.taxLines), quantity, l.quantity, o)
  return { subtotal, tax }
}
