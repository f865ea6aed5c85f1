// The `<pipeline>` argument of the commands that act on one pipeline, looked up in the registry.
import { Args } from "@effect/cli"
import { Effect, Option } from "effect"
import type { NotFound } from "../EtlError.js"
import * as Registry from "../Registry.js"
import { Workspace } from "./Workspace.js"

export const required = Args.text({ name: "pipeline" }).pipe(
  Args.withDescription("the pipeline's name (see `edgesync pipelines`)")
)

export const optional = required.pipe(Args.optional)

/** The named pipeline, or a NotFound listing the known ones (exit code 2). */
export const lookup = (name: string): Effect.Effect<Registry.AnyPipeline, NotFound, Workspace> =>
  Effect.flatMap(Workspace, ({ registry }) => Registry.pipeline(registry, name))

/** The named pipeline, or all of them. */
export const lookupAll = (
  name: Option.Option<string>
): Effect.Effect<ReadonlyArray<Registry.AnyPipeline>, NotFound, Workspace> =>
  Option.match(name, {
    onSome: (n) => Effect.map(lookup(n), (p) => [p]),
    onNone: () => Effect.map(Workspace, ({ registry }) => [...registry.pipelines.values()])
  })
