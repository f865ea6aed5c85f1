import { it } from "@effect/vitest"
import { Effect } from "effect"
import { assert } from "vitest"
import { freshDatabase } from "./MariaDb.js"

it.scoped("the private MariaDB server accepts connections and gives each test its own database", () =>
  Effect.gen(function*() {
    const url = yield* freshDatabase()
    const mysql = yield* Effect.promise(() => import("mysql2/promise"))
    const parsed = new URL(url)
    const connection = yield* Effect.promise(() =>
      mysql.createConnection({ host: parsed.hostname, port: Number(parsed.port), user: "root", database: parsed.pathname.slice(1) })
    )
    const [rows] = yield* Effect.promise(() => connection.query("SELECT DATABASE() AS db, VERSION() AS version"))
    yield* Effect.promise(() => connection.end())
    const row = (rows as Array<{ db: string; version: string }>)[0]
    assert.strictEqual(row?.db, parsed.pathname.slice(1))
    assert.match(row?.version ?? "", /MariaDB/)
  }))
