// `edgesync reset <pipeline>`: forgets a pipeline's checkpoint, so that its next run reads its source
// from the beginning (after a source file was replaced, say).
import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Registry from "../Registry.js"
import { StateStore } from "../StateStore.js"
import * as PipelineArg from "./PipelineArg.js"
import { Workspace } from "./Workspace.js"
import * as Help from "./Help.js"

export const command = Command.make("reset", { pipeline: PipelineArg.required }, (args) =>
  Effect.gen(function*() {
    const pipeline = yield* PipelineArg.lookup(args.pipeline)
    const { registry } = yield* Workspace
    yield* Effect.provide(
      Effect.flatMap(StateStore, (store) => store.resetCheckpoint(pipeline.name)),
      Registry.stateStoreLayer(registry, pipeline)
    )
    yield* Console.log(
      `Forgot the checkpoint of ${pipeline.name}: its next run reads its source from the beginning ` +
        `(sinks that append will append those records again).`
    )
  })).pipe(Command.withDescription(Help.doc(
    "Forget a pipeline's checkpoint so its next run starts from the beginning of its source.",
    Help.examples("edgesync reset file-jsonl-to-csv")
  )))
