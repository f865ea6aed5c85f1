// Turns a sale whose prices include tax (a Shopify `taxesIncluded` order) into the tax-exclusive form
// an Edge sale has (SaleMoney.ts), keeping every amount exact and the total unchanged.
//
// Each line's amount is reduced by its own tax: net extended = extended − tax, exactly. The net unit
// price is the gross unit price scaled by the line's net share (net extended / extended) and rounded
// UP to the cent; the line's discount is then whatever makes quantity × unit price − discount equal the
// net extended to the cent. Rounding up guarantees that discount never goes negative, so the rounding
// remainder (under one cent per unit) lands in the line's discount, deterministically. Shipping is
// reduced by its own tax. Order-level discounts are unchanged: Shopify computes line tax after them,
// so their tax is already inside the line taxes removed above.
import * as C from "./Cents.js"
import * as SaleMoney from "./SaleMoney.js"

const netLine = <L extends SaleMoney.SaleLine>(line: L): L => {
  const netExtended = line.extended - line.tax
  const quantity = BigInt(line.quantity)
  // A line with nothing charged (free, fully discounted, or no quantity left) keeps its unit price.
  const unitPrice = line.extended > 0n && quantity > 0n
    ? C.ceilDiv(line.unitPrice * netExtended, line.extended)
    : line.unitPrice
  return { ...line, unitPrice, discount: quantity * unitPrice - netExtended, extended: netExtended }
}

export const fromTaxIncluded = <L extends SaleMoney.SaleLine>(sale: SaleMoney.SaleMoney<L>): SaleMoney.SaleMoney<L> => {
  if (!sale.taxesIncluded) return sale
  const reconciled = SaleMoney.reconcileTax(sale)
  const orderDiscount = SaleMoney.orderLevelDiscount(reconciled)
  const lines = reconciled.lines.map(netLine)
  return {
    ...reconciled,
    taxesIncluded: false,
    lines,
    subtotal: C.sum(lines.map((l) => BigInt(l.quantity) * l.unitPrice)),
    discount: C.sum(lines.map((l) => l.discount)) + orderDiscount,
    shipping: reconciled.shipping - reconciled.shippingTax
  }
}
