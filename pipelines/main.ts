// The composition root: the registry of built-in connectors and pipelines, the `edgesync` command line,
// and the one place effects are run. It is also the only module that reads the process's environment.
import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Either } from "effect"
import { EdgeCommand } from "../connectors/edge/EdgeCommand.js"
import { EdgeConnector } from "../connectors/edge/EdgeConnector.js"
import { FileConnector } from "../connectors/file/FileConnector.js"
import * as ShopifyCommand from "../connectors/shopify/ShopifyCommand.js"
import { ShopifyConnector } from "../connectors/shopify/ShopifyConnector.js"
import * as Cli from "../core/cli/Cli.js"
import * as FailPoint from "../core/FailPoint.js"
import * as Registry from "../core/Registry.js"
import { fileCsvToJsonl } from "./fileCsvToJsonl.js"
import { fileJsonlToCsv } from "./fileJsonlToCsv.js"
import { Mission } from "./Mission.js"

/** Every built-in connector, by name, and every built-in pipeline. */
export const registry = Registry.make({
  connectors: { file: FileConnector, edge: EdgeConnector, shopify: ShopifyConnector } as const,
  pipelines: [fileJsonlToCsv, fileCsvToJsonl, ...Mission.pipelines]
})

export const cli = Cli.root.pipe(
  Command.withSubcommands([...Cli.commands({ groups: Mission.groups }), EdgeCommand, ShopifyCommand.command, ...Mission.commands]),
  Cli.provide({
    registry,
    env: process.env,
    terminal: {
      interactive: process.stderr.isTTY === true,
      write: (text) => Effect.sync(() => void process.stderr.write(text))
    }
  })
)

// EDGESYNC_FAILPOINTS (`name@n,...`, see core/FailPoint.ts) is for the crash tests only: the process kills
// itself with SIGKILL on the n-th pass through a named point, as a power cut or the OOM killer would.
const failPointSpec = process.env["EDGESYNC_FAILPOINTS"] ?? ""
const failPointRules = FailPoint.parse(failPointSpec)
if (Either.isLeft(failPointRules)) {
  process.stderr.write(`EDGESYNC_FAILPOINTS: ${failPointRules.left}\n`)
  process.exit(2)
}
const failPoints = FailPoint.make(failPointRules.right, () =>
  Effect.zipRight(Effect.sync(() => process.kill(process.pid, "SIGKILL")), Effect.never))

NodeRuntime.runMain(
  Cli.main(cli, process.argv).pipe(
    Effect.provide(NodeContext.layer),
    Effect.provideServiceEffect(FailPoint.FailPoint, failPoints)
  ),
  Cli.runMainOptions
)
