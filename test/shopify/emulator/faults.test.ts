// Fault injection (429 with Retry-After, 500, 502, 503, connection resets before and after handling,
// slow answers, THROTTLED), seen through the real @shopify/admin-api-client and raw HTTP, and the same
// fault sequence for the same seed.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as FaultSpec from "../../../connectors/shopify/emulator/FaultSpec.js"
import * as SeededRandom from "../../../connectors/shopify/emulator/SeededRandom.js"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, rawPost, request } from "./AdminClient.js"
import { at } from "./Json.js"

const shop = `{ shop { name } }`

const post = (emulator: ShopifyEmulator.RunningEmulator, query = shop) =>
  rawPost(emulator.graphqlUrl, { query }, { "x-shopify-access-token": emulator.token })

describe("fault spec", () => {
  it("parses random and burst rules and rejects nonsense", () => {
    assert.deepStrictEqual(FaultSpec.parse("429:0.05, reset:0.01 ,503x3@10/100,slow:0.2:1500"), [
      { _tag: "Random", kind: "429", rate: 0.05, param: null },
      { _tag: "Random", kind: "reset", rate: 0.01, param: null },
      { _tag: "Burst", kind: "503", count: 3, start: 10, every: 100, param: null },
      { _tag: "Random", kind: "slow", rate: 0.2, param: "1500" }
    ])
    for (const bad of ["teapot:0.5", "429:1.5", "429", "503x3@10/2"]) {
      assert.instanceOf(FaultSpec.parse(bad), FaultSpec.FaultSpecError, bad)
    }
  })

  it("bursts hit exactly their requests and random rules depend only on the seed", () => {
    const rules = FaultSpec.parse("503x2@3/10,429:0.5")
    assert.isArray(rules)
    const run = (seed: number) => {
      let random = SeededRandom.make(seed)
      const kinds: Array<string> = []
      for (let n = 1; n <= 30; n++) {
        const [fault, next] = FaultSpec.decide(rules as ReadonlyArray<FaultSpec.Rule>, n, random)
        random = next
        kinds.push(fault?.kind ?? "ok")
      }
      return kinds
    }
    const a = run(42)
    assert.deepStrictEqual(run(42), a)
    assert.notDeepEqual(run(43), a)
    for (const n of [3, 4, 13, 14, 23, 24]) assert.strictEqual(a[n - 1], "503", `request ${n}`)
    assert.isAbove(a.filter((k) => k === "429").length, 5)
  })
})

describe("injected faults over HTTP", () => {
  it.scoped("429 carries Retry-After; 500 and 502 answer their status; the client is not fooled", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ faults: "429x1@1,500x1@2,502x1@3,429x1@4:none" })
      const first = yield* post(emulator)
      assert.strictEqual(first.status, 429)
      assert.strictEqual(first.headers.get("retry-after"), "2.0")
      assert.strictEqual((yield* post(emulator)).status, 500)
      const gateway = yield* post(emulator)
      assert.strictEqual(gateway.status, 502)
      assert.match(gateway.headers.get("content-type") ?? "", /text\/html/)
      const noHeader = yield* post(emulator)
      assert.strictEqual(noHeader.status, 429)
      assert.isNull(noHeader.headers.get("retry-after"))
      const ok = yield* post(emulator)
      assert.strictEqual(ok.status, 200)
      const counters = yield* emulator.control.counters
      assert.deepStrictEqual(counters.faults, { "429": 2, "500": 1, "502": 1 })
    }))

  it.scoped("503 is retried by the client (FACTS §8.5) and then succeeds; 500 is not", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ faults: "503x2@1,500x1@4" })
      const client = adminClient(emulator, { retries: 2 })
      const answer = yield* request(client, shop)
      assert.isUndefined(answer.errors)
      assert.strictEqual(at(answer.data, "shop.name"), "Edge Emulator Jewelers")
      const failed = yield* request(client, shop)
      assert.strictEqual(failed.errors?.networkStatusCode, 500)
      assert.strictEqual(failed.errors?.message, "GraphQL Client: Internal Server Error")
      assert.strictEqual((yield* emulator.control.counters).requests, 4)
    }))

  it.scoped("reset drops the connection before the request is handled: nothing is written", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ faults: "resetx1@1" })
      const client = adminClient(emulator)
      const answer = yield* request(client, `mutation { customerCreate(input: { email: "a@example.com" }) { customer { id } userErrors { field message } } }`)
      assert.match(answer.errors?.message ?? "", /fetch failed/)
      assert.strictEqual((yield* emulator.control.customers).length, 0)
    }))

  it.scoped("reset-after drops the connection after the mutation ran: the write happened, the answer is lost", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ faults: "reset-afterx1@1" })
      const client = adminClient(emulator)
      const mutation = `mutation { customerCreate(input: { email: "a@example.com" }) { customer { id } userErrors { field message } } }`
      const lost = yield* request(client, mutation)
      assert.match(lost.errors?.message ?? "", /fetch failed/)
      assert.strictEqual((yield* emulator.control.customers).length, 1)
      const retried = yield* request(client, mutation)
      assert.deepStrictEqual(at(retried.data, "customerCreate.userErrors"), [{ field: ["email"], message: "Email has already been taken" }])
    }))

  it.scoped("slow delays the answer; throttled answers THROTTLED without touching the bucket", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ faults: "slowx1@1:300,throttledx1@2" })
      const started = Date.now()
      assert.strictEqual((yield* post(emulator)).status, 200)
      assert.isAtLeast(Date.now() - started, 290)
      const throttled = yield* post(emulator)
      assert.strictEqual(throttled.status, 200)
      assert.strictEqual(at(throttled.json, "errors.0.extensions.code"), "THROTTLED")
      assert.isNull(at(throttled.json, "extensions.cost.actualQueryCost"))
    }))

  it.scoped("faults can be set, replaced and cleared at run time; a bad spec is refused", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({})
      assert.strictEqual(yield* emulator.control.setFaults("500x1@1"), "500x1@1")
      assert.strictEqual((yield* post(emulator)).status, 500)
      yield* emulator.control.clearFaults
      assert.strictEqual((yield* post(emulator)).status, 200)
      const refused = yield* Effect.either(emulator.control.setFaults("teapot:1"))
      assert.isTrue(Either.isLeft(refused))
      if (Either.isLeft(refused)) assert.strictEqual(refused.left.reason, "Rejected")
      const bad = yield* Effect.either(ShopifyEmulator.start({ faults: "429:2" }))
      assert.isTrue(Either.isLeft(bad))
    }))

  it.scoped("the same seed gives the same fault sequence", () =>
    Effect.gen(function*() {
      const statuses = (seed: number) =>
        Effect.gen(function*() {
          const emulator = yield* ShopifyEmulator.start({ seed, faults: "500:0.3,503:0.2" })
          const out: Array<number> = []
          for (let i = 0; i < 20; i++) out.push((yield* post(emulator)).status)
          return out
        })
      const a = yield* statuses(7)
      assert.deepStrictEqual(yield* statuses(7), a)
      assert.isTrue(a.some((s) => s !== 200) && a.some((s) => s === 200))
    }))
})
