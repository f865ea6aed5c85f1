// The pipeline the runner tests drive: test source -> "screen" transform -> a sink, where the screen's
// behaviour per record id is set by the test (reject, drop, fail the batch fatally or record-level).
import { Effect, Ref, Schema } from "effect"
import * as Pipeline from "../../../core/Pipeline.js"
import type { Classified } from "../../../core/EtlError.js"
import type { Outcome, Sink, Source, Transform } from "../../../core/Stage.js"
import * as Stage from "../../../core/Stage.js"
import { fatal, recordLevel } from "./TestError.js"
import type { TestError } from "./TestError.js"
import type { Item } from "./TestStages.js"

export interface Screen {
  /** Rejected one by one (a Reject outcome). */
  readonly reject: ReadonlySet<string>
  /** Dropped (counted as skipped). */
  readonly drop: ReadonlySet<string>
  /** A batch containing one of these fails fatally. */
  readonly fatal: ReadonlySet<string>
  /** A batch containing one of these fails with a record-level error (the runner isolates the culprit). */
  readonly failBatch: ReadonlySet<string>
}

export const noScreen: Screen = { reject: new Set(), drop: new Set(), fatal: new Set(), failBatch: new Set() }

export const makeScreen = (initial: Partial<Screen> = {}) =>
  Effect.gen(function*() {
    const rules = yield* Ref.make<Screen>({ ...noScreen, ...initial })
    const screen = Stage.transform({
      name: "screen",
      description: "test transform driven by the test",
      apply: (batch: ReadonlyArray<Item>) =>
        Effect.gen(function*() {
          const current = yield* Ref.get(rules)
          const fatalItem = batch.find((item) => current.fatal.has(item.id))
          if (fatalItem !== undefined) return yield* fatal("screen", `fatal failure at ${fatalItem.id}`)
          const culprit = batch.find((item) => current.failBatch.has(item.id))
          if (culprit !== undefined) return yield* recordLevel("screen", `${culprit.id} is malformed`)
          return batch.map((item): Outcome<Item> =>
            current.reject.has(item.id)
              ? Stage.reject(recordLevel("screen", `${item.id} is not acceptable`))
              : current.drop.has(item.id)
              ? Stage.drop("not wanted")
              : Stage.emit(item, "screened")
          )
        })
    })
    return { screen, rules }
  })

export const TestOptions = Schema.Struct({
  minimum: Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)), { default: () => 0 })
})

export const pipelineName = "test-pipeline"

export const makePipeline = <ES extends Classified, RS>(
  source: Source<Item, number, TestError>,
  screen: Transform<Item, Item, TestError>,
  sink: Sink<Item, ES, RS>
) =>
  Pipeline.make({
    name: pipelineName,
    description: "runner test pipeline",
    options: TestOptions,
    connectors: [],
    build: () => Pipeline.from(source).pipe(Pipeline.via(screen), Pipeline.to(sink))
  })
