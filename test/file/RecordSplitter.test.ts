// Splitting bytes into records: the same records and offsets whatever the chunk sizes, CSV quotes
// spanning lines, CRLF, a byte order mark, a last line without a terminator, and the length bound.
import { describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import { assert } from "vitest"
import { type RawRecord, split, type SplitMode } from "../../connectors/file/internal/RecordSplitter.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const chunked = (bytes: Uint8Array, size: number): Stream.Stream<Uint8Array> => {
  const chunks: Array<Uint8Array> = []
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size))
  return Stream.fromIterable(chunks)
}

const records = (text: string, mode: SplitMode, size: number, startOffset = 0) =>
  split(chunked(encoder.encode(text).subarray(startOffset), size), { mode, startOffset, startLine: 1, maxRecordBytes: 1024 }).pipe(
    Stream.runCollect,
    Effect.map((chunk) => Chunk.toReadonlyArray(chunk).map((r: RawRecord) => ({ text: decoder.decode(r.bytes), line: r.line, end: r.endOffset, next: r.nextLine })))
  )

describe("RecordSplitter", () => {
  it.effect("splits JSON Lines identically for every chunk size, with exact byte offsets", () =>
    Effect.gen(function*() {
      const text = "{\"a\":\"é\"}\r\n{\"b\":2}\n\n{\"c\":\"😀\"}"
      const expected = yield* records(text, "lines", 1024)
      assert.deepStrictEqual(expected.map((r) => r.text), ["{\"a\":\"é\"}", "{\"b\":2}", "", "{\"c\":\"😀\"}"])
      // "é" is two bytes in UTF-8: the first record and its CRLF end at byte 12.
      assert.deepStrictEqual(expected.map((r) => r.end), [12, 20, 21, encoder.encode(text).length])
      assert.deepStrictEqual(expected.map((r) => r.line), [1, 2, 3, 4])
      for (const size of [1, 2, 3, 5, 7]) {
        assert.deepStrictEqual(yield* records(text, "lines", size), expected, `chunk size ${size}`)
      }
    }))

  it.effect("keeps a quoted line break inside one CSV record and counts its lines", () =>
    Effect.gen(function*() {
      const text = "id,note\r\n1,\"two\nlines\"\r\n2,\"say \"\"hi\"\"\"\r\n"
      for (const size of [1, 4, 1024]) {
        const got = yield* records(text, "csv", size)
        assert.deepStrictEqual(got.map((r) => r.text), ["id,note", "1,\"two\nlines\"", "2,\"say \"\"hi\"\"\""])
        assert.deepStrictEqual(got.map((r) => r.line), [1, 2, 4])
        assert.deepStrictEqual(got.map((r) => r.next), [2, 4, 5])
      }
    }))

  it.effect("a stray quote inside an unquoted CSV field does not swallow the following lines", () =>
    Effect.gen(function*() {
      for (const size of [1, 3, 1024]) {
        const got = yield* records("a,b\"c\n\"x\"\"y\",z\n1,2\n", "csv", size)
        assert.deepStrictEqual(got.map((r) => r.text), ["a,b\"c", "\"x\"\"y\",z", "1,2"])
      }
    }))

  it.effect("skips a byte order mark at the start of the file only, counting its bytes", () =>
    Effect.gen(function*() {
      const got = yield* records("\uFEFFa,b\n1,2\n", "csv", 2)
      assert.deepStrictEqual(got.map((r) => r.text), ["a,b", "1,2"])
      assert.deepStrictEqual(got.map((r) => r.end), [7, 11])
    }))

  it.effect("resumes from an offset with the same offsets as a full read", () =>
    Effect.gen(function*() {
      const text = "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"
      const all = yield* records(text, "lines", 3)
      const rest = yield* records(text, "lines", 3, all[0]!.end)
      assert.deepStrictEqual(rest.map((r) => [r.text, r.end]), all.slice(1).map((r) => [r.text, r.end]))
    }))

  it.effect("fails with RecordTooLong when a record outgrows the bound (an unterminated quote)", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(records(`a,"${"x".repeat(5000)}\n`.repeat(2), "csv", 100))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) assert.strictEqual(result.left._tag, "RecordTooLong")
    }))
})
