// The StateStore port on @effect/sql: one implementation for SQLite (the embedded default) and
// MySQL/MariaDB (the Edge database, so that a transactional sink commits its writes and the checkpoint
// together). The dialect comes from the SqlClient; the few differences go through `onDialectOrElse`.
//
// Rows are decoded with Schema where they enter (SqlSchema), and every SQL failure becomes a
// StateStoreError whose reason tells the runner whether to retry (see internal/sqlStoreError.ts).
import { SqlClient } from "@effect/sql"
import * as SqlSchema from "@effect/sql/SqlSchema"
import { SqlError } from "@effect/sql/SqlError"
import { Clock, Effect, Layer, Option, ParseResult, Ref, Schema } from "effect"
import type { LockHeld } from "./EtlError.js"
import { StateStoreError } from "./EtlError.js"
import * as LockDecision from "./internal/lockDecision.js"
import * as SqlStoreError from "./internal/sqlStoreError.js"
// The row Schemas decode to the port's types: `service` below is typed as StateStoreService, so a row
// Schema that drifts from Checkpoint, Run or DeadLetter fails to compile.
import {
  DeadLetterStatus,
  type LockOwner,
  RunCounts,
  RunOutcome,
  StateStore,
  type StateStoreService
} from "./StateStore.js"
import * as StateStoreMigrations from "./StateStoreMigrations.js"

// --- Row Schemas: the columns as the drivers return them, decoded into the port's types. ---------------

// mysql2 returns BIGINT and COUNT(*) as numbers while they fit, as strings beyond (supportBigNumbers).
const Int = Schema.Union(Schema.Number, Schema.NumberFromString)
const DateFromMillis = Schema.transform(Int, Schema.DateFromSelf, {
  strict: true,
  decode: (millis) => new Date(millis),
  encode: (date) => date.getTime()
})
const BooleanFromInt = Schema.transform(Int, Schema.Boolean, {
  strict: true,
  decode: (n) => n !== 0,
  encode: (b) => (b ? 1 : 0)
})
const column = <A, I>(schema: Schema.Schema<A, I>, name: string) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(name))

const CheckpointRow = Schema.Struct({
  pipeline: Schema.String,
  cursor: column(Schema.String, "cursor_json"),
  runId: column(Schema.String, "run_id"),
  updatedAt: column(DateFromMillis, "updated_at")
})

const RunRow = Schema.Struct({
  runId: column(Schema.String, "run_id"),
  pipeline: Schema.String,
  startedAt: column(DateFromMillis, "started_at"),
  endedAt: column(Schema.OptionFromNullOr(DateFromMillis), "ended_at"),
  outcome: RunOutcome,
  dryRun: column(BooleanFromInt, "dry_run"),
  counts: column(Schema.parseJson(RunCounts), "counts_json"),
  error: column(Schema.OptionFromNullOr(Schema.String), "error_message")
})

const DeadLetterRow = Schema.Struct({
  id: Int,
  pipeline: Schema.String,
  runId: column(Schema.String, "run_id"),
  stage: Schema.String,
  recordKey: column(Schema.String, "record_key"),
  errorTag: column(Schema.String, "error_tag"),
  message: Schema.String,
  record: column(Schema.String, "record_json"),
  status: DeadLetterStatus,
  attempts: Int,
  createdAt: column(DateFromMillis, "created_at"),
  updatedAt: column(DateFromMillis, "updated_at")
})

const DeadLetterCountRow = Schema.Struct({ pipeline: Schema.String, status: DeadLetterStatus, count: Int })

const LockRow = Schema.Struct({
  host: Schema.String,
  pid: Int,
  runId: column(Schema.String, "run_id"),
  acquiredAt: column(Int, "acquired_at"),
  heartbeatAt: column(Int, "heartbeat_at")
})

const VersionRow = Schema.Struct({ version: Int })

// Long error messages are cut so that a pathological one (a whole HTML error page) cannot fail the insert.
const clip = (text: string, max = 8000): string => (text.length > max ? `${text.slice(0, max)}…` : text)

