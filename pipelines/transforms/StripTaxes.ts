// `bringTaxes: false`: the web sale carries no tax and no tax rows, its total excludes the tax, and
// everything still adds up to the cent (for the store, Shopify collected and remits that tax).
//
// A tax-included sale is first made tax-exclusive (TaxExclusive.ts: lines and shipping reduced by
// their own tax), then the tax is removed: total − tax. The tenders of a fully paid sale (tenders
// summing to the total) are reduced by the same tax, in proportion to their amounts (largest
// remainder, ties to the earlier tender), so the sale still balances; a sale not fully paid keeps its
// tenders as the money actually moved.
import { Option } from "effect"
import type { WebSale } from "../../connectors/edge/WebSale.js"
import * as Stage from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import { MissionError } from "../MissionError.js"
import type { OrderImport } from "../MissionRecords.js"
import * as C from "./Cents.js"
import * as SaleMoney from "./SaleMoney.js"
import * as TaxExclusive from "./TaxExclusive.js"

export interface Stripped<L extends SaleMoney.SaleLine> {
  readonly sale: SaleMoney.SaleMoney<L>
  /** The tax removed, in cents. */
  readonly stripped: C.Cents
}

export const strip = <L extends SaleMoney.SaleLine>(sale: SaleMoney.SaleMoney<L>): Stripped<L> => {
  const exclusive = SaleMoney.reconcileTax(TaxExclusive.fromTaxIncluded(sale))
  const stripped = exclusive.tax
  const total = exclusive.total - stripped
  const paid = C.sum(exclusive.tenders.map((t) => t.amount))
  const tenders = paid === exclusive.total && stripped !== 0n
    ? (() => {
      const cuts = C.allocate(stripped, exclusive.tenders.map((t) => t.amount))
      return exclusive.tenders.map((t, i) => ({ ...t, amount: t.amount - (cuts[i] ?? 0n) }))
    })()
    : exclusive.tenders
  return {
    stripped,
    sale: {
      ...exclusive,
      lines: exclusive.lines.map((l) => ({ ...l, tax: 0n })),
      shippingTax: 0n,
      tax: 0n,
      total,
      taxes: [],
      tenders
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The stage: `mission.stripTaxes` over the Edge web sale (already tax-exclusive, see OrderToWebSale.ts).

interface WebSaleLine extends SaleMoney.SaleLine {
  readonly source: WebSale["lines"][number]
}

/** The web sale's money in cents; none if an amount is not whole cents (it never is: it was made from cents). */
const moneyOf = (sale: WebSale): Option.Option<SaleMoney.SaleMoney<WebSaleLine>> =>
  Option.all({
    lines: Option.all(sale.lines.map((l) =>
      Option.map(
        Option.all([C.fromBigDecimal(l.unit_price), C.fromBigDecimal(l.discount), C.fromBigDecimal(l.tax), C.fromBigDecimal(l.extended)]),
        ([unitPrice, discount, tax, extended]): WebSaleLine => ({ source: l, quantity: l.quantity, unitPrice, discount, tax, extended })
      )
    )),
    subtotal: C.fromBigDecimal(sale.subtotal),
    discount: C.fromBigDecimal(sale.discount),
    shipping: C.fromBigDecimal(sale.shipping),
    tax: C.fromBigDecimal(sale.tax),
    total: C.fromBigDecimal(sale.total),
    taxes: Option.all(sale.taxes.map((t) => Option.map(C.fromBigDecimal(t.amount), (amount) => ({ title: t.title, rate: null, amount })))),
    tenders: Option.all(sale.tenders.map((t) => Option.map(C.fromBigDecimal(t.amount), (amount) => ({ tender: t.tender, amount }))))
  }).pipe(Option.map((m) => ({
    ...m,
    taxesIncluded: false,
    // The Edge sale has no shipping-tax column: it is the sale's tax less the lines'.
    shippingTax: m.tax - C.sum(m.lines.map((l) => l.tax))
  })))

/** The web sale without tax (and how much was removed). */
export const stripWebSale = (sale: WebSale): Option.Option<{ readonly sale: WebSale; readonly stripped: C.Cents }> =>
  Option.map(moneyOf(sale), (money) => {
    const { sale: s, stripped } = strip(money)
    return {
      stripped,
      sale: {
        ...sale,
        subtotal: C.toBigDecimal(s.subtotal),
        discount: C.toBigDecimal(s.discount),
        shipping: C.toBigDecimal(s.shipping),
        tax: C.toBigDecimal(s.tax),
        total: C.toBigDecimal(s.total),
        tax_stripped: true,
        lines: s.lines.map((l) => ({
          ...l.source,
          unit_price: C.toBigDecimal(l.unitPrice),
          discount: C.toBigDecimal(l.discount),
          tax: C.toBigDecimal(l.tax),
          extended: C.toBigDecimal(l.extended)
        })),
        tenders: s.tenders.map((t) => ({ tender: t.tender, amount: C.toBigDecimal(t.amount) })),
        taxes: []
      }
    }
  })

/** `mission.stripTaxes` (in the pipeline only with `bringTaxes: false`). */
export const stage = Transform.decide<OrderImport, OrderImport>(
  "mission.stripTaxes",
  (record) =>
    Option.match(stripWebSale(record.sale), {
      onNone: () =>
        Stage.reject(
          new MissionError({
            reason: "AmountsDoNotAddUp",
            stage: "mission.stripTaxes",
            key: record.sale.shopify_order_id,
            detail: "an amount of the sale is not a whole number of cents"
          })
        ),
      onSome: ({ sale, stripped }) => Stage.emit({ ...record, sale }, ...(stripped === 0n ? [] : ["tax-stripped"]))
    }),
  { description: "mission.stripTaxes: removes tax from web sales (bringTaxes: false); totals still add up to the cent" }
)
