// Type-level test (checked by `tsc`, never run): a pipeline whose stages do not fit together does not
// compile. Each `@ts-expect-error` fails the typecheck if the line below it ever starts to compile.
import { Effect, Schema, Stream } from "effect"
import * as Pipeline from "../../core/Pipeline.js"
import * as Stage from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"

const numbers = Stage.source({
  name: "numbers",
  description: "emits numbers",
  record: Schema.Number,
  cursor: Schema.Number,
  key: (n: number) => String(n),
  read: () => Stream.empty
})
const toText = Transform.map("to-text", (n: number) => `#${n}`)
const shout = Transform.map("shout", (s: string) => s.toUpperCase())
const sinkOf = <A>(name: string) =>
  Stage.sink({
    name,
    description: "accepts anything of its type",
    write: (batch: ReadonlyArray<A>) => Effect.succeed(batch.map(() => Stage.written("stored")))
  })
const textSink = sinkOf<string>("text-sink")
const numberSink = sinkOf<number>("number-sink")
const anySink = sinkOf<unknown>("any-sink")

// These compose: each stage takes what the previous one produces (or something wider).
export const fits = Pipeline.from(numbers).pipe(Pipeline.via(toText), Pipeline.via(shout), Pipeline.to(textSink))
export const widens = Pipeline.from(numbers).pipe(Pipeline.via(toText), Pipeline.to(anySink))

// @ts-expect-error a transform of strings cannot follow a source of numbers
export const transformMismatch = Pipeline.from(numbers).pipe(Pipeline.via(shout))

// @ts-expect-error a sink of numbers cannot take the strings the flow produces
export const sinkMismatch = Pipeline.from(numbers).pipe(Pipeline.via(toText), Pipeline.to(numberSink))

// @ts-expect-error a flow without a sink is not a pipeline's stages
export const unfinished = Pipeline.make({ name: "x", description: "x", options: Schema.Struct({}), connectors: [], build: () => Pipeline.from(numbers) })
