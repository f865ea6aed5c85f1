// A sink that appends records to a CSV file (RFC 4180: header row, quoted fields, CRLF, UTF-8).
//
// A new file gets a header row: the `columns` given, else the fields of the first batch in the order
// they first appear. An existing file keeps its header; a record with a field that is not one of its
// columns is rejected (dead-lettered) rather than silently losing the field. Missing fields are empty.
//
// Delivery is at-least-once, like the JSON Lines sink: a crash between the append and the checkpoint
// commit appends the batch again on the next run.
import type { FileSystem, Path } from "@effect/platform"
import { Effect, Either, Option, Schema } from "effect"
import * as Stage from "../../core/Stage.js"
import * as Csv from "./Csv.js"
import type { FileDirectory } from "./FileDirectory.js"
import { FileError } from "./FileError.js"
import { append, firstCsvRecord } from "./internal/FileAppender.js"
import { describeIssue } from "./internal/describeIssue.js"
import { resolve } from "./internal/FileReader.js"
import type { CsvRecord } from "./ParseCsvRows.js"

type Row = Either.Either<CsvRecord, FileError>

export const csvSink = <A>(spec: {
  readonly path: string
  readonly record: Schema.Schema<A, CsvRecord>
  /** The header of a new file (default: the fields of the first batch). */
  readonly columns?: ReadonlyArray<string> | undefined
}): Stage.Sink<A, FileError, FileSystem.FileSystem | Path.Path | FileDirectory> => {
  const encode = Schema.encodeEither(spec.record)

  const encodeAll = (file: string, batch: ReadonlyArray<A>): ReadonlyArray<Row> =>
    batch.map((record) =>
      Either.mapLeft(encode(record), (error) =>
        new FileError({ reason: "Malformed", path: file, detail: `cannot write the record: ${describeIssue(error.issue)}` }))
    )

  /** The file's columns, and whether a header row must be written first. */
  const columnsFor = (file: string, rows: ReadonlyArray<Row>) =>
    Effect.gen(function*() {
      const existing = yield* firstCsvRecord(file)
      if (Option.isSome(existing)) {
        const header = Csv.parseRecord(existing.value.text)
        if (Either.isLeft(header)) {
          return yield* new FileError({ reason: "BadHeader", path: file, line: existing.value.line, detail: `the header row is not valid CSV: ${header.left}` })
        }
        return { columns: header.right.map((c) => c.trim()), writeHeader: false }
      }
      if (spec.columns !== undefined && spec.columns.length > 0) return { columns: spec.columns, writeHeader: true }
      const seen = new Set<string>()
      for (const row of rows) if (Either.isRight(row)) for (const key of Object.keys(row.right)) seen.add(key)
      return { columns: [...seen], writeHeader: true }
    })

  const plan = (file: string, batch: ReadonlyArray<A>) =>
    Effect.gen(function*() {
      const rows = encodeAll(file, batch)
      const { columns, writeHeader } = yield* columnsFor(file, rows)
      const known = new Set(columns)
      const lines: Array<string> = writeHeader && columns.length > 0 ? [Csv.formatRecord(columns)] : []
      const outcomes = rows.map((row): Stage.SinkOutcome => {
        if (Either.isLeft(row)) return Stage.rejected(row.left)
        const unknown = Object.keys(row.right).filter((key) => !known.has(key))
        if (unknown.length > 0) {
          return Stage.rejected(new FileError({
            reason: "ColumnMismatch",
            path: file,
            detail: `the record has field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} ` +
              `that ${unknown.length > 1 ? "are not columns" : "is not a column"} of the file (columns: ${columns.join(", ")})`
          }))
        }
        lines.push(Csv.formatRecord(columns.map((column) => row.right[column] ?? "")))
        return Stage.written("appended")
      })
      const wroteRows = outcomes.some((o) => o._tag === "Written")
      return { outcomes, text: wroteRows ? lines.join("") : "" }
    })

  return Stage.sink({
    name: "file.csv-sink",
    description: `appends CSV rows to ${spec.path}`,
    write: (batch, ctx) =>
      Effect.gen(function*() {
        const file = yield* resolve(spec.path)
        const planned = yield* plan(file, batch)
        if (planned.text !== "") yield* append(file, planned.text)
        return planned.outcomes
      }).pipe(Effect.mapError((e) => e.inStage(ctx))),
    plan: (batch, ctx) =>
      Effect.flatMap(resolve(spec.path), (file) => Effect.map(plan(file, batch), (p) => p.outcomes)).pipe(
        Effect.mapError((e) => e.inStage(ctx))
      )
  })
}
