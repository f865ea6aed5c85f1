// Who placed a Shopify order, as the customer matching needs it: the contact to match on (the
// customer's, or for a guest checkout the order's own email and phone), and the Edge customer to
// create when no existing one is chosen (from the order's names and addresses).
import { Option } from "effect"
import * as ContactFields from "../../connectors/edge/ContactFields.js"
import type { OrderContact } from "./MatchCustomer.js"

export interface AddressView {
  readonly firstName: string | null
  readonly lastName: string | null
  readonly company: string | null
  readonly address1: string | null
  readonly address2: string | null
  readonly city: string | null
  readonly provinceCode: string | null
  readonly countryCode: string | null
  readonly zip: string | null
  readonly phone: string | null
}

/** The parts of an order that say who placed it. */
export interface OrderParty {
  readonly email: string | null
  readonly phone: string | null
  readonly customer: {
    readonly id: string
    readonly firstName: string | null
    readonly lastName: string | null
    readonly email: string | null
    readonly phone: string | null
  } | null
  readonly billingAddress: AddressView | null
  readonly shippingAddress: AddressView | null
}

const present = (value: string | null | undefined): Option.Option<string> =>
  value === null || value === undefined || value.trim() === "" ? Option.none() : Option.some(value)

const firstOf = (...values: ReadonlyArray<string | null | undefined>): Option.Option<string> =>
  Option.firstSomeOf(values.map(present))

/**
 * The contact to match on. The customer's own email and phone come first; the order's email and
 * phone (what the buyer typed at checkout, the only contact of a guest) next; a phone typed only in the
 * billing or shipping address last.
 */
export const contact = (order: OrderParty, linkedCustomerId: Option.Option<number>): OrderContact => ({
  shopifyCustomerId: Option.fromNullable(order.customer?.id),
  linkedCustomerId,
  email: firstOf(order.customer?.email, order.email),
  phone: firstOf(order.customer?.phone, order.phone, order.billingAddress?.phone, order.shippingAddress?.phone)
})

const hasStreet = (address: AddressView | null): address is AddressView =>
  address !== null && Option.isSome(present(address.address1))

/**
 * The Edge customer to create for an order: names from the customer, else the billing, else the
 * shipping address; the postal address from the billing address when it has a street, else the
 * shipping address; the matching contact's email, and its phone as the cell phone.
 */
export const newCustomer = (order: OrderParty): ContactFields.ContactFields => {
  const matchOn = contact(order, Option.none())
  const address = hasStreet(order.billingAddress)
    ? order.billingAddress
    : hasStreet(order.shippingAddress)
    ? order.shippingAddress
    : order.billingAddress ?? order.shippingAddress
  const value = (o: Option.Option<string>): string | null => Option.getOrNull(Option.map(o, (s) => s.trim()))
  return {
    ...ContactFields.empty,
    first_name: value(firstOf(order.customer?.firstName, order.billingAddress?.firstName, order.shippingAddress?.firstName)),
    last_name: value(firstOf(order.customer?.lastName, order.billingAddress?.lastName, order.shippingAddress?.lastName)),
    company: value(firstOf(address?.company)),
    email: value(matchOn.email),
    phone_cell: value(matchOn.phone),
    address1: value(firstOf(address?.address1)),
    address2: value(firstOf(address?.address2)),
    city: value(firstOf(address?.city)),
    state: value(firstOf(address?.provinceCode)),
    postal_code: value(firstOf(address?.zip)),
    country: value(firstOf(address?.countryCode))
  }
}
