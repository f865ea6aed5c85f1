import { BigDecimal, Effect, Layer, Logger, LogLevel, Option } from "effect"
import { fromUrl } from "./connectors/edge/EdgeConfig.js"
import { layer } from "./connectors/edge/EdgeConnector.js"
import { EdgeDb } from "./connectors/edge/EdgeDb.js"
import { migrate } from "./connectors/edge/EdgeMigrate.js"
import { seed } from "./connectors/edge/Seed.js"
import { writeBatch } from "./connectors/edge/WebSales.js"
import { startPrivateMariaDb } from "./test/support/PrivateMariaDb.js"
const server = await startPrivateMariaDb()
const mysql = await import("mysql2/promise")
const u = new URL(server.url)
const c = await mysql.createConnection({ host: u.hostname, port: Number(u.port), user: "root" })
await c.query("CREATE DATABASE x CHARACTER SET utf8mb4")
await c.end()
const money = (cents: number) => BigDecimal.make(BigInt(cents), 2)
const sales = Array.from({ length: 20000 }, (_, i) => ({
  shopify_order_id: `gid://shopify/Order/${i}`, sale_no: `#${i}`, store_no: 98, customer_id: 1, sale_date: new Date(), status: "paid" as const, currency: "USD",
  subtotal: money(1000), discount: money(0), shipping: money(100), tax: money(50), total: money(1150), tax_stripped: false, shopify_updated_at: new Date(),
  lines: [0,1,2].map(() => ({ sku: "A", description: "d", quantity: 1, unit_price: money(333), discount: money(0), tax: money(10), extended: money(333) })),
  tenders: [{ tender: "x", amount: money(1150) }], taxes: [{ title: "t", rate: BigDecimal.unsafeFromString("0.0825"), amount: money(50) }]
}))
const totals = new Map<string, number>()
await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const config = yield* fromUrl(`${server.url}/x`, { changeSettleMillis: 0 })
  const ctx = yield* Layer.build(layer(config))
  yield* Effect.provide(migrate, ctx)
  yield* Effect.provide(seed({ customers: 0, sales: 0, items: 0 }), ctx)
  const db = yield* Effect.provide(EdgeDb, ctx)
  const timedDb = { ...db, use: <A, R>(op: string, eff: Effect.Effect<A, any, R>) => { const t = performance.now(); return db.use(op, eff).pipe(Effect.tap(() => Effect.sync(() => totals.set(op, (totals.get(op) ?? 0) + performance.now() - t)))) } }
  const t0 = performance.now()
  for (let s = 0; s < sales.length; s += 1000) {
    const t = performance.now()
    yield* db.transaction("w", writeBatch(timedDb as any, sales.slice(s, s + 1000)))
    totals.set("batch total", (totals.get("batch total") ?? 0) + performance.now() - t)
  }
  console.log("all", (performance.now() - t0).toFixed(0))
}).pipe(Effect.orDie, Logger.withMinimumLogLevel(LogLevel.Warning))))
console.log([...totals].map(([k, v]) => `${k}: ${v.toFixed(0)} ms`).join("\n"))
await server.stop()
