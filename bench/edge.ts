// Benchmark: the Edge connector on a private MariaDB.
//
// 1. Web sales: 20,000 sales (3 lines, 1 tender, 1 tax each) through `edge.webSales` in batches, each
//    batch one transaction with the core state store's checkpoint, as the runner drives it; and exactly
//    the same rows (the sink's own column values) inserted with plain mysql2 multi-row INSERTs in one
//    transaction: the floor. Reports both rates and their ratio (target >= 0.5).
// 2. Customer lookups: 20,000 incoming email/phone pairs (emails with stray case and spaces, phones in
//    other formats, and misses) against 100,000 seeded Edge customers, in batches of 1,000: records/s.
//    The seed of those customers and the one-off build of the match-key index are reported separately.
//
// Arguments (all optional): sales, batch size, customers, lookups. The machine is shared, so each
// variant runs five times, alternating, into fresh databases, and the best time of each is kept.
import { SqlClient } from "@effect/sql"
import { BigDecimal, Effect, Either, Layer, Logger, LogLevel, Option } from "effect"
import * as SqlStateStore from "../core/SqlStateStore.js"
import type * as Stage from "../core/Stage.js"
import { emptyCounts } from "../core/StateStore.js"
import { CustomerLookup, type LookupQuery } from "../connectors/edge/CustomerLookup.js"
import { fromUrl } from "../connectors/edge/EdgeConfig.js"
import { type EdgeServices, layer } from "../connectors/edge/EdgeConnector.js"
import { EdgeDb } from "../connectors/edge/EdgeDb.js"
import { migrate } from "../connectors/edge/EdgeMigrate.js"
import { seed } from "../connectors/edge/Seed.js"
import * as SeedData from "../connectors/edge/SeedData.js"
import type { WebSale } from "../connectors/edge/WebSale.js"
import { prepare, webSales } from "../connectors/edge/WebSales.js"
import { startPrivateMariaDb } from "../test/support/PrivateMariaDb.js"

const SALES = Number(process.argv[2] ?? 20_000)
const BATCH = Number(process.argv[3] ?? 1_000)
const CUSTOMERS = Number(process.argv[4] ?? 100_000)
const LOOKUPS = Number(process.argv[5] ?? 20_000)
const LOOKUP_BATCH = 1_000
const ROUNDS = 5

const money = (cents: number) => BigDecimal.make(BigInt(cents), 2)

/** Deterministic web sales: 3 lines, 1 tender, 1 tax each. */
const makeSale = (i: number): WebSale => {
  const lines = [0, 1, 2].map((n) => {
    const unit = 1_999 + ((i * 7 + n * 13) % 50_000)
    const quantity = 1 + ((i + n) % 2)
    const extended = unit * quantity
    return {
      sku: n === 2 ? null : `RG-${10_001 + ((i + n) % 200)}`,
      description: `14K Gold Diamond Ring ${n}`,
      quantity,
      unit_price: money(unit),
      discount: money(0),
      tax: money(Math.floor((extended * 825 + 5_000) / 10_000)),
      extended: money(extended)
    }
  })
  const subtotal = lines.reduce((s, l) => s + Number(l.extended.value), 0)
  const tax = lines.reduce((s, l) => s + Number(l.tax.value), 0)
  const shipping = 995
  const total = subtotal + tax + shipping
  return {
    shopify_order_id: `gid://shopify/Order/${5_000_000 + i}`,
    sale_no: `#${1_001 + i}`,
    store_no: SeedData.webStoreNo,
    customer_id: 1 + (i % 5_000),
    sale_date: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    status: "paid",
    currency: "USD",
    subtotal: money(subtotal),
    discount: money(0),
    shipping: money(shipping),
    tax: money(tax),
    total: money(total),
    tax_stripped: false,
    shopify_updated_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + 5_000),
    lines,
    tenders: [{ tender: "shopify_payments", amount: money(total) }],
    taxes: [{ title: "State tax 8.25%", rate: BigDecimal.unsafeFromString("0.0825"), amount: money(tax) }]
  }
}

const adminQuery = async (serverUrl: string, statement: string) => {
  const mysql = await import("mysql2/promise")
  const url = new URL(serverUrl)
  const connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port), user: "root" })
  await connection.query(statement)
  await connection.end()
}

const withEdgeAt = <A, E>(url: string, effect: Effect.Effect<A, E, EdgeServices>) =>
  Effect.scoped(Effect.gen(function*() {
    const config = yield* fromUrl(url, { changeSettleMillis: 0, poolSize: 4 })
    const context = yield* Layer.build(layer(config))
    yield* Effect.provide(migrate, context)
    return yield* Effect.provide(effect, context)
  }))

