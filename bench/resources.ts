// Benchmark (issue 6 §6, resource bounds): no file-descriptor or connection leak across scheduled
// cycles. The real CLI, `edgesync run all --every 1s`, runs as a child process against the Shopify
// emulator (a child process of its own) and a private MariaDB for 100 cycles; a new order arrives in
// Shopify every fifth cycle, so the cycles do work. Its open file descriptors (/proc/PID/fd) and its
// MariaDB connections (processlist rows of the user only it connects as) are sampled after cycle 10 and
// after cycle 100, and the most of each seen while cycles 1-10 and 91-100 ran (sampled every 100 ms);
// the later figures must not exceed the earlier ones by more than a small slack.
// The other resource bound, memory flat from 20,000 to 200,000 orders, is measured in bench/mission.ts.
//
// Arguments (optional): `--cycles=100`.
import { Effect, Fiber } from "effect"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import { tmpdir } from "node:os"
import * as Path from "node:path"
import { startPrivateMariaDb } from "../test/support/PrivateMariaDb.js"
import { adminQuery, bench, edgeDatabase, emulatorProcess, root, runBenchMain } from "./support/MissionBench.js"

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const CYCLES = Number(arg("cycles", "100"))
/** Descriptors and connections a process may open later for good reasons (a lazily made pool member). */
const FD_SLACK = 8
const CONNECTION_SLACK = 2

const fdCount = (pid: number): number => Fs.readdirSync(`/proc/${pid}/fd`).length
const rssMb = (pid: number): number => {
  const line = Fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))
  return line === undefined ? 0 : Math.round(Number(line.replace(/\D/g, "")) / 1024)
}

/** 100 cycles of `edgesync run all --every 1s`; descriptors and connections at cycle 10 and the last. */
const cycles = (serverUrl: string) =>
  Effect.scoped(Effect.gen(function*() {
    const user = "edgesync_bench"
    const password = "bench-pw-1"
    const edge = yield* edgeDatabase(serverUrl, `bench_cycles_${Date.now()}`, 2_000)
    const database = edge.url.slice(edge.url.lastIndexOf("/") + 1)
    yield* Effect.promise(async () => {
      await adminQuery(serverUrl, `CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}'`)
      await adminQuery(serverUrl, `CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY '${password}'`)
      await adminQuery(serverUrl, `GRANT ALL ON \`${database}\`.* TO '${user}'@'%'`)
      await adminQuery(serverUrl, `GRANT ALL ON \`${database}\`.* TO '${user}'@'localhost'`)
    })
    const emulator = yield* emulatorProcess({
      seed: 21,
      plan: { restoreRate: 1_000_000, maximumAvailable: 10_000_000 },
      seedCustomers: 200,
      seedOrders: 500
    })
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => Fs.mkdtempSync(Path.join(tmpdir(), "edgesync-bench-cycles-"))),
      (d) => Effect.sync(() => Fs.rmSync(d, { recursive: true, force: true }))
    )
    const server = new URL(serverUrl)
    Fs.writeFileSync(Path.join(dir, "edgesync.config.json"), JSON.stringify({
      edge: { database: `mysql://${user}@${server.hostname}:${server.port}/${database}`, password, changeSettleMillis: 0 },
      shopify: { store: emulator.url, accessToken: emulator.token, plan: "enterprise" }
    }, null, 2))
    const connections = () =>
      Effect.promise(() =>
        adminQuery<Array<{ readonly n: number }>>(serverUrl, `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = '${user}'`)
      ).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))
    let placed = 0
    /** A new web order through orderCreate (updated now, so the next cycle imports it). */
    const addOrder = () =>
      Effect.promise(async () => {
        placed++
        const query = `mutation { orderCreate(order: { currency: USD, email: "cycle.buyer${placed}@example.com", ` +
          `lineItems: [{ title: "14K Gold Hoops", sku: "HP-${placed}", quantity: 1, priceSet: { shopMoney: { amount: "249.00", currencyCode: USD } } }], ` +
          `transactions: [{ kind: SALE, status: SUCCESS, gateway: "manual", amountSet: { shopMoney: { amount: "249.00", currencyCode: USD } } }] }) ` +
          `{ order { id } userErrors { message } } }`
        const response = await fetch(`${emulator.url}/admin/api/2026-07/graphql.json`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": emulator.token },
          body: JSON.stringify({ query })
        })
        const body = await response.json() as { readonly data?: { readonly orderCreate?: { readonly userErrors: ReadonlyArray<unknown> } } }
        if ((body.data?.orderCreate?.userErrors.length ?? 1) > 0) throw new Error(`orderCreate failed: ${JSON.stringify(body)}`)
      })

    // The children get a clean environment: nothing of the developer's EDGESYNC_* or connector settings.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_)/.test(key)))
    const started = performance.now()
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(process.execPath, [Path.join(root, "bin/edgesync.js"), "--log-level", "warning", "run", "all", "--every", "1s"], {
          cwd: dir,
          env,
          stdio: ["ignore", "pipe", "pipe"]
        })
      ),
      (c) =>
        Effect.async<void>((resume) => {
          if (c.exitCode !== null || c.signalCode !== null) return resume(Effect.void)
          c.once("exit", () => resume(Effect.void))
          c.kill("SIGTERM")
        })
    )
    const pid = child.pid!
    let stderr = ""
    let stderrLines = 0
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString()
      stderrLines += text.split("\n").filter((l) => l.trim() !== "").length
      stderr = (stderr + text).slice(-2000)
    })
    // Each finished cycle prints "Next run of all at …".
    let count = 0
    let carry = ""
    let exited: number | null | undefined
    let wake: (() => void) | undefined
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (carry + chunk.toString()).split("\n")
      carry = lines.pop() ?? ""
      count += lines.filter((line) => line.includes("Next run of")).length
      wake?.()
    })
    child.on("exit", (code) => {
      exited = code
      wake?.()
    })
    const reached = (n: number) =>
      Effect.async<void, Error>((resume) => {
        const check = () => {
          if (count >= n) resume(Effect.void)
          else if (exited !== undefined) resume(Effect.fail(new Error(`edgesync run all exited (${exited}) after ${count} cycles: ${stderr}`)))
          else return false
          wake = undefined
          return true
        }
        if (!check()) wake = () => void check()
      })
    // Between the samples at cycle boundaries, the most seen while the cycles run (every 100 ms).
    const busiest = { fds: 0, connections: 0 }
    const poller = yield* Effect.forkScoped(Effect.forever(Effect.gen(function*() {
      if (exited === undefined) {
        busiest.fds = Math.max(busiest.fds, fdCount(pid))
        busiest.connections = Math.max(busiest.connections, yield* connections())
      }
      yield* Effect.sleep("100 millis")
    })).pipe(Effect.catchAllDefect(() => Effect.void)))
    const samples: Array<{
      readonly cycle: number
      readonly fds: number
      readonly connections: number
      readonly rss: number
      readonly busiestFds: number
      readonly busiestConnections: number
    }> = []
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      if (cycle === CYCLES - 9) Object.assign(busiest, { fds: 0, connections: 0 })
      yield* reached(cycle)
      if (cycle % 5 === 0) yield* addOrder()
      if (cycle === 10 || cycle === CYCLES) {
        const sample = { cycle, fds: fdCount(pid), connections: yield* connections(), rss: rssMb(pid), busiestFds: busiest.fds, busiestConnections: busiest.connections }
        samples.push(sample)
        console.log(
          `  after cycle ${cycle}: ${sample.fds} open file descriptors, ${sample.connections} MariaDB connections, RSS ${sample.rss} MB ` +
            `(most during cycles ${cycle - 9}-${cycle}: ${sample.busiestFds} descriptors, ${sample.busiestConnections} connections)`
        )
      }
    }
    yield* Fiber.interrupt(poller)
    const seconds = (performance.now() - started) / 1000
    const imported = yield* Effect.promise(() =>
      adminQuery<Array<{ readonly n: number }>>(serverUrl, `SELECT COUNT(*) AS n FROM \`${database}\`.sales WHERE shopify_order_id IS NOT NULL`)
    )
    return { samples, seconds, stderrLines, stderrTail: stderr, webSales: Number(imported[0]?.n ?? 0) }
  }))

