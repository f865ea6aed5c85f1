// The explicit record of connectors and pipelines the CLI chooses from, plugin loading, and the layers
// one pipeline's run needs.
//
// Nothing registers itself by being imported: the composition root hands `make` its built-in
// connectors and pipelines, and `loadPlugins` adds those of the modules the config file names under
// `plugins`. A plugin module default-exports a `Plugin` (`Registry.plugin({ connectors, pipelines })`).
import { FileSystem, Path } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { pathToFileURL } from "node:url"
import * as Config from "./Config.js"
import type { Connector } from "./Connector.js"
import { ConfigError, NotFound, StateStoreError, type Classified } from "./EtlError.js"
import type { Pipeline } from "./Pipeline.js"
import * as SqlStateStore from "./SqlStateStore.js"
import { StateStore } from "./StateStore.js"

// The registry holds connectors and pipelines of many different types side by side. Their type
// parameters are erased here (config, services, options, cursor): the registry only decodes config
// with the connector's own Schema and hands the result to the same connector's `layer`, and the runner
// feeds each pipeline its own decoded options, so the erased types always meet their own kind.
export type AnyConnector = Connector<unknown, unknown, Classified>
export type AnyPipeline = Pipeline<unknown, unknown, Classified, unknown>

/** What a connector or pipeline value must look like to be registered (checked again at plugin load). */
export interface ConnectorShape {
  readonly _tag: "Connector"
  readonly name: string
}
export interface PipelineShape {
  readonly _tag: "Pipeline"
  readonly name: string
  readonly connectors: ReadonlyArray<string>
}

const eraseConnector = (c: ConnectorShape): AnyConnector => c as unknown as AnyConnector
const erasePipeline = (p: PipelineShape): AnyPipeline => p as unknown as AnyPipeline

/** What a plugin module default-exports. */
export interface Plugin {
  readonly connectors?: ReadonlyArray<ConnectorShape> | undefined
  readonly pipelines?: ReadonlyArray<PipelineShape> | undefined
}

/** Declares a plugin: `export default Registry.plugin({ connectors: [MyConnector], pipelines: [myPipeline] })`. */
export const plugin = (spec: Plugin): Plugin => spec

/** Where an entry came from, for listings and clash messages. */
export type Origin = { readonly _tag: "BuiltIn" } | { readonly _tag: "Plugin"; readonly module: string }

export interface Registry {
  readonly connectors: ReadonlyMap<string, AnyConnector>
  readonly pipelines: ReadonlyMap<string, AnyPipeline>
  readonly origins: ReadonlyMap<string, Origin>
}

/** Registering failed: two entries share a name, a plugin module is unusable, or a pipeline needs a missing connector. */
export class RegistryError extends Schema.TaggedError<RegistryError>()("RegistryError", {
  reason: Schema.Literal("NameClash", "InvalidPlugin", "UnknownConnector"),
  name: Schema.String,
  detail: Schema.String
}) {
  readonly classification = "fatal" as const
  override get message(): string {
    switch (this.reason) {
      case "NameClash":
        return `Two definitions of "${this.name}": ${this.detail}. Rename one of them.`
      case "InvalidPlugin":
        return `Cannot use plugin ${this.name}: ${this.detail}`
      case "UnknownConnector":
        return `Pipeline "${this.name}" needs ${this.detail}`
    }
  }
}

const builtIn: Origin = { _tag: "BuiltIn" }

const describeOrigin = (origin: Origin | undefined): string =>
  origin === undefined || origin._tag === "BuiltIn" ? "built in" : `plugin ${origin.module}`

/**
 * Adds connectors and pipelines to a registry. Names must be unique among connectors and among
 * pipelines, and every connector a pipeline names must be registered.
 */
export const register = (
  registry: Registry,
  entries: Plugin,
  origin: Origin
): Effect.Effect<Registry, RegistryError> =>
  Effect.gen(function*() {
    const connectors = new Map(registry.connectors)
    const pipelines = new Map(registry.pipelines)
    const origins = new Map(registry.origins)
    for (const c of entries.connectors ?? []) {
      const key = `connector:${c.name}`
      if (connectors.has(c.name)) {
        return yield* new RegistryError({
          reason: "NameClash",
          name: c.name,
          detail: `the connector "${c.name}" is defined ${describeOrigin(origins.get(key))} and again ${describeOrigin(origin)}`
        })
      }
      connectors.set(c.name, eraseConnector(c))
      origins.set(key, origin)
    }
    for (const p of entries.pipelines ?? []) {
      const key = `pipeline:${p.name}`
      if (pipelines.has(p.name)) {
        return yield* new RegistryError({
          reason: "NameClash",
          name: p.name,
          detail: `the pipeline "${p.name}" is defined ${describeOrigin(origins.get(key))} and again ${describeOrigin(origin)}`
        })
      }
      pipelines.set(p.name, erasePipeline(p))
      origins.set(key, origin)
    }
    for (const p of entries.pipelines ?? []) {
      const missing = p.connectors.filter((name) => !connectors.has(name))
      if (missing.length > 0) {
        return yield* new RegistryError({
          reason: "UnknownConnector",
          name: p.name,
          detail: `the connector${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}, ` +
            `which ${missing.length > 1 ? "are" : "is"} not registered (known: ${[...connectors.keys()].join(", ")})`
        })
      }
    }
    return { connectors, pipelines, origins }
  })

