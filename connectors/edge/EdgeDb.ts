// The Edge database: a SqlClient on MySQL/MariaDB (@effect/sql-mysql2) or SQLite (@effect/sql-sqlite-node)
// opened from `edge.database`, probed once, with its dialect, and the connector's migrations.
//
// The same SqlClient is also offered as `SqlClient.SqlClient`, for the core state store: @effect/sql
// finds the open transaction through a global `TransactionConnection` tag, so any statement of that
// client inside `transaction` (the web-sales writes and the runner's checkpoint alike) runs on the
// transaction's connection and commits or rolls back with it.
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { MysqlClient } from "@effect/sql-mysql2"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Context, Duration, Effect, Layer, Option, Ref, type Scope } from "effect"
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import type { ConfigError } from "../../core/EtlError.js"
import { type DatabaseTarget, describe, type MysqlTarget, type SqliteTarget } from "./DatabaseUrl.js"
import { type EdgeConfig, type EdgeConfigEncoded, fromUrl } from "./EdgeConfig.js"
import { EdgeDbError, fromSqlError, fromTransactionEnd, mayBeStorage, reasonOf, withStorageProblem } from "./EdgeDbError.js"
import * as SqliteStorage from "./SqliteStorage.js"
import * as Dialect from "./sql/Dialect.js"
import * as Migrations from "./sql/Migrations.js"
import * as ProbeStatements from "./sql/ProbeStatements.js"

export interface EdgeDbSettings {
  readonly changeSettleMillis: number
  readonly matchKeyLookbackMillis: number
}

