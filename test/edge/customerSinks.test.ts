// edge.customerLinks and edge.customerContacts on MariaDB and SQLite: links with method, snapshot and
// times (invite recorded once), conflicts refused, contact values applied with the snapshot, an edit made
// in Edge during the run never overwritten, match keys following the change.
import { layer } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { assert } from "vitest"
import { columnSize, contactFieldNames, type ContactFields, empty, SnapshotJson } from "../../connectors/edge/ContactFields.js"
import { customerContacts } from "../../connectors/edge/CustomerContacts.js"
import { customerLinks } from "../../connectors/edge/CustomerLinks.js"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import * as LinkStatements from "../../connectors/edge/sql/LinkStatements.js"
import { backends, edgeLayer } from "./support/EdgeBackends.js"
import { edgeInsertCustomer, edgeUpdateCustomer, nasty, query, sinkContext } from "./support/Fixtures.js"

let next = 1_000
const gid = () => `gid://shopify/Customer/${++next}`

const linkRow = (customerId: number) =>
  Effect.map(
    query<{
      shopify_customer_id: string
      link_method: string
      linked_at: unknown
      invite_sent_at: unknown
      synced_snapshot: string | Record<string, unknown>
      last_pushed_at: unknown
      last_pulled_at: unknown
    }>("SELECT * FROM customer_web_links WHERE customer_id = ?", [customerId]),
    (rows) => rows[0]
  )

const snapshotOf = (row: { readonly synced_snapshot: string | Record<string, unknown> } | undefined) =>
  Schema.decodeUnknownSync(SnapshotJson)(typeof row?.synced_snapshot === "string" ? row.synced_snapshot : JSON.stringify(row?.synced_snapshot))

