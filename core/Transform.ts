// Constructors for the common shapes of transform, so a pipeline author writes the per-record logic and
// not the batch plumbing. Each builds a `Stage.Transform` (one outcome per input record, in order).
//
//   Transform.map("normalize-email", (c: Customer) => ({ ...c, email: c.email.toLowerCase() }))
//   Transform.filter("has-email", (c: Customer) => c.email !== "", { reason: "no email address" })
//   Transform.mapEffect("match-customer", (c: Order) => lookup(c), { concurrency: 8 })
//
// The pure constructors loop over the batch without any per-record Effect: the runner's throughput
// depends on it.
import { Effect, Option } from "effect"
import type { Classified } from "./EtlError.js"
import type { Outcome, StageContext, Transform } from "./Stage.js"
import * as Stage from "./Stage.js"

export interface Options {
  readonly description?: string
}

export interface EffectOptions extends Options {
  /** How many records of a batch run at once (default 1: one after the other). */
  readonly concurrency?: number
}

const noNotes: ReadonlyArray<string> = []
const emitOne = <B>(record: B): Outcome<B> => ({ _tag: "Emit", records: [record], notes: noNotes })

const describe = (name: string, options: Options | undefined, fallback: string): string =>
  options?.description ?? `${name}: ${fallback}`

/** One record in, one record out. Consecutive maps run fused, in one pass over the batch. */
export const map = <A, B>(name: string, f: (record: A) => B, options?: Options): Transform<A, B> =>
  Stage.transform({
    name,
    description: describe(name, options, "maps each record"),
    apply: (batch) =>
      Effect.sync(() => {
        const outcomes = new Array<Outcome<B>>(batch.length)
        for (let i = 0; i < batch.length; i++) outcomes[i] = emitOne(f(batch[i]!))
        return outcomes
      }),
    map: f
  })

/** Keeps the records the predicate accepts; the others are dropped (counted as skipped) with `reason`. */
export const filter = <A>(
  name: string,
  predicate: (record: A) => boolean,
  options?: Options & { readonly reason?: string | ((record: A) => string) }
): Transform<A, A> => {
  const reason = options?.reason ?? `filtered out by ${name}`
  return Stage.transform({
    name,
    description: describe(name, options, "keeps matching records"),
    apply: (batch) =>
      Effect.sync(() => {
        const outcomes = new Array<Outcome<A>>(batch.length)
        for (let i = 0; i < batch.length; i++) {
          const record = batch[i]!
          outcomes[i] = predicate(record)
            ? emitOne(record)
            : Stage.drop(typeof reason === "string" ? reason : reason(record))
        }
        return outcomes
      })
  })
}

/** Maps each record to `Some(output)`, or drops it (counted as skipped) on `None`. */
export const filterMap = <A, B>(
  name: string,
  f: (record: A) => Option.Option<B>,
  options?: Options & { readonly reason?: string | ((record: A) => string) }
): Transform<A, B> => {
  const reason = options?.reason ?? `filtered out by ${name}`
  return Stage.transform({
    name,
    description: describe(name, options, "maps and filters records"),
    apply: (batch) =>
      Effect.sync(() => {
        const outcomes = new Array<Outcome<B>>(batch.length)
        for (let i = 0; i < batch.length; i++) {
          const record = batch[i]!
          const result = f(record)
          outcomes[i] = Option.isSome(result)
            ? emitOne(result.value)
            : Stage.drop(typeof reason === "string" ? reason : reason(record))
        }
        return outcomes
      })
  })
}

/**
 * One record in, any number out (a fan-out). For the run's counts the source record counts once; see
 * `RunSummary.counts`. An empty result counts the record as skipped.
 */
export const flatMap = <A, B>(name: string, f: (record: A) => ReadonlyArray<B>, options?: Options): Transform<A, B> =>
  Stage.transform({
    name,
    description: describe(name, options, "maps each record to several"),
    apply: (batch) =>
      Effect.sync(() => {
        const outcomes = new Array<Outcome<B>>(batch.length)
        for (let i = 0; i < batch.length; i++) outcomes[i] = { _tag: "Emit", records: f(batch[i]!), notes: noNotes }
        return outcomes
      })
  })

/** Decides per record with full control: emit (with notes), drop with a reason, or reject. */
export const decide = <A, B>(
  name: string,
  f: (record: A, ctx: StageContext) => Outcome<B>,
  options?: Options
): Transform<A, B> =>
  Stage.transform({
    name,
    description: describe(name, options, "decides per record"),
    apply: (batch, ctx) =>
      Effect.sync(() => {
        const outcomes = new Array<Outcome<B>>(batch.length)
        for (let i = 0; i < batch.length; i++) outcomes[i] = f(batch[i]!, ctx)
        return outcomes
      })
  })

/**
 * An effect per record (a lookup, a remote call), `concurrency` of them at once.
 *
 * A record-level failure of one record becomes that record's `Reject` (it is dead-lettered, the others
 * go on). A retriable or fatal failure fails the whole batch: the runner retries the batch (so `f` must
 * be safe to repeat) or stops the run.
 */
export const mapEffect = <A, B, E extends Classified = never, R = never>(
  name: string,
  f: (record: A, ctx: StageContext) => Effect.Effect<B, E, R>,
  options?: EffectOptions
): Transform<A, B, E, R> =>
  decideEffect(name, (record: A, ctx) => Effect.map(f(record, ctx), emitOne), {
    description: describe(name, options, "runs an effect per record"),
    ...(options?.concurrency === undefined ? {} : { concurrency: options.concurrency })
  })

/** Like `mapEffect`, but the effect returns the record's outcome (so it can also drop or reject). */
export const decideEffect = <A, B, E extends Classified = never, R = never>(
  name: string,
  f: (record: A, ctx: StageContext) => Effect.Effect<Outcome<B>, E, R>,
  options?: EffectOptions
): Transform<A, B, E, R> =>
  Stage.transform({
    name,
    description: describe(name, options, "decides per record with an effect"),
    apply: (batch, ctx) =>
      Effect.forEach(
        batch,
        (record) =>
          Effect.catchAll(
            f(record, ctx),
            (error): Effect.Effect<Outcome<B>, E> =>
              error.classification === "record" ? Effect.succeed(Stage.reject(error)) : Effect.fail(error)
          ),
        { concurrency: options?.concurrency ?? 1 }
      )
  })

/**
 * A transform over the whole batch (one outcome per input record, in order), for work that is cheaper
 * per batch: one query for all keys, one remote call with many ids.
 */
export const batch = <A, B, E extends Classified = never, R = never>(
  name: string,
  f: (batch: ReadonlyArray<A>, ctx: StageContext) => Effect.Effect<ReadonlyArray<Outcome<B>>, E, R>,
  options?: Options
): Transform<A, B, E, R> =>
  Stage.transform({ name, description: describe(name, options, "transforms each batch"), apply: f })
