// `edgesync demo [--dir PATH]` (also `npm run demo`): runs the whole job on the embedded default and
// prints what happened for a store owner (pipelines/demo/Demo.ts).
import { Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Help from "../../core/cli/Help.js"
import * as Demo from "../demo/Demo.js"
import * as DemoReport from "../demo/DemoReport.js"

export const command = Command.make("demo", {
  dir: Options.text("dir").pipe(
    Options.withDefault("edgesync-demo"),
    Options.withDescription("where the demo's Edge database and config file go (its edge.db is replaced)")
  ),
  seed: Options.integer("seed").pipe(Options.withDefault(Demo.defaults.seed), Options.withDescription("the same seed gives the same data"))
}, (args) =>
  Effect.gen(function*() {
    yield* Console.log("Setting up an Edge database and a Shopify store, then syncing them (about half a minute)...\n")
    const report = yield* Effect.scoped(Demo.run({ ...Demo.defaults, dir: args.dir, seed: args.seed }))
    yield* Console.log(DemoReport.format(report))
  })).pipe(Command.withDescription(Help.doc(
    "Runs the main job on the embedded default, with nothing else installed: a SQLite Edge database seeded with a jewelry store's data, " +
      "a Shopify store emulated in this process, the three pipelines twice as `run all` would, and a summary of what happened.",
    Help.examples("edgesync demo", "edgesync demo --dir /tmp/demo")
  )))
