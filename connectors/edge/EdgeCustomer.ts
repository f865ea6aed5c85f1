// The record `edge.customersToUpload` emits: an Edge customer to create in Shopify (flagged for web
// upload, not linked) or whose synced contact fields changed since the last sync, with its link and
// snapshot so that the pipeline can send only what changed in Edge.
import { Schema } from "effect"
import { ContactFieldName, ContactFields } from "./ContactFields.js"
import { LinkMethod } from "./LinkMethod.js"

/** A customer's row in `customer_web_links`. */
export const CustomerLinkInfo = Schema.Struct({
  shopify_customer_id: Schema.String,
  link_method: LinkMethod,
  linked_at: Schema.Date,
  invite_sent_at: Schema.NullOr(Schema.Date),
  /** What both sides agreed on at the last sync; null for a link made without one (then every field counts as changed). */
  synced_snapshot: Schema.NullOr(ContactFields),
  last_pushed_at: Schema.NullOr(Schema.Date),
  last_pulled_at: Schema.NullOr(Schema.Date)
}).annotations({ identifier: "CustomerLinkInfo" })
export type CustomerLinkInfo = typeof CustomerLinkInfo.Type

export const EdgeCustomer = Schema.Struct({
  customer_id: Schema.Int,
  /** `upload`: flagged and not linked, to be created in Shopify; `changed`: linked, fields differ from the snapshot. */
  reason: Schema.Literal("upload", "changed"),
  fields: ContactFields,
  /** The fields that differ from the snapshot (every non-empty field for an upload). */
  changed: Schema.Array(ContactFieldName),
  web_upload: Schema.Boolean,
  /** The row's `updated_at` as the database wrote it (text, full precision): the version read. */
  updated_at: Schema.String,
  link: Schema.NullOr(CustomerLinkInfo)
}).annotations({ identifier: "EdgeCustomer" })
export type EdgeCustomer = typeof EdgeCustomer.Type
