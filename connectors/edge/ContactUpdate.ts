// The record `edge.customerContacts` writes: contact values decided by the three-way merge, applied to a
// linked Edge customer, and the link's new snapshot.
import { Schema } from "effect"
import { ContactFieldName, ContactFields } from "./ContactFields.js"

export const FieldChange = Schema.Struct({
  field: ContactFieldName,
  /** The value to write into the Edge column. */
  value: Schema.NullOr(Schema.String),
  /**
   * The Edge value the decision was made from. If Edge's value is no longer this one (edited in Edge
   * during the run), the record is skipped rather than overwrite that edit; the next sync merges again.
   */
  expected: Schema.NullOr(Schema.String)
}).annotations({ identifier: "FieldChange" })
export type FieldChange = typeof FieldChange.Type

export const ContactUpdate = Schema.Struct({
  customer_id: Schema.Int,
  changes: Schema.Array(FieldChange),
  /** The values both sides agree on after this update (the link's new `synced_snapshot`). */
  snapshot: ContactFields
}).annotations({ identifier: "ContactUpdate" })
export type ContactUpdate = typeof ContactUpdate.Type
