// web-sales-to-edge's money end to end on MariaDB and the emulator: tax kept and stripped, on
// tax-excluded and tax-included orders with shipping and discounts, to the cent; refunds and
// cancellations of imported orders; the web store check.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as H from "./support/MissionHarness.js"
import * as Store from "./support/ShopifyStore.js"

interface Sale {
  readonly sale_id: number | string
  readonly sale_no: string
  readonly status: string
  readonly store_no: number | string
  readonly subtotal: string
  readonly discount: string
  readonly shipping: string
  readonly tax: string
  readonly total: string
  readonly tax_stripped: number | boolean
}
interface Line {
  readonly quantity: number | string
  readonly unit_price: string
  readonly discount: string
  readonly tax: string
  readonly extended: string
}

const cents = (text: string | number): bigint => {
  const [whole = "0", fraction = ""] = String(text).split(".")
  const sign = whole.startsWith("-") ? -1n : 1n
  return sign * (BigInt(whole.replace("-", "")) * 100n + BigInt((fraction + "00").slice(0, 2)))
}

const saleOf = (m: H.Mission, name: string) =>
  Effect.gen(function*() {
    const sales = yield* m.sql<Sale>("SELECT * FROM sales WHERE sale_no = ?", [name])
    assert.strictEqual(sales.length, 1, `one sale for ${name}`)
    const sale = sales[0]!
    const lines = yield* m.sql<Line>("SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no", [sale.sale_id])
    const taxes = yield* m.sql<{ readonly amount: string }>("SELECT amount FROM sale_taxes WHERE sale_id = ? ORDER BY seq", [sale.sale_id])
    const tenders = yield* m.sql<{ readonly tender: string; readonly amount: string }>("SELECT tender, amount FROM sale_tenders WHERE sale_id = ? ORDER BY seq", [sale.sale_id])
    return { sale, lines, taxes, tenders }
  })

/** Every identity of an Edge sale, to the cent. */
const addsUp = (label: string, s: { readonly sale: Sale; readonly lines: ReadonlyArray<Line>; readonly taxes: ReadonlyArray<{ readonly amount: string }> }) => {
  let gross = 0n
  for (const l of s.lines) {
    const q = BigInt(l.quantity)
    assert.strictEqual(q * cents(l.unit_price) - cents(l.discount), cents(l.extended), `${label}: line extended`)
    assert.isTrue(cents(l.discount) >= 0n, `${label}: no negative line discount`)
    gross += q * cents(l.unit_price)
  }
  assert.strictEqual(cents(s.sale.subtotal), gross, `${label}: subtotal`)
  assert.strictEqual(
    cents(s.sale.subtotal) - cents(s.sale.discount) + cents(s.sale.shipping) + cents(s.sale.tax),
    cents(s.sale.total),
    `${label}: total = subtotal − discount + shipping + tax`
  )
  if (s.taxes.length > 0) {
    assert.strictEqual(s.taxes.reduce((a, t) => a + cents(t.amount), 0n), cents(s.sale.tax), `${label}: tax rows`)
  }
}

const orders = (m: H.Mission) =>
  Effect.gen(function*() {
    const buyer = yield* Store.createCustomer(m.admin, { firstName: "Tia", email: "tia@example.com" })
    // FACTS §2.3 paidTaxShipping: 2 × 12.00 at 10 %, shipping 5.00 at 10 %: tax 2.90, total 31.90.
    const excluded = yield* Store.createOrder(m.admin, {
      customerId: buyer,
      lines: [{ sku: "RING-1", title: "Gold ring", quantity: 2, price: "12.00", taxes: [[0.1, "2.40"]] }],
      shipping: { price: "5.00", taxes: [[0.1, "0.50"]] },
      paid: { gateway: "manual", amount: "31.90" }
    })
    // Prices include 20 %: 3 × 10.00 (tax 5.00), shipping 6.00 (tax 1.00): total 36.00.
    const included = yield* Store.createOrder(m.admin, {
      customerId: buyer,
      taxesIncluded: true,
      lines: [{ sku: "PEND-2", title: "Pendant", quantity: 3, price: "10.00", taxes: [[0.2, "5.00"]] }],
      shipping: { price: "6.00", taxes: [[0.2, "1.00"]] },
      paid: { gateway: "shopify_payments", amount: "36.00" }
    })
    // A discount code and an item Edge does not stock (no SKU).
    const discounted = yield* Store.createOrder(m.admin, {
      customerId: buyer,
      lines: [
        { sku: "CHAIN-3", title: "Chain", quantity: 1, price: "40.00", taxes: [[0.0825, "2.89"]] },
        { title: "Gift wrap (custom)", quantity: 1, price: "4.99" }
      ],
      discountCode: { code: "SAVE5", amount: "5.00" },
      shipping: { price: "7.50" },
      paid: { gateway: "paypal", amount: "50.38" }
    })
    const refunded = yield* Store.createOrder(m.admin, {
      customerId: buyer,
      lines: [{ sku: "EAR-4", title: "Earrings", quantity: 2, price: "25.00", taxes: [[0.1, "5.00"]] }],
      paid: { gateway: "manual", amount: "55.00" }
    })
    const cancelled = yield* Store.createOrder(m.admin, {
      customerId: buyer,
      lines: [{ sku: "BRAC-5", title: "Bracelet", quantity: 1, price: "80.00" }],
      paid: { gateway: "manual", amount: "80.00" }
    })
    return { excluded, included, discounted, refunded, cancelled }
  })

