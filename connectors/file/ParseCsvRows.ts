// Turns CSV rows into the pipeline's records: the row's cells are paired with the header's columns
// into a `Record<string, string>` and decoded with the pipeline's Schema. A row with bad quoting, the
// wrong number of fields, or values the Schema refuses is rejected (dead-lettered) and the run goes on.
import { Effect, Either, Schema } from "effect"
import * as Stage from "../../core/Stage.js"
import type { CsvRow } from "./CsvSource.js"
import { FileError } from "./FileError.js"
import { describeIssue } from "./internal/describeIssue.js"

/** The generic CSV record: column name to cell text. */
export const CsvRecord = Schema.Record({ key: Schema.String, value: Schema.String })
export type CsvRecord = typeof CsvRecord.Type

export const parseCsvRows = <A>(
  schema: Schema.Schema<A, CsvRecord>,
  path: string
): Stage.Transform<CsvRow, A> => {
  const decode = Schema.decodeUnknownEither(schema)
  const reject = (line: number, reason: "Malformed" | "ColumnMismatch", detail: string) =>
    Stage.reject(new FileError({ reason, path, line, detail }))
  return Stage.transform({
    name: "file.parse-csv",
    description: "pairs each row's cells with the header's columns and checks them against the record Schema",
    apply: (batch) =>
      Effect.succeed(batch.map((row): Stage.Outcome<A> => {
        if (row.malformed !== undefined) return reject(row.line, "Malformed", row.malformed)
        if (row.cells.length !== row.columns.length) {
          return reject(
            row.line,
            "ColumnMismatch",
            `the row has ${row.cells.length} field${row.cells.length === 1 ? "" : "s"}, the header has ${row.columns.length}`
          )
        }
        const record: Record<string, string> = {}
        row.columns.forEach((column, i) => {
          record[column] = row.cells[i]!
        })
        return Either.match(decode(record), {
          onLeft: (error) => reject(row.line, "Malformed", describeIssue(error.issue)),
          onRight: (value) => Stage.emit(value)
        })
      }))
  })
}
