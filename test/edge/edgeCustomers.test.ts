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
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import * as CustomerStatements from "../../connectors/edge/sql/CustomerStatements.js"
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

    it.effect("createCustomers creates a batch in one go: one customer per origin, in input order, indexed at once", () =>
      Effect.gen(function*() {
        const customers = yield* EdgeCustomers
        const lookup = yield* CustomerLookup
        yield* lookup.refreshIndex("US")
        const earlier = yield* customers.createCustomer({ fields: { ...empty, email: "earlier@example.com" }, origin: "batch:earlier" })
        const person = (n: number) => ({ ...empty, first_name: `Batch ${n}`, email: `batch.${n}@example.com`, phone_home: `(415) 555-02${String(n).padStart(2, "0")}` })
        const inputs = [
          { fields: person(1), origin: "batch:1", notes: "first" },
          { fields: person(2), origin: "batch:2" },
          // The same buyer again (a second order in the batch): the same customer, the first input's fields.
          { fields: { ...person(1), first_name: "Batch 1 again" }, origin: "batch:1" },
          // Created by an earlier batch: found, not created.
          { fields: { ...empty, email: "earlier@example.com" }, origin: "batch:earlier" },
          // Edge cannot store it: this input alone fails.
          { fields: { ...person(3), country: "USA" }, origin: "batch:3" },
          ...Array.from({ length: 40 }, (_, i) => ({ fields: person(10 + i), origin: `batch:${10 + i}` }))
        ]
        const results = yield* customers.createCustomers(inputs)
        assert.strictEqual(results.length, inputs.length)
        const ok = results.map((r) => (r._tag === "Right" ? r.right : undefined))
        assert.isTrue(ok[0]?.created)
        assert.isTrue(ok[1]?.created)
        assert.deepStrictEqual(ok[2], { customerId: ok[0]!.customerId, created: false })
        assert.deepStrictEqual(ok[3], { customerId: earlier.customerId, created: false })
        assert.strictEqual(results[4]?._tag, "Left")
        if (results[4]?._tag === "Left") assert.strictEqual(results[4].left.field, "country")
        const createdIds = ok.flatMap((c) => (c?.created === true ? [c.customerId] : []))
        assert.strictEqual(createdIds.length, 42)
        assert.strictEqual(new Set(createdIds).size, 42)
        // Each id holds the row of its own input.
        const rows = yield* query<{ customer_id: number; first_name: string; email: string; notes: string | null }>(
          `SELECT customer_id, first_name, email, notes FROM customers WHERE customer_id IN (${createdIds.join(", ")})`
        )
        const byId = new Map(rows.map((r) => [Number(r.customer_id), r]))
        inputs.forEach((input, i) => {
          const c = ok[i]
          if (c === undefined || !c.created) return
          assert.strictEqual(byId.get(c.customerId)?.email, input.fields.email, input.origin)
          assert.strictEqual(byId.get(c.customerId)?.first_name, input.fields.first_name, input.origin)
        })
        assert.strictEqual(byId.get(ok[0]!.customerId)?.notes, "first")
        // The match-key index knows them already (email and phone), without a refresh in between.
        const found = yield* lookup.lookup(
          [{ email: "BATCH.2@example.com" }, { phone: "+1 415 555 0249" }],
          { defaultCountry: "US" }
        )
        assert.deepStrictEqual(found.map((f) => f.candidates.map((c) => c.customerId)), [[ok[1]!.customerId], [ok[inputs.length - 1]!.customerId]])
        // Replayed (a retried batch): the same customers, none created.
        const again = yield* customers.createCustomers(inputs)
        assert.deepStrictEqual(
          again.map((r) => (r._tag === "Right" ? r.right.customerId : null)),
          ok.map((c) => c?.customerId ?? null)
        )
        assert.isTrue(again.every((r) => r._tag === "Left" || !r.right.created))
        assert.deepStrictEqual(yield* customers.createCustomers([]), [])
      }))

    it.effect("new customers' ids: a multi-row INSERT's derived ids (also with an increment of 3), and one statement each", () =>
      Effect.gen(function*() {
        const db = yield* EdgeDb
        const rows = (tag: string) =>
          Array.from({ length: 7 }, (_, i) => ({ ...empty, first_name: `${tag} ${i}`, email: i === 3 ? null : `${tag}.${i}@example.com`, notes: i === 5 ? null : `note ${i}` }))
        const check = (ids: ReadonlyArray<number>, expected: ReadonlyArray<CustomerStatements.NewCustomerRow>) =>
          Effect.gen(function*() {
            assert.strictEqual(new Set(ids).size, expected.length)
            assert.isTrue(yield* CustomerStatements.insertedAs(db, ids, expected))
            // And it can say no: the same ids do not hold the rows in another order.
            assert.isFalse(yield* CustomerStatements.insertedAs(db, [...ids].reverse(), expected))
          })
        yield* db.transaction("test", Effect.gen(function*() {
          const a = rows("Rows")
          yield* check(yield* CustomerStatements.insertRows(db, a), a)
          const b = rows("Each")
          yield* check(yield* CustomerStatements.insertEach(db, b), b)
          if (db.dialect.name === "mysql") {
            // A server with auto_increment_increment > 1 (multi-primary replication) spaces the ids.
            yield* db.sql.unsafe("SET SESSION auto_increment_increment = 3")
            const c = rows("Spaced")
            const ids = yield* CustomerStatements.insertRows(db, c)
            yield* db.sql.unsafe("SET SESSION auto_increment_increment = 1")
            assert.strictEqual(ids[1]! - ids[0]!, 3)
            yield* check(ids, c)
          }
        })).pipe(Effect.orDie)
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
