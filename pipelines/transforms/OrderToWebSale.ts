// Maps a Shopify order to an Edge web sale: status, lines, tenders, taxes and totals, exact to the cent
// and in the tax-exclusive form of SaleMoney.ts.
//
// - Status: a cancelled order is `void`; otherwise Shopify's financial status: PAID → paid,
//   PARTIALLY_REFUNDED → partially_refunded, REFUNDED → refunded, VOIDED and EXPIRED (the payment was
//   never taken) → void, anything else (PENDING, AUTHORIZED, PARTIALLY_PAID, none) → open.
// - Lines: as sold (refunds do not rewrite what was sold): the SKU when the line has one (none for a
//   custom item, kept with its description), the unit price before discounts, the discount allocated
//   to the line (line-level and its share of order-level discounts, `totalDiscountSet`), its tax.
// - Shipping: after shipping discounts (the shipping lines' discounted prices), with its tax.
// - Discount: every discount on merchandise; what no line carries stays order-level.
// - Tenders: the successful transactions that moved money, by gateway in the order they first
//   appear: payments (SALE, CAPTURE) add, refunds (REFUND) and change given (CHANGE) subtract, so a
//   refund of an imported sale shows in its tenders. Authorizations and voids moved no money.
// - Taxes: the order's tax lines become the sale's tax rows.
// An order whose amounts do not add up, or are not whole cents, is refused with the reasons; nothing
// is rounded silently. So is an order with no lines, or with a line no shop could sell (a quantity
// below 1, a negative price or discount), or with negative shipping or tax, or tax-included prices
// holding more tax than they cost: each would file a sale with negative prices in Edge.
import { BigDecimal, Either, Option } from "effect"
import type { WebSale } from "../../connectors/edge/WebSale.js"
import * as Stage from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import { MissionError } from "../MissionError.js"
import type { OrderImport, PlannedOrder } from "../MissionRecords.js"
import type { SyncOptions } from "../SyncOptions.js"
import type { Cents } from "./Cents.js"
import * as C from "./Cents.js"
import * as SaleMoney from "./SaleMoney.js"
import * as TaxExclusive from "./TaxExclusive.js"

export type SaleStatus = "open" | "paid" | "partially_refunded" | "refunded" | "void"

/** The parts of a Shopify order (connectors/shopify/ShopifyOrder.ts) a web sale is made of, shop money. */
export interface OrderView {
  readonly id: string
  readonly name: string
  readonly processedAt: Date
  readonly updatedAt: Date
  readonly cancelledAt: Date | null
  readonly currency: string
  readonly taxesIncluded: boolean
  readonly financialStatus: string | null
  readonly total: BigDecimal.BigDecimal
  readonly totalTax: BigDecimal.BigDecimal | null
  /** Line, order-level and shipping discounts. */
  readonly totalDiscounts: BigDecimal.BigDecimal | null
  /** Before shipping discounts. */
  readonly totalShipping: BigDecimal.BigDecimal
  readonly taxLines: ReadonlyArray<OrderTaxLine>
  readonly shippingLines: ReadonlyArray<{
    readonly price: BigDecimal.BigDecimal
    readonly discountedPrice: BigDecimal.BigDecimal
    readonly taxLines: ReadonlyArray<OrderTaxLine>
  }>
  readonly lineItems: ReadonlyArray<{
    readonly sku: string | null
    readonly name: string
    readonly quantity: number
    readonly originalUnitPrice: BigDecimal.BigDecimal
    readonly totalDiscount: BigDecimal.BigDecimal
    readonly taxLines: ReadonlyArray<OrderTaxLine>
  }>
  readonly transactions: ReadonlyArray<{
    readonly kind: string
    readonly status: string
    readonly gateway: string | null
    readonly amount: BigDecimal.BigDecimal
  }>
}

export interface OrderTaxLine {
  readonly title: string
  readonly rate: number | null
  readonly amount: BigDecimal.BigDecimal
}

export interface WebSaleLine extends SaleMoney.SaleLine {
  readonly sku: string | null
  readonly description: string
}

export interface WebSaleDraft {
  readonly shopifyOrderId: string
  /** The Shopify order name, such as `#1001`. */
  readonly saleNo: string
  readonly saleDate: Date
  readonly status: SaleStatus
  readonly currency: string
  readonly shopifyUpdatedAt: Date
  readonly money: SaleMoney.SaleMoney<WebSaleLine>
}

export const status = (order: Pick<OrderView, "cancelledAt" | "financialStatus">): SaleStatus => {
  if (order.cancelledAt !== null) return "void"
  switch (order.financialStatus) {
    case "PAID":
      return "paid"
    case "PARTIALLY_REFUNDED":
      return "partially_refunded"
    case "REFUNDED":
      return "refunded"
    case "VOIDED":
    case "EXPIRED":
      return "void"
    default:
      return "open"
  }
}

const tenderSign = (kind: string): bigint | null => {
  switch (kind) {
    case "SALE":
    case "CAPTURE":
      return 1n
    case "REFUND":
    case "CHANGE":
      return -1n
    default:
      return null
  }
}