/**
 * The registry of the built-in connectors and pipelines. `connectors` is the explicit record
 * (`{ file, edge, shopify }`); each key must be its connector's name.
 */
export const make = (spec: {
  readonly connectors: Readonly<Record<string, ConnectorShape>>
  readonly pipelines: ReadonlyArray<PipelineShape>
}): Effect.Effect<Registry, RegistryError> =>
  Effect.gen(function*() {
    for (const [key, c] of Object.entries(spec.connectors)) {
      if (key !== c.name) {
        return yield* new RegistryError({
          reason: "NameClash",
          name: key,
          detail: `the registry key "${key}" holds the connector named "${c.name}"`
        })
      }
    }
    const empty: Registry = { connectors: new Map(), pipelines: new Map(), origins: new Map() }
    return yield* register(empty, { connectors: Object.values(spec.connectors), pipelines: spec.pipelines }, builtIn)
  })

/** The plugin module paths named in the config file, relative to the config file's directory. */
export const PluginsSection = Schema.Array(Schema.String.pipe(Schema.nonEmptyString())).annotations({
  description: "a list of module paths (relative to the config file)"
})

const isShape = (tag: "Connector" | "Pipeline") => (u: unknown): boolean =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === tag &&
  typeof (u as { name?: unknown }).name === "string"

const PluginModule = Schema.Struct({
  connectors: Schema.optional(Schema.Array(
    Schema.declare((u): u is ConnectorShape => isShape("Connector")(u), {
      description: "a connector made with Connector.make"
    })
  )),
  pipelines: Schema.optional(Schema.Array(
    Schema.declare((u): u is PipelineShape => isShape("Pipeline")(u), {
      description: "a pipeline made with Pipeline.make"
    })
  ))
})

/** Imports one plugin module and checks its default export. */
export const importPlugin = (file: string): Effect.Effect<Plugin, RegistryError> =>
  Effect.gen(function*() {
    const module = yield* Effect.tryPromise({
      try: (): Promise<{ readonly default?: unknown }> => import(pathToFileURL(file).href),
      catch: (e) => new RegistryError({ reason: "InvalidPlugin", name: file, detail: e instanceof Error ? e.message : String(e) })
    })
    if (module.default === undefined) {
      return yield* new RegistryError({
        reason: "InvalidPlugin",
        name: file,
        detail: "the module has no default export (expected `export default Registry.plugin({ connectors, pipelines })`)"
      })
    }
    return yield* Schema.decodeUnknown(PluginModule)(module.default).pipe(
      Effect.mapError((e) =>
        new RegistryError({
          reason: "InvalidPlugin",
          name: file,
          detail: `its default export is not a plugin: ${Config.toConfigError("default", PluginModule, e.issue).message}`
        })
      )
    )
  })

/** Adds the connectors and pipelines of every module listed under `plugins` in the config file. */
export const loadPlugins = (
  registry: Registry
): Effect.Effect<Registry, RegistryError | ConfigError, Config.ConfigSource | Path.Path> =>
  Effect.gen(function*() {
    const modules = yield* Config.decodeSection("plugins", Schema.Union(PluginsSection, Schema.Undefined))
    const base = yield* Config.baseDirectory
    const paths = yield* Path.Path
    let current = registry
    for (const module of modules ?? []) {
      const file = paths.resolve(base, module)
      const loaded = yield* importPlugin(file)
      current = yield* register(current, loaded, { _tag: "Plugin", module })
    }
    return current
  })

export const pipeline = (registry: Registry, name: string): Effect.Effect<AnyPipeline, NotFound> =>
  Option.match(Option.fromNullable(registry.pipelines.get(name)), {
    onNone: () => Effect.fail(new NotFound({ kind: "pipeline", name, known: [...registry.pipelines.keys()] })),
    onSome: Effect.succeed
  })

export const connector = (registry: Registry, name: string): Effect.Effect<AnyConnector, NotFound> =>
  Option.match(Option.fromNullable(registry.connectors.get(name)), {
    onNone: () => Effect.fail(new NotFound({ kind: "connector", name, known: [...registry.connectors.keys()] })),
    onSome: Effect.succeed
  })

