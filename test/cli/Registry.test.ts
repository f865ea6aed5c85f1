// The registry: explicit built-ins, plugins loaded from the config file, clear errors on clashes, and
// the layers a run gets (connector layers built once, the state store where the pipeline's connectors
// say, migrated).
import { NodeContext } from "@effect/platform-node"
import { describe, it } from "@effect/vitest"
import { Context, Effect, Either, Layer, Option, Ref, Schema, Stream } from "effect"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { assert } from "vitest"
import { FileConnector } from "../../connectors/file/FileConnector.js"
import * as Config from "../../core/Config.js"
import * as Connector from "../../core/Connector.js"
import * as MemoryStateStore from "../../core/MemoryStateStore.js"
import * as Pipeline from "../../core/Pipeline.js"
import * as Registry from "../../core/Registry.js"
import * as Stage from "../../core/Stage.js"
import { StateStore, type StateStoreService } from "../../core/StateStore.js"
import { fileCsvToJsonl } from "../../pipelines/fileCsvToJsonl.js"
import { freshDatabase } from "../support/MariaDb.js"

const pluginPath = path.resolve(import.meta.dirname, "../plugin/greeter.ts")

const tempDir = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-registry-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

/** A config source as if read from `dir/edgesync.config.json`. */
const configIn = (dir: string, file: Record<string, unknown>) =>
  Layer.merge(Config.layerFromObject(file, {}, Option.some(path.join(dir, "edgesync.config.json"))), NodeContext.layer)

const builtIns = Registry.make({ connectors: { file: FileConnector }, pipelines: [fileCsvToJsonl] })

const noStages = (name: string) =>
  Connector.make({ name, description: `the ${name} connector`, config: Schema.Struct({}), layer: () => Layer.empty, stages: [] })

const nothing = Stage.source({
  name: "nothing",
  description: "no records",
  record: Schema.String,
  cursor: Schema.Number,
  key: (s: string) => s,
  read: () => Stream.empty
})
const drain = Stage.sink({ name: "drain", description: "drops", write: (batch: ReadonlyArray<string>) => Effect.succeed(batch.map(() => Stage.written("dropped"))) })
const pipelineOn = (name: string, connectors: ReadonlyArray<string>) =>
  Pipeline.make({
    name,
    description: "a test pipeline",
    options: Schema.Struct({}),
    connectors,
    build: () => Pipeline.from(nothing).pipe(Pipeline.to(drain))
  })

const registryError = <A>(result: Either.Either<A, unknown>): Registry.RegistryError => {
  if (Either.isRight(result) || !(result.left instanceof Registry.RegistryError)) throw new Error(`expected a RegistryError, got ${String(result)}`)
  return result.left
}

