// `edgesync edge seed` refused to run: seeding appends to nothing but an empty database, so that the
// same seed always gives the same data (and ids).
import { Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"

export class SeedError extends Schema.TaggedError<SeedError>()("SeedError", {
  reason: Schema.Literal("NotEmpty", "InvalidSize"),
  detail: Schema.String
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    return this.reason === "NotEmpty"
      ? `The Edge database is not empty (${this.detail}); seed an empty database, or pass --reset to delete its Edge data first.`
      : `Invalid seed size: ${this.detail}`
  }
}
