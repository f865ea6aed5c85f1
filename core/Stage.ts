// The three kinds of stage a pipeline is made of, and what each promises the runner.
//
// A Source reads records in cursor order; a Transform turns a batch of records into one outcome per
// record; a Sink writes a batch and says per record what it did. Stages never retry, batch or
// checkpoint by themselves: the runner owns all of that (the Benthos rule), so a connector author
// writes only what talks to the outside world.
import type { Effect, Option, Stream } from "effect"
import { Schema } from "effect"
import type { Classified } from "./EtlError.js"

/** What every stage is told about the run it serves (for log annotations and error context). */
export interface StageContext {
  readonly pipeline: string
  readonly runId: string
  readonly stage: string
  readonly dryRun: boolean
}

/** A record as the source emits it, with the cursor position just after it. */
export interface Sourced<A, C> {
  readonly record: A
  readonly cursor: C
}

export interface ReadContext extends StageContext {
  /** At most this many records will be consumed; a source may use it to size its first page. */
  readonly limit: Option.Option<number>
}

/**
 * A source of records. `read` emits records after `cursor` (from the beginning when none) in cursor
 * order; the cursor of a record must never sort before the cursor of a record emitted earlier, and
 * re-reading from a saved cursor must not emit a record version that was emitted before it.
 *
 * When the stream fails, the runner classifies the error: retriable failures restart the read from the
 * last committed cursor after a backoff; anything else stops the run.
 */
export interface Source<A, C, E extends Classified = never, R = never> {
  readonly _tag: "Source"
  readonly name: string
  readonly description: string
  /** Decodes and encodes one record (dead letters keep the encoded form, replays decode it). */
  readonly record: Schema.Schema<A, unknown>
  /** Decodes and encodes the checkpoint kept in the state store. */
  readonly cursor: Schema.Schema<C, unknown>
  /** The record's primary key: unique and non-empty within the source. */
  readonly key: (record: A) => string
  readonly read: (cursor: Option.Option<C>, ctx: ReadContext) => Stream.Stream<Sourced<A, C>, E, R>
}

/** What a transform decided for one input record. */
export type Outcome<B> =
  | { readonly _tag: "Emit"; readonly records: ReadonlyArray<B>; readonly notes: ReadonlyArray<string> }
  | { readonly _tag: "Drop"; readonly reason: string }
  | { readonly _tag: "Reject"; readonly error: Classified }

export const emit = <B>(record: B, ...notes: ReadonlyArray<string>): Outcome<B> => ({
  _tag: "Emit",
  records: [record],
  notes
})
export const emitAll = <B>(records: ReadonlyArray<B>, ...notes: ReadonlyArray<string>): Outcome<B> => ({
  _tag: "Emit",
  records,
  notes
})
export const drop = (reason: string): Outcome<never> => ({ _tag: "Drop", reason })
export const reject = (error: Classified): Outcome<never> => ({ _tag: "Reject", error })

/**
 * A transform maps a batch to exactly one outcome per input record, in input order.
 *
 * If the whole effect fails: retriable errors are retried by the runner; a record-level error makes
 * the runner apply the transform to each record alone to find the culprit; fatal stops the run.
 *
 * The batch array belongs to the runner, which empties it once the batch is committed (so that a
 * finished batch cannot keep its records alive): a stage that keeps records beyond its effect copies them.
 */
export interface Transform<In, Out, E extends Classified = never, R = never> {
  readonly _tag: "Transform"
  readonly name: string
  readonly description: string
  readonly apply: (batch: ReadonlyArray<In>, ctx: StageContext) => Effect.Effect<ReadonlyArray<Outcome<Out>>, E, R>
  /**
   * Optional: the same transform as a pure function of one record (set by `Transform.map`; it must do
   * exactly what `apply` does). The runner then fuses consecutive such transforms into one pass over
   * the batch, without an outcome per record and stage.
   */
  readonly map?: ((record: In) => Out) | undefined
}

