// What happens in the demo's Shopify store, done the way a shopper or a merchant does it: customers sign
// up, orders are placed, a customer edits their profile, an order is refunded, all through the Admin
// API mutations (customerCreate, orderCreate, customerUpdate, refundCreate) sent by the connector's own
// client to the emulator.
import { Effect, Option, Schema } from "effect"
import { CustomerCreate, CustomerUpdate } from "../../connectors/shopify/documents/CustomerDocuments.js"
import * as Operation from "../../connectors/shopify/Operation.js"
import { ShopifyClient } from "../../connectors/shopify/ShopifyClient.js"
import type { ShopifyError } from "../../connectors/shopify/ShopifyError.js"

export interface NewCustomer {
  readonly firstName: string | null
  readonly lastName: string | null
  readonly email?: string | null | undefined
  readonly phone?: string | null | undefined
}

/** Signs a customer up; none when Shopify refuses it (an invalid phone, an email already taken). */
export const createCustomer = (customer: NewCustomer): Effect.Effect<Option.Option<string>, ShopifyError, ShopifyClient> =>
  Effect.flatMap(ShopifyClient, (client) =>
    client.execute(CustomerCreate, {
      input: {
        firstName: customer.firstName,
        lastName: customer.lastName,
        ...(customer.email === undefined || customer.email === null ? {} : { email: customer.email }),
        ...(customer.phone === undefined || customer.phone === null ? {} : { phone: customer.phone })
      }
    })).pipe(Effect.map((r) => Option.map(Option.fromNullable(r.customerCreate.customer), (c) => c.id)))

/** A profile edit on the site. */
export const editProfile = (
  id: string,
  change: { readonly lastName?: string; readonly city?: string }
): Effect.Effect<void, ShopifyError, ShopifyClient> =>
  Effect.flatMap(ShopifyClient, (client) =>
    client.execute(CustomerUpdate, {
      input: {
        id,
        ...(change.lastName === undefined ? {} : { lastName: change.lastName }),
        ...(change.city === undefined ? {} : { addresses: [{ city: change.city, countryCode: "US" }] })
      }
    })).pipe(Effect.asVoid)

/** An enum value inside a GraphQL literal. */
class Enum {
  constructor(readonly value: string) {}
}

// Orders and refunds are sent with their input written inline, as GraphQL literals: a document that
// needs no variable coercion, the simplest thing any Admin API client can send.
const literal = (value: unknown): string => {
  if (value instanceof Enum) return value.value
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(", ")} }`
  }
  return JSON.stringify(value)
}

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: new Enum("USD") } })

export interface OrderLine {
  readonly sku: string | null
  readonly title: string
  readonly quantity: number
  readonly price: string
  /** [rate, amount] */
  readonly tax?: readonly [number, string] | undefined
}

export interface NewOrder {
  readonly customerId?: string | undefined
  readonly email?: string | undefined
  readonly lines: ReadonlyArray<OrderLine>
  readonly shipping?: { readonly price: string; readonly tax?: readonly [number, string] | undefined } | undefined
  readonly taxesIncluded?: boolean | undefined
  readonly gateway: string
  readonly paid: string
  readonly billingAddress?: {
    readonly firstName: string
    readonly lastName: string
    readonly address1: string
    readonly city: string
    readonly provinceCode: string
    readonly zip: string
  } | undefined
}

const taxLines = (tax: readonly [number, string] | undefined) =>
  tax === undefined ? [] : [{ title: "Sales tax", rate: tax[0], priceSet: money(tax[1]) }]

const OrderCreated = Schema.Struct({
  orderCreate: Schema.Struct({
    order: Schema.NullOr(Schema.Struct({
      id: Schema.String,
      name: Schema.String,
      lineItems: Schema.Struct({ nodes: Schema.Array(Schema.Struct({ id: Schema.String })) })
    })),
    userErrors: Schema.Array(Schema.Struct({ message: Schema.String }))
  })
})

export interface PlacedOrder {
  readonly id: string
  readonly name: string
  readonly lineItemIds: ReadonlyArray<string>
}

/** Places an order; none when Shopify refuses it. */
export const placeOrder = (order: NewOrder): Effect.Effect<Option.Option<PlacedOrder>, ShopifyError, ShopifyClient> => {
  const input = {
    currency: new Enum("USD"),
    ...(order.customerId === undefined ? {} : { customer: { toAssociate: { id: order.customerId } } }),
    ...(order.email === undefined ? {} : { email: order.email }),
    ...(order.billingAddress === undefined
      ? {}
      : { billingAddress: { ...order.billingAddress, countryCode: new Enum("US") } }),
    taxesIncluded: order.taxesIncluded ?? false,
    lineItems: order.lines.map((l) => ({
      title: l.title,
      ...(l.sku === null ? {} : { sku: l.sku }),
      quantity: l.quantity,
      priceSet: money(l.price),
      taxLines: taxLines(l.tax)
    })),
    ...(order.shipping === undefined
      ? {}
      : { shippingLines: [{ title: "Insured shipping", priceSet: money(order.shipping.price), taxLines: taxLines(order.shipping.tax) }] }),
    transactions: [{ kind: new Enum("SALE"), status: new Enum("SUCCESS"), gateway: order.gateway, amountSet: money(order.paid) }]
  }
  const operation = Operation.mutation<Record<string, never>>()(
    "DemoOrderCreate",
    `mutation DemoOrderCreate { orderCreate(order: ${literal(input)}) {
      order { id name lineItems(first: 50) { nodes { id } } } userErrors { message } } }`,
    OrderCreated
  )
  return Effect.flatMap(ShopifyClient, (client) => client.execute(operation, {})).pipe(
    Effect.map((r) =>
      Option.map(Option.fromNullable(r.orderCreate.order), (o) => ({ id: o.id, name: o.name, lineItemIds: o.lineItems.nodes.map((n) => n.id) }))
    )
  )
}

const Refunded = Schema.Struct({
  refundCreate: Schema.Struct({ userErrors: Schema.Array(Schema.Struct({ message: Schema.String })) })
})

/** Refunds one unit of an order's first line, money back through `gateway`. */
export const refundOne = (order: PlacedOrder, amount: string, gateway: string): Effect.Effect<boolean, ShopifyError, ShopifyClient> => {
  const input = {
    orderId: order.id,
    refundLineItems: order.lineItemIds.slice(0, 1).map((lineItemId) => ({ lineItemId, quantity: 1, restockType: new Enum("RETURN") })),
    transactions: [{ orderId: order.id, amount, gateway, kind: new Enum("REFUND") }]
  }
  const operation = Operation.mutation<Record<string, never>>()(
    "DemoRefundCreate",
    `mutation DemoRefundCreate { refundCreate(input: ${literal(input)}) { userErrors { message } } }`,
    Refunded
  )
  return Effect.flatMap(ShopifyClient, (client) => client.execute(operation, {})).pipe(
    Effect.map((r) => r.refundCreate.userErrors.length === 0)
  )
}
