import { assert, describe, it } from "@effect/vitest"
import * as C from "../../../pipelines/transforms/Cents.js"
import * as SaleMoney from "../../../pipelines/transforms/SaleMoney.js"
import * as StripTaxes from "../../../pipelines/transforms/StripTaxes.js"
import * as TaxExclusive from "../../../pipelines/transforms/TaxExclusive.js"

type Sale = SaleMoney.SaleMoney

const line = (quantity: number, unitPrice: bigint, discount: bigint, tax: bigint): SaleMoney.SaleLine => ({
  quantity,
  unitPrice,
  discount,
  tax,
  extended: BigInt(quantity) * unitPrice - discount
})

const sale = (fields: {
  taxesIncluded: boolean
  lines: ReadonlyArray<SaleMoney.SaleLine>
  orderDiscount?: bigint
  shipping?: bigint
  shippingTax?: bigint
  tax?: bigint
  paid?: ReadonlyArray<bigint>
}): Sale => {
  const shipping = fields.shipping ?? 0n
  const shippingTax = fields.shippingTax ?? 0n
  const tax = fields.tax ?? C.sum(fields.lines.map((l) => l.tax)) + shippingTax
  const subtotal = C.sum(fields.lines.map((l) => BigInt(l.quantity) * l.unitPrice))
  const discount = C.sum(fields.lines.map((l) => l.discount)) + (fields.orderDiscount ?? 0n)
  const total = subtotal - discount + shipping + (fields.taxesIncluded ? 0n : tax)
  return {
    taxesIncluded: fields.taxesIncluded,
    lines: fields.lines,
    subtotal,
    discount,
    shipping,
    shippingTax,
    tax,
    total,
    taxes: tax === 0n ? [] : [{ title: "Tax", rate: 0.1, amount: tax }],
    tenders: (fields.paid ?? [total]).map((amount, i) => ({ tender: `gateway${i}`, amount }))
  }
}

describe("Cents", () => {
  it("converts BigDecimal exactly and refuses sub-cent amounts", async () => {
    const { BigDecimal, Option } = await import("effect")
    assert.deepStrictEqual(C.fromBigDecimal(BigDecimal.unsafeFromString("42.5")), Option.some(4250n))
    assert.deepStrictEqual(C.fromBigDecimal(BigDecimal.unsafeFromString("100")), Option.some(10000n))
    assert.deepStrictEqual(C.fromBigDecimal(BigDecimal.unsafeFromString("-0.05")), Option.some(-5n))
    assert.deepStrictEqual(C.fromBigDecimal(BigDecimal.unsafeFromString("1.230")), Option.some(123n))
    assert.isTrue(Option.isNone(C.fromBigDecimal(BigDecimal.unsafeFromString("1.005"))))
    assert.strictEqual(C.format(-5n), "-0.05")
    assert.strictEqual(BigDecimal.format(C.toBigDecimal(1234n)), "12.34")
  })

  it("allocates by largest remainder, ties to the earlier part, never losing a cent", () => {
    assert.deepStrictEqual(C.allocate(100n, [1n, 1n, 1n]), [34n, 33n, 33n])
    assert.deepStrictEqual(C.allocate(-100n, [1n, 1n, 1n]), [-34n, -33n, -33n])
    assert.deepStrictEqual(C.allocate(10n, [0n, 0n]), [10n, 0n])
    assert.deepStrictEqual(C.allocate(7n, [1n, 2n, 4n]), [1n, 2n, 4n])
    assert.deepStrictEqual(C.allocate(5n, [3n, -2n, 3n]), [3n, 0n, 2n])
    for (let amount = -50n; amount <= 50n; amount += 7n) {
      assert.strictEqual(C.sum(C.allocate(amount, [3n, 5n, 11n, 0n])), amount)
    }
  })
})

