// The runner: interprets an inert pipeline value. It validates the options, takes the pipeline's lock,
// reads from the last committed checkpoint, batches by size and time, drives each batch through the
// transforms and the sink, commits the batch's bookkeeping, and applies the failure rules:
//
// - retriable: retry the step with exponential backoff and jitter (honouring `retryAfter`), at most
//   `retry.maxAttempts` times, then fatal (RetriesExhausted). A failing source restarts from the last
//   committed cursor.
// - record-level: the record is dead-lettered and the run goes on. When a whole batch step fails with a
//   record-level error, the step is re-run one record at a time so only the culprits are dead-lettered.
// - fatal (and defects): the run stops, is recorded as failed, and fails with RunFailed; everything
//   committed before stays committed and nothing is half-committed.
//
// Counts are in source records: `read == written + skipped + deadLettered` after every commit. A
// transform that drops a record makes it "skipped"; a transform that fans one record out into several
// still counts it once (dead-lettered if any part was rejected, else written if any part was written,
// else skipped), while `actions` counts each sink action and each transform note.
//
// Dead-letter replay (`replay`): a failed replay leaves the dead letter pending with `attempts + 1` and
// the latest error (rather than adding a second dead letter for the same record); a successful one
// marks it "replayed".
import { randomUUID } from "node:crypto"
import { hostname } from "node:os"
import type { Context } from "effect"
import { Cause, Clock, Duration, Effect, Either, Exit, Option, ParseResult, Ref, Schedule, Schema, Stream } from "effect"
import type { Classified } from "./EtlError.js"
import { ConfigError, LockHeld, NotFound, RunFailed, StateStoreError } from "./EtlError.js"
import * as FailPoint from "./FailPoint.js"
import * as BatchRunner from "./internal/batchRunner.js"
import { batchWithin } from "./internal/batchWithin.js"
import * as RunnerStages from "./internal/runnerStages.js"
import type { Pipeline } from "./Pipeline.js"
import type { Progress } from "./Progress.js"
import * as RetryPolicy from "./RetryPolicy.js"
import type { PlannedOutcome, RunSummary } from "./RunSummary.js"
import type { Sourced } from "./Stage.js"
import type { DeadLetter, LockOwner, NewDeadLetter, RunCounts, StateStoreService } from "./StateStore.js"
import { emptyCounts, StateStore } from "./StateStore.js"

export interface RunOptions {
  /** The pipeline's options before decoding (config file section merged with `--option`s). */
  readonly rawOptions: unknown
  readonly dryRun: boolean
  /** Stop after this many source records (what was processed is committed). */
  readonly limit: Option.Option<number>
  /** Records per batch (default 500). */
  readonly batchSize?: number | undefined
  /** A partial batch is processed once no full batch arrived for this long (default 1 second). */
  readonly batchWindow?: Duration.DurationInput | undefined
  /** When another run holds the pipeline's lock: fail with LockHeld (default) or wait for it. */
  readonly lock?: "fail" | "wait" | undefined
  /** Called after every batch. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void>) | undefined
  readonly retry?: Partial<RetryPolicy.RetryPolicy> | undefined
  /** Batches read and transformed ahead of the one being written (default 1). */
  readonly readAhead?: number | undefined
  /** A lock whose holder has not heartbeated for this long is taken over (default 60 seconds). */
  readonly lockStaleAfter?: Duration.DurationInput | undefined
  readonly heartbeatInterval?: Duration.DurationInput | undefined
  /** How often `lock: "wait"` checks whether the lock is free (default 1 second). */
  readonly lockPollInterval?: Duration.DurationInput | undefined
  /** How many planned outcomes and dead letters a dry run's summary keeps (default 100). */
  readonly reportLimit?: number | undefined
}

export type ReplayOptions = Omit<RunOptions, "limit" | "batchWindow" | "readAhead">

export const defaults = {
  batchSize: 500,
  batchWindow: Duration.seconds(1),
  readAhead: 1,
  lockStaleAfter: Duration.seconds(60),
  heartbeatInterval: Duration.seconds(10),
  lockPollInterval: Duration.seconds(1),
  reportLimit: 100
} as const

interface Settings {
  readonly batchSize: number
  readonly batchWindow: Duration.Duration
  readonly readAhead: number
  readonly policy: RetryPolicy.RetryPolicy
  readonly lock: "fail" | "wait"
  readonly lockStaleAfter: Duration.Duration
  readonly heartbeatInterval: Duration.Duration
  readonly lockPollInterval: Duration.Duration
  readonly reportLimit: number
}

