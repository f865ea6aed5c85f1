// `edgesync dead-letters list|show|retry|discard`: the records that failed with a record-level error,
// kept with the error and the record itself, to inspect, push through the pipeline again once the cause
// is fixed, or set aside for good.
import { Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option, Schema } from "effect"
import { NotFound } from "../EtlError.js"
import * as Registry from "../Registry.js"
import { StateStore, type DeadLetter, type DeadLetterStatus } from "../StateStore.js"
import * as PipelineArg from "./PipelineArg.js"
import * as PipelineRun from "./PipelineRun.js"
import { flags as runFlags } from "./RunCommand.js"
import * as StateStores from "./StateStores.js"
import * as Table from "./Table.js"
import { UsageError } from "./UsageError.js"
import { Workspace } from "./Workspace.js"
import * as Help from "./Help.js"

// Read as text and decoded with a Schema: @effect/cli 0.77 rejects a single `--id 1` when
// `Options.integer` is repeated ("'1' is not a integer"), while text options repeat correctly.
const DeadLetterId = Schema.NumberFromString.pipe(Schema.int(), Schema.positive())

const ids = Options.text("id").pipe(
  Options.repeated,
  Options.withSchema(Schema.mutable(Schema.Array(DeadLetterId))),
  Options.withDescription("a dead letter's id (repeatable); see `edgesync dead-letters list`")
)

const status = Options.choice("status", ["pending", "replayed", "discarded", "all"]).pipe(
  Options.withDefault("pending" as const),
  Options.withDescription("which dead letters to list")
)

const limit = Options.integer("limit").pipe(
  Options.withDefault(50),
  Options.withDescription("list at most this many (newest last)")
)

/** Dead letters of the given pipelines, from every store they live in. */
const collect = (
  pipelines: ReadonlyArray<Registry.AnyPipeline>,
  filter: { readonly status?: DeadLetterStatus | undefined; readonly ids?: ReadonlyArray<number> | undefined; readonly limit?: number | undefined }
) =>
  Effect.gen(function*() {
    const { registry } = yield* Workspace
    const visited = yield* StateStores.forEach(
      StateStores.groups(registry, pipelines),
      (group) =>
        Effect.flatMap(StateStore, (store) =>
          Effect.map(
            Effect.forEach(group.pipelines, (p) => store.deadLetters({ ...filter, pipeline: p.name })),
            (lists) => lists.flat()
          ))
    )
    const notes: Array<string> = []
    const letters: Array<DeadLetter> = []
    for (const { group, result } of visited) {
      Either.match(result, {
        onLeft: (error) => notes.push(`(cannot open ${StateStores.describeLocation(group)}: ${error.message})`),
        onRight: (found) => letters.push(...found)
      })
    }
    return { letters: letters.sort((a, b) => a.id - b.id), notes }
  })

const list = Command.make("list", { pipeline: PipelineArg.optional, status, limit }, (args) =>
  Effect.gen(function*() {
    const pipelines = yield* PipelineArg.lookupAll(args.pipeline)
    const { letters, notes } = yield* collect(pipelines, {
      status: args.status === "all" ? undefined : args.status,
      limit: args.limit
    })
    const rows = letters.map((l) => [
      String(l.id),
      l.pipeline,
      l.status,
      l.stage,
      // Wide enough for a whole Shopify GID (gid://shopify/Order/ and 13 to 16 digits): its digits tell records apart.
      Table.clip(l.recordKey, 40),
      l.errorTag,
      String(l.attempts),
      Table.clip(l.message, 100)
    ])
    yield* Console.log([
      letters.length === 0
        ? `No ${args.status === "all" ? "" : `${args.status} `}dead letters${Option.match(args.pipeline, { onNone: () => "", onSome: (p) => ` for ${p}` })}.`
        : Table.format(["ID", "PIPELINE", "STATUS", "STAGE", "RECORD", "ERROR", "ATTEMPTS", "MESSAGE"], rows),
      ...notes
    ].join("\n"))
  })).pipe(Command.withDescription(Help.doc(
    "List dead letters (pending ones by default), of one pipeline or all.",
    Help.examples("edgesync dead-letters list", "edgesync dead-letters list file-csv-to-jsonl --status all")
  )))

const formatRecord = (record: string): string => {
  try {
    return JSON.stringify(JSON.parse(record), null, 2)
  } catch {
    return record
  }
}

