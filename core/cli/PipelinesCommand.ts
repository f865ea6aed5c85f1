// `edgesync pipelines`: every pipeline with its description, connectors and options (read from the
// options Schema, so the listing is what the run will accept).
import { Command } from "@effect/cli"
import { Console, Effect, Either } from "effect"
import * as Registry from "../Registry.js"
import type { RunGroup } from "./RunGroup.js"
import * as SchemaDoc from "./SchemaDoc.js"
import { Workspace } from "./Workspace.js"
import * as Help from "./Help.js"

const originNote = (registry: Registry.Registry, name: string): string => {
  const origin = registry.origins.get(`pipeline:${name}`)
  return origin !== undefined && origin._tag === "Plugin" ? ` (plugin ${origin.module})` : ""
}

export const make = (runGroups: ReadonlyArray<RunGroup>) =>
  Command.make("pipelines", {}, () =>
    Effect.gen(function*() {
      const { registry } = yield* Workspace
      const blocks: Array<string> = []
      for (const pipeline of registry.pipelines.values()) {
        blocks.push([
          `${pipeline.name}${originNote(registry, pipeline.name)}`,
          `  ${pipeline.description}`,
          `  connectors: ${pipeline.connectors.join(", ")}; state kept in ${
            Registry.stateLocation(registry, pipeline) === "state" ? "the state database" : `the ${Registry.stateLocation(registry, pipeline)} database`
          }`,
          `  options (config file section "${pipeline.optionsSection}", or --option key=value):`,
          ...SchemaDoc.formatFields(SchemaDoc.fields(pipeline.options), "    ")
        ].join("\n"))
      }
      for (const group of runGroups) {
        const members = yield* Effect.either(group.pipelines)
        blocks.push([
          `${group.name} (runs several pipelines in turn)`,
          `  ${group.description}`,
          `  runs: ${Either.match(members, { onLeft: (e) => `(cannot tell: ${e.message})`, onRight: (names) => names.join(", ") || "(none enabled)" })}`
        ].join("\n"))
      }
      yield* Console.log(blocks.length === 0 ? "No pipelines are registered." : blocks.join("\n\n"))
    })).pipe(Command.withDescription(Help.doc(
      "List the pipelines you can run, with their descriptions, connectors and options (with types and defaults).",
      Help.examples("edgesync pipelines", "edgesync --config prod.json pipelines")
    )))
