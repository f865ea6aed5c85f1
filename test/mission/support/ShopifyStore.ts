// Test support: a store's customers and orders made the way Shopify makes them, through the real Admin
// API mutations (customerCreate, customerUpdate, orderCreate, refundCreate, orderCancel) sent to the
// emulator with the real @shopify/admin-api-client.
import { createAdminApiClient } from "@shopify/admin-api-client"
import { Effect } from "effect"
import type { RunningEmulator } from "../../../connectors/shopify/emulator/ShopifyEmulator.js"

export type AdminClient = ReturnType<typeof createAdminApiClient>

export const adminClient = (emulator: Pick<RunningEmulator, "url" | "token">): AdminClient =>
  createAdminApiClient({
    storeDomain: emulator.url,
    apiVersion: "2026-07",
    accessToken: emulator.token,
    retries: 2,
    // The client always builds https URLs; the emulator speaks http on loopback (FACTS §8.2).
    customFetchApi: (url, init) => fetch(url.replace(/^https:/, "http:"), init)
  })

interface Answer {
  readonly data?: Record<string, unknown> | undefined
  readonly errors?: unknown
}

const call = (client: AdminClient, query: string, variables: Record<string, unknown>) =>
  Effect.promise(() => client.request(query, { variables }) as Promise<Answer>).pipe(
    Effect.flatMap((answer) =>
      answer.data === undefined ? Effect.dieMessage(`GraphQL failed: ${JSON.stringify(answer.errors)}`) : Effect.succeed(answer.data)
    )
  )

const payload = (data: Record<string, unknown>, field: string) => {
  const p = data[field] as { readonly userErrors?: ReadonlyArray<{ readonly message: string }> } & Record<string, unknown>
  if (p.userErrors !== undefined && p.userErrors.length > 0) {
    return Effect.dieMessage(`${field}: ${p.userErrors.map((e) => e.message).join("; ")}`)
  }
  return Effect.succeed(p)
}

export interface CustomerInput {
  readonly firstName?: string
  readonly lastName?: string
  readonly email?: string
  readonly phone?: string
  readonly addresses?: ReadonlyArray<Record<string, string>>
}

export const createCustomer = (client: AdminClient, input: CustomerInput) =>
  call(client, `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id } userErrors { field message } } }`, { input })
    .pipe(Effect.flatMap((d) => payload(d, "customerCreate")), Effect.map((p) => (p.customer as { readonly id: string }).id))

/** A profile edit as the customer makes it on the site (an Admin customerUpdate). */
export const updateCustomer = (client: AdminClient, id: string, input: CustomerInput) =>
  call(client, `mutation U($input: CustomerInput!) { customerUpdate(input: $input) { customer { id } userErrors { field message } } }`, {
    input: { id, ...input }
  }).pipe(Effect.flatMap((d) => payload(d, "customerUpdate")), Effect.asVoid)

export const customer = (client: AdminClient, id: string) =>
  call(client, `query Q($id: ID!) { customer(id: $id) { id firstName lastName state
      defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }
      defaultAddress { address1 city provinceCode countryCodeV2 zip } } }`, { id })
    .pipe(Effect.map((d) => d.customer as {
      readonly id: string
      readonly firstName: string | null
      readonly lastName: string | null
      readonly state: string
      readonly defaultEmailAddress: { readonly emailAddress: string } | null
      readonly defaultPhoneNumber: { readonly phoneNumber: string } | null
      readonly defaultAddress: { readonly address1: string | null; readonly city: string | null } | null
    } | null))

export const customersCount = (client: AdminClient) =>
  call(client, `query { customersCount { count } }`, {}).pipe(
    Effect.map((d) => (d.customersCount as { readonly count: number }).count)
  )

/** An enum value in a GraphQL literal (unquoted). */
class Enum {
  constructor(readonly value: string) {}
}
const e = (value: string) => new Enum(value)

/**
 * A value written as a GraphQL literal. Orders and refunds are sent with their input inline rather
 * than as variables, as many Admin API scripts send them: the emulator must take both forms.
 */
