// Test support for the MySQL fault tests: web-sales-to-edge run in-process as the CLI runs it (with a
// retry policy of the test's choosing), orders arranged in the emulator, an admin connection to hold
// locks, find the pipeline's blocked connection and kill it, and the ledger checks every fault test ends
// with: every order exactly once with its amounts, no orphan lines/tenders/taxes, a checkpoint.
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Logger, Option, type Scope } from "effect"
import type { Connection } from "mysql2/promise"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { assert } from "vitest"
import * as Config from "../../../../core/Config.js"
import * as Registry from "../../../../core/Registry.js"
import type { RetryPolicy } from "../../../../core/RetryPolicy.js"
import * as Runner from "../../../../core/Runner.js"
import type { RunSummary } from "../../../../core/RunSummary.js"
import * as H from "../../../mission/support/MissionHarness.js"
import * as Store from "../../../mission/support/ShopifyStore.js"

export const pipeline = "web-sales-to-edge"

/** One web-sales-to-edge run, as `edgesync run web-sales-to-edge` does it. */
export const runSales = (
  m: H.Mission,
  options: {
    readonly retry?: Partial<RetryPolicy>
    readonly batchSize?: number
    /** Collects the run's log messages (to see why a batch was retried). */
    readonly logs?: Array<string>
  } = {}
): Effect.Effect<RunSummary, unknown> =>
  Effect.gen(function*() {
    const reg = yield* H.registry
    const found = Option.getOrThrow(Option.fromNullable(reg.pipelines.get(pipeline)))
    return yield* Registry.provide(reg, found)(
      Runner.run(found, {
        rawOptions: {},
        dryRun: false,
        limit: Option.none(),
        batchSize: options.batchSize ?? 4,
        batchWindow: "10 millis",
        ...(options.retry === undefined ? {} : { retry: options.retry })
      })
    ).pipe(
      Effect.provide(Config.layerFromObject({
        edge: { database: m.databaseUrl, changeSettleMillis: 0 },
        shopify: { store: m.emulator.url, accessToken: m.emulator.token }
      })),
      Effect.provide(NodeContext.layer),
      Effect.provide(
        options.logs === undefined ? Layer.empty : Logger.add(Logger.make(({ message }) => {
          options.logs?.push(Array.isArray(message) ? message.map(String).join(" ") : String(message))
        }))
      )
    )
  })

/** The runner's retry warnings among `logs`. */
export const retryReasons = (logs: ReadonlyArray<string>): string =>
  logs.filter((line) => /failed .*; attempt \d+ of \d+/.test(line)).join("\n")

export interface Order {
  readonly id: string
  readonly name: string
}

/**
 * `n` orders of one buyer, each with two taxed lines, shipping and one payment: 2 × 12.00 + 1 × 30.00
 * + shipping 5.00, tax 10 % (2.40 + 3.00 + 0.50): total 64.90.
 */
export const arrangeOrders = (m: Pick<H.Mission, "admin">, n: number): Effect.Effect<ReadonlyArray<Order>> =>
  Effect.gen(function*() {
    const buyer = yield* Store.createCustomer(m.admin, { firstName: "Dana", lastName: "Fault", email: "dana.fault@example.com" })
    const orders: Array<Order> = []
    for (let i = 0; i < n; i++) {
      const order = yield* Store.createOrder(m.admin, {
        customerId: buyer,
        lines: [
          { sku: `RING-${i}`, title: "Gold ring", quantity: 2, price: "12.00", taxes: [[0.1, "2.40"]] },
          { sku: `CHAIN-${i}`, title: "Chain", quantity: 1, price: "30.00", taxes: [[0.1, "3.00"]] }
        ],
        shipping: { price: "5.00", taxes: [[0.1, "0.50"]] },
        paid: { gateway: "manual", amount: "64.90" }
      })
      orders.push({ id: order.id, name: order.name })
    }
    return orders
  })

