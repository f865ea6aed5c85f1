// The inert pipeline value and its type-checked composition.
//
// A pipeline reads like what it does:
//
//   Pipeline.make({
//     name: "web-sales-to-edge", description: "...", options: SyncOptions,
//     build: (options) => Pipeline.from(orders).pipe(
//       Pipeline.via(matchCustomer(options)),
//       Pipeline.via(stripTaxes(options)),
//       Pipeline.to(webSales))
//   })
//
// Importing it runs nothing; `build` is a pure function from decoded options to stages, called by the
// runner. `via` only accepts a transform whose input is the previous stage's output, and `to` only a
// sink that accepts it, so a wrong composition is a compile error.
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import type { Schema } from "effect"
import type { Classified } from "./EtlError.js"
import type { Sink, Source, Transform } from "./Stage.js"

/** A source followed by transforms, not yet ending in a sink. `A` is what flows out of its last stage. */
export interface Flow<A, C, E extends Classified, R> extends Pipeable {
  readonly _tag: "Flow"
  readonly source: Source<unknown, C, E, R>
  readonly transforms: ReadonlyArray<Transform<unknown, unknown, E, R>>
  /** Phantom: the type of the records leaving the flow. */
  readonly _A?: (_: never) => A
}

/** A source, transforms and a sink: everything the runner needs to move records. */
export interface Stages<C, E extends Classified, R> {
  readonly _tag: "Stages"
  readonly source: Source<unknown, C, E, R>
  readonly transforms: ReadonlyArray<Transform<unknown, unknown, E, R>>
  readonly sink: Sink<unknown, E, R>
}

/** A named, described, inert pipeline with an options Schema validated before any run. */
export interface Pipeline<O, C, E extends Classified, R> {
  readonly _tag: "Pipeline"
  readonly name: string
  readonly description: string
  /**
   * The options Schema. Options are read from the config file section `optionsSection` (the
   * pipeline's name unless set), overridden by `--option key=value`, and decoded before anything runs.
   */
  readonly options: Schema.Schema<O, unknown>
  readonly optionsSection: string
  /** Names of the connectors whose layers this pipeline needs (built by the composition root). */
  readonly connectors: ReadonlyArray<string>
  readonly build: (options: O) => Stages<C, E, R>
}

const FlowProto = {
  pipe() {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }
}

const makeFlow = <A, C, E extends Classified, R>(
  source: Source<unknown, C, E, R>,
  transforms: ReadonlyArray<Transform<unknown, unknown, E, R>>
): Flow<A, C, E, R> => Object.assign(Object.create(FlowProto), { _tag: "Flow", source, transforms })

// The stages of a flow are kept with their record types erased: the runner passes each stage exactly
// what the previous one produced, and `via`/`to` have checked at compile time that those types agree.
const erase = <T>(stage: unknown): T => stage as T

/** Starts a flow at a source. */
export const from = <A, C, E extends Classified, R>(source: Source<A, C, E, R>): Flow<A, C, E, R> =>
  makeFlow(erase(source), [])

/** Appends a transform whose input is what the flow produces. */
export const via = <A, B, E2 extends Classified, R2>(transform: Transform<A, B, E2, R2>) =>
<C, E extends Classified, R>(flow: Flow<A, C, E, R>): Flow<B, C, E | E2, R | R2> =>
  makeFlow<B, C, E | E2, R | R2>(erase(flow.source), [...flow.transforms, erase(transform)])

/** Ends a flow in a sink that accepts what the flow produces. */
export const to = <A, E2 extends Classified, R2>(sink: Sink<A, E2, R2>) =>
<C, E extends Classified, R>(flow: Flow<A, C, E, R>): Stages<C, E | E2, R | R2> => ({
  _tag: "Stages",
  source: erase(flow.source),
  transforms: erase(flow.transforms),
  sink: erase(sink)
})

export const make = <O, OI, C, E extends Classified, R>(spec: {
  readonly name: string
  readonly description: string
  readonly options: Schema.Schema<O, OI>
  readonly optionsSection?: string
  readonly connectors: ReadonlyArray<string>
  readonly build: (options: O) => Stages<C, E, R>
}): Pipeline<O, C, E, R> => ({
  _tag: "Pipeline",
  name: spec.name,
  description: spec.description,
  options: erase(spec.options),
  optionsSection: spec.optionsSection ?? spec.name,
  connectors: spec.connectors,
  build: spec.build
})
