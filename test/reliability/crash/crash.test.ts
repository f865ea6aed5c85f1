// Crash and restart (issue 6 §1): each mission pipeline runs as the real CLI in a child process, is
// SIGKILLed at randomized points (failpoints inside the runner and the sinks, and random times from
// outside) at least EDGESYNC_CHAOS_KILLS times (default 20), restarted each time, until a run completes;
// then nothing is lost and nothing doubled. The seed is printed and in every assertion message;
// EDGESYNC_CHAOS_SEED replays it. `npm run test:chaos` runs more seeds with more data (see
// CrashHarness.ts for the knobs).
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as H from "../../mission/support/MissionHarness.js"
import * as Store from "../../mission/support/ShopifyStore.js"
import { freshDatabase } from "../../support/MariaDb.js"
import * as Crash from "./CrashHarness.js"

const chaos = Crash.settings()

// Many child processes, each a Node start-up compiling TypeScript: minutes under load, not seconds.
const slow = 900_000

const log = (line: string) => void process.stdout.write(`${line}\n`)

const configFor = (m: H.Mission, sync: Record<string, unknown>) => ({
  edge: { database: m.databaseUrl, changeSettleMillis: 0 },
  shopify: { store: m.emulator.url, accessToken: m.emulator.token },
  sync,
  // Small batches, so that a run has many batches (and many places to die in).
  run: { batchSize: chaos.batchSize, batchWindow: "20ms", retry: { maxAttempts: 3, baseDelay: "50ms", maxDelay: "500ms" } }
})

const checkpointOf = (m: H.Mission, pipeline: string): Effect.Effect<Option.Option<string>> =>
  m.sql<{ readonly cursor_json: string }>("SELECT cursor_json FROM edgesync_checkpoints WHERE pipeline = ?", [pipeline]).pipe(
    Effect.map((rows) => Option.fromNullable(rows[0]?.cursor_json))
  )

/** A Shopify source's cursor (SyncCursor) as a position: its newest updatedAt, then how far a backfill got. */
const shopifyPosition = (json: string): readonly [string, number] => {
  const cursor = JSON.parse(json) as { readonly _tag: string; readonly updatedAt?: string; readonly upTo?: string; readonly lastId?: string }
  return cursor._tag === "Incremental" ? [cursor.updatedAt ?? "", Number.MAX_SAFE_INTEGER] : [cursor.upTo ?? "", Number(cursor.lastId ?? 0)]
}
const shopifyNotBefore = (after: string, before: string) => {
  const [a, ai] = shopifyPosition(after)
  const [b, bi] = shopifyPosition(before)
  return a > b || (a === b && ai >= bi)
}

/** customers-to-shopify's cursor: (updated_at, customer_id). */
const uploadNotBefore = (after: string, before: string) => {
  const a = JSON.parse(after) as { readonly updated_at: string; readonly customer_id: number }
  const b = JSON.parse(before) as { readonly updated_at: string; readonly customer_id: number }
  return a.updated_at > b.updated_at || (a.updated_at === b.updated_at && a.customer_id >= b.customer_id)
}

/** The sum of one action over every run's committed counts (committed with the writes they count). */
const committedActions = (m: H.Mission, pipeline: string) =>
  Effect.map(
    m.sql<{ readonly counts_json: string }>("SELECT counts_json FROM edgesync_runs WHERE pipeline = ? AND dry_run = 0", [pipeline]),
    (rows) => {
      const total: Record<string, number> = {}
      let written = 0
      for (const row of rows) {
        const counts = JSON.parse(row.counts_json) as { readonly written: number; readonly actions: Record<string, number> }
        written += counts.written
        for (const [k, v] of Object.entries(counts.actions)) total[k] = (total[k] ?? 0) + v
      }
      return { written, actions: total }
    }
  )

const commonPoints = [
  ["source.page", 3],
  ["batch.transformed", 4],
  ["sink.in-transaction", 3],
  ["sink.committed", 3],
  ["batch.done", 3]
] as const

