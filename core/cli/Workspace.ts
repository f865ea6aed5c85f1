// What every command works with: the registry (built-in connectors and pipelines plus the plugins the
// config file names) and the terminal its progress output goes to.
import type { Path } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import type * as Config from "../Config.js"
import type { ConfigError } from "../EtlError.js"
import * as Registry from "../Registry.js"

export interface Terminal {
  /** Whether stderr is a terminal: progress is then drawn in place. */
  readonly interactive: boolean
  /** Writes to stderr as is (no newline added). */
  readonly write: (text: string) => Effect.Effect<void>
}

export interface WorkspaceService {
  readonly registry: Registry.Registry
  readonly terminal: Terminal
}

export class Workspace extends Context.Tag("edgesync/cli/Workspace")<Workspace, WorkspaceService>() {}

/** The workspace of the built-in registry extended with the config file's plugins. */
export const layer = (
  builtIns: Effect.Effect<Registry.Registry, Registry.RegistryError>,
  terminal: Terminal
): Layer.Layer<Workspace, Registry.RegistryError | ConfigError, Config.ConfigSource | Path.Path> =>
  Layer.effect(
    Workspace,
    Effect.gen(function*() {
      const registry = yield* Registry.loadPlugins(yield* builtIns)
      return { registry, terminal }
    })
  )
