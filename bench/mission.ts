// Benchmark: `web-sales-to-edge` end to end, as the runner runs it, on a private MariaDB.
//
// Orders come from the Shopify emulator (in this process, on a fast plan) and are matched against Edge
// customers seeded on MariaDB (100,000 by default), contacts merged, made into web sales and written with
// their links and decisions. Reported:
// 1. orders/s for the largest run (20,000 orders), and the ratio against the Edge sink alone
//    (`edge.webSales`, batches of 500 with the checkpoint, as the runner drives it) writing the same
//    orders' sales into a fresh database: what matching, merging and the tax work cost on top of writing.
// 2. peak memory of each run: the pipeline process's peak RSS during the run above what it held before
//    the run started, which must stay flat as the order count grows (the ratio of the largest run's
//    growth to the smallest's). The emulator runs in a child process so that its store of orders is not
//    counted as the pipeline's memory.
//
// Arguments (optional): `--orders=5000,20000 --customers=100000`. The full memory figure is
// `--orders=20000,100000`: most orders of the emulator's store come from customers Edge does not know,
// and Edge creates customers one transaction at a time, so 100,000 orders take about ten minutes on an
// idle machine (far more under load), too close to what `npm run bench` allows one benchmark.
import { SqlClient } from "@effect/sql"
import { NodeContext } from "@effect/platform-node"
import { Chunk, Effect, Either, Layer, Logger, LogLevel, Option, Schema, Stream } from "effect"
import { fromUrl } from "../connectors/edge/EdgeConfig.js"
import { EdgeConnector, layer as edgeLayer } from "../connectors/edge/EdgeConnector.js"
import { migrate } from "../connectors/edge/EdgeMigrate.js"
import { seed } from "../connectors/edge/Seed.js"
import { webSales } from "../connectors/edge/WebSales.js"
import type * as ShopifyEmulator from "../connectors/shopify/emulator/ShopifyEmulator.js"
import { ordersSource } from "../connectors/shopify/OrdersSource.js"
import { ShopifyConfig } from "../connectors/shopify/ShopifyConfig.js"
import { ShopifyConnector } from "../connectors/shopify/ShopifyConnector.js"
import * as Config from "../core/Config.js"
import * as Registry from "../core/Registry.js"
import * as Runner from "../core/Runner.js"
import * as SqlStateStore from "../core/SqlStateStore.js"
import { emptyCounts } from "../core/StateStore.js"
import * as OrderToWebSale from "../pipelines/transforms/OrderToWebSale.js"
import { webSalesToEdge } from "../pipelines/webSalesToEdge.js"
import { startPrivateMariaDb } from "../test/support/PrivateMariaDb.js"
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const ORDER_COUNTS = arg("orders", "5000,20000").split(",").map(Number).sort((a, b) => a - b)
const CUSTOMERS = Number(arg("customers", "100000"))
const SHOP_CUSTOMERS = 5_000
const BATCH = 500

const bench = (name: string, value: number, unit: string, ratio: number | null, target: string, met: boolean | null) => {
  console.log(`BENCH ${JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000, target, met })}`)
}

const createDatabase = (serverUrl: string, name: string) =>
  Effect.promise(async () => {
    const mysql = await import("mysql2/promise")
    const url = new URL(serverUrl)
    const connection = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || "root"),
      password: decodeURIComponent(url.password)
    })
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    await connection.end()
    return `${serverUrl}/${name}`
  })

/** An emulator in a child process (so its memory is its own); stopped with the scope. */
const emulatorProcess = (options: ShopifyEmulator.StartOptions) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly token: string; readonly child: ChildProcess }, Error>((resume) => {
      const module = pathToFileURL(join(process.cwd(), "connectors/shopify/emulator/ShopifyEmulator.ts")).href
      const script = `import { Effect } from "effect"
import * as ShopifyEmulator from ${JSON.stringify(module)}
Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const em = yield* ShopifyEmulator.start(${JSON.stringify(options)})
  console.log(JSON.stringify({ url: em.url, token: em.token }))
  yield* Effect.never
})))`
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] })
      let buffer = ""
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString()
        const line = buffer.split("\n").find((l) => l.startsWith("{"))
        if (line !== undefined) {
          const started = JSON.parse(line) as { readonly url: string; readonly token: string }
          resume(Effect.succeed({ ...started, child }))
        }
      })
      child.on("exit", (code) => resume(Effect.fail(new Error(`the emulator process exited (${code})`))))
    }),
    ({ child }) => Effect.sync(() => void child.kill())
  )

/** Samples the process's RSS while `effect` runs; its peak. */
const peakRss = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    let peak = process.memoryUsage().rss
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 25)
    const result = yield* Effect.ensuring(effect, Effect.sync(() => clearInterval(timer)))
    return { result, peak: Math.max(peak, process.memoryUsage().rss) }
  })

const mb = (bytes: number) => bytes / 1024 / 1024

