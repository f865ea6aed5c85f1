// The built-in file pipelines through the real runner: round trips between CSV and JSON Lines, resuming
// from the checkpoint, and malformed records dead-lettered while the run goes on.
import { describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { assert } from "vitest"
import * as MemoryStateStore from "../../core/MemoryStateStore.js"
import * as Runner from "../../core/Runner.js"
import { StateStore } from "../../core/StateStore.js"
import { fileCsvToJsonl } from "../../pipelines/fileCsvToJsonl.js"
import { fileJsonlToCsv } from "../../pipelines/fileJsonlToCsv.js"
import { readText, sizeOf, withFiles, writeText } from "./FileTestKit.js"

const files = (content: Readonly<Record<string, string | Uint8Array>>) =>
  Layer.merge(withFiles(content), MemoryStateStore.layer)

const run = (
  pipeline: typeof fileCsvToJsonl | typeof fileJsonlToCsv,
  rawOptions: Record<string, string>,
  limit: Option.Option<number> = Option.none()
) => Runner.run(pipeline, { rawOptions, dryRun: false, limit, batchSize: 2 })

const jsonLines = (text: string) => text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, string>)

const deadLetters = (pipeline: string) => Effect.flatMap(StateStore, (store) => store.deadLetters({ pipeline }))

const customersCsv = "\uFEFFid,name,email,note\r\n" +
  "1,Ann Lee,ann@example.com,\r\n" +
  "2,\"O'Brien, Zoë\",zoe@example.com,\"says \"\"hi\"\"\"\r\n" +
  "3,東京 Store,tokyo@example.com,\"two\r\nlines\"\r\n" +
  "4,Émile 😀,emile@example.com,plain\r\n"

