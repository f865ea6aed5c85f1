// A multi-row INSERT built directly as text and bound parameters: `INSERT INTO t (a, b) VALUES (?, ?),
// (?, ?)`. The web-sales sink writes thousands of rows per batch, and building them through the
// general statement compiler (a fragment and a primitive check per value) cost more than sending them.
// Table and column names come from the connector's own constants, never from data; values are bound.
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

export interface MultiRowInsert {
  readonly text: string
  readonly params: ReadonlyArray<unknown>
}

/** `INSERT INTO table (columns) VALUES ...` for `rows`, each row's values in `columns` order, plus `tail`. */
export const build = <Row>(
  table: string,
  columns: ReadonlyArray<keyof Row & string>,
  rows: ReadonlyArray<Row>,
  tail = ""
): MultiRowInsert => {
  const params: Array<unknown> = new Array(rows.length * columns.length)
  let n = 0
  for (const row of rows) for (const column of columns) params[n++] = row[column]
  const row = `(${new Array<string>(columns.length).fill("?").join(",")})`
  const values = new Array<string>(rows.length).fill(row).join(",")
  return { text: `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${values}${tail === "" ? "" : ` ${tail}`}`, params }
}

/** Runs it without preparing (each batch has its own shape; MySQL would keep a server-side statement per shape). */
export const run = (sql: SqlClient.SqlClient, insert: MultiRowInsert): Effect.Effect<ReadonlyArray<unknown>, SqlError> =>
  sql.unsafe(insert.text, insert.params).unprepared