/** What a sink did with one record. `action` names what happened ("created", "updated", ...). */
export type SinkOutcome =
  | { readonly _tag: "Written"; readonly action: string }
  | { readonly _tag: "Skipped"; readonly reason: string }
  | { readonly _tag: "Rejected"; readonly error: Classified }

export const written = (action: string): SinkOutcome => ({ _tag: "Written", action })
export const skipped = (reason: string): SinkOutcome => ({ _tag: "Skipped", reason })
export const rejected = (error: Classified): SinkOutcome => ({ _tag: "Rejected", error })

export interface SinkContext extends StageContext {
  /**
   * Commits the batch's bookkeeping: the checkpoint, the dead letters of rejected records, the run's
   * counters. A `transactional` sink calls it exactly once, inside its own transaction, after its
   * writes and with its outcomes; a non-transactional sink never calls it (the runner does, after
   * `write` has returned).
   */
  readonly commit: (outcomes: ReadonlyArray<SinkOutcome>) => Effect.Effect<void, Classified>
}

/**
 * A sink writes one batch and returns exactly one outcome per record, in order. It must be idempotent
 * per record: after a crash the runner replays the batch whose checkpoint was not committed.
 *
 * `transactional` sinks share the state store's database (the composition root guarantees this) and
 * commit the runner's bookkeeping in the same transaction as their writes: all or nothing. A rejected
 * record must leave no writes behind.
 *
 * In a dry run the runner calls `plan` instead of `write` (or, without `plan`, counts the batch as
 * "would write") and commits nothing.
 *
 * As for transforms, the batch array belongs to the runner and is emptied after the commit.
 */
export interface Sink<In, E extends Classified = never, R = never> {
  readonly _tag: "Sink"
  readonly name: string
  readonly description: string
  readonly transactional: boolean
  readonly write: (batch: ReadonlyArray<In>, ctx: SinkContext) => Effect.Effect<ReadonlyArray<SinkOutcome>, E, R>
  readonly plan?: (batch: ReadonlyArray<In>, ctx: StageContext) => Effect.Effect<ReadonlyArray<SinkOutcome>, E, R>
}

// Record and cursor Schemas are stored with their encoded side widened to `unknown`: the runner only
// encodes them to JSON and decodes unknown input, for which that widening is sound.
const widen = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, unknown> =>
  schema as unknown as Schema.Schema<A, unknown>

export const source = <A, I, C, CI, E extends Classified = never, R = never>(spec: {
  readonly name: string
  readonly description: string
  readonly record: Schema.Schema<A, I>
  readonly cursor: Schema.Schema<C, CI>
  readonly key: (record: A) => string
  readonly read: (cursor: Option.Option<C>, ctx: ReadContext) => Stream.Stream<Sourced<A, C>, E, R>
}): Source<A, C, E, R> => ({
  _tag: "Source",
  name: spec.name,
  description: spec.description,
  record: widen(spec.record),
  cursor: widen(spec.cursor),
  key: spec.key,
  read: spec.read
})

export const transform = <In, Out, E extends Classified = never, R = never>(spec: {
  readonly name: string
  readonly description: string
  readonly apply: (batch: ReadonlyArray<In>, ctx: StageContext) => Effect.Effect<ReadonlyArray<Outcome<Out>>, E, R>
  readonly map?: ((record: In) => Out) | undefined
}): Transform<In, Out, E, R> => ({ _tag: "Transform", ...spec })

export const sink = <In, E extends Classified = never, R = never>(spec: {
  readonly name: string
  readonly description: string
  readonly transactional?: boolean
  readonly write: (batch: ReadonlyArray<In>, ctx: SinkContext) => Effect.Effect<ReadonlyArray<SinkOutcome>, E, R>
  readonly plan?: (batch: ReadonlyArray<In>, ctx: StageContext) => Effect.Effect<ReadonlyArray<SinkOutcome>, E, R>
}): Sink<In, E, R> => ({
  _tag: "Sink",
  name: spec.name,
  description: spec.description,
  transactional: spec.transactional ?? false,
  write: spec.write,
  ...(spec.plan === undefined ? {} : { plan: spec.plan })
})
