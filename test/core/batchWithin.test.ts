// Batching by size and time, with backpressure, and what a failing upstream delivers before failing.
import { describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Either, Fiber, Ref, Stream, TestClock } from "effect"
import { assert } from "vitest"
import { batchWithin } from "../../core/internal/batchWithin.js"

const options = { size: 4, window: Duration.seconds(1), readAhead: 1 }
const collect = <A, E>(stream: Stream.Stream<ReadonlyArray<A>, E>) =>
  Effect.map(Stream.runCollect(stream), (chunk) => Chunk.toReadonlyArray(chunk).map((batch) => [...batch]))

describe("batchWithin", () => {
  it.effect("cuts batches of the given size across upstream chunks, and a last partial one", () =>
    Effect.gen(function*() {
      const upstream = Stream.range(1, 10).pipe(Stream.rechunk(3))
      assert.deepStrictEqual(yield* collect(batchWithin(upstream, options)), [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]])
    }))

  it.effect("flushes a partial batch once the window passes without a full one", () =>
    Effect.gen(function*() {
      const upstream = Stream.concat(Stream.make(1, 2), Stream.fromEffect(Effect.as(Effect.sleep("5 seconds"), 3)))
      const batches = yield* Ref.make<ReadonlyArray<ReadonlyArray<number>>>([])
      const fiber = yield* Effect.fork(Stream.runForEach(batchWithin(upstream, options), (b) => Ref.update(batches, (all) => [...all, b])))
      yield* TestClock.adjust("1100 millis")
      assert.deepStrictEqual(yield* Ref.get(batches), [[1, 2]])
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* Ref.get(batches), [[1, 2], [3]])
    }))

  it.effect("pauses the upstream while batches wait for the consumer", () =>
    Effect.gen(function*() {
      const pulled = yield* Ref.make(0)
      const upstream = Stream.range(1, 100).pipe(Stream.tap(() => Ref.update(pulled, (n) => n + 1)))
      const fiber = yield* Effect.fork(Stream.runForEach(batchWithin(upstream, options), () => Effect.never))
      yield* TestClock.adjust("10 millis")
      const seen = yield* Ref.get(pulled)
      assert.isAtMost(seen, 4 * 3, `the upstream ran ahead by ${seen} records`)
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("a failing upstream first delivers what it produced, then fails", () =>
    Effect.gen(function*() {
      const batches = yield* Ref.make<ReadonlyArray<ReadonlyArray<number>>>([])
      const upstream = Stream.concat(Stream.range(1, 6), Stream.fail("boom" as const))
      const result = yield* Effect.either(Stream.runForEach(batchWithin(upstream, options), (b) => Ref.update(batches, (all) => [...all, b])))
      assert.deepStrictEqual(result, Either.left("boom"))
      assert.deepStrictEqual(yield* Ref.get(batches), [[1, 2, 3, 4], [5, 6]])
    }))
})
