// RunMemory: per-run entries for stage values that outlive runs and may serve runs side by side.
import { describe, it } from "@effect/vitest"
import { assert } from "vitest"
import * as RunMemory from "../../connectors/shopify/RunMemory.js"

describe("RunMemory", () => {
  it("keeps runs apart: the same key in two runs at once is two entries", () => {
    const memory = RunMemory.make<{ n: number }>({ runs: 4, perRun: 10 })
    memory.entry("run-a", "1", () => ({ n: 0 })).n++
    memory.entry("run-b", "1", () => ({ n: 0 })).n += 10
    memory.entry("run-a", "1", () => ({ n: 0 })).n++
    assert.strictEqual(memory.entry("run-a", "1", () => ({ n: -1 })).n, 2)
    assert.strictEqual(memory.entry("run-b", "1", () => ({ n: -1 })).n, 10)
  })

  it("forgets the oldest run beyond its bound, and the oldest keys of a run beyond theirs", () => {
    const memory = RunMemory.make<string>({ runs: 2, perRun: 2 })
    memory.entry("r1", "k", () => "first")
    memory.entry("r2", "k", () => "second")
    memory.entry("r3", "k", () => "third")
    assert.strictEqual(memory.entry("r1", "k", () => "made again"), "made again")
    memory.entry("r3", "a", () => "a")
    memory.entry("r3", "b", () => "b")
    assert.strictEqual(memory.entry("r3", "k", () => "k again"), "k again", "the run's oldest key went first")
    assert.strictEqual(memory.entry("r3", "b", () => "not made"), "b")
  })
})