describe("file pipelines", () => {
  it.scoped("CSV to JSON Lines and back gives the same rows (quoting, UTF-8, BOM, line breaks in fields)", () =>
    Effect.gen(function*() {
      const toJsonl = yield* run(fileCsvToJsonl, { input: "customers.csv", output: "customers.jsonl" })
      assert.strictEqual(toJsonl.outcome, "succeeded")
      assert.deepStrictEqual([toJsonl.counts.read, toJsonl.counts.written, toJsonl.counts.deadLettered], [4, 4, 0])
      const records = jsonLines(yield* readText("customers.jsonl"))
      assert.deepStrictEqual(records[1], { id: "2", name: "O'Brien, Zoë", email: "zoe@example.com", note: "says \"hi\"" })
      assert.strictEqual(records[2]!.note, "two\r\nlines")
      assert.strictEqual(records[3]!.name, "Émile 😀")

      const back = yield* run(fileJsonlToCsv, { input: "customers.jsonl", output: "again.csv" })
      assert.strictEqual(back.counts.written, 4)
      assert.strictEqual(yield* readText("again.csv"), customersCsv.slice(1))
    }).pipe(Effect.provide(files({ "customers.csv": customersCsv }))))

  it.scoped("resumes where the last run stopped: a limited run, the rest, then only lines appended since", () =>
    Effect.gen(function*() {
      const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i + 1, name: `n${i + 1}`, vip: i % 2 === 0, note: null }))
      yield* writeText("in.jsonl", lines.join("\n") + "\n")
      const first = yield* run(fileJsonlToCsv, { input: "in.jsonl", output: "out.csv" }, Option.some(2))
      assert.strictEqual(first.counts.read, 2)
      const second = yield* run(fileJsonlToCsv, { input: "in.jsonl", output: "out.csv" })
      assert.strictEqual(second.counts.read, 3)
      assert.strictEqual(
        yield* readText("out.csv"),
        "id,name,vip,note\r\n1,n1,true,\r\n2,n2,false,\r\n3,n3,true,\r\n4,n4,false,\r\n5,n5,true,\r\n"
      )
      const checkpoint = yield* Effect.flatMap(StateStore, (store) => store.checkpoint("file-jsonl-to-csv"))
      assert.strictEqual(Option.getOrUndefined(checkpoint.pipe(Option.map((c) => JSON.parse(c.cursor).offset))), yield* sizeOf("in.jsonl"))

      yield* writeText("in.jsonl", JSON.stringify({ id: 6, name: "n6", vip: false, note: "late" }) + "\n", "a")
      const third = yield* run(fileJsonlToCsv, { input: "in.jsonl", output: "out.csv" })
      assert.strictEqual(third.counts.read, 1)
      assert.isTrue((yield* readText("out.csv")).endsWith("5,n5,true,\r\n6,n6,false,late\r\n"))
    }).pipe(Effect.provide(files({}))))

  it.scoped("a checkpoint of another input file does not skip the new file's records", () =>
    Effect.gen(function*() {
      yield* run(fileJsonlToCsv, { input: "a.jsonl", output: "out.csv" })
      const other = yield* run(fileJsonlToCsv, { input: "b.jsonl", output: "out.csv" })
      assert.strictEqual(other.counts.read, 2)
    }).pipe(Effect.provide(files({
      "a.jsonl": "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n",
      "b.jsonl": "{\"id\":4}\n{\"id\":5}\n"
    }))))

  it.scoped("malformed JSON lines are dead-lettered with their line and text; the rest is written", () =>
    Effect.gen(function*() {
      const summary = yield* run(fileJsonlToCsv, { input: "in.jsonl", output: "out.csv" })
      assert.deepStrictEqual(
        [summary.outcome, summary.counts.read, summary.counts.written, summary.counts.deadLettered],
        ["succeeded", 5, 2, 3]
      )
      const letters = yield* deadLetters("file-jsonl-to-csv")
      assert.deepStrictEqual(letters.map((l) => l.recordKey), ["line 2", "line 3", "line 5"])
      assert.deepStrictEqual(letters.map((l) => l.errorTag), ["FileError", "FileError", "FileError"])
      assert.include(letters[0]!.message, "line 2: not valid JSON")
      assert.include(letters[1]!.message, "field nested")
      assert.include(letters[2]!.message, "not valid UTF-8")
      assert.strictEqual(JSON.parse(letters[0]!.record).text, "{\"id\": 2,")
      assert.strictEqual(yield* readText("out.csv"), "id\r\n1\r\n4\r\n")
    }).pipe(Effect.provide(files({
      "in.jsonl": Buffer.concat([
        Buffer.from("{\"id\":1}\n{\"id\": 2,\n{\"id\":3,\"nested\":{\"a\":1}}\n{\"id\":4}\n{\"id\":\""),
        Buffer.from([0xff, 0xfe]),
        Buffer.from("\"}\n")
      ])
    }))))

  it.scoped("CSV rows with the wrong number of fields or broken quoting are dead-lettered", () =>
    Effect.gen(function*() {
      const summary = yield* run(fileCsvToJsonl, { input: "in.csv", output: "out.jsonl" })
      assert.deepStrictEqual([summary.counts.read, summary.counts.written, summary.counts.deadLettered], [4, 2, 2])
      const letters = yield* deadLetters("file-csv-to-jsonl")
      assert.deepStrictEqual(letters.map((l) => l.recordKey), ["line 3", "line 4"])
      assert.include(letters[0]!.message, "the row has 3 fields, the header has 2")
      assert.include(letters[1]!.message, "has a quote but is not quoted")
      assert.deepStrictEqual(jsonLines(yield* readText("out.jsonl")), [{ id: "1", name: "a" }, { id: "5", name: "e" }])
    }).pipe(Effect.provide(files({ "in.csv": "id,name\n1,a\n2,b,extra\n3,c\"x\n5,e\n" }))))

  it.scoped("a dry run writes nothing and keeps no checkpoint", () =>
    Effect.gen(function*() {
      const summary = yield* Runner.run(fileCsvToJsonl, {
        rawOptions: { input: "in.csv", output: "out.jsonl" },
        dryRun: true,
        limit: Option.none()
      })
      assert.strictEqual(summary.counts.written, 1)
      assert.deepStrictEqual(summary.planned.map((p) => p.outcome._tag), ["Written"])
      assert.strictEqual(yield* readText("out.jsonl"), "")
      assert.isTrue(Option.isNone(yield* Effect.flatMap(StateStore, (store) => store.checkpoint("file-csv-to-jsonl"))))
    }).pipe(Effect.provide(files({ "in.csv": "id\n1\n" }))))
})
