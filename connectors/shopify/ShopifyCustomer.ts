// The Shopify customer as edgesync's record: what the sync reads and links (contact fields, default
// address, state, tags), decoded once from the wire.
import { Schema } from "effect"
import * as Address from "./ShopifyAddress.js"
import { CustomerState, type CustomerNode } from "./wire/CustomerWire.js"

export const ShopifyCustomer = Schema.Struct({
  /** `gid://shopify/Customer/<n>`: the key, and what the mission stores as the link. */
  id: Schema.String,
  legacyId: Schema.String,
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  displayName: Schema.String,
  email: Schema.NullOr(Schema.String),
  /** E.164, as Shopify stores it. */
  phone: Schema.NullOr(Schema.String),
  defaultAddress: Schema.NullOr(Address.ShopifyAddress),
  state: CustomerState,
  tags: Schema.Array(Schema.String),
  note: Schema.NullOr(Schema.String),
  verifiedEmail: Schema.Boolean,
  taxExempt: Schema.Boolean,
  locale: Schema.String,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}).annotations({ identifier: "ShopifyCustomer" })
export type ShopifyCustomer = typeof ShopifyCustomer.Type

export const fromWire = (c: CustomerNode): ShopifyCustomer => ({
  id: c.id,
  legacyId: c.legacyResourceId,
  firstName: c.firstName,
  lastName: c.lastName,
  displayName: c.displayName,
  email: c.defaultEmailAddress?.emailAddress ?? null,
  phone: c.defaultPhoneNumber?.phoneNumber ?? null,
  defaultAddress: c.defaultAddress === null ? null : Address.fromWire(c.defaultAddress),
  state: c.state,
  tags: c.tags,
  note: c.note,
  verifiedEmail: c.verifiedEmail,
  taxExempt: c.taxExempt,
  locale: c.locale,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt
})