const settingsOf = (options: RunOptions | ReplayOptions): Settings => {
  const batchWindow = "batchWindow" in options ? options.batchWindow : undefined
  const readAhead = "readAhead" in options ? options.readAhead : undefined
  return {
    batchSize: Math.max(1, Math.floor(options.batchSize ?? defaults.batchSize)),
    batchWindow: Duration.decode(batchWindow ?? defaults.batchWindow),
    readAhead: Math.max(1, Math.floor(readAhead ?? defaults.readAhead)),
    policy: RetryPolicy.make(options.retry ?? {}),
    lock: options.lock ?? "fail",
    lockStaleAfter: Duration.decode(options.lockStaleAfter ?? defaults.lockStaleAfter),
    heartbeatInterval: Duration.decode(options.heartbeatInterval ?? defaults.heartbeatInterval),
    lockPollInterval: Duration.decode(options.lockPollInterval ?? defaults.lockPollInterval),
    reportLimit: Math.max(0, Math.floor(options.reportLimit ?? defaults.reportLimit))
  }
}

// --- The pipeline as the runner sees it ----------------------------------------------------------------

interface ErasedPipeline {
  readonly name: string
  readonly optionsSection: string
  readonly options: Schema.Schema<unknown, unknown>
  readonly build: (options: unknown) => RunnerStages.RunnerStages
}

// The options are decoded with the pipeline's own Schema before `build` sees them, so handing them
// over as `O` is sound; the stages get their services from the context the caller provided.
const erase = <O, C, E extends Classified, R>(pipeline: Pipeline<O, C, E, R>, context: Context.Context<R>): ErasedPipeline => ({
  name: pipeline.name,
  optionsSection: pipeline.optionsSection,
  options: pipeline.options as unknown as Schema.Schema<unknown, unknown>,
  build: (options) => RunnerStages.provide(pipeline.build(options as O), context)
})

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current = input
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** Decodes the raw options; the first problem becomes a ConfigError naming the key, the value and what was expected. */
const decodeOptions = (pipeline: ErasedPipeline, raw: unknown): Effect.Effect<unknown, ConfigError> =>
  Schema.decodeUnknown(pipeline.options, { errors: "all", onExcessProperty: "error" })(raw).pipe(
    Effect.mapError((error) => {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
      const first = issues[0]
      const path = first?.path ?? []
      const key = [pipeline.optionsSection, ...path.map(String)].join(".")
      const value = valueAt(raw, path)
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : ""
      return new ConfigError({
        reason: first?._tag === "Missing" ? "Missing" : "Invalid",
        key,
        ...(value === undefined ? {} : { value: show(value) }),
        expected: `${first?.message ?? error.message}${more}`
      })
    })
  )

// --- The run's lifecycle: lock, run record, finish ---------------------------------------------------------

const retryStore = <A, E extends { readonly _tag: string }>(
  policy: RetryPolicy.RetryPolicy,
  effect: Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.retry(effect, {
    while: (error) => error instanceof StateStoreError && error.reason === "Unavailable",
    schedule: Schedule.exponential(policy.base, policy.factor).pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(Math.max(0, policy.maxAttempts - 1)))
    )
  })

const takeLock = (store: StateStoreService, pipeline: string, owner: LockOwner, settings: Settings) => {
  const once = retryStore(settings.policy, store.acquireLock(pipeline, owner, Duration.toMillis(settings.lockStaleAfter)))
  if (settings.lock === "fail") return once
  return once.pipe(
    Effect.catchTag("LockHeld", (held) =>
      Effect.logInfo(`${held.message} Waiting for it to be released.`).pipe(
        Effect.zipRight(Effect.retry(once, {
          while: (error) => error instanceof LockHeld,
          schedule: Schedule.spaced(settings.lockPollInterval)
        }))
      ))
  )
}

const finalCounts = (ctx: BatchRunner.RunContext): Effect.Effect<RunCounts> =>
  Effect.zipWith(Ref.get(ctx.totals), Ref.get(ctx.retries), (totals, retries) => ({ ...totals, retries }))

const failureMessage = (cause: Cause.Cause<unknown>): string => {
  if (Cause.isInterruptedOnly(cause)) return "interrupted (SIGINT/SIGTERM or the caller stopped the run)"
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    return error instanceof Error ? error.message : String(error)
  }
  return Cause.pretty(cause)
}

