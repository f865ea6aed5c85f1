// The port for everything the runner remembers between runs: checkpoints, dead letters, run history
// and per-pipeline locks. Implementations: SqlStateStore (SQLite or MySQL through @effect/sql) and
// MemoryStateStore (unit tests, benchmarks).
import { Context, type Effect, type Option, Schema } from "effect"
import type { LockHeld, StateStoreError } from "./EtlError.js"

export const RunOutcome = Schema.Literal("running", "succeeded", "failed", "interrupted")
export type RunOutcome = typeof RunOutcome.Type

/** The counts every run reports. `read == written + skipped + deadLettered` when a run completes. */
export const RunCounts = Schema.Struct({
  read: Schema.Number,
  written: Schema.Number,
  skipped: Schema.Number,
  deadLettered: Schema.Number,
  retries: Schema.Number,
  /** What the stages did, by name: sink actions ("created", "updated") and transform notes ("matched:email"). */
  actions: Schema.Record({ key: Schema.String, value: Schema.Number })
})
export type RunCounts = typeof RunCounts.Type

export const emptyCounts: RunCounts = { read: 0, written: 0, skipped: 0, deadLettered: 0, retries: 0, actions: {} }

export const Run = Schema.Struct({
  runId: Schema.String,
  pipeline: Schema.String,
  startedAt: Schema.DateFromSelf,
  endedAt: Schema.OptionFromSelf(Schema.DateFromSelf),
  outcome: RunOutcome,
  dryRun: Schema.Boolean,
  counts: RunCounts,
  error: Schema.OptionFromSelf(Schema.String)
})
export type Run = typeof Run.Type

export const Checkpoint = Schema.Struct({
  pipeline: Schema.String,
  /** The source cursor, JSON-encoded with the source's cursor Schema. */
  cursor: Schema.String,
  runId: Schema.String,
  updatedAt: Schema.DateFromSelf
})
export type Checkpoint = typeof Checkpoint.Type

export const DeadLetterStatus = Schema.Literal("pending", "replayed", "discarded")
export type DeadLetterStatus = typeof DeadLetterStatus.Type

/** A record that failed with a record-level error, kept with everything needed to understand and replay it. */
export const DeadLetter = Schema.Struct({
  id: Schema.Number,
  pipeline: Schema.String,
  runId: Schema.String,
  stage: Schema.String,
  recordKey: Schema.String,
  errorTag: Schema.String,
  message: Schema.String,
  /** The source record, JSON-encoded with the source's record Schema. */
  record: Schema.String,
  status: DeadLetterStatus,
  attempts: Schema.Number,
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf
})
export type DeadLetter = typeof DeadLetter.Type

export type NewDeadLetter = Pick<DeadLetter, "pipeline" | "runId" | "stage" | "recordKey" | "errorTag" | "message" | "record">

/** Everything one batch commits at once. */
export interface BatchCommit {
  readonly pipeline: string
  readonly runId: string
  /** The new checkpoint (JSON), or none when the batch came from a dead-letter replay. */
  readonly cursor: Option.Option<string>
  readonly deadLetters: ReadonlyArray<NewDeadLetter>
  /** Dead letters that this batch replayed successfully (marked "replayed"). */
  readonly replayed: ReadonlyArray<number>
  /**
   * Dead letters that this batch replayed and that failed again: they stay "pending", their `attempts`
   * go up by one and their stage, error tag and message become the latest failure's.
   */
  readonly failedReplays?: ReadonlyArray<FailedReplay> | undefined
  /** The run's counts after this batch (the run row is updated in the same commit). */
  readonly counts: RunCounts
}

export interface FailedReplay {
  readonly id: number
  readonly stage: string
  readonly errorTag: string
  readonly message: string
}

export interface DeadLetterFilter {
  readonly pipeline?: string | undefined
  readonly status?: DeadLetterStatus | undefined
  readonly ids?: ReadonlyArray<number> | undefined
  readonly limit?: number | undefined
}

export interface StateStoreService {
  /** Creates or upgrades the state tables; safe to run any number of times. */
  readonly migrate: Effect.Effect<void, StateStoreError>

  readonly checkpoint: (pipeline: string) => Effect.Effect<Option.Option<Checkpoint>, StateStoreError>
  readonly checkpoints: Effect.Effect<ReadonlyArray<Checkpoint>, StateStoreError>
  /**
   * Commits a batch's bookkeeping atomically. When called inside a transaction of the same database
   * (a transactional sink), it joins that transaction. A new dead letter for a record that already has
   * a pending one from the same stage (same pipeline, stage, key and record, as when a source is read
   * again after `reset`) counts
   * as one more attempt of that letter (its error becomes the latest) instead of a second letter.
   */
  readonly commitBatch: (commit: BatchCommit) => Effect.Effect<void, StateStoreError>
  /** Forgets a pipeline's checkpoint so that its next run starts from the beginning. */
  readonly resetCheckpoint: (pipeline: string) => Effect.Effect<void, StateStoreError>

  readonly startRun: (run: { readonly runId: string; readonly pipeline: string; readonly startedAt: Date; readonly dryRun: boolean }) => Effect.Effect<void, StateStoreError>
  readonly finishRun: (run: {
    readonly runId: string
    readonly endedAt: Date
    readonly outcome: Exclude<RunOutcome, "running">
    readonly counts: RunCounts
    readonly error: Option.Option<string>
  }) => Effect.Effect<void, StateStoreError>
  readonly runs: (filter: { readonly pipeline?: string | undefined; readonly limit: number }) => Effect.Effect<ReadonlyArray<Run>, StateStoreError>

  readonly deadLetters: (filter: DeadLetterFilter) => Effect.Effect<ReadonlyArray<DeadLetter>, StateStoreError>
  readonly deadLetterCounts: Effect.Effect<ReadonlyArray<{ readonly pipeline: string; readonly status: DeadLetterStatus; readonly count: number }>, StateStoreError>
  readonly setDeadLetterStatus: (ids: ReadonlyArray<number>, status: DeadLetterStatus) => Effect.Effect<void, StateStoreError>

  /**
   * Takes the pipeline's lock for `owner` (host, pid and run id), or fails with LockHeld naming the
   * holder. A lock whose holder stopped heartbeating for longer than `staleAfter`, or whose process on
   * this host is gone, is taken over; a live holder's lock never is.
   */
  readonly acquireLock: (pipeline: string, owner: LockOwner, staleAfterMillis: number) => Effect.Effect<void, LockHeld | StateStoreError>
  readonly heartbeatLock: (pipeline: string, owner: LockOwner) => Effect.Effect<void, StateStoreError>
  readonly releaseLock: (pipeline: string, owner: LockOwner) => Effect.Effect<void, StateStoreError>
}

export interface LockOwner {
  readonly host: string
  readonly pid: number
  readonly runId: string
}

export class StateStore extends Context.Tag("edgesync/StateStore")<StateStore, StateStoreService>() {}