// ---------------------------------------------------------------------------------------------------
// The state store

/** The config file section `state`: where checkpoints, dead letters and run history live. */
export const StateSection = Schema.Struct({
  database: Schema.optionalWith(Schema.Redacted(Schema.String), {
    default: () => Redacted.make(defaultStateDatabase)
  }).annotations({ description: "sqlite:PATH (relative to the config file) or mysql://user:password@host:port/database" })
})
export type StateSection = typeof StateSection.Type

export const defaultStateDatabase = "sqlite:./.edgesync/state.db"

/** Environment variables that override the `state` section. */
export const stateEnvironment: Readonly<Record<string, string>> = { EDGESYNC_STATE_DATABASE: "database" }

/** Where a state database lives, parsed from `state.database`. */
export type StateDatabase =
  | { readonly _tag: "Sqlite"; readonly file: string }
  | { readonly _tag: "Mysql"; readonly url: Redacted.Redacted<string> }

export const parseStateDatabase: Effect.Effect<StateDatabase, ConfigError, Config.ConfigSource | Path.Path> = Effect
  .gen(function*() {
    const section = yield* Config.decodeSection("state", StateSection, stateEnvironment)
    const raw = Redacted.value(section.database).trim()
    if (raw.startsWith("sqlite:")) {
      const file = raw.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "")
      if (file === "") {
        return yield* new ConfigError({ reason: "Invalid", key: "state.database", value: JSON.stringify(raw), expected: "sqlite:PATH with a file path" })
      }
      const paths = yield* Path.Path
      return { _tag: "Sqlite", file: paths.resolve(yield* Config.baseDirectory, file) } as const
    }
    if (/^(mysql|mariadb):\/\//.test(raw)) {
      // Checked here, where a bad URL is a configuration error: the MySQL driver throws on one (a defect).
      let url: URL | undefined
      try {
        url = new URL(raw)
      } catch {
        url = undefined
      }
      if (url === undefined || url.hostname === "" || url.pathname.replace(/^\/+/, "") === "") {
        return yield* new ConfigError({
          reason: "Invalid",
          key: "state.database",
          value: "<redacted>",
          expected: "mysql://user:password@host:port/database: a URL with a host, a numeric port if any, and a database"
        })
      }
      return { _tag: "Mysql", url: Redacted.make(raw.replace(/^mariadb:/, "mysql:")) } as const
    }
    return yield* new ConfigError({
      reason: "Invalid",
      key: "state.database",
      value: "<redacted>",
      expected: "sqlite:PATH (relative to the config file) or mysql://user:password@host:port/database"
    })
  })

/** Describes a state database for people (the MySQL URL without its password). */
export const describeStateDatabase = (db: StateDatabase): string => {
  if (db._tag === "Sqlite") return `SQLite ${db.file}`
  try {
    const url = new URL(Redacted.value(db.url))
    return `MySQL ${url.hostname}${url.port === "" ? "" : `:${url.port}`}${url.pathname}`
  } catch {
    return "MySQL"
  }
}

const unavailable = (operation: string) => (e: unknown): StateStoreError =>
  new StateStoreError({
    reason: "Unavailable",
    operation,
    detail: e instanceof Error || (typeof e === "object" && e !== null && "message" in e)
      ? String((e as { message: unknown }).message)
      : String(e)
  })

// The SQLite file holds dead-lettered records (customer contact details): readable by its owner only.
const createPrivateFile = (file: string): Effect.Effect<void, StateStoreError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    if (yield* fs.exists(file)) return
    yield* fs.makeDirectory(paths.dirname(file), { recursive: true, mode: 0o700 })
    yield* Effect.scoped(fs.open(file, { flag: "a", mode: 0o600 }))
    yield* fs.chmod(file, 0o600)
  }).pipe(Effect.mapError(unavailable(`create ${file}`)))

/** A SqlClient on the state database (SQLite file created 0600 if missing, or a MySQL pool). */
export const stateSqlClient = (
  db: StateDatabase
): Layer.Layer<SqlClient.SqlClient, StateStoreError, FileSystem.FileSystem | Path.Path> => {
  // The drivers are imported when a state store is opened, so that commands that need none (`--help`,
  // `pipelines`) start without loading them.
  switch (db._tag) {
    case "Sqlite":
      return Layer.unwrapEffect(Effect.gen(function*() {
        yield* createPrivateFile(db.file)
        const { SqliteClient } = yield* Effect.promise(() => import("@effect/sql-sqlite-node"))
        return SqliteClient.layer({ filename: db.file }).pipe(Layer.mapError(unavailable(`open ${db.file}`)))
      }))
    case "Mysql":
      return Layer.unwrapEffect(Effect.map(
        Effect.promise(() => import("@effect/sql-mysql2")),
        ({ MysqlClient }) => MysqlClient.layer({ url: db.url }).pipe(Layer.mapError(unavailable("connect")))
      ))
  }
}

