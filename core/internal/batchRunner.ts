// One batch through a pipeline: the transforms in order, then the sink, then the commit of the batch's
// bookkeeping (checkpoint, dead letters, counts), with the runner's failure rules applied at each step.
//
// Every record of a batch is tracked back to the source record it came from (its "origin"), because
// the checkpoint, the dead letters and the counts are about source records: a source record is
// dead-lettered if anything it became was rejected, written if anything it became was written, skipped
// otherwise. The per-record work is plain array code; Effects are per step and per batch.
import { Data, Duration, Effect, Either, Option, Random, Ref, Schema } from "effect"
import type { Classification, Classified } from "../EtlError.js"
import { isClassified, RetriesExhausted } from "../EtlError.js"
import * as FailPoint from "../FailPoint.js"
import * as RetryPolicy from "../RetryPolicy.js"
import type { PlannedOutcome } from "../RunSummary.js"
import type { Outcome, SinkContext, SinkOutcome, StageContext } from "../Stage.js"
import * as Stage from "../Stage.js"
import type { BatchCommit, FailedReplay, NewDeadLetter, RunCounts, StateStoreService } from "../StateStore.js"
import type { RunnerStages, RunnerTransform } from "./runnerStages.js"

/**
 * The run must stop: a fatal error, exhausted retries or a defect in `stage`. It is the runner's own
 * control flow (it becomes RunFailed at the end of the run), so it is classified fatal: if it travels
 * through a stage (a transactional sink's `ctx.commit`), the runner still recognises it.
 */
export class Stop extends Data.TaggedError("Stop")<{
  readonly stage: string
  readonly errorTag: string
  readonly detail: string
}> {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return `${this.stage} failed (${this.errorTag}): ${this.detail}`
  }
}

/** A whole step failed with a record-level error: the step is re-run record by record to find the culprit. */
class RecordFailure extends Data.TaggedError("RecordFailure")<{ readonly error: Classified }> {}

/** Everything the batch machinery needs about the run it serves. */
export interface RunContext {
  readonly pipeline: string
  readonly runId: string
  readonly dryRun: boolean
  readonly stages: RunnerStages
  readonly store: StateStoreService
  readonly policy: RetryPolicy.RetryPolicy
  /** How many planned outcomes and dead letters a dry run keeps for its summary. */
  readonly reportLimit: number
  /** What has been committed (in a dry run: what has been processed); `retries` is kept in `retries`. */
  readonly totals: Ref.Ref<RunCounts>
  readonly retries: Ref.Ref<number>
  /** The cursor of the last committed record, where a restarted source resumes. */
  readonly lastCursor: Ref.Ref<Option.Option<unknown>>
  readonly planned: Ref.Ref<ReadonlyArray<PlannedOutcome>>
  readonly reportedDeadLetters: Ref.Ref<ReadonlyArray<NewDeadLetter>>
}

export interface BatchInput {
  readonly records: ReadonlyArray<unknown>
  /** The cursor after each record; absent for dead-letter replays, which move no checkpoint. */
  readonly cursors: ReadonlyArray<unknown> | undefined
  /** For dead-letter replays: the dead letter each record came from. */
  readonly replayIds: ReadonlyArray<number> | undefined
}

// A source record's fate; 0 (the initial value) is "skipped".
const WRITTEN = 1
const DEAD = 2

interface Rejection {
  readonly stage: string
  readonly error: Classified
}

/** What is known about a batch's source records, and how much of it is committed. */
interface Ledger {
  readonly fate: Uint8Array
  readonly rejections: ReadonlyArray<Rejection | undefined>
  /** Action counts seen since the last commit. */
  readonly actions: ReadonlyMap<string, number>
  /** Index of the last source record whose bookkeeping is committed (-1: none yet). */
  readonly committedUpTo: number
}

/** A batch after its transforms: the sink's input, each item with the index of its source record. */
export interface Transformed {
  readonly input: BatchInput
  readonly ledger: Ledger
  readonly items: ReadonlyArray<unknown>
  readonly origins: ReadonlyArray<number>
}

