// What every command works with: the registry (built-in connectors and pipelines plus the plugins the
// config file names) and the terminal its progress output goes to.
import type { Path } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import * as Config from "../Config.js"
import { ConfigError } from "../EtlError.js"
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

/** The framework's own config file sections. */
export const frameworkSections: ReadonlyArray<string> = ["state", "run", "plugins"]

/**
 * Fails on a config file section that nothing reads: a misspelt section name would otherwise be
 * ignored silently. Known: the framework's, one per connector, each pipeline's options section and
 * `extra`. Keys starting with `$` or `//` are left alone (editors' `$schema`, comments).
 */
export const checkSections = (
  registry: Registry.Registry,
  extra: ReadonlyArray<string>
): Effect.Effect<void, ConfigError, Config.ConfigSource> =>
  Effect.gen(function*() {
    const source = yield* Config.ConfigSource
    const known = [
      ...frameworkSections,
      ...registry.connectors.keys(),
      ...[...registry.pipelines.values()].map((p) => p.optionsSection),
      ...extra
    ]
    const unknown = Object.keys(source.file).find((key) => !known.includes(key) && !/^(\$|\/\/)/.test(key))
    if (unknown !== undefined) {
      return yield* new ConfigError({
        reason: "Invalid",
        key: unknown,
        value: `unknown section "${unknown}"`,
        expected: `one of the sections ${[...new Set(known)].join(", ")}`
      })
    }
  })

/** The workspace of the built-in registry extended with the config file's plugins. */
export const layer = (
  builtIns: Effect.Effect<Registry.Registry, Registry.RegistryError>,
  terminal: Terminal,
  extraSections: ReadonlyArray<string> = []
): Layer.Layer<Workspace, Registry.RegistryError | ConfigError, Config.ConfigSource | Path.Path> =>
  Layer.effect(
    Workspace,
    Effect.gen(function*() {
      const registry = yield* Registry.loadPlugins(yield* builtIns)
      yield* checkSections(registry, extraSections)
      return { registry, terminal }
    })
  )