export interface EdgeDbService {
  readonly sql: SqlClient.SqlClient
  readonly dialect: Dialect.Dialect
  /** The database as people should see it (never with a password). */
  readonly target: string
  readonly settings: EdgeDbSettings
  /** Runs statements, turning their failures into EdgeDbError for `operation`, within the query timeout. */
  readonly use: <A, R>(operation: string, effect: Effect.Effect<A, SqlError, R>) => Effect.Effect<A, EdgeDbError, R>
  /**
   * Runs `effect` in one transaction: every statement of this client inside it (and of the state store
   * built on the same client) commits or rolls back together. A failure of `effect` rolls back.
   */
  readonly transaction: <A, E, R>(
    operation: string,
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, Exclude<E, SqlError> | EdgeDbError, R>
  /** Creates or upgrades the Edge tables and edgesync's Edge-side tables; the names of migrations applied. */
  readonly migrate: Effect.Effect<ReadonlyArray<string>, EdgeDbError>
  /**
   * Store numbers found to be licensed web stores while this connection is open (a run): the web-sales
   * sink checks a store once per run, not once per batch.
   */
  readonly verifiedWebStores: Ref.Ref<ReadonlySet<number>>
}

export class EdgeDb extends Context.Tag("edgesync/edge/EdgeDb")<EdgeDb, EdgeDbService>() {}

const isSqlError = (u: unknown): u is SqlError => u instanceof SqlError
const isEdgeDbError = (u: unknown): u is EdgeDbError => u instanceof EdgeDbError

/**
 * For a SQLite file, an error that may come from the storage under it gets the file system's diagnosis
 * (read-only, full): SQLite itself often reports those as "unable to open database file" or "disk I/O
 * error", which tell a person nothing they can act on.
 */
const storageCheck = (target: DatabaseTarget) => (error: EdgeDbError): Effect.Effect<never, EdgeDbError> =>
  target._tag !== "sqlite" || target.path === ":memory:" || !mayBeStorage(error.reason)
    ? Effect.fail(error)
    : Effect.flatMap(SqliteStorage.diagnose(resolve(target.path)), (problem) =>
      Effect.fail(Option.match(problem, { onNone: () => error, onSome: (p) => withStorageProblem(error, p) })))

const service = (
  sql: SqlClient.SqlClient,
  dialect: Dialect.Dialect,
  target: string,
  config: EdgeConfig,
  verifiedWebStores: Ref.Ref<ReadonlySet<number>>,
  check: (error: EdgeDbError) => Effect.Effect<never, EdgeDbError>
): EdgeDbService => {
  const timeout = Duration.millis(config.queryTimeoutMillis)
  const use = <A, R>(operation: string, effect: Effect.Effect<A, SqlError, R>): Effect.Effect<A, EdgeDbError, R> =>
    effect.pipe(
      Effect.mapError(fromSqlError(operation, target)),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new EdgeDbError({ reason: "Timeout", operation, target, detail: `no answer within ${Duration.format(timeout)}` })
      }),
      Effect.catchAll(check),
      Effect.withSpan(`EdgeDb.${operation}`)
    )
  // SQLite may keep a transaction open when its COMMIT fails (it does on SQLITE_BUSY; on a full disk it
  // usually rolls back by itself): roll it back, or every later transaction on this connection would fail
  // to begin. Best effort: when no transaction is left, SQLite says so, and that is fine. (A MySQL
  // connection whose COMMIT failed is broken and dropped by the pool.)
  const abandon = dialect === Dialect.sqlite ? Effect.ignore(sql.unsafe("ROLLBACK")) : Effect.void
  const transaction = <A, E, R>(operation: string, effect: Effect.Effect<A, E, R>) =>
    Effect.flatMap(Ref.make(Option.none<E>()), (failed) =>
      Effect.catchIf(
        sql.withTransaction(Effect.tapError(effect, (error) => Ref.set(failed, Option.some(error)))),
        isSqlError,
        (error) => Effect.fail(fromSqlError(operation, target)(error))
      ).pipe(
        // withTransaction makes a failed COMMIT or ROLLBACK a defect (a connection lost mid-transaction,
        // a savepoint the server already rolled back with a deadlock): it is worth a retry, and when the
        // work itself failed first, that first failure is the one to report and classify.
        Effect.catchSomeDefect((defect) =>
          isSqlError(defect)
            ? Option.some(Effect.flatMap(Ref.get(failed), (first) =>
              Option.match(first, {
                onNone: () => Effect.zipRight(abandon, Effect.fail(fromTransactionEnd(operation, target)(defect))),
                onSome: (error) => Effect.fail(isSqlError(error) ? fromSqlError(operation, target)(error) : error as Exclude<E, SqlError>)
              })))
            : Option.none()
        ),
        Effect.catchIf(isEdgeDbError, check)
      )).pipe(Effect.withSpan(`EdgeDb.${operation}`))
  return {
    sql,
    dialect,
    target,
    settings: { changeSettleMillis: config.changeSettleMillis, matchKeyLookbackMillis: config.matchKeyLookbackMillis },
    use,
    transaction,
    migrate: use("migrate", Migrations.apply(sql, dialect)),
    verifiedWebStores
  }
}

