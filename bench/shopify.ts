// Benchmark: the Shopify connector against the emulator over real HTTP.
//
// 1. Upsert: 500 customers through `shopify.upsertCustomer` on the Standard plan (100 points/s, bucket
//    2000), in batches as the runner drives it. The ceiling the plan allows in the same run is
//    N / ((N × cost per mutation − initial bucket) / restore rate), with the cost per mutation the
//    emulator actually charged; target: >= 0.9 of it with zero THROTTLED responses.
// 2. Read: 50,000 orders through `shopify.orders` (paged, as an incremental run reads) on a fast plan
//    (enterprise, 2000 points/s): orders/s, and cost points/s against the plan's restore rate. The
//    emulator's own rendering of order pages dominates this figure.
// 3. The emulator alone: 100,000 orders in its store, in a process of its own (started with
//    --max-semi-space-size=64, see bench/support/MissionBench.ts); 60 pages of 250 orders
//    (the connector's own `orders(query:)` document, 10 line items each) fetched one after another.
//    Reported: the emulator process's CPU time per page (from /proc, so other work on a shared machine
//    does not count; target < 100 ms) and the median wall time per page.
import { Duration, Effect, Either, Logger, LogLevel, Option, Redacted, Stream } from "effect"
import * as ShopifyEmulator from "../connectors/shopify/emulator/ShopifyEmulator.js"
import { orders } from "../connectors/shopify/OrdersSource.js"
import * as ShopifyClient from "../connectors/shopify/ShopifyClient.js"
import { parseStore, type Plan, ShopifyConfig } from "../connectors/shopify/ShopifyConfig.js"
import { type CustomerUpsert, upsertCustomer } from "../connectors/shopify/UpsertCustomer.js"
import { OrdersUpdatedSince } from "../connectors/shopify/documents/OrderDocuments.js"
import { readFileSync } from "node:fs"
import { emulatorProcess } from "./support/MissionBench.js"

const CUSTOMERS = Number(process.argv[2] ?? 500)
const ORDERS = Number(process.argv[3] ?? 50_000)
const STORE_ORDERS = Number(process.argv[4] ?? 100_000)
const PAGES = 60
const BATCH = 50

interface BenchLine {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly ratio: number | null
  readonly target: string
  readonly met: boolean | null
}

const report = (line: BenchLine, human: string) =>
  Effect.sync(() => {
    console.log(human)
    console.log(`BENCH ${JSON.stringify(line)}`)
  })

const clientFor = (em: ShopifyEmulator.RunningEmulator, plan: Plan) =>
  ShopifyClient.layerIsolated(ShopifyConfig.make({
    store: Either.getOrThrow(parseStore(em.url)),
    apiVersion: "2026-07",
    accessToken: Redacted.make(em.token),
    requestTimeout: Duration.seconds(30),
    plan,
    maxRetries: 5
  }))

const context = { pipeline: "bench", runId: "bench", stage: "shopify", dryRun: false } as const

const upsertBench = Effect.scoped(Effect.gen(function*() {
  const em = yield* ShopifyEmulator.start({ plan: "standard", seed: 7 })
  const records: ReadonlyArray<CustomerUpsert> = Array.from({ length: CUSTOMERS }, (_, i) => ({
    key: `edge-${i}`,
    shopifyId: null,
    fields: {
      firstName: `Bench${i}`,
      lastName: "Customer",
      email: `bench.customer.${i}@example.com`,
      phone: `+1613${String(2_000_000 + i).padStart(7, "0")}`,
      address: { address1: `${i} King St W`, city: "Toronto", provinceCode: "ON", countryCode: "CA", zip: "M5H 1A1" }
    }
  }))
  const stage = upsertCustomer()
  const started = Date.now()
  yield* Effect.forEach(
    Array.from({ length: Math.ceil(records.length / BATCH) }, (_, b) => records.slice(b * BATCH, (b + 1) * BATCH)),
    (batch) => stage.apply(batch, context),
    { discard: true }
  ).pipe(Effect.provide(clientFor(em, "standard")))
  const seconds = (Date.now() - started) / 1000
  const counters = yield* em.control.counters
  const mutations = counters.operations["customerCreate"] ?? 0
  const costPerMutation = counters.costSpent / Math.max(1, counters.executed)
  const bucket = counters.throttleStatus.maximumAvailable
  const restore = counters.throttleStatus.restoreRate
  const minimumSeconds = Math.max(0, mutations * costPerMutation - bucket) / restore
  const achieved = mutations / seconds
  const ceiling = minimumSeconds > 0 ? mutations / minimumSeconds : Number.POSITIVE_INFINITY
  const ratio = Number.isFinite(ceiling) ? achieved / ceiling : 1
  yield* report(
    {
      name: "shopify.upsertCustomer mutations/s vs Standard plan ceiling",
      value: Math.round(achieved * 100) / 100,
      unit: "mutations/s",
      ratio: Math.round(ratio * 1000) / 1000,
      target: ">= 0.9 of the plan ceiling, 0 THROTTLED",
      met: ratio >= 0.9 && counters.throttled === 0
    },
    `upsertCustomer: ${mutations} customerCreate in ${seconds.toFixed(1)} s = ${achieved.toFixed(2)}/s; ` +
      `ceiling ${ceiling.toFixed(2)}/s (${costPerMutation.toFixed(1)} points each, bucket ${bucket}, ${restore}/s); ` +
      `ratio ${ratio.toFixed(3)}; THROTTLED ${counters.throttled}`
  )
  yield* report(
    { name: "shopify.upsertCustomer THROTTLED responses", value: counters.throttled, unit: "responses", ratio: null, target: "0", met: counters.throttled === 0 },
    `upsertCustomer THROTTLED responses: ${counters.throttled}`
  )
}))

