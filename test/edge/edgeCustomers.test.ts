// EdgeCustomers, MatchDecisions and ContactConflicts on MariaDB and SQLite: creating customers
// idempotently by origin, "Assign to Web Upload" by ids and by lifetime spend, and the decision and
// conflict records the mission pipelines keep.
import { layer } from "@effect/vitest"
import { BigDecimal, Effect } from "effect"
import { assert } from "vitest"
import { ContactConflicts } from "../../connectors/edge/ContactConflicts.js"
import { empty } from "../../connectors/edge/ContactFields.js"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import { EdgeCustomers } from "../../connectors/edge/EdgeCustomers.js"
import { MatchDecisions } from "../../connectors/edge/MatchDecisions.js"
import { seed } from "../../connectors/edge/Seed.js"
import { backends, edgeLayer } from "./support/EdgeBackends.js"
import { edgeInsertCustomer, nasty, query } from "./support/Fixtures.js"

for (const backend of backends) {
  layer(edgeLayer(backend), { excludeTestServices: true, timeout: "60 seconds" })(`Edge customer services on ${backend.name}`, (it) => {
    it.effect("createCustomer creates once per origin, stores text verbatim and is found by lookups at once", () =>
      Effect.gen(function*() {
        const customers = yield* EdgeCustomers
        const lookup = yield* CustomerLookup
        yield* lookup.refreshIndex("US")
        const fields = { ...empty, first_name: nasty, last_name: "Guest", email: "Guest.Buyer@Example.com", phone_cell: "+1 415 555 0134", country: "US" }
        const origin = "gid://shopify/Order/900001"
        const first = yield* customers.createCustomer({ fields, origin, notes: "from a guest checkout" })
        const second = yield* customers.createCustomer({ fields, origin })
        assert.isTrue(first.created)
        assert.deepStrictEqual(second, { customerId: first.customerId, created: false })
        const [row] = yield* query<{ first_name: string; email: string; notes: string; web_upload: number }>(
          "SELECT first_name, email, notes, web_upload FROM customers WHERE customer_id = ?",
          [first.customerId]
        )
        assert.strictEqual(row?.first_name, nasty)
        assert.strictEqual(row?.email, "Guest.Buyer@Example.com")
        assert.strictEqual(Number(row?.web_upload), 0)
        const [found] = yield* lookup.lookup([{ email: "guest.buyer@example.com", phone: "(415) 555-0134" }], { defaultCountry: "US" })
        assert.deepStrictEqual(found?.candidates.map((c) => c.customerId), [first.customerId])
        const refused = yield* Effect.flip(customers.createCustomer({ fields: { ...fields, country: "USA" }, origin: "gid://shopify/Order/900002" }))
        assert.strictEqual(refused.classification, "record")
        assert.match(refused.message, /country/)
      }))

    it.effect("linkCustomer links a created customer like the sink does; unlinkCustomers removes links", () =>
      Effect.gen(function*() {
        const customers = yield* EdgeCustomers
        const created = yield* customers.createCustomer({ fields: { ...empty, email: "linked@example.com" }, origin: "gid://shopify/Customer/555001" })
        const outcome = yield* customers.linkCustomer({
          customer_id: created.customerId,
          shopify_customer_id: "gid://shopify/Customer/555001",
          link_method: "created",
          snapshot: { ...empty, email: "linked@example.com" },
          invite_sent_at: null,
          pushed: false,
          pulled: true
        })
        assert.deepStrictEqual(outcome, { _tag: "Written", action: "linked" })
        const [link] = yield* query<{ link_method: string }>("SELECT link_method FROM customer_web_links WHERE customer_id = ?", [created.customerId])
        assert.strictEqual(link?.link_method, "created")
        assert.strictEqual(yield* customers.unlinkCustomers([created.customerId, 123_456_789]), 1)
        assert.strictEqual((yield* query("SELECT 1 FROM customer_web_links WHERE customer_id = ?", [created.customerId])).length, 0)
        assert.strictEqual(yield* customers.unlinkCustomers([created.customerId]), 0)
      }))

    it.effect("MatchDecisions records (replacing by key) and lists newest first with filters", () =>
      Effect.gen(function*() {
        const decisions = yield* MatchDecisions
        const base = {
          pipeline: "web-sales-to-edge",
          runId: "run-7",
          shopifyCustomerId: "gid://shopify/Customer/1",
          shopifyOrderId: null,
          note: nasty
        }
        yield* decisions.record([
          { ...base, key: "order:1", decidedAt: new Date("2026-04-01T10:00:00.123Z"), edgeCustomerId: 5, rule: "phone", candidates: [5, 9], ambiguous: true },
          { ...base, key: "order:2", decidedAt: new Date("2026-04-02T10:00:00Z"), edgeCustomerId: 7, rule: "email", candidates: [7], ambiguous: false }
        ])
        yield* decisions.record([
          { ...base, key: "order:1", decidedAt: new Date("2026-04-03T10:00:00Z"), edgeCustomerId: 9, rule: "email+phone", candidates: [9, 5], ambiguous: true }
        ])
        const all = yield* decisions.list()
        assert.deepStrictEqual(all.map((d) => d.key), ["order:1", "order:2"])
        assert.strictEqual(all[0]?.edgeCustomerId, 9)
        assert.deepStrictEqual(all[0]?.candidates, [9, 5])
        assert.strictEqual(all[0]?.note, nasty)
        assert.strictEqual(all[0]?.decidedAt.toISOString(), "2026-04-03T10:00:00.000Z")
        assert.deepStrictEqual((yield* decisions.list({ ambiguousOnly: true })).map((d) => d.key), ["order:1"])
        assert.deepStrictEqual((yield* decisions.list({ since: new Date("2026-04-03T00:00:00Z") })).map((d) => d.key), ["order:1"])
        assert.deepStrictEqual((yield* decisions.list({ edgeCustomerId: 7 })).map((d) => d.key), ["order:2"])
        assert.deepStrictEqual((yield* decisions.list({ limit: 1 })).length, 1)
      }))

    it.effect("ContactConflicts records and lists", () =>
      Effect.gen(function*() {
        const conflicts = yield* ContactConflicts
        yield* conflicts.record([{
          key: "42:email:2026-04-01",
          detectedAt: new Date("2026-04-01T00:00:00Z"),
          pipeline: "customers-from-shopify",
          runId: "run-1",
          customerId: 42,
          shopifyCustomerId: "gid://shopify/Customer/42",
          field: "email",
          base: "a@example.com",
          edge: "b@example.com",
          shopify: nasty,
          resolution: "edge-wins",
          chosen: "b@example.com"
        }])
        const [conflict] = yield* conflicts.list({ customerId: 42 })
        assert.strictEqual(conflict?.field, "email")
        assert.strictEqual(conflict?.shopify, nasty)
        assert.strictEqual(conflict?.resolution, "edge-wins")
        assert.strictEqual((yield* conflicts.list({ runId: "other" })).length, 0)
      }))

    it.effect("assign web upload by ids and by top lifetime spend, with a preview first", () =>
      Effect.gen(function*() {
        yield* seed({ customers: 300, sales: 900, items: 20, webUploadShare: 0, reset: true })
        const customers = yield* EdgeCustomers
        const preview = yield* customers.previewWebUpload({ _tag: "TopSpenders", count: 5 })
        assert.strictEqual(preview.candidates.length, 5)
        const spends = preview.candidates.map((c) => c.lifetimeSpend)
        for (let i = 1; i < spends.length; i++) assert.isTrue(BigDecimal.greaterThanOrEqualTo(spends[i - 1]!, spends[i]!))
        const [flaggedBefore] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM customers WHERE web_upload = 1")
        assert.strictEqual(Number(flaggedBefore?.n), 0, "a preview changes nothing")
        // The top spender's sum, recomputed exactly from its sales.
        const top = preview.candidates[0]!
        const totals = yield* query<{ total: string }>("SELECT total FROM sales WHERE customer_id = ? AND status <> 'void'", [top.customerId])
        const sum = totals.reduce((acc, row) => BigDecimal.sum(acc, BigDecimal.unsafeFromString(String(row.total))), BigDecimal.fromBigInt(0n))
        assert.isTrue(BigDecimal.equals(sum, top.lifetimeSpend))
        const result = yield* customers.assignWebUpload({ _tag: "TopSpenders", count: 5 })
        assert.strictEqual(result.flagged, 5)
        assert.strictEqual((yield* customers.assignWebUpload({ _tag: "TopSpenders", count: 5 })).flagged, 0, "idempotent")
        const lonely = yield* edgeInsertCustomer({ first_name: "No", last_name: "Sales" })
        const byIds = yield* customers.assignWebUpload({ _tag: "Ids", ids: [lonely, 99_999_999] })
        assert.strictEqual(byIds.flagged, 1)
        assert.deepStrictEqual(byIds.missingIds, [99_999_999])
        assert.strictEqual(byIds.candidates[0]?.name, "No Sales")
        assert.isTrue(BigDecimal.isZero(byIds.candidates[0]!.lifetimeSpend))
      }))
  })
}
