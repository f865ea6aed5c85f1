// The bulk backfill against the emulator: the whole store through bulkOperationRunQuery and its JSONL
// result, nested line items rebuilt, then the incremental read continues without repeating anything;
// a backfill interrupted midway resumes after its last id; failed, expired and busy operations.
import { assert, describe, it } from "@effect/vitest"
import { BigDecimal, Chunk, Effect, Option, Stream } from "effect"
import { customers } from "../../connectors/shopify/CustomersSource.js"
import { orders } from "../../connectors/shopify/OrdersSource.js"
import { splitLines } from "../../connectors/shopify/ShopifyClient.js"
import type { ShopifyOrder } from "../../connectors/shopify/ShopifyOrder.js"
import { adminClient, request } from "./emulator/AdminClient.js"
import { clientLayer, drain, emulator, readContext } from "./ShopifyTestKit.js"

const versions = (records: ReadonlyArray<{ readonly id: string; readonly updatedAt: Date }>) =>
  records.map((o) => `${o.id}@${o.updatedAt.toISOString()}`)

const fast = { backfill: true, bulkPollInterval: "50 millis" } as const

describe("bulk backfill", () => {
  it.effect("splits a downloaded result into lines across chunk boundaries", () =>
    Effect.gen(function*() {
      const chunks = ['{"id":"a"}\n{"id', '":"b","__parentId":"a"}', "\n\n", '{"id":"c"}']
      const lines = yield* Stream.runCollect(splitLines(Stream.fromIterable(chunks).pipe(Stream.rechunk(1))))
      assert.deepStrictEqual(Chunk.toReadonlyArray(lines), ['{"id":"a"}', '{"id":"b","__parentId":"a"}', '{"id":"c"}'])
    }))

  it.scopedLive("backfills every order with its lines through a bulk operation, then reads on incrementally", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 20, seedOrders: 80, bulk: { durationMillis: 100 } })
      const bulkRead = yield* drain(orders(fast), Option.none()).pipe(Effect.provide(clientLayer(em)))
      const counters = yield* em.control.counters
      assert.strictEqual(counters.operations["bulkOperationRunQuery"], 1)
      const paged = yield* drain(orders({ pageSize: 50 }), Option.none()).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(bulkRead.records.length, 80)
      const byId = new Map(paged.records.map((o) => [o.id, o]))
      for (const o of bulkRead.records) {
        const p: ShopifyOrder = byId.get(o.id)!
        assert.strictEqual(o.lineItems.length, p.lineItems.length, `${o.name} lines`)
        assert.strictEqual(o.shippingLines.length, p.shippingLines.length, `${o.name} shipping`)
        assert.isTrue(BigDecimal.equals(o.currentTotal, p.currentTotal))
        assert.deepStrictEqual(o.lineItems.map((l) => l.sku), p.lineItems.map((l) => l.sku))
      }
      const last = Option.getOrThrow(bulkRead.next)
      const again = yield* drain(orders(), Option.some(last)).pipe(Effect.provide(clientLayer(em)))
      assert.deepStrictEqual(versions(again.records), [])
    }))

  it.scopedLive("resumes an interrupted backfill after its last id without repeating a record", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 30, bulk: { durationMillis: 50 } })
      const source = customers(fast)
      const partial = yield* Stream.runCollect(source.read(Option.none(), readContext()).pipe(Stream.take(12))).pipe(
        Effect.provide(clientLayer(em))
      )
      const items = Chunk.toReadonlyArray(partial)
      const cursor = items[items.length - 1]!.cursor
      assert.strictEqual(cursor._tag, "Backfill")
      const rest = yield* drain(source, Option.some(cursor)).pipe(Effect.provide(clientLayer(em)))
      const all = [...items.map((i) => i.record), ...rest.records]
      assert.strictEqual(all.length, 30)
      assert.strictEqual(new Set(all.map((c) => c.id)).size, 30)
      assert.strictEqual((yield* em.control.counters).operations["bulkOperationRunQuery"], 2)
    }))

  it.scopedLive("starts a backfill by itself when the gap is larger than the threshold", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 25, bulk: { durationMillis: 50 } })
      const { records } = yield* drain(customers({ backfillThreshold: 20, bulkPollInterval: "50 millis" }), Option.none())
        .pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(records.length, 25)
      assert.strictEqual((yield* em.control.counters).operations["bulkOperationRunQuery"], 1)
      const em2 = yield* emulator({ seedCustomers: 15 })
      yield* drain(customers({ backfillThreshold: 20 }), Option.none()).pipe(Effect.provide(clientLayer(em2)))
      assert.isUndefined((yield* em2.control.counters).operations["bulkOperationRunQuery"])
    }))

  it.scopedLive("waits for another bulk query of the app to finish", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 10, bulk: { durationMillis: 600, concurrency: 1 } })
      const answer = yield* request(
        adminClient(em),
        `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { id } userErrors { field message code } } }`
      )
      assert.isUndefined(answer.errors)
      const { records } = yield* drain(customers(fast), Option.none()).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(records.length, 10)
      assert.isAtLeast((yield* em.control.counters).operations["bulkOperationRunQuery"] ?? 0, 3)
    }))

  it.scopedLive("reports a failed bulk operation as retriable, and an expired one too", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 10, bulk: { durationMillis: 50 } })
      yield* em.control.bulk({ failNext: { errorCode: "INTERNAL_SERVER_ERROR" } })
      const failed = yield* drain(customers(fast), Option.none()).pipe(Effect.provide(clientLayer(em)), Effect.flip)
      assert.strictEqual(failed.classification, "retriable")
      assert.include(failed.message, "INTERNAL_SERVER_ERROR")
      yield* em.control.bulk({ resultTtlMillis: 0 })
      const expired = yield* drain(customers(fast), Option.none()).pipe(Effect.provide(clientLayer(em)), Effect.flip)
      assert.strictEqual(expired.classification, "retriable")
      assert.include(expired.message, "EXPIRED")
      yield* em.control.bulk({ resultTtlMillis: 60_000 })
      const ok = yield* drain(customers(fast), Option.none()).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(ok.records.length, 10)
    }))

  it.scopedLive("fails a backfill the app may not run as fatal", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 5, bulk: { durationMillis: 50 } })
      yield* em.control.bulk({ failNext: { errorCode: "ACCESS_DENIED" } })
      const error = yield* drain(customers(fast), Option.none()).pipe(Effect.provide(clientLayer(em)), Effect.flip)
      assert.strictEqual(error.reason, "AccessDenied")
      assert.strictEqual(error.classification, "fatal")
    }))

  it.scopedLive("cancels its bulk operation when the run is interrupted", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 5, bulk: { durationMillis: 60_000, concurrency: 1 } })
      const interrupted = yield* drain(customers(fast), Option.none()).pipe(
        Effect.provide(clientLayer(em)),
        Effect.timeoutOption("1 second")
      )
      assert.isTrue(Option.isNone(interrupted))
      // With the first operation cancelled (CANCELING lasts a moment), the only slot is free again.
      yield* Effect.sleep("400 millis")
      const answer = yield* request(
        adminClient(em),
        `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { id } userErrors { field message code } } }`
      )
      const run = (answer.data as { bulkOperationRunQuery: { userErrors: ReadonlyArray<unknown> } }).bulkOperationRunQuery
      assert.deepStrictEqual(run.userErrors, [])
    }))
})
