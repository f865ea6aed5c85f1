// The same state-store suite on every backend: SQLite, MariaDB, and the in-memory store.
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { join } from "node:path"
import { assert } from "vitest"
import * as SqlStoreError from "../../core/internal/sqlStoreError.js"
import * as MemoryStateStore from "../../core/MemoryStateStore.js"
import * as SqlStateStore from "../../core/SqlStateStore.js"
import type { LockOwner, NewDeadLetter, RunCounts } from "../../core/StateStore.js"
import { emptyCounts, StateStore } from "../../core/StateStore.js"
import { backends, tempDirectory } from "./support/Backends.js"

const stores: ReadonlyArray<{ readonly name: string; readonly layer: Layer.Layer<StateStore, unknown> }> = [
  ...backends.map((backend) => ({ name: backend.name, layer: backend.layer })),
  { name: "memory", layer: MemoryStateStore.layer }
]

const counts = (read: number, written: number): RunCounts => ({
  ...emptyCounts,
  read,
  written,
  actions: { created: written }
})

const letter = (pipeline: string, recordKey: string): NewDeadLetter => ({
  pipeline,
  runId: "run-1",
  stage: "screen",
  recordKey,
  errorTag: "TestError",
  message: `${recordKey} is not acceptable`,
  record: JSON.stringify({ id: recordKey, value: 1 })
})

const owner = (runId: string, overrides: Partial<LockOwner> = {}): LockOwner => ({
  host: "this-host",
  pid: process.pid,
  runId,
  ...overrides
})

// Linux never hands out pids above 2^22, so this process certainly does not exist.
const deadPid = 99_999_999

