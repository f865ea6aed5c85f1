// The failure classes the runner judges every stage error by, and the core's own error families.
//
// A stage may fail only with errors that say how they are to be treated (`Classified`): the runner
// retries `retriable` ones with backoff, dead-letters the record on `record`, and stops the run on
// `fatal`. Connectors define their own tagged error families and classify them; the core never
// inspects a connector's error beyond this interface.
import { Duration, Schema } from "effect"
import { RunCounts } from "./StateStore.js"

export type Classification = "retriable" | "record" | "fatal"

export interface Classified {
  readonly _tag: string
  readonly message: string
  readonly classification: Classification
  /** For retriable failures: how long the remote asked us to wait (Retry-After, throttle arithmetic). */
  readonly retryAfter?: Duration.Duration | undefined
}

export const isClassified = (u: unknown): u is Classified =>
  typeof u === "object" && u !== null && "_tag" in u && "classification" in u &&
  ((u as Classified).classification === "retriable" || (u as Classified).classification === "record" ||
    (u as Classified).classification === "fatal")

/** A configuration value that does not decode: names the key, the value and what was expected. */
export class ConfigError extends Schema.TaggedError<ConfigError>()("ConfigError", {
  reason: Schema.Literal("Invalid", "Missing", "Unreadable", "InvalidCombination"),
  key: Schema.String,
  value: Schema.optional(Schema.String),
  expected: Schema.String
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    const shown = this.value === undefined ? "" : ` (got ${this.value})`
    switch (this.reason) {
      case "Missing":
        return `Missing configuration "${this.key}": expected ${this.expected}`
      case "Unreadable":
        return `Cannot read configuration ${this.key}${shown}: ${this.expected}`
      case "InvalidCombination":
        return `Invalid combination of options ${this.key}: ${this.expected}`
      case "Invalid":
        return `Invalid configuration "${this.key}"${shown}: expected ${this.expected}`
    }
  }
}

/** A transform refused a record: the record is dead-lettered with this reason and the run goes on. */
export class RecordRejected extends Schema.TaggedError<RecordRejected>()("RecordRejected", {
  stage: Schema.String,
  reason: Schema.String
}) {
  readonly classification: Classification = "record"
  override get message(): string {
    return `${this.stage} rejected the record: ${this.reason}`
  }
}

/** The state store (checkpoints, dead letters, runs, locks) failed. */
export class StateStoreError extends Schema.TaggedError<StateStoreError>()("StateStoreError", {
  reason: Schema.Literal("Unavailable", "Corrupt", "ReadOnly"),
  operation: Schema.String,
  detail: Schema.String
}) {
  get classification(): Classification {
    return this.reason === "Unavailable" ? "retriable" : "fatal"
  }
  override get message(): string {
    return `State store ${this.operation} failed (${this.reason}): ${this.detail}`
  }
}

/** Another run of the same pipeline holds its lock. */
export class LockHeld extends Schema.TaggedError<LockHeld>()("LockHeld", {
  pipeline: Schema.String,
  owner: Schema.String,
  since: Schema.String
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return `Pipeline "${this.pipeline}" is already running (lock held by ${this.owner} since ${this.since}). ` +
      `Wait for it to finish, or pass --wait to queue behind it.`
  }
}

/** A retriable failure that kept failing past the retry bound; it is then fatal. */
export class RetriesExhausted extends Schema.TaggedError<RetriesExhausted>()("RetriesExhausted", {
  stage: Schema.String,
  attempts: Schema.Number,
  lastTag: Schema.String,
  lastMessage: Schema.String
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return `${this.stage} still failing after ${this.attempts} attempts (${this.lastTag}): ${this.lastMessage}`
  }
}

/** A fatal stage failure stopped the run; what was committed before stays committed. */
export class RunFailed extends Schema.TaggedError<RunFailed>()("RunFailed", {
  pipeline: Schema.String,
  runId: Schema.String,
  stage: Schema.String,
  errorTag: Schema.String,
  detail: Schema.String,
  /** What the run had committed when it stopped (it stays committed). */
  counts: Schema.optional(RunCounts)
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return `Run ${this.runId} of "${this.pipeline}" failed in ${this.stage} (${this.errorTag}): ${this.detail}`
  }
}

/** A pipeline, connector or dead letter named by the user does not exist. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  kind: Schema.Literal("pipeline", "connector", "dead-letter", "module", "stage"),
  name: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    const hint = this.known.length > 0 ? ` Known: ${this.known.join(", ")}.` : ""
    return `No ${this.kind} named "${this.name}".${hint}`
  }
}