interface Lifecycle {
  readonly pipeline: ErasedPipeline
  readonly stages: RunnerStages.RunnerStages
  readonly runId: string
  readonly dryRun: boolean
  readonly settings: Settings
  readonly onProgress: ((progress: Progress) => Effect.Effect<void>) | undefined
}

/**
 * Runs `body` as a recorded run holding the pipeline's lock (dry runs write nothing and take no lock):
 * start the run record, heartbeat the lock, record the end (succeeded, failed or interrupted), release.
 */
const lifecycle = (
  spec: Lifecycle,
  body: (ctx: BatchRunner.RunContext, afterBatch: Effect.Effect<void>) => Effect.Effect<void, BatchRunner.Stop | StateStoreError>
): Effect.Effect<RunSummary, RunFailed | LockHeld | StateStoreError, StateStore> =>
  Effect.gen(function*() {
    const store = yield* StateStore
    const { dryRun, runId, settings } = spec
    const pipeline = spec.pipeline.name
    yield* retryStore(settings.policy, store.migrate)
    const startedAt = new Date(yield* Clock.currentTimeMillis)
    const ctx: BatchRunner.RunContext = {
      pipeline,
      runId,
      dryRun,
      stages: spec.stages,
      store,
      policy: settings.policy,
      reportLimit: settings.reportLimit,
      totals: yield* Ref.make(emptyCounts),
      retries: yield* Ref.make(0),
      lastCursor: yield* Ref.make(Option.none<unknown>()),
      planned: yield* Ref.make<ReadonlyArray<PlannedOutcome>>([]),
      reportedDeadLetters: yield* Ref.make<ReadonlyArray<NewDeadLetter>>([])
    }
    const batches = yield* Ref.make(0)
    const afterBatch = Effect.gen(function*() {
      const done = yield* Ref.updateAndGet(batches, (n) => n + 1)
      if (spec.onProgress === undefined) return
      const counts = yield* finalCounts(ctx)
      const now = yield* Clock.currentTimeMillis
      yield* spec.onProgress({
        pipeline,
        runId,
        dryRun,
        batches: done,
        read: counts.read,
        written: counts.written,
        skipped: counts.skipped,
        deadLettered: counts.deadLettered,
        retries: counts.retries,
        elapsed: Duration.millis(Math.max(0, now - startedAt.getTime()))
      })
    })

    const recordEnd = (exit: Exit.Exit<void, BatchRunner.Stop | StateStoreError>) =>
      Effect.gen(function*() {
        const endedAt = new Date(yield* Clock.currentTimeMillis)
        const counts = yield* finalCounts(ctx)
        const outcome = Exit.isSuccess(exit) ? "succeeded" : Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "failed"
        const error = Exit.isSuccess(exit) ? Option.none() : Option.some(failureMessage(exit.cause))
        yield* retryStore(settings.policy, store.finishRun({ runId, endedAt, outcome, counts, error })).pipe(
          Effect.catchAll((failure) => Effect.logError(`Could not record the end of run ${runId}: ${failure.message}`))
        )
        const line = `Run ${outcome}: read ${counts.read}, written ${counts.written}, skipped ${counts.skipped}, ` +
          `dead-lettered ${counts.deadLettered}, retries ${counts.retries}` +
          (Option.isSome(error) ? `; ${error.value}` : "")
        yield* outcome === "succeeded" ? Effect.logInfo(line) : Effect.logWarning(line)
      })

    const execute = Effect.gen(function*() {
      yield* retryStore(settings.policy, store.startRun({ runId, pipeline, startedAt, dryRun }))
      yield* body(ctx, afterBatch).pipe(Effect.onExit(recordEnd))
    })

    const owner: LockOwner = { host: hostname(), pid: process.pid, runId }
    const heartbeat = Effect.sleep(settings.heartbeatInterval).pipe(
      Effect.zipRight(store.heartbeatLock(pipeline, owner).pipe(
        Effect.catchAll((error) => Effect.logWarning(`Could not refresh the lock of "${pipeline}": ${error.message}`))
      )),
      Effect.forever
    )
    const locked = dryRun ? execute : Effect.scoped(Effect.gen(function*() {
      yield* Effect.acquireRelease(
        takeLock(store, pipeline, owner, settings),
        () =>
          store.releaseLock(pipeline, owner).pipe(
            Effect.catchAll((error) =>
              Effect.logWarning(`Could not release the lock of "${pipeline}" (it goes stale by itself): ${error.message}`)
            )
          )
      )
      yield* Effect.forkScoped(heartbeat)
      yield* execute
    }))

    const outcome = yield* Effect.either(locked)
    const counts = yield* finalCounts(ctx)
    if (Either.isLeft(outcome)) {
      const error = outcome.left
      if (error instanceof BatchRunner.Stop) {
        return yield* new RunFailed({ pipeline, runId, stage: error.stage, errorTag: error.errorTag, detail: error.detail, counts })
      }
      return yield* Effect.fail(error)
    }
    return {
      runId,
      pipeline,
      startedAt,
      endedAt: new Date(yield* Clock.currentTimeMillis),
      outcome: "succeeded",
      dryRun,
      counts,
      planned: yield* Ref.get(ctx.planned),
      deadLetters: yield* Ref.get(ctx.reportedDeadLetters),
      error: Option.none()
    } satisfies RunSummary
  }).pipe(Effect.annotateLogs({ pipeline: spec.pipeline.name, runId: spec.runId }))

