// `edgesync shopify check` found a token without the scopes the pipelines need.
import { Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"

export class ScopesMissing extends Schema.TaggedError<ScopesMissing>()("ScopesMissing", {
  scopes: Schema.Array(Schema.String)
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return `The Shopify token lacks the scopes ${this.scopes.join(", ")}: grant them to the app and reinstall it.`
  }
}
