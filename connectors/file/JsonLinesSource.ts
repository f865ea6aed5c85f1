// A source of JSON Lines: one record per line, read from a byte offset so a run resumes where the last
// one stopped. It emits each line's text; `parseJsonLines` turns it into the pipeline's record type,
// so that a malformed line is dead-lettered as the text it was, and the run goes on.
import type { FileSystem } from "@effect/platform"
import { Effect, Schema, Stream } from "effect"
import * as Stage from "../../core/Stage.js"
import { FileCursor } from "./FileCursor.js"
import type { FileDirectory } from "./FileDirectory.js"
import type { FileError } from "./FileError.js"
import { cursorAfter, readRecords, resolve } from "./internal/FileReader.js"

export const JsonLine = Schema.Struct({
  /** The line number in the file (1-based). */
  line: Schema.Int,
  text: Schema.String,
  /** Why the line cannot be a record before any parsing (not UTF-8). */
  malformed: Schema.optional(Schema.String)
})
export type JsonLine = typeof JsonLine.Type

/** Reads `path` (relative to the file connector's directory) line by line. */
export const jsonLinesSource = (
  path: string
): Stage.Source<JsonLine, FileCursor, FileError, FileSystem.FileSystem | FileDirectory> =>
  Stage.source({
    name: "file.jsonl-source",
    description: `JSON Lines read from ${path}`,
    record: JsonLine,
    cursor: FileCursor,
    key: (record) => `line ${record.line}`,
    read: (cursor, ctx) =>
      Stream.unwrap(Effect.map(resolve(path), (file) =>
        readRecords(file, "lines", cursor).pipe(
          Stream.map((r): Stage.Sourced<JsonLine, FileCursor> => ({
            record: r.invalidUtf8
              ? { line: r.raw.line, text: r.text, malformed: "the line is not valid UTF-8" }
              : { line: r.raw.line, text: r.text },
            cursor: cursorAfter(file, r.raw)
          }))
        ))).pipe(Stream.mapError((e) => e.inStage(ctx)))
  })
