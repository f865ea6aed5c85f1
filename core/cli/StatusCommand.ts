// `edgesync status [pipeline]`: per pipeline, the checkpoint, the dead letters by status and the last
// runs with their counts and outcome.
import { Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option } from "effect"
import type * as Registry from "../Registry.js"
import { StateStore, type DeadLetterStatus, type Run } from "../StateStore.js"
import * as PipelineArg from "./PipelineArg.js"
import * as StateStores from "./StateStores.js"
import * as Table from "./Table.js"
import { Workspace } from "./Workspace.js"
import * as Help from "./Help.js"

const lastRuns = Options.integer("runs").pipe(
  Options.withDefault(5),
  Options.withDescription("how many recent runs to show per pipeline")
)

const formatRun = (run: Run): string => {
  const ended = Option.getOrUndefined(run.endedAt)
  const seconds = ended === undefined ? "" : ` ${((ended.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)}s`
  const c = run.counts
  const actions = Object.entries(c.actions).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`)
  return `${Table.timestamp(run.startedAt)}  ${run.outcome}${run.dryRun ? " (dry run)" : ""}${seconds}  ` +
    `read ${c.read}, written ${c.written}, skipped ${c.skipped}, dead-lettered ${c.deadLettered}` +
    `${c.retries > 0 ? `, retries ${c.retries}` : ""}${actions.length > 0 ? ` [${actions.join(", ")}]` : ""}  (run ${run.runId})` +
    Option.match(run.error, { onNone: () => "", onSome: (e) => `\n      error: ${e}` })
}

const pipelineStatus = (pipeline: Registry.AnyPipeline, runs: number) =>
  Effect.gen(function*() {
    const store = yield* StateStore
    const checkpoint = yield* store.checkpoint(pipeline.name)
    const recent = yield* store.runs({ pipeline: pipeline.name, limit: runs })
    const counts = (yield* store.deadLetterCounts).filter((c) => c.pipeline === pipeline.name)
    const count = (status: DeadLetterStatus) => counts.find((c) => c.status === status)?.count ?? 0
    if (Option.isNone(checkpoint) && recent.length === 0 && counts.length === 0) {
      return `${pipeline.name}: never run`
    }
    return [
      pipeline.name,
      `  checkpoint:   ${Option.match(checkpoint, {
        onNone: () => "none (the next run starts from the beginning)",
        onSome: (c) => `${c.cursor} (run ${c.runId}, ${Table.timestamp(c.updatedAt)})`
      })}`,
      `  dead letters: ${count("pending")} pending, ${count("replayed")} replayed, ${count("discarded")} discarded`,
      `  last runs:`,
      ...(recent.length === 0 ? ["    none"] : recent.map((run) => `    ${formatRun(run)}`))
    ].join("\n")
  })

export const command = Command.make("status", { pipeline: PipelineArg.optional, runs: lastRuns }, (args) =>
  Effect.gen(function*() {
    const pipelines = yield* PipelineArg.lookupAll(args.pipeline)
    const { registry } = yield* Workspace
    const visited = yield* StateStores.forEach(
      StateStores.groups(registry, pipelines),
      (group) => Effect.forEach(group.pipelines, (p) => pipelineStatus(p, args.runs))
    )
    const blocks = visited.flatMap(({ group, result }) =>
      Either.match(result, {
        onRight: (lines) => lines,
        onLeft: (error) => [
          `${group.pipelines.map((p) => p.name).join(", ")}: cannot open ${StateStores.describeLocation(group)}: ${error.message}`
        ]
      })
    )
    yield* Console.log(blocks.length === 0 ? "No pipelines are registered." : blocks.join("\n\n"))
  })).pipe(Command.withDescription(Help.doc(
    "Show each pipeline's checkpoint, dead letters and last runs (counts and outcome).",
    Help.examples("edgesync status", "edgesync status file-csv-to-jsonl --runs 10")
  )))
