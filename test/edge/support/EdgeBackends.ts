// The two databases every Edge test runs on: a fresh MariaDB database on the private test server, and a
// SQLite file in a temp directory. `withEdge` builds the Edge connector's layer on one of them (migrated)
// inside the test's scope.
import { Effect, Layer, type Context, type Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fromUrl, type EdgeConfigEncoded } from "../../../connectors/edge/EdgeConfig.js"
import { type EdgeServices, layer } from "../../../connectors/edge/EdgeConnector.js"
import { migrate } from "../../../connectors/edge/EdgeMigrate.js"
import { freshDatabase } from "../../support/MariaDb.js"

export interface Backend {
  readonly name: "mariadb" | "sqlite"
  /** A URL of an empty database, dropped when the scope closes. */
  readonly url: Effect.Effect<string, never, Scope.Scope>
}

/** A temp directory removed with the scope. */
export const tempDir: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "edgesync-edge-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

export const mariadb: Backend = { name: "mariadb", url: freshDatabase("edge") }
export const sqlite: Backend = { name: "sqlite", url: Effect.map(tempDir, (dir) => `sqlite:${join(dir, "edge.db")}`) }

export const backends: ReadonlyArray<Backend> = [mariadb, sqlite]

/** The Edge services on a fresh, migrated database of `backend`; edits are read at once (no settle time). */
export const edgeContext = (
  backend: Backend,
  section: Omit<EdgeConfigEncoded, "database"> = {}
): Effect.Effect<Context.Context<EdgeServices>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const url = yield* backend.url
    const config = yield* fromUrl(url, { changeSettleMillis: 0, ...section })
    const context = yield* Layer.build(layer(config))
    yield* Effect.provide(migrate, context)
    return context
  }).pipe(Effect.orDie)

/** The Edge services on a fresh, migrated database of `backend`, for `layer(...)` shared by a file's tests. */
export const edgeLayer = (
  backend: Backend,
  section: Omit<EdgeConfigEncoded, "database"> = {}
): Layer.Layer<EdgeServices> => Layer.unwrapScoped(Effect.map(edgeContext(backend, section), Layer.succeedContext))

/** Runs `effect` with the Edge services of a fresh database of `backend`. */
export const withEdge = <A, E>(
  backend: Backend,
  effect: Effect.Effect<A, E, EdgeServices>,
  section: Omit<EdgeConfigEncoded, "database"> = {}
): Effect.Effect<A, E, Scope.Scope> => Effect.flatMap(edgeContext(backend, section), (context) => Effect.provide(effect, context))
