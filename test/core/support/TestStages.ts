// Small stages for the runner's tests: an in-memory source and sink with hooks to inject failures or
// block, and a transactional sink writing a real SQL table in the state store's database.
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Ref, Schema, Stream } from "effect"
import type { Classified } from "../../../core/EtlError.js"
import * as Stage from "../../../core/Stage.js"
import type { SinkOutcome } from "../../../core/Stage.js"
import { fatal, recordLevel, type TestError } from "./TestError.js"

export const Item = Schema.Struct({ id: Schema.String, value: Schema.Number })
export type Item = typeof Item.Type

export const items = (count: number): ReadonlyArray<Item> =>
  Array.from({ length: count }, (_, i) => ({ id: `r${String(i).padStart(4, "0")}`, value: i }))

export interface SourceHooks {
  /** Runs before the record at `index` is emitted: may fail or block. */
  readonly beforeRecord?: (index: number) => Effect.Effect<void, TestError>
}

/** A source over `records`; its cursor is the index of the last record read. */
export const makeSource = (records: ReadonlyArray<Item>, hooks: SourceHooks = {}) =>
  Effect.gen(function*() {
    /** The cursor each read started from. */
    const reads = yield* Ref.make<ReadonlyArray<Option.Option<number>>>([])
    const source = Stage.source({
      name: "test-source",
      description: "in-memory test records",
      record: Item,
      cursor: Schema.Number,
      key: (item: Item) => item.id,
      read: (cursor: Option.Option<number>) =>
        Stream.unwrap(Effect.gen(function*() {
          yield* Ref.update(reads, (all) => [...all, cursor])
          const start = Option.match(cursor, { onNone: () => 0, onSome: (last) => last + 1 })
          const stream = Stream.fromIterable(records.slice(start).map((record, k) => ({ record, cursor: start + k })))
          const before = hooks.beforeRecord
          return before === undefined ? stream : Stream.mapEffect(stream, (sourced) => Effect.as(before(sourced.cursor), sourced))
        }))
    })
    return { source, reads }
  })

export interface SinkHooks {
  /** Runs before a write (call numbers start at 1) and before anything is written: may fail or block. */
  readonly beforeWrite?: (batch: ReadonlyArray<Item>, call: number) => Effect.Effect<void, TestError>
  /** The outcome per record (default: written "upserted"). Only Written records are stored. */
  readonly outcome?: (item: Item) => SinkOutcome
  /** Offer a `plan` for dry runs. */
  readonly plan?: boolean
}

/** An idempotent in-memory sink: rows by id, plus the ids in the order they were written. */
export const makeMemorySink = (hooks: SinkHooks = {}) =>
  Effect.gen(function*() {
    const rows = yield* Ref.make<ReadonlyMap<string, Item>>(new Map())
    const writes = yield* Ref.make<ReadonlyArray<string>>([])
    const calls = yield* Ref.make(0)
    const outcomeOf = hooks.outcome ?? (() => Stage.written("upserted"))
    const sink = Stage.sink({
      name: "test-sink",
      description: "in-memory test sink",
      write: (batch: ReadonlyArray<Item>) =>
        Effect.gen(function*() {
          const call = yield* Ref.updateAndGet(calls, (n) => n + 1)
          if (hooks.beforeWrite !== undefined) yield* hooks.beforeWrite(batch, call)
          const outcomes = batch.map(outcomeOf)
          const stored = batch.filter((_, i) => outcomes[i]!._tag === "Written")
          yield* Ref.update(rows, (current) => {
            const next = new Map(current)
            for (const item of stored) next.set(item.id, item)
            return next
          })
          yield* Ref.update(writes, (all) => [...all, ...stored.map((item) => item.id)])
          return outcomes
        }),
      ...(hooks.plan === true
        ? {
          plan: (batch: ReadonlyArray<Item>) =>
            Effect.succeed(batch.map((item) => item.value % 2 === 0 ? Stage.written("would create") : Stage.written("would update")))
        }
        : {})
    })
    return { sink, rows, writes, calls }
  })

export interface SqlSinkHooks {
  /** Runs inside the transaction after `ctx.commit`: a failure here rolls back writes and bookkeeping. */
  readonly afterCommit?: (batch: ReadonlyArray<Item>) => Effect.Effect<void, TestError>
}

const sinkError = (error: SqlError): Classified => fatal("sql-sink", error.message)

/**
 * A transactional sink writing `test_sink_rows` in the state store's own database: its writes and the
 * runner's bookkeeping commit in one transaction. Records with a negative value are rejected (no write).
 */
export const makeSqlSink = (hooks: SqlSinkHooks = {}) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS test_sink_rows (id VARCHAR(64) NOT NULL PRIMARY KEY, value INT NOT NULL)`
    const upsert = (item: Item) =>
      sql.onDialectOrElse({
        mysql: () =>
          sql`INSERT INTO test_sink_rows (id, value) VALUES (${item.id}, ${item.value})
              ON DUPLICATE KEY UPDATE value = VALUES(value)`,
        orElse: () =>
          sql`INSERT INTO test_sink_rows (id, value) VALUES (${item.id}, ${item.value})
              ON CONFLICT (id) DO UPDATE SET value = excluded.value`
      })
    const sink = Stage.sink({
      name: "sql-sink",
      description: "transactional test sink",
      transactional: true,
      write: (batch: ReadonlyArray<Item>, ctx) =>
        sql.withTransaction(Effect.gen(function*() {
          const outcomes: Array<SinkOutcome> = []
          for (const item of batch) {
            if (item.value < 0) {
              outcomes.push(Stage.rejected(recordLevel("sql-sink", `negative value for ${item.id}`)))
            } else {
              yield* upsert(item)
              outcomes.push(Stage.written("upserted"))
            }
          }
          yield* ctx.commit(outcomes)
          if (hooks.afterCommit !== undefined) yield* hooks.afterCommit(batch)
          return outcomes
        })).pipe(Effect.catchTag("SqlError", (error) => Effect.fail(sinkError(error))))
    })
    const ids = sql<{ readonly id: string }>`SELECT id FROM test_sink_rows ORDER BY id`.pipe(
      Effect.map((rows) => rows.map((row) => row.id)),
      Effect.orDie
    )
    return { sink, ids }
  })