const readPem = (target: string, key: string, path: string | undefined): Effect.Effect<Option.Option<string>, EdgeDbError> =>
  path === undefined ? Effect.succeed(Option.none()) : Effect.try({
    try: () => Option.some(readFileSync(path, "utf8")),
    catch: (cause) =>
      new EdgeDbError({
        reason: "Unopenable",
        operation: "connect",
        target,
        detail: `cannot read edge.tls.${key} (${path}): ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })

const openMysql = (
  target: MysqlTarget,
  config: EdgeConfig
): Effect.Effect<SqlClient.SqlClient, EdgeDbError, Scope.Scope> =>
  Effect.gen(function*() {
    const described = describe(target)
    const password = config.password !== undefined ? Option.some(config.password) : target.password
    const tls = config.tls
    const ssl = tls === undefined ? undefined : {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...Option.match(yield* readPem(described, "ca", tls.ca), { onNone: () => ({}), onSome: (ca) => ({ ca }) }),
      ...Option.match(yield* readPem(described, "cert", tls.cert), { onNone: () => ({}), onSome: (cert) => ({ cert }) }),
      ...Option.match(yield* readPem(described, "key", tls.key), { onNone: () => ({}), onSome: (key) => ({ key }) }),
      ...(tls.servername === undefined ? {} : { servername: tls.servername })
    }
    const client = yield* MysqlClient.make({
      host: target.host,
      port: target.port,
      database: target.database,
      username: target.user,
      ...Option.match(password, { onNone: () => ({}), onSome: (p) => ({ password: p }) }),
      maxConnections: config.poolSize,
      poolConfig: {
        connectTimeout: config.connectTimeoutMillis,
        maxIdle: config.poolSize,
        enableKeepAlive: true,
        charset: "utf8mb4_unicode_ci",
        // Dates the driver converts (other modules' DATETIME columns) are UTC, whatever the host's zone.
        timezone: "Z",
        ...(ssl === undefined ? {} : { ssl })
      }
    }).pipe(
      Effect.provide(Reactivity.layer),
      // The client probes with `SELECT 1` as it opens; say which server failed, and how.
      Effect.mapError((error) =>
        error.message === "MysqlClient: Connection timeout"
          ? new EdgeDbError({
            reason: "Unreachable",
            operation: "connect",
            target: described,
            detail: `no answer from ${target.host}:${target.port} within 5 seconds`
          })
          : new EdgeDbError({
            reason: reasonOf(error.cause),
            operation: "connect",
            target: described,
            detail: `${target.host}:${target.port}: ${error.cause instanceof Error ? error.cause.message : error.message}`
          })
      )
    )
    return client
  })

/**
 * Opens (creating if needed) a SQLite file. A new file is created readable and writable by its owner
 * only (0600): it holds customers' contact details. SQLite gives its -wal and -shm files the main
 * file's permissions.
 */
const openSqlite = (target: SqliteTarget): Effect.Effect<SqlClient.SqlClient, EdgeDbError, Scope.Scope> =>
  Effect.gen(function*() {
    const described = describe(target)
    const unopenable = (cause: unknown) =>
      new EdgeDbError({
        reason: "Unopenable",
        operation: "connect",
        target: described,
        detail: cause instanceof Error ? cause.message : String(cause)
      })
    const filename = target.path === ":memory:" ? target.path : resolve(target.path)
    if (filename !== ":memory:" && !existsSync(filename)) {
      yield* Effect.try({
        try: () => {
          mkdirSync(dirname(filename), { recursive: true, mode: 0o700 })
          try {
            closeSync(openSync(filename, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600))
          } catch (error) {
            // Created by someone else in the meantime: theirs to set permissions on.
            if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error
          }
        },
        catch: unopenable
      })
    }
    const client = yield* SqliteClient.make({ filename }).pipe(
      Effect.provide(Reactivity.layer),
      // better-sqlite3 throws from its constructor (a directory, no permission): a defect there, an error here.
      Effect.catchAllDefect((defect) => Effect.fail(unopenable(defect)))
    )
    yield* ProbeStatements.probe(client).pipe(Effect.mapError(fromSqlError("connect", described)))
    return client
  })

/** Opens the database `config.database` names and probes it. */
export const make = (config: EdgeConfig): Effect.Effect<EdgeDbService, EdgeDbError, Scope.Scope> =>
  Effect.gen(function*() {
    const target: DatabaseTarget = config.database
    const check = storageCheck(target)
    const sql = target._tag === "mysql"
      ? yield* openMysql(target, config)
      : yield* Effect.catchAll(openSqlite(target), check)
    const verified = yield* Ref.make<ReadonlySet<number>>(new Set())
    return service(sql, target._tag === "mysql" ? Dialect.mysql : Dialect.sqlite, describe(target), config, verified, check)
  })

/** The Edge database and its SqlClient (for the state store), closed when the layer's scope closes. */
export const layer = (config: EdgeConfig): Layer.Layer<EdgeDb | SqlClient.SqlClient, EdgeDbError> =>
  Layer.scopedContext(
    Effect.map(make(config), (db) => Context.make(EdgeDb, db).pipe(Context.add(SqlClient.SqlClient, db.sql)))
  )

/** The same from a URL, other keys as in a config section (tests, tools). */
export const layerUrl = (
  url: string,
  section: Omit<EdgeConfigEncoded, "database"> = {}
): Layer.Layer<EdgeDb | SqlClient.SqlClient, EdgeDbError | ConfigError> =>
  Layer.unwrapEffect(Effect.map(fromUrl(url, section), layer))
