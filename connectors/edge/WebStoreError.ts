// The store web sales are filed under is not a licensed web store: nothing may be imported until
// someone fixes it in Edge (or the `webStore` option), so the run stops.
import { Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"

export class WebStoreError extends Schema.TaggedError<WebStoreError>()("WebStoreError", {
  reason: Schema.Literal("Missing", "NotWeb", "NotLicensed"),
  store_no: Schema.Number,
  /** The store's kind as found, for NotWeb. */
  kind: Schema.optional(Schema.String)
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    switch (this.reason) {
      case "Missing":
        return `Web store ${this.store_no} does not exist in Edge: create it as a licensed web store, or set the webStore option to the right store number.`
      case "NotWeb":
        return `Store ${this.store_no} is a ${this.kind ?? "non-web"} store, not a web store: web sales cannot be filed under it.`
      case "NotLicensed":
        return `Web store ${this.store_no} is not licensed in Edge: license it before importing web sales.`
    }
  }
}
