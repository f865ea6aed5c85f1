// `edgesync connectors`: every connector with its config section keys, environment overrides and stages.
import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as SchemaDoc from "./SchemaDoc.js"
import { Workspace } from "./Workspace.js"
import * as Help from "./Help.js"

export const command = Command.make("connectors", {}, () =>
  Effect.gen(function*() {
    const { registry } = yield* Workspace
    const blocks = [...registry.connectors.values()].map((connector) => {
      const origin = registry.origins.get(`connector:${connector.name}`)
      const environment = Object.entries(connector.environment)
      return [
        `${connector.name}${origin !== undefined && origin._tag === "Plugin" ? ` (plugin ${origin.module})` : ""}`,
        `  ${connector.description}`,
        `  config (section "${connector.name}"):`,
        ...SchemaDoc.formatFields(SchemaDoc.fields(connector.config), "    "),
        ...(environment.length > 0
          ? ["  environment overrides:", ...environment.map(([variable, key]) => `    ${variable} -> ${connector.name}.${key}`)]
          : []),
        `  stages${connector.stateStore === undefined ? "" : " (keeps pipeline state in its own database)"}:`,
        ...connector.stages.map((stage) => `    ${stage.kind.padEnd(9)} ${stage.name}: ${stage.description}`)
      ].join("\n")
    })
    yield* Console.log(blocks.length === 0 ? "No connectors are registered." : blocks.join("\n\n"))
  })).pipe(Command.withDescription(Help.doc(
    "List the connectors, their configuration keys (with environment overrides) and the stages they offer.",
    Help.examples("edgesync connectors")
  )))
