// Source `shopify.customers` against the emulator: every customer once, contact fields as Shopify
// stores them, and a change that the search index shows late is still read on the next run.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { customers } from "../../connectors/shopify/CustomersSource.js"
import { adminClient, request } from "./emulator/AdminClient.js"
import { clientLayer, drain, emulator } from "./ShopifyTestKit.js"

describe("shopify.customers", () => {
  it.scopedLive("reads every customer once with contact fields and default address", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 40 })
      const { records } = yield* drain(customers({ pageSize: 9 }), Option.none()).pipe(Effect.provide(clientLayer(em)))
      const stored = yield* em.control.customers
      assert.strictEqual(records.length, 40)
      const byId = new Map(records.map((c) => [c.id, c]))
      for (const s of stored) {
        const c = byId.get(s.id)!
        assert.strictEqual(c.email, s.email)
        assert.strictEqual(c.phone, s.phone)
        assert.strictEqual(c.firstName, s.firstName)
        assert.strictEqual(c.state, s.state)
        assert.deepStrictEqual(c.tags, s.tags)
        assert.strictEqual(c.defaultAddress === null, s.defaultAddressId === null)
        assert.strictEqual(c.updatedAt.toISOString().replace(".000Z", "Z"), s.updatedAt)
      }
    }))

  it.scopedLive("reads a change the search index shows late on the next run, once", () =>
    Effect.gen(function*() {
      // The emulator's clock is moved by hand, so the lag does not depend on how fast this machine is.
      const em = yield* emulator({ seedCustomers: 10, searchLagMillis: 5_000, clock: { manualStart: Date.now() } })
      const source = customers()
      const first = yield* drain(source, Option.none()).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(first.records.length, 10)
      const target = first.records[3]!
      const answer = yield* request(
        adminClient(em),
        `mutation U($input: CustomerInput!) { customerUpdate(input: $input) { customer { id updatedAt } userErrors { field message } } }`,
        { input: { id: target.id, firstName: "Renamed" } }
      )
      assert.isUndefined(answer.errors)
      const tooSoon = yield* drain(source, first.next).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(tooSoon.records.length, 0, "not in the search index yet")
      yield* em.control.advanceClock(5_001)
      const later = yield* drain(source, tooSoon.next).pipe(Effect.provide(clientLayer(em)))
      assert.deepStrictEqual(later.records.map((c) => [c.id, c.firstName]), [[target.id, "Renamed"]])
      const again = yield* drain(source, later.next).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(again.records.length, 0)
    }))
})