describe("TaxExclusive.fromTaxIncluded", () => {
  it("reduces line prices and shipping by their own tax, keeping the total", () => {
    // 1 × 11.00 including 10 % (1.00), shipping 5.50 including 0.50.
    const s = TaxExclusive.fromTaxIncluded(
      sale({ taxesIncluded: true, lines: [line(1, 1100n, 0n, 100n)], shipping: 550n, shippingTax: 50n })
    )
    assert.isFalse(s.taxesIncluded)
    assert.deepStrictEqual(s.lines, [line(1, 1000n, 0n, 100n)])
    assert.strictEqual(s.shipping, 500n)
    assert.strictEqual(s.tax, 150n)
    assert.strictEqual(s.total, 1650n)
    assert.deepStrictEqual(SaleMoney.violations(s), [])
  })

  it("puts the per-unit rounding remainder in the line discount, deterministically", () => {
    // 3 × 10.00 including 20 %: tax 5.00, net 25.00 = 3 × 8.34 − 0.02.
    const s = TaxExclusive.fromTaxIncluded(sale({ taxesIncluded: true, lines: [line(3, 1000n, 0n, 500n)] }))
    assert.deepStrictEqual(s.lines, [line(3, 834n, 2n, 500n)])
    assert.strictEqual(s.subtotal, 2502n)
    assert.strictEqual(s.discount, 2n)
    assert.strictEqual(s.total, 3000n)
    assert.deepStrictEqual(SaleMoney.violations(s), [])
  })

  it("keeps order-level discounts whole: their tax is inside the line taxes", () => {
    // 110.00 including 10 %, 11.00 order discount: the customer pays 99.00 of which 9.00 tax.
    const s = TaxExclusive.fromTaxIncluded(sale({ taxesIncluded: true, lines: [line(1, 11000n, 0n, 900n)], orderDiscount: 1100n }))
    assert.strictEqual(s.total, 9900n)
    assert.strictEqual(s.tax, 900n)
    assert.strictEqual(SaleMoney.orderLevelDiscount(s), 1100n)
    assert.deepStrictEqual(SaleMoney.violations(s), [])
  })

  it("spreads an order-level tax that no line carries over the lines and shipping", () => {
    const s = TaxExclusive.fromTaxIncluded(
      sale({ taxesIncluded: true, lines: [line(1, 2000n, 0n, 0n), line(1, 1000n, 0n, 0n)], shipping: 1000n, tax: 401n })
    )
    assert.deepStrictEqual(s.lines.map((l) => l.tax), [201n, 100n])
    assert.strictEqual(s.shippingTax, 100n)
    assert.deepStrictEqual(SaleMoney.violations(s), [])
  })

  it("leaves a tax-excluded sale alone", () => {
    const s = sale({ taxesIncluded: false, lines: [line(2, 1200n, 0n, 240n)], shipping: 500n, shippingTax: 50n })
    assert.strictEqual(TaxExclusive.fromTaxIncluded(s), s)
  })
})

