// The GraphQL documents about the shop itself: what `edgesync shopify check` asks, and the counts the
// sources use to decide between paging and a bulk backfill.
import { Schema } from "effect"
import * as Operation from "../Operation.js"

export const ShopCheck = Operation.query<Record<string, never>>()(
  "ShopCheck",
  `query ShopCheck {
  shop { name myshopifyDomain currencyCode ianaTimezone plan { publicDisplayName shopifyPlus } }
  currentAppInstallation { accessScopes { handle } }
}`,
  Schema.Struct({
    shop: Schema.Struct({
      name: Schema.String,
      myshopifyDomain: Schema.String,
      currencyCode: Schema.String,
      ianaTimezone: Schema.String,
      plan: Schema.Struct({ publicDisplayName: Schema.String, shopifyPlus: Schema.Boolean })
    }),
    currentAppInstallation: Schema.Struct({
      accessScopes: Schema.Array(Schema.Struct({ handle: Schema.String }))
    })
  })
)

const Count = Schema.NullOr(Schema.Struct({ count: Schema.Int, precision: Schema.String }))

export const OrdersCount = Operation.query<{ readonly query: string; readonly limit: number | null }>()(
  "OrdersCount",
  `query OrdersCount($query: String, $limit: Int) {
  ordersCount(query: $query, limit: $limit) { count precision }
}`,
  Schema.Struct({ ordersCount: Count })
)

export const CustomersCount = Operation.query<{ readonly query: string; readonly limit: number | null }>()(
  "CustomersCount",
  `query CustomersCount($query: String, $limit: Int) {
  customersCount(query: $query, limit: $limit) { count precision }
}`,
  Schema.Struct({ customersCount: Count })
)
