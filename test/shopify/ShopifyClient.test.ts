// The client against the emulator over real HTTP with @shopify/admin-api-client: decoding, cost
// pacing, throttling by a competing consumer, retries under each fault, a bad token, and the token never
// showing in logs or errors.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Logger, Option, Ref, Schema } from "effect"
import { CustomersCount, ShopCheck } from "../../connectors/shopify/documents/ShopDocuments.js"
import * as Operation from "../../connectors/shopify/Operation.js"
import * as Client from "../../connectors/shopify/ShopifyClient.js"
import { ShopifyClient } from "../../connectors/shopify/ShopifyClient.js"
import type { ShopifyError } from "../../connectors/shopify/ShopifyError.js"
import { clientLayer, configFor, emulator } from "./ShopifyTestKit.js"

type Em = Parameters<typeof clientLayer>[0]

const withClient = <A, E>(use: Effect.Effect<A, E, ShopifyClient>, em: Em, overrides: Parameters<typeof clientLayer>[1] = {}) =>
  Effect.provide(use, clientLayer(em, overrides))

const shop = Effect.flatMap(ShopifyClient, (c) => c.execute(ShopCheck, {}))
const count = Effect.flatMap(ShopifyClient, (c) => c.execute(CustomersCount, { query: "", limit: null }))

const failure = <A>(effect: Effect.Effect<A, ShopifyError, ShopifyClient>) => Effect.flip(effect)

/** Collects every log line (message and annotations) written while `effect` runs. */
const capturingLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const lines = yield* Ref.make<ReadonlyArray<string>>([])
    const logger = Logger.make(({ annotations, message }) => {
      Effect.runSync(Ref.update(lines, (l) => [...l, JSON.stringify({ message, annotations: [...annotations] })]))
    })
    const exit = yield* Effect.exit(effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger))))
    return { exit, lines: yield* Ref.get(lines) }
  })

