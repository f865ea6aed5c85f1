// The leaky-bucket model: waits exactly as long as Shopify's arithmetic says, adopts the bucket each
// response reports, and queues requests in order. Driven by TestClock.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, TestClock } from "effect"
import * as CostBucket from "../../connectors/shopify/CostBucket.js"

const standard = { maximumAvailable: 2000, restoreRate: 100 }

describe("CostBucket", () => {
  it.effect("lets a request through at once while the bucket holds its cost", () =>
    Effect.gen(function*() {
      const bucket = yield* CostBucket.make(standard)
      yield* bucket.acquire(1000)
      yield* bucket.acquire(1000)
      const s = yield* bucket.snapshot
      assert.strictEqual(s.available, 0)
      assert.strictEqual(s.inFlight, 2000)
    }))

  it.effect("waits (cost - available) / restoreRate before a request that does not fit", () =>
    Effect.gen(function*() {
      const bucket = yield* CostBucket.make(standard)
      yield* bucket.acquire(1950)
      yield* bucket.settle(1950, Option.some({ maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 }))
      const waiting = yield* Effect.fork(bucket.acquire(250))
      yield* TestClock.adjust(Duration.millis(1999))
      assert.isTrue(Option.isNone(yield* Fiber.poll(waiting)))
      yield* TestClock.adjust(Duration.millis(1))
      yield* Fiber.join(waiting)
      const s = yield* bucket.snapshot
      assert.strictEqual(Duration.toMillis(s.waited), 2000)
    }))

  it.effect("adopts the reported bucket minus what other requests still hold", () =>
    Effect.gen(function*() {
      const bucket = yield* CostBucket.make(standard)
      yield* bucket.acquire(300)
      yield* bucket.acquire(200)
      // The first answers: Shopify reports 1900 left (it charged 100 actual), the second is in flight.
      yield* bucket.settle(300, Option.some({ maximumAvailable: 2000, currentlyAvailable: 1900, restoreRate: 100 }))
      const s = yield* bucket.snapshot
      assert.strictEqual(s.available, 1700)
      assert.strictEqual(s.inFlight, 200)
    }))

  it.effect("learns a larger plan from the first response", () =>
    Effect.gen(function*() {
      const bucket = yield* CostBucket.make(standard)
      yield* bucket.acquire(10)
      yield* bucket.settle(10, Option.some({ maximumAvailable: 20000, currentlyAvailable: 19990, restoreRate: 1000 }))
      const s = yield* bucket.snapshot
      assert.strictEqual(s.maximum, 20000)
      assert.strictEqual(s.restoreRate, 1000)
      yield* bucket.acquire(15000)
    }))

  it.effect("holds every request during a 429's Retry-After", () =>
    Effect.gen(function*() {
      const bucket = yield* CostBucket.make(standard)
      yield* bucket.throttled(Duration.seconds(2))
      const waiting = yield* Effect.fork(bucket.acquire(1))
      yield* TestClock.adjust(Duration.millis(1500))
      assert.isTrue(Option.isNone(yield* Fiber.poll(waiting)))
      yield* TestClock.adjust(Duration.millis(500))
      yield* Fiber.join(waiting)
      assert.strictEqual((yield* bucket.snapshot).throttled, 1)
    }))

  it.effect("serves waiters in arrival order", () =>
    Effect.gen(function*() {
      const bucket = yield* CostBucket.make({ maximumAvailable: 100, restoreRate: 10 })
      yield* bucket.acquire(100)
      yield* bucket.settle(100, Option.none())
      const order: Array<string> = []
      const big = yield* Effect.fork(Effect.zipRight(bucket.acquire(50), Effect.sync(() => order.push("big"))))
      yield* TestClock.adjust(Duration.millis(1))
      const small = yield* Effect.fork(Effect.zipRight(bucket.acquire(1), Effect.sync(() => order.push("small"))))
      yield* TestClock.adjust(Duration.seconds(10))
      yield* Fiber.join(big)
      yield* Fiber.join(small)
      assert.deepStrictEqual(order, ["big", "small"])
    }))

  it("computes Shopify's THROTTLED wait", () => {
    const wait = CostBucket.throttleWait(752, { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 })
    assert.strictEqual(Duration.toMillis(wait), 6520)
  })
})
