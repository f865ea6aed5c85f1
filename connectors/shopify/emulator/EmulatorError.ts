// Failures of the emulator itself or of talking to it (the server could not listen, the control API
// was unreachable or refused a request, an option was invalid). Not Shopify's errors: those are HTTP
// and GraphQL answers the emulator gives on purpose.
import { Schema } from "effect"
import type { Classification } from "../../../core/EtlError.js"

export class EmulatorError extends Schema.TaggedError<EmulatorError>()("EmulatorError", {
  reason: Schema.Literal("ListenFailed", "InvalidOptions", "Unreachable", "Rejected", "InvalidResponse"),
  detail: Schema.String
}) {
  readonly classification: Classification = "fatal"
  override get message(): string {
    switch (this.reason) {
      case "ListenFailed":
        return `The Shopify emulator could not start listening: ${this.detail}`
      case "InvalidOptions":
        return `Invalid Shopify emulator options: ${this.detail}`
      case "Unreachable":
        return `The Shopify emulator's control API could not be reached: ${this.detail}`
      case "Rejected":
        return `The Shopify emulator's control API refused the request: ${this.detail}`
      case "InvalidResponse":
        return `The Shopify emulator's control API answered something unexpected: ${this.detail}`
    }
  }
}
