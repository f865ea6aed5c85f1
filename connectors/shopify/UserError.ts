// A Shopify `userErrors` entry as a typed value: mutations report validation failures this way (HTTP 200,
// `data.<mutation>.userErrors`), and the stages decide per message what to do (FACTS §1.7).
import { Schema } from "effect"

export class UserError extends Schema.Class<UserError>("ShopifyUserError")({
  /** The input path, e.g. ["email"] or ["input", "phone"]; null for errors about the whole input. */
  field: Schema.NullOr(Schema.Array(Schema.String)),
  message: Schema.String,
  /** Only some payloads have codes (customerSet, invites, bulk); plain `UserError` has none. */
  code: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true })
}) {
  /** The last path segment ("email" for both ["email"] and ["input", "email"]). */
  get fieldName(): string | undefined {
    return this.field === null ? undefined : this.field[this.field.length - 1]
  }
  override toString(): string {
    return this.field === null ? this.message : `${this.field.join(".")}: ${this.message}`
  }
}

// The messages Shopify uses on customerCreate / customerUpdate (captured, FACTS §1.7). Only the message
// identifies these cases: plain UserError has no `code`.
export const isEmailTaken = (e: UserError): boolean => e.fieldName === "email" && /already been taken/i.test(e.message)
export const isPhoneTaken = (e: UserError): boolean => e.fieldName === "phone" && /already been taken/i.test(e.message)
export const isPhoneInvalid = (e: UserError): boolean => e.fieldName === "phone" && /is invalid/i.test(e.message)
export const isCustomerMissing = (e: UserError): boolean =>
  e.fieldName === "id" && /does not exist|can't be found|can’t be found|not found/i.test(e.message) ||
  e.fieldName === "customerId" && /can't be found|can’t be found|not found/i.test(e.message)