// --- Failure handling ----------------------------------------------------------------------------------

const normalize = (error: unknown): Classified => {
  if (isClassified(error)) return error
  const tag = typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"
    ? error._tag
    : "UnknownError"
  const message = error instanceof Error ? error.message : String(error)
  return { _tag: tag, message, classification: "fatal" }
}

const defectStop = (stage: string, defect: unknown): Stop =>
  new Stop({
    stage,
    errorTag: "Defect",
    detail: `unexpected error (a bug in the stage?): ${defect instanceof Error ? defect.message : String(defect)}`
  })

type Restore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
const noRestore: Restore = (effect) => effect

/**
 * Runs one step of `stage`, retrying retriable failures with backoff (interruptible through `restore`
 * even when the step itself is not), turning record-level failures into RecordFailure and everything
 * fatal into Stop.
 */
const attempt = <A>(
  ctx: RunContext,
  stage: string,
  step: () => Effect.Effect<A, Classified>,
  restore: Restore = noRestore
): Effect.Effect<A, Stop | RecordFailure> => {
  const loop = (n: number): Effect.Effect<A, Stop | RecordFailure> =>
    Effect.suspend(step).pipe(
      Effect.catchAllDefect((defect) =>
        Effect.zipRight(Effect.logError(`${stage} died`, defect), Effect.fail(defectStop(stage, defect)))
      ),
      Effect.catchAll((raw): Effect.Effect<A, Stop | RecordFailure> => {
        if (raw instanceof Stop) return Effect.fail(raw)
        const error = normalize(raw)
        switch (error.classification) {
          case "record":
            return Effect.fail(new RecordFailure({ error }))
          case "fatal":
            return Effect.fail(new Stop({ stage, errorTag: error._tag, detail: error.message }))
          case "retriable": {
            if (n >= ctx.policy.maxAttempts) {
              const exhausted = new RetriesExhausted({ stage, attempts: n, lastTag: error._tag, lastMessage: error.message })
              return Effect.fail(new Stop({ stage, errorTag: exhausted._tag, detail: exhausted.message }))
            }
            return Effect.gen(function*() {
              const wait = RetryPolicy.delay(ctx.policy, n, yield* Random.next, error.retryAfter)
              yield* Ref.update(ctx.retries, (count) => count + 1)
              yield* Effect.logWarning(
                `${stage} failed (${error._tag}: ${error.message}); attempt ${n + 1} of ${ctx.policy.maxAttempts} ` +
                  `in ${Duration.format(wait)}`
              )
              yield* restore(Effect.sleep(wait))
              return yield* loop(n + 1)
            })
          }
        }
      })
    )
  return loop(1)
}

const checkCount = <A>(stage: string, outcomes: ReadonlyArray<A>, expected: number): Effect.Effect<ReadonlyArray<A>, Stop> =>
  outcomes.length === expected
    ? Effect.succeed(outcomes)
    : Effect.fail(
      new Stop({
        stage,
        errorTag: "ContractViolation",
        detail: `returned ${outcomes.length} outcomes for ${expected} records (a stage returns exactly one per record)`
      })
    )

/**
 * Applies a batch step; when the whole batch fails with a record-level error, applies it to each item
 * alone, so only the culprits get `onRecordFailure`'s outcome.
 */
