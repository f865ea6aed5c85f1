// The account a finished run gives of itself: what the runner returns and the CLI prints.
import { Option } from "effect"
import type { SinkOutcome } from "./Stage.js"
import type { NewDeadLetter, Run, RunCounts, RunOutcome } from "./StateStore.js"

/** What the sink said (or in a dry run, planned) for one record. */
export interface PlannedOutcome {
  readonly recordKey: string
  readonly outcome: SinkOutcome
}

export interface RunSummary {
  readonly runId: string
  readonly pipeline: string
  readonly startedAt: Date
  readonly endedAt: Date
  readonly outcome: Exclude<RunOutcome, "running">
  readonly dryRun: boolean
  /**
   * `read == written + skipped + deadLettered`, all counted in source records: a source record that a
   * transform fans out into several counts once (dead-lettered if any of its descendants was rejected,
   * else written if any was written, else skipped). `actions` counts sink actions per written record
   * and transform notes per emitted outcome.
   */
  readonly counts: RunCounts
  /** Dry runs only: the sink's planned outcomes for the first records (up to the runner's cap). */
  readonly planned: ReadonlyArray<PlannedOutcome>
  /** Dry runs only: the dead letters the run would have stored (up to the runner's cap). */
  readonly deadLetters: ReadonlyArray<NewDeadLetter>
  readonly error: Option.Option<string>
}

/** A summary of a run recorded in the state store (for `status` and after a failed run). */
export const fromRun = (run: Run): RunSummary => ({
  runId: run.runId,
  pipeline: run.pipeline,
  startedAt: run.startedAt,
  endedAt: Option.getOrElse(run.endedAt, () => run.startedAt),
  outcome: run.outcome === "running" ? "interrupted" : run.outcome,
  dryRun: run.dryRun,
  counts: run.counts,
  planned: [],
  deadLetters: [],
  error: run.error
})

/** A few lines for a person: outcome, counts, actions, and the error if any. */
export const format = (summary: RunSummary): string => {
  const seconds = (summary.endedAt.getTime() - summary.startedAt.getTime()) / 1000
  const { counts } = summary
  const lines = [
    `${summary.pipeline} run ${summary.runId}: ${summary.outcome}${summary.dryRun ? " (dry run, nothing written)" : ""} ` +
    `in ${seconds.toFixed(1)}s`,
    `  read ${counts.read}, ${summary.dryRun ? "would write" : "written"} ${counts.written}, skipped ${counts.skipped}, ` +
    `dead-lettered ${counts.deadLettered}, retries ${counts.retries}`
  ]
  const actions = Object.entries(counts.actions).sort(([a], [b]) => a.localeCompare(b))
  if (actions.length > 0) lines.push(`  ${actions.map(([name, count]) => `${name}: ${count}`).join(", ")}`)
  if (Option.isSome(summary.error)) lines.push(`  error: ${summary.error.value}`)
  return lines.join("\n")
}
