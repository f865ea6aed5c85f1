// Source `shopify.orders` against the emulator over real HTTP: pages, windows past the pagination
// ceiling, overlap and de-duplication, an order changed during a run, money as Shopify computed it,
// line items past the first page, and cost pacing.
import { assert, describe, it } from "@effect/vitest"
import { BigDecimal, Effect, Option, Ref, Stream } from "effect"
import { orders } from "../../connectors/shopify/OrdersSource.js"
import type { ShopifyOrder } from "../../connectors/shopify/ShopifyOrder.js"
import type { SyncCursor } from "../../connectors/shopify/SyncCursor.js"
import * as SyncCursorRules from "../../connectors/shopify/SyncCursor.js"
import { adminClient, request } from "./emulator/AdminClient.js"
import { clientLayer, drain, emulator, readContext } from "./ShopifyTestKit.js"

const versions = (records: ReadonlyArray<ShopifyOrder>) => records.map((o) => `${o.id}@${o.updatedAt.toISOString()}`)

const assertNoDuplicateVersions = (records: ReadonlyArray<ShopifyOrder>) => {
  const all = versions(records)
  assert.strictEqual(new Set(all).size, all.length, "a version was emitted twice")
}

const assertCursorsNeverMoveBack = (cursors: ReadonlyArray<SyncCursor>) => {
  for (let i = 1; i < cursors.length; i++) {
    assert.isAtLeast(SyncCursorRules.compare(cursors[i]!, cursors[i - 1]!), 0, `cursor ${i} moved back`)
  }
}

const cancelOrder = (em: { readonly url: string; readonly token: string }, orderId: string) =>
  Effect.gen(function*() {
    const answer = yield* request(
      adminClient(em),
      `mutation Cancel($id: ID!) { orderCancel(orderId: $id, restock: false, reason: CUSTOMER, refundMethod: { originalPaymentMethodsRefund: true }) { orderCancelUserErrors { field message } } }`,
      { id: orderId }
    )
    assert.isUndefined(answer.errors, JSON.stringify(answer.errors))
  })

