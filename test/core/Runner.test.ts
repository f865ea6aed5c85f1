// The runner's semantics, on both SQL state store backends (SQLite file, MariaDB database).
import { describe, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Fiber, Option, Ref, Schema } from "effect"
import { assert } from "vitest"
import * as Pipeline from "../../core/Pipeline.js"
import * as Runner from "../../core/Runner.js"
import * as Stage from "../../core/Stage.js"
import { StateStore } from "../../core/StateStore.js"
import * as Transform from "../../core/Transform.js"
import { backends } from "./support/Backends.js"
import { withTestClock } from "./support/TestClockDriver.js"
import { fatal, recordLevel, retriable } from "./support/TestError.js"
import { makePipeline, makeScreen, noScreen, pipelineName } from "./support/TestPipeline.js"
import { Item, items, makeMemorySink, makeSource, makeSqlSink } from "./support/TestStages.js"

const options = (overrides: Partial<Runner.RunOptions> = {}): Runner.RunOptions => ({
  rawOptions: {},
  dryRun: false,
  limit: Option.none(),
  ...overrides
})

const checkpoint = Effect.flatMap(StateStore, (store) => store.checkpoint(pipelineName)).pipe(
  Effect.map(Option.map((c) => c.cursor))
)
const lastRun = Effect.flatMap(StateStore, (store) => store.runs({ pipeline: pipelineName, limit: 1 })).pipe(
  Effect.map((runs) => runs[0]!)
)
const storedIds = (rows: Ref.Ref<ReadonlyMap<string, Item>>) => Effect.map(Ref.get(rows), (map) => [...map.keys()].sort())
const hasNoDuplicates = (ids: ReadonlyArray<string>) => new Set(ids).size === ids.length