const scenario = (serverUrl: string, orders: number, index: number, withSinkOnly: boolean) =>
  Effect.scoped(Effect.gen(function*() {
    const url = yield* createDatabase(serverUrl, `bench_mission_${index}_${Date.now()}`)
    const edgeConfig = yield* fromUrl(url, { changeSettleMillis: 0 })
    const seeded = yield* Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(edgeLayer(edgeConfig))
      return yield* Effect.provide(Effect.zipRight(migrate, seed({ seed: 3, customers: CUSTOMERS, sales: 10_000, webUploadShare: 0 })), context)
    }))
    const emulator = yield* emulatorProcess({
      seed: 5 + index,
      plan: { restoreRate: 1_000_000, maximumAvailable: 10_000_000 },
      seedCustomers: SHOP_CUSTOMERS,
      seedOrders: orders
    })
    console.log(`  ${orders} orders in the emulator, ${seeded.customers} Edge customers on MariaDB`)
    const registry = yield* Registry.make({ connectors: { edge: EdgeConnector, shopify: ShopifyConnector }, pipelines: [webSalesToEdge] })
    const file = {
      edge: { database: url, changeSettleMillis: 0 },
      shopify: { store: emulator.url, accessToken: emulator.token, plan: "enterprise" }
    }
    global.gc?.()
    const before = process.memoryUsage().rss
    const started = performance.now()
    const { peak, result } = yield* peakRss(
      Registry.provide(registry, webSalesToEdge as unknown as Registry.AnyPipeline)(
        Runner.run(webSalesToEdge, { rawOptions: {}, dryRun: false, limit: Option.none(), batchSize: BATCH })
      ).pipe(Effect.provide(Config.layerFromObject(file)))
    )
    const seconds = (performance.now() - started) / 1000
    console.log(`  run: read ${result.counts.read}, written ${result.counts.written}, dead-lettered ${result.counts.deadLettered} in ${seconds.toFixed(1)} s`)
    const sink = withSinkOnly ? Option.some(yield* sinkOnly(serverUrl, emulator)) : Option.none()
    return { orders: result.counts.read, seconds, peakMb: mb(peak), growthMb: mb(peak - before), sink }
  }))

/** The same orders' web sales written by `edge.webSales` alone into a fresh database, batches of 500. */
const sinkOnly = (serverUrl: string, emulator: { readonly url: string; readonly token: string }) =>
  Effect.scoped(Effect.gen(function*() {
    const shopifyConfig = yield* Schema.decodeUnknown(ShopifyConfig)({ store: emulator.url, accessToken: emulator.token, plan: "enterprise" })
    const ctx = { pipeline: "bench", runId: "bench", stage: "shopify.orders", dryRun: false, limit: Option.none() }
    const reading = performance.now()
    const orders = yield* Stream.runCollect(ordersSource.read(Option.none(), ctx)).pipe(Effect.provide(ShopifyConnector.layer(shopifyConfig)))
    console.log(`  shopify.orders alone: ${orders.length} orders read in ${((performance.now() - reading) / 1000).toFixed(1)} s`)
    const sales = Chunk.toReadonlyArray(orders).flatMap(({ record }) =>
      Either.match(OrderToWebSale.toWebSale(record), {
        onLeft: () => [],
        onRight: (draft) => [OrderToWebSale.toRecord(draft, null, 98, false)]
      })
    )
    const url = yield* createDatabase(serverUrl, `bench_sink_${Date.now()}`)
    const context = yield* Layer.build(edgeLayer(yield* fromUrl(url, { changeSettleMillis: 0 })))
    yield* Effect.provide(Effect.zipRight(migrate, seed({ seed: 3, customers: 0, sales: 0, webUploadShare: 0 })), context)
    const state = yield* Effect.provide(Effect.flatMap(SqlClient.SqlClient, (sql) => SqlStateStore.make.pipe(Effect.provideService(SqlClient.SqlClient, sql))), context)
    const started = performance.now()
    for (let i = 0; i < sales.length; i += BATCH) {
      const batch = sales.slice(i, i + BATCH)
      yield* Effect.provide(webSales.write(batch, {
        ...ctx,
        stage: "edge.webSales",
        commit: () =>
          state.commitBatch({ pipeline: "bench", runId: "bench", cursor: Option.some(String(i)), deadLetters: [], replayed: [], counts: emptyCounts })
      }), context)
    }
    return { sales: sales.length, seconds: (performance.now() - started) / 1000 }
  }))

const main = Effect.gen(function*() {
  const server = yield* Effect.promise(() => startPrivateMariaDb())
  yield* Effect.addFinalizer(() => Effect.promise(() => server.stop()))
  let index = 0
  const growth: Array<number> = []
  for (const orders of ORDER_COUNTS) {
    console.log(`web-sales-to-edge, ${orders} orders against ${CUSTOMERS} Edge customers:`)
    const run = yield* scenario(server.url, orders, index, index === ORDER_COUNTS.length - 1)
    index++
    growth.push(run.growthMb)
    const rate = run.orders / run.seconds
    if (Option.isSome(run.sink)) {
      const sink = run.sink.value
      const sinkRate = sink.sales / sink.seconds
      console.log(`  edge.webSales alone: ${sink.sales} sales in ${sink.seconds.toFixed(1)} s (${sinkRate.toFixed(0)}/s)`)
      bench(`web-sales-to-edge orders/s (${orders} orders, ${CUSTOMERS} Edge customers) vs edge.webSales alone`, rate, "orders/s", rate / sinkRate, "ratio reported (cost of matching, merging, tax)", null)
    }
    console.log(`  peak RSS ${run.peakMb.toFixed(0)} MB, grew ${run.growthMb.toFixed(0)} MB during the run`)
    bench(`web-sales-to-edge peak memory growth at ${orders} orders`, run.growthMb, "MB", null, "flat as orders grow", null)
  }
  if (growth.length > 1) {
    const flat = growth[growth.length - 1]! / Math.max(1, growth[0]!)
    bench(
      `web-sales-to-edge memory growth ${ORDER_COUNTS[ORDER_COUNTS.length - 1]} vs ${ORDER_COUNTS[0]} orders`,
      flat,
      "ratio",
      flat,
      "<= 1.5 (flat as the order count grows)",
      flat <= 1.5
    )
  }
})

Effect.runPromise(
  Effect.scoped(main).pipe(
    Effect.provide(NodeContext.layer),
    Logger.withMinimumLogLevel(LogLevel.Warning)
  )
).catch((error) => {
  console.error(error)
  process.exit(1)
})