const readBench = Effect.scoped(Effect.gen(function*() {
  const seeding = Date.now()
  const em = yield* ShopifyEmulator.start({ plan: "enterprise", seed: 11, seedCustomers: 2_000, seedOrders: ORDERS })
  console.log(`seeded ${ORDERS} orders in ${((Date.now() - seeding) / 1000).toFixed(1)} s`)
  yield* em.control.resetCounters
  const started = Date.now()
  // Paged reading is what this measures (a bulk backfill has no cost to compare with the restore rate).
  const source = orders({ backfillThreshold: Number.MAX_SAFE_INTEGER })
  const count = yield* Stream.runCount(source.read(Option.none(), { ...context, limit: Option.none() })).pipe(
    Effect.provide(clientFor(em, "enterprise"))
  )
  const seconds = (Date.now() - started) / 1000
  const counters = yield* em.control.counters
  const restore = counters.throttleStatus.restoreRate
  const pointsPerSecond = counters.costSpent / seconds
  yield* report(
    {
      name: "shopify.orders read",
      value: Math.round(count / seconds),
      unit: "orders/s",
      ratio: null,
      target: `${ORDERS} orders read, 0 THROTTLED`,
      met: count === ORDERS && counters.throttled === 0
    },
    `orders: ${count} orders in ${seconds.toFixed(1)} s = ${(count / seconds).toFixed(0)} orders/s, ` +
      `${counters.executed} requests, THROTTLED ${counters.throttled}`
  )
  yield* report(
    {
      name: "shopify.orders cost points/s vs restore rate",
      value: Math.round(pointsPerSecond),
      unit: "points/s",
      ratio: Math.round((pointsPerSecond / restore) * 1000) / 1000,
      target: `<= 1 (restore rate ${restore}/s on the enterprise plan)`,
      met: null
    },
    `orders: ${counters.costSpent} points spent (${counters.requestedCost} requested) = ${pointsPerSecond.toFixed(0)} points/s ` +
      `against a restore rate of ${restore}/s`
  )
}))

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ")
  // After "pid (comm) ", utime and stime are the 12th and 13th fields, in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const pageBench = Effect.scoped(Effect.gen(function*() {
  const emulator = yield* emulatorProcess({
    seed: 13,
    plan: { restoreRate: 1_000_000, maximumAvailable: 10_000_000 },
    seedCustomers: 5_000,
    seedOrders: STORE_ORDERS
  })
  console.log(`emulator process: ${STORE_ORDERS} orders seeded in ${emulator.seedSeconds.toFixed(1)} s`)
  const pid = emulator.child.pid!
  const page = (after: string | null) =>
    Effect.promise(async () => {
      const response = await fetch(`${emulator.url}/admin/api/2026-07/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": emulator.token },
        body: JSON.stringify({
          query: OrdersUpdatedSince.document,
          variables: { first: 250, lineItems: 10, after, query: "updated_at:>='2000-01-01T00:00:00Z'" }
        })
      })
      const body = await response.json() as { readonly data?: { readonly orders: { readonly nodes: ReadonlyArray<unknown>; readonly pageInfo: { readonly endCursor: string | null } } } }
      if (body.data === undefined) throw new Error(`page failed: ${JSON.stringify(body).slice(0, 500)}`)
      return body.data.orders
    })
  // One page first, so the emulator has built its sorted view and compiled its code paths.
  let after = (yield* page(null)).pageInfo.endCursor
  const walls: Array<number> = []
  const cpuBefore = cpuSeconds(pid)
  let nodes = 0
  for (let i = 0; i < PAGES; i++) {
    const started = performance.now()
    const orders = yield* page(after)
    walls.push(performance.now() - started)
    nodes += orders.nodes.length
    after = orders.pageInfo.endCursor
  }
  const cpuPerPage = ((cpuSeconds(pid) - cpuBefore) * 1000) / PAGES
  walls.sort((a, b) => a - b)
  const median = walls[Math.floor(walls.length / 2)]!
  yield* report(
    {
      name: `emulator CPU per 250-order page (${STORE_ORDERS} orders in the store)`,
      value: Math.round(cpuPerPage * 10) / 10,
      unit: "ms",
      ratio: null,
      target: "< 100 ms",
      met: cpuPerPage < 100 && nodes === PAGES * 250
    },
    `emulator pages: ${PAGES} pages of 250 orders (${nodes} orders) from a store of ${STORE_ORDERS}: ` +
      `${cpuPerPage.toFixed(1)} ms of emulator CPU per page, median wall ${median.toFixed(0)} ms, slowest ${walls[walls.length - 1]!.toFixed(0)} ms`
  )
  yield* report(
    { name: `emulator wall time per 250-order page, median (${STORE_ORDERS} orders)`, value: Math.round(median), unit: "ms", ratio: null, target: "reference (shared machine)", met: null },
    `emulator pages: median wall time ${median.toFixed(0)} ms`
  )
}))

Effect.runPromise(
  Effect.zipRight(Effect.zipRight(upsertBench, readBench), pageBench).pipe(Logger.withMinimumLogLevel(LogLevel.Error))
).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
