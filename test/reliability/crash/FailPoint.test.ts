// The failpoints the crash harness aims at: the spec syntax, the pass counting, the no-op default, and
// the CLI refusing a spec that names no failpoint (a typo would otherwise make a crash test kill nothing).
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Ref } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import * as FailPoint from "../../../core/FailPoint.js"

describe("FailPoint", () => {
  it("parses name@n lists and refuses anything else", () => {
    assert.deepStrictEqual(FailPoint.parse(""), Either.right([]))
    assert.deepStrictEqual(
      FailPoint.parse("sink.committed@3, source.page@1"),
      Either.right([{ name: "sink.committed", at: 3 }, { name: "source.page", at: 1 }])
    )
    for (const bad of ["sink.committed", "sink.committed@0", "sink.commited@2", "sink.committed@x", "@2"]) {
      assert.isTrue(Either.isLeft(FailPoint.parse(bad)), bad)
    }
  })

  it.effect("triggers on the n-th pass of the named point only, and does nothing by default", () =>
    Effect.gen(function*() {
      yield* FailPoint.hit("sink.committed") // the default service: nothing happens, nothing is required
      const fired = yield* Ref.make<ReadonlyArray<string>>([])
      const service = yield* FailPoint.make(
        [{ name: "sink.committed", at: 2 }, { name: "batch.done", at: 1 }],
        (rule) => Ref.update(fired, (all) => [...all, `${rule.name}@${rule.at}`])
      )
      const passes = ["sink.committed", "source.page", "sink.committed", "sink.committed", "batch.done"] as const
      yield* Effect.forEach(passes, (name) => FailPoint.hit(name), { discard: true }).pipe(
        Effect.provideService(FailPoint.FailPoint, service)
      )
      assert.deepStrictEqual(yield* Ref.get(fired), ["sink.committed@2", "batch.done@1"])
    }))

  it("the CLI refuses an EDGESYNC_FAILPOINTS that names no failpoint (exit 2)", async () => {
    const bin = path.resolve(import.meta.dirname, "../../../bin/edgesync.js")
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, "pipelines"], {
        env: { ...process.env, EDGESYNC_FAILPOINTS: "sink.commited@1" },
        stdio: ["ignore", "ignore", "pipe"]
      })
      let stderr = ""
      child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
      child.on("close", (code) => resolve({ code, stderr }))
    })
    assert.strictEqual(result.code, 2, result.stderr)
    assert.include(result.stderr, "EDGESYNC_FAILPOINTS")
    assert.include(result.stderr, "sink.commited@1")
  }, 120_000)
})
