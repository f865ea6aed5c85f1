// `edgesync run <pipeline>`: one run, or with `--every` a run on that schedule until stopped (one at a
// time; a failed run is reported and the schedule goes on). `<pipeline>` may also name a run group
// (such as `all`) that the composition root defines: its pipelines then run in turn, each cycle.
import { Args, Command, Options } from "@effect/cli"
import { Clock, Console, Duration, Effect, Option, Schedule, Schema } from "effect"
import type * as Config from "../Config.js"
import * as Registry from "../Registry.js"
import { ExitCode } from "./ExitCode.js"
import { DurationFromHuman } from "./DurationOption.js"
import * as PipelineRun from "./PipelineRun.js"
import type { RunGroup } from "./RunGroup.js"
import * as Table from "./Table.js"
import { UsageError } from "./UsageError.js"
import { Workspace } from "./Workspace.js"
import * as Help from "./Help.js"

export const flags = {
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription(
    "run the sources and transforms, report what the sink would write, write nothing and keep the checkpoint"
  )),
  limit: Options.integer("limit").pipe(
    Options.withSchema(Schema.Int.pipe(Schema.positive())),
    Options.optional,
    Options.withDescription("stop after this many source records (what was processed is committed)")
  ),
  every: Options.text("every").pipe(
    Options.withSchema(DurationFromHuman),
    Options.optional,
    Options.withDescription("keep running on this schedule until stopped (Ctrl-C), e.g. 15m; one run at a time")
  ),
  option: Options.text("option").pipe(
    Options.repeated,
    Options.withSchema(Schema.mutable(Schema.Array(PipelineRun.OverrideFromText))),
    Options.withDescription("set a pipeline option, overriding the config file (repeatable): --option key=value")
  ),
  wait: Options.boolean("wait").pipe(Options.withDescription(
    "if another run of the pipeline holds its lock, wait for it instead of refusing"
  ))
} as const

/** What `run` runs: one pipeline, or a group's pipelines in turn. */
export type Target =
  | { readonly _tag: "Pipeline"; readonly pipeline: Registry.AnyPipeline }
  | { readonly _tag: "Group"; readonly group: RunGroup }

const resolveTarget = (name: string, groups: ReadonlyArray<RunGroup>) =>
  Effect.gen(function*() {
    const group = groups.find((g) => g.name === name)
    if (group !== undefined) return { _tag: "Group", group } satisfies Target as Target
    const { registry } = yield* Workspace
    return { _tag: "Pipeline", pipeline: yield* Registry.pipeline(registry, name) } satisfies Target as Target
  })

const pipelinesOf = (target: Target) =>
  Effect.gen(function*() {
    if (target._tag === "Pipeline") return [target.pipeline]
    const { registry } = yield* Workspace
    const names = yield* target.group.pipelines
    return yield* Effect.forEach(names, (name) => Registry.pipeline(registry, name))
  })

const overridesPer = (target: Target, pipelines: ReadonlyArray<Registry.AnyPipeline>, overrides: ReadonlyArray<Config.Override>) =>
  Effect.gen(function*() {
    if (target._tag === "Pipeline") return new Map([[target.pipeline.name, overrides]])
    const unused = overrides.filter((o) => !pipelines.some((p) => PipelineRun.overridesFor(p, [o]).length > 0))
    if (unused.length > 0) {
      return yield* new UsageError({
        reason: "BadOption",
        detail: `no pipeline of "${target.group.name}" has the option${unused.length > 1 ? "s" : ""} ${unused.map((o) => `"${o.key}"`).join(", ")}`
      })
    }
    return new Map(pipelines.map((p) => [p.name, PipelineRun.overridesFor(p, overrides)]))
  })

/**
 * One cycle: each pipeline of the target in turn. In a group, a failed pipeline is reported and the
 * next one still runs; the cycle then fails with exit code 1.
 */
