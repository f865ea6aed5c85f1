// A record the Edge sinks refuse: it is dead-lettered with this reason and the run goes on. The sink
// writes nothing for it (checked before any statement of the batch runs).
import { Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"

export class EdgeRecordError extends Schema.TaggedError<EdgeRecordError>()("EdgeRecordError", {
  reason: Schema.Literal("InexactAmount", "InvalidText", "InvalidValue", "UnknownCustomer", "NotLinked", "LinkConflict"),
  /** The stage that refused it (`edge.webSales`). */
  stage: Schema.String,
  /** The record's key (a Shopify order GID, an Edge customer id). */
  key: Schema.String,
  /** The field at fault (`lines[2].unit_price`, `email`, `shopify_customer_id`). */
  field: Schema.String,
  detail: Schema.String
}) {
  readonly classification: Classification = "record"
  override get message(): string {
    return `${this.stage} refused ${this.key}: ${this.field} ${this.detail}`
  }
}