/** Converts the amounts of one order to cents, collecting the names of those that are not whole cents. */
const amounts = () => {
  const problems: Array<string> = []
  const cents = (label: string, amount: BigDecimal.BigDecimal): Cents =>
    Option.getOrElse(C.fromBigDecimal(amount), () => {
      problems.push(`${label} (${BigDecimal.format(amount)}) is not a whole number of cents`)
      return 0n
    })
  const taxes = (label: string, lines: ReadonlyArray<OrderTaxLine>): Cents =>
    C.sum(lines.map((t, i) => cents(`${label} tax ${i + 1}`, t.amount)))
  return { problems, cents, taxes }
}

export const tenders = (
  transactions: OrderView["transactions"],
  cents: (label: string, amount: BigDecimal.BigDecimal) => Cents
): ReadonlyArray<SaleMoney.Tender> => {
  const byGateway = new Map<string, Cents>()
  transactions.forEach((t, i) => {
    const sign = tenderSign(t.kind)
    if (t.status !== "SUCCESS" || sign === null) return
    const gateway = t.gateway ?? "unknown"
    byGateway.set(gateway, (byGateway.get(gateway) ?? 0n) + sign * cents(`transaction ${i + 1}`, t.amount))
  })
  return [...byGateway].map(([tender, amount]) => ({ tender, amount }))
}

/**
 * What makes an order's lines no sale at all, in words: none (an Edge sale without lines sells
 * nothing), or a line Shopify itself would never accept (orderCreate wants a quantity of at least 1
 * and a price that is not negative), which would otherwise turn a sale into a silent return.
 */
export const lineProblems = (order: Pick<OrderView, "lineItems">): ReadonlyArray<string> => {
  if (order.lineItems.length === 0) return ["the order has no line items, so there is nothing to record as sold"]
  return order.lineItems.flatMap((li, i) => [
    ...(Number.isSafeInteger(li.quantity) && li.quantity >= 1
      ? []
      : [`line ${i + 1} (${li.name}) has quantity ${li.quantity}; a sold quantity must be a whole number of at least 1`]),
    ...(BigDecimal.isNegative(li.originalUnitPrice)
      ? [`line ${i + 1} (${li.name}) has a negative price (${BigDecimal.format(li.originalUnitPrice)})`]
      : []),
    ...(BigDecimal.isNegative(li.totalDiscount)
      ? [`line ${i + 1} (${li.name}) has a negative discount (${BigDecimal.format(li.totalDiscount)})`]
      : [])
  ])
}

/** The web sale for an order, tax-exclusive, or the reasons it cannot be imported exactly. */
export const toWebSale = (order: OrderView): Either.Either<WebSaleDraft, ReadonlyArray<string>> => {
  const refused = lineProblems(order)
  if (refused.length > 0) return Either.left(refused)
  const a = amounts()
  const lines: Array<WebSaleLine> = order.lineItems.map((li, i) => {
    const unitPrice = a.cents(`line ${i + 1} price`, li.originalUnitPrice)
    const discount = a.cents(`line ${i + 1} discount`, li.totalDiscount)
    return {
      sku: li.sku === null || li.sku.trim() === "" ? null : li.sku,
      description: li.name,
      quantity: li.quantity,
      unitPrice,
      discount,
      tax: a.taxes(`line ${i + 1}`, li.taxLines),
      extended: BigInt(li.quantity) * unitPrice - discount
    }
  })
  const shipping = order.shippingLines.length > 0
    ? C.sum(order.shippingLines.map((s, i) => a.cents(`shipping ${i + 1}`, s.discountedPrice)))
    : a.cents("shipping", order.totalShipping)
  const shippingDiscount = C.sum(
    order.shippingLines.map((s, i) =>
      a.cents(`shipping ${i + 1} price`, s.price) - a.cents(`shipping ${i + 1}`, s.discountedPrice)
    )
  )
  const shippingTax = C.sum(order.shippingLines.map((s, i) => a.taxes(`shipping ${i + 1}`, s.taxLines)))
  const taxes = order.taxLines.map((t, i) => ({ title: t.title, rate: t.rate, amount: a.cents(`tax ${i + 1}`, t.amount) }))
  const tax = order.totalTax === null ? C.sum(taxes.map((t) => t.amount)) : a.cents("total tax", order.totalTax)
  const totalDiscounts = order.totalDiscounts === null ? C.sum(lines.map((l) => l.discount)) : a.cents("total discounts", order.totalDiscounts)
  const total = a.cents("total", order.total)
  const paid = tenders(order.transactions, (label, amount) => a.cents(label, amount))
  if (a.problems.length > 0) return Either.left(a.problems)
  const impossible = [
    ...(shipping < 0n ? [`shipping (${C.format(shipping)}) is negative`] : []),
    ...(tax < 0n ? [`total tax (${C.format(tax)}) is negative`] : []),
    ...(shippingTax < 0n ? [`shipping tax (${C.format(shippingTax)}) is negative`] : []),
    ...lines.flatMap((l, i) => (l.tax < 0n ? [`line ${i + 1} (${l.description}) has a negative tax (${C.format(l.tax)})`] : [])),
    ...lines.flatMap((l, i) =>
      l.extended < 0n
        ? [`line ${i + 1} (${l.description}) has a discount (${C.format(l.discount)}) larger than its price (${l.quantity} × ${C.format(l.unitPrice)})`]
        : []
    ),
    // Tax inside a price cannot exceed the price: it would leave a negative net price.
    ...(order.taxesIncluded
      ? [
        ...lines.flatMap((l, i) =>
          l.tax > l.extended && l.tax > 0n
            ? [`line ${i + 1} (${l.description}) includes more tax (${C.format(l.tax)}) than it costs (${C.format(l.extended)})`]
            : []
        ),
        ...(shippingTax > shipping && shippingTax > 0n
          ? [`shipping includes more tax (${C.format(shippingTax)}) than it costs (${C.format(shipping)})`]
          : [])
      ]
      : [])
  ]
  if (impossible.length > 0) return Either.left(impossible)

  const asShopifyStates: SaleMoney.SaleMoney<WebSaleLine> = {
    taxesIncluded: order.taxesIncluded,
    lines,
    subtotal: C.sum(lines.map((l) => BigInt(l.quantity) * l.unitPrice)),
    // Shopify's total discounts include shipping discounts, which are already netted out of shipping.
    discount: totalDiscounts - shippingDiscount,
    shipping,
    shippingTax,
    tax,
    total,
    taxes,
    tenders: paid
  }
  const wrong = SaleMoney.violations(asShopifyStates).filter((v) => v.startsWith("total") || v.startsWith("subtotal"))
  if (wrong.length > 0) return Either.left(wrong)
  const money = order.taxesIncluded
    ? TaxExclusive.fromTaxIncluded(asShopifyStates)
    : SaleMoney.reconcileTax(asShopifyStates)
  const remaining = SaleMoney.violations(money)
  if (remaining.length > 0) return Either.left(remaining)
  return Either.right({
    shopifyOrderId: order.id,
    saleNo: order.name,
    saleDate: order.processedAt,
    status: status(order),
    currency: order.currency,
    shopifyUpdatedAt: order.updatedAt,
    money
  })
}

