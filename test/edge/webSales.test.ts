// edge.webSales on MariaDB and SQLite: idempotency, newer versions, exact money, verbatim text, the web
// store check, and the batch and checkpoint committing (or not) together.
import { layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { BigDecimal, Effect, Exit, Option, Schema } from "effect"
import { assert } from "vitest"
import { RecordRejected } from "../../core/EtlError.js"
import * as SqlStateStore from "../../core/SqlStateStore.js"
import { emptyCounts } from "../../core/StateStore.js"
import { WebSale } from "../../connectors/edge/WebSale.js"
import { webSales } from "../../connectors/edge/WebSales.js"
import { requireWebStore } from "../../connectors/edge/WebStore.js"
import { backends, edgeLayer } from "./support/EdgeBackends.js"
import { money, nasty, putStore, query, sinkContext, webSale } from "./support/Fixtures.js"

const saleRows = (orderId: string) =>
  query<{ sale_id: number; status: string; total: string; subtotal: string; tax: string; sale_no: string; kind: string; store_no: number }>(
    "SELECT sale_id, status, total, subtotal, tax, sale_no, kind, store_no FROM sales WHERE shopify_order_id = ?",
    [orderId]
  )
const lineRows = (saleId: number) =>
  query<{ line_no: number; sku: string | null; description: string; quantity: number; unit_price: string; extended: string }>(
    "SELECT line_no, sku, description, quantity, unit_price, extended FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
    [saleId]
  )
const count = (table: string, saleId: number) =>
  Effect.map(query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE sale_id = ?`, [saleId]), (rows) => Number(rows[0]?.n))

for (const backend of backends) {
  layer(edgeLayer(backend), { excludeTestServices: true, timeout: "60 seconds" })(`edge.webSales on ${backend.name}`, (it) => {
    it.effect("writes a sale with its lines, tenders and taxes, amounts exact", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const sale = webSale()
        const { ctx, committed } = sinkContext()
        const outcomes = yield* webSales.write([sale], ctx)
        assert.deepStrictEqual(outcomes, [{ _tag: "Written", action: "created" }])
        assert.strictEqual(committed.length, 1, "commit called once, with the outcomes")
        const [row] = yield* saleRows(sale.shopify_order_id)
        assert.strictEqual(row?.total, "162.33")
        assert.strictEqual(row?.subtotal, "150.00")
        assert.strictEqual(row?.kind, "web")
        assert.strictEqual(Number(row?.store_no), 98)
        const lines = yield* lineRows(Number(row?.sale_id))
        assert.deepStrictEqual(lines.map((l) => [Number(l.line_no), l.sku, l.unit_price, l.extended]), [
          [1, "RG-10001", "100.00", "90.00"],
          [2, null, "30.00", "60.00"]
        ])
        const [tax] = yield* query<{ rate: string; amount: string }>("SELECT rate, amount FROM sale_taxes WHERE sale_id = ?", [row?.sale_id])
        assert.strictEqual(Number(tax?.rate), 0.0825)
        assert.strictEqual(tax?.amount, "12.38")
        assert.strictEqual(yield* count("sale_tenders", Number(row?.sale_id)), 1)
      }))

    it.effect("importing the same order twice changes nothing", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const sale = webSale()
        yield* webSales.write([sale], sinkContext().ctx)
        const [before] = yield* saleRows(sale.shopify_order_id)
        const again = yield* webSales.write([sale], sinkContext().ctx)
        assert.strictEqual(again[0]?._tag, "Skipped")
        const rows = yield* saleRows(sale.shopify_order_id)
        assert.strictEqual(rows.length, 1)
        assert.strictEqual(rows[0]?.sale_id, before?.sale_id)
        assert.strictEqual(yield* count("sale_lines", Number(before?.sale_id)), 2)
      }))

    it.effect("a newer version updates status, amounts and lines in place; an older one is skipped", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const sale = webSale()
        yield* webSales.write([sale], sinkContext().ctx)
        const [first] = yield* saleRows(sale.shopify_order_id)
        const refunded = webSale({
          shopify_order_id: sale.shopify_order_id,
          status: "partially_refunded",
          subtotal: money("100"),
          total: money("100.5"),
          shopify_updated_at: new Date("2026-03-02T09:00:00Z"),
          lines: [sale.lines[0]!]
        })
        const outcomes = yield* webSales.write([refunded], sinkContext().ctx)
        assert.deepStrictEqual(outcomes, [{ _tag: "Written", action: "updated" }])
        const rows = yield* saleRows(sale.shopify_order_id)
        assert.strictEqual(rows.length, 1, "never duplicated")
        assert.strictEqual(rows[0]?.sale_id, first?.sale_id, "same sale id")
        assert.strictEqual(rows[0]?.status, "partially_refunded")
        assert.strictEqual(rows[0]?.total, "100.50")
        assert.strictEqual(yield* count("sale_lines", Number(first?.sale_id)), 1, "lines replaced, not added")
        assert.strictEqual(yield* count("sale_tenders", Number(first?.sale_id)), 1)
        assert.strictEqual(yield* count("sale_taxes", Number(first?.sale_id)), 1)
        const older = yield* webSales.write([sale], sinkContext().ctx)
        assert.strictEqual(older[0]?._tag, "Skipped")
        assert.strictEqual((yield* saleRows(sale.shopify_order_id))[0]?.status, "partially_refunded")
      }))

    it.effect("two versions of one order in a batch: the newest is written, once", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const sale = webSale()
        const newer = webSale({ shopify_order_id: sale.shopify_order_id, status: "refunded", shopify_updated_at: new Date("2026-03-05T00:00:00Z") })
        const outcomes = yield* webSales.write([newer, sale], sinkContext().ctx)
        assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Written", "Skipped"])
        const rows = yield* saleRows(sale.shopify_order_id)
        assert.strictEqual(rows.length, 1)
        assert.strictEqual(rows[0]?.status, "refunded")
      }))

    it.effect("an amount DECIMAL(12,2) cannot hold exactly is a record-level rejection that writes nothing", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const good = webSale()
        const threeDecimals = webSale({ total: money("162.335") })
        const inLine = webSale({ lines: [{ ...webSale().lines[0]!, unit_price: money("0.001") }] })
        const tooBig = webSale({ subtotal: money("12345678901.00") })
        const trailingZeros = webSale({ total: money("162.3300") })
        const { ctx, committed } = sinkContext()
        const outcomes = yield* webSales.write([threeDecimals, good, inLine, tooBig, trailingZeros], ctx)
        assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Rejected", "Written", "Rejected", "Rejected", "Written"])
        const rejected = outcomes[0]
        assert.isTrue(rejected?._tag === "Rejected" && rejected.error.classification === "record")
        assert.include(rejected?._tag === "Rejected" ? rejected.error.message : "", "162.335")
        assert.include(outcomes[2]?._tag === "Rejected" ? outcomes[2].error.message : "", "lines[0].unit_price")
        for (const sale of [threeDecimals, inLine, tooBig]) assert.strictEqual((yield* saleRows(sale.shopify_order_id)).length, 0)
        assert.strictEqual((yield* saleRows(trailingZeros.shopify_order_id))[0]?.total, "162.33")
        assert.deepStrictEqual(committed[0]?.map((o) => o._tag), outcomes.map((o) => o._tag))
      }))

    it.effect("text with SQL metacharacters, RTL and emoji is stored verbatim; NUL and oversize text are refused", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const orderId = `gid://shopify/Order/${nasty}`
        const sale = webSale({
          shopify_order_id: orderId,
          sale_no: "#1'; --🎉",
          lines: [{ ...webSale().lines[0]!, sku: "SKU'\"🎉", description: nasty }],
          tenders: [{ tender: nasty.slice(0, 90), amount: money("162.33") }],
          taxes: [{ title: "ضريبة 🎉 ' --", rate: money("0.0825"), amount: money("12.38") }]
        })
        const outcomes = yield* webSales.write([sale], sinkContext().ctx)
        assert.deepStrictEqual(outcomes, [{ _tag: "Written", action: "created" }])
        const [row] = yield* saleRows(orderId)
        assert.strictEqual(row?.sale_no, "#1'; --🎉")
        const [line] = yield* lineRows(Number(row?.sale_id))
        assert.strictEqual(line?.description, nasty)
        assert.strictEqual(line?.sku, "SKU'\"🎉")
        const [tender] = yield* query<{ tender: string }>("SELECT tender FROM sale_tenders WHERE sale_id = ?", [row?.sale_id])
        assert.strictEqual(tender?.tender, nasty.slice(0, 90))
        const [tax] = yield* query<{ title: string }>("SELECT title FROM sale_taxes WHERE sale_id = ?", [row?.sale_id])
        assert.strictEqual(tax?.title, "ضريبة 🎉 ' --")
        const withNul = webSale({ sale_no: "#1\u00002" })
        const tooLong = webSale({ lines: [{ ...webSale().lines[0]!, description: "💍".repeat(256) }] })
        const fits = webSale({ lines: [{ ...webSale().lines[0]!, description: "💍".repeat(255) }] })
        const refused = yield* webSales.write([withNul, tooLong, fits], sinkContext().ctx)
        assert.deepStrictEqual(refused.map((o) => o._tag), ["Rejected", "Rejected", "Written"])
        const [fitted] = yield* saleRows(fits.shopify_order_id)
        assert.strictEqual((yield* lineRows(Number(fitted?.sale_id)))[0]?.description, "💍".repeat(255))
      }))

    it.effect("a sale survives its JSON round trip (dead letters keep the encoded form)", () =>
      Effect.gen(function*() {
        const sale = webSale({ total: money("0.10") })
        const encoded = JSON.stringify(Schema.encodeSync(WebSale)(sale))
        const decoded = Schema.decodeUnknownSync(WebSale)(JSON.parse(encoded))
        assert.isTrue(BigDecimal.equals(decoded.total, money("0.10")))
        assert.strictEqual(Schema.encodeSync(WebSale)(decoded).lines[0]?.unit_price, "100")
        assert.strictEqual(decoded.shopify_order_id, sale.shopify_order_id)
      }))

    it.effect("the web store check names the store and what is wrong, and the sink refuses to write", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        yield* requireWebStore(98)
        yield* putStore(5, "retail", true)
        yield* putStore(6, "web", false)
        const missing = yield* Effect.flip(requireWebStore(77))
        assert.strictEqual(missing._tag, "WebStoreError")
        assert.strictEqual(missing.classification, "fatal")
        assert.match(missing.message, /Web store 77 does not exist/)
        assert.match((yield* Effect.flip(requireWebStore(5))).message, /Store 5 is a retail store, not a web store/)
        assert.match((yield* Effect.flip(requireWebStore(6))).message, /Web store 6 is not licensed/)
        const sale = webSale({ store_no: 6 })
        const error = yield* Effect.flip(webSales.write([sale], sinkContext().ctx))
        assert.strictEqual(error.classification, "fatal")
        assert.match(error.message, /Web store 6 is not licensed/)
        assert.strictEqual((yield* saleRows(sale.shopify_order_id)).length, 0)
      }))

    it.effect("the batch and the checkpoint commit in one transaction: all, or (on a failure) neither", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const sql = yield* SqlClient.SqlClient
        const store = yield* Effect.provideService(SqlStateStore.make, SqlClient.SqlClient, sql)
        yield* store.migrate
        const pipeline = `atomic-${backend.name}-${Date.now()}`
        yield* store.startRun({ runId: "run-1", pipeline, startedAt: new Date(), dryRun: false })
        const commitWith = (cursor: string, after: Effect.Effect<void, RecordRejected>) =>
          sinkContext((outcomes) =>
            Effect.zipRight(
              store.commitBatch({
                pipeline,
                runId: "run-1",
                cursor: Option.some(cursor),
                deadLetters: [],
                replayed: [],
                counts: { ...emptyCounts, read: outcomes.length, written: outcomes.length }
              }),
              after
            )
          ).ctx

        const failed = [webSale(), webSale(), webSale()]
        const failure = new RecordRejected({ stage: "edge.webSales", reason: "injected failure after the checkpoint" })
        const exit = yield* Effect.exit(webSales.write(failed, commitWith("\"c1\"", Effect.fail(failure))))
        assert.isTrue(Exit.isFailure(exit))
        for (const sale of failed) assert.strictEqual((yield* saleRows(sale.shopify_order_id)).length, 0, "no sale left behind")
        assert.isTrue(Option.isNone(yield* store.checkpoint(pipeline)), "no checkpoint left behind")

        const ok = [webSale(), webSale()]
        yield* webSales.write(ok, commitWith("\"c2\"", Effect.void))
        for (const sale of ok) assert.strictEqual((yield* saleRows(sale.shopify_order_id)).length, 1)
        const checkpoint = yield* store.checkpoint(pipeline)
        assert.strictEqual(Option.getOrUndefined(checkpoint)?.cursor, "\"c2\"")
      }))

    it.effect("a dry run plans without writing", () =>
      Effect.gen(function*() {
        yield* putStore(98, "web", true)
        const sale = webSale()
        const planned = yield* webSales.plan!([sale, webSale({ total: money("1.005") })], {
          pipeline: "p",
          runId: "r",
          stage: "edge.webSales",
          dryRun: true
        })
        assert.deepStrictEqual(planned.map((o) => o._tag), ["Written", "Rejected"])
        assert.strictEqual((yield* saleRows(sale.shopify_order_id)).length, 0)
      }))
  })
}