const prepareRun = (pipeline: ErasedPipeline, rawOptions: unknown) =>
  Effect.gen(function*() {
    const options = yield* decodeOptions(pipeline, rawOptions)
    const runId = yield* Effect.sync(() => randomUUID())
    const stages = yield* Effect.try({
      try: () => pipeline.build(options),
      catch: (error) =>
        new RunFailed({
          pipeline: pipeline.name,
          runId,
          stage: "build",
          errorTag: "Defect",
          detail: `building the pipeline's stages failed: ${error instanceof Error ? error.message : String(error)}`
        })
    })
    return { runId, stages }
  })

// --- run --------------------------------------------------------------------------------------------

/** Thrown through the stream when the source fails, so the runner can tell it from a stage's Stop. */
class SourceFailed {
  readonly _tag = "SourceFailed"
  constructor(readonly error: Classified) {}
}

const decodeCursor = (pipeline: string, stages: RunnerStages.RunnerStages, cursor: string) =>
  Effect.try({
    try: () => JSON.parse(cursor) as unknown,
    catch: (error) => error instanceof Error ? error.message : String(error)
  }).pipe(
    Effect.flatMap((json) => Effect.mapError(Schema.decodeUnknown(stages.source.cursor)(json), (error) => error.message)),
    Effect.mapError((problem) =>
      new StateStoreError({
        reason: "Corrupt",
        operation: "checkpoint",
        detail: `the stored checkpoint of pipeline "${pipeline}" (${show(cursor)}) is not a cursor of source ` +
          `"${stages.source.name}" (did the source change?): ${problem}. To start over from the beginning, ` +
          `reset the checkpoint (edgesync reset ${pipeline}, or delete its row from edgesync_checkpoints); ` +
          `an idempotent sink skips what it already holds, one that appends (a file) appends those records again`
      })
    )
  )

const runStream = (
  ctx: BatchRunner.RunContext,
  settings: Settings,
  limit: Option.Option<number>,
  afterBatch: Effect.Effect<void>
): Effect.Effect<void, BatchRunner.Stop | SourceFailed> =>
  Effect.gen(function*() {
    const source = ctx.stages.source
    const cursor = yield* Ref.get(ctx.lastCursor)
    const read = (yield* Ref.get(ctx.totals)).read
    const remaining = Option.map(limit, (max) => Math.max(0, max - read))
    if (Option.isSome(remaining) && remaining.value === 0) return
    const records = source.read(cursor, {
      pipeline: ctx.pipeline,
      runId: ctx.runId,
      stage: source.name,
      dryRun: ctx.dryRun,
      limit: remaining
    }).pipe(
      Stream.mapError((error) => new SourceFailed(error)),
      Stream.catchAllCause((cause) =>
        Cause.isFailType(cause) || Cause.isInterruptedOnly(cause)
          ? Stream.failCause(cause)
          : Stream.fail(Option.match(Cause.failureOption(cause), {
            onNone: () => BatchRunner.defectStop(source.name, Cause.squash(cause)),
            onSome: (failure) => failure
          }))
      )
    )
    const taken = Option.isSome(remaining) ? Stream.take(records, remaining.value) : records
    // Crash tests aim here (mid-page, mid-batch): a chunk of source records arrived.
    const limited = Stream.mapChunksEffect(taken, (chunk) => Effect.as(FailPoint.hit("source.page"), chunk))
    yield* batchWithin(limited, { size: settings.batchSize, window: settings.batchWindow, readAhead: 1 }).pipe(
      Stream.mapEffect((batch: ReadonlyArray<Sourced<unknown, unknown>>) => {
        const n = batch.length
        const recordsOf = new Array<unknown>(n)
        const cursors = new Array<unknown>(n)
        for (let i = 0; i < n; i++) {
          recordsOf[i] = batch[i]!.record
          cursors[i] = batch[i]!.cursor
        }
        release(batch)
        return BatchRunner.transform(ctx, { records: recordsOf, cursors, replayIds: undefined })
      }),
      Stream.buffer({ capacity: settings.readAhead }),
      Stream.runForEach((transformed) =>
        Effect.zipRight(
          BatchRunner.sink(ctx, transformed),
          Effect.zipRight(
            Effect.sync(() => BatchRunner.release(transformed)),
            Effect.zipRight(afterBatch, FailPoint.hit("batch.done"))
          )
        )
      )
    )
  })

