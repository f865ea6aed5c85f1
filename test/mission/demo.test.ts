// The demo runs as `edgesync demo` runs it: SQLite Edge database, emulator in this process, the
// pipelines twice, a store owner's summary, the database file left behind.
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Demo from "../../pipelines/demo/Demo.js"
import * as DemoReport from "../../pipelines/demo/DemoReport.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "edgesync-demo-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

describe("edgesync demo", () => {
  it.scopedLive("syncs a seeded Edge database with an emulated store and reports it", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const report = yield* Demo.run({ ...Demo.defaults, dir }).pipe(Effect.provide(NodeContext.layer))
      const text = DemoReport.format(report)

      assert.strictEqual(report.databaseFile, join(dir, "edge.db"))
      assert.isTrue(existsSync(report.databaseFile))
      assert.deepStrictEqual(JSON.parse(readFileSync(report.configFile, "utf8")).edge, { database: `sqlite:${report.databaseFile}` })
      assert.include(text, report.databaseFile)

      // Every order became a web sale, none failed.
      assert.strictEqual(report.sales.reduce((n, s) => n + s.count, 0), report.shop.orders)
      assert.deepStrictEqual(report.deadLetters, [])
      for (const summaries of report.cycles) {
        assert.deepStrictEqual(summaries.map((s) => s.pipeline), ["customers-to-shopify", "web-sales-to-edge", "customers-from-shopify"])
        assert.isTrue(summaries.every((s) => s.outcome === "succeeded"))
      }
      // Tax stripped from every sale (bringTaxes off in the demo); refunds and cancellations present.
      assert.strictEqual(report.sales.reduce((n, s) => n + s.stripped, 0), report.shop.orders)
      assert.isTrue(report.sales.some((s) => s.status === "refunded" || s.status === "partially_refunded"))
      assert.isTrue(report.sales.some((s) => s.status === "void"))

      // Matched by email, by phone, ambiguously, and not at all.
      const rule = (name: string) => report.decisions.find((d) => d.rule === name)
      assert.isAtLeast(rule("email")?.count ?? 0, report.arranged.byEmail)
      assert.isAtLeast(rule("phone")?.count ?? 0, report.arranged.byPhone)
      assert.isAtLeast(report.ambiguous.length, 1)
      assert.isAtLeast(rule("no-match")?.count ?? 0, 1)
      assert.strictEqual(rule("no-contact")?.count, report.arranged.anonymous)

      // Uploads and invites; the second cycle saw the site's edits, the refund and the conflict.
      assert.isAtLeast(report.invites, 1)
      assert.isAtLeast(report.links.find((l) => l.method === "upload")?.count ?? 0, 1)
      const second = report.cycles[1]!
      assert.strictEqual(second.find((s) => s.pipeline === "web-sales-to-edge")?.counts.actions["updated"], report.arranged.refunds)
      assert.isTrue(report.conflicts.some((c) => c.field === "city" && c.chosen === "Marblehead"))
      assert.include(text, "Who bought it")
    }), 180_000)
})
