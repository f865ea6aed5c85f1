// MySQL fault: the pipeline's connection is killed (KILL from an administrator's session, as a DBA or a
// failover proxy does) while the web-sales sink's transaction is open, part of the batch written but not
// committed. The batch must be retried whole on a new connection, nothing half-written may remain, and
// every order must land exactly once.
//
// How the transaction is held open at a chosen statement: an administrator's transaction holds a lock
// the statement needs (FOR UPDATE on an empty table's key range blocks every insert into it), the test
// finds the pipeline's connection blocked in that statement in the process list, and kills it. Two
// points: the sale lines (sale headers written, their lines not: a half-written sale if it were kept),
// and the runner's checkpoint (everything written, the last statement of the transaction).
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import * as H from "../../mission/support/MissionHarness.js"
import * as F from "./support/DbFaults.js"

const holdPoints = [
  {
    name: "after the sale headers, before their lines",
    lock: "SELECT * FROM sale_lines FOR UPDATE",
    statement: "INSERT INTO sale_lines",
    written: "SELECT COUNT(*) AS n FROM sales WHERE shopify_order_id IS NOT NULL"
  },
  {
    name: "at the checkpoint, the transaction's last statement",
    lock: `SELECT * FROM edgesync_checkpoints WHERE pipeline = '${F.pipeline}' FOR UPDATE`,
    statement: F.checkpointUpsert,
    written: "SELECT COUNT(*) AS n FROM sale_taxes"
  }
] as const

describe("db faults: connection killed mid-transaction", () => {
  for (const point of holdPoints) {
    it.scopedLive(`${point.name}: the batch is retried on a new connection; every order once, no orphans`, () =>
      Effect.gen(function*() {
        const m = yield* H.mission(yield* H.mariadbUrl)
        const orders = yield* F.arrangeOrders(m, 10)
        const admin = yield* F.adminConnection(m.databaseUrl)

        yield* F.query(admin, "START TRANSACTION")
        yield* F.query(admin, point.lock)
        const logs: Array<string> = []
        const run = yield* Effect.fork(F.runSales(m, { logs }))
        const blocked = yield* F.waitForStatement(admin, point.statement)
        // The pipeline's transaction has written rows by now, not committed: a dirty read sees them.
        const peek = yield* F.adminConnection(m.databaseUrl)
        yield* F.query(peek, "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED")
        const uncommitted = yield* F.query(peek, point.written)
        assert.isAbove(Number(uncommitted[0]!.n), 0, "the kill comes with rows written and not committed")
        yield* F.query(admin, `KILL ${blocked.id}`)
        yield* F.query(admin, "ROLLBACK")

        const summary = yield* Fiber.join(run)
        assert.strictEqual(summary.outcome, "succeeded")
        assert.isAtLeast(summary.counts.retries, 1, "the killed batch was retried")
        assert.match(F.retryReasons(logs), /PROTOCOL_CONNECTION_LOST|Connection lost/, "retried for the lost connection")
        assert.strictEqual(summary.counts.written, orders.length, JSON.stringify(summary.counts))
        assert.strictEqual(summary.counts.deadLettered, 0)
        yield* F.assertLedger(m, orders)
        yield* F.assertNextRunCompletes(m, orders)
      }))
  }
})