const isolating = <O>(
  ctx: RunContext,
  stage: string,
  items: ReadonlyArray<unknown>,
  step: (items: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<O>, Classified>,
  onRecordFailure: (error: Classified) => O
): Effect.Effect<ReadonlyArray<O>, Stop> =>
  attempt(ctx, stage, () => Effect.flatMap(step(items), (outcomes) => checkCount(stage, outcomes, items.length))).pipe(
    Effect.catchTag("RecordFailure", (failure) =>
      items.length === 1
        ? Effect.succeed([onRecordFailure(failure.error)])
        : Effect.zipRight(
          Effect.logInfo(
            `${stage} rejected the batch (${failure.error._tag}: ${failure.error.message}); ` +
              `retrying its ${items.length} records one at a time to find the culprit`
          ),
          Effect.forEach(items, (item) =>
            attempt(ctx, stage, () => Effect.flatMap(step([item]), (outcomes) => checkCount(stage, outcomes, 1))).pipe(
              Effect.map((outcomes) => outcomes[0]!),
              Effect.catchTag("RecordFailure", (single) => Effect.succeed(onRecordFailure(single.error)))
            ))
        )
    )
  )

const stageContext = (ctx: RunContext, stage: string): StageContext => ({
  pipeline: ctx.pipeline,
  runId: ctx.runId,
  stage,
  dryRun: ctx.dryRun
})

// --- Transforms ----------------------------------------------------------------------------------------

const applyTransform = (ctx: RunContext, transform: RunnerTransform, items: ReadonlyArray<unknown>) => {
  const stageCtx = stageContext(ctx, transform.name)
  return isolating<Outcome<unknown>>(
    ctx,
    transform.name,
    items,
    (batch) => transform.apply(batch, stageCtx),
    (error) => Stage.reject(error)
  ).pipe(Effect.annotateLogs("stage", transform.name))
}

const fusedMaps = (steps: ReadonlyArray<RunnerTransform>, items: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<unknown>, Stop> =>
  Effect.suspend(() => {
    const fs = steps.map((step) => step.map!)
    const out = new Array<unknown>(items.length)
    let current = 0
    try {
      for (let i = 0; i < items.length; i++) {
        let value = items[i]
        for (current = 0; current < fs.length; current++) value = fs[current]!(value)
        out[i] = value
      }
    } catch (defect) {
      const stage = steps[current]?.name ?? steps[0]!.name
      return Effect.zipRight(Effect.logError(`${stage} died`, defect), Effect.fail(defectStop(stage, defect)))
    }
    return Effect.succeed(out)
  })

/** Runs the batch through every transform, tracking each output back to its source record. */
export const transform = (ctx: RunContext, input: BatchInput): Effect.Effect<Transformed, Stop> =>
  Effect.gen(function*() {
    const n = input.records.length
    const fate = new Uint8Array(n)
    const rejections = new Array<Rejection | undefined>(n)
    const actions = new Map<string, number>()
    let items: ReadonlyArray<unknown> = input.records
    let origins: ReadonlyArray<number> | undefined // undefined: item i comes from source record i

    const transforms = ctx.stages.transforms
    for (let t = 0; t < transforms.length; t++) {
      if (items.length === 0) break
      const step = transforms[t]!
      if (step.map !== undefined) {
        // A run of pure per-record maps: one pass, each record through all of them, origins unchanged.
        let end = t + 1
        while (end < transforms.length && transforms[end]!.map !== undefined) end++
        items = yield* fusedMaps(transforms.slice(t, end), items)
        t = end - 1
        continue
      }
      const outcomes = yield* applyTransform(ctx, step, items)
      const nextItems: Array<unknown> = []
      const nextOrigins: Array<number> = []
      for (let i = 0; i < outcomes.length; i++) {
        const outcome = outcomes[i]!
        const origin = origins === undefined ? i : origins[i]!
        switch (outcome._tag) {
          case "Emit": {
            const records = outcome.records
            for (let r = 0; r < records.length; r++) {
              nextItems.push(records[r])
              nextOrigins.push(origin)
            }
            const notes = outcome.notes
            for (let k = 0; k < notes.length; k++) actions.set(notes[k]!, (actions.get(notes[k]!) ?? 0) + 1)
            break
          }
          case "Drop":
            break
          case "Reject":
            if (fate[origin] !== DEAD) {
              fate[origin] = DEAD
              rejections[origin] = { stage: step.name, error: outcome.error }
            }
            break
        }
      }
      items = nextItems
      origins = nextOrigins
    }
    let finalOrigins = origins
    if (finalOrigins === undefined) {
      const identity = new Array<number>(n)
      for (let i = 0; i < n; i++) identity[i] = i
      finalOrigins = identity
    }
    // Crash tests aim here: the transforms' side effects are done (Shopify written), nothing stored yet.
    yield* FailPoint.hit("batch.transformed")
    return { input, ledger: { fate, rejections, actions, committedUpTo: -1 }, items, origins: finalOrigins }
  })

// --- Settling and committing -----------------------------------------------------------------------------

/** The ledger after the sink's outcomes for items [from, from + outcomes.length). Pure: copies. */
const settle = (
  ledger: Ledger,
  stage: string,
  origins: ReadonlyArray<number>,
  from: number,
  outcomes: ReadonlyArray<SinkOutcome>
): Ledger => {
  const fate = ledger.fate.slice()
  const rejections = ledger.rejections.slice()
  const actions = new Map(ledger.actions)
  for (let j = 0; j < outcomes.length; j++) {
    const outcome = outcomes[j]!
    const origin = origins[from + j]!
    switch (outcome._tag) {
      case "Written":
        actions.set(outcome.action, (actions.get(outcome.action) ?? 0) + 1)
        if (fate[origin] !== DEAD) fate[origin] = WRITTEN
        break
      case "Skipped":
        break
      case "Rejected":
        if (fate[origin] !== DEAD) {
          fate[origin] = DEAD
          rejections[origin] = { stage, error: outcome.error }
        }
        break
    }
  }
  return { fate, rejections, actions, committedUpTo: ledger.committedUpTo }
}

/** A commit computed but not yet applied to the run's state. */
interface Prepared {
  readonly ledger: Ledger
  readonly totals: RunCounts
  readonly commit: Option.Option<BatchCommit>
  readonly cursor: Option.Option<unknown>
  readonly deadLetters: ReadonlyArray<NewDeadLetter>
}

const encodeJson = (schema: Schema.Schema<unknown, unknown>, value: unknown) =>
  Either.map(Schema.encodeUnknownEither(schema)(value), (encoded) => JSON.stringify(encoded))

/** The bookkeeping of source records (committedUpTo, upTo]: counts, dead letters, replay marks, cursor. */
const prepare = (ctx: RunContext, input: BatchInput, ledger: Ledger, upTo: number): Effect.Effect<Prepared, Stop> =>
  Effect.gen(function*() {
    const totals = yield* Ref.get(ctx.totals)
    if (upTo <= ledger.committedUpTo && ledger.actions.size === 0) {
      return { ledger, totals, commit: Option.none(), cursor: Option.none(), deadLetters: [] }
    }
    const source = ctx.stages.source
    let written = 0
    let skipped = 0
    let deadLettered = 0
    const deadLetters: Array<NewDeadLetter> = []
    const replayed: Array<number> = []
    const failedReplays: Array<FailedReplay> = []
    for (let i = ledger.committedUpTo + 1; i <= upTo; i++) {
      const fate = ledger.fate[i]
      if (fate === DEAD) {
        deadLettered++
        const rejection = ledger.rejections[i]!
        if (input.replayIds !== undefined) {
          failedReplays.push({
            id: input.replayIds[i]!,
            stage: rejection.stage,
            errorTag: rejection.error._tag,
            message: rejection.error.message
          })
        } else {
          const record = input.records[i]
          const recordKey = yield* Effect.try({ try: () => source.key(record), catch: (e) => defectStop(source.name, e) })
          const encoded = encodeJson(source.record, record)
          if (Either.isLeft(encoded)) {
            return yield* new Stop({
              stage: source.name,
              errorTag: "ParseError",
              detail: `record ${recordKey} does not encode with the source's record Schema, so it cannot be ` +
                `dead-lettered: ${encoded.left.message}`
            })
          }
          deadLetters.push({
            pipeline: ctx.pipeline,
            runId: ctx.runId,
            stage: rejection.stage,
            recordKey,
            errorTag: rejection.error._tag,
            message: rejection.error.message,
            record: encoded.right
          })
        }
      } else {
        if (fate === WRITTEN) written++
        else skipped++
        if (input.replayIds !== undefined) replayed.push(input.replayIds[i]!)
      }
    }
    const actions: Record<string, number> = { ...totals.actions }
    for (const [name, count] of ledger.actions) actions[name] = (actions[name] ?? 0) + count
    const read = Math.max(0, upTo - ledger.committedUpTo)
    const nextTotals: RunCounts = {
      read: totals.read + read,
      written: totals.written + written,
      skipped: totals.skipped + skipped,
      deadLettered: totals.deadLettered + deadLettered,
      retries: totals.retries,
      actions
    }
    const cursor = input.cursors !== undefined && upTo > ledger.committedUpTo
      ? Option.some(input.cursors[upTo])
      : Option.none()
    let cursorJson = Option.none<string>()
    if (Option.isSome(cursor)) {
      const encoded = encodeJson(source.cursor, cursor.value)
      if (Either.isLeft(encoded)) {
        return yield* new Stop({
          stage: source.name,
          errorTag: "ParseError",
          detail: `a cursor does not encode with the source's cursor Schema: ${encoded.left.message}`
        })
      }
      cursorJson = Option.some(encoded.right)
    }
    const retries = yield* Ref.get(ctx.retries)
    return {
      ledger: { ...ledger, actions: new Map(), committedUpTo: Math.max(upTo, ledger.committedUpTo) },
      totals: nextTotals,
      commit: Option.some({
        pipeline: ctx.pipeline,
        runId: ctx.runId,
        cursor: cursorJson,
        deadLetters,
        replayed,
        failedReplays,
        counts: { ...nextTotals, retries }
      }),
      cursor,
      deadLetters
    }
  })

/** Makes a committed (or, in a dry run, processed) prepared commit the run's state. */
const adopt = (ctx: RunContext, ledgerRef: Ref.Ref<Ledger>, prepared: Prepared): Effect.Effect<void> =>
  Effect.gen(function*() {
    yield* Ref.set(ledgerRef, prepared.ledger)
    yield* Ref.set(ctx.totals, prepared.totals)
    if (Option.isSome(prepared.cursor)) yield* Ref.set(ctx.lastCursor, prepared.cursor)
    if (prepared.deadLetters.length > 0) {
      const first = prepared.deadLetters[0]!
      yield* Effect.logWarning(
        `${prepared.deadLetters.length} record(s) ${ctx.dryRun ? "would be " : ""}dead-lettered; first: ` +
          `${first.recordKey} in ${first.stage} (${first.errorTag}): ${first.message}`
      )
      if (ctx.dryRun) {
        yield* Ref.update(ctx.reportedDeadLetters, (kept) =>
          kept.length >= ctx.reportLimit
            ? kept
            : [...kept, ...prepared.deadLetters.slice(0, ctx.reportLimit - kept.length)])
      }
    }
  })

/** Commits the bookkeeping up to source record `upTo` from outside any sink transaction. */
const commitByRunner = (
  ctx: RunContext,
  input: BatchInput,
  ledgerRef: Ref.Ref<Ledger>,
  ledger: Ledger,
  upTo: number,
  restore: Restore
): Effect.Effect<void, Stop> =>
  Effect.gen(function*() {
    const prepared = yield* prepare(ctx, input, ledger, upTo)
    if (!ctx.dryRun && Option.isSome(prepared.commit)) {
      const commit = prepared.commit.value
      yield* attempt(ctx, "state-store", () => ctx.store.commitBatch(commit), restore).pipe(
        Effect.catchTag("RecordFailure", (failure) =>
          Effect.fail(new Stop({ stage: "state-store", errorTag: failure.error._tag, detail: failure.error.message })))
      )
      // Crash tests aim here: the checkpoint is saved, the run's own state does not know it yet.
      yield* FailPoint.hit("checkpoint.saved")
    }
    yield* adopt(ctx, ledgerRef, prepared)
  })

// --- The sink ------------------------------------------------------------------------------------------

const wouldWrite = Stage.written("would write")

/** Dry run: the sink plans (or every item counts as "would write"); nothing is written or committed. */
const planBatch = (ctx: RunContext, batch: Transformed): Effect.Effect<void, Stop> =>
  Effect.gen(function*() {
    const sink = ctx.stages.sink
    const stageCtx = stageContext(ctx, sink.name)
    const plan = sink.plan
    const outcomes = batch.items.length === 0 || Option.isNone(plan)
      ? batch.items.map(() => wouldWrite)
      : yield* isolating(ctx, sink.name, batch.items, (items) => plan.value(items, stageCtx), Stage.rejected)
    const kept = (yield* Ref.get(ctx.planned)).length
    if (kept < ctx.reportLimit) {
      const source = ctx.stages.source
      const more: Array<PlannedOutcome> = []
      for (let j = 0; j < outcomes.length && kept + more.length < ctx.reportLimit; j++) {
        const record = batch.input.records[batch.origins[j]!]
        const recordKey = yield* Effect.try({ try: () => source.key(record), catch: (e) => defectStop(source.name, e) })
        more.push({ recordKey, outcome: outcomes[j]! })
      }
      yield* Ref.update(ctx.planned, (planned) => [...planned, ...more])
    }
    const ledgerRef = yield* Ref.make(batch.ledger)
    const settled = settle(batch.ledger, sink.name, batch.origins, 0, outcomes)
    yield* commitByRunner(ctx, batch.input, ledgerRef, settled, batch.input.records.length - 1, noRestore)
  })

/**
 * Writes items [from, to) and commits the bookkeeping up to source record `upTo`: inside the sink's
 * transaction when the sink calls `ctx.commit`, otherwise after the write.
 */
const writeRange = (
  ctx: RunContext,
  batch: Transformed,
  ledgerRef: Ref.Ref<Ledger>,
  from: number,
  to: number,
  upTo: number,
  restore: Restore
): Effect.Effect<void, Stop | RecordFailure> =>
  Effect.gen(function*() {
    const sink = ctx.stages.sink
    const items = from === 0 && to === batch.items.length ? batch.items : batch.items.slice(from, to)
    const written = yield* attempt(ctx, sink.name, () =>
      Effect.gen(function*() {
        // Per attempt: a retried write commits afresh, and only a write that returned counts.
        const committed = yield* Ref.make(Option.none<Prepared>())
        const sinkCtx: SinkContext = {
          ...stageContext(ctx, sink.name),
          commit: (outcomes) =>
            Effect.gen(function*() {
              if (Option.isSome(yield* Ref.get(committed))) {
                return yield* Effect.logWarning(`${sink.name} called commit more than once for one write; ignored`)
              }
              yield* checkCount(sink.name, outcomes, items.length)
              const settled = settle(yield* Ref.get(ledgerRef), sink.name, batch.origins, from, outcomes)
              const prepared = yield* prepare(ctx, batch.input, settled, upTo)
              if (Option.isSome(prepared.commit)) yield* ctx.store.commitBatch(prepared.commit.value)
              // Crash tests aim here: the sink's writes and the checkpoint are in its transaction, uncommitted.
              yield* FailPoint.hit("sink.in-transaction")
              yield* Ref.set(committed, Option.some(prepared))
            })
        }
        const outcomes = yield* sink.write(items, sinkCtx)
        yield* checkCount(sink.name, outcomes, items.length)
        return { outcomes, committed: yield* Ref.get(committed) }
      }), restore)
    // Crash tests aim here: the sink's write (with the checkpoint, if transactional) is committed.
    yield* FailPoint.hit("sink.committed")
    if (Option.isSome(written.committed)) {
      yield* adopt(ctx, ledgerRef, written.committed.value)
    } else {
      if (sink.transactional) {
        yield* Effect.logWarning(`${sink.name} is transactional but did not call ctx.commit; committing after its write`)
      }
      const settled = settle(yield* Ref.get(ledgerRef), sink.name, batch.origins, from, written.outcomes)
      yield* commitByRunner(ctx, batch.input, ledgerRef, settled, upTo, restore)
    }
  })

/**
 * Writes the batch and commits it. The write and the commit are uninterruptible, so an interrupted run
 * either finishes the batch or (when the sink's transaction is rolled back by a failure) leaves none of
 * it; only the waits between retries can be interrupted.
 */
export const sink = (ctx: RunContext, batch: Transformed): Effect.Effect<void, Stop> => {
  if (ctx.dryRun) return Effect.annotateLogs(planBatch(ctx, batch), "stage", ctx.stages.sink.name)
  const lastRecord = batch.input.records.length - 1
  return Effect.uninterruptibleMask((restore) =>
    Effect.gen(function*() {
      const ledgerRef = yield* Ref.make(batch.ledger)
      if (batch.items.length === 0) {
        return yield* commitByRunner(ctx, batch.input, ledgerRef, batch.ledger, lastRecord, restore)
      }
      const whole = yield* Effect.either(writeRange(ctx, batch, ledgerRef, 0, batch.items.length, lastRecord, restore))
      if (Either.isRight(whole)) return
      if (whole.left._tag === "Stop") return yield* whole.left
      const failure = whole.left.error
      yield* Effect.logInfo(
        `${ctx.stages.sink.name} rejected the batch (${failure._tag}: ${failure.message}); ` +
          `writing its ${batch.items.length} records one at a time to find the culprit`
      )
      // One record at a time, each write committing the source records it completes: those before the
      // next item's source record.
      for (let j = 0; j < batch.items.length; j++) {
        const upTo = j + 1 < batch.items.length ? batch.origins[j + 1]! - 1 : lastRecord
        const single = yield* Effect.either(writeRange(ctx, batch, ledgerRef, j, j + 1, upTo, restore))
        if (Either.isRight(single)) continue
        if (single.left._tag === "Stop") return yield* single.left
        const settled = settle(yield* Ref.get(ledgerRef), ctx.stages.sink.name, batch.origins, j, [
          Stage.rejected(single.left.error)
        ])
        yield* commitByRunner(ctx, batch.input, ledgerRef, settled, upTo, restore)
      }
    })
  ).pipe(Effect.annotateLogs("stage", ctx.stages.sink.name))
}

/**
 * Empties the batch's arrays once it is committed (see `release` in Runner.ts for why). Stages must not
 * keep the arrays they were handed beyond their effect; the runner owns them.
 */
export const release = (batch: Transformed): void => {
  for (const array of [batch.input.records, batch.input.cursors ?? [], batch.items, batch.origins, batch.ledger.rejections]) {
    ;(array as Array<unknown>).length = 0
  }
}

/**
 * Records that could not even enter the pipeline (a dead letter that no longer decodes on replay) are
 * committed as failed at once.
 */
export const rejectAll = (ctx: RunContext, input: BatchInput, stage: string, errors: ReadonlyArray<Classified>) =>
  Effect.gen(function*() {
    const n = input.records.length
    if (n === 0) return
    const ledger: Ledger = {
      fate: new Uint8Array(n).fill(DEAD),
      rejections: errors.map((error) => ({ stage, error })),
      actions: new Map(),
      committedUpTo: -1
    }
    const ledgerRef = yield* Ref.make(ledger)
    yield* Effect.uninterruptibleMask((restore) => commitByRunner(ctx, input, ledgerRef, ledger, n - 1, restore))
  })

/** Classifies a failure of the source stream (so the runner can restart it or stop). */
export const classify = normalize

/** Waits before a source restart, counting the retry. */
export const backoff = (ctx: RunContext, stage: string, attemptNumber: number, error: Classified) =>
  Effect.gen(function*() {
    const wait = RetryPolicy.delay(ctx.policy, attemptNumber, yield* Random.next, error.retryAfter)
    yield* Ref.update(ctx.retries, (count) => count + 1)
    yield* Effect.logWarning(
      `${stage} failed (${error._tag}: ${error.message}); restarting it from the last committed cursor ` +
        `(attempt ${attemptNumber + 1} of ${ctx.policy.maxAttempts}) in ${Duration.format(wait)}`
    )
    yield* Effect.sleep(wait)
  })

export { defectStop }