for (const backend of backends) {
  describe(`Runner on ${backend.name}`, () => {
    it.effect("moves every record in batches, checkpoints the last committed one, records the run", () =>
      Effect.gen(function*() {
        const { source } = yield* makeSource(items(1200))
        const { screen } = yield* makeScreen({ drop: new Set(["r0003"]) })
        const { rows, sink } = yield* makeMemorySink()
        const progress = yield* Ref.make<ReadonlyArray<number>>([])
        const summary = yield* Runner.run(
          makePipeline(source, screen, sink),
          options({ onProgress: (p) => Ref.update(progress, (all) => [...all, p.read]) })
        )
        assert.strictEqual(summary.outcome, "succeeded")
        assert.deepStrictEqual(
          { ...summary.counts, actions: undefined },
          { read: 1200, written: 1199, skipped: 1, deadLettered: 0, retries: 0, actions: undefined }
        )
        assert.deepStrictEqual(summary.counts.actions, { screened: 1199, upserted: 1199 })
        assert.strictEqual((yield* storedIds(rows)).length, 1199)
        assert.deepStrictEqual(yield* Ref.get(progress), [500, 1000, 1200])
        assert.deepStrictEqual(yield* checkpoint, Option.some("1199"))
        const run = yield* lastRun
        assert.strictEqual(run.runId, summary.runId)
        assert.strictEqual(run.outcome, "succeeded")
        assert.deepStrictEqual(run.counts, summary.counts)
        assert.isTrue(Option.isSome(run.endedAt))
      }).pipe(Effect.provide(backend.layer)))

    it.effect("stops on a fatal error keeping what was committed, then resumes from the checkpoint", () =>
      Effect.gen(function*() {
        const { reads, source } = yield* makeSource(items(1200))
        const { rules, screen } = yield* makeScreen({ fatal: new Set(["r0700"]) })
        const { rows, sink, writes } = yield* makeMemorySink()
        const pipeline = makePipeline(source, screen, sink)

        const failure = yield* Effect.flip(Runner.run(pipeline, options()))
        assert.strictEqual(failure._tag, "RunFailed")
        if (failure._tag !== "RunFailed") return
        assert.strictEqual(failure.stage, "screen")
        assert.strictEqual(failure.errorTag, "TestError")
        assert.include(failure.message, "fatal failure at r0700")
        assert.strictEqual(failure.counts?.read, 500)
        // The first batch is committed, nothing of the second.
        assert.deepStrictEqual(yield* checkpoint, Option.some("499"))
        assert.strictEqual((yield* storedIds(rows)).length, 500)
        const failed = yield* lastRun
        assert.strictEqual(failed.outcome, "failed")
        assert.include(Option.getOrElse(failed.error, () => ""), "r0700")
        assert.strictEqual(failed.counts.read, 500)

        yield* Ref.update(rules, (r) => ({ ...r, fatal: new Set<string>() }))
        const summary = yield* Runner.run(pipeline, options())
        assert.strictEqual(summary.counts.read, 700)
        assert.deepStrictEqual(yield* Ref.get(reads), [Option.none(), Option.some(499)])
        assert.strictEqual((yield* storedIds(rows)).length, 1200)
        assert.isTrue(hasNoDuplicates(yield* Ref.get(writes)))
        assert.deepStrictEqual(yield* checkpoint, Option.some("1199"))
      }).pipe(Effect.provide(backend.layer)))

    it.effect("dead-letters record-level failures with their context; a replay lands them exactly once", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        const { source } = yield* makeSource(items(1200))
        const { rules, screen } = yield* makeScreen({ reject: new Set(["r0010"]), failBatch: new Set(["r0620"]) })
        const sinkRejects = yield* Ref.make(new Set(["r1100"]))
        const { rows, sink, writes } = yield* makeMemorySink({
          beforeWrite: () => Effect.void,
          outcome: (item) => Stage.written(item.id === "r1100" ? "special" : "upserted")
        })
        // The sink rejects what `sinkRejects` holds, one record at a time.
        const rejectingSink = Stage.sink({
          name: "test-sink",
          description: "rejects some records",
          write: (batch: ReadonlyArray<Item>, ctx) =>
            Effect.gen(function*() {
              const rejected = yield* Ref.get(sinkRejects)
              const accepted = batch.filter((item) => !rejected.has(item.id))
              const outcomes = accepted.length === 0 ? [] : yield* sink.write(accepted, ctx)
              let k = 0
              return batch.map((item) =>
                rejected.has(item.id) ? Stage.rejected(recordLevel("test-sink", `${item.id} refused`)) : outcomes[k++]!
              )
            })
        })
        const pipeline = makePipeline(source, screen, rejectingSink)

        const summary = yield* Runner.run(pipeline, options())
        assert.deepStrictEqual(
          [summary.counts.read, summary.counts.written, summary.counts.skipped, summary.counts.deadLettered],
          [1200, 1197, 0, 3]
        )
        const letters = yield* store.deadLetters({ pipeline: pipelineName })
        assert.deepStrictEqual(letters.map((l) => [l.recordKey, l.stage, l.errorTag, l.status, l.attempts]), [
          ["r0010", "screen", "TestError", "pending", 1],
          ["r0620", "screen", "TestError", "pending", 1],
          ["r1100", "test-sink", "TestError", "pending", 1]
        ])
        assert.include(letters[1]!.message, "r0620 is malformed")
        assert.strictEqual(letters[0]!.runId, summary.runId)
        assert.deepStrictEqual(Schema.decodeUnknownSync(Item)(JSON.parse(letters[2]!.record)), { id: "r1100", value: 1100 })
        const stored = yield* storedIds(rows)
        assert.strictEqual(stored.length, 1197)
        assert.notInclude(stored, "r0620")

        // Fix the screen, not the sink: two replays succeed, one fails again and stays pending.
        yield* Ref.set(rules, noScreen)
        const first = yield* Runner.replay(pipeline, "all", { rawOptions: {}, dryRun: false })
        assert.deepStrictEqual([first.counts.read, first.counts.written, first.counts.deadLettered], [3, 2, 1])
        const afterFirst = yield* store.deadLetters({ pipeline: pipelineName })
        assert.deepStrictEqual(afterFirst.map((l) => [l.recordKey, l.status, l.attempts]), [
          ["r0010", "replayed", 1],
          ["r0620", "replayed", 1],
          ["r1100", "pending", 2]
        ])
        assert.include(afterFirst[2]!.message, "r1100 refused")

        yield* Ref.set(sinkRejects, new Set())
        const second = yield* Runner.replay(pipeline, [afterFirst[2]!.id], { rawOptions: {}, dryRun: false })
        assert.strictEqual(second.counts.written, 1)
        assert.deepStrictEqual((yield* store.deadLetters({ pipeline: pipelineName, status: "pending" })).length, 0)
        const all = yield* Ref.get(writes)
        assert.strictEqual(all.length, 1200)
        assert.isTrue(hasNoDuplicates(all))
        // Replays move no checkpoint.
        assert.deepStrictEqual(yield* checkpoint, Option.some("1199"))

        const missing = yield* Effect.flip(Runner.replay(pipeline, [999_999], { rawOptions: {}, dryRun: false }))
        assert.strictEqual(missing._tag, "NotFound")
      }).pipe(Effect.provide(backend.layer)))

    it.effect("retries retriable failures with backoff, honouring retry-after, and counts them", () =>
      Effect.gen(function*() {
        const { source } = yield* makeSource(items(600))
        const { screen } = yield* makeScreen()
        const { rows, sink } = yield* makeMemorySink({
          beforeWrite: (_, call) => call <= 2 ? Effect.fail(retriable("test-sink", "throttled", 5_000)) : Effect.void
        })
        const started = yield* Clock.currentTimeMillis
        const summary = yield* withTestClock(Runner.run(makePipeline(source, screen, sink), options()))
        const elapsed = (yield* Clock.currentTimeMillis) - started
        assert.strictEqual(summary.counts.retries, 2)
        assert.strictEqual(summary.counts.written, 600)
        assert.strictEqual((yield* storedIds(rows)).length, 600)
        assert.isAtLeast(elapsed, 10_000, "each retry waited at least the 5s the remote asked for")
        assert.strictEqual((yield* lastRun).counts.retries, 2)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("gives up after the retry bound: the run fails with RetriesExhausted", () =>
      Effect.gen(function*() {
        const { source } = yield* makeSource(items(10))
        const { screen } = yield* makeScreen()
        const { sink } = yield* makeMemorySink({ beforeWrite: () => Effect.fail(retriable("test-sink", "down")) })
        const failure = yield* Effect.flip(
          withTestClock(Runner.run(makePipeline(source, screen, sink), options({ retry: { maxAttempts: 3 } })))
        )
        assert.strictEqual(failure._tag, "RunFailed")
        if (failure._tag !== "RunFailed") return
        assert.strictEqual(failure.errorTag, "RetriesExhausted")
        assert.include(failure.detail, "after 3 attempts")
        const run = yield* lastRun
        assert.strictEqual(run.outcome, "failed")
        assert.strictEqual(run.counts.retries, 2)
        assert.isTrue(Option.isNone(yield* checkpoint))
      }).pipe(Effect.provide(backend.layer)))

    it.effect("restarts a retriably failing source from the last committed cursor", () =>
      Effect.gen(function*() {
        const failed = yield* Ref.make(false)
        const { reads, source } = yield* makeSource(items(1200), {
          beforeRecord: (index) =>
            index === 700
              ? Effect.flatMap(Ref.getAndSet(failed, true), (already) =>
                already ? Effect.void : Effect.fail(retriable("test-source", "connection reset")))
              : Effect.void
        })
        const { screen } = yield* makeScreen()
        const { sink, writes } = yield* makeMemorySink()
        const summary = yield* withTestClock(Runner.run(makePipeline(source, screen, sink), options()))
        assert.strictEqual(summary.counts.retries, 1)
        assert.strictEqual(summary.counts.read, 1200)
        // What was read before the failure was committed first; the restart resumes right after it.
        assert.deepStrictEqual(yield* Ref.get(reads), [Option.none(), Option.some(699)])
        const all = yield* Ref.get(writes)
        assert.strictEqual(all.length, 1200)
        assert.isTrue(hasNoDuplicates(all))
        assert.deepStrictEqual(yield* checkpoint, Option.some("1199"))
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a defect in a stage stops the run as a failure of that stage", () =>
      Effect.gen(function*() {
        const { source } = yield* makeSource(items(10))
        const { sink } = yield* makeMemorySink()
        const broken = Transform.map("broken", (item: Item): Item => {
          if (item.id === "r0005") throw new Error("boom")
          return item
        })
        const failure = yield* Effect.flip(Runner.run(makePipeline(source, broken, sink), options()))
        assert.strictEqual(failure._tag, "RunFailed")
        if (failure._tag !== "RunFailed") return
        assert.deepStrictEqual([failure.stage, failure.errorTag], ["broken", "Defect"])
        assert.include(failure.detail, "boom")
        assert.strictEqual((yield* lastRun).outcome, "failed")
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a dry run plans without writing, stores nothing and moves no checkpoint", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        const { source } = yield* makeSource(items(700))
        const { screen } = yield* makeScreen({ reject: new Set(["r0010"]) })
        const { rows, sink } = yield* makeMemorySink({ plan: true })
        const summary = yield* Runner.run(makePipeline(source, screen, sink), options({ dryRun: true, reportLimit: 5 }))
        assert.isTrue(summary.dryRun)
        assert.deepStrictEqual([summary.counts.read, summary.counts.written, summary.counts.deadLettered], [700, 699, 1])
        assert.strictEqual(summary.counts.actions["would create"], 349, "even values, but r0010 was rejected")
        assert.deepStrictEqual(summary.planned.map((p) => p.recordKey), ["r0000", "r0001", "r0002", "r0003", "r0004"])
        assert.deepStrictEqual(summary.planned[0]!.outcome, Stage.written("would create"))
        assert.deepStrictEqual(summary.deadLetters.map((l) => l.recordKey), ["r0010"])
        assert.strictEqual((yield* Ref.get(rows)).size, 0)
        assert.isTrue(Option.isNone(yield* checkpoint))
        assert.strictEqual((yield* store.deadLetters({ pipeline: pipelineName })).length, 0)
        const run = yield* lastRun
        assert.isTrue(run.dryRun)
        assert.strictEqual(run.outcome, "succeeded")
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a second concurrent run is refused by the lock; with lock: wait it runs after the first", () =>
      Effect.gen(function*() {
        const reached = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const { source } = yield* makeSource(items(800), {
          beforeRecord: (index) =>
            index === 600 ? Effect.zipRight(Deferred.succeed(reached, undefined), Deferred.await(release)) : Effect.void
        })
        const { screen } = yield* makeScreen()
        const { sink } = yield* makeMemorySink()
        const pipeline = makePipeline(source, screen, sink)

        const first = yield* Effect.fork(Runner.run(pipeline, options()))
        yield* Deferred.await(reached)
        const refused = yield* Effect.flip(Runner.run(pipeline, options()))
        assert.strictEqual(refused._tag, "LockHeld")
        assert.include(refused.message, `pipeline "${pipelineName}" is already running`.replace("pipeline", "Pipeline"))
        assert.include(refused.message, `pid ${process.pid}`)

        const waiting = yield* Effect.fork(Runner.run(pipeline, options({ lock: "wait", lockPollInterval: "100 millis" })))
        yield* Deferred.succeed(release, undefined)
        const firstSummary = yield* Fiber.join(first)
        const secondSummary = yield* withTestClock(Fiber.join(waiting), "100 millis")
        assert.strictEqual(firstSummary.counts.read, 800)
        // It waited for the lock, so it started from the first run's checkpoint: nothing left to read.
        assert.strictEqual(secondSummary.counts.read, 0)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("interruption finishes the in-flight batch whole and records the run as interrupted", () =>
      Effect.gen(function*() {
        const writing = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const { source } = yield* makeSource(items(1200))
        const { screen } = yield* makeScreen()
        const { rows, sink } = yield* makeMemorySink({
          beforeWrite: (_, call) =>
            call === 2 ? Effect.zipRight(Deferred.succeed(writing, undefined), Deferred.await(release)) : Effect.void
        })
        const pipeline = makePipeline(source, screen, sink)
        const running = yield* Effect.fork(Runner.run(pipeline, options()))
        yield* Deferred.await(writing)
        const interrupting = yield* Effect.fork(Fiber.interrupt(running))
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(interrupting)

        assert.strictEqual((yield* storedIds(rows)).length, 1000)
        assert.deepStrictEqual(yield* checkpoint, Option.some("999"))
        const run = yield* lastRun
        assert.strictEqual(run.outcome, "interrupted")
        assert.strictEqual(run.counts.read, 1000)
        assert.include(Option.getOrElse(run.error, () => ""), "interrupted")
        // The lock was released: the next run goes ahead and finishes the rest.
        const rest = yield* Runner.run(pipeline, options())
        assert.strictEqual(rest.counts.read, 200)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("limit stops after N source records and commits them", () =>
      Effect.gen(function*() {
        const { source } = yield* makeSource(items(1200))
        const { screen } = yield* makeScreen()
        const { rows, sink } = yield* makeMemorySink()
        const pipeline = makePipeline(source, screen, sink)
        const first = yield* Runner.run(pipeline, options({ limit: Option.some(700) }))
        assert.strictEqual(first.counts.read, 700)
        assert.deepStrictEqual(yield* checkpoint, Option.some("699"))
        const second = yield* Runner.run(pipeline, options({ limit: Option.some(700) }))
        assert.strictEqual(second.counts.read, 500)
        assert.strictEqual((yield* Ref.get(rows)).size, 1200)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a transactional sink commits its writes with the checkpoint: a failed transaction leaves neither", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        const records = items(120).map((item) => item.id === "r0042" ? { ...item, value: -1 } : item)
        const { source } = yield* makeSource(records)
        const { screen } = yield* makeScreen()
        const failAt = yield* Ref.make<Option.Option<string>>(Option.some("r0060"))
        const { ids, sink } = yield* makeSqlSink({
          afterCommit: (batch) =>
            Effect.flatMap(Ref.get(failAt), (id) =>
              Option.isSome(id) && batch.some((item) => item.id === id.value)
                ? Effect.fail(fatal("sql-sink", "the transaction failed after the commit call"))
                : Effect.void)
        })
        const pipeline = makePipeline(source, screen, sink)
        const failure = yield* Effect.flip(Runner.run(pipeline, options({ batchSize: 50 })))
        assert.strictEqual(failure._tag, "RunFailed")
        // Batch 1 committed (with the dead letter of r0042, rejected by the sink in its transaction);
        // batch 2's rows, checkpoint and counts were rolled back together.
        assert.deepStrictEqual(yield* checkpoint, Option.some("49"))
        assert.strictEqual((yield* ids).length, 49)
        assert.deepStrictEqual((yield* store.deadLetters({ pipeline: pipelineName })).map((l) => l.recordKey), ["r0042"])
        assert.strictEqual((yield* lastRun).counts.read, 50)

        yield* Ref.set(failAt, Option.none())
        const summary = yield* Runner.run(pipeline, options({ batchSize: 50 }))
        assert.strictEqual(summary.counts.read, 70)
        assert.strictEqual((yield* ids).length, 119)
        assert.deepStrictEqual(yield* checkpoint, Option.some("119"))
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a stored cursor that does not decode is a clear fatal error", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.startRun({ runId: "old-run", pipeline: pipelineName, startedAt: new Date(0), dryRun: false })
        yield* store.commitBatch({
          pipeline: pipelineName,
          runId: "old-run",
          cursor: Option.some(JSON.stringify({ offset: "12" })),
          deadLetters: [],
          replayed: [],
          counts: { read: 0, written: 0, skipped: 0, deadLettered: 0, retries: 0, actions: {} }
        })
        const { source } = yield* makeSource(items(10))
        const { screen } = yield* makeScreen()
        const { rows, sink } = yield* makeMemorySink()
        const failure = yield* Effect.flip(Runner.run(makePipeline(source, screen, sink), options()))
        assert.strictEqual(failure._tag, "StateStoreError")
        if (failure._tag !== "StateStoreError") return
        assert.strictEqual(failure.reason, "Corrupt")
        assert.include(failure.message, `pipeline "${pipelineName}"`)
        assert.include(failure.message, "reset")
        assert.strictEqual((yield* Ref.get(rows)).size, 0)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a sink batch failing record-level is retried one record at a time, in and out of transactions", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        const { source } = yield* makeSource(items(60))
        const { screen } = yield* makeScreen()
        const culprit = (batch: ReadonlyArray<Item>) =>
          batch.some((item) => item.id === "r0030") ? Effect.fail(recordLevel("sink", "r0030 breaks the batch")) : Effect.void
        const memory = yield* makeMemorySink({ beforeWrite: culprit })
        const sql = yield* makeSqlSink({ afterCommit: culprit })

        const plain = yield* Runner.run(makePipeline(source, screen, memory.sink), options({ batchSize: 25 }))
        assert.deepStrictEqual([plain.counts.written, plain.counts.deadLettered], [59, 1])
        assert.strictEqual((yield* storedIds(memory.rows)).length, 59)

        yield* store.resetCheckpoint(pipelineName)
        const transactional = yield* Runner.run(makePipeline(source, screen, sql.sink), options({ batchSize: 25 }))
        assert.deepStrictEqual([transactional.counts.written, transactional.counts.deadLettered], [59, 1])
        const ids = yield* sql.ids
        assert.strictEqual(ids.length, 59)
        assert.notInclude(ids, "r0030")
        assert.deepStrictEqual(yield* checkpoint, Option.some("59"))
        assert.deepStrictEqual(
          (yield* store.deadLetters({ pipeline: pipelineName })).map((l) => [l.recordKey, l.stage]),
          [["r0030", "test-sink"], ["r0030", "sql-sink"]]
        )
      }).pipe(Effect.provide(backend.layer)))

    it.effect("counts source records once when a transform fans them out; mapEffect rejects only the culprit", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        const { source } = yield* makeSource(items(10))
        const { rows, sink } = yield* makeMemorySink({
          outcome: (item) => item.id === "r0004-b" ? Stage.rejected(recordLevel("test-sink", "no b for 4")) : Stage.written("upserted")
        })
        const split = Transform.flatMap("split", (item: Item) =>
          item.value === 7 ? [] : [{ ...item, id: `${item.id}-a` }, { ...item, id: `${item.id}-b` }])
        const check = Transform.mapEffect(
          "check",
          (item: Item) => item.id === "r0002-a" ? Effect.fail(recordLevel("check", "r0002-a is invalid")) : Effect.succeed(item),
          { concurrency: 4 }
        )
        const pipeline = Pipeline.make({
          name: pipelineName,
          description: "fan-out",
          options: Schema.Struct({}),
          connectors: [],
          build: () => Pipeline.from(source).pipe(Pipeline.via(split), Pipeline.via(check), Pipeline.to(sink))
        })
        const summary = yield* Runner.run(pipeline, options())
        // r0002 and r0004 lost a part: dead-lettered once each. r0007 became nothing: skipped.
        assert.deepStrictEqual(
          [summary.counts.read, summary.counts.written, summary.counts.skipped, summary.counts.deadLettered],
          [10, 7, 1, 2]
        )
        assert.strictEqual(summary.counts.actions.upserted, 16)
        assert.strictEqual((yield* Ref.get(rows)).size, 16)
        const letters = yield* store.deadLetters({ pipeline: pipelineName })
        assert.deepStrictEqual(letters.map((l) => [l.recordKey, l.stage]), [["r0002", "check"], ["r0004", "test-sink"]])
        // The dead letter keeps the source record, which is what a replay feeds in again.
        assert.deepStrictEqual(JSON.parse(letters[0]!.record), { id: "r0002", value: 2 })
      }).pipe(Effect.provide(backend.layer)))

    it.effect("options that do not decode fail with a ConfigError before anything runs", () =>
      Effect.gen(function*() {
        const { source } = yield* makeSource(items(10))
        const { screen } = yield* makeScreen()
        const { sink } = yield* makeMemorySink()
        const failure = yield* Effect.flip(
          Runner.run(makePipeline(source, screen, sink), options({ rawOptions: { minimum: "lots" } }))
        )
        assert.strictEqual(failure._tag, "ConfigError")
        if (failure._tag !== "ConfigError") return
        assert.strictEqual(failure.key, `${pipelineName}.minimum`)
        assert.strictEqual(failure.value, "\"lots\"")
        assert.deepStrictEqual(yield* Effect.flatMap(StateStore, (s) => s.runs({ limit: 10 })), [])
      }).pipe(Effect.provide(backend.layer)))
  })
}