for (const backend of stores) {
  describe(`StateStore on ${backend.name}`, () => {
    it.effect("migrates idempotently and starts empty", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.migrate
        yield* store.migrate
        assert.deepStrictEqual(yield* store.checkpoints, [])
        assert.deepStrictEqual(yield* store.runs({ limit: 10 }), [])
        assert.deepStrictEqual(yield* store.deadLetterCounts, [])
      }).pipe(Effect.provide(backend.layer)))

    it.effect("commits checkpoints and run counts per batch; reset forgets the checkpoint", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.startRun({ runId: "run-1", pipeline: "p", startedAt: new Date(1_000), dryRun: false })
        assert.isTrue(Option.isNone(yield* store.checkpoint("p")))
        const commit = (cursor: string, read: number) =>
          store.commitBatch({
            pipeline: "p",
            runId: "run-1",
            cursor: Option.some(cursor),
            deadLetters: [],
            replayed: [],
            counts: counts(read, read)
          })
        yield* commit("\"a\"", 10)
        yield* commit("\"b\"", 20)
        const saved = yield* store.checkpoint("p")
        assert.deepStrictEqual(Option.map(saved, (c) => [c.pipeline, c.cursor, c.runId]), Option.some(["p", "\"b\"", "run-1"]))
        assert.deepStrictEqual((yield* store.runs({ limit: 1 }))[0]!.counts, counts(20, 20))
        // A commit without a cursor (a replay) leaves the checkpoint alone.
        yield* store.commitBatch({ pipeline: "p", runId: "run-1", cursor: Option.none(), deadLetters: [], replayed: [], counts: counts(21, 21) })
        assert.deepStrictEqual(Option.map(yield* store.checkpoint("p"), (c) => c.cursor), Option.some("\"b\""))
        assert.strictEqual((yield* store.checkpoints).length, 1)
        yield* store.resetCheckpoint("p")
        assert.isTrue(Option.isNone(yield* store.checkpoint("p")))
      }).pipe(Effect.provide(backend.layer)))

    it.effect("records runs: start, finish, newest first, by pipeline, limited", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.startRun({ runId: "a", pipeline: "p", startedAt: new Date(1_000), dryRun: false })
        yield* store.startRun({ runId: "b", pipeline: "q", startedAt: new Date(2_000), dryRun: true })
        yield* store.startRun({ runId: "c", pipeline: "p", startedAt: new Date(3_000), dryRun: false })
        yield* store.finishRun({ runId: "a", endedAt: new Date(1_500), outcome: "failed", counts: counts(5, 4), error: Option.some("it broke") })
        const all = yield* store.runs({ limit: 10 })
        assert.deepStrictEqual(all.map((run) => run.runId), ["c", "b", "a"])
        const a = all[2]!
        assert.strictEqual(a.outcome, "failed")
        assert.deepStrictEqual(a.endedAt, Option.some(new Date(1_500)))
        assert.deepStrictEqual(a.error, Option.some("it broke"))
        assert.deepStrictEqual(a.counts, counts(5, 4))
        assert.deepStrictEqual(a.startedAt, new Date(1_000))
        assert.isTrue(all[1]!.dryRun)
        assert.strictEqual(all[0]!.outcome, "running")
        assert.isTrue(Option.isNone(all[0]!.endedAt))
        assert.deepStrictEqual((yield* store.runs({ pipeline: "p", limit: 1 })).map((run) => run.runId), ["c"])
      }).pipe(Effect.provide(backend.layer)))

    it.effect("keeps dead letters: list, filter, count, replayed and failed replays, status changes", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.startRun({ runId: "run-1", pipeline: "p", startedAt: new Date(0), dryRun: false })
        yield* store.commitBatch({
          pipeline: "p",
          runId: "run-1",
          cursor: Option.some("1"),
          deadLetters: [letter("p", "k1"), letter("p", "k2"), letter("q", "k3")],
          replayed: [],
          counts: counts(3, 0)
        })
        const all = yield* store.deadLetters({})
        assert.deepStrictEqual(all.map((l) => [l.pipeline, l.recordKey, l.status, l.attempts]), [
          ["p", "k1", "pending", 1],
          ["p", "k2", "pending", 1],
          ["q", "k3", "pending", 1]
        ])
        assert.deepStrictEqual(all[0]!.record, JSON.stringify({ id: "k1", value: 1 }))
        assert.strictEqual(all[0]!.message, "k1 is not acceptable")
        const [k1, k2, k3] = all.map((l) => l.id) as [number, number, number]
        assert.deepStrictEqual((yield* store.deadLetters({ pipeline: "p" })).map((l) => l.recordKey), ["k1", "k2"])
        assert.deepStrictEqual((yield* store.deadLetters({ ids: [k3] })).map((l) => l.recordKey), ["k3"])
        assert.deepStrictEqual((yield* store.deadLetters({ ids: [] })).length, 0)
        assert.deepStrictEqual((yield* store.deadLetters({ limit: 1 })).map((l) => l.recordKey), ["k1"])

        yield* store.commitBatch({
          pipeline: "p",
          runId: "run-1",
          cursor: Option.none(),
          deadLetters: [],
          replayed: [k1],
          failedReplays: [{ id: k2, stage: "sink", errorTag: "Refused", message: "still refused" }],
          counts: counts(5, 1)
        })
        const after = yield* store.deadLetters({ pipeline: "p" })
        assert.deepStrictEqual(after.map((l) => [l.recordKey, l.status, l.attempts, l.stage, l.errorTag, l.message]), [
          ["k1", "replayed", 1, "screen", "TestError", "k1 is not acceptable"],
          ["k2", "pending", 2, "sink", "Refused", "still refused"]
        ])
        yield* store.setDeadLetterStatus([k2, k3], "discarded")
        assert.deepStrictEqual((yield* store.deadLetters({ status: "discarded" })).map((l) => l.recordKey), ["k2", "k3"])
        assert.deepStrictEqual(yield* store.deadLetterCounts, [
          { pipeline: "p", status: "discarded", count: 1 },
          { pipeline: "p", status: "replayed", count: 1 },
          { pipeline: "q", status: "discarded", count: 1 }
        ])
      }).pipe(Effect.provide(backend.layer)))

    it.effect("a record rejected again while its dead letter is pending is one more attempt of it, not a second letter", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.migrate
        yield* store.startRun({ runId: "run-1", pipeline: "p", startedAt: new Date(0), dryRun: false })
        const commit = (deadLetters: ReadonlyArray<NewDeadLetter>) =>
          store.commitBatch({ pipeline: "p", runId: "run-1", cursor: Option.none(), deadLetters, replayed: [], counts: counts(1, 0) })
        yield* commit([letter("p", "k1"), letter("p", "k2")])
        // The source read again (after a reset): k1 as it was, k2 changed since, k3 new; and k1 refused
        // by another stage too, which is another failure.
        const changed = { ...letter("p", "k2"), record: JSON.stringify({ id: "k2", value: 2 }) }
        const otherStage = { ...letter("p", "k1"), stage: "sink" }
        yield* commit([{ ...letter("p", "k1"), message: "k1 is still not acceptable" }, changed, letter("p", "k3"), otherStage])
        const letters = yield* store.deadLetters({ pipeline: "p" })
        assert.deepStrictEqual(letters.map((l) => [l.recordKey, l.attempts, l.message, l.record]), [
          ["k1", 2, "k1 is still not acceptable", letter("p", "k1").record],
          ["k2", 1, "k2 is not acceptable", letter("p", "k2").record],
          ["k2", 1, "k2 is not acceptable", changed.record],
          ["k3", 1, "k3 is not acceptable", letter("p", "k3").record],
          ["k1", 1, "k1 is not acceptable", otherStage.record]
        ])
        assert.deepStrictEqual(letters.map((l) => l.stage), ["screen", "screen", "screen", "screen", "sink"])
      }).pipe(Effect.provide(backend.layer)))

    it.effect("locks: refuses a live holder, re-enters its own, follows heartbeats, takes over a stale lock", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        const staleAfter = 60_000
        yield* store.acquireLock("p", owner("first"), staleAfter)
        yield* store.acquireLock("p", owner("first"), staleAfter)
        const refused = yield* Effect.flip(store.acquireLock("p", owner("second"), staleAfter))
        assert.strictEqual(refused._tag, "LockHeld")
        if (refused._tag !== "LockHeld") return
        assert.strictEqual(refused.pipeline, "p")
        assert.include(refused.owner, `this-host pid ${process.pid} (run first)`)
        // Another pipeline's lock is independent.
        yield* store.acquireLock("q", owner("second"), staleAfter)

        yield* TestClock.adjust("50 seconds")
        yield* store.heartbeatLock("p", owner("first"))
        yield* TestClock.adjust("50 seconds")
        assert.strictEqual((yield* Effect.flip(store.acquireLock("p", owner("second"), staleAfter)))._tag, "LockHeld")
        // Releasing someone else's lock does nothing.
        yield* store.releaseLock("p", owner("second"))
        assert.strictEqual((yield* Effect.flip(store.acquireLock("p", owner("second"), staleAfter)))._tag, "LockHeld")

        yield* TestClock.adjust("11 seconds")
        yield* store.acquireLock("p", owner("second"), staleAfter)
        assert.strictEqual((yield* Effect.flip(store.acquireLock("p", owner("first"), staleAfter)))._tag, "LockHeld")
        yield* store.releaseLock("p", owner("second"))
        yield* store.acquireLock("p", owner("first"), staleAfter)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("locks: a holder whose process is gone on this host is taken over; another host's never", () =>
      Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.acquireLock("p", owner("crashed", { pid: deadPid }), 60_000)
        yield* store.acquireLock("p", owner("next"), 60_000)
        assert.strictEqual((yield* Effect.flip(store.acquireLock("p", owner("third"), 60_000)))._tag, "LockHeld")

        // On another host the pid says nothing about liveness: only the heartbeat does.
        yield* store.acquireLock("q", owner("remote", { host: "other-host", pid: deadPid }), 60_000)
        assert.strictEqual((yield* Effect.flip(store.acquireLock("q", owner("local"), 60_000)))._tag, "LockHeld")
      }).pipe(Effect.provide(backend.layer)))
  })
}

