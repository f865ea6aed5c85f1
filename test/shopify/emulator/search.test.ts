// Shopify search syntax (FACTS §1.5): the parser, and customers/orders filtered over HTTP: field
// terms, quoted values, comparators, implicit AND, OR, parentheses, negation, tokenised email,
// inclusive and coarse dates, invalid timestamps; plus the search index lag.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as SearchQuery from "../../../connectors/shopify/emulator/SearchQuery.js"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, type AdminClient, request } from "./AdminClient.js"
import { arr, at, str } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)

describe("search syntax parser", () => {
  it("reads terms, comparators, quotes, AND/OR, parentheses and negation", () => {
    assert.deepStrictEqual(SearchQuery.parse(`updated_at:>='2024-01-01T00:00:00Z'`), {
      _tag: "Term", field: "updated_at", comparator: ":>=", value: "2024-01-01T00:00:00Z", quoted: true
    })
    assert.deepStrictEqual(SearchQuery.parse(`(tag:a OR tag:b) -state:DISABLED hello`), {
      _tag: "And",
      children: [
        {
          _tag: "Or",
          children: [
            { _tag: "Term", field: "tag", comparator: ":", value: "a", quoted: false },
            { _tag: "Term", field: "tag", comparator: ":", value: "b", quoted: false }
          ]
        },
        { _tag: "Not", child: { _tag: "Term", field: "state", comparator: ":", value: "DISABLED", quoted: false } },
        { _tag: "Term", field: null, comparator: ":", value: "hello", quoted: false }
      ]
    })
    assert.deepStrictEqual(SearchQuery.parse(`customer_date: >='2024-01-01'`), {
      _tag: "Term", field: "customer_date", comparator: ":>=", value: "2024-01-01", quoted: true
    })
    assert.deepStrictEqual(SearchQuery.parse(`email:"bo wang@example.com"`), {
      _tag: "Term", field: "email", comparator: ":", value: "bo wang@example.com", quoted: true
    })
    assert.strictEqual(SearchQuery.parse(`NOT tag:x`)._tag, "Not")
    assert.strictEqual(SearchQuery.parse("  ")._tag, "And")
    assert.deepStrictEqual(SearchQuery.tokens("Bo.Wang+1@Example.com"), ["bo", "wang", "1", "example", "com"])
  })
})

const customersQuery = `query S($q: String!) { customers(first: 50, query: $q, sortKey: ID) { nodes { email } } }`

const emails = (client: AdminClient, q: string) =>
  Effect.map(request(client, customersQuery, { q }), (a) => {
    if (a.errors !== undefined) throw new Error(JSON.stringify(a.errors))
    return arr(a.data, "customers.nodes").map((n) => at(n, "email"))
  })

const create = (client: AdminClient, input: Record<string, unknown>) =>
  Effect.map(
    request(client, `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id updatedAt } userErrors { field message } } }`, { input }),
    (a) => str(a.data, "customerCreate.customer.id")
  )

