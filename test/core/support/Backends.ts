// The state store backends every runner and state-store test runs on: SQLite in a temp file, MariaDB in
// a fresh database on the private test server. Each `Effect.provide` of a layer builds a new, empty one.
import { SqlClient } from "@effect/sql"
import { MysqlClient } from "@effect/sql-mysql2"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlStateStore from "../../../core/SqlStateStore.js"
import type { StateStore } from "../../../core/StateStore.js"
import { freshDatabase } from "../../support/MariaDb.js"

export interface Backend {
  readonly name: string
  readonly client: Layer.Layer<SqlClient.SqlClient, unknown>
  readonly layer: Layer.Layer<SqlClient.SqlClient | StateStore, unknown>
}

export const tempDirectory = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "edgesync-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const sqliteClient: Layer.Layer<SqlClient.SqlClient, unknown> = Layer.unwrapScoped(
  Effect.map(tempDirectory, (dir) => SqliteClient.layer({ filename: join(dir, "state.db") }))
)

const mariadbClient: Layer.Layer<SqlClient.SqlClient, unknown> = Layer.unwrapScoped(
  Effect.map(freshDatabase("core"), (url) => MysqlClient.layer({ url: Redacted.make(url), maxConnections: 8 }))
)

const withStore = (client: Layer.Layer<SqlClient.SqlClient, unknown>) => SqlStateStore.layer.pipe(Layer.provideMerge(client))

export const sqlite: Backend = { name: "SQLite", client: sqliteClient, layer: withStore(sqliteClient) }
export const mariadb: Backend = { name: "MariaDB", client: mariadbClient, layer: withStore(mariadbClient) }

export const backends: ReadonlyArray<Backend> = [sqlite, mariadb]
