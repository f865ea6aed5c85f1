// Connections as Shopify pages them (FACTS §2.3, §3): first/after and last/before, reverse, opaque
// base64 JSON cursors, sort keys, the 250-node page cap, first/last argument errors, and the
// pagination depth limit (25,000 on Shopify; lowered here so the test stays small).
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, type AdminClient, request } from "./AdminClient.js"
import { arr, at, obj, str } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)

const page = (client: AdminClient, args: string, sortKey = "ID") =>
  Effect.map(
    request(client, `{ customers(${args}, sortKey: ${sortKey}) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`),
    (a): { readonly ids: ReadonlyArray<string>; readonly cursors: ReadonlyArray<string>; readonly info: Readonly<Record<string, unknown>>; readonly error: unknown } => {
      if (a.errors !== undefined) return { ids: [], cursors: [], info: {}, error: at(a.errors, "graphQLErrors.0") }
      const c = obj(a.data, "customers")
      return {
        ids: arr(c, "edges").map((e) => str(e, "node.id")),
        cursors: arr(c, "edges").map((e) => str(e, "cursor")),
        info: obj(c, "pageInfo"),
        error: undefined
      }
    }
  )

const allIds = (emulator: ShopifyEmulator.RunningEmulator) => Effect.map(emulator.control.customers, (cs) => cs.map((c) => c.id))

describe("pagination", () => {
  it.scoped("pages forward with first/after and backward with last/before, in either order", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedCustomers: 7 })
      const client = adminClient(emulator)
      const ids = yield* allIds(emulator)
      const p1 = yield* page(client, "first: 3")
      assert.deepStrictEqual(p1.ids, ids.slice(0, 3))
      assert.deepStrictEqual(p1.info, { hasNextPage: true, hasPreviousPage: false, startCursor: p1.cursors[0], endCursor: p1.cursors[2] })
      const p2 = yield* page(client, `first: 3, after: "${p1.cursors[2]}"`)
      assert.deepStrictEqual(p2.ids, ids.slice(3, 6))
      assert.strictEqual(p2.info["hasPreviousPage"], true)
      const p3 = yield* page(client, `first: 3, after: "${p2.cursors[2]}"`)
      assert.deepStrictEqual(p3.ids, ids.slice(6))
      assert.strictEqual(p3.info["hasNextPage"], false)
      const back = yield* page(client, `last: 2, before: "${p3.cursors[0]}"`)
      assert.deepStrictEqual(back.ids, ids.slice(4, 6))
      assert.strictEqual(back.info["hasNextPage"], true)
      const reversed = yield* page(client, "first: 3, reverse: true")
      assert.deepStrictEqual(reversed.ids, [...ids].reverse().slice(0, 3))
      const reversedNext = yield* page(client, `first: 3, reverse: true, after: "${reversed.cursors[2]}"`)
      assert.deepStrictEqual(reversedNext.ids, [...ids].reverse().slice(3, 6))
    }))

  it.scoped("cursors are base64 JSON {last_id, last_value}; time sorts carry epoch milliseconds", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedCustomers: 3 })
      const client = adminClient(emulator)
      const byId = yield* page(client, "first: 1")
      const idCursor: unknown = JSON.parse(Buffer.from(byId.cursors[0]!, "base64").toString("utf8"))
      assert.deepStrictEqual(Object.keys(obj(idCursor)), ["last_id", "last_value"])
      assert.strictEqual(`gid://shopify/Customer/${at(idCursor, "last_id")}`, byId.ids[0])
      const byUpdate = yield* request(client, `{ customers(first: 1, sortKey: UPDATED_AT) { edges { cursor node { updatedAt } } } }`)
      const timeCursor: unknown = JSON.parse(Buffer.from(str(byUpdate.data, "customers.edges.0.cursor"), "base64").toString("utf8"))
      assert.strictEqual(at(timeCursor, "last_value"), Date.parse(str(byUpdate.data, "customers.edges.0.node.updatedAt")))
      const bad = yield* page(client, `first: 1, after: "not-a-cursor"`)
      assert.strictEqual(at(bad.error, "extensions.code"), "BAD_REQUEST")
    }))

  it.scoped("requires first or last, refuses both, and caps a page at 250 nodes", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedCustomers: 260 })
      const client = adminClient(emulator)
      const none = yield* request(client, `{ customers(sortKey: ID) { nodes { id } } }`)
      assert.deepStrictEqual(at(none.errors, "graphQLErrors.0"), {
        message: "you must provide one of first or last",
        locations: [{ line: 1, column: 3 }],
        path: ["customers"],
        extensions: { code: "BAD_REQUEST" }
      })
      const both = yield* page(client, "first: 1, last: 1")
      assert.strictEqual(at(both.error, "message"), "providing both first and last is not supported")
      const big = yield* page(client, "first: 300")
      assert.strictEqual(big.ids.length, 250)
      assert.strictEqual(big.info["hasNextPage"], true)
    }))

  it.scoped("stops at the pagination depth limit with a BAD_REQUEST error past it", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedCustomers: 12, paginationLimit: 5 })
      const client = adminClient(emulator)
      const ids = yield* allIds(emulator)
      const p1 = yield* page(client, "first: 3")
      const p2 = yield* page(client, `first: 3, after: "${p1.cursors[2]}"`)
      // The page that crosses the limit is cut at it; the next one is refused.
      assert.deepStrictEqual(p2.ids, ids.slice(3, 5))
      assert.strictEqual(p2.info["hasNextPage"], true)
      const p3 = yield* page(client, `first: 3, after: "${p2.cursors[1]}"`)
      assert.strictEqual(at(p3.error, "extensions.code"), "BAD_REQUEST")
      assert.match(String(at(p3.error, "message")), /Pagination depth exceeded/)
      // A narrower query (here: a later id window) reaches the rest.
      const rest = yield* request(client, `{ customers(first: 10, sortKey: ID, query: "id:>${ids[4]!.split("/").pop()}") { nodes { id } } }`)
      assert.deepStrictEqual(arr(rest.data, "customers.nodes").map((n) => at(n, "id")), ids.slice(5, 10))
    }))

  it.scoped("sorts by UPDATED_AT, NAME and CREATED_AT with ties broken by id", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const create = (input: Record<string, unknown>) =>
        Effect.map(request(client, `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id } } }`, { input }), (a) => str(a.data, "customerCreate.customer.id"))
      const zed = yield* create({ firstName: "Ann", lastName: "Zed" })
      const abe = yield* create({ firstName: "Bob", lastName: "Abe" })
      yield* emulator.control.advanceClock(2_000)
      yield* request(client, `mutation U($input: CustomerInput!) { customerUpdate(input: $input) { userErrors { message } } }`, { input: { id: zed, note: "touched" } })
      assert.deepStrictEqual((yield* page(client, "first: 5", "NAME")).ids, [abe, zed])
      assert.deepStrictEqual((yield* page(client, "first: 5", "UPDATED_AT")).ids, [abe, zed])
      assert.deepStrictEqual((yield* page(client, "first: 5", "CREATED_AT")).ids, [zed, abe])
      assert.deepStrictEqual((yield* page(client, "first: 5, reverse: true", "UPDATED_AT")).ids, [zed, abe])
    }))
})
