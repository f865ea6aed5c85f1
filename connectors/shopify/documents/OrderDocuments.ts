// The GraphQL documents for orders: the incremental read and the follow-up for orders with more line
// items than one page holds (FACTS §2.1).
import { Schema } from "effect"
import * as Operation from "../Operation.js"
import { PageInfo } from "../wire/CustomerWire.js"
import { LineItemConnection, lineItemSelection, OrderNode, orderSelection } from "../wire/OrderWire.js"

export interface OrdersPageVariables {
  readonly first: number
  readonly lineItems: number
  readonly after?: string | null
  readonly query?: string | null
}

// The default order sort is PROCESSED_AT; an incremental read needs UPDATED_AT (FACTS §2.2).
export const OrdersUpdatedSince = Operation.query<OrdersPageVariables>()(
  "OrdersUpdatedSince",
  `query OrdersUpdatedSince($first: Int!, $lineItems: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes ${orderSelection}
    pageInfo { hasNextPage endCursor }
  }
}`,
  Schema.Struct({ orders: Schema.Struct({ nodes: Schema.Array(OrderNode), pageInfo: PageInfo }) })
)

export const OrderLineItems = Operation.query<{ readonly id: string; readonly first: number; readonly after: string }>()(
  "OrderLineItems",
  `query OrderLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) { nodes ${lineItemSelection} pageInfo { hasNextPage endCursor } }
  }
}`,
  Schema.Struct({ order: Schema.NullOr(Schema.Struct({ lineItems: LineItemConnection })) })
)

export const OrderById = Operation.query<{ readonly id: string; readonly lineItems: number }>()(
  "OrderById",
  `query OrderById($id: ID!, $lineItems: Int!) {
  order(id: $id) ${orderSelection}
}`,
  Schema.Struct({ order: Schema.NullOr(OrderNode) })
)

