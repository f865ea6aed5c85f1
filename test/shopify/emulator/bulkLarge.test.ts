// A bulk operation over more orders than the emulator renders within bulkOperationRunQuery: the rest is
// rendered slice by slice in the background (and, past a few megabytes, into a temporary file instead
// of memory). It stays RUNNING until every line is written, then serves exactly the file a query
// rendered in one piece serves.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { OrdersBulkQuery } from "../../../connectors/shopify/documents/BulkDocuments.js"
import { adminClient, type AdminClient, request } from "./AdminClient.js"
import { obj, str } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)
const ORDERS = 2_600
const fields = "id status objectCount rootObjectCount fileSize url"
const run = `mutation Run($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: true) { bulkOperation { ${fields} } userErrors { field message code } } }`
const poll = `query Poll($id: ID!) { bulkOperation(id: $id) { ${fields} } }`

const status = (client: AdminClient, id: string) => Effect.map(request(client, poll, { id }), (a) => obj(a.data, "bulkOperation"))

/** Polls (in real time: the background rendering does not follow the manual clock) until it is done. */
const completed = (client: AdminClient, id: string) =>
  Effect.gen(function*() {
    for (let attempt = 0; attempt < 1_200; attempt++) {
      const op = yield* status(client, id)
      if (op["status"] !== "RUNNING" && op["status"] !== "CREATED") return op
      yield* Effect.sleep("50 millis")
    }
    return yield* Effect.die(new Error(`bulk operation ${id} never finished`))
  })

const runBulk = (client: AdminClient, query: string) =>
  Effect.gen(function*() {
    const started = obj((yield* request(client, run, { query })).data, "bulkOperationRunQuery")
    assert.deepStrictEqual(started["userErrors"], [])
    return str(obj(started, "bulkOperation"), "id")
  })

const download = (url: string) => Effect.promise(() => fetch(url).then(async (r) => ({ status: r.status, body: await r.text() })))

describe("bulk operations over a large shop", () => {
  it.scopedLive("render in the background, stay RUNNING until written, and serve the same file as one piece", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({
        clock: { manualStart: start },
        seedCustomers: 200,
        seedOrders: ORDERS,
        bulk: { durationMillis: 1_000, concurrency: 5 }
      })
      const client = adminClient(emulator)
      const whole = OrdersBulkQuery.document("updated_at:<='2100-01-01T00:00:00Z'")
      // With a page size of its own the query is rendered at once, inside bulkOperationRunQuery.
      const inOnePiece = whole.replace("orders(query:", `orders(first: ${ORDERS * 2}, query:`)
      assert.notStrictEqual(inOnePiece, whole)

      const sliced = yield* runBulk(client, whole)
      const early = yield* status(client, sliced)
      yield* emulator.control.advanceClock(5_000)
      const piece = yield* runBulk(client, inOnePiece)
      yield* emulator.control.advanceClock(5_000)
      const a = yield* completed(client, sliced)
      const b = yield* completed(client, piece)
      assert.strictEqual(a["status"], "COMPLETED")
      assert.strictEqual(b["status"], "COMPLETED")
      // Right after the run only part of the shop was written.
      assert.isBelow(Number(early["rootObjectCount"]), ORDERS)
      assert.strictEqual(a["rootObjectCount"], String(ORDERS))
      assert.strictEqual(b["rootObjectCount"], String(ORDERS))

      const fileA = yield* download(str(a, "url"))
      const fileB = yield* download(str(b, "url"))
      assert.strictEqual(fileA.status, 200)
      assert.strictEqual(String(Buffer.byteLength(fileA.body)), a["fileSize"])
      assert.isAbove(Number(a["fileSize"]), 8 * 1024 * 1024, "large enough to be kept in a file")
      assert.strictEqual(fileA.body, fileB.body)
      const lines = fileA.body.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
      assert.strictEqual(String(lines.length), a["objectCount"])
      const roots = lines.filter((l) => l["__parentId"] === undefined).map((l) => l["id"])
      assert.strictEqual(new Set(roots).size, ORDERS)
      const orders = yield* emulator.control.orders
      assert.deepStrictEqual(roots, orders.map((o) => o.id))
    }), { timeout: 120_000 })
})
