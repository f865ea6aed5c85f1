// The one place where MySQL/MariaDB and SQLite differ for the Edge connector: upserts, JSON columns,
// timestamps as text, booleans, bound-parameter limits and how a new row's id comes back. Every
// statement module asks this record instead of branching on the database itself.
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"
import * as MultiRowInsert from "./MultiRowInsert.js"
import type { MultiRowInsert as MultiRowInsertValue } from "./MultiRowInsert.js"

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
  /**
   * The tail of a multi-row INSERT that skips rows whose key `conflict` already exists. Not MySQL's
   * INSERT IGNORE, which also turns real errors (a value too long) into warnings and stores truncated data.
   */
  readonly ignoreDuplicatesTail: (conflict: ReadonlyArray<string>) => string
  /** Money column as integer cents in SQL (for sums): MySQL DECIMAL is exact; SQLite keeps money as text. */
  readonly centsOf: (column: string) => string
  /** Runs an INSERT of one row and returns the generated id (insertId / lastInsertRowid). */
  readonly insertReturningId: (statement: SqlStatementRaw) => Effect.Effect<number, SqlError>
  /**
   * Runs a multi-row INSERT into `table` and returns the `id` and `key` columns of the rows it
   * inserted, in one round trip. SQLite: `INSERT ... RETURNING`. MySQL has no RETURNING (MariaDB's is
   * not MySQL's), so the INSERT is followed in the same query by a read of the rows from
   * `LAST_INSERT_ID()` on: the first id the INSERT generated, ids within one statement only
   * increasing in every innodb_autoinc_lock_mode. That read may also return rows other sessions
   * inserted meanwhile; callers match rows by `key` (unique), so those are ignored.
   */
  readonly insertReturningKeys: (
    sql: SqlClient.SqlClient,
    insert: MultiRowInsertValue,
    table: string,
    id: string,
    key: string
  ) => Effect.Effect<ReadonlyArray<unknown>, SqlError>
  /**
   * Runs one multi-row INSERT into a table with a generated id and returns the ids its rows should have
   * been given, in row order, to be checked by the caller. MySQL reports only the first id of a
   * multi-row INSERT; InnoDB gives the rows of an INSERT whose row count is known in advance (a "simple
   * insert") consecutive ids, `auto_increment_increment` apart, in every innodb_autoinc_lock_mode (gaps
   * come only with INSERT ... SELECT and LOAD DATA), so the others follow from it. SQLite: one row at a
   * time (an in-process call each), each reporting its own id.
   */
  readonly insertRowsReturningIds: (
    sql: SqlClient.SqlClient,
    table: string,
    columns: ReadonlyArray<string>,
    rows: ReadonlyArray<ReadonlyArray<unknown>>
  ) => Effect.Effect<ReadonlyArray<number>, SqlError>
  /**
   * Runs single-row INSERTs in order and returns the id each generated, in order. MySQL: all of them in
   * one multi-statement query (one round trip), each statement reporting its own insertId: exact
   * whatever the server does with ids, at the cost of a statement per row. SQLite: one by one (an
   * in-process call each).
   */
  readonly insertEachReturningId: (
    sql: SqlClient.SqlClient,
    statements: ReadonlyArray<MultiRowInsertValue>
  ) => Effect.Effect<ReadonlyArray<number>, SqlError>
  /**
   * Runs multi-row INSERTs in order: on MySQL as one multi-statement query (one round trip; the pool is
   * opened with multipleStatements; each INSERT has the single nested-array value MultiRowInsert gives
   * it on MySQL), on SQLite one by one (an in-process call each).
   */
  readonly runAll: (sql: SqlClient.SqlClient, statements: ReadonlyArray<MultiRowInsertValue>) => Effect.Effect<void, SqlError>
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
  ignoreDuplicatesTail: (conflict) => `ON DUPLICATE KEY UPDATE ${conflict[0]} = ${conflict[0]}`,
  centsOf: (column) => `CAST(${column} * 100 AS SIGNED)`,
  insertReturningId: (statement) =>
    statement.raw.pipe(
      Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(MysqlInsertResult)(raw))),
      Effect.map((result) => result.insertId)
    ),
  insertReturningKeys: (sql, insert, table, id, key) =>
    Effect.map(
      sql.unsafe(`${insert.text};\nSELECT ${id}, ${key} FROM ${table} WHERE ${id} >= LAST_INSERT_ID()`, insert.params).unprepared,
      // One result per statement: the INSERT's header, then the SELECT's rows.
      (results) => (Array.isArray(results[1]) ? (results[1] as ReadonlyArray<unknown>) : [])
    ),
  insertRowsReturningIds: (sql, table, columns, rows) =>
    rows.length === 0 ? Effect.succeed([]) : sql.unsafe(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ?;\nSELECT @@auto_increment_increment AS step`,
      [rows]
    ).unprepared.pipe(
      Effect.flatMap((results) =>
        Effect.orDie(Schema.decodeUnknown(Schema.Tuple(
          MysqlInsertResult,
          Schema.Tuple(Schema.Struct({ step: Schema.Union(Schema.Number, Schema.NumberFromString) }))
        ))(results))
      ),
      Effect.map(([header, [{ step }]]) => rows.map((_, i) => header.insertId + i * step))
    ),
  insertEachReturningId: (sql, statements) =>
    statements.length === 0 ? Effect.succeed([]) : sql.unsafe(
      // mysql2 hands back one result per statement only when there are several: a closing SELECT makes
      // even a single INSERT come back as a list.
      `${statements.map((s) => s.text).join(";\n")};\nSELECT 1 AS done`,
      statements.map((s) => s.params[0])
    ).unprepared.pipe(
      Effect.flatMap((results) => Effect.orDie(Schema.decodeUnknown(Schema.Array(MysqlInsertResult))(results.slice(0, statements.length)))),
      Effect.map((headers) => headers.map((header) => header.insertId))
    ),
  runAll: (sql, statements) =>
    statements.length === 0 ? Effect.void : Effect.asVoid(
      sql.unsafe(statements.map((s) => s.text).join(";\n"), statements.map((s) => s.params[0])).unprepared
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
  ignoreDuplicatesTail: (conflict) => `ON CONFLICT (${conflict.join(", ")}) DO NOTHING`,
  // Money is canonical two-decimal text on SQLite ("12.30", "-5.00"): dropping the point gives exact cents.
  centsOf: (column) => `CAST(REPLACE(${column}, '.', '') AS INTEGER)`,
  insertReturningId: (statement) =>
    statement.raw.pipe(
      Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(SqliteInsertResult)(raw))),
      Effect.map((result) => Number(result.lastInsertRowid))
    ),
  insertReturningKeys: (sql, insert, _table, id, key) =>
    sql.unsafe(`${insert.text} RETURNING ${id}, ${key}`, insert.params).unprepared,
  insertRowsReturningIds: (sql, table, columns, rows) =>
    Effect.forEach(rows, (row) =>
      sql.unsafe(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, row).raw.pipe(
        Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(SqliteInsertResult)(raw))),
        Effect.map((result) => Number(result.lastInsertRowid))
      )),
  insertEachReturningId: (sql, statements) =>
    Effect.forEach(statements, (statement) =>
      sql.unsafe(statement.text, statement.params).raw.pipe(
        Effect.flatMap((raw) => Effect.orDie(Schema.decodeUnknown(SqliteInsertResult)(raw))),
        Effect.map((result) => Number(result.lastInsertRowid))
      )),
  runAll: (sql, statements) => Effect.forEach(statements, (statement) => MultiRowInsert.run(sql, statement), { discard: true })
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