const main = Effect.gen(function*() {
  const server = yield* Effect.promise(() => startPrivateMariaDb())
  yield* Effect.addFinalizer(() => Effect.promise(() => server.stop()))
  console.log(`edgesync run all --every 1s, ${CYCLES} cycles against the emulator and MariaDB:`)
  const { samples, seconds, stderrLines, stderrTail, webSales } = yield* cycles(server.url)
  const first = samples[0]!
  const last = samples[samples.length - 1]!
  console.log(`  ${CYCLES} cycles in ${seconds.toFixed(0)} s; ${webSales} web sales imported in all (500 seeded orders, then one new order every fifth cycle); ${stderrLines} warning/error line(s) logged`)
  if (stderrLines > 0) console.log(`  last of them: ${stderrTail.trim().split("\n").slice(-3).join(" | ")}`)
  const fdMet = last.fds <= first.fds + FD_SLACK
  const connMet = last.connections <= first.connections + CONNECTION_SLACK
  bench(`run all: open file descriptors at cycle ${last.cycle} vs cycle ${first.cycle}`, last.fds, "fds", last.fds / first.fds, `<= ${first.fds} + ${FD_SLACK} (no leak)`, fdMet)
  bench(`run all: MariaDB connections at cycle ${last.cycle} vs cycle ${first.cycle}`, last.connections, "connections", first.connections === 0 ? null : last.connections / first.connections, `<= ${first.connections} + ${CONNECTION_SLACK} (no leak)`, connMet)
  const busyFdMet = last.busiestFds <= first.busiestFds + FD_SLACK
  const busyConnMet = last.busiestConnections <= first.busiestConnections + CONNECTION_SLACK
  bench(`run all: most file descriptors during cycles ${last.cycle - 9}-${last.cycle} vs 1-10`, last.busiestFds, "fds", last.busiestFds / Math.max(1, first.busiestFds), `<= ${first.busiestFds} + ${FD_SLACK}`, busyFdMet)
  bench(`run all: most MariaDB connections during cycles ${last.cycle - 9}-${last.cycle} vs 1-10`, last.busiestConnections, "connections", first.busiestConnections === 0 ? null : last.busiestConnections / first.busiestConnections, `<= ${first.busiestConnections} + ${CONNECTION_SLACK}`, busyConnMet)
  bench(`run all: RSS at cycle ${last.cycle} vs cycle ${first.cycle}`, last.rss, "MB", last.rss / first.rss, "reference", null)
})

runBenchMain(main)