describe("ShopifyClient", () => {
  it.scopedLive("reads the shop and reports the cost and bucket", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const result = yield* withClient(Effect.flatMap(ShopifyClient, (c) => c.request(ShopCheck, {})), em)
      assert.isString(result.data.shop.myshopifyDomain)
      const cost = Option.getOrThrow(result.cost)
      assert.strictEqual(cost.throttleStatus?.maximumAvailable, 2000)
      assert.strictEqual(cost.throttleStatus?.restoreRate, 100)
    }))

  it.scopedLive("fails fast on a bad token, saying so, without retrying", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const error = yield* withClient(failure(shop), em, { token: "shpat_wrong_token_0000" })
      assert.strictEqual(error.reason, "Unauthorized")
      assert.strictEqual(error.classification, "fatal")
      assert.include(error.message, "access token was rejected")
      assert.notInclude(error.message, "shpat_wrong_token_0000")
      assert.strictEqual((yield* em.control.counters).unauthorized, 1)
    }))

  it.scopedLive("never lets the token into logs or errors, whatever fails", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ faults: "500x1@1,resetx1@2,503x1@3" })
      const token = em.token
      const { exit, lines } = yield* capturingLogs(withClient(
        Effect.zip(shop, Effect.flip(withClient(shop, em, { token: `${token}-stale` }))),
        em,
        { maxRetries: 5 }
      ))
      assert.isTrue(Exit.isSuccess(exit))
      assert.isAtLeast(lines.length, 3)
      const everything = [...lines, JSON.stringify(exit), String(exit)].join("\n")
      assert.notInclude(everything, token)
      assert.notInclude(everything, "shpat_emulator")
    }))

  it.scopedLive("paces requests by the bucket: no THROTTLED on a small plan", () =>
    Effect.gen(function*() {
      // 12 requests of 10 points on a bucket of 60 restoring 20/s: at least 3 s of waiting is needed.
      const em = yield* emulator({ plan: { restoreRate: 20, maximumAvailable: 60 } })
      const snapshot = yield* withClient(
        Effect.zipRight(
          Effect.forEach(Array.from({ length: 12 }), () => count, { concurrency: 4 }),
          Effect.flatMap(ShopifyClient, (c) => c.budget)
        ),
        em
      )
      const counters = yield* em.control.counters
      assert.strictEqual(counters.throttled, 0)
      assert.strictEqual(counters.executed, 12)
      assert.strictEqual(snapshot.throttled, 0)
      assert.isAbove(Duration.toMillis(snapshot.waited), 0)
    }))

  it.scopedLive("recovers when a competing consumer drains the same bucket", () =>
    Effect.gen(function*() {
      // Restoring 4 points/s, a 10-point query needs 2.5 s after the bucket is emptied.
      const em = yield* emulator({ plan: { restoreRate: 4, maximumAvailable: 1000 } })
      const snapshot = yield* withClient(
        Effect.gen(function*() {
          const client = yield* ShopifyClient
          yield* client.execute(CustomersCount, { query: "", limit: null })
          // Another app process spends the bucket behind our back.
          yield* em.control.setBucketAvailable(0)
          yield* client.execute(CustomersCount, { query: "", limit: null })
          return yield* client.budget
        }),
        em
      )
      const counters = yield* em.control.counters
      assert.strictEqual(counters.throttled, 1)
      assert.strictEqual(counters.executed, 2)
      assert.strictEqual(snapshot.throttled, 1)
    }))

  for (const [fault, spec] of [
    ["429 (Retry-After in seconds)", "429x2@1:0.2"],
    ["429 without Retry-After", "429x1@1:none"],
    ["500", "500x2@1"],
    ["502 (an HTML page)", "502x2@1"],
    ["503", "503x2@1"],
    ["connection reset", "resetx2@1"],
    ["reset after handling", "reset-afterx1@1"],
    ["THROTTLED", "throttledx2@1"]
  ] as const) {
    it.scopedLive(`retries through ${fault}`, () =>
      Effect.gen(function*() {
        const em = yield* emulator({ faults: spec })
        const result = yield* withClient(shop, em)
        assert.isString(result.shop.name)
        const counters = yield* em.control.counters
        assert.isAtLeast(counters.requests, 2)
        assert.strictEqual(Object.values(counters.faults).reduce((a, b) => a + b, 0), counters.requests - 1)
      }))
  }

  it.scopedLive("gives up on a slow answer after the request timeout and retries", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ faults: "slowx1@1:3000" })
      const result = yield* withClient(shop, em, { requestTimeout: Duration.millis(300) })
      assert.isString(result.shop.name)
      assert.strictEqual((yield* em.control.counters).requests, 2)
    }))

  it.scopedLive("stops retrying after maxRetries with a retriable error", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ faults: "500:1" })
      const error = yield* withClient(failure(shop), em, { maxRetries: 2 })
      assert.strictEqual(error.reason, "Transport")
      assert.strictEqual(error.status, 500)
      assert.strictEqual(error.classification, "retriable")
      assert.strictEqual((yield* em.control.counters).requests, 3)
    }))

  it.scopedLive("never sends a query over the single query cost limit", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const huge = Operation.query<Record<string, never>>()(
        "Huge",
        `query Huge { customers(first: 250) { nodes { id defaultAddress { id } defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } } } }`,
        Schema.Unknown
      )
      const error = yield* withClient(failure(Effect.flatMap(ShopifyClient, (c) => c.execute(huge, {}))), em)
      assert.strictEqual(error.reason, "MaxCostExceeded")
      assert.strictEqual((yield* em.control.counters).requests, 0)
    }))

  it.scopedLive("reports a static validation error as a fatal GraphQL error", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const bad = Operation.query<Record<string, never>>()("Bad", `query Bad { shop { definitelyNotAField } }`, Schema.Unknown)
      const error = yield* withClient(failure(Effect.flatMap(ShopifyClient, (c) => c.execute(bad, {}))), em)
      assert.strictEqual(error.reason, "GraphQL")
      assert.strictEqual(error.classification, "fatal")
      assert.include(error.detail, "definitelyNotAField")
    }))

  it.scopedLive("reports a response of an unexpected shape as a Decode error", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const wrong = Operation.query<Record<string, never>>()(
        "Wrong",
        `query Wrong { shop { name } }`,
        Schema.Struct({ shop: Schema.Struct({ name: Schema.Number }) })
      )
      const error = yield* withClient(failure(Effect.flatMap(ShopifyClient, (c) => c.execute(wrong, {}))), em)
      assert.strictEqual(error.reason, "Decode")
      assert.strictEqual(error.classification, "fatal")
    }))

  it.scopedLive("shares one budget per shop between clients built separately in the process", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ plan: { restoreRate: 1, maximumAvailable: 1000 } })
      const config = configFor(em)
      // Two pipelines, each building the connector's layer on its own.
      yield* Effect.provide(count, Layer.orDie(Client.layer(config)))
      const seen = yield* Effect.provide(Effect.flatMap(ShopifyClient, (c) => c.budget), Layer.orDie(Client.layer(config)))
      assert.strictEqual(seen.maximum, 1000)
      assert.isBelow(seen.available, 1000)
    }))
})
