// The state store's tables, as numbered migrations the core owns and applies idempotently.
//
// Every table is prefixed `edgesync_` so the state can live inside a connector's own database (the Edge
// database, so that the Edge sink's writes and the checkpoint commit in one transaction). Times are
// epoch milliseconds in BIGINT columns: the same on SQLite and MySQL, and free of the server's time
// zone. A new migration is appended with the next version; applied ones are never edited.
import type { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

export interface Migration {
  readonly version: number
  readonly name: string
  readonly up: (sql: SqlClient) => Effect.Effect<void, SqlError>
}

const statements = (sql: SqlClient, all: ReadonlyArray<string>): Effect.Effect<void, SqlError> =>
  Effect.forEach(all, (statement) => sql.unsafe(statement), { discard: true })

export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "checkpoints, runs, dead letters, locks",
    up: (sql) =>
      sql.onDialectOrElse({
        mysql: () =>
          statements(sql, [
            `CREATE TABLE IF NOT EXISTS edgesync_checkpoints (
              pipeline VARCHAR(191) NOT NULL PRIMARY KEY,
              cursor_json MEDIUMTEXT NOT NULL,
              run_id VARCHAR(64) NOT NULL,
              updated_at BIGINT NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
            `CREATE TABLE IF NOT EXISTS edgesync_runs (
              run_id VARCHAR(64) NOT NULL PRIMARY KEY,
              pipeline VARCHAR(191) NOT NULL,
              started_at BIGINT NOT NULL,
              ended_at BIGINT NULL,
              outcome VARCHAR(16) NOT NULL,
              dry_run TINYINT NOT NULL,
              counts_json TEXT NOT NULL,
              error_message TEXT NULL,
              INDEX edgesync_runs_pipeline (pipeline, started_at)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
            `CREATE TABLE IF NOT EXISTS edgesync_dead_letters (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              pipeline VARCHAR(191) NOT NULL,
              run_id VARCHAR(64) NOT NULL,
              stage VARCHAR(191) NOT NULL,
              record_key VARCHAR(191) NOT NULL,
              error_tag VARCHAR(191) NOT NULL,
              message TEXT NOT NULL,
              record_json MEDIUMTEXT NOT NULL,
              status VARCHAR(16) NOT NULL,
              attempts INT NOT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL,
              INDEX edgesync_dead_letters_pipeline (pipeline, status)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
            `CREATE TABLE IF NOT EXISTS edgesync_locks (
              pipeline VARCHAR(191) NOT NULL PRIMARY KEY,
              host VARCHAR(191) NOT NULL,
              pid INT NOT NULL,
              run_id VARCHAR(64) NOT NULL,
              acquired_at BIGINT NOT NULL,
              heartbeat_at BIGINT NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`
          ]),
        orElse: () =>
          statements(sql, [
            `CREATE TABLE IF NOT EXISTS edgesync_checkpoints (
              pipeline TEXT NOT NULL PRIMARY KEY,
              cursor_json TEXT NOT NULL,
              run_id TEXT NOT NULL,
              updated_at INTEGER NOT NULL
            )`,
            `CREATE TABLE IF NOT EXISTS edgesync_runs (
              run_id TEXT NOT NULL PRIMARY KEY,
              pipeline TEXT NOT NULL,
              started_at INTEGER NOT NULL,
              ended_at INTEGER NULL,
              outcome TEXT NOT NULL,
              dry_run INTEGER NOT NULL,
              counts_json TEXT NOT NULL,
              error_message TEXT NULL
            )`,
            `CREATE INDEX IF NOT EXISTS edgesync_runs_pipeline ON edgesync_runs (pipeline, started_at)`,
            `CREATE TABLE IF NOT EXISTS edgesync_dead_letters (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              pipeline TEXT NOT NULL,
              run_id TEXT NOT NULL,
              stage TEXT NOT NULL,
              record_key TEXT NOT NULL,
              error_tag TEXT NOT NULL,
              message TEXT NOT NULL,
              record_json TEXT NOT NULL,
              status TEXT NOT NULL,
              attempts INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            )`,
            `CREATE INDEX IF NOT EXISTS edgesync_dead_letters_pipeline ON edgesync_dead_letters (pipeline, status)`,
            `CREATE TABLE IF NOT EXISTS edgesync_locks (
              pipeline TEXT NOT NULL PRIMARY KEY,
              host TEXT NOT NULL,
              pid INTEGER NOT NULL,
              run_id TEXT NOT NULL,
              acquired_at INTEGER NOT NULL,
              heartbeat_at INTEGER NOT NULL
            )`
          ])
      })
  }
]

export const latestVersion = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0)

/** Creates the version table when missing. */
export const createVersionTable = (sql: SqlClient): Effect.Effect<void, SqlError> =>
  sql.onDialectOrElse({
    mysql: () =>
      sql.unsafe(`CREATE TABLE IF NOT EXISTS edgesync_schema_version (
        version INT NOT NULL PRIMARY KEY,
        name VARCHAR(191) NOT NULL,
        applied_at BIGINT NOT NULL
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`),
    orElse: () =>
      sql.unsafe(`CREATE TABLE IF NOT EXISTS edgesync_schema_version (
        version INTEGER NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      )`)
  }).pipe(Effect.asVoid)

/** Records that `migration` was applied; a concurrent migrator that got there first is fine. */
export const recordVersion = (sql: SqlClient, migration: Migration, appliedAt: number): Effect.Effect<void, SqlError> =>
  sql.onDialectOrElse({
    mysql: () =>
      sql`INSERT IGNORE INTO edgesync_schema_version (version, name, applied_at)
          VALUES (${migration.version}, ${migration.name}, ${appliedAt})`,
    orElse: () =>
      sql`INSERT OR IGNORE INTO edgesync_schema_version (version, name, applied_at)
          VALUES (${migration.version}, ${migration.name}, ${appliedAt})`
  }).pipe(Effect.asVoid)
