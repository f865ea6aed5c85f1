// Issue 6 §4, over the real CLI: two `edgesync run` of one pipeline at once, `run all --every`
// overlapping manual runs, and locks left by killed, live and silent holders.
//
// Overlap is made certain, not hoped for: the test holds `LOCK TABLES sales WRITE` on its own
// connection, so a run of web-sales-to-edge that has taken the pipeline's lock stalls at its first
// read or write of the sales table and keeps holding the pipeline lock (its heartbeat runs on another
// connection) until the test unlocks. The test waits for the lock row naming that process before it
// starts the competing one, and checks afterwards that the holder was still running when the competitor
// was refused or started waiting. Nothing sleeps for a guessed time.
import { describe, it } from "@effect/vitest"
import { Effect, HashMap, Ref } from "effect"
import { hostname } from "node:os"
import { assert } from "vitest"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { freshDatabase } from "../../support/MariaDb.js"
import { adminClient, createOrder } from "../../mission/support/ShopifyStore.js"
import * as Cli from "../support/CliChild.js"

const slow = 180_000

interface LockRow {
  readonly pipeline: string
  readonly host: string
  readonly pid: number
  readonly run_id: string
}

const setup = (orders: number) =>
  Effect.gen(function*() {
    const url = yield* freshDatabase("conc")
    yield* Cli.prepareEdge(url)
    const emulator = yield* ShopifyEmulator.start({ seed: 11, seedCustomers: 8, seedOrders: orders }).pipe(Effect.orDie)
    const dir = yield* Cli.workDir
    yield* Cli.writeConfig(dir, {
      edge: { database: url, changeSettleMillis: 0 },
      shopify: { store: emulator.url, accessToken: emulator.token, maxRetries: 2 },
      run: { batchSize: 10, batchWindow: "20ms" }
    })
    const db = yield* Cli.connection(url)
    // A second connection that only ever holds the table lock (LOCK TABLES confines its session to the locked tables).
    const blocker = yield* Cli.connection(url)
    const lockSales = Cli.query(blocker, "LOCK TABLES sales WRITE").pipe(Effect.asVoid)
    const unlockSales = Cli.query(blocker, "UNLOCK TABLES").pipe(Effect.asVoid)
    const lockRow = (pipeline: string) =>
      Effect.map(Cli.query<LockRow>(db, "SELECT pipeline, host, pid, run_id FROM edgesync_locks WHERE pipeline = ?", [pipeline]), (rows) => rows[0])
    const heldBy = (pipeline: string, child: Cli.Child) =>
      Cli.until(
        Effect.map(lockRow(pipeline), (row) => row !== undefined && row.pid === child.process.pid),
        () => `the lock of ${pipeline} held by pid ${child.process.pid}; it printed ${JSON.stringify(child.output())}`
      )
    const shopifyOrders = Effect.map(Ref.get(emulator.state.data), (data) => HashMap.size(data.orders))
    /** Web sales in Edge: how many rows, and how many distinct Shopify orders they come from. */
    const edgeSales = Effect.map(
      Cli.query<{ readonly n: number; readonly orders: number }>(
        db,
        "SELECT COUNT(*) AS n, COUNT(DISTINCT shopify_order_id) AS orders FROM sales WHERE kind = 'web' AND store_no = 98"
      ),
      (rows) => ({ rows: Number(rows[0]!.n), orders: Number(rows[0]!.orders) })
    )
    const expectExactlyOnce = Effect.gen(function*() {
      const expected = yield* shopifyOrders
      const sales = yield* edgeSales
      assert.strictEqual(sales.rows, expected, "one Edge web sale per Shopify order, no more, no fewer")
      assert.strictEqual(sales.orders, expected, "no Shopify order imported twice")
      const orphans = yield* Cli.query<{ readonly n: number }>(
        db,
        "SELECT (SELECT COUNT(*) FROM sale_lines WHERE sale_id NOT IN (SELECT sale_id FROM sales)) + " +
          "(SELECT COUNT(*) FROM sale_tenders WHERE sale_id NOT IN (SELECT sale_id FROM sales)) AS n"
      )
      assert.strictEqual(Number(orphans[0]!.n), 0, "no orphan sale lines or tenders")
    })
    return { url, emulator, dir, db, lockSales, unlockSales, lockRow, heldBy, shopifyOrders, edgeSales, expectExactlyOnce }
  })

const refusedBy = (result: Cli.Result, pipeline: string, holder: Cli.Child) => {
  assert.strictEqual(result.code, 1, Cli.describeResult("the overlapping run", result))
  const text = result.stderr
  assert.include(text, `Pipeline "${pipeline}" is already running (lock held by ${hostname()} pid ${holder.process.pid} (run `, text)
  assert.include(text, "pass --wait to queue behind it", text)
}

const stillRunning = (child: Cli.Child, what: string) =>
  assert.isNull(child.process.exitCode, `${what} had already exited, so nothing overlapped`)

