// Test helper: a fresh, empty MariaDB database per test file (or per test), dropped afterwards.
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { inject } from "vitest"

/** The private server's base URL, `mysql://root@127.0.0.1:PORT` (no database). */
export const serverUrl = (): string => inject("mariadbUrl")

const adminConnection = Effect.acquireRelease(
  Effect.promise(async () => {
    const mysql = await import("mysql2/promise")
    const url = new URL(serverUrl())
    return mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || "root"),
      password: decodeURIComponent(url.password)
    })
  }),
  (connection) => Effect.promise(() => connection.end())
)

/**
 * Creates a database with a unique name and yields its URL; the database is dropped when the scope
 * closes. Use with `it.scoped` or `Layer.scoped`.
 */
export const freshDatabase = (prefix = "t"): Effect.Effect<string, never, import("effect").Scope.Scope> =>
  Effect.gen(function*() {
    const name = `${prefix}_${randomBytes(6).toString("hex")}`
    yield* Effect.acquireRelease(
      Effect.scoped(Effect.flatMap(adminConnection, (c) => Effect.promise(() => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)))),
      () => Effect.scoped(Effect.flatMap(adminConnection, (c) => Effect.promise(() => c.query(`DROP DATABASE IF EXISTS \`${name}\``))))
    )
    return `${serverUrl()}/${name}`
  })
