// What the runner reports after every batch, for progress displays (the CLI's status line, logs).
import { Duration } from "effect"

export interface Progress {
  readonly pipeline: string
  readonly runId: string
  readonly dryRun: boolean
  /** Batches completed so far (committed, or in a dry run, planned). */
  readonly batches: number
  readonly read: number
  readonly written: number
  readonly skipped: number
  readonly deadLettered: number
  readonly retries: number
  /** Time since the run started. */
  readonly elapsed: Duration.Duration
}

/** Source records per second since the run started (0 before any time has passed). */
export const rate = (progress: Progress): number => {
  const seconds = Duration.toMillis(progress.elapsed) / 1000
  return seconds > 0 ? progress.read / seconds : 0
}

/** One line for a terminal or a log: "read 1200 · written 1180 · skipped 15 · dead-lettered 5 · 400/s". */
export const format = (progress: Progress): string =>
  [
    `read ${progress.read}`,
    `${progress.dryRun ? "would write" : "written"} ${progress.written}`,
    `skipped ${progress.skipped}`,
    `dead-lettered ${progress.deadLettered}`,
    ...(progress.retries > 0 ? [`retries ${progress.retries}`] : []),
    `${Math.round(rate(progress))}/s`
  ].join(" · ")