// New data after a run completed before enough kills: enough for three batches, so that the next run
// has work to die in at every failpoint's pass numbers.
const wave = Math.max(3 * chaos.batchSize, Math.floor(chaos.records / 4))

const seeds = Array.from({ length: chaos.runs }, (_, i) => chaos.seed + i)

// --- web-sales-to-edge ---------------------------------------------------------------------------------

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`

/** A random order (its money in whole cents, tax 13% per line); some customers are in Edge already. */
const orderSpec = (random: Crash.Rng, n: number): Store.OrderSpec => {
  let total = 1000 // shipping
  const lines = Array.from({ length: random.int(1, 3) }, (_, i) => {
    const price = random.int(500, 50_000)
    const quantity = random.int(1, 3)
    const tax = Math.round(price * quantity * 0.13)
    total += price * quantity + tax
    return { sku: `SKU-${random.int(1, 20)}`, title: `Ring ${n}-${i}`, quantity, price: cents(price), taxes: [[0.13, cents(tax)]] as const }
  })
  return {
    email: n % 2 === 0 ? `known${n % 10}@example.com` : `buyer${n}@example.com`,
    lines,
    shipping: { price: "10.00" },
    paid: { gateway: random.pick(["shopify_payments", "paypal", "gift_card"]), amount: cents(total) }
  }
}

interface SaleRow { readonly [column: string]: unknown }

/** Edge's web sales, lines, tenders and taxes by Shopify order id (no surrogate ids, which crashes burn). */
const ledger = (m: H.Mission) =>
  Effect.all({
    sales: m.sql<SaleRow>(
      `SELECT s.shopify_order_id, s.store_no, s.sale_no, c.email AS customer_email, s.status, s.currency, s.subtotal, s.discount,
              s.shipping, s.tax, s.total, s.tax_stripped, s.shopify_updated_at
       FROM sales s LEFT JOIN customers c ON c.customer_id = s.customer_id WHERE s.kind = 'web' ORDER BY s.shopify_order_id`
    ),
    lines: m.sql<SaleRow>(
      `SELECT s.shopify_order_id, l.line_no, l.sku, l.description, l.quantity, l.unit_price, l.discount, l.tax, l.extended
       FROM sale_lines l JOIN sales s ON s.sale_id = l.sale_id ORDER BY s.shopify_order_id, l.line_no`
    ),
    tenders: m.sql<SaleRow>(
      `SELECT s.shopify_order_id, t.seq, t.tender, t.amount FROM sale_tenders t JOIN sales s ON s.sale_id = t.sale_id
       ORDER BY s.shopify_order_id, t.seq`
    ),
    taxes: m.sql<SaleRow>(
      `SELECT s.shopify_order_id, t.seq, t.title, t.rate, t.amount FROM sale_taxes t JOIN sales s ON s.sale_id = t.sale_id
       ORDER BY s.shopify_order_id, t.seq`
    )
  })

const orphans = (m: H.Mission) =>
  Effect.map(
    m.sql<{ readonly n: number | string }>(
      `SELECT (SELECT COUNT(*) FROM sale_lines x LEFT JOIN sales s ON s.sale_id = x.sale_id WHERE s.sale_id IS NULL)
            + (SELECT COUNT(*) FROM sale_tenders x LEFT JOIN sales s ON s.sale_id = x.sale_id WHERE s.sale_id IS NULL)
            + (SELECT COUNT(*) FROM sale_taxes x LEFT JOIN sales s ON s.sale_id = x.sale_id WHERE s.sale_id IS NULL) AS n`
    ),
    (rows) => Number(rows[0]?.n ?? 0)
  )

const seedKnownCustomers = (m: H.Mission) =>
  Effect.forEach(Array.from({ length: 10 }, (_, i) => i), (i) =>
    H.insertCustomer(m, { first_name: `Known${i}`, last_name: "Buyer", email: `known${i}@example.com` }), { discard: true })

describe("crash and restart, aimed", () => {
  // Found by the harness: a customer with neither email nor phone was created again by every run that
  // followed a crash between Shopify's create and the link's commit (nothing made Shopify refuse it).
  it.scopedLive("customers-to-shopify: a customer with only a name, killed right after Shopify created it, is created once", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* freshDatabase("crash"))
      yield* H.insertCustomer(m, { first_name: "Nameonly", last_name: "Person", web_upload: true })
      const dir = yield* Crash.workDir(configFor(m, {}))
      const killed = yield* Crash.runChild(dir, "customers-to-shopify", { _tag: "FailPoint", name: "shopify.customer-written", at: 1 })
      assert.strictEqual(killed.signal, "SIGKILL", `killed at the failpoint: ${killed.stderr.slice(-2000)}`)
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.customers)).length, 1, "created before the kill")
      assert.deepStrictEqual(yield* m.sql("SELECT * FROM customer_web_links"), [], "not linked before the kill")
      const rerun = yield* Crash.runChild(dir, "customers-to-shopify", { _tag: "None" })
      assert.strictEqual(rerun.code, 0, rerun.stderr.slice(-2000))
      const shopify = yield* Effect.orDie(m.emulator.control.customers)
      assert.strictEqual(shopify.length, 1, "still one Shopify customer after the rerun")
      const links = yield* m.sql<{ readonly shopify_customer_id: string; readonly link_method: string }>(
        "SELECT shopify_customer_id, link_method FROM customer_web_links"
      )
      assert.deepStrictEqual(links.map((l) => [l.shopify_customer_id, l.link_method]), [[shopify[0]!.id, "upload"]])
    }), slow)
})

// The pipelines' tests run side by side (separate databases and emulators): most of their time is the
// children's start-up.
describe.concurrent("crash and restart", () => {
  for (const seed of seeds) {
    it.scopedLive(`web-sales-to-edge: every order exactly once, right amounts, no orphans, checkpoint forward (seed ${seed})`, () =>
      Effect.gen(function*() {
        const hint = Crash.replayHint("web-sales-to-edge", seed)
        const m = yield* H.mission(yield* freshDatabase("crash"))
        const random = Crash.rng(seed ^ 0x5eed)
        yield* seedKnownCustomers(m)
        let made = 0
        const placed: Array<{ readonly id: string; readonly lineItemIds: ReadonlyArray<string>; readonly spec: Store.OrderSpec }> = []
        const addOrders = (count: number) =>
          Effect.forEach(Array.from({ length: count }, () => made++), (n) => {
            const spec = orderSpec(random, n)
            return Effect.map(Store.createOrder(m.admin, spec), (o) => void placed.push({ id: o.id, lineItemIds: o.lineItemIds, spec }))
          }, { discard: true })
        yield* addOrders(chaos.records)
        const sync = { bringTaxes: true }
        const dir = yield* Crash.workDir(configFor(m, sync))
        const report = yield* Crash.chaos({
          pipeline: "web-sales-to-edge",
          cwd: dir,
          seed,
          kills: chaos.kills,
          points: commonPoints,
          checkpoint: checkpointOf(m, "web-sales-to-edge"),
          notBefore: shopifyNotBefore,
          waveSize: wave,
          topUpSize: chaos.batchSize,
          addWave: (count) =>
            Effect.gen(function*() {
              yield* addOrders(count)
              // A refund of an order (most are imported already): its sale is updated in place, its lines,
              // tenders and taxes replaced, which is where a crash could leave orphans or a half-update.
              const target = placed.splice(random.int(0, Math.max(0, placed.length - 1)), 1)[0]
              if (target !== undefined && target.lineItemIds.length > 0 && target.spec.lines[0] !== undefined) {
                yield* Store.refund(m.admin, target.id, {
                  lines: [{ lineItemId: target.lineItemIds[0]!, quantity: 1 }],
                  amount: target.spec.lines[0].price,
                  gateway: target.spec.paid?.gateway ?? "shopify_payments"
                })
              }
            }),
          log
        })
        assert.isAtLeast(report.kills, chaos.kills, hint)

        // The fault-free expectation: the same orders imported by one uninterrupted run into a fresh Edge.
        const clean = yield* H.mission(yield* freshDatabase("crashref"))
        yield* seedKnownCustomers(clean)
        const cleanDir = yield* Crash.workDir({ ...configFor(m, sync), edge: { database: clean.databaseUrl, changeSettleMillis: 0 } })
        const reference = yield* Crash.runChild(cleanDir, "web-sales-to-edge", { _tag: "None" })
        assert.strictEqual(reference.code, 0, `${hint}: the fault-free run failed: ${reference.stderr.slice(-2000)}`)

        const got = yield* ledger(m)
        const want = yield* ledger(clean)
        const orders = yield* Effect.orDie(m.emulator.control.orders)
        assert.strictEqual(got.sales.length, orders.length, `${hint}: one Edge sale per Shopify order`)
        assert.deepStrictEqual(
          new Set(got.sales.map((s) => s["shopify_order_id"])),
          new Set(orders.map((o) => o.id)),
          `${hint}: every Shopify order is in Edge`
        )
        assert.deepStrictEqual(got.sales, want.sales, `${hint}: sales (amounts, status, customer) as a fault-free run`)
        assert.deepStrictEqual(got.lines, want.lines, `${hint}: sale lines as a fault-free run`)
        assert.deepStrictEqual(got.tenders, want.tenders, `${hint}: tenders as a fault-free run`)
        assert.deepStrictEqual(got.taxes, want.taxes, `${hint}: taxes as a fault-free run`)
        assert.strictEqual(yield* orphans(m), 0, `${hint}: no orphan lines, tenders or taxes`)
        const doubled = yield* m.sql("SELECT email, COUNT(*) AS n FROM customers GROUP BY email HAVING COUNT(*) > 1")
        assert.deepStrictEqual(doubled, [], `${hint}: no Edge customer created twice`)
        const committed = yield* committedActions(m, "web-sales-to-edge")
        assert.strictEqual(committed.actions["created"] ?? 0, orders.length, `${hint}: each sale created once over all runs: ${JSON.stringify(committed)}`)
      }), slow)

    it.scopedLive(`customers-to-shopify: no Shopify customer twice, each link once, each customer with an email invited exactly once (seed ${seed})`, () =>
      Effect.gen(function*() {
        const hint = Crash.replayHint("customers-to-shopify", seed)
        const m = yield* H.mission(yield* freshDatabase("crash"))
        let made = 0
        const addCustomers = (count: number) =>
          Effect.forEach(Array.from({ length: count }, () => made++), (n) =>
            H.insertCustomer(m, {
              first_name: `Up${n}`,
              last_name: "Loader",
              // Every fifth has only a name: Shopify has nothing unique to refuse a second create with.
              ...(n % 5 === 4 ? {} : { email: `upload${n}@example.com` }),
              // Every third has a phone too (unique), so "phone taken" is met as well as "email taken".
              ...(n % 3 === 0 ? { phone_cell: `+1613555${String(1000 + n).padStart(4, "0")}` } : {}),
              city: "Ottawa",
              web_upload: true
            }), { discard: true })
        yield* addCustomers(chaos.records)
        const dir = yield* Crash.workDir(configFor(m, { sendInviteOnUpload: true }))
        const report = yield* Crash.chaos({
          pipeline: "customers-to-shopify",
          cwd: dir,
          seed,
          kills: chaos.kills,
          points: [...commonPoints, ["shopify.customer-written", 6], ["shopify.invite-sent", 3]],
          checkpoint: checkpointOf(m, "customers-to-shopify"),
          notBefore: uploadNotBefore,
          waveSize: wave,
          topUpSize: chaos.batchSize,
          addWave: addCustomers,
          log
        })
        assert.isAtLeast(report.kills, chaos.kills, hint)

        const shopify = yield* Effect.orDie(m.emulator.control.customers)
        // Every uploaded customer has a distinct first name, so it names one Shopify customer.
        const byName = new Map<string, number>()
        for (const c of shopify) byName.set(c.firstName ?? "", (byName.get(c.firstName ?? "") ?? 0) + 1)
        const twice = [...byName].filter(([, n]) => n > 1)
        assert.deepStrictEqual(twice, [], `${hint}: no Shopify customer created twice`)
        assert.strictEqual(shopify.length, made, `${hint}: one Shopify customer per uploaded Edge customer`)

        const links = yield* m.sql<{
          readonly first_name: string
          readonly email: string | null
          readonly shopify_customer_id: string
          readonly link_method: string
          readonly invite_sent_at: unknown
        }>(
          `SELECT c.first_name, c.email, l.shopify_customer_id, l.link_method, l.invite_sent_at
           FROM customers c JOIN customer_web_links l ON l.customer_id = c.customer_id`
        )
        // A create whose link a kill lost is known by its marker tag on the rerun: still an upload.
        assert.deepStrictEqual(links.filter((l) => l.link_method !== "upload").map((l) => `${l.first_name}: ${l.link_method}`), [], `${hint}: every link is an upload`)
        assert.strictEqual(links.length, made, `${hint}: every uploaded customer linked`)
        const shopifyById = new Map(shopify.map((c) => [c.id, c]))
        for (const link of links) {
          assert.strictEqual(
            shopifyById.get(link.shopify_customer_id)?.firstName,
            link.first_name,
            `${hint}: ${link.first_name} linked to its own Shopify customer`
          )
        }
        const committed = yield* committedActions(m, "customers-to-shopify")
        assert.strictEqual(committed.written, made, `${hint}: each link written once over all runs: ${JSON.stringify(committed)}`)

        const invites = yield* Effect.orDie(m.emulator.control.invites)
        const perCustomer = new Map<string, number>()
        for (const i of invites) perCustomer.set(i.customerId, (perCustomer.get(i.customerId) ?? 0) + 1)
        assert.deepStrictEqual([...perCustomer].filter(([, n]) => n > 1), [], `${hint}: no invite sent twice`)
        assert.isAbove(invites.length, 0, `${hint}: invites were sent at all`)
        for (const link of links) {
          if (link.invite_sent_at !== null) {
            assert.strictEqual(perCustomer.get(link.shopify_customer_id), 1, `${hint}: ${link.first_name}'s recorded invite was sent`)
          }
          // Shopify invites by email: every uploaded customer with one gets exactly one invite.
          if (link.email !== null) {
            assert.strictEqual(perCustomer.get(link.shopify_customer_id), 1, `${hint}: ${link.first_name} invited once`)
          }
        }
      }), slow)

    it.scopedLive(`customers-from-shopify: every Shopify change applied to Edge once (seed ${seed})`, () =>
      Effect.gen(function*() {
        const hint = Crash.replayHint("customers-from-shopify", seed)
        const m = yield* H.mission(yield* freshDatabase("crash"))
        const random = Crash.rng(seed ^ 0xc0ffee)
        // Twice as many linked customers as the first changes: later waves change fresh ones while they
        // last, then some customers again.
        const pool = 2 * chaos.records
        for (let n = 0; n < pool; n++) {
          yield* H.insertCustomer(m, { first_name: `Linked${n}`, last_name: "Customer", email: `linked${n}@example.com`, city: "Ottawa", web_upload: true })
        }
        log(`[crash] customers-from-shopify seed=${seed}: linking ${pool} customers`)
        // Linked the ordinary way, fault-free and in-process: the chaos is in the pull. In runs of at most
        // 60 uploads, so that no single run waits long for Shopify's cost bucket. (These tests run on the
        // live clock: under the TestClock a run that has to wait for the bucket would wait forever.)
        const ids = (yield* m.sql<{ readonly customer_id: number }>("SELECT customer_id FROM customers ORDER BY customer_id")).map((r) => Number(r.customer_id))
        for (let from = 0; from < ids.length; from += 60) {
          const chunk = ids.slice(from, from + 60)
          yield* m.sql("UPDATE customers SET web_upload = 0")
          yield* m.sql(`UPDATE customers SET web_upload = 1 WHERE customer_id IN (${chunk.map(() => "?").join(", ")})`, chunk)
          yield* Effect.orDie(m.run("customers-to-shopify", {}, { batchSize: 50 }))
        }
        const links = yield* m.sql<{ readonly customer_id: number; readonly shopify_customer_id: string }>(
          "SELECT customer_id, shopify_customer_id FROM customer_web_links ORDER BY customer_id"
        )
        assert.strictEqual(links.length, pool, `${hint}: set-up linked every customer`)
        // Each customer is changed in Shopify at most once while fresh ones last, so that "applied once"
        // is exact: one committed write per change.
        const fresh = [...random.shuffle(links)]
        const changed = new Map<number, string>()
        let changes = 0
        const change = (count: number) =>
          Effect.forEach(Array.from({ length: count }, () => fresh.shift() ?? random.pick(links)), (link) => {
            changes++
            const name = `Changed${changes}`
            changed.set(link.customer_id, name)
            // The test's own admin writes do not pace themselves as edgesync's client does, and the
            // uploads above may have emptied the cost bucket: it is filled before each, so that setting
            // up never meets THROTTLED.
            return Effect.zipRight(
              Effect.orDie(m.emulator.control.setBucketAvailable(2000)),
              Store.updateCustomer(m.admin, link.shopify_customer_id, { firstName: name, lastName: `Shopify${changes}` })
            )
          }, { discard: true })
        yield* change(chaos.records)
        log(`[crash] customers-from-shopify seed=${seed}: ${pool} customers linked, ${chaos.records} changed in Shopify`)
        const dir = yield* Crash.workDir(configFor(m, {}))
        const report = yield* Crash.chaos({
          pipeline: "customers-from-shopify",
          cwd: dir,
          seed,
          kills: chaos.kills,
          // One page of customers per run (the source's pages are larger than a run's work).
          points: [...commonPoints.filter(([name]) => name !== "source.page"), ["source.page", 1]],
          checkpoint: checkpointOf(m, "customers-from-shopify"),
          notBefore: shopifyNotBefore,
          waveSize: wave,
          topUpSize: chaos.batchSize,
          addWave: change,
          log
        })
        assert.isAtLeast(report.kills, chaos.kills, hint)

        const edge = yield* m.sql<{ readonly customer_id: number; readonly first_name: string; readonly last_name: string }>(
          "SELECT customer_id, first_name, last_name FROM customers ORDER BY customer_id"
        )
        for (const row of edge) {
          const want = changed.get(row.customer_id)
          if (want !== undefined) assert.strictEqual(row.first_name, want, `${hint}: customer ${row.customer_id} has Shopify's change`)
          else assert.match(row.first_name, /^Linked/, `${hint}: customer ${row.customer_id} untouched`)
        }
        const committed = yield* committedActions(m, "customers-from-shopify")
        const repeats = changes - new Set(changed.keys()).size
        if (repeats === 0) {
          assert.strictEqual(committed.written, changes, `${hint}: each change applied once over all runs: ${JSON.stringify(committed)}`)
        } else {
          assert.isAtLeast(committed.written, changed.size, `${hint}: every changed customer written: ${JSON.stringify(committed)}`)
          assert.isAtMost(committed.written, changes, `${hint}: no change applied twice: ${JSON.stringify(committed)}`)
        }
      }), slow)
  }
})
