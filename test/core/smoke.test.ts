import { it } from "@effect/vitest"
import { Effect, Option, Ref, Schema } from "effect"
import { assert } from "vitest"
import * as Pipeline from "../../core/Pipeline.js"
import * as Runner from "../../core/Runner.js"
import { StateStore } from "../../core/StateStore.js"
import * as Transform from "../../core/Transform.js"
import { backends } from "./support/Backends.js"
import { items, makeMemorySink, makeSource } from "./support/TestStages.js"

for (const backend of backends) {
  it.effect(`smoke ${backend.name}`, () =>
    Effect.gen(function*() {
      const { source } = yield* makeSource(items(1200))
      const { rows, sink } = yield* makeMemorySink()
      const pipeline = Pipeline.make({
        name: "smoke",
        description: "smoke",
        options: Schema.Struct({}),
        connectors: [],
        build: () => Pipeline.from(source).pipe(Pipeline.via(Transform.map("double", (i: { id: string; value: number }) => ({ ...i, value: i.value * 2 }))), Pipeline.to(sink))
      })
      const summary = yield* Runner.run(pipeline, { rawOptions: {}, dryRun: false, limit: Option.none() })
      console.log(summary)
      assert.strictEqual((yield* Ref.get(rows)).size, 1200)
      const store = yield* StateStore
      console.log(yield* store.checkpoint("smoke"), yield* store.runs({ limit: 5 }))
    }).pipe(Effect.provide(backend.layer)))
}