describe.concurrent("two runs of one pipeline at once (real CLI)", () => {
  it.scopedLive("the second refuses naming the holder, a --wait one queues behind it; every order lands once", () =>
    Effect.gen(function*() {
      const t = yield* setup(30)
      yield* t.lockSales
      const first = yield* Cli.start(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge"])
      yield* t.heldBy("web-sales-to-edge", first)

      const waiter = yield* Cli.start(t.dir, ["--log-level", "info", "run", "web-sales-to-edge", "--wait"])
      const refused = yield* Cli.run(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge"])
      yield* Cli.untilOutput(waiter, /Waiting for it to be released/)
      stillRunning(first, "the first run")
      refusedBy(refused, "web-sales-to-edge", first)
      assert.include(waiter.output().stderr, `lock held by ${hostname()} pid ${first.process.pid}`)

      yield* t.unlockSales
      const [one, queued] = yield* Effect.all([first.done, waiter.done], { concurrency: 2 })
      assert.strictEqual(one.code, 0, Cli.describeResult("first run", one))
      assert.include(one.stdout, "read 30, written 30")
      assert.strictEqual(queued.code, 0, Cli.describeResult("queued run", queued))
      assert.include(queued.stdout, "read 0, written 0", "the queued run starts from the first one's checkpoint")
      yield* t.expectExactlyOnce
      assert.isUndefined(yield* t.lockRow("web-sales-to-edge"), "both released the lock")
      const runs = yield* Cli.query<{ readonly outcome: string; readonly n: number }>(
        t.db,
        "SELECT outcome, COUNT(*) AS n FROM edgesync_runs WHERE pipeline = 'web-sales-to-edge' GROUP BY outcome"
      )
      assert.deepStrictEqual(runs.map((r) => [r.outcome, Number(r.n)]), [["succeeded", 2]], "the refused run left no run record")
    }), slow)

  it.scopedLive("run all --every overlapping manual runs: overlapping ones refuse or wait, the schedules go on, nothing doubled", () =>
    Effect.gen(function*() {
      const t = yield* setup(20)
      // A manual run holds web-sales-to-edge when two schedules start: one refuses it each cycle, one waits.
      yield* t.lockSales
      const manual = yield* Cli.start(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge"])
      yield* t.heldBy("web-sales-to-edge", manual)
      const refusing = yield* Cli.start(t.dir, ["--log-level", "warning", "run", "all", "--every", "2s"])
      const waiting = yield* Cli.start(t.dir, ["--log-level", "info", "run", "all", "--every", "2s", "--wait"])
      yield* Cli.untilOutput(refusing, /edgesync: web-sales-to-edge: Pipeline "web-sales-to-edge" is already running/)
      yield* Cli.untilOutput(refusing, /Next run of all at/)
      yield* Cli.untilOutput(waiting, /Waiting for it to be released/)
      stillRunning(manual, "the manual run")
      assert.include(refusing.output().stderr, `lock held by ${hostname()} pid ${manual.process.pid}`)
      // web-sales-to-edge is refused; customers-to-shopify may be too, when the waiting schedule's
      // cycle holds it at that moment (both schedules start with it).
      assert.match(refusing.output().stderr, /[12] of 3 pipelines of "all" failed/)

      yield* t.unlockSales
      const manualResult = yield* manual.done
      assert.strictEqual(manualResult.code, 0, Cli.describeResult("manual run", manualResult))
      assert.include(manualResult.stdout, "read 20, written 20")

      // The waiting schedule ran web-sales-to-edge once the manual run let go, from its checkpoint.
      yield* Cli.untilOutput(waiting, /web-sales-to-edge run \S+: succeeded/)
      assert.match(waiting.output().stdout, /web-sales-to-edge run \S+: succeeded in [\d.]+s\n  read 0, written 0/)

      // New orders arrive while both schedules and further manual runs compete for the lock.
      const admin = adminClient(t.emulator)
      for (let i = 0; i < 5; i++) {
        yield* createOrder(admin, {
          email: `late-${i}@example.com`,
          lines: [{ sku: `LATE-${i}`, title: `Late ring ${i}`, quantity: 1, price: "120.00" }],
          paid: { gateway: "shopify_payments", amount: "120.00" }
        })
      }
      const manualAgain = yield* Effect.all([
        Cli.run(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge", "--wait"]),
        Cli.run(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge"])
      ], { concurrency: 2 })
      assert.strictEqual(manualAgain[0].code, 0, Cli.describeResult("manual run --wait beside the schedules", manualAgain[0]))
      assert.include([0, 1], manualAgain[1].code, Cli.describeResult("manual run beside the schedules", manualAgain[1]))
      if (manualAgain[1].code === 1) assert.include(manualAgain[1].stderr, "is already running (lock held by")

      const expected = yield* t.shopifyOrders
      assert.strictEqual(expected, 25)
      yield* Cli.until(Effect.map(t.edgeSales, (s) => s.rows >= expected), () =>
        `${expected} web sales in Edge\nrefusing: ${JSON.stringify(refusing.output())}\nwaiting: ${JSON.stringify(waiting.output())}`)
      // Both schedules go on: each completes further cycles after the manual run ended.
      const cycles = (child: Cli.Child) => (child.output().stdout.match(/Next run of all at/g) ?? []).length
      const [before1, before2] = [cycles(refusing), cycles(waiting)]
      yield* Cli.until(Effect.sync(() => cycles(refusing) >= before1 + 2 && cycles(waiting) >= before2 + 2), () =>
        `two more cycles of each schedule\nrefusing: ${JSON.stringify(refusing.output())}\nwaiting: ${JSON.stringify(waiting.output())}`)
      yield* t.expectExactlyOnce

      refusing.process.kill("SIGINT")
      waiting.process.kill("SIGINT")
      const [r, w] = yield* Effect.all([refusing.done, waiting.done], { concurrency: 2 })
      assert.strictEqual(r.code, 130, Cli.describeResult("refusing schedule", r))
      assert.strictEqual(w.code, 130, Cli.describeResult("waiting schedule", w))
      yield* t.expectExactlyOnce
      assert.isUndefined(yield* t.lockRow("web-sales-to-edge"), "no lock left behind after SIGINT")
    }), slow)

  it.scopedLive("a lock left by a SIGKILLed run is taken over at once (its process is gone); the next run imports every order once", () =>
    Effect.gen(function*() {
      const t = yield* setup(15)
      yield* t.lockSales
      const victim = yield* Cli.start(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge"])
      yield* t.heldBy("web-sales-to-edge", victim)
      victim.process.kill("SIGKILL")
      const killed = yield* victim.done
      assert.strictEqual(killed.signal, "SIGKILL")
      yield* t.unlockSales
      const left = yield* t.lockRow("web-sales-to-edge")
      assert.strictEqual(left?.pid, victim.process.pid, "the killed run could not release its lock")

      const next = yield* Cli.run(t.dir, ["--log-level", "warning", "run", "web-sales-to-edge"])
      assert.strictEqual(next.code, 0, Cli.describeResult("run after the kill", next))
      assert.include(
        next.stderr,
        `Taking over the lock of "web-sales-to-edge" from ${hostname()} pid ${victim.process.pid} (run ${left?.run_id}): process ${victim.process.pid} on ${hostname()} is gone`
      )
      assert.include(next.stdout, "read 15, written 15")
      yield* t.expectExactlyOnce
      assert.isUndefined(yield* t.lockRow("web-sales-to-edge"))
    }), slow)

  it.scopedLive("a live holder's lock is never taken, whatever its host; a holder silent past the stale limit is", () =>
    Effect.gen(function*() {
      const t = yield* setup(5)
      const now = Date.now()
      // This test's own process is alive on this host; a holder on another host cannot be checked, only
      // its heartbeat can; one that stopped heartbeating 5 minutes ago is stale (the limit is 60 s).
      const holders = [
        ["web-sales-to-edge", hostname(), process.pid, "live-here", now],
        ["customers-to-shopify", "till-2.example", 4242, "live-elsewhere", now],
        ["customers-from-shopify", "till-3.example", 4343, "silent-elsewhere", now - 300_000]
      ] as const
      for (const [pipeline, host, pid, runId, at] of holders) {
        yield* Cli.query(t.db, "INSERT INTO edgesync_locks (pipeline, host, pid, run_id, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)", [pipeline, host, pid, runId, at - 1000, at])
      }
      const [here, elsewhere, silent] = yield* Effect.all(
        holders.map(([pipeline]) => Cli.run(t.dir, ["--log-level", "warning", "run", pipeline])),
        { concurrency: 3 }
      )
      assert.strictEqual(here!.code, 1, Cli.describeResult("beside a live holder on this host", here!))
      assert.include(here!.stderr, `lock held by ${hostname()} pid ${process.pid} (run live-here)`)
      assert.strictEqual(elsewhere!.code, 1, Cli.describeResult("beside a live holder on another host", elsewhere!))
      assert.include(elsewhere!.stderr, "lock held by till-2.example pid 4242 (run live-elsewhere)")
      assert.strictEqual(silent!.code, 0, Cli.describeResult("beside a silent holder", silent!))
      assert.match(silent!.stderr, /Taking over the lock of "customers-from-shopify" from till-3\.example pid 4343 \(run silent-elsewhere\): no heartbeat for 3\d\ds \(stale after 60s\)/)

      assert.strictEqual((yield* t.lockRow("web-sales-to-edge"))?.run_id, "live-here", "the live holder keeps its lock")
      assert.strictEqual((yield* t.lockRow("customers-to-shopify"))?.run_id, "live-elsewhere")
      assert.isUndefined(yield* t.lockRow("customers-from-shopify"), "the run that took the stale lock released it")
      assert.strictEqual((yield* t.edgeSales).rows, 0, "the refused run imported nothing")
    }), slow)
})
