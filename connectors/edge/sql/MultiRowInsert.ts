// A multi-row INSERT built directly as text and bound values, for the statements that write thousands of
// rows per batch (web sales and their details, the seed). Building them through the general statement
// compiler (a fragment and a primitive check per value, then a flat array of every value) cost more
// than sending them.
//
// On MySQL the rows go as one nested-array value for a single `VALUES ?`, which mysql2 expands and
// escapes itself, as a hand-written mysql2 INSERT would; on SQLite, one `(?, ?)` group per row with the
// values bound in order. Table and column names come from the connector's own constants, never from
// data; values are always bound, never spliced in by us.
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { Effect } from "effect"
import type { DialectName } from "./Dialect.js"

export interface MultiRowInsert {
  readonly text: string
  readonly params: ReadonlyArray<unknown>
}

/** `INSERT INTO table (columns) VALUES ...` for `rows`, each row's values in `columns` order, plus `tail`. */
export const build = <Row>(
  dialect: DialectName,
  table: string,
  columns: ReadonlyArray<keyof Row & string>,
  rows: ReadonlyArray<Row>,
  tail = ""
): MultiRowInsert => {
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES`
  const end = tail === "" ? "" : ` ${tail}`
  if (dialect === "mysql") {
    const values = new Array<Array<unknown>>(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      const list = new Array<unknown>(columns.length)
      for (let j = 0; j < columns.length; j++) list[j] = row[columns[j]!]
      values[i] = list
    }
    return { text: `${head} ?${end}`, params: [values] }
  }
  const params = new Array<unknown>(rows.length * columns.length)
  let n = 0
  for (const row of rows) for (const column of columns) params[n++] = row[column]
  const group = `(${new Array<string>(columns.length).fill("?").join(",")})`
  return { text: `${head} ${new Array<string>(rows.length).fill(group).join(",")}${end}`, params }
}

/** Runs it without preparing (each batch has its own shape; MySQL would keep a server-side statement per shape). */
export const run = (sql: SqlClient.SqlClient, insert: MultiRowInsert): Effect.Effect<ReadonlyArray<unknown>, SqlError> =>
  sql.unsafe(insert.text, insert.params).unprepared
