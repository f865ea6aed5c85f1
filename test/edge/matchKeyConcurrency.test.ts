// The match-key index maintained by two processes at once, as happens when `edgesync edge reindex` (or a
// first lookup) meets a scheduled run's lookup: each has its own connection pool on the same MariaDB
// database. Their transactions can deadlock on the index rows; neither may fail for it.
import { describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { assert } from "vitest"
import { fromUrl } from "../../connectors/edge/EdgeConfig.js"
import { layer } from "../../connectors/edge/EdgeConnector.js"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import { migrate } from "../../connectors/edge/EdgeMigrate.js"
import { seed } from "../../connectors/edge/Seed.js"
import { freshDatabase } from "../support/MariaDb.js"

describe("match-key index under concurrent maintenance (MariaDB)", () => {
  it.scopedLive("two pools rebuilding and refreshing at once both succeed, and the index is whole", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase("keys")
      const pool = () =>
        Effect.flatMap(fromUrl(url, { changeSettleMillis: 0 }), (config) => Layer.build(layer(config))).pipe(Effect.orDie)
      const [first, second] = [yield* pool(), yield* pool()]
      yield* Effect.provide(migrate, first)
      yield* Effect.provide(seed({ seed: 3, customers: 3000 }), first)
      const maintain = (context: typeof first, rounds: number) =>
        Effect.provide(
          Effect.flatMap(CustomerLookup, (lookup) =>
            Effect.forEach(Array.from({ length: rounds }, (_, i) => i), (i) =>
              i % 2 === 0 ? lookup.rebuildIndex("US") : lookup.refreshIndex("US"), { discard: true })),
          context
        )
      const outcomes = yield* Effect.all([Effect.either(maintain(first, 6)), Effect.either(maintain(second, 6))], { concurrency: 2 })
      assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Right", "Right"], JSON.stringify(outcomes.map((o) => o._tag === "Left" ? o.left.message : "ok")))
      const keys = Effect.provide(
        Effect.flatMap(EdgeDb, (db) =>
          db.sql.unsafe<{ readonly kind: string; readonly match_key: string; readonly customer_id: number | string }>(
            "SELECT kind, match_key, customer_id FROM edgesync_customer_match_keys ORDER BY kind, match_key, customer_id"
          )),
        first
      ).pipe(Effect.orDie, Effect.map((rows) => rows.map((r) => `${r.kind} ${r.match_key} ${r.customer_id}`)))
      const afterRace = yield* keys
      yield* Effect.provide(Effect.flatMap(CustomerLookup, (lookup) => lookup.rebuildIndex("US")), first)
      const rebuiltAlone = yield* keys
      assert.isAbove(rebuiltAlone.length, 3000, "the seed's customers have keys")
      assert.deepStrictEqual(afterRace, rebuiltAlone, "the index after the race is what one rebuild makes")
    }), 120_000)
})
