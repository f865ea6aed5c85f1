// Customer and order mutations beyond the replayed captures: invites and their failure modes,
// customerSet upserts and identifier rules, updatedAt semantics, addresses, input limits; orders with
// tax-included prices, guest checkouts, discounts, refunds and cancellations moving the money and the
// financial status, and what orders do to their customer.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, type AdminClient, request } from "./AdminClient.js"
import { arr, at, obj, str } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)

const gql = (client: AdminClient, query: string, variables?: Record<string, unknown>) =>
  Effect.map(request(client, query, variables), (a) => {
    if (a.errors !== undefined) throw new Error(JSON.stringify(a.errors.graphQLErrors ?? a.errors.message))
    return a.data
  })

const createCustomer = (client: AdminClient, input: Record<string, unknown>) =>
  Effect.map(
    gql(client, `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id updatedAt } userErrors { field message } } }`, { input }),
    (d) => str(d, "customerCreate.customer.id")
  )

const invite = `mutation I($id: ID!, $email: EmailInput) { customerSendAccountInviteEmail(customerId: $id, email: $email) { customer { id state } userErrors { field message code } } }`
const setMutation = `mutation S($input: CustomerSetInput!, $identifier: CustomerSetIdentifiers) { customerSet(input: $input, identifier: $identifier) { customer { id email firstName addresses { city } } userErrors { field message code } } }`
const cad = (amount: string) => ({ shopMoney: { amount, currencyCode: "CAD" } })

const orderFields = `id name updatedAt displayFinancialStatus cancelledAt closed
  customer { id }
  subtotalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } }
  currentTotalPriceSet { shopMoney { amount } } totalRefundedSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
  totalOutstandingSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } }
  lineItems(first: 5) { nodes { id quantity currentQuantity } }
  transactions { id kind status amountSet { shopMoney { amount } } }
  refunds { totalRefundedSet { shopMoney { amount } } }`

