// The emulator as an HTTP server: 401 with Shopify's body for a missing or wrong token, API version
// fall-forward, raw application/graphql bodies, deprecation headers, introspection, the control API
// (token required, deterministic seeding, counters, reset), and stopping with its scope.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, Scope } from "effect"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, rawPost, request } from "./AdminClient.js"
import { at, str } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)

describe("emulator server", () => {
  it.scoped("answers 401 with Shopify's body for a missing or wrong token", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({})
      const body = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }
      const missing = yield* rawPost(emulator.graphqlUrl, { query: "{ shop { name } }" })
      assert.strictEqual(missing.status, 401)
      assert.deepStrictEqual(missing.json, body)
      assert.match(missing.headers.get("content-type") ?? "", /^application\/json/)
      const wrong = yield* request(adminClient(emulator, { token: "shpat_wrong" }), "{ shop { name } }")
      assert.strictEqual(wrong.errors?.networkStatusCode, 401)
      assert.strictEqual(wrong.errors?.message, "GraphQL Client: Unauthorized")
      assert.strictEqual((yield* emulator.control.counters).unauthorized, 2)
    }))

  it.scoped("serves supported versions, falls forward from retired ones, and 404s unknown paths", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({})
      const headers = { "x-shopify-access-token": emulator.token }
      const current = yield* rawPost(`${emulator.url}/admin/api/2026-07/graphql.json`, { query: "{ shop { name } }" }, headers)
      assert.strictEqual(current.headers.get("x-shopify-api-version"), "2026-07")
      const retired = yield* rawPost(`${emulator.url}/admin/api/2023-01/graphql.json`, { query: "{ shop { name } }" }, headers)
      assert.strictEqual(retired.status, 200)
      assert.strictEqual(retired.headers.get("x-shopify-api-version"), "2026-01")
      assert.strictEqual((yield* rawPost(`${emulator.url}/admin/api/banana/graphql.json`, { query: "{ shop { name } }" }, headers)).status, 404)
      assert.strictEqual((yield* rawPost(`${emulator.url}/somewhere`, {}, headers)).status, 404)
      const viaOldClient = yield* request(adminClient(emulator, { apiVersion: "2024-01" }), "{ shop { currencyCode } }")
      assert.strictEqual(at(viaOldClient.data, "shop.currencyCode"), "CAD")
    }))

  it.scoped("accepts application/graphql bodies, reports deprecated fields, allows introspection", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({})
      const raw = yield* Effect.promise(() =>
        fetch(emulator.graphqlUrl, {
          method: "POST",
          headers: { "content-type": "application/graphql", "x-shopify-access-token": emulator.token },
          body: "{ shop { name } }"
        }).then(async (r) => ({ status: r.status, json: await r.json() as unknown }))
      )
      assert.strictEqual(raw.status, 200)
      assert.strictEqual(at(raw.json, "data.shop.name"), "Edge Emulator Jewelers")
      const client = adminClient(emulator)
      const deprecated = yield* request(client, `{ customers(first: 1) { nodes { email } } }`)
      assert.isString(deprecated.headers?.get("x-shopify-api-deprecated-reason"))
      const fresh = yield* request(client, `{ customers(first: 1) { nodes { defaultEmailAddress { emailAddress } } } }`)
      assert.isNull(fresh.headers?.get("x-shopify-api-deprecated-reason") ?? null)
      const schema = yield* request(client, `{ __type(name: "Customer") { fields { name } } }`)
      assert.isTrue(JSON.stringify(schema.data).includes("defaultEmailAddress"))
    }))

  it.scoped("the control API needs the token, seeds deterministically, counts, and resets", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seed: 5 })
      const refused = yield* rawPost(`${emulator.url}/_emulator/seed`, { customers: 1 })
      assert.strictEqual(refused.status, 401)
      const seeded = yield* emulator.control.seed({ customers: 25, orders: 40 })
      assert.deepStrictEqual(seeded, { customers: 25, orders: 40 })
      const customers = yield* emulator.control.customers
      const orders = yield* emulator.control.orders
      assert.strictEqual(customers.length, 25)
      assert.strictEqual(orders.length, 40)
      const other = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seed: 5 })
      yield* other.control.seed({ customers: 25, orders: 40 })
      assert.deepStrictEqual(yield* other.control.customers, customers)
      assert.deepStrictEqual(yield* other.control.orders, orders)
      const third = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seed: 6, seedCustomers: 25 })
      assert.notDeepEqual((yield* third.control.customers).map((c) => c.email), customers.map((c) => c.email))
      // Seeded orders cover guest checkouts, tax-included prices, refunds and cancellations.
      assert.isTrue(orders.some((o) => o.customerId === null))
      assert.isTrue(orders.some((o) => o.taxesIncluded))
      assert.isTrue(orders.some((o) => o.financialStatus === "PAID"))
      const summary = yield* emulator.control.summary
      assert.strictEqual(summary.customers, 25)
      assert.strictEqual(summary.manualClock, true)
      yield* request(adminClient(emulator), "{ shop { name } }")
      assert.strictEqual((yield* emulator.control.counters).operations["shop"], 1)
      yield* emulator.control.reset
      assert.strictEqual((yield* emulator.control.customers).length, 0)
      assert.strictEqual((yield* emulator.control.counters).requests, 0)
    }))

  it.effect("stops listening when its scope closes", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(ShopifyEmulator.start({}), scope)
      assert.strictEqual(str(yield* request(adminClient(emulator), "{ shop { name } }").pipe(Effect.map((a) => a.data)), "shop.name"), "Edge Emulator Jewelers")
      yield* Scope.close(scope, Exit.void)
      const after = yield* Effect.either(emulator.control.health)
      assert.isTrue(Either.isLeft(after))
      if (Either.isLeft(after)) assert.strictEqual(after.left.reason, "Unreachable")
    }))
})
