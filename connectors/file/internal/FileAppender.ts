// Appends text to a file durably (written and synced before the runner commits the checkpoint), and
// reads the first record of a file (a CSV header). New files are created readable by their owner
// only: exported records are often customers' contact details.
import { FileSystem, Path } from "@effect/platform"
import { Effect, Option } from "effect"
import { FileError } from "../FileError.js"
import { firstRecord } from "./FileReader.js"

const unwritable = (path: string) => (e: { readonly message: string }): FileError =>
  new FileError({ reason: "Unwritable", path, detail: e.message })

const encoder = new TextEncoder()

/** The file's size, or none when it does not exist. */
export const sizeOf = (file: string): Effect.Effect<Option.Option<number>, FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(file).pipe(Effect.mapError(unwritable(file))))) return Option.none()
    const info = yield* fs.stat(file).pipe(Effect.mapError(unwritable(file)))
    return Option.some(Number(info.size))
  })

/**
 * Appends `text` to `file` (created with its directories if missing). When the file does not end with
 * a line break (edited by hand), one is added first so the new records start on their own line.
 */
export const append = (file: string, text: string): Effect.Effect<void, FileError, FileSystem.FileSystem | Path.Path> =>
  Effect.scoped(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    yield* fs.makeDirectory(paths.dirname(file), { recursive: true }).pipe(Effect.mapError(unwritable(file)))
    const handle = yield* fs.open(file, { flag: "a+", mode: 0o600 }).pipe(Effect.mapError(unwritable(file)))
    const size = Number((yield* handle.stat.pipe(Effect.mapError(unwritable(file)))).size)
    let prefix = ""
    if (size > 0) {
      const last = new Uint8Array(1)
      yield* handle.seek(size - 1, "start")
      yield* handle.read(last).pipe(Effect.mapError(unwritable(file)))
      if (last[0] !== 0x0a) prefix = "\n"
    }
    yield* handle.writeAll(encoder.encode(prefix + text)).pipe(Effect.mapError(unwritable(file)))
    yield* handle.sync.pipe(Effect.mapError(unwritable(file)))
  }))

/** The text of the first non-blank record of `file` in CSV mode, or none when the file is empty or missing. */
export const firstCsvRecord = (file: string): Effect.Effect<Option.Option<{ readonly text: string; readonly line: number }>, FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    if (Option.isNone(yield* sizeOf(file))) return Option.none()
    const head = yield* firstRecord(file, "csv")
    return Option.map(head, (r) => ({ text: r.text, line: r.raw.line }))
  })
