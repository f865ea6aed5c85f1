// One `web-sales-to-edge` run, as the runner runs it, in a process that does nothing else: started by
// bench/support/MissionBench.ts `runPipeline` with `{database, store, token, batchSize}` as its argument;
// prints `RESULT {...}` (counts, seconds, peak RSS and heap during the run, the process's max RSS).
import { NodeContext } from "@effect/platform-node"
import { Effect, Logger, LogLevel, Option } from "effect"
import { EdgeConnector } from "../../connectors/edge/EdgeConnector.js"
import { ShopifyConnector } from "../../connectors/shopify/ShopifyConnector.js"
import * as Config from "../../core/Config.js"
import * as Registry from "../../core/Registry.js"
import * as Runner from "../../core/Runner.js"
import { webSalesToEdge } from "../../pipelines/webSalesToEdge.js"

const config = JSON.parse(process.argv[2] ?? "{}") as { readonly database: string; readonly store: string; readonly token: string; readonly batchSize: number }
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

const main = Effect.gen(function*() {
  const registry = yield* Registry.make({ connectors: { edge: EdgeConnector, shopify: ShopifyConnector }, pipelines: [webSalesToEdge] })
  const file = {
    edge: { database: config.database, changeSettleMillis: 0 },
    shopify: { store: config.store, accessToken: config.token, plan: "enterprise" }
  }
  global.gc?.()
  const baseline = process.memoryUsage()
  let peakRss = baseline.rss
  let peakHeap = baseline.heapUsed
  let peakLive = baseline.heapUsed
  const timer = setInterval(() => {
    const now = process.memoryUsage()
    peakRss = Math.max(peakRss, now.rss)
    peakHeap = Math.max(peakHeap, now.heapUsed)
  }, 25)
  // What the run actually holds: the heap right after a full collection, every 2 s (V8 lets garbage pile
  // up before collecting, so the sampled heap above also measures how lazy the collector was).
  const live = setInterval(() => {
    global.gc?.()
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed)
  }, 2000)
  const started = performance.now()
  const summary = yield* Registry.provide(registry, webSalesToEdge as unknown as Registry.AnyPipeline)(
    Runner.run(webSalesToEdge, { rawOptions: {}, dryRun: false, limit: Option.none(), batchSize: config.batchSize })
  ).pipe(Effect.provide(Config.layerFromObject(file)), Effect.ensuring(Effect.sync(() => {
    clearInterval(timer)
    clearInterval(live)
  })))
  const seconds = (performance.now() - started) / 1000
  console.log(`RESULT ${JSON.stringify({
    read: summary.counts.read,
    written: summary.counts.written,
    deadLettered: summary.counts.deadLettered,
    seconds,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
    peakLiveHeapMb: mb(peakLive),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    baselineRssMb: mb(baseline.rss)
  })}`)
})

Effect.runPromise(main.pipe(Effect.provide(NodeContext.layer), Logger.withMinimumLogLevel(LogLevel.Warning))).catch((error) => {
  console.error(error)
  process.exit(1)
})
