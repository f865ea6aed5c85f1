// The mission pipelines' own failures: a record that cannot be synced as it is (dead-lettered with the
// reason, the run goes on), or a stage that broke its contract (the run stops).
import { Schema } from "effect"
import type { Classification } from "../core/EtlError.js"

export class MissionError extends Schema.TaggedError<MissionError>()("MissionError", {
  reason: Schema.Literal("AmountsDoNotAddUp", "MissingCustomer", "StageContract"),
  /** The stage that refused the record (`mission.orderToWebSale`). */
  stage: Schema.String,
  /** The record's key (a Shopify order or customer GID, an Edge customer id). */
  key: Schema.String,
  detail: Schema.String
}) {
  get classification(): Classification {
    return this.reason === "StageContract" ? "fatal" : "record"
  }
  override get message(): string {
    switch (this.reason) {
      case "AmountsDoNotAddUp":
        return `${this.stage} cannot import ${this.key} exactly: ${this.detail}`
      case "MissingCustomer":
        return `${this.stage}: ${this.key}: ${this.detail}`
      case "StageContract":
        return `${this.stage} broke the stage contract: ${this.detail}`
    }
  }
}