/** The sink as the runner drives it: a transaction per batch, the checkpoint committed inside it. */
const runSink = (sales: ReadonlyArray<WebSale>) =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    const store = yield* SqlStateStore.make.pipe(Effect.provideService(SqlClient.SqlClient, db.sql))
    yield* store.startRun({ runId: "bench", pipeline: "bench-web-sales", startedAt: new Date(), dryRun: false })
    const started = performance.now()
    let written = 0
    for (let start = 0; start < sales.length; start += BATCH) {
      const batch = sales.slice(start, start + BATCH)
      const outcomes = yield* webSales.write(batch, {
        pipeline: "bench-web-sales",
        runId: "bench",
        stage: "edge.webSales",
        dryRun: false,
        commit: (o: ReadonlyArray<Stage.SinkOutcome>) =>
          store.commitBatch({
            pipeline: "bench-web-sales",
            runId: "bench",
            cursor: Option.some(JSON.stringify(start + batch.length)),
            deadLetters: [],
            replayed: [],
            counts: { ...emptyCounts, read: start + o.length, written: start + o.length }
          })
      })
      written += outcomes.filter((o) => o._tag === "Written").length
    }
    return { seconds: (performance.now() - started) / 1000, written }
  })

/** The floor: the same column values, plain mysql2 multi-row INSERTs, one transaction. */
const runFloor = async (serverUrl: string, database: string, sales: ReadonlyArray<WebSale>) => {
  const prepared = sales.map((sale) => Either.getOrThrow(prepare(sale)))
  const importedAt = "2026-01-01 00:00:00.000"
  const mysql = await import("mysql2/promise")
  const url = new URL(serverUrl)
  const connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port), user: "root", database })
  const started = performance.now()
  await connection.beginTransaction()
  for (let start = 0; start < prepared.length; start += BATCH) {
    const chunk = prepared.slice(start, start + BATCH)
    const headers = chunk.map((p, i) => {
      const h = p.header
      return [start + i + 1, h.store_no, h.sale_no, h.customer_id, h.sale_date, h.kind, h.status, h.currency, h.subtotal, h.discount,
        h.shipping, h.tax, h.total, h.tax_stripped, h.shopify_order_id, h.shopify_updated_at, importedAt]
    })
    await connection.query(
      "INSERT INTO sales (sale_id, store_no, sale_no, customer_id, sale_date, kind, status, currency, subtotal, discount, shipping, tax, total, tax_stripped, shopify_order_id, shopify_updated_at, imported_at) VALUES ?",
      [headers]
    )
    const lines = chunk.flatMap((p, i) => p.lines.map((l) => [start + i + 1, l.line_no, l.sku, l.description, l.quantity, l.unit_price, l.discount, l.tax, l.extended]))
    await connection.query("INSERT INTO sale_lines (sale_id, line_no, sku, description, quantity, unit_price, discount, tax, extended) VALUES ?", [lines])
    const tenders = chunk.flatMap((p, i) => p.tenders.map((t) => [start + i + 1, t.seq, t.tender, t.amount]))
    await connection.query("INSERT INTO sale_tenders (sale_id, seq, tender, amount) VALUES ?", [tenders])
    const taxes = chunk.flatMap((p, i) => p.taxes.map((t) => [start + i + 1, t.seq, t.title, t.rate, t.amount]))
    await connection.query("INSERT INTO sale_taxes (sale_id, seq, title, rate, amount) VALUES ?", [taxes])
  }
  await connection.commit()
  const seconds = (performance.now() - started) / 1000
  await connection.end()
  return seconds
}

/** Incoming contacts: 40% an existing email retyped, 30% an existing phone reformatted, 30% unknown. */
const lookupQueries = (customers: ReadonlyArray<{ readonly email: string | null; readonly phone: string | null }>): ReadonlyArray<LookupQuery> => {
  const next = SeedData.random(4242)
  return Array.from({ length: LOOKUPS }, (_, i) => {
    const roll = next()
    const customer = customers[Math.floor(next() * customers.length)]!
    if (roll < 0.4 && customer.email !== null) return { email: `  ${customer.email.trim().toUpperCase()} `, phone: null }
    if (roll < 0.7 && customer.phone !== null) {
      return { email: `nobody${i}@example.org`, phone: customer.phone.replace(/\D/g, "").replace(/^(\d{3})(\d{3})(\d{4})$/, "+1 ($1) $2-$3") }
    }
    return { email: `stranger${i}@example.net`, phone: `+1 917 ${String(1_000_000 + i).slice(1, 4)} ${String(1_000_000 + i).slice(3, 7)}` }
  })
}