const createOrder = (client: AdminClient, order: Record<string, unknown>) =>
  Effect.map(
    gql(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { ${orderFields} } userErrors { field message code } } }`, { order }),
    (d) => obj(d, "orderCreate.order")
  )

const readOrder = (client: AdminClient, id: string) => Effect.map(gql(client, `query R($id: ID!) { order(id: $id) { ${orderFields} } }`, { id }), (d) => obj(d, "order"))

const amount = (o: unknown, field: string) => str(o, `${field}.shopMoney.amount`)

describe("customer mutations", () => {
  it.scoped("invites: success records the invite; phone-only customers, shops without legacy accounts and enabled customers fail on the record", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const withEmail = yield* createCustomer(client, { email: "invitee@example.com", firstName: "In" })
      const sent = yield* gql(client, invite, { id: withEmail, email: { subject: "Welcome" } })
      assert.deepStrictEqual(at(sent, "customerSendAccountInviteEmail"), { customer: { id: withEmail, state: "INVITED" }, userErrors: [] })
      assert.deepStrictEqual(
        (yield* emulator.control.invites).map((i) => ({ customerId: i.customerId, to: i.to, subject: i.subject })),
        [{ customerId: withEmail, to: "invitee@example.com", subject: "Welcome" }]
      )
      // Re-inviting an invited customer works again.
      assert.deepStrictEqual(at(yield* gql(client, invite, { id: withEmail }), "customerSendAccountInviteEmail.userErrors"), [])
      const phoneOnly = yield* createCustomer(client, { phone: "+16135550199" })
      assert.deepStrictEqual(at(yield* gql(client, invite, { id: phoneOnly }), "customerSendAccountInviteEmail"), {
        customer: null,
        userErrors: [{ field: ["email", "to"], message: "To can't be blank", code: "INVALID" }]
      })
      assert.deepStrictEqual(at(yield* gql(client, invite, { id: "gid://shopify/Customer/1" }), "customerSendAccountInviteEmail.userErrors"), [
        { field: ["customerId"], message: "Customer can't be found", code: null }
      ])
      yield* emulator.control.settings({ invitesEnabled: false })
      const other = yield* createCustomer(client, { email: "other@example.com" })
      assert.deepStrictEqual(at(yield* gql(client, invite, { id: other }), "customerSendAccountInviteEmail.userErrors"), [
        { field: ["customerId"], message: "Error sending account invite to customer.", code: "INVALID" }
      ])
      assert.strictEqual((yield* emulator.control.invites).length, 2)
    }))

  it.scoped("customerSet upserts by email and enforces Shopify's identifier rules", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const created = yield* gql(client, setMutation, { identifier: { email: "set@example.com" }, input: { email: "set@example.com", firstName: "First", addresses: [{ city: "Ottawa", countryCode: "CA" }] } })
      const id = str(created, "customerSet.customer.id")
      const updated = yield* gql(client, setMutation, { identifier: { email: "SET@example.com" }, input: { email: "set@example.com", firstName: "Second", addresses: [] } })
      assert.deepStrictEqual(at(updated, "customerSet.customer"), { id, email: "set@example.com", firstName: "Second", addresses: [] })
      assert.strictEqual((yield* emulator.control.customers).length, 1)
      const errors = (variables: Record<string, unknown>) => Effect.map(gql(client, setMutation, variables), (d) => at(d, "customerSet.userErrors"))
      assert.deepStrictEqual(yield* errors({ identifier: { email: "set@example.com" }, input: { firstName: "X" } }), [
        { field: ["input"], message: "The input field corresponding to the identifier is required.", code: "MISSING_FIELD_REQUIRED" }
      ])
      assert.deepStrictEqual(yield* errors({ identifier: { email: "set@example.com" }, input: { email: "other@example.com" } }), [
        { field: ["input"], message: "The identifier value does not match the value of the corresponding field in the input.", code: "INPUT_MISMATCH" }
      ])
      assert.deepStrictEqual(yield* errors({ identifier: { id }, input: { id, firstName: "X" } }), [
        { field: ["input"], message: "The id field is not allowed if identifier is provided.", code: "ID_NOT_ALLOWED" }
      ])
      assert.deepStrictEqual(yield* errors({ input: {} }), [
        { field: ["input"], message: "A name, phone number, or email address must be present", code: null }
      ])
      const custom = yield* request(client, setMutation, { identifier: { customId: { key: "external_id", value: "1" } }, input: { firstName: "X" } })
      assert.deepStrictEqual(at(custom.errors, "graphQLErrors.0.message"), "Metafield definition of type 'id' is required when using custom ids.")
      assert.deepStrictEqual(at(custom.errors, "graphQLErrors.0.path"), ["customerSet"])
    }))

  it.scoped("updatedAt moves on every change and not on a no-op update; addresses are normalised and replaced", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const id = yield* createCustomer(client, {
        email: "addr@example.com",
        addresses: [{ address1: "1 King St W", city: "Toronto", countryCode: "CA", provinceCode: "on", zip: "M5H 1A1" }]
      })
      const update = `mutation U($input: CustomerInput!) { customerUpdate(input: $input) { customer { updatedAt defaultAddress { id province provinceCode country countryCodeV2 formattedArea } addressesV2(first: 5) { nodes { city } } } userErrors { field message } } }`
      yield* emulator.control.advanceClock(5_000)
      const same = yield* gql(client, update, { input: { id, email: "ADDR@example.com" } })
      assert.strictEqual(at(same, "customerUpdate.customer.updatedAt"), "2026-11-26T12:00:00Z")
      assert.deepStrictEqual(at(same, "customerUpdate.customer.defaultAddress"), {
        id: str(same, "customerUpdate.customer.defaultAddress.id"),
        province: "Ontario",
        provinceCode: "ON",
        country: "Canada",
        countryCodeV2: "CA",
        formattedArea: "Toronto ON, Canada"
      })
      assert.match(str(same, "customerUpdate.customer.defaultAddress.id"), /^gid:\/\/shopify\/MailingAddress\/\d+\?model_name=CustomerAddress$/)
      const changed = yield* gql(client, update, { input: { id, addresses: [{ city: "Seattle", countryCode: "US", provinceCode: "WA" }] } })
      assert.strictEqual(at(changed, "customerUpdate.customer.updatedAt"), "2026-11-26T12:00:05Z")
      assert.deepStrictEqual(at(changed, "customerUpdate.customer.addressesV2.nodes"), [{ city: "Seattle" }])
      const unknownAddress = yield* gql(client, update, { input: { id, addresses: [{ id: "gid://shopify/MailingAddress/1?model_name=CustomerAddress", city: "X" }] } })
      assert.deepStrictEqual(at(unknownAddress, "customerUpdate.userErrors"), [{ field: ["addresses", "0", "id"], message: "Customer address does not exist" }])
      const consent = yield* gql(client, update, { input: { id, emailMarketingConsent: { marketingState: "SUBSCRIBED" } } })
      assert.deepStrictEqual(at(consent, "customerUpdate.userErrors"), [
        { field: ["emailMarketingConsent"], message: "To update emailMarketingConsent, please use the customerEmailMarketingConsentUpdate Mutation instead" }
      ])
    }))

  it.scoped("input arrays over 250 items are refused before anything runs (MAX_INPUT_SIZE_EXCEEDED)", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({})
      const answer = yield* request(adminClient(emulator), `mutation C($input: CustomerInput!) { customerCreate(input: $input) { userErrors { message } } }`, {
        input: { email: "tags@example.com", tags: Array.from({ length: 251 }, (_, i) => `t${i}`) }
      })
      assert.deepStrictEqual(at(answer.errors, "graphQLErrors"), [{
        message: "The input array size of 251 is greater than the maximum allowed of 250.",
        extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" }
      }])
      assert.strictEqual((yield* emulator.control.customers).length, 0)
    }))
})

describe("order mutations", () => {
  it.scoped("tax-included prices, percentage discounts, free shipping and guest checkouts", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const included = yield* createOrder(client, {
        email: "guest@example.com",
        taxesIncluded: true,
        lineItems: [{ title: "Pendant", quantity: 1, priceSet: cad("113.00"), taxLines: [{ title: "HST", rate: "0.13", priceSet: cad("13.00") }] }],
        shippingLines: [{ title: "Ship", priceSet: cad("10.00") }]
      })
      assert.isNull(included["customer"], "a guest checkout has no customer")
      assert.strictEqual(amount(included, "subtotalPriceSet"), "113.0")
      assert.strictEqual(amount(included, "totalTaxSet"), "13.0")
      assert.strictEqual(amount(included, "totalPriceSet"), "123.0")
      assert.isNull(included["displayFinancialStatus"])
      const discounted = yield* createOrder(client, {
        lineItems: [{ title: "Ring", quantity: 2, priceSet: cad("50.00"), taxLines: [{ title: "GST", rate: "0.05" }] }],
        shippingLines: [{ title: "Ship", priceSet: cad("8.00") }],
        discountCode: { itemPercentageDiscountCode: { code: "TEN", percentage: 10 } },
        financialStatus: "PAID"
      })
      // 100 − 10 % = 90; tax 5 % of 90 = 4.5; total 90 + 8 + 4.5.
      assert.strictEqual(amount(discounted, "subtotalPriceSet"), "90.0")
      assert.strictEqual(amount(discounted, "totalDiscountsSet"), "10.0")
      assert.strictEqual(amount(discounted, "totalTaxSet"), "4.5")
      assert.strictEqual(amount(discounted, "totalPriceSet"), "102.5")
      assert.strictEqual(discounted["displayFinancialStatus"], "PAID")
      assert.deepStrictEqual(arr(discounted, "transactions").map((t) => [at(t, "kind"), at(t, "amountSet.shopMoney.amount")]), [["SALE", "102.5"]])
      const free = yield* createOrder(client, {
        lineItems: [{ title: "Ring", quantity: 1, priceSet: cad("50.00") }],
        shippingLines: [{ title: "Ship", priceSet: cad("8.00") }],
        discountCode: { freeShippingDiscountCode: { code: "SHIPFREE" } }
      })
      assert.strictEqual(amount(free, "totalShippingPriceSet"), "8.0")
      assert.strictEqual(amount(free, "totalDiscountsSet"), "8.0")
      assert.strictEqual(amount(free, "totalPriceSet"), "50.0")
      const invalid = yield* gql(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { field message code } } }`, {
        order: { lineItems: [] }
      })
      assert.deepStrictEqual(at(invalid, "orderCreate.userErrors"), [{ field: ["order", "lineItems"], message: "Line items must have at least one line item", code: "INVALID" }])
      const future = yield* gql(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { field code } } }`, {
        order: { processedAt: "2099-01-01T00:00:00Z", lineItems: [{ title: "X", quantity: 1, priceSet: cad("1.00") }] }
      })
      assert.deepStrictEqual(at(future, "orderCreate.userErrors"), [{ field: ["order", "processedAt"], code: "PROCESSED_AT_INVALID" }])
    }))

  it.scoped("refunds: partial then full, moving quantities, current totals, status and updatedAt", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const customer = yield* createCustomer(client, { email: "buyer@example.com" })
      const order = yield* createOrder(client, {
        customerId: customer,
        lineItems: [{ title: "Earrings", quantity: 2, priceSet: cad("40.00"), taxLines: [{ title: "GST", rate: "0.05", priceSet: cad("4.00") }] }],
        shippingLines: [{ title: "Ship", priceSet: cad("6.00") }],
        transactions: [{ kind: "SALE", gateway: "manual", amountSet: cad("90.00") }]
      })
      const id = str(order, "id")
      const lineId = str(order, "lineItems.nodes.0.id")
      const saleId = str(order, "transactions.0.id")
      assert.strictEqual(order["displayFinancialStatus"], "PAID")
      const summary = yield* gql(client, `query C($id: ID!) { customer(id: $id) { numberOfOrders amountSpent { amount } lastOrder { id } canDelete updatedAt } }`, { id: customer })
      assert.deepStrictEqual(at(summary, "customer"), { numberOfOrders: "1", amountSpent: { amount: "90.0" }, lastOrder: { id }, canDelete: false, updatedAt: "2026-11-26T12:00:00Z" })
      yield* emulator.control.advanceClock(60_000)
      const refund = `mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { totalRefundedSet { shopMoney { amount } } } order { id } userErrors { field message } } }`
      const partial = yield* gql(client, refund, {
        input: {
          orderId: id,
          refundLineItems: [{ lineItemId: lineId, quantity: 1, restockType: "RETURN" }],
          transactions: [{ amount: "42.00", gateway: "manual", kind: "REFUND", orderId: id, parentId: saleId }]
        }
      })
      assert.deepStrictEqual(at(partial, "refundCreate.userErrors"), [])
      const afterPartial = yield* readOrder(client, id)
      assert.strictEqual(afterPartial["displayFinancialStatus"], "PARTIALLY_REFUNDED")
      assert.strictEqual(afterPartial["updatedAt"], "2026-11-26T12:01:00Z")
      assert.strictEqual(at(afterPartial, "lineItems.nodes.0.currentQuantity"), 1)
      assert.strictEqual(amount(afterPartial, "totalRefundedSet"), "42.0")
      assert.strictEqual(amount(afterPartial, "currentTotalPriceSet"), "48.0")
      assert.strictEqual(amount(afterPartial, "totalPriceSet"), "90.0")
      yield* gql(client, refund, {
        input: {
          orderId: id,
          refundLineItems: [{ lineItemId: lineId, quantity: 1 }],
          shipping: { fullRefund: true },
          transactions: [{ amount: "48.00", gateway: "manual", kind: "REFUND", orderId: id, parentId: saleId }]
        }
      })
      const refunded = yield* readOrder(client, id)
      assert.strictEqual(refunded["displayFinancialStatus"], "REFUNDED")
      assert.strictEqual(amount(refunded, "currentTotalPriceSet"), "0.0")
      assert.deepStrictEqual(arr(refunded, "refunds").map((r) => at(r, "totalRefundedSet.shopMoney.amount")), ["42.0", "48.0"])
      const tooMuch = yield* gql(client, refund, { input: { orderId: id, transactions: [{ amount: "1.00", gateway: "manual", kind: "REFUND", orderId: id }] } })
      assert.deepStrictEqual(at(tooMuch, "refundCreate.userErrors"), [{ field: null, message: "Refund amount $1.00 is greater than net payment received $0.00" }])
      const after = yield* gql(client, `query C($id: ID!) { customer(id: $id) { amountSpent { amount } updatedAt } }`, { id: customer })
      assert.deepStrictEqual(at(after, "customer"), { amountSpent: { amount: "0.0" }, updatedAt: "2026-11-26T12:01:00Z" })
    }))

  it.scoped("cancellation refunds a paid order, voids an authorization, and closes the order", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const cancel = `mutation X($id: ID!) { orderCancel(orderId: $id, restock: true, reason: CUSTOMER, staffNote: "changed mind") { job { id done } orderCancelUserErrors { field message code } } }`
      const paid = yield* createOrder(client, {
        lineItems: [{ title: "Watch", quantity: 1, priceSet: cad("200.00") }],
        transactions: [{ kind: "SALE", gateway: "shopify_payments", amountSet: cad("200.00") }]
      })
      yield* emulator.control.advanceClock(1_000)
      const job = yield* gql(client, cancel, { id: paid["id"] })
      assert.match(str(job, "orderCancel.job.id"), /^gid:\/\/shopify\/Job\//)
      const cancelled = yield* readOrder(client, str(paid, "id"))
      assert.strictEqual(cancelled["displayFinancialStatus"], "REFUNDED")
      assert.strictEqual(cancelled["cancelledAt"], "2026-11-26T12:00:01Z")
      assert.strictEqual(cancelled["closed"], true)
      assert.strictEqual(amount(cancelled, "currentTotalPriceSet"), "0.0")
      assert.strictEqual(amount(cancelled, "totalRefundedSet"), "200.0")
      assert.strictEqual(amount(cancelled, "totalOutstandingSet"), "0.0")
      assert.deepStrictEqual(at(yield* gql(client, cancel, { id: paid["id"] }), "orderCancel.orderCancelUserErrors"), [
        { field: ["orderId"], message: "Cannot cancel an order that has already been canceled", code: "INVALID" }
      ])
      const authorized = yield* createOrder(client, {
        lineItems: [{ title: "Bracelet", quantity: 1, priceSet: cad("80.00") }],
        transactions: [{ kind: "AUTHORIZATION", gateway: "shopify_payments", amountSet: cad("80.00") }]
      })
      assert.strictEqual(authorized["displayFinancialStatus"], "AUTHORIZED")
      yield* gql(client, cancel, { id: authorized["id"] })
      const voided = yield* readOrder(client, str(authorized, "id"))
      assert.strictEqual(voided["displayFinancialStatus"], "VOIDED")
      assert.deepStrictEqual(arr(voided, "transactions").map((t) => at(t, "kind")), ["AUTHORIZATION", "VOID"])
      const notFound = yield* gql(client, cancel, { id: "gid://shopify/Order/1" })
      assert.deepStrictEqual(at(notFound, "orderCancel.orderCancelUserErrors"), [{ field: ["orderId"], message: "Order does not exist", code: "NOT_FOUND" }])
    }))
})