const show = Command.make("show", { pipeline: PipelineArg.optional, ids }, (args) =>
  Effect.gen(function*() {
    if (args.ids.length === 0) {
      return yield* new UsageError({ reason: "MissingTarget", detail: "say which dead letters to show with --id N (see `edgesync dead-letters list`)" })
    }
    const pipelines = yield* PipelineArg.lookupAll(args.pipeline)
    const { letters, notes } = yield* collect(pipelines, { ids: args.ids })
    const missing = args.ids.filter((id) => !letters.some((l) => l.id === id))
    if (missing.length > 0) {
      return yield* new NotFound({ kind: "dead-letter", name: missing.join(", "), known: [] })
    }
    const blocks = letters.map((l) =>
      [
        `Dead letter ${l.id} (${l.status})`,
        `  pipeline:   ${l.pipeline}`,
        `  run:        ${l.runId}`,
        `  stage:      ${l.stage}`,
        `  record key: ${l.recordKey}`,
        `  error:      ${l.errorTag}: ${l.message}`,
        `  attempts:   ${l.attempts}`,
        `  created:    ${Table.timestamp(l.createdAt)}`,
        `  updated:    ${Table.timestamp(l.updatedAt)}`,
        `  record:`,
        ...formatRecord(l.record).split("\n").map((line) => `    ${line}`)
      ].join("\n")
    )
    yield* Console.log([...blocks, ...notes].join("\n\n"))
  })).pipe(Command.withDescription(Help.doc(
    "Show dead letters in full: the error, where it happened, and the record as it was read.",
    Help.examples("edgesync dead-letters show --id 3", "edgesync dead-letters show file-csv-to-jsonl --id 3 --id 4")
  )))

const retry = Command.make(
  "retry",
  { pipeline: PipelineArg.required, ids, dryRun: runFlags.dryRun, option: runFlags.option, wait: runFlags.wait },
  (args) =>
    Effect.gen(function*() {
      const pipeline = yield* PipelineArg.lookup(args.pipeline)
      yield* PipelineRun.replayOnce(pipeline, args.ids.length === 0 ? "all" : args.ids, {
        dryRun: args.dryRun,
        overrides: args.option,
        wait: args.wait
      })
    })
).pipe(Command.withDescription(Help.doc(
  "Push dead letters through the pipeline again (all pending ones, or those given with --id) once the " +
    "cause is fixed. A record that succeeds is marked replayed; one that fails again stays pending with " +
    "its new error. The checkpoint does not move.",
  Help.examples("edgesync dead-letters retry file-csv-to-jsonl", "edgesync dead-letters retry file-csv-to-jsonl --id 3 --id 4")
)))

const all = Options.boolean("all").pipe(Options.withDescription("discard every pending dead letter of the pipeline"))

const discard = Command.make("discard", { pipeline: PipelineArg.required, ids, all }, (args) =>
  Effect.gen(function*() {
    const pipeline = yield* PipelineArg.lookup(args.pipeline)
    if (args.ids.length === 0 && !args.all) {
      return yield* new UsageError({ reason: "MissingTarget", detail: "say which dead letters to discard: --id N (repeatable) or --all" })
    }
    if (args.ids.length > 0 && args.all) {
      return yield* new UsageError({ reason: "Conflict", detail: "give either --id or --all, not both" })
    }
    const { registry } = yield* Workspace
    const discarded = yield* Effect.provide(
      Effect.gen(function*() {
        const store = yield* StateStore
        const pending = yield* store.deadLetters({
          pipeline: pipeline.name,
          status: "pending",
          ...(args.all ? {} : { ids: args.ids })
        })
        const missing = args.ids.filter((id) => !pending.some((l) => l.id === id))
        if (missing.length > 0) {
          return yield* new NotFound({
            kind: "dead-letter",
            name: `${missing.join(", ")} (pending, of ${pipeline.name})`,
            known: []
          })
        }
        yield* store.setDeadLetterStatus(pending.map((l) => l.id), "discarded")
        return pending.length
      }),
      Registry.stateStoreLayer(registry, pipeline)
    )
    yield* Console.log(`Discarded ${discarded} dead letter${discarded === 1 ? "" : "s"} of ${pipeline.name}.`)
  })).pipe(Command.withDescription(Help.doc(
    "Set dead letters aside for good: they are kept (status discarded) but never retried.",
    Help.examples("edgesync dead-letters discard file-csv-to-jsonl --id 3", "edgesync dead-letters discard file-csv-to-jsonl --all")
  )))

export const command = Command.make("dead-letters").pipe(
  Command.withDescription(Help.doc(
    "Inspect and handle records that failed with a record-level error (bad data, a refused write).",
    "Subcommands:\n" +
      "  list     list dead letters (pending by default)\n" +
      "  show     show dead letters in full, with their records\n" +
      "  retry    push dead letters through the pipeline again\n" +
      "  discard  set dead letters aside for good",
    Help.examples("edgesync dead-letters list", "edgesync dead-letters show --id 3", "edgesync dead-letters retry file-csv-to-jsonl")
  )),
  Command.withSubcommands([list, show, retry, discard])
)
