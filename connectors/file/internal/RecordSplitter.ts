// Splits a byte stream into records without decoding it first: one record per line (JSON Lines) or
// per CSV record (a newline inside double quotes does not end a CSV record, RFC 4180).
//
// Working on bytes keeps offsets exact for the cursor and is safe for UTF-8: the bytes of '\n' and '"'
// never occur inside a multi-byte character. Only the bytes of an unfinished record are held between
// chunks, so memory stays bounded by the longest record, not the file.
import { Chunk, Data, Effect, Option, Stream } from "effect"

export type SplitMode = "lines" | "csv"

/** One record's bytes (line terminator removed) and where it lies in the file. */
export interface RawRecord {
  readonly bytes: Uint8Array
  /** The line the record starts on (1-based). */
  readonly line: number
  /** The offset just after the record's terminator. */
  readonly endOffset: number
  /** The line the next record starts on. */
  readonly nextLine: number
}

interface State {
  /** Bytes of the unfinished record, in arrival order. */
  readonly pending: ReadonlyArray<Uint8Array>
  readonly pendingLength: number
  /** Offset of the first pending byte (the start of the unfinished record). */
  readonly offset: number
  /** Line of the first pending byte. */
  readonly line: number
  /** Newlines seen inside the pending bytes (quoted newlines in CSV). */
  readonly pendingNewlines: number
  readonly inQuotes: boolean
  /** CSV: the next byte starts a field (a quote there opens a quoted field). */
  readonly fieldStart: boolean
  /** CSV: the previous byte closed a quoted field (a quote there is an escaped, doubled quote). */
  readonly afterClose: boolean
  /** Whether a leading byte order mark may still be skipped (only at offset 0). */
  readonly atStart: boolean
}

const LF = 0x0a
const CR = 0x0d
const QUOTE = 0x22
const COMMA = 0x2c

const concat = (parts: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

const withoutCr = (bytes: Uint8Array): Uint8Array =>
  bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes

/** A record grew past the bound without ending (the caller turns it into its own error). */
export class RecordTooLong extends Data.TaggedError("RecordTooLong")<{ readonly line: number; readonly limit: number }> {}

/**
 * Splits `bytes` (read from `startOffset`, where line `startLine` begins) into records. A last record
 * without a terminator is emitted at the end of the stream.
 */
export const split = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: {
    readonly mode: SplitMode
    readonly startOffset: number
    readonly startLine: number
    readonly maxRecordBytes: number
  }
): Stream.Stream<RawRecord, E | RecordTooLong, R> => {
  const initial: State = {
    pending: [],
    pendingLength: 0,
    offset: options.startOffset,
    line: options.startLine,
    pendingNewlines: 0,
    inQuotes: false,
    fieldStart: true,
    afterClose: false,
    atStart: options.startOffset === 0
  }
  const csv = options.mode === "csv"

  const step = (state: State, input: Option.Option<Uint8Array>): Effect.Effect<readonly [State, ReadonlyArray<RawRecord>], RecordTooLong> => {
    const records: Array<RawRecord> = []
    if (Option.isNone(input)) {
      if (state.pendingLength > 0) {
        records.push({
          bytes: withoutCr(concat(state.pending, state.pendingLength)),
          line: state.line,
          endOffset: state.offset + state.pendingLength,
          nextLine: state.line + state.pendingNewlines + 1
        })
      }
      return Effect.succeed([{ ...state, pending: [], pendingLength: 0 }, records] as const)
    }
    let chunk = input.value
    let offset = state.offset
    let line = state.line
    let pending = [...state.pending]
    let pendingLength = state.pendingLength
    let pendingNewlines = state.pendingNewlines
    let inQuotes = state.inQuotes
    let fieldStart = state.fieldStart
    let afterClose = state.afterClose
    if (state.atStart && pendingLength === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      chunk = chunk.subarray(3)
      offset += 3
    }
    let start = 0
    let i = 0
    while (i < chunk.length) {
      let end = -1
      if (!csv) {
        end = chunk.indexOf(LF, i)
        if (end === -1) break
      } else {
        // A quote opens a quoted field only at the start of a field (or right after a closing quote,
        // where it is a doubled quote); elsewhere it is a stray quote that the parser reports, and it
        // must not swallow the following lines into one record.
        for (; i < chunk.length; i++) {
          const b = chunk[i]
          if (inQuotes) {
            if (b === QUOTE) {
              inQuotes = false
              afterClose = true
            } else if (b === LF) pendingNewlines++
            continue
          }
          if (b === QUOTE) {
            inQuotes = fieldStart || afterClose
            fieldStart = false
            afterClose = false
          } else if (b === COMMA) {
            fieldStart = true
            afterClose = false
          } else if (b === LF) {
            fieldStart = true
            afterClose = false
            end = i
            break
          } else {
            fieldStart = false
            afterClose = false
          }
        }
        if (end === -1) break
      }
      const piece = chunk.subarray(start, end)
      const recordBytes = pendingLength === 0 ? piece : concat([...pending, piece], pendingLength + piece.length)
      const length = pendingLength + piece.length + 1
      records.push({
        bytes: withoutCr(recordBytes),
        line,
        endOffset: offset + length,
        nextLine: line + pendingNewlines + 1
      })
      offset += length
      line += pendingNewlines + 1
      pending = []
      pendingLength = 0
      pendingNewlines = 0
      start = end + 1
      i = start
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start)
      pending.push(rest)
      pendingLength += rest.length
    }
    if (pendingLength > options.maxRecordBytes) {
      return Effect.fail(new RecordTooLong({ line, limit: options.maxRecordBytes }))
    }
    return Effect.succeed([
      { pending, pendingLength, offset, line, pendingNewlines, inQuotes, fieldStart, afterClose, atStart: false },
      records
    ] as const)
  }

  return bytes.pipe(
    Stream.map(Option.some),
    Stream.concat(Stream.make(Option.none<Uint8Array>())),
    Stream.mapAccumEffect(initial, step),
    Stream.mapConcatChunk((records) => Chunk.unsafeFromArray([...records]))
  )
}
