// The one error family of the Shopify connector: every failure of a request or a stage, with a `reason`
// and the classification the runner acts on.
import { Duration, Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"
import { UserError } from "./UserError.js"

export const ShopifyErrorReason = Schema.Literal(
  "Throttled",
  "Unauthorized",
  "AccessDenied",
  "NotFound",
  "UserErrors",
  "GraphQL",
  "MaxCostExceeded",
  "Transport",
  "Decode"
)
export type ShopifyErrorReason = typeof ShopifyErrorReason.Type

export class ShopifyError extends Schema.TaggedError<ShopifyError>()("ShopifyError", {
  reason: ShopifyErrorReason,
  /** The GraphQL operation name (`CustomerCreate`) or what the connector was doing. */
  operation: Schema.String,
  /** The store's origin; never the token. */
  store: Schema.String,
  detail: Schema.String,
  /** Shopify's `X-Request-Id`, which Shopify support asks for. */
  requestId: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number),
  /** The GraphQL error code (`THROTTLED`, `ACCESS_DENIED`, `INTERNAL_SERVER_ERROR`, ...). */
  code: Schema.optional(Schema.String),
  retryAfterMillis: Schema.optional(Schema.Number),
  userErrors: Schema.optional(Schema.Array(UserError)),
  pipeline: Schema.optional(Schema.String),
  stage: Schema.optional(Schema.String),
  recordKey: Schema.optional(Schema.String)
}) {
  get classification(): Classification {
    switch (this.reason) {
      case "Throttled":
      case "Transport":
        return "retriable"
      case "NotFound":
      case "UserErrors":
        return "record"
      case "GraphQL":
        // Shopify answers most internal errors with 200 and this code instead of a 500 (FACTS §3).
        return this.code === "INTERNAL_SERVER_ERROR" ? "retriable" : "fatal"
      case "Unauthorized":
      case "AccessDenied":
      case "MaxCostExceeded":
      case "Decode":
        return "fatal"
    }
  }

  get retryAfter(): Duration.Duration | undefined {
    return this.retryAfterMillis === undefined ? undefined : Duration.millis(this.retryAfterMillis)
  }

  override get message(): string {
    const where = [
      this.pipeline === undefined ? undefined : `pipeline ${this.pipeline}`,
      this.stage === undefined ? undefined : `stage ${this.stage}`,
      this.recordKey === undefined ? undefined : `record ${this.recordKey}`
    ].filter((s) => s !== undefined)
    const context = where.length > 0 ? ` [${where.join(", ")}]` : ""
    const request = this.requestId === undefined ? "" : ` (request id ${this.requestId})`
    const head = `Shopify ${this.operation} on ${this.store}`
    switch (this.reason) {
      case "Unauthorized":
        return `${head}: the access token was rejected (HTTP ${this.status ?? 401}). ` +
          `Check shopify.accessToken / SHOPIFY_ACCESS_TOKEN for this store.${request}${context}`
      case "AccessDenied":
        return `${head}: access denied, the app lacks a scope: ${this.detail}${request}${context}`
      case "UserErrors":
        return `${head} refused the input: ${
          (this.userErrors ?? []).map((e) => e.toString()).join("; ") || this.detail
        }${request}${context}`
      default:
        return `${head} failed (${this.reason}${this.code === undefined ? "" : ` ${this.code}`}): ${this.detail}${request}${context}`
    }
  }

  /** The same error, annotated with where it happened (the runner's dead letters show it). */
  within(at: { readonly pipeline?: string; readonly stage?: string; readonly recordKey?: string }): ShopifyError {
    return new ShopifyError({
      reason: this.reason,
      operation: this.operation,
      store: this.store,
      detail: this.detail,
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.code === undefined ? {} : { code: this.code }),
      ...(this.retryAfterMillis === undefined ? {} : { retryAfterMillis: this.retryAfterMillis }),
      ...(this.userErrors === undefined ? {} : { userErrors: this.userErrors }),
      ...(this.pipeline === undefined ? {} : { pipeline: this.pipeline }),
      ...(this.stage === undefined ? {} : { stage: this.stage }),
      ...(this.recordKey === undefined ? {} : { recordKey: this.recordKey }),
      ...(at.pipeline === undefined ? {} : { pipeline: at.pipeline }),
      ...(at.stage === undefined ? {} : { stage: at.stage }),
      ...(at.recordKey === undefined ? {} : { recordKey: at.recordKey })
    })
  }
}
