// Bulk query operations (FACTS §5) on a manual clock: CREATED → RUNNING → COMPLETED, the JSONL result
// with nested lines carrying __parentId, currentBulkOperation, "already in progress", failed operations
// with a partial result, expired results, cancellation, and the bulk query rules.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, type AdminClient, request } from "./AdminClient.js"
import { arr, at, obj, str } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)
const fields = "id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query"
const run = `mutation Run($query: String!, $group: Boolean!) { bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { ${fields} } userErrors { field message code } } }`
const poll = `query Poll($id: ID!) { bulkOperation(id: $id) { ${fields} } }`
const ordersQuery = `{
  orders(sortKey: ID) {
    edges { node { id name totalPriceSet { shopMoney { amount } } lineItems { edges { node { id sku quantity } } } } }
  }
}`

const runBulk = (client: AdminClient, query: string, group = true) =>
  Effect.map(request(client, run, { query, group }), (a) => obj(a.data, "bulkOperationRunQuery"))

const status = (client: AdminClient, id: string) => Effect.map(request(client, poll, { id }), (a) => obj(a.data, "bulkOperation"))

const download = (url: string) => Effect.promise(() => fetch(url).then(async (r) => ({ status: r.status, type: r.headers.get("content-type"), body: await r.text() })))

describe("bulk operations", () => {
  it.scoped("run, poll through CREATED and RUNNING to COMPLETED, then read the JSONL with __parentId lines", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedCustomers: 10, seedOrders: 20, bulk: { durationMillis: 10_000 } })
      const client = adminClient(emulator)
      const started = yield* runBulk(client, ordersQuery)
      assert.deepStrictEqual(started["userErrors"], [])
      const op = obj(started, "bulkOperation")
      const id = str(op, "id")
      assert.match(id, /^gid:\/\/shopify\/BulkOperation\/\d+$/)
      assert.deepStrictEqual(
        { ...op, id: "<id>", createdAt: "<t>" },
        { id: "<id>", status: "CREATED", errorCode: null, createdAt: "<t>", completedAt: null, objectCount: "0", rootObjectCount: "0", fileSize: null, url: null, partialDataUrl: null, query: ordersQuery }
      )
      yield* emulator.control.advanceClock(5_000)
      const running = yield* status(client, id)
      assert.strictEqual(running["status"], "RUNNING")
      assert.isAbove(Number(running["objectCount"]), 0)
      assert.isNull(running["url"])
      const current = yield* request(client, `{ currentBulkOperation { id status } }`)
      assert.strictEqual(at(current.data, "currentBulkOperation.id"), id)
      yield* emulator.control.advanceClock(5_000)
      const done = yield* status(client, id)
      assert.strictEqual(done["status"], "COMPLETED")
      const file = yield* download(str(done, "url"))
      assert.strictEqual(file.status, 200)
      assert.strictEqual(file.type, "application/jsonl")
      const lines = file.body.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
      const roots = lines.filter((l) => l["__parentId"] === undefined)
      const children = lines.filter((l) => l["__parentId"] !== undefined)
      assert.strictEqual(roots.length, 20)
      assert.strictEqual(String(roots.length), done["rootObjectCount"])
      assert.strictEqual(String(lines.length), done["objectCount"])
      assert.strictEqual(String(Buffer.byteLength(file.body)), done["fileSize"])
      assert.isAbove(children.length, 0)
      for (const root of roots) assert.isUndefined(root["lineItems"], "nested connections are not inline")
      // Every child follows its parent.
      for (const child of children) {
        const parentAt = lines.findIndex((l) => l["id"] === child["__parentId"])
        assert.isAtLeast(parentAt, 0)
        assert.isBelow(parentAt, lines.indexOf(child))
        assert.match(String(child["id"]), /^gid:\/\/shopify\/LineItem\//)
      }
      const orders = yield* emulator.control.orders
      assert.deepStrictEqual(roots.map((r) => r["id"]), orders.map((o) => o.id))
    }))

  it.scoped("groupObjects: false still writes children after their parents, possibly not right after", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedOrders: 150 })
      const client = adminClient(emulator)
      const op = obj(yield* runBulk(client, ordersQuery, false), "bulkOperation")
      yield* emulator.control.advanceClock(1_000)
      const file = yield* download(str(yield* status(client, str(op, "id")), "url"))
      const lines = file.body.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
      const seen = new Set<unknown>()
      for (const l of lines) {
        if (l["__parentId"] !== undefined) assert.isTrue(seen.has(l["__parentId"]))
        seen.add(l["id"])
      }
      assert.isUndefined(lines[1]?.["__parentId"], "a chunk of parents comes first")
    }))

  it.scoped("refuses a run while five are in progress (OPERATION_IN_PROGRESS)", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, bulk: { durationMillis: 60_000 } })
      const client = adminClient(emulator)
      const ids: Array<string> = []
      for (let i = 0; i < 5; i++) ids.push(str(yield* runBulk(client, ordersQuery), "bulkOperation.id"))
      const refused = yield* runBulk(client, ordersQuery)
      assert.isNull(refused["bulkOperation"])
      assert.deepStrictEqual(refused["userErrors"], [{
        field: null,
        message: `A bulk query operation for this app and shop is already in progress: ${ids.join(", ")}.`,
        code: "OPERATION_IN_PROGRESS"
      }])
      yield* emulator.control.advanceClock(60_000)
      assert.deepStrictEqual((yield* runBulk(client, ordersQuery))["userErrors"], [])
    }))

  it.scoped("a failed operation reports its errorCode and a partial result", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedOrders: 10 })
      const client = adminClient(emulator)
      yield* emulator.control.bulk({ failNext: { errorCode: "INTERNAL_SERVER_ERROR", atFraction: 0.5 } })
      const op = obj(yield* runBulk(client, `{ orders { edges { node { id } } } }`), "bulkOperation")
      yield* emulator.control.advanceClock(1_000)
      const failed = yield* status(client, str(op, "id"))
      assert.strictEqual(failed["status"], "FAILED")
      assert.strictEqual(failed["errorCode"], "INTERNAL_SERVER_ERROR")
      assert.isNull(failed["url"])
      const partial = yield* download(str(failed, "partialDataUrl"))
      assert.strictEqual(partial.body.trimEnd().split("\n").length, 5)
      assert.strictEqual(failed["objectCount"], "5")
      // Only the next operation fails.
      const next = obj(yield* runBulk(client, `{ orders { edges { node { id } } } }`), "bulkOperation")
      yield* emulator.control.advanceClock(1_000)
      assert.strictEqual((yield* status(client, str(next, "id")))["status"], "COMPLETED")
    }))

  it.scoped("results expire: status EXPIRED, no url, the old link refused", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedOrders: 3 })
      const client = adminClient(emulator)
      const op = obj(yield* runBulk(client, `{ orders { edges { node { id } } } }`), "bulkOperation")
      yield* emulator.control.advanceClock(1_000)
      const url = str(yield* status(client, str(op, "id")), "url")
      yield* emulator.control.bulk({ expire: "all" })
      const expired = yield* status(client, str(op, "id"))
      assert.strictEqual(expired["status"], "EXPIRED")
      assert.isNull(expired["url"])
      assert.strictEqual((yield* download(url)).status, 400)
      // Seven days after completion they expire by themselves.
      const later = obj(yield* runBulk(client, `{ orders { edges { node { id } } } }`), "bulkOperation")
      yield* emulator.control.advanceClock(7 * 86_400_000 + 1_000)
      assert.strictEqual((yield* status(client, str(later, "id")))["status"], "EXPIRED")
    }))

  it.scoped("cancel moves a running operation to CANCELING then CANCELED", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, bulk: { durationMillis: 60_000 } })
      const client = adminClient(emulator)
      const id = str(yield* runBulk(client, `{ orders { edges { node { id } } } }`), "bulkOperation.id")
      const cancel = `mutation C($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }`
      const canceling = yield* request(client, cancel, { id })
      assert.strictEqual(at(canceling.data, "bulkOperationCancel.bulkOperation.status"), "CANCELING")
      const again = yield* request(client, cancel, { id })
      assert.deepStrictEqual(at(again.data, "bulkOperationCancel.userErrors"), [{ field: null, message: "Cancellation is already in progress" }])
      yield* emulator.control.advanceClock(1_000)
      assert.strictEqual((yield* status(client, id))["status"], "CANCELED")
    }))

  it.scoped("bulk queries follow Shopify's rules", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const messages = (query: string) => Effect.map(runBulk(client, query), (r) => arr(r, "userErrors").map((e) => str(e, "message")))
      assert.deepStrictEqual(yield* messages(`{ orders { edges { node { name lineItems { edges { node { id } } } } } } }`), [
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': orders."
      ])
      assert.deepStrictEqual(yield* messages(`{ orders { nodes { id } } }`), [
        "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'orders { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'orders'."
      ])
      assert.deepStrictEqual(yield* messages(`{ orders { edges { node { id definitelyNot } } } }`), [
        "Invalid bulk query: Field 'definitelyNot' doesn't exist on type 'Order'"
      ])
      assert.deepStrictEqual(yield* messages(`{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }`), [
        "Bulk queries cannot contain connections with a nesting depth greater than 2."
      ])
    }))
})
