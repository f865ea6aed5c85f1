// What one linked customer's three-way merge (MergeContacts.ts) asks of each side, in the Edge
// connector's terms: the Edge column changes (with the value each was decided from), the fields to send
// to Shopify, and the snapshot to store once both sides have taken their changes.
//
// The snapshot rule, in both directions: per field, the value both sides now agree on (in Edge's own
// formatting, so Edge's change detection, which compares text verbatim, sees no change), or where
// they still differ, Shopify's value: the difference then reads as a change made in Edge, which the
// next customers-to-shopify run pushes, and never as a change made in Shopify, which would overwrite
// Edge. Shopify values Shopify refused (an invalid phone) stay out of the snapshot the same way.
import { Option } from "effect"
import * as ContactFields from "../../connectors/edge/ContactFields.js"
import type { FieldChange } from "../../connectors/edge/ContactUpdate.js"
import type { CustomerFields } from "../../connectors/shopify/UpsertCustomer.js"
import * as MatchKey from "../../connectors/edge/MatchKey.js"
import type { ConflictPolicy } from "../SyncOptions.js"
import * as MergeContacts from "./MergeContacts.js"
import * as Normalize from "./Normalize.js"
import * as ShopifyContact from "./ShopifyContact.js"

type Fields = ContactFields.ContactFields
type FieldName = ContactFields.ContactFieldName

export interface ContactSyncInput {
  readonly policy: ConflictPolicy
  readonly defaultCountry: string
  readonly snapshot: Option.Option<Fields>
  readonly edge: Fields
  /** Shopify's side (ShopifyContact.toFields / view): fields it does not hold read as Edge's. */
  readonly shopify: Fields
  readonly edgeChangedAt: Option.Option<Date>
  readonly shopifyChangedAt: Option.Option<Date>
}

export interface ContactSync {
  readonly merged: MergeContacts.Merged<FieldName>
  /** The Edge column changes, each with the Edge value it was decided from. */
  readonly edgeChanges: ReadonlyArray<FieldChange>
  /** Edge's values Shopify is to take. */
  readonly toShopify: Partial<Fields>
  /** Edge's fields once the changes are applied. */
  readonly edgeAfter: Fields
}

/** The country a customer's phones are read in: its own when it has a supported one. */
export const phoneCountry = (fields: Fields, defaultCountry: string): string =>
  Option.getOrElse(MatchKey.country(fields.country), () => defaultCountry)

export const plan = (input: ContactSyncInput): ContactSync => {
  const merged = MergeContacts.merge({
    kinds: ShopifyContact.kinds,
    policy: input.policy,
    defaultCountry: phoneCountry(input.edge, input.defaultCountry),
    snapshot: input.snapshot,
    edge: input.edge,
    shopify: input.shopify,
    edgeChangedAt: input.edgeChangedAt,
    shopifyChangedAt: input.shopifyChangedAt
  })
  const edgeChanges: Array<FieldChange> = []
  for (const field of ContactFields.contactFieldNames) {
    const value = merged.toEdge[field]
    if (value !== undefined) edgeChanges.push({ field, value, expected: input.edge[field] })
  }
  return { merged, edgeChanges, toShopify: merged.toShopify, edgeAfter: { ...input.edge, ...merged.toEdge } }
}

/**
 * The snapshot once Edge holds `edge` and Shopify holds `shopify` (see the module comment). When
 * Shopify's side was only partly seen (an order carries the names, email and phone, not the address),
 * `carried` names the fields seen; the others keep the old snapshot's value (Edge's without one), so
 * that a change pending on either side stays visible.
 */
export const agreedSnapshot = (
  edge: Fields,
  shopify: Fields,
  defaultCountry: string,
  partial?: { readonly carried: ReadonlyArray<FieldName>; readonly base: Option.Option<Fields> }
): Fields => {
  const country = phoneCountry(edge, defaultCountry)
  const snapshot: Record<string, string | null> = {}
  for (const field of ContactFields.contactFieldNames) {
    if (partial !== undefined && !partial.carried.includes(field)) {
      snapshot[field] = Option.match(partial.base, { onNone: () => edge[field], onSome: (base) => base[field] })
      continue
    }
    const kind = ShopifyContact.kinds[field]
    const agree = Option.getEquivalence((a: string, b: string) => a === b)(
      Normalize.comparable(kind, edge[field], country),
      Normalize.comparable(kind, shopify[field], country)
    )
    snapshot[field] = agree ? edge[field] : shopify[field]
  }
  return snapshot as Fields
}

/** Whether two snapshots hold the same text in every field (how Edge compares them). */
export const sameSnapshot = (a: Fields, b: Fields): boolean => ContactFields.changedFields(a, b).length === 0

const addressFields: ReadonlyArray<FieldName> = ["company", "address1", "address2", "city", "state", "postal_code", "country"]

/**
 * The Shopify customer fields to send for `changed` Edge fields. A phone goes in E.164 when it reads
 * as a possible number (else as typed, and Shopify decides). Shopify replaces the whole default address
 * when any part of it is sent, so a change to one address field sends all of them from `all`.
 */
export const customerFields = (
  changed: Partial<Fields>,
  all: Fields,
  primary: ShopifyContact.PhoneColumn,
  defaultCountry: string
): CustomerFields => {
  const country = phoneCountry(all, defaultCountry)
  const blankToNull = (value: string | null | undefined): string | null =>
    value === undefined || value === null || value.trim() === "" ? null : value.trim()
  const out: { -readonly [K in keyof CustomerFields]: CustomerFields[K] } = {}
  if ("first_name" in changed) out.firstName = blankToNull(changed.first_name)
  if ("last_name" in changed) out.lastName = blankToNull(changed.last_name)
  if ("email" in changed) out.email = Option.getOrNull(Normalize.email(changed.email))
  if (primary in changed) {
    const raw = changed[primary]
    out.phone = Option.getOrElse(Normalize.phone(raw, country), () => blankToNull(raw))
  }
  if (addressFields.some((field) => field in changed)) {
    const address = {
      company: blankToNull(all.company),
      address1: blankToNull(all.address1),
      address2: blankToNull(all.address2),
      city: blankToNull(all.city),
      provinceCode: blankToNull(all.state),
      countryCode: Option.getOrNull(MatchKey.country(all.country)),
      zip: blankToNull(all.postal_code)
    }
    out.address = Object.values(address).every((v) => v === null) ? null : address
  }
  return out
}
