// Reads a file's records from a cursor as a stream with backpressure: bytes are read in chunks only as
// fast as the pipeline consumes records.
import { FileSystem } from "@effect/platform"
import { Effect, Option, Stream } from "effect"
import { FileDirectory } from "../FileDirectory.js"
import type { FileCursor } from "../FileCursor.js"
import { FileError } from "../FileError.js"
import { type RawRecord, split, type SplitMode } from "./RecordSplitter.js"

/** A record's text, decoded from UTF-8, with the position it ends at. */
export interface TextRecord {
  readonly raw: RawRecord
  readonly text: string
  /** Set when the bytes were not valid UTF-8 (the text then holds replacement characters). */
  readonly invalidUtf8: boolean
}

// A record longer than this is almost always an unterminated CSV quote swallowing the file.
const maxRecordBytes = 16 * 1024 * 1024
const chunkSize = 64 * 1024

const strict = new TextDecoder("utf-8", { fatal: true })
const lenient = new TextDecoder("utf-8")

const decodeText = (raw: RawRecord): TextRecord => {
  try {
    return { raw, text: strict.decode(raw.bytes), invalidUtf8: false }
  } catch {
    return { raw, text: lenient.decode(raw.bytes), invalidUtf8: true }
  }
}

const readError = (path: string) => (e: { readonly message: string; readonly _tag: string; readonly reason?: string }): FileError =>
  new FileError({ reason: e.reason === "NotFound" ? "NotFound" : "Unreadable", path, detail: e.message })

/** Resolves `path` against the connector's directory. */
export const resolve = (path: string): Effect.Effect<string, never, FileDirectory> =>
  Effect.map(FileDirectory, (directory) => directory.resolve(path))

/**
 * Streams the records of `file` (already resolved) from `from` (the cursor's offset when the cursor
 * belongs to this file, else the start). Blank records are skipped; their bytes still move the cursor.
 */
export const readRecords = (
  file: string,
  mode: SplitMode,
  from: Option.Option<FileCursor>
): Stream.Stream<TextRecord, FileError, FileSystem.FileSystem> =>
  Stream.unwrap(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const info = yield* fs.stat(file).pipe(Effect.mapError(readError(file)))
    const size = Number(info.size)
    const start = Option.getOrElse(
      Option.filter(from, (c) => c.file === file),
      (): FileCursor => ({ file, offset: 0, line: 1 })
    )
    if (start.offset > size) {
      return yield* new FileError({
        reason: "CursorBeyondEnd",
        path: file,
        detail: `it has ${size} bytes, the checkpoint is at byte ${start.offset}`
      })
    }
    return split(
      fs.stream(file, { offset: start.offset, chunkSize }).pipe(Stream.mapError(readError(file))),
      { mode, startOffset: start.offset, startLine: start.line, maxRecordBytes }
    ).pipe(
      Stream.catchTag("RecordTooLong", (e) =>
        Stream.fail(
          new FileError({
            reason: "RecordTooLong",
            path: file,
            line: e.line,
            detail: `a record longer than ${e.limit} bytes${mode === "csv" ? " (is a quote left open?)" : ""}`
          })
        )),
      Stream.map(decodeText),
      Stream.filter((r) => r.text.trim() !== "")
    )
  }))

/**
 * The first non-blank record of `file` (a CSV header), read with plain reads rather than a file
 * stream: a sink calls this inside the runner's uninterruptible commit, where stopping a file stream
 * early would wait forever for its reader to be interrupted.
 */
export const firstRecord = (
  file: string,
  mode: SplitMode
): Effect.Effect<Option.Option<TextRecord>, FileError, FileSystem.FileSystem> =>
  Effect.scoped(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const handle = yield* fs.open(file, { flag: "r" }).pipe(Effect.mapError(readError(file)))
    const parts: Array<Uint8Array> = []
    let length = 0
    while (true) {
      const chunk = yield* handle.readAlloc(chunkSize).pipe(Effect.mapError(readError(file)))
      const atEnd = Option.isNone(chunk) || chunk.value.length === 0
      if (!atEnd) {
        parts.push(chunk.value)
        length += chunk.value.length
      }
      const bytes = new Uint8Array(length)
      parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0)
      const records = yield* split(Stream.make(bytes), { mode, startOffset: 0, startLine: 1, maxRecordBytes }).pipe(
        Stream.map(decodeText),
        Stream.filter((r) => r.text.trim() !== ""),
        Stream.take(1),
        Stream.runCollect,
        Effect.catchTag("RecordTooLong", (e) =>
          new FileError({ reason: "RecordTooLong", path: file, line: e.line, detail: `a first record longer than ${e.limit} bytes` }))
      )
      const [first] = records
      // A record that ends exactly at the end of what was read may continue in the next chunk.
      const complete = first !== undefined && (first.raw.endOffset < length || atEnd)
      if (complete || atEnd) return Option.fromNullable(first)
      if (length > maxRecordBytes) {
        return yield* new FileError({ reason: "RecordTooLong", path: file, detail: `a first record longer than ${maxRecordBytes} bytes` })
      }
    }
  }))

/** The cursor just after a record. */
export const cursorAfter = (file: string, raw: RawRecord): FileCursor => ({
  file,
  offset: raw.endOffset,
  line: raw.nextLine
})