describe("Registry", () => {
  it.effect("refuses a key that is not its connector's name, duplicate pipelines and unknown connectors", () =>
    Effect.gen(function*() {
      const key = registryError(yield* Effect.either(Registry.make({ connectors: { files: FileConnector }, pipelines: [] })))
      assert.include(key.message, "the registry key \"files\" holds the connector named \"file\"")
      const twice = registryError(yield* Effect.either(Registry.make({ connectors: { file: FileConnector }, pipelines: [fileCsvToJsonl, fileCsvToJsonl] })))
      assert.strictEqual(twice.reason, "NameClash")
      assert.include(twice.message, "file-csv-to-jsonl")
      const unknown = registryError(yield* Effect.either(Registry.make({ connectors: {}, pipelines: [fileCsvToJsonl] })))
      assert.strictEqual(unknown.message, "Pipeline \"file-csv-to-jsonl\" needs the connector \"file\", which is not registered (known: )")
    }))

  it.scoped("loads the plugins the config file names, relative to the config file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const relative = path.relative(dir, pluginPath)
      const registry = yield* Registry.loadPlugins(yield* builtIns).pipe(Effect.provide(configIn(dir, { plugins: [relative] })))
      assert.deepStrictEqual([...registry.connectors.keys()], ["file", "greeter"])
      assert.deepStrictEqual([...registry.pipelines.keys()], ["file-csv-to-jsonl", "greet-people"])
      assert.deepStrictEqual(registry.origins.get("pipeline:greet-people"), { _tag: "Plugin", module: relative })
      const found = yield* Registry.pipeline(registry, "greet-people")
      assert.deepStrictEqual(found.connectors, ["file", "greeter"])
      const missing = yield* Effect.flip(Registry.pipeline(registry, "greet-everyone"))
      assert.strictEqual(missing.message, "No pipeline named \"greet-everyone\". Known: file-csv-to-jsonl, greet-people.")
    }))

  it.scoped("a plugin that redefines a name is a clear error naming both definitions", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const withGreeter = yield* Registry.make({ connectors: { file: FileConnector, greeter: noStages("greeter") }, pipelines: [] })
      const clash = registryError(
        yield* Effect.either(Registry.loadPlugins(withGreeter).pipe(Effect.provide(configIn(dir, { plugins: [pluginPath] }))))
      )
      assert.strictEqual(clash.message, `Two definitions of "greeter": the connector "greeter" is defined built in and again plugin ${pluginPath}. Rename one of them.`)
    }))

  it.scoped("a module that is missing or exports no plugin is refused with the reason", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      yield* Effect.promise(() => fs.writeFile(path.join(dir, "none.mjs"), "export const x = 1\n"))
      yield* Effect.promise(() => fs.writeFile(path.join(dir, "bad.mjs"), "export default { pipelines: [42] }\n"))
      const load = (plugins: ReadonlyArray<string>) =>
        Effect.either(Effect.flatMap(builtIns, Registry.loadPlugins).pipe(Effect.provide(configIn(dir, { plugins }))))
      assert.include(registryError(yield* load(["none.mjs"])).message, "has no default export")
      assert.include(registryError(yield* load(["bad.mjs"])).message, "a pipeline made with Pipeline.make")
      assert.include(registryError(yield* load(["absent.mjs"])).message, `Cannot use plugin ${path.join(dir, "absent.mjs")}`)
      const notList = yield* Effect.either(Effect.flatMap(builtIns, Registry.loadPlugins).pipe(Effect.provide(configIn(dir, { plugins: "x.mjs" }))))
      assert.isTrue(Either.isLeft(notList))
      if (Either.isLeft(notList)) assert.include(notList.left.message, "Invalid configuration \"plugins\"")
    }))

  it.scoped("builds each connector layer once and keeps state in the first connector that offers a store", () =>
    Effect.gen(function*() {
      const builds = yield* Ref.make(0)
      class Vault extends Context.Tag("test/Vault")<Vault, { readonly store: StateStoreService }>() {}
      const vault = Connector.make({
        name: "vault",
        description: "keeps its own state",
        config: Schema.Struct({}),
        layer: () => Layer.effect(Vault, Effect.zipRight(Ref.update(builds, (n) => n + 1), Effect.map(MemoryStateStore.make, (store) => ({ store })))),
        stateStore: Layer.effect(StateStore, Effect.map(Vault, (v) => v.store)),
        stages: []
      })
      const pipeline = pipelineOn("vaulted", ["vault"])
      const registry = yield* Registry.make({ connectors: { vault }, pipelines: [pipeline] })
      const dir = yield* tempDir
      const registered = yield* Registry.pipeline(registry, "vaulted")
      const same = yield* Registry.provide(registry, registered)(
        Effect.zipWith(StateStore, Vault, (store, v) => store === v.store)
      ).pipe(Effect.provide(configIn(dir, {})))
      assert.isTrue(same)
      assert.strictEqual(yield* Ref.get(builds), 1)
      assert.strictEqual(Registry.stateLocation(registry, registered), "vault")
    }))

  it.scoped("without such a connector, the default state store is a private SQLite file beside the config", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const registry = yield* builtIns
      const checkpoints = yield* Registry.provide(registry, yield* Registry.pipeline(registry, "file-csv-to-jsonl"))(
        Effect.flatMap(StateStore, (store) => store.checkpoints)
      ).pipe(Effect.provide(configIn(dir, {})))
      assert.deepStrictEqual(checkpoints, [])
      const stat = yield* Effect.promise(() => fs.stat(path.join(dir, ".edgesync", "state.db")))
      assert.strictEqual(stat.mode & 0o777, 0o600)
    }))

  it.scoped("a state database that is not SQLite or MySQL fails before anything runs, its value redacted", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const registry = yield* builtIns
      const error = yield* Effect.flip(Registry.provide(registry, yield* Registry.pipeline(registry, "file-csv-to-jsonl"))(Effect.void).pipe(
        Effect.provide(configIn(dir, { state: { database: "postgres://admin:hunter2@db/state" } }))
      ))
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.message, "state.database")
      assert.include(error.message, "<redacted>")
      assert.notInclude(error.message, "hunter2")
    }))

  it.scoped("a MySQL state database (MariaDB) is migrated and used", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase("registry")
      const dir = yield* tempDir
      const registry = yield* builtIns
      const state = { state: { database: url } }
      const pipeline = yield* Registry.pipeline(registry, "file-csv-to-jsonl")
      yield* Registry.provide(registry, pipeline)(
        Effect.flatMap(StateStore, (store) =>
          store.startRun({ runId: "r1", pipeline: "file-csv-to-jsonl", startedAt: new Date(), dryRun: false }))
      ).pipe(Effect.provide(configIn(dir, state)))
      const runs = yield* Effect.provide(
        Effect.flatMap(StateStore, (store) => store.runs({ pipeline: "file-csv-to-jsonl", limit: 5 })),
        Registry.stateStoreLayer(registry, pipeline)
      ).pipe(Effect.provide(configIn(dir, state)))
      assert.deepStrictEqual(runs.map((r) => r.runId), ["r1"])
      assert.isFalse(yield* Effect.promise(() => fs.access(path.join(dir, ".edgesync")).then(() => true, () => false)))
    }))
})