/**
 * Empties an array the runner owns once it is done with it. A batch array that lived long enough to be
 * promoted to V8's old generation would otherwise keep every record it points to alive through the
 * young-generation collections until the next full one ("nepotism"): measured, that promoted nearly
 * every record and tripled the runner's CPU time.
 */
const release = (array: ReadonlyArray<unknown>): void => {
  ;(array as Array<unknown>).length = 0
}

/** Streams the source to the end, restarting it from the last committed cursor after retriable failures. */
const runSource = (
  ctx: BatchRunner.RunContext,
  settings: Settings,
  limit: Option.Option<number>,
  afterBatch: Effect.Effect<void>
): Effect.Effect<void, BatchRunner.Stop> => {
  const source = ctx.stages.source
  const loop = (failures: number): Effect.Effect<void, BatchRunner.Stop> =>
    Effect.gen(function*() {
      const readBefore = (yield* Ref.get(ctx.totals)).read
      const result = yield* Effect.either(runStream(ctx, settings, limit, afterBatch))
      if (Either.isRight(result)) return
      if (result.left instanceof BatchRunner.Stop) return yield* result.left
      const error = BatchRunner.classify(result.left.error)
      if (error.classification !== "retriable") {
        return yield* new BatchRunner.Stop({ stage: source.name, errorTag: error._tag, detail: error.message })
      }
      // Failures in a row count against the bound; a restart that committed something starts afresh.
      const attemptNumber = (yield* Ref.get(ctx.totals)).read > readBefore ? 1 : failures + 1
      if (attemptNumber >= settings.policy.maxAttempts) {
        return yield* new BatchRunner.Stop({
          stage: source.name,
          errorTag: "RetriesExhausted",
          detail: `${source.name} still failing after ${attemptNumber} attempts (${error._tag}): ${error.message}`
        })
      }
      yield* BatchRunner.backoff(ctx, source.name, attemptNumber, error)
      return yield* loop(attemptNumber)
    })
  return loop(0).pipe(Effect.annotateLogs("stage", source.name))
}

const runErased = Effect.fn("Runner.run")(function*(pipeline: ErasedPipeline, options: RunOptions) {
  const settings = settingsOf(options)
  const { runId, stages } = yield* prepareRun(pipeline, options.rawOptions)
  return yield* lifecycle(
    { pipeline, stages, runId, dryRun: options.dryRun, settings, onProgress: options.onProgress },
    (ctx, afterBatch) =>
      Effect.gen(function*() {
        const checkpoint = yield* retryStore(settings.policy, ctx.store.checkpoint(pipeline.name))
        if (Option.isSome(checkpoint)) {
          const cursor = yield* decodeCursor(pipeline.name, stages, checkpoint.value.cursor)
          yield* Ref.set(ctx.lastCursor, Option.some(cursor))
          yield* Effect.logInfo(`Resuming ${stages.source.name} after ${show(checkpoint.value.cursor)}`)
        } else {
          yield* Effect.logInfo(`Reading ${stages.source.name} from the beginning`)
        }
        yield* runSource(ctx, settings, options.limit, afterBatch)
      })
  )
})

/**
 * Runs `pipeline` once: from its last checkpoint to the end of its source (or `limit` records).
 * Fails with ConfigError (bad options, before anything runs), LockHeld (another run holds the lock),
 * StateStoreError (the store is unusable, or the stored checkpoint does not decode) or RunFailed (a
 * fatal failure stopped the run; what was committed stays committed).
 */
