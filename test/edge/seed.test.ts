// The seed on MariaDB and SQLite: deterministic for a seed, refusing a non-empty database unless reset,
// and as messy as real Edge data (phone formats, extensions, missing area codes, stray email case and
// spaces, households and duplicates sharing keys, customers assigned to web upload, POS history).
// Also `edgesync edge migrate|seed` through the CLI command.
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import { assert } from "vitest"
import * as Config from "../../core/Config.js"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import { EdgeCommand } from "../../connectors/edge/EdgeCommand.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import { seed } from "../../connectors/edge/Seed.js"
import { backends, sqlite, tempDir, withEdge } from "./support/EdgeBackends.js"
import { query } from "./support/Fixtures.js"

const dump = Effect.gen(function*() {
  const customers = yield* query<Record<string, unknown>>(
    "SELECT customer_id, first_name, last_name, email, phone_cell, phone_home, phone_work, address1, city, country, web_upload FROM customers ORDER BY customer_id"
  )
  const sales = yield* query<Record<string, unknown>>("SELECT sale_id, customer_id, store_no, total, status FROM sales ORDER BY sale_id")
  const lines = yield* query<Record<string, unknown>>("SELECT sale_id, line_no, sku, extended FROM sale_lines ORDER BY sale_id, line_no")
  const normalize = (rows: ReadonlyArray<Record<string, unknown>>) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])))
  return JSON.stringify([normalize(customers), normalize(sales), normalize(lines)])
})

describe("seed", () => {
  it.scopedLive("the same seed gives the same data, on SQLite and on MariaDB", () =>
    Effect.gen(function*() {
      const options = { seed: 7, customers: 400, sales: 300, items: 30 }
      const [a, b, c] = yield* Effect.all([
        withEdge(sqlite, Effect.zipRight(seed(options), dump)),
        withEdge(sqlite, Effect.zipRight(seed(options), dump)),
        withEdge(backends[0]!, Effect.zipRight(seed(options), dump))
      ])
      assert.strictEqual(a, b)
      assert.strictEqual(a, c)
      const other = yield* withEdge(sqlite, Effect.zipRight(seed({ ...options, seed: 8 }), dump))
      assert.notStrictEqual(a, other)
    }))

  for (const backend of backends) {
    it.scopedLive(`realistic, messy data on ${backend.name}; a non-empty database is refused unless reset`, () =>
      withEdge(backend, Effect.gen(function*() {
        const summary = yield* seed({ seed: 3, customers: 2_000, sales: 1_000 })
        assert.strictEqual(summary.customers, 2_000)
        assert.isAbove(summary.households, 0)
        assert.isAbove(summary.duplicates, 0)
        assert.isAbove(summary.flaggedForWebUpload, 0)
        const phones = (yield* query<{ p: string }>(
          "SELECT phone_cell AS p FROM customers WHERE phone_cell IS NOT NULL UNION ALL SELECT phone_home FROM customers WHERE phone_home IS NOT NULL UNION ALL SELECT phone_work FROM customers WHERE phone_work IS NOT NULL"
        )).map((r) => r.p)
        for (const shape of [/^\(\d{3}\) \d{3}-\d{4}$/, /^\d{3}\.\d{3}\.\d{4}$/, /^\+1 \d{3} \d{3} \d{4}$/, /ext\. \d+$/, / x\d+$/, /^\d{3}-\d{4}$/]) {
          assert.isTrue(phones.some((p) => shape.test(p)), `a phone like ${shape}`)
        }
        const emails = (yield* query<{ e: string }>("SELECT email AS e FROM customers WHERE email IS NOT NULL")).map((r) => r.e)
        assert.isTrue(emails.some((e) => e !== e.trim()), "emails with stray spaces")
        assert.isTrue(emails.some((e) => e.trim() !== e.trim().toLowerCase()), "emails with stray case")
        const [stores] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM stores WHERE store_no = 98 AND kind = 'web' AND licensed = 1")
        assert.strictEqual(Number(stores?.n), 1)
        const [sales] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM sales WHERE kind = 'pos' AND customer_id IS NOT NULL")
        assert.isAbove(Number(sales?.n), 500)
        // Shared keys: some lookups find more than one customer.
        const lookup = yield* CustomerLookup
        const sample = (yield* query<{ phone_home: string | null; email: string | null }>(
          "SELECT phone_home, email FROM customers ORDER BY customer_id"
        )).map((r) => ({ phone: r.phone_home, email: r.email }))
        const results = yield* lookup.lookup(sample, { defaultCountry: "US" })
        assert.isTrue(results.some((r) => r.candidates.length > 1), "ambiguity to face")

        const refused = yield* Effect.flip(seed({ customers: 10 }))
        assert.strictEqual(refused._tag, "SeedError")
        const reseeded = yield* seed({ customers: 10, sales: 5, reset: true })
        assert.strictEqual(reseeded.customers, 10)
        const [left] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM customers")
        assert.strictEqual(Number(left?.n), 10)
        assert.strictEqual((yield* Effect.flip(seed({ customers: -1, reset: true }))).reason, "InvalidSize")
      })))
  }
})

describe("edgesync edge", () => {
  it.scopedLive("migrate and seed run from the command line against the configured database", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = join(dir, "cli.db")
      const cli = Command.run(Command.make("edgesync").pipe(Command.withSubcommands([EdgeCommand])), { name: "edgesync", version: "test" })
      const env = Layer.mergeAll(NodeContext.layer, Config.layerFromObject({}, { EDGE_DATABASE_URL: `sqlite:${file}` }))
      yield* cli(["node", "edgesync", "edge", "migrate"]).pipe(Effect.provide(env))
      yield* cli(["node", "edgesync", "edge", "seed", "--seed", "5", "--customers", "120", "--sales", "40", "--items", "10", "--stores", "2"]).pipe(
        Effect.provide(env)
      )
      yield* cli(["node", "edgesync", "edge", "reindex", "--default-country", "US"]).pipe(Effect.provide(env))
      const counts = yield* withEdge(
        { name: "sqlite", url: Effect.succeed(`sqlite:${file}`) },
        Effect.gen(function*() {
          yield* EdgeDb
          const [customers] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM customers")
          const [stores] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM stores")
          const [keys] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM edgesync_customer_match_keys")
          return [Number(customers?.n), Number(stores?.n), Number(keys?.n)]
        })
      )
      assert.deepStrictEqual(counts.slice(0, 2), [120, 3])
      assert.isAbove(counts[2]!, 120)
    }))
})