describe("customers(query:)", () => {
  it.scoped("filters by fields, tags, phone, country, with AND, OR, parentheses and negation", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      yield* create(client, { email: "bo.wang@example.com", firstName: "Bo", lastName: "Wang", tags: ["VIP"], phone: "+16135550101" })
      yield* create(client, { email: "wang.bo@example.com", firstName: "Wang", lastName: "Bo", tags: ["wholesale"] })
      yield* create(client, { email: "ana@gmail.com", firstName: "Ana", lastName: "Silva", tags: ["VIP", "wholesale"], addresses: [{ city: "Seattle", provinceCode: "WA", countryCode: "US" }] })
      assert.deepStrictEqual(yield* emails(client, "tag:VIP"), ["bo.wang@example.com", "ana@gmail.com"])
      assert.deepStrictEqual(yield* emails(client, "tag:vip tag:wholesale"), ["ana@gmail.com"])
      assert.deepStrictEqual(yield* emails(client, "tag:VIP OR tag:wholesale"), ["bo.wang@example.com", "wang.bo@example.com", "ana@gmail.com"])
      assert.deepStrictEqual(yield* emails(client, "(tag:VIP OR first_name:Wang) -tag:wholesale"), ["bo.wang@example.com"])
      assert.deepStrictEqual(yield* emails(client, "tag_not:VIP"), ["wang.bo@example.com"])
      assert.deepStrictEqual(yield* emails(client, "phone:+16135550101"), ["bo.wang@example.com"])
      assert.deepStrictEqual(yield* emails(client, "phone:'+1 (613) 555-0101'"), ["bo.wang@example.com"])
      assert.deepStrictEqual(yield* emails(client, "phone:*"), ["bo.wang@example.com"])
      assert.deepStrictEqual(yield* emails(client, "country:US"), ["ana@gmail.com"])
      assert.deepStrictEqual(yield* emails(client, "country:'United States'"), ["ana@gmail.com"])
      assert.deepStrictEqual(yield* emails(client, "Silva"), ["ana@gmail.com"])
      assert.deepStrictEqual(yield* emails(client, "state:DISABLED email:gmail.com"), ["ana@gmail.com"])
    }))

  it.scoped("email is tokenised unless quoted (FACTS §1.5)", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      yield* create(client, { email: "bo.wang@example.com" })
      yield* create(client, { email: "wang.bo@example.com" })
      yield* create(client, { email: "bo@example.com" })
      assert.deepStrictEqual(yield* emails(client, "email:bo.wang@example.com"), ["bo.wang@example.com", "wang.bo@example.com"])
      assert.deepStrictEqual(yield* emails(client, `email:"bo.wang@example.com"`), ["bo.wang@example.com"])
      assert.deepStrictEqual(yield* emails(client, `email:"BO.WANG@example.com"`), ["bo.wang@example.com"])
      assert.deepStrictEqual(yield* emails(client, "email:example.com"), ["bo.wang@example.com", "wang.bo@example.com", "bo@example.com"])
      assert.deepStrictEqual(yield* emails(client, "email:*"), ["bo.wang@example.com", "wang.bo@example.com", "bo@example.com"])
    }))

  it.scoped("updated_at is inclusive: >, >= and < on a second also return records of that second; = is the whole day", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      yield* create(client, { email: "a@example.com" })
      yield* emulator.control.advanceClock(60_000)
      yield* create(client, { email: "b@example.com" })
      const a = "2026-11-26T12:00:00Z"
      assert.deepStrictEqual(yield* emails(client, `updated_at:>'${a}'`), ["a@example.com", "b@example.com"])
      assert.deepStrictEqual(yield* emails(client, `updated_at:>='2026-11-26T12:00:01Z'`), ["b@example.com"])
      assert.deepStrictEqual(yield* emails(client, `updated_at:<'${a}'`), ["a@example.com"])
      assert.deepStrictEqual(yield* emails(client, `updated_at:'${a}'`), ["a@example.com", "b@example.com"])
      assert.deepStrictEqual(yield* emails(client, `updated_at:2026-11-26`), ["a@example.com", "b@example.com"])
      // A bound names a span (a second, a day, a year) and includes it, on both sides.
      assert.deepStrictEqual(yield* emails(client, `updated_at:<2026-11-26`), ["a@example.com", "b@example.com"])
      assert.deepStrictEqual(yield* emails(client, `updated_at:<2026-11-25`), [])
      assert.deepStrictEqual(yield* emails(client, `updated_at:>2026-11-27`), [])
      assert.deepStrictEqual(yield* emails(client, `updated_at:<now`), ["a@example.com", "b@example.com"])
      // Coarse: with day granularity a later time of the same day still returns both.
      yield* emulator.control.settings({ dateGranularity: "day" })
      assert.deepStrictEqual(yield* emails(client, `updated_at:>'2026-11-26T18:00:00Z'`), ["a@example.com", "b@example.com"])
      const bad = yield* request(client, customersQuery, { q: "updated_at:>yesterday-ish" })
      assert.strictEqual(at(bad.errors, "graphQLErrors.0.message"), "Invalid timestamp for query filter `updated_at`.")
      assert.strictEqual(at(bad.errors, "graphQLErrors.0.extensions.code"), "BAD_REQUEST")
    }))

  it.scoped("the search index lags behind writes; lookups by id and identifier do not", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, searchLagMillis: 5_000 })
      const client = adminClient(emulator)
      const id = yield* create(client, { email: "lag@example.com", tags: ["old"] })
      const byIdentifier = yield* request(client, `{ customerByIdentifier(identifier: { emailAddress: "lag@example.com" }) { id } c: customer(id: "${id}") { id } }`)
      assert.strictEqual(at(byIdentifier.data, "customerByIdentifier.id"), id)
      assert.strictEqual(at(byIdentifier.data, "c.id"), id)
      assert.deepStrictEqual(yield* emails(client, `email:"lag@example.com"`), [])
      assert.deepStrictEqual(yield* emails(client, ""), ["lag@example.com"], "a plain listing is not a search")
      yield* emulator.control.advanceClock(5_000)
      assert.deepStrictEqual(yield* emails(client, `email:"lag@example.com"`), ["lag@example.com"])
      // An update: the index still shows the old tags for a while, but returns current data.
      yield* request(client, `mutation U($input: CustomerInput!) { customerUpdate(input: $input) { userErrors { message } } }`, { input: { id, tags: ["new"] } })
      yield* emulator.control.advanceClock(1_000)
      assert.deepStrictEqual(yield* emails(client, "tag:new"), [])
      const old = yield* request(client, `{ customers(first: 5, query: "tag:old") { nodes { tags } } }`)
      assert.deepStrictEqual(at(old.data, "customers.nodes"), [{ tags: ["new"] }])
      yield* emulator.control.setSearchLag(0)
      assert.deepStrictEqual(yield* emails(client, "tag:new"), ["lag@example.com"])
    }))
})