// ---------------------------------------------------------------------------------------------------
// The stage: `mission.orderToWebSale`, and the web sale as the Edge connector writes it.

/** A rate as Shopify states it (a float such as 0.0825), exactly as its decimal text; none → 0. */
const rateOf = (rate: number | null): BigDecimal.BigDecimal =>
  rate === null ? BigDecimal.fromBigInt(0n) : Option.getOrElse(BigDecimal.safeFromNumber(rate), () => BigDecimal.fromBigInt(0n))

/** The Edge web sale record for a draft (amounts from cents, so exact). */
export const toRecord = (
  draft: WebSaleDraft,
  customerId: number | null,
  storeNo: number,
  taxStripped: boolean
): WebSale => ({
  shopify_order_id: draft.shopifyOrderId,
  sale_no: draft.saleNo,
  store_no: storeNo,
  customer_id: customerId,
  sale_date: draft.saleDate,
  status: draft.status,
  currency: draft.currency,
  subtotal: C.toBigDecimal(draft.money.subtotal),
  discount: C.toBigDecimal(draft.money.discount),
  shipping: C.toBigDecimal(draft.money.shipping),
  tax: C.toBigDecimal(draft.money.tax),
  total: C.toBigDecimal(draft.money.total),
  tax_stripped: taxStripped,
  shopify_updated_at: draft.shopifyUpdatedAt,
  lines: draft.money.lines.map((l) => ({
    sku: l.sku,
    description: l.description,
    quantity: l.quantity,
    unit_price: C.toBigDecimal(l.unitPrice),
    discount: C.toBigDecimal(l.discount),
    tax: C.toBigDecimal(l.tax),
    extended: C.toBigDecimal(l.extended)
  })),
  tenders: draft.money.tenders.map((t) => ({ tender: t.tender, amount: C.toBigDecimal(t.amount) })),
  taxes: draft.money.taxes.map((t) => ({ title: t.title, rate: rateOf(t.rate), amount: C.toBigDecimal(t.amount) }))
})

/**
 * `mission.orderToWebSale`: each order as an Edge web sale (filed under `webStore`, for the customer
 * matched), or refused with the reasons when its amounts do not add up exactly.
 */
export const stage = (options: SyncOptions) =>
  Transform.decide<PlannedOrder, OrderImport>(
    "mission.orderToWebSale",
    (planned) =>
      Either.match(toWebSale(planned.order), {
        onLeft: (problems) =>
          Stage.reject(
            new MissionError({
              reason: "AmountsDoNotAddUp",
              stage: "mission.orderToWebSale",
              key: `${planned.order.name} (${planned.order.id})`,
              detail: problems.join("; ")
            })
          ),
        onRight: (draft) =>
          Stage.emit<OrderImport>(
            { ...planned, sale: toRecord(draft, Option.getOrNull(planned.customer.customerId), options.webStore, false) },
            `sale:${draft.status}`
          )
      }),
    { description: "mission.orderToWebSale: maps each order to a tax-exclusive Edge web sale (status, lines, tenders, taxes), exact to the cent" }
  )
