// The one place where MySQL/MariaDB and SQLite differ for the Edge connector: upserts, JSON columns,
// timestamps as text, booleans, bound-parameter limits and how a new row's id comes back. Every
// statement module asks this record instead of branching on the database itself.
import { Effect, Schema } from "effect"
import type { SqlError } from "@effect/sql/SqlError"

export type DialectName = "mysql" | "sqlite"

export interface Dialect {
  readonly name: DialectName
  /**
   * Bound parameters one statement may carry. MySQL's protocol allows 65,535 placeholders and SQLite
   * (as bundled by better-sqlite3) 32,766; we stay below both with room for a WHERE clause.
   */
  readonly maxParams: number
  /** SQL text of a timestamp column as `YYYY-MM-DD HH:MM:SS.ffffff` (MySQL) / `.fff` (SQLite). */
  readonly timestampText: (column: string) => string
  /** SQL giving the database's current time, `millis` milliseconds ago, in the `timestampText` form. */
  readonly nowMinusMillis: string
  /** SQL text of a JSON column (MySQL 8 hands JSON columns back parsed; we always want the text). */
  readonly jsonText: (column: string) => string
  /**
   * The tail of a multi-row INSERT that turns it into an upsert on `conflict` (a unique key), setting
   * `update` columns to the incoming row's values. MySQL's `ON DUPLICATE KEY UPDATE col = VALUES(col)`
   * is deprecated in MySQL 8.0.20 but is the only spelling MariaDB accepts; the row-alias form is not.
   */
  readonly upsertTail: (conflict: ReadonlyArray<string>, update: ReadonlyArray<string>) => string
  /** The tail of a multi-row INSERT that ignores rows whose unique key already exists. */
  readonly insertIgnoreHead: string
  readonly insertIgnoreTail: (conflict: ReadonlyArray<string>) => string
  /** Money column as integer cents in SQL (for sums): MySQL DECIMAL is exact; SQLite keeps money as text. */
  readonly centsOf: (column: string) => string
  /** Runs an INSERT of one row and returns the generated id (insertId / lastInsertRowid). */
  readonly insertReturningId: (statement: SqlStatementRaw) => Effect.Effect<number, SqlError>
  /**
   * Runs a multi-row INSERT of `rows` rows and returns a lower bound of the ids it generated: every
   * row it inserted has an id at or above it. MySQL reports the first generated id (ids within one
   * statement only increase, in every innodb_autoinc_lock_mode); SQLite the last, and its single writer
   * numbers a statement's rows consecutively. Callers read the rows back from this bound and match
   * them by a unique key, so a wrong bound could only miss rows (and be noticed), never mix them up.
   */
  readonly insertManyLowestId: (statement: SqlStatementRaw, rows: number) => Effect.Effect<number, SqlError>
}

/** A statement whose driver-level result (`.raw`) carries the generated id. */
export interface SqlStatementRaw {
  readonly raw: Effect.Effect<unknown, SqlError>
}

// The driver reports the id of every INSERT; not finding it means the driver changed: a defect.
const MysqlInsertResult = Schema.Struct({ insertId: Schema.Number })
const SqliteInsertResult = Schema.Struct({ lastInsertRowid: Schema.Union(Schema.Number, Schema.BigIntFromSelf) })

export const mysql: Dialect = {
  name: "mysql",
  maxParams: 60_000,
  timestampText: (column) => `DATE_FORMAT(${column}, '%Y-%m-%d %H:%i:%s.%f')`,
  nowMinusMillis: "DATE_FORMAT(NOW(6) - INTERVAL (? * 1000) MICROSECOND, '%Y-%m-%d %H:%i:%s.%f')",
  jsonText: (column) => `CAST(${column} AS CHAR)`,
  upsertTail: (_conflict, update) =>
    `ON DUPLICATE KEY UPDATE ${update.map((column) => `${column} = VALUES(${column})`).join(", ")}`,
  insertIgnoreHead: "INSERT IGNORE INTO",
  insertIgnoreTail: () => "",
  centsOf: (column) => `CAST(${column} * 100 AS SIGNED)`,
  insertReturningId: (statement) =>
    statement.raw.pipe(
      Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(MysqlInsertResult)(raw))),
      Effect.map((result) => result.insertId)
    ),
  insertManyLowestId: (statement) =>
    statement.raw.pipe(
      Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(MysqlInsertResult)(raw))),
      Effect.map((result) => result.insertId)
    )
}

export const sqlite: Dialect = {
  name: "sqlite",
  maxParams: 30_000,
  timestampText: (column) => column,
  nowMinusMillis: "strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%.3f seconds', ? / 1000.0))",
  jsonText: (column) => column,
  upsertTail: (conflict, update) =>
    `ON CONFLICT (${conflict.join(", ")}) DO UPDATE SET ${update.map((column) => `${column} = excluded.${column}`).join(", ")}`,
  insertIgnoreHead: "INSERT INTO",
  insertIgnoreTail: (conflict) => `ON CONFLICT (${conflict.join(", ")}) DO NOTHING`,
  // Money is canonical two-decimal text on SQLite ("12.30", "-5.00"): dropping the point gives exact cents.
  centsOf: (column) => `CAST(REPLACE(${column}, '.', '') AS INTEGER)`,
  insertReturningId: (statement) =>
    statement.raw.pipe(
      Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(SqliteInsertResult)(raw))),
      Effect.map((result) => Number(result.lastInsertRowid))
    ),
  insertManyLowestId: (statement, rows) =>
    statement.raw.pipe(
      Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(SqliteInsertResult)(raw))),
      Effect.map((result) => Number(result.lastInsertRowid) - rows + 1)
    )
}

/**
 * Splits rows so that each multi-row statement stays under the bound-parameter limit (and a sane
 * packet size): at most `maxRows` rows and `maxParams / columns` rows each.
 */
export const chunksFor = <A>(dialect: Dialect, rows: ReadonlyArray<A>, columns: number, maxRows = 2_000): ReadonlyArray<ReadonlyArray<A>> => {
  const size = Math.max(1, Math.min(maxRows, Math.floor(dialect.maxParams / Math.max(1, columns))))
  const chunks: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size))
  return chunks
}

/** Booleans are 1/0 on both databases (better-sqlite3 cannot bind a JS boolean). */
export const bool = (value: boolean): number => (value ? 1 : 0)

/** A Date as the UTC timestamp text both databases accept and sort correctly. */
export const timestamp = (date: Date): string => date.toISOString().replace("T", " ").replace("Z", "")