describe("shopify.orders", () => {
  it.scopedLive("reads every order across pages, in update order, with the money Shopify computed", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 20, seedOrders: 45 })
      const { cursors, records } = yield* drain(orders({ pageSize: 7 }), Option.none()).pipe(Effect.provide(clientLayer(em)))
      const stored = yield* em.control.orders
      assert.strictEqual(records.length, stored.length)
      assert.strictEqual(new Set(records.map((o) => o.id)).size, stored.length)
      assertNoDuplicateVersions(records)
      assertCursorsNeverMoveBack(cursors)
      for (let i = 1; i < records.length; i++) {
        assert.isAtLeast(records[i]!.updatedAt.getTime(), records[i - 1]!.updatedAt.getTime())
      }
      assert.isAtLeast((yield* em.control.counters).operations["orders"] ?? 0, 7)
      const byId = new Map(records.map((o) => [o.id, o]))
      for (const s of stored) {
        const o = byId.get(s.id)!
        assert.isTrue(BigDecimal.equals(o.total, BigDecimal.unsafeFromString(s.totalPrice)), `${s.name} total`)
        assert.isTrue(BigDecimal.equals(o.currentTotal, BigDecimal.unsafeFromString(s.currentTotalPrice)), `${s.name} current total`)
        assert.isTrue(BigDecimal.equals(o.totalTax ?? BigDecimal.fromBigInt(0n), BigDecimal.unsafeFromString(s.totalTax)), `${s.name} tax`)
        assert.isTrue(BigDecimal.equals(o.totalRefunded, BigDecimal.unsafeFromString(s.totalRefunded)), `${s.name} refunded`)
        assert.strictEqual(o.lineItems.length, s.lineItemCount, `${s.name} line items`)
        assert.strictEqual(o.taxesIncluded, s.taxesIncluded)
        assert.strictEqual(o.customer?.id ?? null, s.customerId)
        assert.strictEqual(o.cancelledAt === null, s.cancelledAt === null)
      }
    }))

  it.scopedLive("fetches line items past the first page of an order", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 5, seedOrders: 30 })
      const { records } = yield* drain(orders({ lineItemsPerOrder: 1 }), Option.none()).pipe(Effect.provide(clientLayer(em)))
      const stored = new Map((yield* em.control.orders).map((o) => [o.id, o.lineItemCount]))
      assert.isTrue(records.some((o) => o.lineItems.length > 1), "the seed has orders with several lines")
      for (const o of records) {
        assert.strictEqual(o.lineItems.length, stored.get(o.id))
        assert.strictEqual(new Set(o.lineItems.map((l) => l.id)).size, o.lineItems.length)
      }
    }))

  it.scopedLive("windows the read by date past the pagination ceiling", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 10, seedOrders: 60, paginationLimit: 20 })
      const { records } = yield* drain(orders({ pageSize: 6, windowObjects: 15 }), Option.none()).pipe(
        Effect.provide(clientLayer(em))
      )
      assert.strictEqual(new Set(records.map((o) => o.id)).size, 60)
      assertNoDuplicateVersions(records)
    }))

  it.scopedLive("re-reading from a saved cursor emits nothing twice, also with day-coarse date filters", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 10, seedOrders: 25, dateGranularity: "day" })
      const source = orders({ pageSize: 10 })
      const first = yield* drain(source, Option.none()).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(first.records.length, 25)
      const again = yield* drain(source, first.next).pipe(Effect.provide(clientLayer(em)))
      assert.deepStrictEqual(versions(again.records), [])
      // Resuming from any cursor in the middle emits exactly the rest.
      const middle = first.cursors[11]!
      const rest = yield* drain(source, Option.some(middle)).pipe(Effect.provide(clientLayer(em)))
      assert.deepStrictEqual(versions(rest.records), versions(first.records.slice(12)))
    }))

  it.scopedLive("does not miss an order changed during the run, and emits its new version once", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 10, seedOrders: 30 })
      const source = orders({ pageSize: 5 })
      const changed = yield* Ref.make(Option.none<string>())
      const firstRun = yield* Stream.runCollect(
        source.read(Option.none(), readContext()).pipe(
          Stream.tap((s) =>
            Effect.gen(function*() {
              if (Option.isSome(yield* Ref.get(changed))) return
              // A merchant cancels an order this run has already emitted.
              yield* cancelOrder(em, s.record.id)
              yield* Ref.set(changed, Option.some(s.record.id))
            })
          )
        )
      ).pipe(Effect.provide(clientLayer(em)))
      const id = Option.getOrThrow(yield* Ref.get(changed))
      const items = [...firstRun]
      const secondRun = yield* drain(source, Option.some(items[items.length - 1]!.cursor)).pipe(
        Effect.provide(clientLayer(em))
      )
      const all = [...items.map((i) => i.record), ...secondRun.records]
      assertNoDuplicateVersions(all)
      const ofChanged = all.filter((o) => o.id === id)
      assert.strictEqual(ofChanged.length, 2, "the order before and after the change")
      assert.isNotNull(ofChanged[1]!.cancelledAt)
      assert.strictEqual(new Set(all.map((o) => o.id)).size, 30)
    }))

  it.scopedLive("reads a store on the Standard plan without a single THROTTLED", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 30, seedOrders: 300 })
      const { records } = yield* drain(orders(), Option.none()).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(records.length, 300)
      const counters = yield* em.control.counters
      assert.strictEqual(counters.throttled, 0)
      assert.strictEqual(counters.maxCostExceeded, 0)
    }))

  it.scopedLive("sizes its first page by the run's limit", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedCustomers: 5, seedOrders: 20 })
      const taken = yield* Stream.runCollect(
        orders().read(Option.none(), readContext({ limit: Option.some(3) })).pipe(Stream.take(3))
      ).pipe(Effect.provide(clientLayer(em)))
      assert.strictEqual(taken.length, 3)
      assert.strictEqual((yield* em.control.counters).operations["orders"], 1)
    }))

  it.scopedLive("carries pipeline and stage on its errors", () =>
    Effect.gen(function*() {
      const em = yield* emulator({ seedOrders: 2 })
      const error = yield* drain(orders(), Option.none(), readContext({ pipeline: "web-sales-to-edge", stage: "shopify.orders" })).pipe(
        Effect.provide(clientLayer(em, { token: "shpat_nope" })),
        Effect.flip
      )
      assert.strictEqual(error.pipeline, "web-sales-to-edge")
      assert.strictEqual(error.stage, "shopify.orders")
      assert.include(error.message, "web-sales-to-edge")
    }))
})

