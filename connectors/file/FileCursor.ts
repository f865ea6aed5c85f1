// Where a file source stopped: the byte offset just after the last record read, in a named file.
import { Schema } from "effect"

export const FileCursor = Schema.Struct({
  /** The absolute path of the file the offset belongs to; another file is read from its start. */
  file: Schema.String,
  /** Bytes from the start of the file to just after the last record read (its line terminator included). */
  offset: Schema.NonNegativeInt,
  /** The line number the next record starts on (1-based), for messages. */
  line: Schema.Int.pipe(Schema.positive())
})
export type FileCursor = typeof FileCursor.Type
