// A pipeline's stages as the runner drives them: record types erased and the stages' services already
// provided, so the runner's machinery is plain (non-generic) code with no requirements of its own.
import { Effect, Option, Stream } from "effect"
import type { Context, Schema } from "effect"
import type { Classified } from "../EtlError.js"
import type { Stages } from "../Pipeline.js"
import type { Outcome, ReadContext, SinkContext, SinkOutcome, Sourced, StageContext } from "../Stage.js"

export interface RunnerSource {
  readonly name: string
  readonly record: Schema.Schema<unknown, unknown>
  readonly cursor: Schema.Schema<unknown, unknown>
  readonly key: (record: unknown) => string
  readonly read: (cursor: Option.Option<unknown>, ctx: ReadContext) => Stream.Stream<Sourced<unknown, unknown>, Classified>
}

export interface RunnerTransform {
  readonly name: string
  readonly apply: (batch: ReadonlyArray<unknown>, ctx: StageContext) => Effect.Effect<ReadonlyArray<Outcome<unknown>>, Classified>
  /** The transform as a pure per-record function, when it is one (see `Stage.Transform.map`). */
  readonly map: ((record: unknown) => unknown) | undefined
}

export interface RunnerSink {
  readonly name: string
  readonly transactional: boolean
  readonly write: (batch: ReadonlyArray<unknown>, ctx: SinkContext) => Effect.Effect<ReadonlyArray<SinkOutcome>, Classified>
  readonly plan: Option.Option<
    (batch: ReadonlyArray<unknown>, ctx: StageContext) => Effect.Effect<ReadonlyArray<SinkOutcome>, Classified>
  >
}

export interface RunnerStages {
  readonly source: RunnerSource
  readonly transforms: ReadonlyArray<RunnerTransform>
  readonly sink: RunnerSink
}

// The cursor type is known only to the source; the runner hands back exactly the cursors the source
// produced (or decoded with the source's own cursor Schema), so erasing it is sound.
const erase = <T>(value: unknown): T => value as T

export const provide = <C, E extends Classified, R>(stages: Stages<C, E, R>, context: Context.Context<R>): RunnerStages => {
  const { sink, source } = stages
  const plan = sink.plan
  return {
    source: {
      name: source.name,
      record: source.record,
      cursor: erase<Schema.Schema<unknown, unknown>>(source.cursor),
      key: source.key,
      read: (cursor, ctx) => Stream.provideContext(source.read(erase<Option.Option<C>>(cursor), ctx), context)
    },
    transforms: stages.transforms.map((transform) => ({
      name: transform.name,
      apply: (batch, ctx) => Effect.provide(transform.apply(batch, ctx), context),
      map: transform.map
    })),
    sink: {
      name: sink.name,
      transactional: sink.transactional,
      write: (batch, ctx) => Effect.provide(sink.write(batch, ctx), context),
      plan: plan === undefined ? Option.none() : Option.some((batch, ctx) => Effect.provide(plan(batch, ctx), context))
    }
  }
}
