// The file connector against the shared conformance suite, and the behaviour of its sinks.
import { describe, it } from "@effect/vitest"
import { Effect, Either, Option, Schema, Stream } from "effect"
import { assert } from "vitest"
import { csvSink } from "../../connectors/file/CsvSink.js"
import { csvSource } from "../../connectors/file/CsvSource.js"
import { FileConnector } from "../../connectors/file/FileConnector.js"
import type { FileCursor } from "../../connectors/file/FileCursor.js"
import { FileDirectory } from "../../connectors/file/FileDirectory.js"
import { jsonLinesSink } from "../../connectors/file/JsonLinesSink.js"
import { jsonLinesSource } from "../../connectors/file/JsonLinesSource.js"
import { CsvRecord } from "../../connectors/file/ParseCsvRows.js"
import type { SinkContext } from "../../core/Stage.js"
import * as conformance from "../support/conformance.js"
import { modeOf, readText, withFiles } from "./FileTestKit.js"

const compareCursor = (a: FileCursor, b: FileCursor) => a.offset - b.offset

const jsonl = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, name: `Name ${i}`, note: i % 7 === 0 ? "Zoë, \"quoted\"" : "" })).join("\n") + "\n"
const csv = "\uFEFFid,name,note\r\n" +
  Array.from({ length: 40 }, (_, i) => `${i},Name ${i},${i % 5 === 0 ? "\"two\nlines, and \"\"quotes\"\"\"" : "plain"}`).join("\r\n") + "\r\n"

conformance.source({
  source: jsonLinesSource("in.jsonl"),
  layer: withFiles({ "in.jsonl": jsonl }),
  compareCursor,
  minimum: 40,
  failing: { source: jsonLinesSource("missing.jsonl"), layer: withFiles({}) }
})

conformance.source({
  source: csvSource("in.csv"),
  layer: withFiles({ "in.csv": csv }),
  compareCursor,
  minimum: 40,
  failing: { source: csvSource("missing.csv"), layer: withFiles({}) }
})

conformance.connector(FileConnector, { directory: "/tmp" }, {
  invalid: [{ directory: "" }, { directory: 5 }]
})

const Person = Schema.Struct({ id: Schema.String, name: Schema.String })
const people = [{ id: "1", name: "Ann" }, { id: "2", name: "Zoë \"Z\", Jr." }, { id: "3", name: "line\nbreak" }]

const context = (dryRun = false): SinkContext => ({
  pipeline: "p",
  runId: "r",
  stage: "s",
  dryRun,
  commit: () => Effect.void
})

// The file sinks append: they return one outcome per record and their plan writes nothing, but they are
// at-least-once rather than idempotent (a batch written twice is appended twice), which the README
// documents. So the suite's outcome and plan checks run here, and the idempotency check is replaced by
// a test of the documented behaviour.
describe("file sinks", () => {
  // checkSink uses the spec's layer only when it registers its own tests; here the test provides it.
  const empty = withFiles({})

  it.scoped("jsonl: one outcome per record, the plan writes nothing (conformance)", () =>
    Effect.gen(function*() {
      const sink = jsonLinesSink({ path: "out.jsonl", record: Person })
      const spec = { sink, layer: empty, records: people, snapshot: readText("out.jsonl") }
      yield* conformance.checkSink(spec, "outcomes")
      yield* conformance.checkSink(spec, "plan")
    }).pipe(Effect.provide(empty)))

  it.scoped("csv: one outcome per record, the plan writes nothing (conformance)", () =>
    Effect.gen(function*() {
      const sink = csvSink({ path: "out.csv", record: CsvRecord })
      const spec = { sink, layer: empty, records: people, snapshot: readText("out.csv") }
      yield* conformance.checkSink(spec, "outcomes")
      yield* conformance.checkSink(spec, "plan")
    }).pipe(Effect.provide(empty)))

  it.scoped("append at least once: the same batch written twice is appended twice; new files are private", () =>
    Effect.gen(function*() {
      const sink = jsonLinesSink({ path: "out.jsonl", record: Person })
      yield* sink.write(people, context())
      yield* sink.write(people, context())
      const lines = (yield* readText("out.jsonl")).trimEnd().split("\n")
      assert.strictEqual(lines.length, 6)
      assert.deepStrictEqual(JSON.parse(lines[4]!), people[1])
      assert.strictEqual(yield* modeOf("out.jsonl"), 0o600)
    }).pipe(Effect.provide(withFiles({}))))

  it.scoped("csv: a new file gets a header; an existing one keeps its columns; unknown fields are rejected", () =>
    Effect.gen(function*() {
      const sink = csvSink({ path: "out.csv", record: CsvRecord })
      const first = yield* sink.write([{ id: "1", name: "Ann" }, { id: "2", email: "b@x" }], context())
      assert.deepStrictEqual(first.map((o) => o._tag), ["Written", "Written"])
      const second = yield* sink.write([{ id: "3", name: "Cy" }, { id: "4", phone: "555" }], context())
      assert.strictEqual(second[0]!._tag, "Written")
      const rejected = second[1]!
      assert.strictEqual(rejected._tag, "Rejected")
      if (rejected._tag === "Rejected") {
        assert.strictEqual(rejected.error.classification, "record")
        assert.include(rejected.error.message, "\"phone\"")
      }
      assert.strictEqual(yield* readText("out.csv"), "id,name,email\r\n1,Ann,\r\n2,,b@x\r\n3,Cy,\r\n")
    }).pipe(Effect.provide(withFiles({}))))

  it.scoped("csv: the columns option orders a new file's header", () =>
    Effect.gen(function*() {
      const sink = csvSink({ path: "out.csv", record: CsvRecord, columns: ["name", "id"] })
      yield* sink.write([{ id: "1", name: "Ann" }], context())
      assert.strictEqual(yield* readText("out.csv"), "name,id\r\nAnn,1\r\n")
    }).pipe(Effect.provide(withFiles({}))))

  it.scoped("appending to a file that lacks a final line break starts a new line", () =>
    Effect.gen(function*() {
      const sink = jsonLinesSink({ path: "out.jsonl", record: Person })
      yield* sink.write([people[0]!], context())
      assert.strictEqual(yield* readText("out.jsonl"), "{\"x\":1}\n{\"id\":\"1\",\"name\":\"Ann\"}\n")
    }).pipe(Effect.provide(withFiles({ "out.jsonl": "{\"x\":1}" }))))

  it.scoped("a write failure is fatal and names the pipeline and stage", () =>
    Effect.gen(function*() {
      const sink = jsonLinesSink({ path: "blocked/out.jsonl", record: Person })
      const result = yield* Effect.either(sink.write(people, context()))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left.classification, "fatal")
        assert.strictEqual(result.left.reason, "Unwritable")
        assert.include(result.left.message, "s of p")
      }
    }).pipe(Effect.provide(withFiles({ blocked: "a file where a directory should be" }))))

  it.scoped("a source whose saved cursor lies past the end of the file fails, telling how to start over", () =>
    Effect.gen(function*() {
      const file = (yield* FileDirectory).resolve("in.jsonl")
      const ctx = { pipeline: "p", runId: "r", stage: "s", dryRun: false, limit: Option.none() }
      const result = yield* Effect.either(Stream.runDrain(jsonLinesSource("in.jsonl").read(Option.some({ file, offset: 100, line: 9 }), ctx)))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left.reason, "CursorBeyondEnd")
        assert.strictEqual(result.left.classification, "fatal")
        assert.include(result.left.message, "edgesync reset p")
      }
    }).pipe(Effect.provide(withFiles({ "in.jsonl": "{}\n" }))))
})
