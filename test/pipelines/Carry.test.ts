import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { RecordRejected } from "../../core/EtlError.js"
import * as Stage from "../../core/Stage.js"
import * as Carry from "../../pipelines/Carry.js"

const ctx: Stage.StageContext = { pipeline: "p", runId: "r", stage: "outer", dryRun: false }

// An inner stage that doubles numbers, drops zeros and refuses negatives, and records what it saw.
const seen: Array<ReadonlyArray<number>> = []
const inner = Stage.transform<number, number>({
  name: "inner.double",
  description: "doubles",
  apply: (batch, c) =>
    Effect.sync(() => {
      seen.push(batch)
      assert.strictEqual(c.stage, "inner.double")
      return batch.map((n) =>
        n === 0 ? Stage.drop("zero") : n < 0 ? Stage.reject(new RecordRejected({ stage: "inner.double", reason: "negative" })) : Stage.emit(n * 2, "doubled")
      )
    })
})

describe("Carry.through", () => {
  it.effect("runs the inner stage on the selected part, keeps its notes, drops and rejects, and passes the rest by", () =>
    Effect.gen(function*() {
      const stage = Carry.through(inner, {
        select: (r: { readonly id: string; readonly n: Option.Option<number> }) => r.n,
        combine: (r, out) => ({ id: r.id, doubled: out })
      })
      const outcomes = yield* stage.apply([
        { id: "a", n: Option.some(2) },
        { id: "b", n: Option.none() },
        { id: "c", n: Option.some(0) },
        { id: "d", n: Option.some(-1) }
      ], ctx)
      assert.deepStrictEqual(seen, [[2, 0, -1]], "one call with the selected parts only")
      assert.deepStrictEqual(outcomes[0], Stage.emit({ id: "a", doubled: Option.some(4) }, "doubled"))
      assert.deepStrictEqual(outcomes[1], Stage.emit({ id: "b", doubled: Option.none() }))
      assert.deepStrictEqual(outcomes[2], Stage.drop("zero"))
      assert.strictEqual(outcomes[3]?._tag, "Reject")
      assert.strictEqual(stage.name, "inner.double")
    }))

  it.effect("fails the batch when the inner stage breaks the one-outcome-per-record contract", () =>
    Effect.gen(function*() {
      const broken = Stage.transform<number, number>({ name: "broken", description: "", apply: () => Effect.succeed([]) })
      const error = yield* Effect.flip(Carry.through(broken, { select: Option.some, combine: (n: number) => n }).apply([1], ctx))
      assert.strictEqual(error._tag, "MissionError")
      assert.strictEqual(error.classification, "fatal")
    }))
})