const cycle = (target: Target, request: PipelineRun.RunRequest) =>
  Effect.gen(function*() {
    const pipelines = yield* pipelinesOf(target)
    const overrides = yield* overridesPer(target, pipelines, request.overrides)
    if (target._tag === "Pipeline") {
      yield* PipelineRun.runOnce(target.pipeline, request)
      return
    }
    if (pipelines.length === 0) {
      yield* Console.log(`${target.group.name}: no pipeline is enabled by the configuration; nothing to run.`)
      return
    }
    let failed = 0
    for (const pipeline of pipelines) {
      const result = yield* Effect.either(
        PipelineRun.runOnce(pipeline, { ...request, overrides: overrides.get(pipeline.name) ?? [] })
      )
      if (result._tag === "Left") {
        failed++
        yield* Console.error(`edgesync: ${pipeline.name}: ${result.left.message}`)
      }
    }
    if (failed > 0) {
      yield* Console.error(`edgesync: ${failed} of ${pipelines.length} pipelines of "${target.group.name}" failed`)
      return yield* new ExitCode({ code: 1 })
    }
  })

/** Checks options and configs of every pipeline of the target, so a schedule never starts on a bad config. */
const validate = (target: Target, request: PipelineRun.RunRequest) =>
  Effect.gen(function*() {
    const pipelines = yield* pipelinesOf(target)
    const overrides = yield* overridesPer(target, pipelines, request.overrides)
    for (const pipeline of pipelines) yield* PipelineRun.prepare(pipeline, overrides.get(pipeline.name) ?? [])
  })

const scheduled = (target: Target, request: PipelineRun.RunRequest, every: Duration.Duration) =>
  Effect.gen(function*() {
    yield* validate(target, request)
    const name = target._tag === "Pipeline" ? target.pipeline.name : target.group.name
    yield* Console.log(`Running ${name} every ${Duration.format(every)} until stopped (Ctrl-C).`)
    const once = cycle(target, request).pipe(
      Effect.catchAll((error) =>
        error instanceof ExitCode
          ? Effect.void // a group cycle has already reported its failures
          : Console.error(`edgesync: ${error.message} (the schedule goes on)`)
      ),
      Effect.zipRight(Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Console.log(`Next run of ${name} at ${Table.timestamp(new Date(now + Duration.toMillis(every)))} (Ctrl-C stops).`)))
    )
    // Fixed rate: a run that overruns its slot is followed at once by the next, never overlapped.
    return yield* Effect.repeat(once, Schedule.fixed(every))
  })

export const make = (groups: ReadonlyArray<RunGroup>) =>
  Command.make(
    "run",
    { target: Args.text({ name: "pipeline" }).pipe(Args.withDescription(
      `the pipeline to run (see \`edgesync pipelines\`)${groups.length > 0 ? `, or ${groups.map((g) => `"${g.name}"`).join(", ")}` : ""}`
    )), ...flags },
    (args) =>
      Effect.gen(function*() {
        const target = yield* resolveTarget(args.target, groups)
        const request: PipelineRun.RunRequest = {
          dryRun: args.dryRun,
          limit: args.limit,
          overrides: args.option,
          wait: args.wait
        }
        if (Option.isSome(args.every)) return yield* scheduled(target, request, args.every.value)
        // A group's configuration is checked whole before its first pipeline runs, as a single
        // pipeline's is: a bad value is a usage error (exit 2), not one failed run per pipeline.
        if (target._tag === "Group") yield* validate(target, request)
        yield* cycle(target, request)
      })
  ).pipe(Command.withDescription(Help.doc(
    "Run a pipeline from its last checkpoint to the end of its source, then print a summary (counts, " +
      "actions, duration). Records that fail on their own are dead-lettered and the run goes on. On a " +
      "terminal, progress is shown on stderr while it runs.",
    Help.examples(
      "edgesync run file-csv-to-jsonl --option input=customers.csv --option output=customers.jsonl",
      "edgesync run file-csv-to-jsonl --dry-run --limit 10",
      "edgesync run file-jsonl-to-csv --every 15m",
      ...groups.map((g) => `edgesync run ${g.name}`)
    ),
    "Exit codes: 0 success, 1 the run failed, 2 bad usage or configuration, 130 interrupted (Ctrl-C)."
  )))
