// The shared conformance suite, applied to the core's test stages, and shown to catch broken ones.
import { describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Ref, Schema, Stream } from "effect"
import { assert } from "vitest"
import * as Connector from "../../core/Connector.js"
import type { Classification } from "../../core/EtlError.js"
import * as Stage from "../../core/Stage.js"
import * as conformance from "../support/conformance.js"
import { Item, items, makeMemorySink, makeSource } from "./support/TestStages.js"

class SourceDown extends Schema.TaggedError<SourceDown>()("SourceDown", {
  pipeline: Schema.String,
  stage: Schema.String,
  named: Schema.Boolean
}) {
  readonly classification: Classification = "retriable"
  override get message(): string {
    return this.named ? `${this.stage} of ${this.pipeline} cannot connect` : "cannot connect"
  }
}

const failingSource = (named: boolean) =>
  Stage.source({
    name: "down-source",
    description: "always fails",
    record: Item,
    cursor: Schema.Number,
    key: (item: Item) => item.id,
    read: (_, ctx) => Stream.fail(new SourceDown({ pipeline: named ? ctx.pipeline : "?", stage: named ? ctx.stage : "?", named }))
  })

/** A source over fixed positions, for building broken ones. */
const listSource = <A, I>(record: Schema.Schema<A, I>, rows: ReadonlyArray<{ key: string; record: A; cursor: number }>, respectCursor = true) =>
  Stage.source({
    name: "list-source",
    description: "fixed rows",
    record,
    cursor: Schema.Number,
    key: (a: A) => rows.find((row) => row.record === a)!.key,
    read: (cursor) =>
      Stream.fromIterable(
        rows.filter((row) => !respectCursor || Option.isNone(cursor) || row.cursor > cursor.value)
          .map((row) => ({ record: row.record, cursor: row.cursor }))
      )
  })

const { source: testSource } = Effect.runSync(makeSource(items(50)))
const memory = Effect.runSync(makeMemorySink())

conformance.source({
  source: testSource,
  layer: conformance.noServices,
  compareCursor: (a, b) => a - b,
  failing: { source: failingSource(true), layer: conformance.noServices }
})

conformance.sink({
  sink: memory.sink,
  layer: conformance.noServices,
  records: items(20),
  snapshot: Ref.get(memory.rows).pipe(Effect.map((rows) => [...rows.values()]))
})

const TestConfig = Schema.Struct({ url: Schema.String, token: Schema.Redacted(Schema.String) })
const testConnector = Connector.make({
  name: "test-connector",
  description: "a connector for the conformance suite's own test",
  config: TestConfig,
  environment: { TEST_CONNECTOR_TOKEN: "token" },
  layer: () => Layer.empty,
  stages: [{ kind: "source", name: "test-source", description: "records" }]
})
conformance.connector(testConnector, { url: "http://example", token: "s3cret-value" }, {
  invalid: [{ url: 42, token: "x" }, {}],
  secrets: ["s3cret-value"]
})

describe("the conformance suite catches broken stages", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, record: { id: `k${i}`, value: i }, cursor: i }))
  const problem = <E>(effect: Effect.Effect<void, E>) =>
    Effect.map(Effect.flip(effect), (error) => String((error as { readonly message?: unknown }).message))

  it.effect("a cursor that moves backwards", () =>
    Effect.gen(function*() {
      const broken = rows(6).map((row, i) => ({ ...row, cursor: i === 3 ? 0 : row.cursor }))
      const message = yield* problem(conformance.checkSource({ source: listSource(Item, broken), layer: Layer.empty, compareCursor: (a, b) => a - b }, "cursors"))
      assert.include(message, "moves backwards at record k3")
    }))

  it.effect("duplicate keys", () =>
    Effect.gen(function*() {
      const broken = rows(4).map((row) => ({ ...row, key: row.key === "k2" ? "k1" : row.key }))
      const message = yield* problem(conformance.checkSource({ source: listSource(Item, broken), layer: Layer.empty, compareCursor: (a, b) => a - b }, "keys"))
      assert.include(message, "k1 is emitted twice")
    }))

  it.effect("a re-read that ignores the saved cursor", () =>
    Effect.gen(function*() {
      const message = yield* problem(conformance.checkSource({ source: listSource(Item, rows(6), false), layer: Layer.empty, compareCursor: (a, b) => a - b }, "re-read"))
      assert.include(message, "emits k0 again")
    }))

  it.effect("a record that does not survive a round trip through its Schema", () =>
    Effect.gen(function*() {
      const Padded = Schema.Struct({ id: Schema.Trim, value: Schema.Number })
      const broken = rows(3).map((row) => ({ ...row, record: { ...row.record, id: ` ${row.key} ` } }))
      const message = yield* problem(conformance.checkSource({ source: listSource(Padded, broken), layer: Layer.empty, compareCursor: (a, b) => a - b }, "records round-trip"))
      assert.include(message, "records round-trip")
      assert.include(message, "record k0")
    }))

  it.effect("an error that does not name its pipeline and stage", () =>
    Effect.gen(function*() {
      const message = yield* problem(conformance.checkSourceError(failingSource(false)))
      assert.include(message, "does not name the pipeline")
      assert.isTrue(Either.isRight(yield* Effect.either(conformance.checkSourceError(failingSource(true)))))
    }))

  it.effect("a non-idempotent sink and one that returns too few outcomes", () =>
    Effect.gen(function*() {
      const appended = yield* Ref.make<ReadonlyArray<Item>>([])
      const appending = Stage.sink({
        name: "appending-sink",
        description: "appends every write",
        write: (batch: ReadonlyArray<Item>) =>
          Effect.as(Ref.update(appended, (all) => [...all, ...batch]), batch.map(() => Stage.written("appended")))
      })
      const notIdempotent = yield* problem(conformance.checkSink({ sink: appending, layer: Layer.empty, records: items(3), snapshot: Ref.get(appended) }, "idempotent"))
      assert.include(notIdempotent, "changed what is stored")
      const short = Stage.sink({
        name: "short-sink",
        description: "forgets the last outcome",
        write: (batch: ReadonlyArray<Item>) => Effect.succeed(batch.slice(1).map(() => Stage.written("x")))
      })
      assert.include(yield* problem(conformance.checkSink({ sink: short, layer: Layer.empty, records: items(3) }, "outcomes")), "2 outcomes for 3 records")
    }))

  it.effect("a connector whose config shows its secret", () =>
    Effect.gen(function*() {
      const leaky = Connector.make({
        name: "leaky",
        description: "keeps its token in plain text",
        config: Schema.Struct({ url: Schema.String, token: Schema.String }),
        layer: () => Layer.empty,
        stages: []
      })
      const message = yield* problem(conformance.checkConnector(leaky, { url: "u", token: "s3cret-value" }, { secrets: ["s3cret-value"] }))
      assert.include(message, "secret")
    }))
})
