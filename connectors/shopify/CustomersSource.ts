// Source `shopify.customers`: customers updated since the checkpoint (contact fields, default address,
// state, tags), read by UPDATED_AT pages or, for a large gap, through a bulk backfill.
import { Effect, Option, Stream } from "effect"
import type * as Stage from "../../core/Stage.js"
import * as BulkBackfill from "./BulkBackfill.js"
import { CustomersBulkQuery } from "./documents/BulkDocuments.js"
import { CustomersUpdatedSince } from "./documents/CustomerDocuments.js"
import { CustomersCount } from "./documents/ShopDocuments.js"
import * as IncrementalSource from "./IncrementalSource.js"
import * as QueryCost from "./QueryCost.js"
import { ShopifyClient } from "./ShopifyClient.js"
import type { ShopifyError } from "./ShopifyError.js"
import * as ShopifyCustomer from "./ShopifyCustomer.js"
import type * as SyncCursor from "./SyncCursor.js"
import { CustomerNode } from "./wire/CustomerWire.js"

export type CustomersSourceOptions = IncrementalSource.SourceOptions

/** `shopify.customers` with the given options (defaults: pages of up to 250, 5 minutes overlap). */
export const customers = (
  options: CustomersSourceOptions = {}
): Stage.Source<ShopifyCustomer.ShopifyCustomer, SyncCursor.SyncCursor, ShopifyError, ShopifyClient> =>
  IncrementalSource.make({
    name: "shopify.customers",
    description: "Shopify customers updated since the last run (contact fields, default address, state, tags)",
    record: ShopifyCustomer.ShopifyCustomer,
    resource: {
      paged: {
        estimate: (first) => QueryCost.estimate(CustomersUpdatedSince.document, { first }),
        id: (c) => c.id,
        updatedAt: (c) => c.updatedAt,
        fetchPage: ({ after, cost, first, query }) =>
          Effect.gen(function*() {
            const client = yield* ShopifyClient
            const result = yield* client.request(CustomersUpdatedSince, { first, after, query }, { cost })
            const page = result.data.customers
            return {
              records: page.nodes.map(ShopifyCustomer.fromWire),
              hasNextPage: page.pageInfo.hasNextPage,
              endCursor: page.pageInfo.endCursor,
              requestedCost: Option.flatMap(result.cost, (c) => Option.fromNullable(c.requestedQueryCost))
            }
          })
      },
      bulk: {
        query: CustomersBulkQuery,
        assemble: (lines, store) => {
          const decode = BulkBackfill.decodeLine(CustomerNode, store)
          return BulkBackfill.groupLines(store)(lines).pipe(
            Stream.mapEffect((group) => Effect.map(decode(group.root), ShopifyCustomer.fromWire))
          )
        },
        id: (c) => c.id,
        legacyId: (c) => c.legacyId,
        updatedAt: (c) => c.updatedAt
      },
      count: (query, limit) =>
        Effect.flatMap(ShopifyClient, (client) =>
          client.execute(CustomersCount, { query: query ?? "", limit }).pipe(
            Effect.map((r) => Option.map(Option.fromNullable(r.customersCount), (c) => c.count)),
            // A shop (or emulator) without counts: decide without one.
            Effect.catchIf((e) => e.reason === "GraphQL" && e.classification === "fatal", () => Effect.succeed(Option.none()))
          ))
    }
  }, options)

/** `shopify.customers` with the default options. */
export const customersSource = customers()