export const make: Effect.Effect<StateStoreService, never, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const migrated = yield* Ref.make(false)
  const now = Clock.currentTimeMillis

  // withTransaction makes a failed COMMIT or ROLLBACK (a connection lost mid-transaction) a defect; it is an
  // error of the database like any other, classified the same way (a lost connection is worth a retry).
  const transactionEnd = (operation: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.catchSomeDefect(effect, (defect) =>
      defect instanceof SqlError ? Option.some(Effect.fail(SqlStoreError.fromSqlError(operation)(defect))) : Option.none()
    )

  // A transaction whose work failed and whose ROLLBACK then failed too (the server had already rolled it
  // back after a deadlock, so the savepoint is gone; the connection was lost): the work's failure is the
  // one that says what happened (1213, connection lost), not "SAVEPOINT does not exist".
  // When the COMMIT itself failed, SQLite may keep the transaction open (it does on SQLITE_BUSY): roll it
  // back, or every later transaction on the connection fails to begin. Best effort: when none is left,
  // SQLite says so, and that is fine. (A MySQL connection whose COMMIT failed is dropped by the pool.)
  const abandon = sql.onDialectOrElse({ sqlite: () => Effect.ignore(sql`ROLLBACK`), orElse: () => Effect.void })
  const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
    Effect.flatMap(Ref.make(Option.none<E>()), (failed) =>
      sql.withTransaction(Effect.tapError(effect, (error) => Ref.set(failed, Option.some(error)))).pipe(
        Effect.catchSomeDefect((defect) =>
          defect instanceof SqlError
            ? Option.some(Effect.flatMap(Ref.get(failed), Option.match({
              onNone: (): Effect.Effect<never, E | SqlError> => Effect.zipRight(abandon, Effect.fail(defect)),
              onSome: (error): Effect.Effect<never, E | SqlError> => Effect.fail(error)
            })))
            : Option.none()
        )
      ))

  const guard = (operation: string) =>
  <A, R>(effect: Effect.Effect<A, SqlError | ParseResult.ParseError | StateStoreError, R>): Effect.Effect<
    A,
    StateStoreError,
    R
  > =>
    Effect.catchAll(effect, (error) => {
      if (error instanceof StateStoreError) return Effect.fail(error)
      if (ParseResult.isParseError(error)) return Effect.fail(SqlStoreError.fromParseError(operation)(error))
      return Effect.fail(SqlStoreError.fromSqlError(operation)(error))
    }).pipe(
      transactionEnd(operation),
      Effect.withSpan(`SqlStateStore.${operation}`)
    )

  const migrate: Effect.Effect<void, StateStoreError> = Effect.gen(function*() {
    if (yield* Ref.get(migrated)) return
    yield* StateStoreMigrations.createVersionTable(sql)
    const applied = yield* SqlSchema.findAll({
      Request: Schema.Void,
      Result: VersionRow,
      execute: () => sql`SELECT version FROM edgesync_schema_version`
    })(undefined)
    const versions = new Set(applied.map((row) => row.version))
    const newest = Math.max(0, ...versions)
    if (newest > StateStoreMigrations.latestVersion) {
      return yield* new StateStoreError({
        reason: "Corrupt",
        operation: "migrate",
        detail: `the state tables are at version ${newest}, newer than this edgesync knows ` +
          `(${StateStoreMigrations.latestVersion}): upgrade edgesync`
      })
    }
    for (const migration of StateStoreMigrations.migrations) {
      if (versions.has(migration.version)) continue
      yield* Effect.logInfo(`State store: applying migration ${migration.version} (${migration.name})`)
      yield* migration.up(sql)
      yield* StateStoreMigrations.recordVersion(sql, migration, yield* now)
    }
    yield* Ref.set(migrated, true)
  }).pipe(guard("migrate"))

  const findCheckpoint = SqlSchema.findOne({
    Request: Schema.String,
    Result: CheckpointRow,
    execute: (pipeline) =>
      sql`SELECT pipeline, cursor_json, run_id, updated_at FROM edgesync_checkpoints WHERE pipeline = ${pipeline}`
  })
  const findCheckpoints = SqlSchema.findAll({
    Request: Schema.Void,
    Result: CheckpointRow,
    execute: () => sql`SELECT pipeline, cursor_json, run_id, updated_at FROM edgesync_checkpoints ORDER BY pipeline`
  })

  const upsertCheckpoint = (pipeline: string, cursor: string, runId: string, at: number) =>
    sql.onDialectOrElse({
      mysql: () =>
        sql`INSERT INTO edgesync_checkpoints (pipeline, cursor_json, run_id, updated_at)
            VALUES (${pipeline}, ${cursor}, ${runId}, ${at})
            ON DUPLICATE KEY UPDATE cursor_json = VALUES(cursor_json), run_id = VALUES(run_id),
              updated_at = VALUES(updated_at)`,
      orElse: () =>
        sql`INSERT INTO edgesync_checkpoints (pipeline, cursor_json, run_id, updated_at)
            VALUES (${pipeline}, ${cursor}, ${runId}, ${at})
            ON CONFLICT (pipeline) DO UPDATE SET cursor_json = excluded.cursor_json, run_id = excluded.run_id,
              updated_at = excluded.updated_at`
    })

  // LIMIT is written as a literal integer: MySQL 8 rejects a LIMIT bound as a prepared-statement
  // parameter of the type mysql2 sends for JavaScript numbers.
  const limitClause = (limit: number) => sql.literal(String(Math.max(0, Math.floor(limit))))
  const runColumns = sql`run_id, pipeline, started_at, ended_at, outcome, dry_run, counts_json, error_message`
  const findRuns = SqlSchema.findAll({
    Request: Schema.Struct({ pipeline: Schema.optional(Schema.String), limit: Schema.Number }),
    Result: RunRow,
    execute: ({ limit, pipeline }) =>
      pipeline === undefined
        ? sql`SELECT ${runColumns} FROM edgesync_runs ORDER BY started_at DESC, run_id DESC LIMIT ${limitClause(limit)}`
        : sql`SELECT ${runColumns} FROM edgesync_runs WHERE pipeline = ${pipeline}
              ORDER BY started_at DESC, run_id DESC LIMIT ${limitClause(limit)}`
  })

  const deadLetterColumns =
    sql`id, pipeline, run_id, stage, record_key, error_tag, message, record_json, status, attempts, created_at, updated_at`

  const lockRow = (pipeline: string) =>
    SqlSchema.findOne({
      Request: Schema.String,
      Result: LockRow,
      execute: (p) =>
        sql.onDialectOrElse({
          // FOR UPDATE holds the row (or the gap where it would be) until the transaction ends, so two
          // runs deciding at once cannot both take the lock. SQLite serialises writers by itself.
          mysql: () =>
            sql`SELECT host, pid, run_id, acquired_at, heartbeat_at FROM edgesync_locks WHERE pipeline = ${p} FOR UPDATE`,
          orElse: () => sql`SELECT host, pid, run_id, acquired_at, heartbeat_at FROM edgesync_locks WHERE pipeline = ${p}`
        })
    })(pipeline)

  const tryAcquire = (pipeline: string, owner: LockOwner, staleAfterMillis: number) =>
    transaction(Effect.gen(function*() {
      const at = yield* now
      const held = yield* lockRow(pipeline)
      const decision = yield* LockDecision.decide(held, owner, at, staleAfterMillis)
      switch (decision._tag) {
        case "Held":
          return yield* Effect.fail(LockDecision.lockHeld(pipeline, decision.holder))
        case "Ours":
          yield* sql`UPDATE edgesync_locks SET heartbeat_at = ${at} WHERE pipeline = ${pipeline}`
          return
        case "Orphaned":
          yield* Effect.logWarning(
            `Taking over the lock of "${pipeline}" from ${LockDecision.describeOwner(decision.previous)}: ${decision.why}`
          )
          yield* sql`UPDATE edgesync_locks
                     SET host = ${owner.host}, pid = ${owner.pid}, run_id = ${owner.runId},
                         acquired_at = ${at}, heartbeat_at = ${at}
                     WHERE pipeline = ${pipeline} AND run_id = ${decision.previous.runId}`
          return
        case "Free":
          yield* sql`INSERT INTO edgesync_locks (pipeline, host, pid, run_id, acquired_at, heartbeat_at)
                     VALUES (${pipeline}, ${owner.host}, ${owner.pid}, ${owner.runId}, ${at}, ${at})`
          return
      }
    }))

  const isDuplicateKey = (error: SqlError | ParseResult.ParseError | LockHeld): boolean => {
    if (error._tag !== "SqlError") return false
    const cause = error.cause
    if (typeof cause !== "object" || cause === null || !("code" in cause)) return false
    return cause.code === "ER_DUP_ENTRY" || cause.code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
      cause.code === "SQLITE_CONSTRAINT_UNIQUE"
  }

  const service: StateStoreService = {
    migrate,

    checkpoint: (pipeline) => Effect.zipRight(migrate, findCheckpoint(pipeline).pipe(guard("checkpoint"))),
    checkpoints: Effect.zipRight(migrate, findCheckpoints(undefined).pipe(guard("checkpoints"))),

    // One transaction; inside a transactional sink's transaction it becomes a savepoint of it, so the
    // sink's writes and this bookkeeping commit or roll back together.
    commitBatch: (commit) =>
      transaction(Effect.gen(function*() {
        const at = yield* now
        if (Option.isSome(commit.cursor)) yield* upsertCheckpoint(commit.pipeline, commit.cursor.value, commit.runId, at)
        // Inserted in slices so that a large batch of rejects stays under SQLite's bound-variable limit.
        for (let start = 0; start < commit.deadLetters.length; start += 200) {
          const slice = commit.deadLetters.slice(start, start + 200)
          // A record that already waits as a pending letter of the same stage (the source was read
          // again after a reset) is one more attempt of that letter, not a second one.
          const pending = yield* sql<{ readonly id: number; readonly stage: string; readonly record_key: string; readonly record_json: string }>`
            SELECT id, stage, record_key, record_json FROM edgesync_dead_letters
            WHERE pipeline = ${commit.pipeline} AND status = 'pending'
              AND record_key IN ${sql.in(slice.map((letter) => clip(letter.recordKey, 191)))}`
          const pendingId = new Map(pending.map((row) => [`${row.stage}\u0000${row.record_key}\u0000${row.record_json}`, Number(row.id)] as const))
          const fresh: Array<(typeof slice)[number]> = []
          for (const letter of slice) {
            const id = pendingId.get(`${clip(letter.stage, 191)}\u0000${clip(letter.recordKey, 191)}\u0000${letter.record}`)
            if (id === undefined) {
              fresh.push(letter)
              continue
            }
            yield* sql`UPDATE edgesync_dead_letters
                       SET attempts = attempts + 1, run_id = ${letter.runId},
                           error_tag = ${clip(letter.errorTag, 191)}, message = ${clip(letter.message)}, updated_at = ${at}
                       WHERE id = ${id}`
          }
          if (fresh.length === 0) continue
          const rows = fresh.map((letter) => ({
            pipeline: letter.pipeline,
            run_id: letter.runId,
            stage: clip(letter.stage, 191),
            record_key: clip(letter.recordKey, 191),
            error_tag: clip(letter.errorTag, 191),
            message: clip(letter.message),
            record_json: letter.record,
            status: "pending",
            attempts: 1,
            created_at: at,
            updated_at: at
          }))
          yield* sql`INSERT INTO edgesync_dead_letters ${sql.insert(rows)}`
        }
        if (commit.replayed.length > 0) {
          yield* sql`UPDATE edgesync_dead_letters SET status = 'replayed', updated_at = ${at}
                     WHERE id IN ${sql.in(commit.replayed)}`
        }
        for (const failed of commit.failedReplays ?? []) {
          yield* sql`UPDATE edgesync_dead_letters
                     SET attempts = attempts + 1, stage = ${clip(failed.stage, 191)},
                         error_tag = ${clip(failed.errorTag, 191)}, message = ${clip(failed.message)},
                         updated_at = ${at}
                     WHERE id = ${failed.id}`
        }
        yield* sql`UPDATE edgesync_runs SET counts_json = ${JSON.stringify(commit.counts)} WHERE run_id = ${commit.runId}`
      })).pipe(guard("commitBatch")),

    resetCheckpoint: (pipeline) =>
      Effect.zipRight(migrate, sql`DELETE FROM edgesync_checkpoints WHERE pipeline = ${pipeline}`.pipe(guard("resetCheckpoint"))),

    startRun: (run) =>
      Effect.zipRight(
        migrate,
        sql`INSERT INTO edgesync_runs ${
          sql.insert({
            run_id: run.runId,
            pipeline: run.pipeline,
            started_at: run.startedAt.getTime(),
            ended_at: null,
            outcome: "running",
            dry_run: run.dryRun ? 1 : 0,
            counts_json: JSON.stringify({ read: 0, written: 0, skipped: 0, deadLettered: 0, retries: 0, actions: {} }),
            error_message: null
          })
        }`.pipe(guard("startRun"))
      ),

    finishRun: (run) =>
      sql`UPDATE edgesync_runs
          SET ended_at = ${run.endedAt.getTime()}, outcome = ${run.outcome}, counts_json = ${JSON.stringify(run.counts)},
              error_message = ${Option.match(run.error, { onNone: () => null, onSome: (e) => clip(e) })}
          WHERE run_id = ${run.runId}`.pipe(guard("finishRun")),

    runs: (filter) =>
      Effect.zipRight(
        migrate,
        findRuns({ limit: filter.limit, ...(filter.pipeline === undefined ? {} : { pipeline: filter.pipeline }) })
          .pipe(guard("runs"))
      ),

    deadLetters: (filter) => {
      if (filter.ids !== undefined && filter.ids.length === 0) return Effect.succeed([])
      const conditions = [
        ...(filter.pipeline === undefined ? [] : [sql`pipeline = ${filter.pipeline}`]),
        ...(filter.status === undefined ? [] : [sql`status = ${filter.status}`]),
        ...(filter.ids === undefined ? [] : [sql`id IN ${sql.in(filter.ids)}`])
      ]
      const limit = filter.limit === undefined ? sql`` : sql`LIMIT ${limitClause(filter.limit)}`
      return Effect.zipRight(
        migrate,
        SqlSchema.findAll({
          Request: Schema.Void,
          Result: DeadLetterRow,
          execute: () =>
            sql`SELECT ${deadLetterColumns} FROM edgesync_dead_letters WHERE ${sql.and(conditions)} ORDER BY id ${limit}`
        })(undefined).pipe(guard("deadLetters"))
      )
    },

    deadLetterCounts: Effect.zipRight(
      migrate,
      SqlSchema.findAll({
        Request: Schema.Void,
        Result: DeadLetterCountRow,
        execute: () =>
          sql`SELECT pipeline, status, COUNT(*) AS count FROM edgesync_dead_letters
              GROUP BY pipeline, status ORDER BY pipeline, status`
      })(undefined).pipe(guard("deadLetterCounts"))
    ),

    setDeadLetterStatus: (ids, status) =>
      ids.length === 0 ? Effect.void : Effect.flatMap(now, (at) =>
        sql`UPDATE edgesync_dead_letters SET status = ${status}, updated_at = ${at} WHERE id IN ${sql.in(ids)}`
      ).pipe(guard("setDeadLetterStatus")),

    acquireLock: (pipeline, owner, staleAfterMillis) =>
      Effect.zipRight(
        migrate,
        tryAcquire(pipeline, owner, staleAfterMillis).pipe(
          // Two runs found the lock free at once and both inserted: the loser decides again and now
          // sees the winner's row.
          Effect.catchIf(isDuplicateKey, () => tryAcquire(pipeline, owner, staleAfterMillis)),
          Effect.catchAll((error): Effect.Effect<never, LockHeld | StateStoreError> =>
            error._tag === "LockHeld" ? Effect.fail(error) : guard("acquireLock")(Effect.fail(error))
          ),
          transactionEnd("acquireLock")
        )
      ),

    heartbeatLock: (pipeline, owner) =>
      Effect.flatMap(now, (at) =>
        sql`UPDATE edgesync_locks SET heartbeat_at = ${at} WHERE pipeline = ${pipeline} AND run_id = ${owner.runId}`
      ).pipe(guard("heartbeatLock")),

    releaseLock: (pipeline, owner) =>
      sql`DELETE FROM edgesync_locks WHERE pipeline = ${pipeline} AND run_id = ${owner.runId}`.pipe(guard("releaseLock"))
  }
  return service
})

/** The state store on the SqlClient in context. Tables are created on first use (`migrate` is idempotent). */
export const layer: Layer.Layer<StateStore, never, SqlClient.SqlClient> = Layer.effect(StateStore, make)

/** Like `layer`, but migrates while the layer is built, so a missing or read-only database fails early. */
export const layerMigrated: Layer.Layer<StateStore, StateStoreError, SqlClient.SqlClient> = Layer.effect(
  StateStore,
  Effect.tap(make, (store) => store.migrate)
)