for (const backend of backends) {
  describe(`SqlStateStore on ${backend.name}`, () => {
    it.effect("commitBatch joins an enclosing transaction: a rollback takes the bookkeeping with it", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const store = yield* StateStore
        yield* store.startRun({ runId: "run-1", pipeline: "p", startedAt: new Date(0), dryRun: false })
        const failed = yield* Effect.flip(sql.withTransaction(Effect.zipRight(
          store.commitBatch({
            pipeline: "p",
            runId: "run-1",
            cursor: Option.some("7"),
            deadLetters: [letter("p", "k1")],
            replayed: [],
            counts: counts(7, 6)
          }),
          Effect.fail("the sink's transaction failed" as const)
        )))
        assert.strictEqual(failed, "the sink's transaction failed")
        assert.isTrue(Option.isNone(yield* store.checkpoint("p")))
        assert.deepStrictEqual(yield* store.deadLetters({}), [])
        assert.deepStrictEqual((yield* store.runs({ limit: 1 }))[0]!.counts, emptyCounts)
      }).pipe(Effect.provide(backend.layer)))

    it.effect("tables are prefixed edgesync_ and the schema version is recorded once", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const first = yield* SqlStateStore.make
        const second = yield* SqlStateStore.make
        yield* first.migrate
        yield* second.migrate
        const versions = yield* sql<{ readonly version: number }>`SELECT version FROM edgesync_schema_version`
        assert.deepStrictEqual(versions.map((row) => Number(row.version)), [1])
        for (const table of ["edgesync_checkpoints", "edgesync_runs", "edgesync_dead_letters", "edgesync_locks"]) {
          const rows = yield* sql.unsafe<{ readonly n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)
          assert.strictEqual(Number(rows[0]!.n), 0, table)
        }
      }).pipe(Effect.provide(backend.client)))
  })
}

