// The money of a web sale in integer cents, and the identities that make it add up to the cent.
//
// An Edge sale is tax-exclusive: line prices and shipping are net of tax and the tax is added on top.
//   line:  extended = quantity × unitPrice − discount
//   sale:  subtotal = Σ quantity × unitPrice               (merchandise before discounts)
//          discount = Σ line discounts + order-level discounts not allocated to a line
//          total    = subtotal − discount + shipping + tax
//          tax      = Σ line tax + shipping tax = Σ tax rows
// A Shopify order whose prices include tax (`taxesIncluded`) arrives with `taxesIncluded: true`, where
// `total = subtotal − discount + shipping` (the tax is inside the prices); TaxExclusive.ts turns it
// into the form above.
import type { Cents } from "./Cents.js"
import * as C from "./Cents.js"

export interface SaleLine {
  readonly quantity: number
  readonly unitPrice: Cents
  readonly discount: Cents
  readonly tax: Cents
  readonly extended: Cents
}

export interface TaxRow {
  readonly title: string
  /** The rate as a decimal fraction (0.13 for 13%), as Shopify states it. */
  readonly rate: number | null
  readonly amount: Cents
}

export interface Tender {
  /** The payment gateway (`shopify_payments`, `manual`, `gift_card`, ...). */
  readonly tender: string
  readonly amount: Cents
}

/** `L` lets a sale's lines carry more than money (SKU, description): the arithmetic keeps it. */
export interface SaleMoney<L extends SaleLine = SaleLine> {
  readonly taxesIncluded: boolean
  readonly lines: ReadonlyArray<L>
  readonly subtotal: Cents
  readonly discount: Cents
  readonly shipping: Cents
  readonly shippingTax: Cents
  readonly tax: Cents
  readonly total: Cents
  readonly taxes: ReadonlyArray<TaxRow>
  readonly tenders: ReadonlyArray<Tender>
}

/** The part of the sale's discount not carried by any line (an order-level discount). */
export const orderLevelDiscount = <L extends SaleLine>(sale: SaleMoney<L>): Cents => sale.discount - C.sum(sale.lines.map((l) => l.discount))

/** Every identity the sale breaks, in words (empty when it adds up). */
export const violations = <L extends SaleLine>(sale: SaleMoney<L>): ReadonlyArray<string> => {
  const found: Array<string> = []
  sale.lines.forEach((line, i) => {
    const expected = BigInt(line.quantity) * line.unitPrice - line.discount
    if (line.extended !== expected) {
      found.push(`line ${i + 1}: extended ${C.format(line.extended)} ≠ ${line.quantity} × ${C.format(line.unitPrice)} − ${C.format(line.discount)}`)
    }
  })
  const subtotal = C.sum(sale.lines.map((l) => BigInt(l.quantity) * l.unitPrice))
  if (sale.subtotal !== subtotal) found.push(`subtotal ${C.format(sale.subtotal)} ≠ Σ lines ${C.format(subtotal)}`)
  const total = sale.subtotal - sale.discount + sale.shipping + (sale.taxesIncluded ? 0n : sale.tax)
  if (sale.total !== total) {
    found.push(`total ${C.format(sale.total)} ≠ subtotal − discount + shipping${sale.taxesIncluded ? "" : " + tax"} = ${C.format(total)}`)
  }
  const componentTax = C.sum(sale.lines.map((l) => l.tax)) + sale.shippingTax
  if (!sale.taxesIncluded && componentTax !== sale.tax) {
    found.push(`tax ${C.format(sale.tax)} ≠ line and shipping tax ${C.format(componentTax)}`)
  }
  const rows = C.sum(sale.taxes.map((t) => t.amount))
  if (sale.taxes.length > 0 && rows !== sale.tax) found.push(`tax ${C.format(sale.tax)} ≠ Σ tax rows ${C.format(rows)}`)
  return found
}

/**
 * Makes the line and shipping taxes, and the tax rows, sum to the sale's tax. Shopify rounds tax per
 * line, and may compute an order's tax on the whole order, so the parts can be a few cents off the
 * total (or all zero): the difference is spread over the lines and shipping in proportion to their
 * amounts, and over the tax rows in proportion to theirs, by `Cents.allocate` (largest remainder,
 * ties to the earlier part; with nothing to weigh by, the first part). Nothing is lost or invented:
 * the sale's tax is the order's.
 */
export const reconcileTax = <L extends SaleLine>(sale: SaleMoney<L>): SaleMoney<L> => {
  const componentTax = C.sum(sale.lines.map((l) => l.tax)) + sale.shippingTax
  let lines: ReadonlyArray<L> = sale.lines
  let shippingTax = sale.shippingTax
  if (componentTax !== sale.tax) {
    const parts = C.allocate(sale.tax - componentTax, [...sale.lines.map((l) => l.extended), sale.shipping])
    lines = sale.lines.map((l, i) => ({ ...l, tax: l.tax + (parts[i] ?? 0n) }))
    shippingTax = sale.shippingTax + (parts[sale.lines.length] ?? 0n)
  }
  let taxes = sale.taxes
  const rows = C.sum(sale.taxes.map((t) => t.amount))
  if (sale.taxes.length > 0 && rows !== sale.tax) {
    const parts = C.allocate(sale.tax - rows, sale.taxes.map((t) => t.amount))
    taxes = sale.taxes.map((t, i) => ({ ...t, amount: t.amount + (parts[i] ?? 0n) }))
  }
  return { ...sale, lines, shippingTax, taxes }
}
