// How a Shopify customer's contact lines up with an Edge customer's contact fields, so the two can be
// merged field by field (MergeContacts.ts) against the link's snapshot.
//
// Shopify has one phone, Edge three. Shopify's phone is paired with the Edge customer's primary phone
// column: the column that holds Shopify's number (the one a match by phone found), else the first of
// cell, home, work that holds a number (in the snapshot when there is one, else in Edge), the cell
// phone when none does. The other two columns have no Shopify counterpart: on the
// Shopify side they read as Edge's own values, so they never count as changed in Shopify, are never
// pushed, and the snapshot simply follows Edge for them. The same goes for any field a partial view
// does not carry (an order tells the customer's names, email and phone, not the address). The company
// and the postal address are Shopify's default address; `state` is the province code and `country` the
// ISO code, as Edge stores them.
import { Option } from "effect"
import * as ContactFields from "../../connectors/edge/ContactFields.js"
import * as MatchKey from "../../connectors/edge/MatchKey.js"
import * as Normalize from "./Normalize.js"
import type { FieldKind } from "./Normalize.js"

export type PhoneColumn = "phone_cell" | "phone_home" | "phone_work"

const phoneColumns: ReadonlyArray<PhoneColumn> = ["phone_cell", "phone_home", "phone_work"]

/** How each Edge contact field is compared (see Normalize.comparable). */
export const kinds: { readonly [F in ContactFields.ContactFieldName]: FieldKind } = {
  first_name: "text",
  last_name: "text",
  company: "text",
  email: "email",
  phone_cell: "phone",
  phone_home: "phone",
  phone_work: "phone",
  address1: "text",
  address2: "text",
  city: "text",
  state: "code",
  postal_code: "code",
  country: "code"
}

/** The parts of a Shopify customer the sync compares. */
export interface ShopifyContactView {
  readonly firstName: string | null
  readonly lastName: string | null
  readonly email: string | null
  readonly phone: string | null
  readonly defaultAddress: {
    readonly company: string | null
    readonly address1: string | null
    readonly address2: string | null
    readonly city: string | null
    readonly provinceCode: string | null
    readonly countryCode: string | null
    readonly zip: string | null
  } | null
}

const filled = (value: string | null): boolean => value !== null && value.trim() !== ""

/**
 * The Edge phone column Shopify's phone is paired with: the one holding `shopifyPhone` (compared in
 * E.164, in the customer's country), else the first filled one of `reference`.
 */
export const primaryPhone = (
  reference: ContactFields.ContactFields,
  shopifyPhone: string | null = null,
  defaultCountry = "US"
): PhoneColumn => {
  const country = Option.getOrElse(MatchKey.country(reference.country), () => defaultCountry)
  const wanted = Normalize.phone(shopifyPhone, country)
  const holding = Option.isNone(wanted)
    ? undefined
    : phoneColumns.find((column) => Option.exists(Normalize.phone(reference[column], country), (p) => p === wanted.value))
  return holding ?? phoneColumns.find((column) => filled(reference[column])) ?? "phone_cell"
}

/** The Edge fields a Shopify customer holds, given the primary phone column. */
export const held = (customer: ShopifyContactView, primary: PhoneColumn): Partial<ContactFields.ContactFields> => {
  const address = customer.defaultAddress
  return {
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: address?.company ?? null,
    email: customer.email,
    [primary]: customer.phone,
    address1: address?.address1 ?? null,
    address2: address?.address2 ?? null,
    city: address?.city ?? null,
    state: address?.provinceCode ?? null,
    postal_code: address?.zip ?? null,
    country: address?.countryCode ?? null
  }
}

/** Shopify's side of a merge: the fields it holds, Edge's own values for the rest. */
export const view = (
  holds: Partial<ContactFields.ContactFields>,
  edge: ContactFields.ContactFields
): ContactFields.ContactFields => ({ ...edge, ...holds })

/**
 * Shopify's contact as Edge fields for a merge. `reference` (the snapshot, else the Edge customer)
 * picks the primary phone column; fields Shopify does not hold read as Edge's.
 */
export const toFields = (
  customer: ShopifyContactView,
  reference: ContactFields.ContactFields,
  edge: ContactFields.ContactFields,
  defaultCountry = "US"
): ContactFields.ContactFields => view(held(customer, primaryPhone(reference, customer.phone, defaultCountry)), edge)

/** The reference for a customer: its snapshot when it has one, else its Edge fields. */
export const reference = (
  snapshot: Option.Option<ContactFields.ContactFields>,
  edge: ContactFields.ContactFields
): ContactFields.ContactFields => Option.getOrElse(snapshot, () => edge)

/** Whether Shopify holds this Edge field (all but the two non-primary phones). */
export const shopifyHolds = (field: ContactFields.ContactFieldName, primary: PhoneColumn): boolean =>
  field === primary || !phoneColumns.some((column) => column === field)