const runLookups = Effect.gen(function*() {
  const seedStarted = performance.now()
  const seeded = yield* seed({ customers: CUSTOMERS, sales: 0, items: 10 })
  const seedSeconds = (performance.now() - seedStarted) / 1000
  const db = yield* EdgeDb
  const rows = yield* db.use(
    "bench.sample",
    db.sql<{ readonly email: string | null; readonly phone_cell: string | null }>`SELECT email, phone_cell FROM customers ORDER BY customer_id`
  )
  const queries = lookupQueries(rows.map((r) => ({ email: r.email, phone: r.phone_cell })))
  const lookup = yield* CustomerLookup
  const buildStarted = performance.now()
  yield* lookup.refreshIndex("US")
  const buildSeconds = (performance.now() - buildStarted) / 1000
  const started = performance.now()
  let matched = 0
  for (let start = 0; start < queries.length; start += LOOKUP_BATCH) {
    const results = yield* lookup.lookup(queries.slice(start, start + LOOKUP_BATCH), { defaultCountry: "US" })
    matched += results.filter((r) => r.candidates.length > 0).length
  }
  return { seconds: (performance.now() - started) / 1000, buildSeconds, seedSeconds, matched, customers: seeded.customers }
})

const bench = (name: string, value: number, unit: string, ratio: number | null, target: string, met: boolean | null) =>
  console.log(`BENCH ${JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, ratio, target, met })}`)

const main = async () => {
  const server = await startPrivateMariaDb()
  try {
    const lookupDb = "bench_edge_lookup"
    const fresh = async (name: string) => {
      await adminQuery(server.url, `DROP DATABASE IF EXISTS ${name}`)
      await adminQuery(server.url, `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    }
    const sales = Array.from({ length: SALES }, (_, i) => makeSale(i))
    const quiet = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.orDie(effect).pipe(Logger.withMinimumLogLevel(LogLevel.Warning)))

    // Alternating rounds into fresh databases, best of each: the shared test machine is noisy.
    let floorSeconds = Infinity
    let sinkSeconds = Infinity
    let written = 0
    for (let round = 0; round < ROUNDS; round++) {
      const floorDb = `bench_edge_floor_${round}`
      const sinkDb = `bench_edge_sink_${round}`
      await fresh(floorDb)
      await fresh(sinkDb)
      // The same tables in both; the web store must exist for the sink.
      await quiet(withEdgeAt(`${server.url}/${floorDb}`, Effect.void))
      await quiet(withEdgeAt(`${server.url}/${sinkDb}`, seed({ customers: 0, sales: 0, items: 0 })))
      floorSeconds = Math.min(floorSeconds, await runFloor(server.url, floorDb, sales))
      const sink = await quiet(withEdgeAt(`${server.url}/${sinkDb}`, runSink(sales)))
      sinkSeconds = Math.min(sinkSeconds, sink.seconds)
      written = sink.written
      await adminQuery(server.url, `DROP DATABASE ${floorDb}`)
      await adminQuery(server.url, `DROP DATABASE ${sinkDb}`)
    }
    const floorRate = SALES / floorSeconds
    const sinkRate = SALES / sinkSeconds
    const ratio = Math.round((sinkRate / floorRate) * 100) / 100
    console.log(`edge.webSales: ${SALES} web sales (3 lines, 1 tender, 1 tax), batches of ${BATCH}, MariaDB, best of ${ROUNDS}`)
    console.log(`  plain mysql2 INSERTs, one transaction : ${Math.round(floorRate)} sales/s (${floorSeconds.toFixed(2)} s)`)
    console.log(`  edge.webSales + checkpoint per batch  : ${Math.round(sinkRate)} sales/s (${sinkSeconds.toFixed(2)} s, ${written} written)`)
    console.log(`  ratio                                 : ${ratio} (target >= 0.5: ${ratio >= 0.5 ? "met" : "NOT met"})`)
    bench("edge.webSales floor (plain mysql2)", floorRate, "sales/s", null, "reference", null)
    bench("edge.webSales", sinkRate, "sales/s", ratio, "ratio >= 0.5 of plain mysql2 INSERTs", ratio >= 0.5)

    await fresh(lookupDb)
    const lookups = await quiet(withEdgeAt(`${server.url}/${lookupDb}`, runLookups))
    const lookupRate = LOOKUPS / lookups.seconds
    console.log(`CustomerLookup: ${LOOKUPS} email/phone pairs against ${lookups.customers} customers, batches of ${LOOKUP_BATCH}`)
    console.log(`  seed of the customers (edge seed)     : ${lookups.seedSeconds.toFixed(2)} s`)
    console.log(`  match-key index build (once)          : ${lookups.buildSeconds.toFixed(2)} s`)
    console.log(`  lookups                               : ${Math.round(lookupRate)} records/s (${lookups.seconds.toFixed(2)} s, ${lookups.matched} matched)`)
    bench(`edge seed (${lookups.customers} customers)`, lookups.seedSeconds, "s", null, "reference", null)
    bench(`edge lookup index build (${lookups.customers} customers)`, lookups.buildSeconds, "s", null, "reference", null)
    bench("edge customer lookups", lookupRate, "records/s", null, "reference", null)
  } finally {
    await server.stop()
  }
}

await main()
