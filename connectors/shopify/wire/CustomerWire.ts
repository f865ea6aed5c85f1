// The Customer and MailingAddress objects as the connector selects them (FACTS §1.1, §1.2), with the
// GraphQL selections kept beside the Schemas that decode them so the two cannot drift apart.
import { Schema } from "effect"

export const MailingAddress = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  company: Schema.NullOr(Schema.String),
  address1: Schema.NullOr(Schema.String),
  address2: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  province: Schema.NullOr(Schema.String),
  provinceCode: Schema.NullOr(Schema.String),
  country: Schema.NullOr(Schema.String),
  countryCodeV2: Schema.NullOr(Schema.String),
  zip: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String)
})
export type MailingAddress = typeof MailingAddress.Type

export const mailingAddressSelection =
  "{ id firstName lastName company address1 address2 city province provinceCode country countryCodeV2 zip phone }"

export const CustomerState = Schema.Literal("DECLINED", "DISABLED", "ENABLED", "INVITED")

// `email` and `phone` are deprecated in 2026-07 in favour of defaultEmailAddress / defaultPhoneNumber
// (FACTS §1.3), so the connector reads the new objects.
export const CustomerNode = Schema.Struct({
  id: Schema.String,
  legacyResourceId: Schema.String,
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  displayName: Schema.String,
  defaultEmailAddress: Schema.NullOr(Schema.Struct({ emailAddress: Schema.NullOr(Schema.String) })),
  defaultPhoneNumber: Schema.NullOr(Schema.Struct({ phoneNumber: Schema.String })),
  defaultAddress: Schema.NullOr(MailingAddress),
  tags: Schema.Array(Schema.String),
  note: Schema.NullOr(Schema.String),
  state: CustomerState,
  verifiedEmail: Schema.Boolean,
  taxExempt: Schema.Boolean,
  locale: Schema.String,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
})
export type CustomerNode = typeof CustomerNode.Type

export const customerSelection = `{
  id legacyResourceId firstName lastName displayName
  defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber }
  defaultAddress ${mailingAddressSelection}
  tags note state verifiedEmail taxExempt locale createdAt updatedAt
}`

export const PageInfo = Schema.Struct({ hasNextPage: Schema.Boolean, endCursor: Schema.NullOr(Schema.String) })
export type PageInfo = typeof PageInfo.Type

export const UserErrorWire = Schema.Struct({
  field: Schema.NullOr(Schema.Array(Schema.String)),
  message: Schema.String
})
