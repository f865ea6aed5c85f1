// `extensions.cost` of every Admin GraphQL response (FACTS §4): the requested and actual cost and the
// state of the app's bucket on this shop after the query.
import { Schema } from "effect"

export const ThrottleStatus = Schema.Struct({
  maximumAvailable: Schema.Number,
  currentlyAvailable: Schema.Number,
  restoreRate: Schema.Number
})
export type ThrottleStatus = typeof ThrottleStatus.Type

export const QueryCost = Schema.Struct({
  requestedQueryCost: Schema.optional(Schema.NullOr(Schema.Number)),
  // null on a THROTTLED response: nothing ran.
  actualQueryCost: Schema.optional(Schema.NullOr(Schema.Number)),
  throttleStatus: Schema.optional(ThrottleStatus)
})
export type QueryCost = typeof QueryCost.Type

export const Extensions = Schema.Struct({ cost: Schema.optional(QueryCost) })

/** One entry of the top-level `errors` array. */
export const GraphQLErrorWire = Schema.Struct({
  message: Schema.String,
  path: Schema.optional(Schema.Array(Schema.Union(Schema.String, Schema.Number))),
  extensions: Schema.optional(Schema.Struct({
    code: Schema.optional(Schema.String),
    cost: Schema.optional(Schema.Number),
    maxCost: Schema.optional(Schema.Number),
    requiredAccess: Schema.optional(Schema.String)
  }))
})
export type GraphQLErrorWire = typeof GraphQLErrorWire.Type
