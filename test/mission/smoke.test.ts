import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as H from "./support/MissionHarness.js"
import * as Store from "./support/ShopifyStore.js"

describe("mission smoke", () => {
  it.scopedLive("an order from a customer matching Edge by email becomes a web sale and a link", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const edgeId = yield* H.insertCustomer(m, { first_name: "Ann", last_name: "Lee", email: " ANN.LEE@example.com " })
      const shopper = yield* Store.createCustomer(m.admin, { firstName: "Ann", lastName: "Lee", email: "ann.lee@example.com" })
      yield* Store.createOrder(m.admin, {
        customerId: shopper,
        lines: [{ sku: "RING-1", title: "Gold ring", quantity: 2, price: "12.00", taxes: [[0.1, "2.40"]] }],
        shipping: { price: "5.00", taxes: [[0.1, "0.50"]] },
        paid: { gateway: "manual", amount: "31.90" }
      })
      const summary = yield* m.run("web-sales-to-edge")
      console.log(JSON.stringify(summary.counts), summary.error)
      const sales = yield* m.sql("SELECT * FROM sales WHERE kind = 'web'")
      console.log(sales)
      const links = yield* m.sql("SELECT * FROM customer_web_links")
      console.log(links)
      assert.strictEqual(sales.length, 1)
      assert.strictEqual(Number(sales[0]!.customer_id), edgeId)
    }), 60_000)
})
