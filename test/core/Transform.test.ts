// The transform constructors: one outcome per record, in order, with the documented failure behaviour.
import { describe, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import { assert } from "vitest"
import type { Classified } from "../../core/EtlError.js"
import type { StageContext } from "../../core/Stage.js"
import * as Stage from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import { fatal, recordLevel } from "./support/TestError.js"

const ctx: StageContext = { pipeline: "p", runId: "r", stage: "t", dryRun: false }
const apply = <A, B, E extends Classified, R>(
  transform: Stage.Transform<A, B, E, R>,
  batch: ReadonlyArray<A>
) => transform.apply(batch, ctx)

describe("Transform", () => {
  it.effect("map emits one record per record and exposes the function for fusion", () =>
    Effect.gen(function*() {
      const double = Transform.map("double", (n: number) => n * 2)
      const outcomes = yield* apply(double, [1, 2, 3])
      assert.deepStrictEqual(outcomes.map((o) => o._tag === "Emit" ? o.records : []), [[2], [4], [6]])
      assert.strictEqual(double.map?.(5), 10)
      assert.strictEqual(double.name, "double")
    }))

  it.effect("filter and filterMap drop with a reason", () =>
    Effect.gen(function*() {
      const even = Transform.filter("even", (n: number) => n % 2 === 0, { reason: (n) => `${n} is odd` })
      assert.deepStrictEqual(yield* apply(even, [1, 2]), [Stage.drop("1 is odd"), Stage.emit(2)])
      const parse = Transform.filterMap("parse", (s: string) => {
        const n = Number(s)
        return Number.isNaN(n) ? Option.none() : Option.some(n)
      })
      const outcomes = yield* apply(parse, ["1", "x"])
      assert.deepStrictEqual(outcomes[1], Stage.drop("filtered out by parse"))
      assert.strictEqual(outcomes[0]!._tag, "Emit")
    }))

  it.effect("flatMap fans out and decide passes outcomes through", () =>
    Effect.gen(function*() {
      const twice = Transform.flatMap("twice", (n: number) => [n, n])
      const outcomes = yield* apply(twice, [7])
      assert.deepStrictEqual(outcomes[0]!._tag === "Emit" ? outcomes[0]!.records : [], [7, 7])
      const decider = Transform.decide("decider", (n: number) => n > 0 ? Stage.emit(n, "positive") : Stage.reject(recordLevel("decider", "negative")))
      const decided = yield* apply(decider, [1, -1])
      assert.deepStrictEqual(decided[0], Stage.emit(1, "positive"))
      assert.strictEqual(decided[1]!._tag, "Reject")
    }))

  it.effect("mapEffect rejects only the record that failed record-level, and fails the batch otherwise", () =>
    Effect.gen(function*() {
      const check = Transform.mapEffect("check", (n: number) =>
        n === 2 ? Effect.fail(recordLevel("check", "two")) : n === 99 ? Effect.fail(fatal("check", "down")) : Effect.succeed(n + 1), { concurrency: 2 })
      const outcomes = yield* apply(check, [1, 2, 3])
      assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Emit", "Reject", "Emit"])
      const failed = yield* Effect.either(apply(check, [1, 99]))
      assert.isTrue(Either.isLeft(failed))
      assert.strictEqual(check.map, undefined, "an effectful transform is never fused")
    }))

  it.effect("batch hands over the whole batch", () =>
    Effect.gen(function*() {
      const sizes: Array<number> = []
      const whole = Transform.batch("whole", (batch: ReadonlyArray<number>) =>
        Effect.sync(() => {
          sizes.push(batch.length)
          return batch.map((n) => Stage.emit(n))
        }))
      yield* apply(whole, [1, 2, 3])
      assert.deepStrictEqual(sizes, [3])
    }))
})
