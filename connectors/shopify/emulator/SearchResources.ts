// What `customers(query:)` and `orders(query:)` can filter and sort on: the search keys Shopify
// documents for each (FACTS §1.5, §2.2) mapped onto the stored records, and the sort keys with the
// cursor values Shopify puts in their cursors (epoch ms for times, "last, first" for NAME, …).
import * as Connection from "./Connection.js"
import * as CustomerMutations from "./CustomerMutations.js"
import * as Money from "./Money.js"
import * as PhoneNumber from "./PhoneNumber.js"
import * as SearchFilter from "./SearchFilter.js"
import * as StoreModel from "./StoreModel.js"
import { Option } from "effect"

const lower = (s: string | null | undefined) => (s ?? "").toLowerCase()

export const customerResource = (
  data: StoreModel.StoreData,
  defaultCountry: string
): SearchFilter.Resource<StoreModel.Customer> => {
  const orders = (c: StoreModel.Customer) => StoreModel.ordersOfCustomer(data, c.id)
  return {
    fields: {
      email: { kind: "tokenized", get: (c) => c.email },
      first_name: { kind: "text", get: (c) => [c.firstName] },
      last_name: { kind: "text", get: (c) => [c.lastName] },
      state: { kind: "text", get: (c) => [c.state] },
      tag: { kind: "tags", get: (c) => c.tags, negate: false },
      tag_not: { kind: "tags", get: (c) => c.tags, negate: true },
      updated_at: { kind: "time", get: (c) => c.updatedAt },
      customer_date: { kind: "time", get: (c) => c.createdAt },
      created_at: { kind: "time", get: (c) => c.createdAt },
      orders_count: { kind: "number", get: (c) => orders(c).length },
      total_spent: { kind: "number", get: (c) => Money.toSortNumber(amountSpent(data, c)) },
      accepts_marketing: { kind: "boolean", get: (c) => c.emailMarketing?.state === "SUBSCRIBED" },
      id: { kind: "custom", match: (c, term) => SearchFilter.compareId(c.id, term) },
      phone: {
        kind: "custom",
        match: (c, term) => {
          if (term.value === "*") return c.phone !== null
          const wanted = Option.getOrElse(PhoneNumber.normalize(term.value, defaultCountry), () => term.value)
          return c.phone === wanted
        }
      },
      country: {
        kind: "custom",
        match: (c, term) =>
          c.addresses.some((a) =>
            term.value === "*" ? a.countryCode !== null : lower(a.country) === lower(term.value) || lower(a.countryCode) === lower(term.value)
          )
      }
    },
    freeText: (c) => [
      c.firstName ?? "",
      c.lastName ?? "",
      c.email ?? "",
      c.phone ?? "",
      ...c.tags,
      ...c.addresses.flatMap((a) => [a.company ?? "", a.city ?? "", a.country ?? ""])
    ]
  }
}

export const amountSpent = (data: StoreModel.StoreData, c: StoreModel.Customer): Money.Amount =>
  Money.sum(StoreModel.ordersOfCustomer(data, c.id).map((o) => o.totals.netPayment.shop))

const financialStatusWords: Readonly<Record<string, string>> = {
  PENDING: "pending",
  AUTHORIZED: "authorized",
  PARTIALLY_PAID: "partially_paid",
  PARTIALLY_REFUNDED: "partially_refunded",
  VOIDED: "voided",
  PAID: "paid",
  REFUNDED: "refunded",
  EXPIRED: "expired"
}

const fulfillmentWords: Readonly<Record<string, ReadonlyArray<string>>> = {
  UNFULFILLED: ["unfulfilled", "unshipped"],
  FULFILLED: ["fulfilled", "shipped"],
  PARTIALLY_FULFILLED: ["partial"],
  RESTOCKED: ["restocked"]
}