const count = (rows: ReadonlyArray<{ readonly n: number | string }>) => Number(rows[0]?.n ?? -1)

/** Each sale in Edge is whole (its two lines, one tender, its taxes, the right total); no orphan details. */
export const assertWhole = (m: Pick<H.Mission, "sql">): Effect.Effect<ReadonlyArray<string>> =>
  Effect.gen(function*() {
    const sales = yield* m.sql<{ readonly sale_id: number; readonly shopify_order_id: string; readonly total: string }>(
      "SELECT sale_id, shopify_order_id, total FROM sales WHERE shopify_order_id IS NOT NULL ORDER BY sale_id"
    )
    for (const sale of sales) {
      assert.strictEqual(String(sale.total), "64.90", `total of ${sale.shopify_order_id}`)
      const lines = yield* m.sql<{ readonly n: number }>("SELECT COUNT(*) AS n FROM sale_lines WHERE sale_id = ?", [sale.sale_id])
      const tenders = yield* m.sql<{ readonly n: number }>("SELECT COUNT(*) AS n FROM sale_tenders WHERE sale_id = ?", [sale.sale_id])
      const taxes = yield* m.sql<{ readonly s: string | number | null }>("SELECT SUM(amount) AS s FROM sale_taxes WHERE sale_id = ?", [sale.sale_id])
      assert.strictEqual(count(lines), 2, `lines of ${sale.shopify_order_id}`)
      assert.strictEqual(count(tenders), 1, `tenders of ${sale.shopify_order_id}`)
      assert.strictEqual(Number(taxes[0]?.s).toFixed(2), "5.90", `taxes of ${sale.shopify_order_id}`)
    }
    for (const table of ["sale_lines", "sale_tenders", "sale_taxes"]) {
      const orphans = yield* m.sql<{ readonly n: number }>(
        `SELECT COUNT(*) AS n FROM ${table} d LEFT JOIN sales s ON s.sale_id = d.sale_id WHERE s.sale_id IS NULL`
      )
      assert.strictEqual(count(orphans), 0, `orphan rows in ${table}`)
    }
    return sales.map((s) => s.shopify_order_id)
  })

/**
 * Every order in Edge exactly once, whole (see assertWhole), and nothing else; the pipeline's checkpoint
 * written.
 */
export const assertLedger = (m: Pick<H.Mission, "sql">, orders: ReadonlyArray<Order>): Effect.Effect<void> =>
  Effect.gen(function*() {
    const stored = yield* assertWhole(m)
    assert.deepStrictEqual([...stored].sort(), orders.map((o) => o.id).sort(), "every order exactly once, and nothing else")
    const checkpoints = yield* m.sql<{ readonly n: number }>(
      "SELECT COUNT(*) AS n FROM edgesync_checkpoints WHERE pipeline = ?",
      [pipeline]
    )
    assert.strictEqual(count(checkpoints), 1, "the checkpoint is written")
  })

/**
 * The next run after a fault: it completes, reads nothing (the checkpoint covers every committed order),
 * writes nothing new, and the ledger still holds.
 */
export const assertNextRunCompletes = (m: H.Mission, orders: ReadonlyArray<Order>) =>
  Effect.gen(function*() {
    const next = yield* runSales(m)
    assert.strictEqual(next.outcome, "succeeded")
    assert.strictEqual(next.counts.read, 0, `the checkpoint is past every order: ${JSON.stringify(next.counts)}`)
    assert.strictEqual(next.counts.written, 0, `nothing written twice: ${JSON.stringify(next.counts)}`)
    yield* assertLedger(m, orders)
  })

// --- An administrator's connection --------------------------------------------------------------------

export type AdminConnection = Connection

