import { Effect, Layer, Logger, LogLevel } from "effect"
import { fromUrl } from "./connectors/edge/EdgeConfig.js"
import { layer } from "./connectors/edge/EdgeConnector.js"
import { EdgeDb } from "./connectors/edge/EdgeDb.js"
import { migrate } from "./connectors/edge/EdgeMigrate.js"
import { seed } from "./connectors/edge/Seed.js"
import * as MatchKeyIndex from "./connectors/edge/MatchKeyIndex.js"
import * as MatchKeyStatements from "./connectors/edge/sql/MatchKeyStatements.js"
import { startPrivateMariaDb } from "./test/support/PrivateMariaDb.js"
const server = await startPrivateMariaDb()
const mysql = await import("mysql2/promise")
const u = new URL(server.url)
const c = await mysql.createConnection({ host: u.hostname, port: Number(u.port), user: "root" })
await c.query("CREATE DATABASE x CHARACTER SET utf8mb4")
await c.end()
const url = process.argv[2] === "sqlite" ? "sqlite:/tmp/edgescratch/x.db" : `${server.url}/x`
const t = (label: string) => <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.tap(Effect.timed(e), ([d]) => Effect.sync(() => console.log(label, d.toString()))).pipe(Effect.map(([, a]) => a))
await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const config = yield* fromUrl(url, { changeSettleMillis: 0 })
  const ctx = yield* Layer.build(layer(config))
  yield* Effect.provide(migrate, ctx)
  yield* Effect.provide(seed({ customers: 100000, sales: 100000, reset: true }).pipe(t("seed")), ctx)
  const db = Effect.runSync(Effect.provide(EdgeDb, ctx))
  let rows: any[] = []
  let after = 0
  yield* t("read all")(Effect.gen(function*() { for (;;) { const p = yield* MatchKeyStatements.sourcePage(db, after, 5000); if (p.length === 0) break; rows.push(...p); after = p[p.length-1]!.customer_id } }))
  const keys = yield* t("derive")(Effect.sync(() => rows.flatMap((r) => MatchKeyIndex.keysOf(r, "US"))))
  console.log(keys.length)
  yield* t("insert")(db.transaction("x", Effect.gen(function*() { yield* MatchKeyStatements.deleteAll(db); yield* MatchKeyStatements.insertKeys(db, keys) })))
  yield* t("rebuild")(MatchKeyIndex.rebuild(db, "US"))
}).pipe(Effect.orDie, Logger.withMinimumLogLevel(LogLevel.Warning))))
await server.stop()