export const orderResource = (data: StoreModel.StoreData): SearchFilter.Resource<StoreModel.Order> => ({
  fields: {
    created_at: { kind: "time", get: (o) => o.createdAt },
    updated_at: { kind: "time", get: (o) => o.updatedAt },
    processed_at: { kind: "time", get: (o) => o.processedAt },
    email: { kind: "text", get: (o) => [o.email] },
    name: { kind: "text", get: (o) => [o.name, o.name.replace(/^#/, "")] },
    sku: { kind: "text", get: (o) => o.lineItems.map((l) => l.sku) },
    source_name: { kind: "text", get: (o) => [o.sourceName] },
    gateway: { kind: "text", get: (o) => gatewayNames(o) },
    discount_code: { kind: "text", get: (o) => o.discountCodes },
    po_number: { kind: "text", get: (o) => [o.poNumber] },
    tag: { kind: "tags", get: (o) => o.tags, negate: false },
    tag_not: { kind: "tags", get: (o) => o.tags, negate: true },
    test: { kind: "boolean", get: (o) => o.test },
    current_total_price: { kind: "number", get: (o) => Money.toSortNumber(o.totals.currentTotal.shop) },
    id: { kind: "custom", match: (o, term) => SearchFilter.compareId(o.id, term) },
    customer_id: {
      kind: "custom",
      match: (o, term) => o.customerId !== null && SearchFilter.compareId(o.customerId, term)
    },
    financial_status: {
      kind: "custom",
      match: (o, term) => lower(term.value) === (financialStatusWords[o.totals.financialStatus ?? "PENDING"] ?? "pending")
    },
    fulfillment_status: {
      kind: "custom",
      match: (o, term) => (fulfillmentWords[o.fulfillmentStatus] ?? []).includes(lower(term.value))
    },
    status: {
      kind: "custom",
      match: (o, term) => {
        switch (lower(term.value)) {
          case "open":
            return o.closedAt === null && o.cancelledAt === null
          case "closed":
            return o.closedAt !== null
          case "cancelled":
            return o.cancelledAt !== null
          case "not_closed":
            return o.closedAt === null
          default:
            return false
        }
      }
    }
  },
  freeText: (o) => {
    const customer = o.customerId === null ? undefined : Option.getOrUndefined(StoreModel.getCustomer(data, o.customerId))
    return [
      o.name,
      o.email ?? "",
      customer?.firstName ?? "",
      customer?.lastName ?? "",
      ...o.tags,
      ...o.lineItems.flatMap((l) => [l.title, l.sku ?? ""]),
      o.shippingAddress?.lastName ?? "",
      o.billingAddress?.lastName ?? ""
    ]
  }
})

export const gatewayNames = (o: StoreModel.Order): ReadonlyArray<string> =>
  [...new Set(o.transactions.filter((t) => t.kind !== "REFUND" && t.kind !== "VOID").map((t) => t.gateway))]

export const customerSortValue = (key: string, c: StoreModel.Customer): Connection.SortValue => {
  switch (key) {
    case "CREATED_AT":
      return c.createdAt
    case "UPDATED_AT":
      return c.updatedAt
    case "NAME":
      return `${lower(c.lastName)}, ${lower(c.firstName)}`
    case "LOCATION": {
      const a = CustomerMutations.defaultAddress(c)
      return [lower(a?.country), lower(a?.province), lower(a?.city)]
    }
    default:
      return c.id
  }
}

export const orderSortValue = (data: StoreModel.StoreData, key: string, o: StoreModel.Order): Connection.SortValue => {
  switch (key) {
    case "CREATED_AT":
      return o.createdAt
    case "UPDATED_AT":
      return o.updatedAt
    case "PROCESSED_AT":
      return o.processedAt
    case "ORDER_NUMBER":
      return o.number
    case "TOTAL_PRICE":
      return Money.toSortNumber(o.totals.totalPrice.shop)
    case "CURRENT_TOTAL_PRICE":
      return Money.toSortNumber(o.totals.currentTotal.shop)
    case "TOTAL_ITEMS_QUANTITY":
      return o.totals.itemCount
    case "FINANCIAL_STATUS":
      return lower(o.totals.financialStatus)
    case "FULFILLMENT_STATUS":
      return lower(o.fulfillmentStatus)
    case "PO_NUMBER":
      return lower(o.poNumber)
    case "DESTINATION":
      return lower(o.shippingAddress?.country)
    case "CUSTOMER_NAME": {
      const c = o.customerId === null ? undefined : Option.getOrUndefined(StoreModel.getCustomer(data, o.customerId))
      return c === undefined ? "" : lower(CustomerMutations.displayName(c))
    }
    default:
      return o.id
  }
}