/** A root connection to the server of `databaseUrl`, on its database; closed with the scope. */
export const adminConnection = (databaseUrl: string): Effect.Effect<Connection, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const mysql = await import("mysql2/promise")
      const url = new URL(databaseUrl)
      return mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username || "root"),
        password: decodeURIComponent(url.password),
        database: url.pathname.replace(/^\//, "")
      })
    }),
    // After a KILL or a server restart the connection may be gone already.
    (connection) => Effect.promise(() => connection.end().catch(() => undefined))
  )

export const query = (connection: Connection, text: string, params: ReadonlyArray<unknown> = []) =>
  Effect.tryPromise({
    try: () => connection.query(text, [...params] as Array<unknown>).then(([rows]) => rows as ReadonlyArray<Record<string, unknown>>),
    catch: (error) => error instanceof Error ? error : new Error(String(error))
  })

/** Fails (rather than hangs) when `what` does not happen within `seconds`. */
const poll = <A, E>(what: string, seconds: number, probe: Effect.Effect<Option.Option<A>, E>): Effect.Effect<A, E> =>
  Effect.gen(function*() {
    const deadline = Date.now() + seconds * 1000
    while (Date.now() < deadline) {
      const found = yield* probe
      if (Option.isSome(found)) return found.value
      yield* Effect.sleep("25 millis")
    }
    return yield* Effect.dieMessage(`${what} did not happen within ${seconds} seconds`)
  })

export interface Blocked {
  readonly id: number
  readonly timeMs: number
}

const blockedOn = (admin: Connection, statementPrefix: string) =>
  Effect.map(
    query(
      admin,
      `SELECT ID AS id, TIME_MS AS timeMs FROM information_schema.PROCESSLIST
       WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep' AND INFO LIKE ?`,
      [`${statementPrefix}%`]
    ),
    (rows) => Option.map(Option.fromNullable(rows[0]), (row): Blocked => ({ id: Number(row.id), timeMs: Number(row.timeMs) }))
  )

/** Waits until a connection of the pipeline is running (blocked in) a statement starting with `prefix`. */
export const waitForStatement = (admin: Connection, prefix: string): Effect.Effect<Blocked, Error> =>
  poll(`a statement "${prefix}…"`, 30, blockedOn(admin, prefix))

/**
 * Waits until the blocked statement `blocked` has ended: its connection runs something else, or the same
 * statement again (a retry), which shows as an elapsed time smaller than the last one seen.
 */
export const waitUntilEnded = (admin: Connection, prefix: string, blocked: Blocked): Effect.Effect<void, Error> =>
  Effect.suspend(() => {
    let last = blocked.timeMs
    return poll(
      `the end of connection ${blocked.id}'s "${prefix}…"`,
      30,
      Effect.map(blockedOn(admin, prefix), (now) => {
        if (Option.isNone(now) || now.value.id !== blocked.id || now.value.timeMs < last) return Option.some(undefined)
        last = now.value.timeMs
        return Option.none()
      })
    )
  })

/** The statement the web-sales sink runs last in its transaction: the runner's checkpoint. */
export const checkpointUpsert = "INSERT INTO edgesync_checkpoints"

// --- The real CLI ---------------------------------------------------------------------------------------

const bin = path.resolve(import.meta.dirname, "../../../../bin/edgesync.js")

// The child gets a clean environment: nothing of the developer's EDGESYNC_* or connector settings.
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_)/.test(key))
)

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `edgesync ARGS` in `cwd`, to completion. */
export const edgesync = (
  cwd: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {}
): Effect.Effect<CliResult> =>
  Effect.async<CliResult>((resume) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    // eslint-disable-next-line no-control-regex
    const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")
    child.on("close", (code) => resume(Effect.succeed({ code, stdout: plain(stdout), stderr: plain(stderr) })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** A temporary working directory, removed with the scope. */
export const workDir: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-dbfaults-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

export const writeConfig = (dir: string, config: object) =>
  Effect.promise(() => fs.writeFile(path.join(dir, "edgesync.config.json"), JSON.stringify(config, null, 2)))