describe("orders(query:)", () => {
  it.scoped("filters orders by status, financial status, customer, sku, name, tags, test, gateway", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const customer = yield* create(client, { email: "buyer@example.com" })
      const order = (extra: Record<string, unknown>) =>
        Effect.map(
          request(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id name } userErrors { message } } }`, {
            order: {
              currency: "CAD",
              lineItems: [{ title: "Ring", sku: "RING-1", quantity: 1, priceSet: { shopMoney: { amount: "100.00", currencyCode: "CAD" } } }],
              ...extra
            }
          }),
          (a) => str(a.data, "orderCreate.order.id")
        )
      const paid = yield* order({
        customerId: customer,
        tags: ["web-store"],
        transactions: [{ kind: "SALE", gateway: "shopify_payments", amountSet: { shopMoney: { amount: "100.00", currencyCode: "CAD" } } }]
      })
      const pending = yield* order({ email: "guest@example.com", test: true })
      yield* request(client, `mutation { orderCancel(orderId: "${pending}", restock: false, reason: CUSTOMER) { orderCancelUserErrors { message } } }`)
      const ids = (q: string) =>
        Effect.map(request(client, `query O($q: String!) { orders(first: 10, query: $q, sortKey: ID) { nodes { id } } }`, { q }), (a) => arr(a.data, "orders.nodes").map((n) => at(n, "id")))
      const customerNumber = customer.split("/").pop()!
      assert.deepStrictEqual(yield* ids("financial_status:paid"), [paid])
      assert.deepStrictEqual(yield* ids("status:cancelled"), [pending])
      assert.deepStrictEqual(yield* ids("status:open"), [paid])
      assert.deepStrictEqual(yield* ids(`customer_id:${customerNumber}`), [paid])
      assert.deepStrictEqual(yield* ids("sku:RING-1"), [paid, pending])
      assert.deepStrictEqual(yield* ids("tag:web-store"), [paid])
      assert.deepStrictEqual(yield* ids("test:true"), [pending])
      assert.deepStrictEqual(yield* ids("gateway:shopify_payments"), [paid])
      assert.deepStrictEqual(yield* ids("name:1001"), [paid])
      assert.deepStrictEqual(yield* ids("email:guest@example.com"), [pending])
      assert.deepStrictEqual(yield* ids(`id:>${paid.split("/").pop()}`), [pending])
    }))
})