export const run = <O, C, E extends Classified, R>(
  pipeline: Pipeline<O, C, E, R>,
  options: RunOptions
): Effect.Effect<RunSummary, RunFailed | LockHeld | ConfigError | StateStoreError, R | StateStore> =>
  Effect.contextWithEffect((context: Context.Context<R>) => runErased(erase(pipeline, context), options))

// --- replay -------------------------------------------------------------------------------------------

const replayErased = Effect.fn("Runner.replay")(function*(
  pipeline: ErasedPipeline,
  ids: ReadonlyArray<number> | "all",
  options: ReplayOptions
) {
  const settings = settingsOf(options)
  const store = yield* StateStore
  const { runId, stages } = yield* prepareRun(pipeline, options.rawOptions)

  yield* retryStore(settings.policy, store.migrate)
  const letters: ReadonlyArray<DeadLetter> = yield* retryStore(
    settings.policy,
    store.deadLetters({ pipeline: pipeline.name, ...(ids === "all" ? { status: "pending" } : { ids }) })
  )
  if (ids !== "all") {
    const found = new Set(letters.map((letter) => letter.id))
    const missing = ids.filter((id) => !found.has(id))
    if (missing.length > 0) {
      const pending = yield* retryStore(settings.policy, store.deadLetters({ pipeline: pipeline.name, status: "pending", limit: 20 }))
      return yield* new NotFound({ kind: "dead-letter", name: missing.join(", "), known: pending.map((letter) => String(letter.id)) })
    }
  }
  const pending = letters.filter((letter) => letter.status === "pending")
  if (pending.length < letters.length) {
    yield* Effect.logInfo(`Skipping ${letters.length - pending.length} dead letter(s) that are not pending`)
  }

  return yield* lifecycle(
    { pipeline, stages, runId, dryRun: options.dryRun, settings, onProgress: options.onProgress },
    (ctx, afterBatch) =>
      Effect.gen(function*() {
        const decoded: Array<{ readonly id: number; readonly record: unknown }> = []
        const undecodable: Array<{ readonly id: number; readonly error: Classified }> = []
        for (const letter of pending) {
          const record = Either.try(() => JSON.parse(letter.record) as unknown).pipe(
            Either.mapLeft((error) => error instanceof Error ? error.message : String(error)),
            Either.flatMap((json) => Either.mapLeft(Schema.decodeUnknownEither(stages.source.record)(json), (e) => e.message))
          )
          if (Either.isRight(record)) decoded.push({ id: letter.id, record: record.right })
          else {
            undecodable.push({
              id: letter.id,
              error: {
                _tag: "ParseError",
                message: `the stored record no longer decodes with ${stages.source.name}'s record Schema: ${record.left}`,
                classification: "record"
              }
            })
          }
        }
        if (undecodable.length > 0) {
          yield* BatchRunner.rejectAll(
            ctx,
            { records: undecodable.map(() => null), cursors: undefined, replayIds: undecodable.map((u) => u.id) },
            "replay",
            undecodable.map((u) => u.error)
          )
          yield* afterBatch
        }
        for (let start = 0; start < decoded.length; start += settings.batchSize) {
          const slice = decoded.slice(start, start + settings.batchSize)
          const transformed = yield* BatchRunner.transform(ctx, {
            records: slice.map((entry) => entry.record),
            cursors: undefined,
            replayIds: slice.map((entry) => entry.id)
          })
          yield* BatchRunner.sink(ctx, transformed)
          BatchRunner.release(transformed)
          yield* afterBatch
        }
      })
  )
})

/**
 * Pushes pending dead letters of `pipeline` (the given ids, or "all" pending ones) through the same
 * transforms and sink again, without moving the checkpoint. A success marks the dead letter
 * "replayed"; a failure leaves it pending with `attempts + 1` and the latest error. The replay is a
 * recorded run of its own and holds the pipeline's lock. Fails with NotFound for an id that is not a
 * dead letter of this pipeline.
 */
export const replay = <O, C, E extends Classified, R>(
  pipeline: Pipeline<O, C, E, R>,
  ids: ReadonlyArray<number> | "all",
  options: ReplayOptions
): Effect.Effect<RunSummary, RunFailed | LockHeld | ConfigError | StateStoreError | NotFound, R | StateStore> =>
  Effect.contextWithEffect((context: Context.Context<R>) => replayErased(erase(pipeline, context), ids, options))