describe("SqlStateStore errors", () => {
  it.scoped("a read-only SQLite state file fails with ReadOnly and says what to check", () =>
    Effect.gen(function*() {
      const dir = yield* tempDirectory
      const filename = join(dir, "state.db")
      yield* Effect.flatMap(SqlStateStore.make, (store) => store.migrate).pipe(
        Effect.provide(SqliteClient.layer({ filename }))
      )
      const failure = yield* Effect.flatMap(
        SqlStateStore.make,
        (store) => Effect.flip(store.startRun({ runId: "r", pipeline: "p", startedAt: new Date(0), dryRun: false }))
      ).pipe(Effect.provide(SqliteClient.layer({ filename, readonly: true })))
      assert.strictEqual(failure.reason, "ReadOnly")
      assert.strictEqual(failure.classification, "fatal")
      assert.include(failure.message, "read-only")
      assert.include(failure.message, "permissions")
    }))

  it("maps driver errors to retriable or fatal reasons", () => {
    const map = (cause: object) => SqlStoreError.fromSqlError("commitBatch")(new SqlError({ cause, message: "failed" }))
    assert.strictEqual(map({ errno: 1213, code: "ER_LOCK_DEADLOCK", message: "Deadlock found" }).reason, "Unavailable")
    assert.strictEqual(map({ errno: 1205, code: "ER_LOCK_WAIT_TIMEOUT" }).reason, "Unavailable")
    assert.strictEqual(map({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }).classification, "retriable")
    assert.strictEqual(map({ code: "SQLITE_BUSY", message: "database is locked" }).reason, "Unavailable")
    assert.strictEqual(map({ errno: 1290, code: "ER_OPTION_PREVENTS_STATEMENT" }).reason, "ReadOnly")
    assert.strictEqual(map({ code: "SQLITE_FULL", message: "database or disk is full" }).reason, "ReadOnly")
    const missing = map({ errno: 1146, code: "ER_NO_SUCH_TABLE", message: "Table 'x.edgesync_runs' doesn't exist" })
    assert.strictEqual(missing.reason, "Corrupt")
    assert.include(missing.message, "migration")
    assert.include(missing.message, "edgesync_runs")
  })
})
