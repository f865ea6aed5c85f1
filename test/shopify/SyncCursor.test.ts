// The checkpoint rules of the Shopify sources: a version is emitted once, a record that becomes visible
// late inside the overlap window is still emitted, and the window never moves back.
import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import * as SyncCursor from "../../connectors/shopify/SyncCursor.js"

const policy: SyncCursor.WindowPolicy = { overlapMillis: 60_000, maxSeen: 5 }
const t = (iso: string) => new Date(iso)

describe("SyncCursor", () => {
  it("emits everything from no cursor, and remembers the versions in the window", () => {
    let c = Option.none<SyncCursor.Incremental>()
    for (const [id, at] of [["a", "2026-01-01T00:00:00Z"], ["b", "2026-01-01T00:00:30Z"], ["c", "2026-01-01T00:02:00Z"]] as const) {
      assert.isTrue(SyncCursor.isNew(c, id, t(at)))
      c = Option.some(SyncCursor.advance(c, id, t(at), policy))
    }
    const cursor = Option.getOrThrow(c)
    assert.strictEqual(cursor.updatedAt, "2026-01-01T00:02:00Z")
    assert.strictEqual(cursor.windowStart, "2026-01-01T00:01:00Z")
    assert.deepStrictEqual(cursor.seen, [{ id: "c", at: "2026-01-01T00:02:00Z" }])
  })

  it("does not emit a remembered version again, but emits a newer version of it", () => {
    const c = Option.some(SyncCursor.advance(Option.none(), "a", t("2026-01-01T00:00:10Z"), policy))
    assert.isFalse(SyncCursor.isNew(c, "a", t("2026-01-01T00:00:10Z")))
    assert.isTrue(SyncCursor.isNew(c, "a", t("2026-01-01T00:00:11Z")))
  })

  it("emits a record that shows up late inside the window, and nothing older than the window", () => {
    let c = Option.some(SyncCursor.advance(Option.none(), "b", t("2026-01-01T00:05:00Z"), policy))
    // "a" was updated 20 s before "b" but the search index showed it only now.
    assert.isTrue(SyncCursor.isNew(c, "a", t("2026-01-01T00:04:40Z")))
    c = Option.some(SyncCursor.advance(c, "a", t("2026-01-01T00:04:40Z"), policy))
    assert.strictEqual(Option.getOrThrow(c).updatedAt, "2026-01-01T00:05:00Z")
    assert.isFalse(SyncCursor.isNew(c, "a", t("2026-01-01T00:04:40Z")))
    assert.isFalse(SyncCursor.isNew(c, "z", t("2026-01-01T00:03:59Z")))
  })

  it("shrinks the window past maxSeen but keeps every id of the newest second", () => {
    let c = Option.none<SyncCursor.Incremental>()
    for (let i = 0; i < 4; i++) c = Option.some(SyncCursor.advance(c, `old${i}`, t("2026-01-01T00:00:00Z"), policy))
    for (let i = 0; i < 8; i++) c = Option.some(SyncCursor.advance(c, `new${i}`, t("2026-01-01T00:00:05Z"), policy))
    const cursor = Option.getOrThrow(c)
    assert.strictEqual(cursor.windowStart, "2026-01-01T00:00:01Z")
    assert.strictEqual(cursor.seen.length, 8)
    assert.isFalse(SyncCursor.isNew(c, "old1", t("2026-01-01T00:00:00Z")))
    assert.isFalse(SyncCursor.isNew(c, "new7", t("2026-01-01T00:00:05Z")))
    assert.isTrue(SyncCursor.isNew(c, "new8", t("2026-01-01T00:00:05Z")))
  })

  it("hands a backfill's position to the incremental read without re-emitting what it emitted", () => {
    const start = SyncCursor.startBackfill(Date.parse("2026-01-01T01:00:00Z"), Option.none(), policy)
    const b1 = SyncCursor.advanceBackfill(start, "gid://shopify/Order/7", "7", t("2026-01-01T00:59:30Z"), policy)
    const b2 = SyncCursor.advanceBackfill(b1, "gid://shopify/Order/9", "9", t("2025-12-01T00:00:00Z"), policy)
    assert.strictEqual(b2.lastId, "9")
    assert.strictEqual(SyncCursor.compare(b1, b2), -1)
    const next = SyncCursor.afterBackfill(b2)
    assert.strictEqual(next.updatedAt, "2026-01-01T01:00:00Z")
    assert.isFalse(SyncCursor.isNew(Option.some(next), "gid://shopify/Order/7", t("2026-01-01T00:59:30Z")))
    assert.isTrue(SyncCursor.isNew(Option.some(next), "gid://shopify/Order/8", t("2026-01-01T00:59:40Z")))
    assert.strictEqual(SyncCursor.compare(b2, next), -1)
  })
})