const literal = (value: unknown): string => {
  if (value instanceof Enum) return value.value
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(", ")} }`
  }
  return JSON.stringify(value)
}

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: e("USD") } })

export interface OrderLine {
  readonly sku?: string
  readonly title: string
  readonly quantity: number
  readonly price: string
  /** Tax lines as [rate, amount]. */
  readonly taxes?: ReadonlyArray<readonly [number, string]>
}

export interface OrderSpec {
  readonly customerId?: string
  readonly email?: string
  readonly phone?: string
  readonly lines: ReadonlyArray<OrderLine>
  readonly shipping?: { readonly price: string; readonly taxes?: ReadonlyArray<readonly [number, string]> }
  readonly taxesIncluded?: boolean
  readonly paid?: { readonly gateway: string; readonly amount: string }
  readonly billingAddress?: Record<string, string>
  readonly discountCode?: { readonly code: string; readonly amount: string }
}

const taxLines = (taxes: ReadonlyArray<readonly [number, string]> | undefined) =>
  (taxes ?? []).map(([rate, amount]) => ({ title: "Sales tax", rate, priceSet: money(amount) }))

/** An order through orderCreate; its id and its line item ids. */
export const createOrder = (client: AdminClient, spec: OrderSpec) =>
  call(client, `mutation O { orderCreate(order: ${literal(orderInput(spec))}) {
      order { id name lineItems(first: 50) { nodes { id } } } userErrors { field message } } }`, {}).pipe(
    Effect.flatMap((d) => payload(d, "orderCreate")),
    Effect.map((p) => {
      const order = p.order as { readonly id: string; readonly name: string; readonly lineItems: { readonly nodes: ReadonlyArray<{ readonly id: string }> } }
      return { id: order.id, name: order.name, lineItemIds: order.lineItems.nodes.map((n) => n.id) }
    })
  )

const address = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k === "countryCode" ? e(v) : v]))

const orderInput = (spec: OrderSpec) => ({
      currency: e("USD"),
      ...(spec.customerId === undefined ? {} : { customer: { toAssociate: { id: spec.customerId } } }),
      ...(spec.email === undefined ? {} : { email: spec.email }),
      ...(spec.phone === undefined ? {} : { phone: spec.phone }),
      ...(spec.billingAddress === undefined ? {} : { billingAddress: address(spec.billingAddress) }),
      ...(spec.discountCode === undefined
        ? {}
        : { discountCode: { itemFixedDiscountCode: { code: spec.discountCode.code, amountSet: money(spec.discountCode.amount) } } }),
      taxesIncluded: spec.taxesIncluded ?? false,
      lineItems: spec.lines.map((l) => ({
        title: l.title,
        ...(l.sku === undefined ? {} : { sku: l.sku }),
        quantity: l.quantity,
        priceSet: money(l.price),
        taxLines: taxLines(l.taxes)
      })),
      ...(spec.shipping === undefined
        ? {}
        : { shippingLines: [{ title: "Standard", priceSet: money(spec.shipping.price), taxLines: taxLines(spec.shipping.taxes) }] }),
      ...(spec.paid === undefined
        ? {}
        : { transactions: [{ kind: e("SALE"), status: e("SUCCESS"), gateway: spec.paid.gateway, amountSet: money(spec.paid.amount) }] })
})

/** A refund of some line items (and money back through `gateway`). */
export const refund = (
  client: AdminClient,
  orderId: string,
  spec: { readonly lines: ReadonlyArray<{ readonly lineItemId: string; readonly quantity: number }>; readonly amount: string; readonly gateway: string }
) =>
  call(client, `mutation R { refundCreate(input: ${literal({
    orderId,
    refundLineItems: spec.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, restockType: e("NO_RESTOCK") })),
    transactions: [{ orderId, amount: spec.amount, gateway: spec.gateway, kind: e("REFUND") }]
  })}) { refund { id } userErrors { field message } } }`, {}).pipe(Effect.flatMap((d) => payload(d, "refundCreate")), Effect.asVoid)

export const cancel = (client: AdminClient, orderId: string) =>
  call(client, `mutation X($id: ID!) { orderCancel(orderId: $id, restock: true, reason: CUSTOMER, refundMethod: { originalPaymentMethodsRefund: true }) {
      job { id } orderCancelUserErrors { field message } } }`, { id: orderId }).pipe(
    Effect.flatMap((d) => {
      const p = d.orderCancel as { readonly orderCancelUserErrors: ReadonlyArray<{ readonly message: string }> }
      return p.orderCancelUserErrors.length > 0 ? Effect.dieMessage(p.orderCancelUserErrors.map((e) => e.message).join("; ")) : Effect.void
    })
  )
