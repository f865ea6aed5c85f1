// edge.customersToUpload on MariaDB and SQLite: who is emitted (flagged and unlinked; linked and changed
// against the snapshot), who is not (unchanged, touched without a synced-field change), and a cursor
// that resumes without duplicates and never loses an edit made during a run.
import { describe, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import { assert } from "vitest"
import { empty, pick } from "../../connectors/edge/ContactFields.js"
import { customerLinks } from "../../connectors/edge/CustomerLinks.js"
import { customersToUpload, type UploadCursor } from "../../connectors/edge/CustomersToUpload.js"
import type { EdgeCustomer } from "../../connectors/edge/EdgeCustomer.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import type { Sourced } from "../../core/Stage.js"
import { backends, sqlite, withEdge } from "./support/EdgeBackends.js"
import { edgeInsertCustomer, edgeUpdateCustomer, pause, query, sinkContext } from "./support/Fixtures.js"

const readFrom = (cursor: Option.Option<UploadCursor>) =>
  Stream.runCollect(
    customersToUpload.read(cursor, { pipeline: "p", runId: "r", stage: "edge.customersToUpload", dryRun: false, limit: Option.none() })
  ).pipe(Effect.map(Chunk.toReadonlyArray))

const idsOf = (items: ReadonlyArray<Sourced<EdgeCustomer, UploadCursor>>) => items.map((item) => item.record.customer_id)

/** Links a customer with a snapshot equal to its current fields, as the upload pipeline would. */
const linkAsUploaded = (customerId: number, gid: string) =>
  Effect.gen(function*() {
    const [row] = yield* query<Record<string, string | null>>(
      "SELECT first_name, last_name, company, email, phone_cell, phone_home, phone_work, address1, address2, city, state, postal_code, country FROM customers WHERE customer_id = ?",
      [customerId]
    )
    const snapshot = pick({ ...empty, ...row })
    const outcomes = yield* customerLinks.write(
      [{ customer_id: customerId, shopify_customer_id: gid, link_method: "upload", snapshot, invite_sent_at: null, pushed: true, pulled: false }],
      sinkContext().ctx
    )
    assert.strictEqual(outcomes[0]?._tag, "Written")
  })

for (const backend of backends) {
  // One database per test: the source reads the whole customers table.
  const fresh = <A, E>(effect: Effect.Effect<A, E, import("../../connectors/edge/EdgeConnector.js").EdgeServices>) =>
    withEdge(backend, effect)

  describe(`edge.customersToUpload on ${backend.name}`, () => {
    it.scopedLive("emits flagged unlinked customers and changed linked ones, nothing else", () =>
      fresh(Effect.gen(function*() {
        const flagged = yield* edgeInsertCustomer({ first_name: "Ann", email: "ann@example.com", web_upload: true })
        yield* edgeInsertCustomer({ first_name: "Bob", email: "bob@example.com" })
        const linkedSame = yield* edgeInsertCustomer({ first_name: "Cy", email: "cy@example.com", web_upload: true })
        const linkedChanged = yield* edgeInsertCustomer({ first_name: "Di", email: "di@example.com", phone_cell: "555-123-4567" })
        yield* linkAsUploaded(linkedSame, "gid://shopify/Customer/1")
        yield* linkAsUploaded(linkedChanged, "gid://shopify/Customer/2")
        yield* edgeUpdateCustomer(linkedChanged, { phone_cell: "(555) 999-0000", city: "Springfield" })

        // An edit in the very millisecond a read starts is left for the next read (the horizon): step past it.
        yield* pause(5)
        const read = yield* readFrom(Option.none())
        assert.sameMembers(idsOf(read), [flagged, linkedChanged])
        const upload = read.find((item) => item.record.customer_id === flagged)!.record
        assert.strictEqual(upload.reason, "upload")
        assert.isNull(upload.link)
        assert.sameMembers([...upload.changed], ["first_name", "email"])
        const changed = read.find((item) => item.record.customer_id === linkedChanged)!.record
        assert.strictEqual(changed.reason, "changed")
        assert.deepStrictEqual([...changed.changed], ["phone_cell", "city"])
        assert.strictEqual(changed.link?.shopify_customer_id, "gid://shopify/Customer/2")
        assert.strictEqual(changed.link?.synced_snapshot?.phone_cell, "555-123-4567")
        assert.strictEqual(changed.fields.phone_cell, "(555) 999-0000")
        // The upload sink cleared the flag of the uploaded customer.
        const [flag] = yield* query<{ web_upload: number }>("SELECT web_upload FROM customers WHERE customer_id = ?", [linkedSame])
        assert.strictEqual(Number(flag?.web_upload), 0)
      })))

    it.scopedLive("touching a row without changing a synced field emits nothing; NULL and '' are one value", () =>
      fresh(Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ first_name: "Ed", email: "ed@example.com", company: null })
        yield* linkAsUploaded(id, "gid://shopify/Customer/3")
        yield* edgeUpdateCustomer(id, { notes: "Prefers white gold" })
        yield* edgeUpdateCustomer(id, { company: "" })
        yield* edgeUpdateCustomer(id, { web_upload: 1 })
        assert.deepStrictEqual(idsOf(yield* readFrom(Option.none())), [])
      })))

    it.scopedLive("a customer linked without a snapshot is emitted (nothing agreed yet)", () =>
      fresh(Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ first_name: "Flo", email: "flo@example.com" })
        const db = yield* EdgeDb
        yield* db.sql`INSERT INTO customer_web_links ${db.sql.insert({
          customer_id: id,
          shopify_customer_id: "gid://shopify/Customer/4",
          link_method: "email",
          linked_at: "2026-01-01 00:00:00.000"
        })}`.pipe(Effect.orDie)
        // An edit in the very millisecond a read starts is left for the next read (the horizon): step past it.
        yield* pause(5)
        const read = yield* readFrom(Option.none())
        assert.deepStrictEqual(idsOf(read), [id])
        assert.isNull(read[0]?.record.link?.synced_snapshot)
      })))

    it.scopedLive("re-reading from a saved cursor yields the rest, no duplicates; cursors never go backwards", () =>
      fresh(Effect.gen(function*() {
        const ids: Array<number> = []
        for (let i = 0; i < 7; i++) ids.push(yield* edgeInsertCustomer({ first_name: `P${i}`, web_upload: true }))
        // A read stops before the database's clock when it starts: rows written in that same millisecond
        // (SQLite keeps milliseconds) are left for the next read, so let the clock move first.
        yield* pause(5)
        const all = yield* readFrom(Option.none())
        assert.sameMembers(idsOf(all), ids)
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [all[i - 1]!.cursor, all[i]!.cursor]
          assert.isTrue(a.updated_at < b.updated_at || (a.updated_at === b.updated_at && a.customer_id < b.customer_id))
        }
        const rest = yield* readFrom(Option.some(all[2]!.cursor))
        assert.deepStrictEqual(idsOf(rest), idsOf(all).slice(3))
        assert.deepStrictEqual(idsOf(yield* readFrom(Option.some(all[all.length - 1]!.cursor))), [])
      })))

    it.scopedLive("an edit made during a run is read after the saved cursor, never lost", () =>
      fresh(Effect.gen(function*() {
        const first = yield* edgeInsertCustomer({ first_name: "Gus", email: "gus@example.com", web_upload: true })
        const second = yield* edgeInsertCustomer({ first_name: "Hal", email: "hal@example.com", web_upload: true })
        yield* linkAsUploaded(first, "gid://shopify/Customer/5")
        // An edit in the very millisecond a read starts is left for the next read (the horizon): step past it.
        yield* pause(5)
        const run = yield* readFrom(Option.none())
        const cursor = run[run.length - 1]!.cursor
        // Staff edit the already-read customer while the run is still going.
        yield* pause(5)
        yield* edgeUpdateCustomer(first, { email: "gus.new@example.com" })
        yield* pause(5)
        const next = yield* readFrom(Option.some(cursor))
        assert.deepStrictEqual(idsOf(next), [first])
        assert.deepStrictEqual([...next[0]!.record.changed], ["email"])
        assert.isTrue(idsOf(run).includes(second))
      })))
  })
}

// The settle window: an edit younger than `changeSettleMillis` is left for the next read (so that an
// UPDATE committing late is never stepped over), then read. One backend suffices for the arithmetic.
describe("edge.customersToUpload settle window", () => {
  it.scopedLive("edits younger than the settle time wait for the next read", () =>
    withEdge(sqlite, Effect.gen(function*() {
      const id = yield* edgeInsertCustomer({ first_name: "Ivy", web_upload: true })
      assert.deepStrictEqual(idsOf(yield* readFrom(Option.none())), [])
      yield* pause(450)
      assert.deepStrictEqual(idsOf(yield* readFrom(Option.none())), [id])
    }), { changeSettleMillis: 300 }))
})
