// A postal address as edgesync carries it from Shopify (customer default address, order addresses).
import { Schema } from "effect"
import type { MailingAddress } from "./wire/CustomerWire.js"

export const ShopifyAddress = Schema.Struct({
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  company: Schema.NullOr(Schema.String),
  address1: Schema.NullOr(Schema.String),
  address2: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  /** The province's name ("Ontario"), as Shopify normalizes it (FACTS §1.4). */
  province: Schema.NullOr(Schema.String),
  provinceCode: Schema.NullOr(Schema.String),
  country: Schema.NullOr(Schema.String),
  /** ISO 3166-1 alpha-2 ("CA"). */
  countryCode: Schema.NullOr(Schema.String),
  zip: Schema.NullOr(Schema.String),
  /** E.164 when Shopify validated it. */
  phone: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ShopifyAddress" })
export type ShopifyAddress = typeof ShopifyAddress.Type

export const fromWire = (a: MailingAddress): ShopifyAddress => ({
  firstName: a.firstName,
  lastName: a.lastName,
  company: a.company,
  address1: a.address1,
  address2: a.address2,
  city: a.city,
  province: a.province,
  provinceCode: a.provinceCode,
  country: a.country,
  countryCode: a.countryCodeV2,
  zip: a.zip,
  phone: a.phone
})
