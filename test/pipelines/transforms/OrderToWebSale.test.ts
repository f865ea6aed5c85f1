import { assert, describe, it } from "@effect/vitest"
import { BigDecimal, Either, Option } from "effect"
import type { OrderView } from "../../../pipelines/transforms/OrderToWebSale.js"
import * as OrderToWebSale from "../../../pipelines/transforms/OrderToWebSale.js"
import * as OrderCustomer from "../../../pipelines/transforms/OrderCustomer.js"
import * as SaleMoney from "../../../pipelines/transforms/SaleMoney.js"

const $ = (amount: string) => BigDecimal.unsafeFromString(amount)
const tax = (amount: string, rate = 0.1) => ({ title: "GST", rate, amount: $(amount) })

// FACTS §2.3 `paidTaxShipping`: 2 × 12.00 at 10 %, shipping 5.00 at 10 %, paid through `manual`.
const base: OrderView = {
  id: "gid://shopify/Order/1",
  name: "#1001",
  processedAt: new Date("2026-05-01T10:00:00Z"),
  updatedAt: new Date("2026-05-01T10:00:01Z"),
  cancelledAt: null,
  currency: "CAD",
  taxesIncluded: false,
  financialStatus: "PAID",
  total: $("31.9"),
  totalTax: $("2.9"),
  totalDiscounts: $("0.0"),
  totalShipping: $("5.0"),
  taxLines: [tax("2.9")],
  shippingLines: [{ price: $("5.0"), discountedPrice: $("5.0"), taxLines: [tax("0.5")] }],
  lineItems: [{ sku: "RING-1", name: "Gold ring", quantity: 2, originalUnitPrice: $("12.0"), totalDiscount: $("0.0"), taxLines: [tax("2.4")] }],
  transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amount: $("31.9") }]
}

const ok = (order: OrderView) => {
  const result = OrderToWebSale.toWebSale(order)
  if (Either.isLeft(result)) assert.fail(result.left.join("; "))
  return result.right
}

describe("OrderToWebSale.toWebSale", () => {
  it("maps a tax-excluded order with shipping (FACTS §2.3)", () => {
    const sale = ok(base)
    assert.strictEqual(sale.shopifyOrderId, "gid://shopify/Order/1")
    assert.strictEqual(sale.saleNo, "#1001")
    assert.strictEqual(sale.status, "paid")
    assert.strictEqual(sale.currency, "CAD")
    const m = sale.money
    assert.deepStrictEqual(
      [m.subtotal, m.discount, m.shipping, m.shippingTax, m.tax, m.total],
      [2400n, 0n, 500n, 50n, 290n, 3190n]
    )
    assert.deepStrictEqual(m.lines, [{ sku: "RING-1", description: "Gold ring", quantity: 2, unitPrice: 1200n, discount: 0n, tax: 240n, extended: 2400n }])
    assert.deepStrictEqual(m.taxes, [{ title: "GST", rate: 0.1, amount: 290n }])
    assert.deepStrictEqual(m.tenders, [{ tender: "manual", amount: 3190n }])
    assert.deepStrictEqual(SaleMoney.violations(m), [])
  })

  it("line, order-level and shipping discounts add up to Shopify's total", () => {
    // 2 × 50.00 with 10.00 off the line, a 5.00 code discount on a second line, free shipping (was 8.00).
    const sale = ok({
      ...base,
      taxesIncluded: false,
      totalDiscounts: $("23.00"),
      totalShipping: $("0.00"),
      totalTax: $("0.00"),
      taxLines: [],
      shippingLines: [{ price: $("8.00"), discountedPrice: $("0.00"), taxLines: [] }],
      lineItems: [
        { sku: "A", name: "Pendant", quantity: 2, originalUnitPrice: $("50.00"), totalDiscount: $("10.00"), taxLines: [] },
        { sku: "B", name: "Chain", quantity: 1, originalUnitPrice: $("20.00"), totalDiscount: $("5.00"), taxLines: [] }
      ],
      total: $("105.00"),
      transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "shopify_payments", amount: $("105.00") }]
    })
    assert.deepStrictEqual([sale.money.subtotal, sale.money.discount, sale.money.shipping, sale.money.total], [12000n, 1500n, 0n, 10500n])
    assert.deepStrictEqual(sale.money.lines.map((l) => l.extended), [9000n, 1500n])
  })

  it("turns a tax-included order into the tax-exclusive form, same total", () => {
    // 1 × 110.00 including 10 % (10.00), shipping 11.00 including 1.00.
    const sale = ok({
      ...base,
      taxesIncluded: true,
      total: $("121.00"),
      totalTax: $("11.00"),
      totalShipping: $("11.00"),
      taxLines: [tax("11.00")],
      shippingLines: [{ price: $("11.00"), discountedPrice: $("11.00"), taxLines: [tax("1.00")] }],
      lineItems: [{ sku: "W-9", name: "Watch", quantity: 1, originalUnitPrice: $("110.00"), totalDiscount: $("0"), taxLines: [tax("10.00")] }],
      transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "paypal", amount: $("121.00") }]
    })
    const m = sale.money
    assert.isFalse(m.taxesIncluded)
    assert.deepStrictEqual([m.subtotal, m.shipping, m.tax, m.total], [10000n, 1000n, 1100n, 12100n])
    assert.deepStrictEqual(SaleMoney.violations(m), [])
  })

  it("keeps an unknown or missing SKU with its description", () => {
    const sale = ok({
      ...base,
      lineItems: [{ ...base.lineItems[0]!, sku: "  ", name: "Custom engraving" }]
    })
    assert.strictEqual(sale.money.lines[0]?.sku, null)
    assert.strictEqual(sale.money.lines[0]?.description, "Custom engraving")
  })

  it("status from cancellation and financial status", () => {
    const table: ReadonlyArray<[string | null, boolean, OrderToWebSale.SaleStatus]> = [
      ["PAID", false, "paid"],
      ["PARTIALLY_REFUNDED", false, "partially_refunded"],
      ["REFUNDED", false, "refunded"],
      ["VOIDED", false, "void"],
      ["EXPIRED", false, "void"],
      ["PENDING", false, "open"],
      ["AUTHORIZED", false, "open"],
      ["PARTIALLY_PAID", false, "open"],
      [null, false, "open"],
      ["PAID", true, "void"],
      ["REFUNDED", true, "void"]
    ]
    for (const [financial, cancelled, expected] of table) {
      assert.strictEqual(
        OrderToWebSale.status({ financialStatus: financial, cancelledAt: cancelled ? new Date() : null }),
        expected,
        `${financial} cancelled=${cancelled}`
      )
    }
  })

  it("tenders: successful money movements by gateway, refunds subtract, the rest ignored", () => {
    const sale = ok({
      ...base,
      financialStatus: "PARTIALLY_REFUNDED",
      transactions: [
        { kind: "AUTHORIZATION", status: "SUCCESS", gateway: "shopify_payments", amount: $("21.90") },
        { kind: "CAPTURE", status: "SUCCESS", gateway: "shopify_payments", amount: $("21.90") },
        { kind: "SALE", status: "FAILURE", gateway: "gift_card", amount: $("10.00") },
        { kind: "SALE", status: "SUCCESS", gateway: "gift_card", amount: $("10.00") },
        { kind: "REFUND", status: "SUCCESS", gateway: "shopify_payments", amount: $("5.00") },
        { kind: "VOID", status: "SUCCESS", gateway: "shopify_payments", amount: $("1.00") }
      ]
    })
    assert.strictEqual(sale.status, "partially_refunded")
    assert.deepStrictEqual(sale.money.tenders, [{ tender: "shopify_payments", amount: 1690n }, { tender: "gift_card", amount: 1000n }])
    // What was sold is unchanged by the refund.
    assert.strictEqual(sale.money.total, 3190n)
  })

  it("refuses an order whose amounts do not add up, or are not whole cents", () => {
    const wrongTotal = OrderToWebSale.toWebSale({ ...base, total: $("31.80") })
    assert.isTrue(Either.isLeft(wrongTotal))
    if (Either.isLeft(wrongTotal)) assert.include(wrongTotal.left.join(" "), "total 31.80")
    const subCent = OrderToWebSale.toWebSale({ ...base, totalTax: $("2.905") })
    assert.isTrue(Either.isLeft(subCent))
    if (Either.isLeft(subCent)) assert.include(subCent.left.join(" "), "total tax (2.905) is not a whole number of cents")
  })
})

