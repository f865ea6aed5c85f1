// One run (or dead-letter replay) of one pipeline as the CLI performs it: options merged from the
// config file and `--option`, checked before anything starts; the pipeline's layers; progress while it
// runs; a summary when it ends (also when it fails, with what was committed).
import { Console, Effect, type Option, ParseResult, Schema } from "effect"
import * as Config from "../Config.js"
import { type ConfigError, RunFailed } from "../EtlError.js"
import * as Registry from "../Registry.js"
import * as Runner from "../Runner.js"
import * as RunSummary from "../RunSummary.js"
import * as ProgressDisplay from "./ProgressDisplay.js"
import * as RunSettings from "./RunSettings.js"
import * as Table from "./Table.js"
import { Workspace } from "./Workspace.js"

export interface RunRequest {
  readonly dryRun: boolean
  readonly limit: Option.Option<number>
  /** `--option key=value`s, in order. */
  readonly overrides: ReadonlyArray<Config.Override>
  /** Wait for another run of the same pipeline to finish instead of refusing. */
  readonly wait: boolean
}

/** `--option key=value`, decoded into an override of the pipeline's options. */
export const OverrideFromText = Schema.transformOrFail(
  Schema.String,
  Schema.Struct({ key: Schema.String, value: Schema.String, origin: Schema.String }),
  {
    strict: true,
    decode: (text, _, ast) => {
      const at = text.indexOf("=")
      const key = text.slice(0, Math.max(0, at)).trim()
      return at <= 0 || key === ""
        ? ParseResult.fail(new ParseResult.Type(ast, text, `"${text}" is not key=value (for example --option input=customers.csv)`))
        : ParseResult.succeed({ key, value: text.slice(at + 1), origin: `--option ${key}` })
    },
    encode: (override) => ParseResult.succeed(`${override.key}=${override.value}`)
  }
)

/** The overrides that name keys of this pipeline's options (for groups of pipelines). */
export const overridesFor = (
  pipeline: Registry.AnyPipeline,
  overrides: ReadonlyArray<Config.Override>
): ReadonlyArray<Config.Override> => overrides.filter((o) => Config.hasKey(pipeline.options, o.key))

/**
 * Everything that can be checked before a run starts: the options (config file section plus
 * overrides), every connector's config, and the `run` section. Returns the raw options for the runner.
 */
export const prepare = (
  pipeline: Registry.AnyPipeline,
  overrides: ReadonlyArray<Config.Override>
): Effect.Effect<{ readonly rawOptions: unknown; readonly tuning: RunSettings.RunTuning }, ConfigError | Registry.LayerError, Config.ConfigSource | Workspace> =>
  Effect.gen(function*() {
    const { registry } = yield* Workspace
    const source = yield* Config.ConfigSource
    const base = source.file[pipeline.optionsSection]
    yield* Config.decodeWith(pipeline.optionsSection, pipeline.options, base, overrides)
    for (const name of pipeline.connectors) {
      yield* Config.decodeConnector(yield* Registry.connector(registry, name))
    }
    const tuning = yield* RunSettings.load
    const rawOptions = overrides.length === 0 ? base ?? {} : Config.applyOverrides(pipeline.options, base, overrides)
    return { rawOptions, tuning }
  })

const printSummary = (summary: RunSummary.RunSummary): Effect.Effect<void> =>
  Effect.gen(function*() {
    const lines = [RunSummary.format(summary)]
    if (summary.dryRun && summary.planned.length > 0) {
      lines.push(`  planned (first ${summary.planned.length}):`)
      for (const planned of summary.planned.slice(0, 20)) {
        const o = planned.outcome
        lines.push(`    ${planned.recordKey}: ${o._tag === "Written" ? o.action : o._tag === "Skipped" ? `skip (${o.reason})` : `reject (${o.error.message})`}`)
      }
      if (summary.planned.length > 20) lines.push(`    ... and ${summary.planned.length - 20} more`)
    }
    if (summary.dryRun && summary.deadLetters.length > 0) {
      lines.push(`  would dead-letter:`)
      for (const letter of summary.deadLetters.slice(0, 20)) {
        lines.push(`    ${letter.recordKey} at ${letter.stage}: ${Table.clip(letter.message, 160)}`)
      }
    }
    if (!summary.dryRun && summary.counts.deadLettered > 0) {
      lines.push(`  see them with: edgesync dead-letters list ${summary.pipeline}`)
    }
    yield* Console.log(lines.join("\n"))
  })

/** What the runner reports when a run failed after committing some work. */
const printFailure = (error: unknown): Effect.Effect<void> => {
  if (!(error instanceof RunFailed) || error.counts === undefined) return Effect.void
  const c = error.counts
  return Console.log(
    `Run ${error.runId} failed. Committed before it stopped (kept): read ${c.read}, written ${c.written}, ` +
      `skipped ${c.skipped}, dead-lettered ${c.deadLettered}, retries ${c.retries}.`
  )
}

const withProgress = <A, E, R>(
  run: (onProgress: ProgressDisplay.ProgressDisplay["onProgress"]) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | Workspace> =>
  Effect.gen(function*() {
    const { terminal } = yield* Workspace
    const display = yield* ProgressDisplay.make(terminal.interactive, terminal.write)
    return yield* run(display.onProgress).pipe(Effect.ensuring(display.clear))
  })

/** Runs `pipeline` once and prints its summary. */
export const runOnce = (pipeline: Registry.AnyPipeline, request: RunRequest) =>
  Effect.gen(function*() {
    const { registry } = yield* Workspace
    const { rawOptions, tuning } = yield* prepare(pipeline, request.overrides)
    const summary = yield* withProgress((onProgress) =>
      Registry.provide(registry, pipeline)(Runner.run(pipeline, {
        rawOptions,
        dryRun: request.dryRun,
        limit: request.limit,
        lock: request.wait ? "wait" : "fail",
        onProgress,
        ...tuning
      }))
    ).pipe(Effect.tapError(printFailure))
    yield* printSummary(summary)
    return summary
  }).pipe(Effect.annotateLogs({ pipeline: pipeline.name }))

/** Replays dead letters of `pipeline` (the given ids, or all pending) and prints the summary. */
export const replayOnce = (
  pipeline: Registry.AnyPipeline,
  ids: ReadonlyArray<number> | "all",
  request: Omit<RunRequest, "limit">
) =>
  Effect.gen(function*() {
    const { registry } = yield* Workspace
    const { rawOptions, tuning } = yield* prepare(pipeline, request.overrides)
    const summary = yield* withProgress((onProgress) =>
      Registry.provide(registry, pipeline)(Runner.replay(pipeline, ids, {
        rawOptions,
        dryRun: request.dryRun,
        lock: request.wait ? "wait" : "fail",
        onProgress,
        ...(tuning.batchSize === undefined ? {} : { batchSize: tuning.batchSize }),
        ...(tuning.retry === undefined ? {} : { retry: tuning.retry })
      }))
    ).pipe(Effect.tapError(printFailure))
    yield* printSummary(summary)
    return summary
  }).pipe(Effect.annotateLogs({ pipeline: pipeline.name }))
