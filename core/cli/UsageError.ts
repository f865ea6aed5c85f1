// A command line that asks for something that cannot be done (exit code 2), found after parsing.
import { Schema } from "effect"
import type { Classification } from "../EtlError.js"

export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  reason: Schema.Literal("BadOption", "MissingTarget", "Conflict"),
  detail: Schema.String
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return this.detail
  }
}