describe("OrderCustomer", () => {
  const address = (fields: Partial<OrderCustomer.AddressView>): OrderCustomer.AddressView => ({
    firstName: null, lastName: null, company: null, address1: null, address2: null, city: null,
    provinceCode: null, countryCode: null, zip: null, phone: null, ...fields
  })

  it("matches a customer's order on the customer's contact first", () => {
    const c = OrderCustomer.contact({
      email: "checkout@example.com",
      phone: null,
      customer: { id: "gid://shopify/Customer/5", firstName: "Lee", lastName: "Park", email: "lee@example.com", phone: "+15550001111" },
      billingAddress: null,
      shippingAddress: null
    }, Option.some(12))
    assert.deepStrictEqual(c.shopifyCustomerId, Option.some("gid://shopify/Customer/5"))
    assert.deepStrictEqual(c.linkedCustomerId, Option.some(12))
    assert.deepStrictEqual(c.email, Option.some("lee@example.com"))
    assert.deepStrictEqual(c.phone, Option.some("+15550001111"))
  })

  it("a guest checkout uses the order's email and phone, then an address phone", () => {
    const c = OrderCustomer.contact({
      email: "guest@example.com",
      phone: " ",
      customer: null,
      billingAddress: address({ phone: "(555) 010-2020" }),
      shippingAddress: null
    }, Option.none())
    assert.isTrue(Option.isNone(c.shopifyCustomerId))
    assert.deepStrictEqual(c.email, Option.some("guest@example.com"))
    assert.deepStrictEqual(c.phone, Option.some("(555) 010-2020"))
  })

  it("a new customer comes from the order's names and addresses", () => {
    const fields = OrderCustomer.newCustomer({
      email: null,
      phone: null,
      customer: null,
      billingAddress: address({ firstName: "Rosa", lastName: "Díaz", city: "Nowhere" }),
      shippingAddress: address({ firstName: "R", lastName: "D", company: "Díaz & Co", address1: "1 Main St", address2: "Apt 2", city: "Springfield", provinceCode: "IL", countryCode: "US", zip: "62701", phone: null })
    })
    assert.strictEqual(fields.first_name, "Rosa")
    assert.strictEqual(fields.last_name, "Díaz")
    assert.strictEqual(fields.address1, "1 Main St", "the address with a street")
    assert.strictEqual(fields.city, "Springfield")
    assert.strictEqual(fields.state, "IL")
    assert.strictEqual(fields.country, "US")
    assert.strictEqual(fields.postal_code, "62701")
    assert.strictEqual(fields.company, "Díaz & Co")
    assert.isNull(fields.email)
    assert.isNull(fields.phone_cell)
  })
})
