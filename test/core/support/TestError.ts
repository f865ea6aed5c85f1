// A stage error whose classification a test chooses, to drive the runner's failure rules.
import { Duration, Schema } from "effect"
import type { Classification } from "../../../core/EtlError.js"

export class TestError extends Schema.TaggedError<TestError>()("TestError", {
  reason: Schema.Literal("Retriable", "Record", "Fatal"),
  stage: Schema.String,
  detail: Schema.String,
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  get classification(): Classification {
    return this.reason === "Retriable" ? "retriable" : this.reason === "Record" ? "record" : "fatal"
  }
  get retryAfter(): Duration.Duration | undefined {
    return this.retryAfterMillis === undefined ? undefined : Duration.millis(this.retryAfterMillis)
  }
  override get message(): string {
    return `${this.stage}: ${this.detail}`
  }
}

export const retriable = (stage: string, detail: string, retryAfterMillis?: number) =>
  new TestError({ reason: "Retriable", stage, detail, ...(retryAfterMillis === undefined ? {} : { retryAfterMillis }) })
export const recordLevel = (stage: string, detail: string) => new TestError({ reason: "Record", stage, detail })
export const fatal = (stage: string, detail: string) => new TestError({ reason: "Fatal", stage, detail })
