// Line items no shop could sell, for the cases the emulator cannot even render (a quantity of 0 makes
// its per-unit price a division by zero, as it would be for Shopify): the mapping to a web sale refuses
// them with the reason, before any arithmetic. The corpus run (orders.test.ts) covers the rest end to end.
import { assert, describe, it } from "@effect/vitest"
import { BigDecimal, Either } from "effect"
import type { OrderView } from "../../../pipelines/transforms/OrderToWebSale.js"
import * as OrderToWebSale from "../../../pipelines/transforms/OrderToWebSale.js"

const $ = (amount: string) => BigDecimal.unsafeFromString(amount)

const order: OrderView = {
  id: "gid://shopify/Order/1",
  name: "#1001",
  processedAt: new Date("2026-05-01T10:00:00Z"),
  updatedAt: new Date("2026-05-01T10:00:01Z"),
  cancelledAt: null,
  currency: "USD",
  taxesIncluded: false,
  financialStatus: "PAID",
  total: $("20"),
  totalTax: $("0"),
  totalDiscounts: $("0"),
  totalShipping: $("0"),
  taxLines: [],
  shippingLines: [],
  lineItems: [
    { sku: "A", name: "Ring", quantity: 1, originalUnitPrice: $("10"), totalDiscount: $("0"), taxLines: [] },
    { sku: "B", name: "Chain", quantity: 1, originalUnitPrice: $("10"), totalDiscount: $("0"), taxLines: [] }
  ],
  transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amount: $("20") }]
}

const refused = (o: OrderView): ReadonlyArray<string> => {
  const result = OrderToWebSale.toWebSale(o)
  if (Either.isRight(result)) return assert.fail("expected the order to be refused")
  return result.left
}

const withLine = (i: number, change: Partial<OrderView["lineItems"][number]>): OrderView => ({
  ...order,
  lineItems: order.lineItems.map((l, n) => (n === i ? { ...l, ...change } : l))
})

describe("hostile line items", () => {
  it("the order as given is a sale (the cases below differ from it in one line)", () => {
    assert.isTrue(Either.isRight(OrderToWebSale.toWebSale(order)))
  })

  for (
    const [name, o, reason] of [
      ["a quantity of 0", withLine(1, { quantity: 0 }), "line 2 (Chain) has quantity 0; a sold quantity must be a whole number of at least 1"],
      ["a fractional quantity", withLine(0, { quantity: 1.5 }), "line 1 (Ring) has quantity 1.5"],
      ["a quantity beyond exact integers", withLine(0, { quantity: 2 ** 60 }), `line 1 (Ring) has quantity ${2 ** 60}`],
      ["a negative discount (a hidden surcharge)", withLine(1, { totalDiscount: $("-3") }), "line 2 (Chain) has a negative discount (-3)"],
      ["no lines", { ...order, lineItems: [] }, "the order has no line items"],
      ["a discount larger than the line", { ...order, total: $("7"), totalDiscounts: $("13"), lineItems: [order.lineItems[0]!, { ...order.lineItems[1]!, totalDiscount: $("13") }] },
        "line 2 (Chain) has a discount (13.00) larger than its price (1 × 10.00)"],
      ["negative shipping", { ...order, total: $("15"), totalShipping: $("-5"), shippingLines: [{ price: $("-5"), discountedPrice: $("-5"), taxLines: [] }] },
        "shipping (-5.00) is negative"],
      ["a negative tax", {
        ...order,
        total: $("19"),
        totalTax: $("-1"),
        taxLines: [{ title: "T", rate: 0.1, amount: $("-1") }],
        lineItems: [{ ...order.lineItems[0]!, taxLines: [{ title: "T", rate: 0.1, amount: $("-1") }] }, order.lineItems[1]!]
      }, "total tax (-1.00) is negative"],
      ["a tax-included price holding more tax than it costs", {
        ...order,
        taxesIncluded: true,
        totalTax: $("15"),
        taxLines: [{ title: "T", rate: 1.5, amount: $("15") }],
        lineItems: [{ ...order.lineItems[0]!, taxLines: [{ title: "T", rate: 1.5, amount: $("15") }] }, order.lineItems[1]!]
      }, "line 1 (Ring) includes more tax (15.00) than it costs (10.00)"]
    ] as const
  ) {
    it(`refuses ${name}`, () => {
      const problems = refused(o)
      assert.isTrue(problems.some((p) => p.includes(reason)), `${JSON.stringify(problems)} has "${reason}"`)
    })
  }

  it("names every bad line, not just the first", () => {
    const problems = refused({ ...order, lineItems: order.lineItems.map((l) => ({ ...l, quantity: -1 })) })
    assert.deepStrictEqual(problems.length, 2)
  })
})