for (const backend of backends) {
  layer(edgeLayer(backend), { excludeTestServices: true, timeout: "60 seconds" })(`Edge customer sinks on ${backend.name}`, (it) => {
    it.effect("customerLinks writes method, snapshot and times, clears the upload flag, keeps the first invite", () =>
      Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ first_name: nasty, email: "link@example.com", web_upload: true })
        const shopify = gid()
        const snapshot = { ...empty, first_name: nasty, email: "link@example.com" }
        const invitedAt = new Date("2026-02-03T04:05:06.789Z")
        const { ctx, committed } = sinkContext()
        const first = yield* customerLinks.write(
          [{ customer_id: id, shopify_customer_id: shopify, link_method: "upload", snapshot, invite_sent_at: invitedAt, pushed: true, pulled: false }],
          ctx
        )
        assert.deepStrictEqual(first, [{ _tag: "Written", action: "linked" }])
        assert.strictEqual(committed.length, 1)
        const row = yield* linkRow(id)
        assert.strictEqual(row?.shopify_customer_id, shopify)
        assert.strictEqual(row?.link_method, "upload")
        assert.deepStrictEqual(snapshotOf(row), snapshot)
        assert.isNotNull(row?.last_pushed_at)
        assert.isNull(row?.last_pulled_at)
        const [flag] = yield* query<{ web_upload: number }>("SELECT web_upload FROM customers WHERE customer_id = ?", [id])
        assert.strictEqual(Number(flag?.web_upload), 0)

        // Sent again later with another invite time: the first invite and link time stay.
        const again = yield* customerLinks.write(
          [{ customer_id: id, shopify_customer_id: shopify, link_method: "upload", snapshot: { ...snapshot, city: "Paris" }, invite_sent_at: new Date(), pushed: false, pulled: true }],
          sinkContext().ctx
        )
        assert.deepStrictEqual(again, [{ _tag: "Written", action: "refreshed" }])
        const after = yield* linkRow(id)
        const db = yield* EdgeDb
        const [link] = yield* LinkStatements.byCustomerIds(db, [id])
        assert.strictEqual(link?.invite_sent_at?.startsWith("2026-02-03 04:05:06.789"), true)
        assert.deepStrictEqual(after?.linked_at, row?.linked_at)
        assert.strictEqual(snapshotOf(after).city, "Paris")
        assert.isNotNull(after?.last_pulled_at)
        assert.deepStrictEqual(after?.last_pushed_at, row?.last_pushed_at)
      }))

    it.effect("customerLinks refuses unknown customers and a Shopify id linked elsewhere; relinks move the link", () =>
      Effect.gen(function*() {
        const a = yield* edgeInsertCustomer({ email: "a@example.com" })
        const b = yield* edgeInsertCustomer({ email: "b@example.com" })
        const c = yield* edgeInsertCustomer({ email: "c@example.com" })
        const taken = gid()
        const base = { link_method: "email" as const, snapshot: empty, invite_sent_at: null, pushed: false, pulled: false }
        const outcomes = yield* customerLinks.write([
          { ...base, customer_id: a, shopify_customer_id: taken },
          { ...base, customer_id: b, shopify_customer_id: taken },
          { ...base, customer_id: 987_654_321, shopify_customer_id: gid() },
          { ...base, customer_id: c, shopify_customer_id: "" }
        ], sinkContext().ctx)
        assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Written", "Rejected", "Rejected", "Rejected"])
        assert.match(outcomes[1]?._tag === "Rejected" ? outcomes[1].error.message : "", new RegExp(`already linked to Edge customer ${a}`))
        assert.isUndefined(yield* linkRow(b))
        // Two links for one customer in a batch: the later one wins.
        const twice = yield* customerLinks.write([
          { ...base, customer_id: c, shopify_customer_id: gid() },
          { ...base, customer_id: c, shopify_customer_id: "gid://shopify/Customer/last" }
        ], sinkContext().ctx)
        assert.deepStrictEqual(twice.map((o) => o._tag), ["Skipped", "Written"])
        assert.strictEqual((yield* linkRow(c))?.shopify_customer_id, "gid://shopify/Customer/last")
        const moved = gid()
        const relink = yield* customerLinks.write([{ ...base, customer_id: a, shopify_customer_id: moved }], sinkContext().ctx)
        assert.deepStrictEqual(relink, [{ _tag: "Written", action: "relinked" }])
        assert.strictEqual((yield* linkRow(a))?.shopify_customer_id, moved)
        const db = yield* EdgeDb
        yield* LinkStatements.remove(db, [a])
        assert.isUndefined(yield* linkRow(a))
      }))

    it.effect("customerContacts applies decided values and the snapshot; an edit made in Edge meanwhile is never overwritten", () =>
      Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ first_name: "Old", email: "old@example.com", phone_cell: "555-010-0001" })
        const shopify = gid()
        const before = { ...empty, first_name: "Old", email: "old@example.com", phone_cell: "555-010-0001" }
        yield* customerLinks.write(
          [{ customer_id: id, shopify_customer_id: shopify, link_method: "email", snapshot: before, invite_sent_at: null, pushed: false, pulled: false }],
          sinkContext().ctx
        )
        const lookup = yield* CustomerLookup
        yield* lookup.refreshIndex("US")
        const after = { ...before, first_name: `New ${nasty}`, phone_cell: "+1 555 010 0002" }
        const outcomes = yield* customerContacts.write([{
          customer_id: id,
          changes: [
            { field: "first_name", value: `New ${nasty}`, expected: "Old" },
            { field: "phone_cell", value: "+1 555 010 0002", expected: "555-010-0001" }
          ],
          snapshot: after
        }], sinkContext().ctx)
        assert.deepStrictEqual(outcomes, [{ _tag: "Written", action: "updated" }])
        const [row] = yield* query<{ first_name: string; phone_cell: string }>("SELECT first_name, phone_cell FROM customers WHERE customer_id = ?", [id])
        assert.strictEqual(row?.first_name, `New ${nasty}`)
        assert.strictEqual(row?.phone_cell, "+1 555 010 0002")
        assert.deepStrictEqual(snapshotOf(yield* linkRow(id)), after)
        assert.isNotNull((yield* linkRow(id))?.last_pulled_at)
        // The match keys followed the new phone at once.
        const [byNew, byOld] = yield* lookup.lookup([{ phone: "555-010-0002" }, { phone: "555-010-0001" }], { defaultCountry: "US" })
        assert.deepStrictEqual(byNew?.candidates.map((c) => c.customerId), [id])
        assert.deepStrictEqual(byOld?.candidates.map((c) => c.customerId), [])

        // Staff change the email in Edge while the merge decided on the old value: skipped, nothing written.
        yield* edgeUpdateCustomer(id, { email: "staff@example.com" })
        const stale = yield* customerContacts.write([{
          customer_id: id,
          changes: [{ field: "email", value: "shopify@example.com", expected: "old@example.com" }],
          snapshot: { ...after, email: "shopify@example.com" }
        }], sinkContext().ctx)
        assert.strictEqual(stale[0]?._tag, "Skipped")
        const [kept] = yield* query<{ email: string }>("SELECT email FROM customers WHERE customer_id = ?", [id])
        assert.strictEqual(kept?.email, "staff@example.com")
        assert.deepStrictEqual(snapshotOf(yield* linkRow(id)), after, "snapshot untouched")

        // Only the snapshot moves when the values already agree.
        const same = yield* customerContacts.write(
          [{ customer_id: id, changes: [{ field: "email", value: "staff@example.com", expected: "staff@example.com" }], snapshot: { ...after, email: "staff@example.com" } }],
          sinkContext().ctx
        )
        assert.deepStrictEqual(same, [{ _tag: "Written", action: "snapshot" }])
      }))

    it.effect("every contact field stores metacharacters, RTL and emoji verbatim, up to its column size", () =>
      Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ email: "verbatim@example.com" })
        yield* customerLinks.write(
          [{ customer_id: id, shopify_customer_id: gid(), link_method: "email", snapshot: empty, invite_sent_at: null, pushed: false, pulled: false }],
          sinkContext().ctx
        )
        const fit = (size: number) => [...`${nasty}${nasty}${nasty}${nasty}${nasty}`].slice(0, size).join("")
        const values = Object.fromEntries(contactFieldNames.map((field) => [field, fit(columnSize[field])])) as ContactFields
        const [before] = yield* query<Record<string, string | null>>(`SELECT ${contactFieldNames.join(", ")} FROM customers WHERE customer_id = ?`, [id])
        const outcomes = yield* customerContacts.write([{
          customer_id: id,
          changes: contactFieldNames.map((field) => ({ field, value: values[field], expected: before?.[field] ?? null })),
          snapshot: values
        }], sinkContext().ctx)
        assert.deepStrictEqual(outcomes, [{ _tag: "Written", action: "updated" }])
        const [after] = yield* query<Record<string, string | null>>(`SELECT ${contactFieldNames.join(", ")} FROM customers WHERE customer_id = ?`, [id])
        for (const field of contactFieldNames) assert.strictEqual(after?.[field], values[field], field)
        assert.deepStrictEqual(snapshotOf(yield* linkRow(id)), values)
      }))

    it.effect("customerContacts refuses unknown and unlinked customers and values that do not fit", () =>
      Effect.gen(function*() {
        const unlinked = yield* edgeInsertCustomer({ email: "u@example.com" })
        const linked = yield* edgeInsertCustomer({ email: "l@example.com" })
        yield* customerLinks.write(
          [{ customer_id: linked, shopify_customer_id: gid(), link_method: "phone", snapshot: empty, invite_sent_at: null, pushed: false, pulled: false }],
          sinkContext().ctx
        )
        const outcomes = yield* customerContacts.write([
          { customer_id: 876_543_210, changes: [], snapshot: empty },
          { customer_id: unlinked, changes: [], snapshot: empty },
          { customer_id: linked, changes: [{ field: "postal_code", value: "1".repeat(21), expected: null }], snapshot: empty },
          { customer_id: linked, changes: [{ field: "city", value: "a\u0000b", expected: null }], snapshot: empty }
        ], sinkContext().ctx)
        assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Rejected", "Rejected", "Rejected", "Rejected"])
        const reasons = outcomes.map((o) => (o._tag === "Rejected" ? o.error.message : ""))
        assert.match(reasons[0]!, /names no Edge customer/)
        assert.match(reasons[1]!, /is not linked/)
        assert.match(reasons[2]!, /postal_code is 21 characters long/)
        assert.match(reasons[3]!, /NUL/)
      }))

    it.effect("dry runs plan links and contact updates without writing", () =>
      Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ email: "dry@example.com" })
        const stageContext = { pipeline: "p", runId: "r", stage: "s", dryRun: true }
        const planned = yield* customerLinks.plan!(
          [{ customer_id: id, shopify_customer_id: gid(), link_method: "upload", snapshot: empty, invite_sent_at: null, pushed: true, pulled: false }],
          stageContext
        )
        assert.deepStrictEqual(planned, [{ _tag: "Written", action: "linked" }])
        assert.isUndefined(yield* linkRow(id))
        const contacts = yield* customerContacts.plan!([{ customer_id: id, changes: [], snapshot: empty }], stageContext)
        assert.strictEqual(contacts[0]?._tag, "Rejected")
        assert.isTrue(Option.isNone(Option.fromNullable(yield* linkRow(id))))
      }))
  })
}
