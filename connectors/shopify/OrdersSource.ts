// Source `shopify.orders`: orders updated since the checkpoint, everything a web sale needs, read by
// UPDATED_AT pages or, for a large gap, through a bulk backfill.
import { Effect, Option, Schema, Stream } from "effect"
import type * as Stage from "../../core/Stage.js"
import * as BulkBackfill from "./BulkBackfill.js"
import { OrdersBulkQuery } from "./documents/BulkDocuments.js"
import { OrderLineItems, OrdersUpdatedSince } from "./documents/OrderDocuments.js"
import { OrdersCount } from "./documents/ShopDocuments.js"
import * as IncrementalSource from "./IncrementalSource.js"
import * as QueryCost from "./QueryCost.js"
import { ShopifyClient } from "./ShopifyClient.js"
import type { ShopifyError } from "./ShopifyError.js"
import * as ShopifyOrder from "./ShopifyOrder.js"
import type * as SyncCursor from "./SyncCursor.js"
import { type LineItemNode, LineItemNode as LineItemSchema, OrderBulkRoot, ShippingLineNode } from "./wire/OrderWire.js"

export interface OrdersSourceOptions extends IncrementalSource.SourceOptions {
  /** Line items fetched with each order; an order with more gets the rest by id. */
  readonly lineItemsPerOrder?: number
}

const lineItemPage = QueryCost.largestPage(OrderLineItems.document, {}, "first")

/**
 * The line items of `orderId` after `after`, page by page; none when the order was deleted after the
 * listing showed it (its lines cannot all be read, and an order with some of its lines is wrong money).
 */
const remainingLineItems = (orderId: string, after: string) =>
  Effect.gen(function*() {
    const client = yield* ShopifyClient
    const items: Array<LineItemNode> = []
    let cursor: string | null = after
    while (cursor !== null) {
      const result: typeof OrderLineItems.response.Type = yield* client.execute(OrderLineItems, {
        id: orderId,
        first: lineItemPage,
        after: cursor
      })
      if (result.order === null) return Option.none<ReadonlyArray<LineItemNode>>()
      items.push(...result.order.lineItems.nodes)
      cursor = result.order.lineItems.pageInfo.hasNextPage ? result.order.lineItems.pageInfo.endCursor : null
    }
    return Option.some<ReadonlyArray<LineItemNode>>(items)
  })

/** Rebuilds orders from a bulk result: an order line, then its line items and shipping lines. */
const assemble = (store: string) => {
  const root = BulkBackfill.decodeLine(OrderBulkRoot, store)
  const child = BulkBackfill.decodeLine(Schema.Union(LineItemSchema, ShippingLineNode), store)
  return (lines: Stream.Stream<string, ShopifyError>): Stream.Stream<ShopifyOrder.ShopifyOrder, ShopifyError> =>
    BulkBackfill.groupLines(store)(lines).pipe(
      Stream.mapEffect((group) =>
        Effect.gen(function*() {
          const order = yield* root(group.root)
          const children = yield* Effect.forEach(group.children, child)
          const lineItems: Array<LineItemNode> = []
          const shippingLines: Array<typeof ShippingLineNode.Type> = []
          // Only a line item has a quantity; the two kinds of child share no other telling field.
          for (const c of children) {
            if ("quantity" in c) lineItems.push(c)
            else shippingLines.push(c)
          }
          return ShopifyOrder.fromWire(order, { lineItems, shippingLines })
        })
      )
    )
}

/** `shopify.orders` with the given options (defaults: pages of up to 250, 5 minutes overlap). */
export const orders = (
  options: OrdersSourceOptions = {}
): Stage.Source<ShopifyOrder.ShopifyOrder, SyncCursor.SyncCursor, ShopifyError, ShopifyClient> => {
  const lineItems = Math.max(1, Math.min(250, options.lineItemsPerOrder ?? 10))
  return IncrementalSource.make({
    name: "shopify.orders",
    description: "Shopify orders updated since the last run (customer, contact, money, taxes, lines, payments)",
    record: ShopifyOrder.ShopifyOrder,
    resource: {
      paged: {
        estimate: (first) => QueryCost.estimate(OrdersUpdatedSince.document, { first, lineItems }),
        id: (o) => o.id,
        updatedAt: (o) => o.updatedAt,
        fetchPage: ({ after, cost, first, query }) =>
          Effect.gen(function*() {
            const client = yield* ShopifyClient
            const result = yield* client.request(OrdersUpdatedSince, { first, lineItems, after, query }, { cost })
            const page = result.data.orders
            const records = yield* Effect.forEach(page.nodes, (node) =>
              node.lineItems.pageInfo.hasNextPage && node.lineItems.pageInfo.endCursor !== null
                ? Effect.flatMap(
                  remainingLineItems(node.id, node.lineItems.pageInfo.endCursor),
                  Option.match({
                    // Deleted between the listing and the fetch of its lines: gone from Shopify, so
                    // nothing to import (a sale imported before stays as it was).
                    onNone: () =>
                      Effect.as(
                        Effect.logWarning(`Shopify order ${node.name} (${node.id}) was deleted while it was being read; skipped`),
                        Option.none<ShopifyOrder.ShopifyOrder>()
                      ),
                    onSome: (rest) => Effect.succeed(Option.some(ShopifyOrder.fromNode(node, [...node.lineItems.nodes, ...rest])))
                  })
                )
                : Effect.succeed(Option.some(ShopifyOrder.fromNode(node))))
            return {
              records: records.flatMap(Option.toArray),
              hasNextPage: page.pageInfo.hasNextPage,
              endCursor: page.pageInfo.endCursor,
              requestedCost: Option.flatMap(result.cost, (c) => Option.fromNullable(c.requestedQueryCost))
            }
          })
      },
      bulk: {
        query: OrdersBulkQuery,
        assemble: (lines, store) => assemble(store)(lines),
        id: (o) => o.id,
        legacyId: (o) => o.legacyId,
        updatedAt: (o) => o.updatedAt
      },
      count: (query, limit) =>
        Effect.gen(function*() {
          const client = yield* ShopifyClient
          const result = yield* client.execute(OrdersCount, { query: query ?? "", limit }).pipe(
            // A shop (or emulator) without counts: decide without one.
            Effect.map((r) => Option.map(Option.fromNullable(r.ordersCount), (c) => c.count)),
            Effect.catchIf((e) => e.reason === "GraphQL" && e.classification === "fatal", () => Effect.succeed(Option.none()))
          )
          return result
        })
    }
  }, options)
}

/** `shopify.orders` with the default options. */
export const ordersSource = orders()
