// The GraphQL documents for bulk query operations (FACTS §5.1) and the bulk queries the backfill runs.
import { Schema } from "effect"
import * as Operation from "../Operation.js"
import { BulkOperation, bulkOperationSelection, BulkUserError } from "../wire/BulkWire.js"
import { customerSelection } from "../wire/CustomerWire.js"
import { orderBulkSelection } from "../wire/OrderWire.js"

// `groupObjects: true` puts each order's line items right after it, so the result can be streamed
// without holding the file in memory; 2026-01+ defaults it to false (FACTS §5.1, §5.5).
export const BulkRunQuery = Operation.mutation<{ readonly query: string }>()(
  "BulkRunQuery",
  `mutation BulkRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation ${bulkOperationSelection}
    userErrors { field message code }
  }
}`,
  Schema.Struct({
    bulkOperationRunQuery: Schema.Struct({
      bulkOperation: Schema.NullOr(BulkOperation),
      userErrors: Schema.Array(BulkUserError)
    })
  })
)

export const BulkPoll = Operation.query<{ readonly id: string }>()(
  "BulkPoll",
  `query BulkPoll($id: ID!) {
  bulkOperation(id: $id) ${bulkOperationSelection}
}`,
  Schema.Struct({ bulkOperation: Schema.NullOr(BulkOperation) })
)

export const BulkCancel = Operation.mutation<{ readonly id: string }>()(
  "BulkCancel",
  `mutation BulkCancel($id: ID!) {
  bulkOperationCancel(id: $id) {
    bulkOperation ${bulkOperationSelection}
    userErrors { field message }
  }
}`,
  Schema.Struct({
    bulkOperationCancel: Schema.Struct({
      bulkOperation: Schema.NullOr(BulkOperation),
      userErrors: Schema.Array(Schema.Struct({
        field: Schema.NullOr(Schema.Array(Schema.String)),
        message: Schema.String
      }))
    })
  })
)

/** A bulk query document: sent as a string inside bulkOperationRunQuery, validated like the others. */
export interface BulkQuery {
  readonly name: string
  readonly document: (search: string) => string
}

const quote = (search: string): string => JSON.stringify(search)

export const OrdersBulkQuery: BulkQuery = {
  name: "OrdersBulk",
  document: (search) => `{
  orders(query: ${quote(search)}, sortKey: ID) {
    edges { node ${orderBulkSelection} }
  }
}`
}

export const CustomersBulkQuery: BulkQuery = {
  name: "CustomersBulk",
  document: (search) => `{
  customers(query: ${quote(search)}, sortKey: ID) {
    edges { node ${customerSelection} }
  }
}`
}
