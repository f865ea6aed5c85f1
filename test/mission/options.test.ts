// The sync options end to end: invalid combinations refused before anything runs, customerDownload's
// email and create-new modes, dry runs that write nothing, and `run all`'s choice of pipelines.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import * as Config from "../../core/Config.js"
import * as RunAll from "../../pipelines/commands/RunAll.js"
import * as H from "./support/MissionHarness.js"
import * as Store from "./support/ShopifyStore.js"

const line = { sku: "RING-1", title: "Gold ring", quantity: 1, price: "100.00" }
const paid = { gateway: "manual", amount: "100.00" }

const count = (m: H.Mission, table: string) =>
  Effect.map(m.sql<{ readonly n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`), (rows) => Number(rows[0]?.n))

describe("sync options", () => {
  it.scopedLive("a contradictory combination is refused before anything runs, naming the options", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const shopper = yield* Store.createCustomer(m.admin, { email: "a@example.com" })
      yield* Store.createOrder(m.admin, { customerId: shopper, lines: [line], paid })
      for (const pipeline of ["web-sales-to-edge", "customers-to-shopify", "customers-from-shopify"] as const) {
        const error = yield* Effect.flip(m.run(pipeline, { syncCustomers: false }))
        assert.include(String((error as { readonly message?: string }).message), "bringSales requires syncCustomers", pipeline)
        assert.include(String((error as { readonly message?: string }).message), "sync.bringSales", pipeline)
      }
      const typo = yield* Effect.flip(m.run("web-sales-to-edge", { bringTax: false }))
      assert.include(String((typo as { readonly message?: string }).message), "sync.bringTax")
      assert.strictEqual(yield* count(m, "sales"), 0)
      assert.strictEqual(yield* count(m, "edgesync_runs"), 0, "not even a run was recorded")
    }), 120_000)

  it.effect("run all runs the enabled pipelines in order", () =>
    Effect.gen(function*() {
      const names = (sync: Record<string, unknown>) =>
        RunAll.all.pipelines.pipe(Effect.provide(Config.layerFromObject({ sync })))
      assert.deepStrictEqual(yield* names({}), ["customers-to-shopify", "web-sales-to-edge", "customers-from-shopify"])
      assert.deepStrictEqual(yield* names({ bringSales: false }), ["customers-to-shopify", "customers-from-shopify"])
      assert.deepStrictEqual(yield* names({ bringSales: false, syncCustomers: false }), [])
      const error = yield* Effect.flip(names({ syncCustomers: false }))
      // The same error a run of one of the pipelines gives: the key, and the rule naming both options.
      assert.include(error.message, "\"sync.bringSales\"")
      assert.include(error.message, "bringSales requires syncCustomers")
    }))

  it.scopedLive("the real CLI refuses `run all` with bringSales but not syncCustomers, with the rule's own message", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-options-"))),
        (d) => Effect.promise(() => fs.rm(d, { recursive: true, force: true }))
      )
      yield* Effect.promise(() => fs.writeFile(path.join(dir, "edgesync.config.json"), JSON.stringify({ sync: { syncCustomers: false } })))
      // A clean environment: nothing of the developer's connector settings.
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_)/.test(key)))
      const result = yield* Effect.async<{ readonly code: number | null; readonly output: string }>((resume) => {
        const child = spawn(process.execPath, [path.resolve(import.meta.dirname, "../../bin/edgesync.js"), "run", "all"], {
          cwd: dir,
          env,
          stdio: ["ignore", "pipe", "pipe"]
        })
        let output = ""
        child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()))
        child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()))
        child.on("close", (code) => resume(Effect.succeed({ code, output })))
        return Effect.sync(() => void child.kill("SIGKILL"))
      })
      assert.notStrictEqual(result.code, 0)
      assert.include(result.output, "Invalid configuration \"sync.bringSales\" (got true): expected bringSales requires syncCustomers")
      assert.include(result.output, "turn syncCustomers on, or bringSales off")
    }), 60_000)

  it.scopedLive("customerDownload email: phones are not searched; create-new: never searched, the next order follows the link", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const byEmail = yield* H.insertCustomer(m, { first_name: "Eve", email: "eve@example.com" })
      const byPhone = yield* H.insertCustomer(m, { first_name: "Phil", phone_cell: "(415) 401-0001" })
      const eve = yield* Store.createCustomer(m.admin, { firstName: "Eve", email: "EVE@example.com" })
      const phil = yield* Store.createCustomer(m.admin, { firstName: "Phil", phone: "+14154010001" })
      const o1 = yield* Store.createOrder(m.admin, { customerId: eve, lines: [line], paid })
      const o2 = yield* Store.createOrder(m.admin, { customerId: phil, lines: [line], paid })
      yield* m.run("web-sales-to-edge", { customerDownload: "email" })
      const sales = new Map((yield* m.sql<{ readonly sale_no: string; readonly customer_id: number | string }>("SELECT sale_no, customer_id FROM sales")).map((r) => [r.sale_no, Number(r.customer_id)]))
      assert.strictEqual(sales.get(o1.name), byEmail)
      assert.notStrictEqual(sales.get(o2.name), byPhone, "email mode does not match by phone")

      const n = yield* H.mission(yield* H.mariadbUrl)
      const again = yield* H.insertCustomer(n, { first_name: "Eve", email: "eve@example.com" })
      const eve2 = yield* Store.createCustomer(n.admin, { firstName: "Eve", email: "eve@example.com" })
      const first = yield* Store.createOrder(n.admin, { customerId: eve2, lines: [line], paid })
      yield* n.run("web-sales-to-edge", { customerDownload: "create-new" })
      const second = yield* Store.createOrder(n.admin, { customerId: eve2, lines: [line], paid })
      yield* n.run("web-sales-to-edge", { customerDownload: "create-new" })
      const got = new Map((yield* n.sql<{ readonly sale_no: string; readonly customer_id: number | string }>("SELECT sale_no, customer_id FROM sales")).map((r) => [r.sale_no, Number(r.customer_id)]))
      assert.notStrictEqual(got.get(first.name), again, "create-new never matches")
      assert.strictEqual(got.get(second.name), got.get(first.name), "the created customer was linked")
      const links = yield* n.sql<{ readonly link_method: string }>("SELECT link_method FROM customer_web_links")
      assert.deepStrictEqual(links.map((l) => l.link_method), ["created"])
    }), 120_000)

  it.scopedLive("--dry-run plans with counts and writes nothing, on either side", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      yield* H.insertCustomer(m, { first_name: "Ann", email: "ann@example.com" })
      yield* H.insertCustomer(m, { first_name: "Up", email: "up@example.com", web_upload: true })
      const ann = yield* Store.createCustomer(m.admin, { firstName: "Ann", email: "ann@example.com" })
      const newbie = yield* Store.createCustomer(m.admin, { firstName: "New", email: "new@example.com" })
      yield* Store.createOrder(m.admin, { customerId: ann, lines: [line], paid })
      yield* Store.createOrder(m.admin, { customerId: newbie, lines: [{ ...line, taxes: [[0.1, "10.00"]] }], paid: { gateway: "manual", amount: "110.00" } })
      const customersBefore = yield* count(m, "customers")
      const shopifyBefore = (yield* Effect.orDie(m.emulator.control.customers)).length

      const sales = yield* m.run("web-sales-to-edge", { bringTaxes: false }, { dryRun: true })
      assert.isTrue(sales.dryRun)
      assert.strictEqual(sales.counts.actions["match:email"], 1)
      assert.strictEqual(sales.counts.actions["match:no-match"], 1)
      assert.strictEqual(sales.counts.actions["tax-stripped"], 1)
      assert.strictEqual(sales.counts.actions["created"], 2, JSON.stringify(sales.counts.actions))
      const upload = yield* m.run("customers-to-shopify", { sendInviteOnUpload: true }, { dryRun: true })
      assert.strictEqual(upload.counts.actions["created"], 1, JSON.stringify(upload.counts.actions))
      assert.strictEqual(upload.counts.actions["invite:would-send"], 1)

      for (const table of ["sales", "customer_web_links", "edgesync_match_decisions", "edgesync_checkpoints"]) {
        assert.strictEqual(yield* count(m, table), 0, table)
      }
      assert.strictEqual(yield* count(m, "customers"), customersBefore, "no Edge customer created")
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.customers)).length, shopifyBefore, "no Shopify customer created")
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.invites)).length, 0)
    }), 120_000)
})