const migrated = <E, R>(layer: Layer.Layer<StateStore, E, R>): Layer.Layer<StateStore, E | StateStoreError, R> =>
  Layer.tap(layer, (context) => Context.get(context, StateStore).migrate)

/** The default state store from the `state` section, migrated. */
export const defaultStateStore: Layer.Layer<
  StateStore,
  ConfigError | StateStoreError,
  Config.ConfigSource | FileSystem.FileSystem | Path.Path
> = Layer.unwrapEffect(
  Effect.map(parseStateDatabase, (db) => migrated(Layer.provide(SqlStateStore.layer, stateSqlClient(db))))
)

/** A connector that keeps pipeline state in its own database, with the layer that opens that store. */
export interface StateOwner {
  readonly connector: AnyConnector
  readonly stateStore: Layer.Layer<StateStore, Classified, unknown>
}

const ownsState = (c: AnyConnector | undefined): ReadonlyArray<StateOwner> =>
  c === undefined || c.stateStore === undefined ? [] : [{ connector: c, stateStore: c.stateStore }]

/** The connector (if any) whose database keeps this pipeline's state: the first one offering `stateStore`. */
export const stateOwner = (registry: Registry, pipeline: AnyPipeline): Option.Option<StateOwner> =>
  Option.fromNullable(pipeline.connectors.flatMap((name) => ownsState(registry.connectors.get(name)))[0])

/** Where a pipeline's state lives, for `status` and `dead-letters` to group pipelines by store. */
export const stateLocation = (registry: Registry, pipeline: AnyPipeline): string =>
  Option.match(stateOwner(registry, pipeline), { onNone: () => "state", onSome: (owner) => owner.connector.name })

export type LayerError = ConfigError | StateStoreError | NotFound | Classified
export type LayerContext = Config.ConfigSource | FileSystem.FileSystem | Path.Path

const connectorLayer = (c: AnyConnector): Layer.Layer<unknown, ConfigError | Classified, Config.ConfigSource> =>
  Layer.unwrapEffect(Effect.map(Config.decodeConnector(c), (config) => c.layer(config)))

/**
 * Only the state store of a pipeline: its owning connector's layer and `stateStore` when it has one,
 * else the default store. Used by `status` and `dead-letters`, which need no other connector.
 */
export const stateStoreLayer = (
  registry: Registry,
  pipeline: AnyPipeline
): Layer.Layer<StateStore, LayerError, LayerContext> =>
  Option.match(stateOwner(registry, pipeline), {
    onNone: () => defaultStateStore,
    onSome: (owner) => migrated(Layer.provide(owner.stateStore, connectorLayer(owner.connector)))
  })

/**
 * Everything a run of `pipeline` needs: each of its connectors' layers (config decoded first, so a bad
 * value fails before anything runs) and the state store, migrated. Each connector layer is built once:
 * the state-owning connector's services serve both its stages and its `stateStore`.
 */
export const pipelineLayer = (
  registry: Registry,
  pipeline: AnyPipeline
): Layer.Layer<StateStore, LayerError, LayerContext> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const connectors = yield* Effect.forEach(pipeline.connectors, (name) => connector(registry, name))
    // Decode every config before building any layer: a typo in the last section fails as early as one in the first.
    const layers = yield* Effect.forEach(connectors, (c) =>
      Effect.map(Config.decodeConnector(c), (config) => ({ connector: c, layer: c.layer(config) })))
    const owner = layers.flatMap((l) => ownsState(l.connector).map((o) => ({ ...o, layer: l.layer })))[0]
    const state = owner === undefined
      ? defaultStateStore
      : migrated(Layer.provide(owner.stateStore, owner.layer))
    let all: Layer.Layer<StateStore, LayerError, LayerContext> = state
    for (const l of layers) all = Layer.merge(all, l.layer)
    return all
  }))

/**
 * Provides a pipeline's layers to an effect that needs the pipeline's services. The services' types
 * were erased with the pipeline (see AnyPipeline); `register` checked that every connector the
 * pipeline names exists, and each connector's layer provides what its own stages require.
 */
export const provide = (registry: Registry, pipeline: AnyPipeline) =>
<A, E>(effect: Effect.Effect<A, E, unknown>): Effect.Effect<A, E | LayerError, LayerContext> =>
  Effect.provide(effect as Effect.Effect<A, E, StateStore>, pipelineLayer(registry, pipeline))
