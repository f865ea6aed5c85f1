// The record `edge.customerLinks` writes: an Edge customer linked to a Shopify customer, with the
// contact values both sides now hold.
import { Schema } from "effect"
import { ContactFields } from "./ContactFields.js"
import { LinkMethod } from "./LinkMethod.js"

export const CustomerLink = Schema.Struct({
  customer_id: Schema.Int,
  shopify_customer_id: Schema.String,
  link_method: LinkMethod,
  /**
   * The contact values that were sent to (or read from) Shopify: the new `synced_snapshot`. Use the
   * values actually pushed, never a fresh read of the Edge row, so that an edit made in Edge while the
   * run was in progress still differs from the snapshot and is pushed by the next run.
   */
  snapshot: ContactFields,
  /** When Shopify's account invite was sent by this sync; an earlier invite time is never overwritten. */
  invite_sent_at: Schema.optionalWith(Schema.NullOr(Schema.Date), { default: () => null }),
  /** Edge values were pushed to Shopify (sets `last_pushed_at`). */
  pushed: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Shopify values were pulled into Edge (sets `last_pulled_at`). */
  pulled: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).annotations({ identifier: "CustomerLink" })
export type CustomerLink = typeof CustomerLink.Type
