// MySQL faults that need a server of their own (they change server-wide settings or restart it): a lock
// wait timeout (1205), a deadlock (1213), the server restarted mid-transaction, and a read-only server.
// Each starts while the web-sales sink's transaction is open (its sales written, not committed: an
// administrator's transaction holds the lock on the pipeline's checkpoint row, the sink's last statement),
// and ends with every order in Edge exactly once, no orphan rows, and a next run that completes.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Either, Fiber } from "effect"
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll } from "vitest"
import { EdgeDb, layerUrl } from "../../../connectors/edge/EdgeDb.js"
import * as H from "../../mission/support/MissionHarness.js"
import { type RunningMariaDb, startPrivateMariaDb } from "../../support/PrivateMariaDb.js"
import * as F from "./support/DbFaults.js"

let server: RunningMariaDb
beforeAll(async () => {
  server = await startPrivateMariaDb({ own: true })
}, 60_000)
afterAll(async () => {
  await server?.stop()
}, 60_000)

/** A fresh database on the private server (left there: the server and its data go at the end). */
const database = Effect.gen(function*() {
  const name = `faults_${randomBytes(6).toString("hex")}`
  const admin = yield* F.adminConnection(`${server.url}/mysql`)
  yield* F.query(admin, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  return `${server.url}/${name}`
})

/** Holds the lock on the pipeline's checkpoint row (the gap where it goes, before the first commit). */
const holdCheckpoint = (admin: F.AdminConnection) =>
  Effect.gen(function*() {
    yield* F.query(admin, "START TRANSACTION")
    yield* F.query(admin, "SELECT * FROM edgesync_checkpoints WHERE pipeline = ? FOR UPDATE", [F.pipeline])
  })

const globalStatus = (admin: F.AdminConnection, name: string) =>
  Effect.map(F.query(admin, "SHOW GLOBAL STATUS LIKE ?", [name]), (rows) => Number(rows[0]?.Value ?? NaN))

// A restart takes a few seconds: enough attempts to outlast it, without waiting long between them.
const patient = { maxAttempts: 12, maxDelay: Duration.seconds(1) }

describe("db faults on a private server", () => {
  it.scopedLive("a lock wait timeout (1205) is retried: the whole batch again, every order once", () =>
    Effect.gen(function*() {
      const url = yield* database
      const m = yield* H.mission(url)
      const orders = yield* F.arrangeOrders(m, 8)
      const admin = yield* F.adminConnection(url)
      yield* F.query(admin, "SET GLOBAL innodb_lock_wait_timeout = 1")
      yield* Effect.addFinalizer(() => Effect.orDie(F.query(admin, "SET GLOBAL innodb_lock_wait_timeout = 50")))

      yield* holdCheckpoint(admin)
      const logs: Array<string> = []
      const run = yield* Effect.fork(F.runSales(m, { logs }))
      const blocked = yield* F.waitForStatement(admin, F.checkpointUpsert)
      // Still holding the lock: the statement can only end by timing out.
      yield* F.waitUntilEnded(admin, F.checkpointUpsert, blocked)
      yield* F.query(admin, "ROLLBACK")

      const summary = yield* Fiber.join(run)
      assert.strictEqual(summary.outcome, "succeeded")
      assert.isAtLeast(summary.counts.retries, 1, "the timed-out batch was retried")
      assert.match(F.retryReasons(logs), /ER_LOCK_WAIT_TIMEOUT/, "retried for the lock wait timeout")
      assert.strictEqual(summary.counts.written, orders.length, JSON.stringify(summary.counts))
      yield* F.assertLedger(m, orders)
      yield* F.assertNextRunCompletes(m, orders)
    }))

  it.scopedLive("a deadlock (1213) is retried: the server rolled the batch back, the retry writes it whole", () =>
    Effect.gen(function*() {
      const url = yield* database
      const m = yield* H.mission(url)
      const orders = yield* F.arrangeOrders(m, 8)
      const admin = yield* F.adminConnection(url)
      // InnoDB resolves a deadlock by rolling back the transaction that changed fewer rows: the
      // administrator's transaction first changes many, so the pipeline's is the one chosen.
      yield* F.query(admin, "CREATE TABLE ballast (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB")
      yield* F.query(admin, "INSERT INTO ballast SELECT seq, 0 FROM seq_1_to_2000")
      const deadlocksBefore = yield* globalStatus(admin, "Innodb_deadlocks")

      yield* holdCheckpoint(admin)
      yield* F.query(admin, "UPDATE ballast SET v = v + 1")
      const logs: Array<string> = []
      const run = yield* Effect.fork(F.runSales(m, { logs }))
      yield* F.waitForStatement(admin, F.checkpointUpsert)
      // The pipeline waits for our checkpoint lock; we now wait for a sale it wrote: a cycle.
      const ours = yield* Effect.either(
        F.query(admin, "SELECT sale_id FROM sales WHERE shopify_order_id = ? FOR UPDATE", [orders[0]!.id])
      )
      assert.isTrue(Either.isRight(ours), "the administrator's transaction survived the deadlock")
      yield* F.query(admin, "ROLLBACK")

      const summary = yield* Fiber.join(run)
      assert.strictEqual(summary.outcome, "succeeded")
      assert.isAtLeast(summary.counts.retries, 1, "the deadlocked batch was retried")
      assert.match(F.retryReasons(logs), /ER_LOCK_DEADLOCK/, "retried for the deadlock, reported as such")
      assert.strictEqual(summary.counts.written, orders.length, JSON.stringify(summary.counts))
      assert.isAbove(yield* globalStatus(admin, "Innodb_deadlocks"), deadlocksBefore, "a deadlock happened")
      yield* F.assertLedger(m, orders)
      yield* F.assertNextRunCompletes(m, orders)
    }))

  it.scopedLive("the server restarted mid-transaction: the run reconnects and completes, nothing half-written", () =>
    Effect.gen(function*() {
      const url = yield* database
      const m = yield* H.mission(url)
      const orders = yield* F.arrangeOrders(m, 8)
      const admin = yield* F.adminConnection(url)

      yield* holdCheckpoint(admin)
      const logs: Array<string> = []
      const run = yield* Effect.fork(F.runSales(m, { retry: patient, logs }))
      yield* F.waitForStatement(admin, F.checkpointUpsert)
      yield* Effect.promise(() => server.restart())
      const old = yield* Effect.either(F.query(admin, "SELECT 1"))
      assert.isTrue(Either.isLeft(old), "the restart closed every connection")

      const summary = yield* Fiber.join(run)
      assert.strictEqual(summary.outcome, "succeeded")
      assert.isAtLeast(summary.counts.retries, 1, "the batch cut by the restart was retried")
      assert.match(F.retryReasons(logs), /PROTOCOL_CONNECTION_LOST|ECONNREFUSED|ER_SERVER_SHUTDOWN|1053/, "retried for the restart")
      assert.strictEqual(summary.counts.written, orders.length, JSON.stringify(summary.counts))
      yield* F.assertLedger(m, orders)
      yield* F.assertNextRunCompletes(m, orders)
    }))

  it.scopedLive("a read-only server (read_only, a user without SUPER) is fatal, says so and what to do; the next run completes", () =>
    Effect.gen(function*() {
      const url = yield* database
      const m = yield* H.mission(url)
      const orders = yield* F.arrangeOrders(m, 3)
      const admin = yield* F.adminConnection(url)
      const name = new URL(url).pathname.slice(1)
      const password = `pw-${randomBytes(6).toString("hex")}`
      yield* F.query(admin, `CREATE USER 'edge_writer'@'127.0.0.1' IDENTIFIED BY '${password}'`)
      yield* F.query(admin, `GRANT ALL PRIVILEGES ON \`${name}\`.* TO 'edge_writer'@'127.0.0.1'`)
      yield* F.query(admin, "SET GLOBAL read_only = 1")
      yield* Effect.addFinalizer(() => Effect.orDie(F.query(admin, "SET GLOBAL read_only = 0")))
      const userUrl = `mysql://edge_writer@127.0.0.1:${new URL(url).port}/${name}`

      // The Edge connector's own statements, as that user: classified ReadOnly, fatal, with a way out.
      const refused = yield* Effect.flip(Effect.flatMap(EdgeDb, (db) =>
        db.use("stores.insert", db.sql`INSERT INTO stores (store_no, name, kind, licensed) VALUES (7, 'Mall', 'retail', 1)`)
      ).pipe(Effect.provide(layerUrl(userUrl, { password }))))
      assert.strictEqual(refused._tag, "EdgeDbError")
      if (refused._tag === "EdgeDbError") {
        assert.strictEqual(refused.reason, "ReadOnly")
        assert.strictEqual(refused.classification, "fatal")
        assert.include(refused.message, "is read-only")
        assert.include(refused.message, "read_only")
      }

      // The CLI: exit 1, the reason and what to do on stderr, the password nowhere.
      const dir = yield* F.workDir
      yield* F.writeConfig(dir, {
        edge: { database: userUrl, changeSettleMillis: 0 },
        shopify: { store: m.emulator.url, accessToken: m.emulator.token }
      })
      const env = { EDGE_DATABASE_PASSWORD: password }
      const failed = yield* F.edgesync(dir, ["run", F.pipeline], env)
      assert.strictEqual(failed.code, 1, `exit code\nstdout: ${failed.stdout}\nstderr: ${failed.stderr}`)
      assert.match(failed.stderr, /read-only/)
      assert.match(failed.stderr, /read_only = 0|primary/)
      assert.notInclude(failed.stderr + failed.stdout, password)
      const written = yield* m.sql<{ readonly n: number }>("SELECT COUNT(*) AS n FROM sales")
      assert.strictEqual(Number(written[0]!.n), 0, "nothing written")

      yield* F.query(admin, "SET GLOBAL read_only = 0")
      const next = yield* F.edgesync(dir, ["run", F.pipeline], env)
      assert.strictEqual(next.code, 0, `next run\nstdout: ${next.stdout}\nstderr: ${next.stderr}`)
      yield* F.assertLedger(m, orders)
    }))
})
