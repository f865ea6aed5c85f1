// A source of CSV rows (RFC 4180: header row, quoted fields, UTF-8, a byte order mark tolerated), read
// from a byte offset so a run resumes where the last one stopped. Each row carries the header's column
// names; `parseCsvRows` turns it into the pipeline's record type, dead-lettering rows that do not fit.
import type { FileSystem } from "@effect/platform"
import { Effect, Either, Option, Schema, Stream } from "effect"
import * as Stage from "../../core/Stage.js"
import * as Csv from "./Csv.js"
import { FileCursor } from "./FileCursor.js"
import type { FileDirectory } from "./FileDirectory.js"
import { FileError } from "./FileError.js"
import { cursorAfter, firstRecord, readRecords, resolve } from "./internal/FileReader.js"

export const CsvRow = Schema.Struct({
  /** The line the row starts on (1-based; a quoted field may span lines). */
  line: Schema.Int,
  /** The header's column names. */
  columns: Schema.Array(Schema.String),
  cells: Schema.Array(Schema.String),
  /** Why the row is not valid CSV (bad quoting, not UTF-8); `cells` is then empty. */
  malformed: Schema.optional(Schema.String)
})
export type CsvRow = typeof CsvRow.Type

/** Reads the header row: the first non-blank record of the file. */
const readHeader = (file: string): Effect.Effect<{ readonly columns: ReadonlyArray<string>; readonly cursor: FileCursor }, FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const first = yield* firstRecord(file, "csv")
    if (Option.isNone(first)) {
      return yield* new FileError({ reason: "BadHeader", path: file, detail: "the file is empty: a CSV file starts with a header row" })
    }
    const header = first.value
    const bad = (detail: string) => new FileError({ reason: "BadHeader", path: file, line: header.raw.line, detail })
    if (header.invalidUtf8) return yield* bad("the header row is not valid UTF-8")
    const columns = yield* Either.match(Csv.parseRecord(header.text), {
      onLeft: (problem) => Effect.fail(bad(`the header row is not valid CSV: ${problem}`)),
      onRight: (cells) => Effect.succeed(cells.map((c) => c.trim()))
    })
    const empty = columns.findIndex((c) => c === "")
    if (empty !== -1) return yield* bad(`column ${empty + 1} of the header row has no name`)
    const duplicate = columns.find((c, i) => columns.indexOf(c) !== i)
    if (duplicate !== undefined) return yield* bad(`the header row names the column "${duplicate}" twice`)
    return { columns, cursor: cursorAfter(file, header.raw) }
  })

/** Reads `path` (relative to the file connector's directory) row by row, after its header row. */
export const csvSource = (
  path: string
): Stage.Source<CsvRow, FileCursor, FileError, FileSystem.FileSystem | FileDirectory> =>
  Stage.source({
    name: "file.csv-source",
    description: `CSV rows read from ${path}`,
    record: CsvRow,
    cursor: FileCursor,
    key: (record) => `line ${record.line}`,
    read: (cursor, ctx) =>
      Stream.unwrap(Effect.gen(function*() {
        const file = yield* resolve(path)
        const header = yield* readHeader(file)
        // Resume after the saved cursor, but never before the end of the header row.
        const from = Option.match(Option.filter(cursor, (c) => c.file === file && c.offset >= header.cursor.offset), {
          onNone: () => header.cursor,
          onSome: (c) => c
        })
        return readRecords(file, "csv", Option.some(from)).pipe(
          Stream.map((r): Stage.Sourced<CsvRow, FileCursor> => {
            const row = (cells: ReadonlyArray<string>, malformed?: string): CsvRow =>
              malformed === undefined
                ? { line: r.raw.line, columns: header.columns, cells }
                : { line: r.raw.line, columns: header.columns, cells, malformed }
            const record = r.invalidUtf8
              ? row([], "the row is not valid UTF-8")
              : Either.match(Csv.parseRecord(r.text), {
                onLeft: (problem) => row([], `${problem}: ${r.text.length > 200 ? `${r.text.slice(0, 200)}...` : r.text}`),
                onRight: (cells) => row(cells)
              })
            return { record, cursor: cursorAfter(file, r.raw) }
          })
        )
      })).pipe(Stream.mapError((e) => e.inStage(ctx)))
  })
