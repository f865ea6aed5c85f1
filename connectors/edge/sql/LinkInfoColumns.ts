// A link row's columns (timestamps as text, the snapshot as JSON text) decoded into CustomerLinkInfo.
import { Effect, Option, ParseResult, Schema } from "effect"
import { SnapshotJson } from "../ContactFields.js"
import { type CustomerLinkInfo } from "../EdgeCustomer.js"
import { EdgeDbError } from "../EdgeDbError.js"
import { LinkMethod } from "../LinkMethod.js"
import { UtcTimestampColumn } from "./Columns.js"

export interface LinkColumns {
  readonly shopify_customer_id: string | null
  readonly link_method: string | null
  readonly linked_at: string | null
  readonly invite_sent_at: string | null
  readonly synced_snapshot: string | null
  readonly last_pushed_at: string | null
  readonly last_pulled_at: string | null
}

const LinkInfoFromColumns = Schema.Struct({
  shopify_customer_id: Schema.String,
  link_method: LinkMethod,
  linked_at: UtcTimestampColumn,
  invite_sent_at: Schema.NullOr(UtcTimestampColumn),
  synced_snapshot: Schema.NullOr(SnapshotJson),
  last_pushed_at: Schema.NullOr(UtcTimestampColumn),
  last_pulled_at: Schema.NullOr(UtcTimestampColumn)
})

const decode = Schema.decodeUnknown(LinkInfoFromColumns, { errors: "first" })

/** The link in these columns (none when the customer is not linked: a LEFT JOIN gave nulls). */
export const decodeLinkInfo = (
  columns: LinkColumns,
  operation: string,
  target: string
): Effect.Effect<Option.Option<CustomerLinkInfo>, EdgeDbError> =>
  columns.shopify_customer_id === null ? Effect.succeed(Option.none()) : decode(columns).pipe(
    Effect.map(Option.some),
    Effect.mapError((error) =>
      new EdgeDbError({
        reason: "Failed",
        operation,
        target,
        detail: `customer_web_links row does not decode: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
      })
    )
  )