describe("StripTaxes.strip", () => {
  it("a tax-excluded order (FACTS §2.3 paidTaxShipping): no tax, no tax rows, total without tax", () => {
    // 2 × 12.00 at 10 %, shipping 5.00 at 10 %: tax 2.90, total 31.90.
    const original = sale({ taxesIncluded: false, lines: [line(2, 1200n, 0n, 240n)], shipping: 500n, shippingTax: 50n })
    assert.strictEqual(original.total, 3190n)
    const { sale: s, stripped } = StripTaxes.strip(original)
    assert.strictEqual(stripped, 290n)
    assert.strictEqual(s.tax, 0n)
    assert.deepStrictEqual(s.taxes, [])
    assert.deepStrictEqual(s.lines, [line(2, 1200n, 0n, 0n)])
    assert.strictEqual(s.shipping, 500n)
    assert.strictEqual(s.shippingTax, 0n)
    assert.strictEqual(s.total, 2900n)
    assert.deepStrictEqual(s.tenders, [{ tender: "gateway0", amount: 2900n }])
    assert.deepStrictEqual(SaleMoney.violations(s), [])
  })

  it("a tax-included order with shipping and discounts adds up to the cent", () => {
    // 3 × 10.00 incl. 20 % with a 1.00 line discount (tax 4.83), shipping 6.00 incl. 1.00, 2.00 order discount.
    const original = sale({
      taxesIncluded: true,
      lines: [line(3, 1000n, 100n, 483n), line(1, 1999n, 0n, 333n)],
      orderDiscount: 200n,
      shipping: 600n,
      shippingTax: 100n
    })
    const { sale: s, stripped } = StripTaxes.strip({ ...original, tenders: [{ tender: "card", amount: original.total - 1000n }, { tender: "gift_card", amount: 1000n }] })
    assert.strictEqual(stripped, 916n)
    assert.strictEqual(s.total, original.total - 916n)
    assert.deepStrictEqual(SaleMoney.violations(s), [])
    assert.strictEqual(s.subtotal - s.discount + s.shipping, s.total)
    assert.strictEqual(s.shipping, 500n)
    assert.strictEqual(C.sum(s.tenders.map((t) => t.amount)), s.total, "a fully paid sale still balances")
    assert.isTrue(s.lines.every((l) => l.discount >= 0n && l.tax === 0n))
  })

  it("a sale not fully paid keeps its tenders", () => {
    const original = sale({ taxesIncluded: false, lines: [line(1, 1000n, 0n, 100n)], paid: [500n] })
    assert.deepStrictEqual(StripTaxes.strip(original).sale.tenders, original.tenders)
  })

  it("random orders, tax-included and excluded, always add up to the cent", () => {
    // A deterministic generator (xorshift) so a failure is reproducible.
    let state = 0x2545f491
    const next = (n: number): number => {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      return Math.abs(state) % n
    }
    for (let i = 0; i < 2000; i++) {
      const included = next(2) === 0
      const rate = [0, 5, 8, 13, 20, 25][next(6)] ?? 0
      const lines = Array.from({ length: 1 + next(4) }, () => {
        const quantity = 1 + next(5)
        const unit = BigInt(1 + next(50000))
        const discount = BigInt(next(2) === 0 ? 0 : next(Number(unit) * quantity))
        const gross = BigInt(quantity) * unit - discount
        const tax = included ? (gross * BigInt(rate) + BigInt(Math.floor((100 + rate) / 2))) / BigInt(100 + rate) : (gross * BigInt(rate) + 50n) / 100n
        return line(quantity, unit, discount, tax)
      })
      const shipping = BigInt(next(3) === 0 ? 0 : next(3000))
      const shippingTax = included ? (shipping * BigInt(rate)) / BigInt(100 + rate) : (shipping * BigInt(rate)) / 100n
      const merchandise = C.sum(lines.map((l) => l.extended))
      const orderDiscount = BigInt(next(3) === 0 ? next(Number(merchandise) + 1) : 0)
      const fudge = BigInt(next(5)) - 2n // Shopify's order-level tax rounding may differ by a few cents
      const lineTax = C.sum(lines.map((l) => l.tax)) + shippingTax
      const tax = lineTax + fudge < 0n ? lineTax : lineTax + fudge
      const original = sale({ taxesIncluded: included, lines, orderDiscount, shipping, shippingTax, tax })
      const context = JSON.stringify(original, (_, v) => (typeof v === "bigint" ? v.toString() : v))

      const exclusive = SaleMoney.reconcileTax(TaxExclusive.fromTaxIncluded(original))
      assert.deepStrictEqual(SaleMoney.violations(exclusive), [], context)
      assert.strictEqual(exclusive.total, original.total, context)
      assert.strictEqual(exclusive.tax, original.tax, context)
      assert.isTrue(exclusive.lines.every((l) => l.discount >= 0n), context)

      const { sale: s, stripped } = StripTaxes.strip(original)
      assert.deepStrictEqual(SaleMoney.violations(s), [], context)
      assert.strictEqual(stripped, original.tax, context)
      assert.strictEqual(s.total, original.total - original.tax, context)
      assert.strictEqual(s.tax, 0n)
      assert.strictEqual(C.sum(s.tenders.map((t) => t.amount)), s.total, context)
      assert.isTrue(s.lines.every((l) => l.discount >= 0n && l.tax === 0n), context)
      assert.strictEqual(SaleMoney.orderLevelDiscount(s), orderDiscount, context)
    }
  })
})