describe("web-sales-to-edge: money", () => {
  it.scopedLive("bringTaxes on: tax kept with its rows; tax-included prices made tax-exclusive; refunds and cancellations update the sale", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const o = yield* orders(m)
      const run = yield* m.run("web-sales-to-edge")
      assert.strictEqual(run.counts.written, 5, JSON.stringify(run.counts))

      const excluded = yield* saleOf(m, o.excluded.name)
      addsUp("excluded", excluded)
      assert.deepStrictEqual(
        [excluded.sale.subtotal, excluded.sale.discount, excluded.sale.shipping, excluded.sale.tax, excluded.sale.total].map(cents),
        [2400n, 0n, 500n, 290n, 3190n]
      )
      assert.strictEqual(Number(excluded.sale.store_no), 98)
      assert.strictEqual(excluded.sale.status, "paid")
      assert.deepStrictEqual(excluded.tenders.map((t) => [t.tender, cents(t.amount)]), [["manual", 3190n]])

      const included = yield* saleOf(m, o.included.name)
      addsUp("included", included)
      assert.deepStrictEqual(included.lines.map((l) => [cents(l.unit_price), cents(l.discount), cents(l.tax), cents(l.extended)]), [[834n, 2n, 500n, 2500n]])
      assert.deepStrictEqual([included.sale.shipping, included.sale.tax, included.sale.total].map(cents), [500n, 600n, 3600n])

      const discounted = yield* saleOf(m, o.discounted.name)
      addsUp("discounted", discounted)
      assert.strictEqual(cents(discounted.sale.total), 5038n)
      const skus = yield* m.sql<{ readonly sku: string | null; readonly description: string }>(
        "SELECT sku, description FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
        [discounted.sale.sale_id]
      )
      assert.deepStrictEqual(skus.map((l) => l.sku), ["CHAIN-3", null])
      assert.strictEqual(skus[1]?.description, "Gift wrap (custom)")

      // After import: a partial refund and a cancellation. Shopify's updatedAt has second precision, and
      // the source keys a version by id and updatedAt: let a second pass so the changes are new versions.
      yield* Effect.sleep("1100 millis")
      yield* Store.refund(m.admin, o.refunded.id, { lines: [{ lineItemId: o.refunded.lineItemIds[0]!, quantity: 1 }], amount: "27.50", gateway: "manual" })
      yield* Store.cancel(m.admin, o.cancelled.id)
      const after = yield* m.run("web-sales-to-edge")
      assert.strictEqual(after.counts.actions["updated"], 2, JSON.stringify(after.counts))
      const refunded = yield* saleOf(m, o.refunded.name)
      assert.strictEqual(refunded.sale.status, "partially_refunded")
      assert.deepStrictEqual(refunded.tenders.map((t) => [t.tender, cents(t.amount)]), [["manual", 2750n]])
      addsUp("refunded", refunded)
      const cancelled = yield* saleOf(m, o.cancelled.name)
      assert.strictEqual(cancelled.sale.status, "void")
      const count = yield* m.sql<{ readonly n: number | string }>("SELECT COUNT(*) AS n FROM sales WHERE kind = 'web'")
      assert.strictEqual(Number(count[0]?.n), 5, "updated in place, never duplicated")

      const again = yield* m.run("web-sales-to-edge")
      assert.strictEqual(again.counts.written, 0)
    }), 120_000)

  it.scopedLive("bringTaxes off: no tax, no tax rows, totals without tax, still to the cent", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const o = yield* orders(m)
      const run = yield* m.run("web-sales-to-edge", { bringTaxes: false })
      assert.strictEqual(run.counts.written, 5)
      assert.strictEqual(run.counts.actions["tax-stripped"], 4, JSON.stringify(run.counts.actions))
      for (const [label, placed, total] of [
        ["excluded", o.excluded, 2900n],
        ["included", o.included, 3000n],
        ["discounted", o.discounted, 5038n - 289n],
        ["refunded", o.refunded, 5000n]
      ] as const) {
        const s = yield* saleOf(m, placed.name)
        addsUp(label, s)
        assert.strictEqual(cents(s.sale.tax), 0n, label)
        assert.strictEqual(s.taxes.length, 0, `${label}: no tax rows`)
        assert.isTrue(s.lines.every((l) => cents(l.tax) === 0n), `${label}: no line tax`)
        assert.strictEqual(Boolean(Number(s.sale.tax_stripped)), true, label)
        assert.strictEqual(cents(s.sale.total), total, `${label}: total`)
        assert.strictEqual(s.tenders.reduce((a, t) => a + cents(t.amount), 0n), total, `${label}: tenders balance the sale`)
      }
      const included = yield* saleOf(m, o.included.name)
      assert.deepStrictEqual([included.sale.shipping, included.sale.subtotal, included.sale.discount].map(cents), [500n, 2502n, 2n])
    }), 120_000)

  it.scopedLive("refuses to start when the web store is missing, not a web store, or not licensed", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      yield* m.sql("INSERT INTO stores (store_no, name, kind, licensed) VALUES (97, 'Unlicensed web', 'web', 0)")
      for (const [webStore, expected] of [[96, "does not exist"], [1, "not a web store"], [97, "not licensed"]] as const) {
        const error = yield* Effect.flip(m.run("web-sales-to-edge", { webStore }))
        assert.include(String((error as { readonly message?: string }).message), expected, `store ${webStore}`)
        assert.include(String((error as { readonly message?: string }).message), String(webStore))
      }
      const sales = yield* m.sql("SELECT * FROM sales")
      assert.strictEqual(sales.length, 0)
    }), 120_000)
})
