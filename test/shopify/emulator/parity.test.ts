// Parity with real Shopify: replays recorded captures (../shared/shopify/recorded) against the emulator
// over real HTTP with the real @shopify/admin-api-client, and compares what a connector depends on:
// the data's shape and values, userErrors messages and fields, error codes, and the cost fields.
// What legitimately differs between two shops (ids, timestamps, cursors, order numbers, the bucket's
// current level) is masked (CaptureReplay.mask). Where a capture did not keep its request document,
// the document is rebuilt from the captured response's shape.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { adminClient, type AdminClient, request } from "./AdminClient.js"
import { answerOf, loadCapture, mask, rewriteIds, selectionOf } from "./CaptureReplay.js"
import { arr, at, obj, str } from "./Json.js"

/** The captures this test replays (paths under ../shared/shopify/recorded). */
export const replayedCaptures = [
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-input-validation-parity.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-email-normalization.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-phone-normalization.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-by-identifier.json",
  "harry-test-heelo.myshopify.com/2026-04/customers/customer-invite-email-validation.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-merge-selection-rules.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-tag-note-limits-parity.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-create-input-id-rejected.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-update-requires-identity.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customer-delete-blocked-by-orders.json",
  "harry-test-heelo.myshopify.com/2026-04/customers/customer-set-unknown-id-errors.json",
  "harry-test-heelo.myshopify.com/2025-01/customers/customers-keyed-search-filters.json",
  "harry-test-heelo.myshopify.com/2025-01/orders/order-create-math-matrix.json",
  "very-big-test-store.myshopify.com/2025-01/orders/order-create-parity.json",
  "harry-test-heelo.myshopify.com/2025-01/orders/money-bag-presentment-parity.json",
  "harry-test-heelo.myshopify.com/2025-01/orders/refund-create-full-parity.json",
  "harry-test-heelo.myshopify.com/2025-01/orders/refund-create-partial-shipping-restock-parity.json",
  "harry-test-heelo.myshopify.com/2025-01/orders/refund-create-user-errors-and-quantities.json",
  "harry-test-heelo.myshopify.com/2026-04/orders/orderCancel-error-messages.json",
  "harry-test-heelo.myshopify.com/2025-01/admin-platform/graphql-base-validation-unhappy-paths.json",
  "harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operations-read-arg-validation.json",
  "harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-validators.json",
  "harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-user-error-codes.json",
  "harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-group-objects.json",
  "harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-concurrency-limit.json"
] as const

type Capture = (typeof replayedCaptures)[number]
const capture = (name: Capture): unknown => loadCapture(name)

/** The entries of the object at `path`, for looping over a capture's cases. */
const cases = (value: unknown, path: string) => Object.entries(obj(value, path))

/** Variables for a request: a captured variables object, or none. */
const vars = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {}

/** The captured payload shape ({data, errors, extensions}) of a client answer. */
const ask = (client: AdminClient, query: unknown, variables?: unknown) =>
  Effect.map(request(client, str(query), variables === undefined ? undefined : vars(variables)), (a): Record<string, unknown> => ({
    ...(a.data === undefined ? {} : { data: a.data }),
    ...(a.errors?.graphQLErrors === undefined ? {} : { errors: a.errors.graphQLErrors }),
    ...(a.extensions === undefined ? {} : { extensions: a.extensions })
  }))

type Costs = "both" | "requested" | "none"

/** Compares an emulator answer with a captured payload after masking. */
const same = (label: string, actual: unknown, expected: unknown, costs: Costs = "both", dropLocations = false) => {
  const strip = (p: unknown) => {
    const a: Record<string, unknown> = { ...answerOf(vars(p)) }
    // The client drops `data: null`; Shopify sends it with top-level errors.
    if (a["errors"] !== undefined && a["data"] === undefined) a["data"] = null
    if (costs === "none") delete a["cost"]
    else if (a["cost"] !== undefined && costs === "requested") {
      a["cost"] = { requestedQueryCost: at(a, "cost.requestedQueryCost"), throttleStatus: at(a, "cost.throttleStatus") }
    }
    if (dropLocations && Array.isArray(a["errors"])) {
      a["errors"] = a["errors"].map((e: unknown) => {
        const { locations: _l, ...rest } = obj(e)
        return rest
      })
    }
    return mask(a)
  }
  assert.deepStrictEqual(strip(actual), strip(expected), label)
}

const withEmulator = <A, E>(
  options: ShopifyEmulator.StartOptions,
  body: (client: AdminClient, emulator: ShopifyEmulator.RunningEmulator) => Effect.Effect<A, E>
) =>
  Effect.gen(function*() {
    const emulator = yield* ShopifyEmulator.start({ searchLagMillis: 0, ...options })
    return yield* body(adminClient(emulator), emulator)
  })

const createDoc = (customerSelection: string) =>
  `mutation CustomerCreate($input: CustomerInput!) { customerCreate(input: $input) { customer ${customerSelection} userErrors { field message } } }`
const updateDoc = (customerSelection: string) =>
  `mutation CustomerUpdate($input: CustomerInput!) { customerUpdate(input: $input) { customer ${customerSelection} userErrors { field message } } }`
const setDoc = (customerSelection: string) =>
  `mutation CustomerSet($input: CustomerSetInput!, $identifier: CustomerSetIdentifiers) { customerSet(input: $input, identifier: $identifier) { customer ${customerSelection} userErrors { field message } } }`
const deleteDoc = `mutation CustomerDelete($input: CustomerDeleteInput!) { customerDelete(input: $input) { deletedCustomerId userErrors { field message } } }`

const idOf = (answer: unknown, root: string): string =>
  str(at(answer, `data.${root}.customer.id`) ?? at(answer, `data.${root}.order.id`))

describe("parity with recorded Shopify captures", () => {
  it.scoped("customer-input-validation-parity: create/update validation and normalisation", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-input-validation-parity.json")
        const selection = selectionOf(at(cap, "preconditions.primary.response.data.customerCreate.customer"))
        for (const key of ["primary", "duplicateTarget"] as const) {
          const pre = obj(cap, `preconditions.${key}`)
          same(`precondition ${key}`, yield* ask(client, createDoc(selection), pre["variables"]), pre["response"])
        }
        for (const [name, scenario] of cases(cap, "createScenarios")) {
          same(`create ${name}`, yield* ask(client, createDoc(selection), at(scenario, "variables")), at(scenario, "response"))
        }
        for (const [name, scenario] of cases(cap, "updateScenarios")) {
          const captured = at(scenario, "response.data.customerUpdate.customer")
          // The base customer as the capture shows it where the update leaves fields untouched.
          const touched = obj(scenario, "variables.input")
          const keep = (field: string, otherwise: unknown) => (captured !== null && !(field in touched) ? at(captured, field) : otherwise)
          const base = yield* ask(client, createDoc("{ id }"), {
            input: {
              email: at(scenario, "baseCustomer.email"),
              phone: at(scenario, "baseCustomer.phone"),
              firstName: keep("firstName", "Hermes"),
              lastName: keep("lastName", `update-${name}`),
              tags: keep("tags", ["input-validation"])
            }
          })
          const ids = new Map([[str(scenario, "baseCustomer.id"), idOf(base, "customerCreate")]])
          same(`update ${name}`, yield* ask(client, updateDoc(selection), rewriteIds(at(scenario, "variables"), ids)), at(scenario, "response"))
        }
        const deleted = obj(cap, "deletedCustomerUpdate")
        const pre = yield* ask(client, createDoc(selection), at(deleted, "precondition.variables"))
        const ids = new Map([[str(deleted, "precondition.id"), idOf(pre, "customerCreate")]])
        same("delete before update", yield* ask(client, deleteDoc, rewriteIds(at(deleted, "deleteBeforeUpdate.variables"), ids)), at(deleted, "deleteBeforeUpdate.response"))
        same("update deleted customer", yield* ask(client, updateDoc(selection), rewriteIds(at(deleted, "updateDeletedCustomer.variables"), ids)), at(deleted, "updateDeletedCustomer.response"))
      })))

  it.scoped("customer-email-normalization: whitespace, case, invalid forms, length, search lag", () =>
    // The capture's search found nothing right after the create: the index lags (FACTS §1.5).
    withEmulator({ searchLagMillis: 60_000 }, (client) =>
      Effect.gen(function*() {
        const c = obj(capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-email-normalization.json"), "cases")
        const selection = "{ id email defaultEmailAddress { emailAddress } }"
        const created = yield* ask(client, createDoc(selection), at(c, "createSanitized.variables"))
        same("createSanitized", created, at(c, "createSanitized.response"))
        const read = yield* ask(
          client,
          `query Read($identifier: CustomerIdentifierInput!, $query: String!, $first: Int!) { customerByIdentifier(identifier: $identifier) { email defaultEmailAddress { emailAddress } } customers(first: $first, query: $query) { nodes { email defaultEmailAddress { emailAddress } } } }`,
          at(c, "downstreamRead.variables")
        )
        same("downstreamRead", read, at(c, "downstreamRead.response"), "requested")
        for (const name of ["duplicateCreate", "invalidFooAt", "invalidAtDomain", "invalidNoDotDomain", "invalidDoubleAt", "tooLongCreate"]) {
          same(name, yield* ask(client, createDoc(selection), at(c, `${name}.variables`)), at(c, `${name}.response`))
        }
        const ids = new Map([[str(c, "updateSanitized.variables.input.id"), idOf(created, "customerCreate")]])
        same("updateSanitized", yield* ask(client, updateDoc(selection), rewriteIds(at(c, "updateSanitized.variables"), ids)), at(c, "updateSanitized.response"))
        for (const name of ["customerSetSanitized", "customerSetDuplicate", "customerSetInvalid", "customerSetTooLong"]) {
          same(name, yield* ask(client, setDoc(selection), at(c, `${name}.variables`)), at(c, `${name}.response`))
        }
      })))

  it.scoped("customer-phone-normalization: E.164, duplicates, invalid, too long", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-phone-normalization.json")
        const selection = "{ id phone defaultPhoneNumber { phoneNumber } createdAt updatedAt }"
        const replay = (name: string, doc: string, variables: unknown = at(cap, `${name}.variables`)) =>
          Effect.tap(ask(client, doc, variables), (answer) => same(name, answer, at(cap, `${name}.response`)))
        yield* replay("createFormatted", createDoc(selection))
        yield* replay("duplicateNormalized", createDoc(selection))
        const setup = yield* replay("updateSetup", createDoc(selection))
        const ids = new Map([[str(cap, "updateFormatted.variables.input.id"), idOf(setup, "customerCreate")]])
        yield* replay("updateFormatted", updateDoc(selection), rewriteIds(at(cap, "updateFormatted.variables"), ids))
        yield* replay("invalid", createDoc(selection))
        yield* replay("tooLong", createDoc(selection))
        yield* replay("setInvalid", setDoc(selection))
      })))

  it.scoped("customer-by-identifier: hits by id, email and phone, a miss, custom ids, an empty identifier", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-by-identifier.json")
        // Karine Ruby's history: 13 paid orders worth 11884.9 CAD, so she cannot be deleted.
        const created = yield* ask(client, createDoc("{ id }"), {
          input: {
            firstName: "Karine",
            lastName: "Ruby",
            email: "karine.ruby@example.com",
            phone: "+16135550142",
            addresses: [{ address1: "Box 42 - 151 O'Connor St", city: "Ottawa", countryCode: "CA", zip: "K2P2L8" }]
          }
        })
        const id = idOf(created, "customerCreate")
        for (let i = 0; i < 13; i++) {
          const amount = i < 12 ? "900.00" : "1084.90"
          yield* ask(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { field message } } }`, {
            order: {
              customerId: id,
              currency: "CAD",
              lineItems: [{ title: "Diamond", quantity: 1, priceSet: { shopMoney: { amount, currencyCode: "CAD" } } }],
              transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amountSet: { shopMoney: { amount, currencyCode: "CAD" } } }]
            }
          })
        }
        const query = at(cap, "upstreamCalls.0.query")
        const variables = vars(rewriteIds(at(cap, "proxyVariables"), new Map([[str(cap, "proxyVariables.idIdentifier.id"), id]])))
        same("positiveAndMissing", yield* ask(client, query, variables), at(cap, "positiveAndMissing"))
        const customId = yield* ask(
          client,
          `query CustomId($identifier: CustomerIdentifierInput!) {\n  customId: customerByIdentifier(identifier: $identifier) { id }\n}`,
          { identifier: { customId: { namespace: "custom", key: "external_id", value: "x-1" } } }
        )
        same("customIdMissing", customId, at(cap, "customIdMissing.payload"), "both", true)
        // The capture's request used another layout of the document: its error locations differ.
        same("emptyIdentifier", yield* ask(client, query, { ...variables, idIdentifier: {} }), at(cap, "emptyIdentifier.payload"), "both", true)
      })))

  it.scoped("customer-invite-email-validation and a successful invite", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2026-04/customers/customer-invite-email-validation.json")
        const invite = `mutation Invite($customerId: ID!, $email: EmailInput) { customerSendAccountInviteEmail(customerId: $customerId, email: $email) { customer { id state } userErrors { field message code } } }`
        for (const [name, c] of cases(cap, "cases")) {
          const created = yield* ask(client, createDoc("{ id state }"), at(c, "create.variables"))
          same(`${name} create`, created, at(c, "create.response"))
          const ids = new Map([[str(c, "customerId"), idOf(created, "customerCreate")]])
          same(`${name} invite`, yield* ask(client, invite, rewriteIds(at(c, "invite.variables"), ids)), at(c, "invite.response"))
          same(`${name} read`, yield* ask(client, `query Read($id: ID!) { customer(id: $id) { id state } }`, rewriteIds(at(c, "readAfterInvite.variables"), ids)), at(c, "readAfterInvite.response"))
        }
        const rules = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-merge-selection-rules.json")
        const setup = obj(rules, "cases.accountStateCustomerOne.setup")
        const created = yield* ask(client, createDoc("{ id }"), at(setup, "createOne.variables"))
        const answer = yield* ask(client, `mutation Invite($customerId: ID!) { customerSendAccountInviteEmail(customerId: $customerId) { customer { id state email } userErrors { field message } } }`, { customerId: idOf(created, "customerCreate") })
        const expected = at(setup, "inviteOne.response.data.customerSendAccountInviteEmail")
        assert.strictEqual(at(answer, "data.customerSendAccountInviteEmail.customer.state"), at(expected, "customer.state"))
        assert.deepStrictEqual(at(answer, "data.customerSendAccountInviteEmail.userErrors"), at(expected, "userErrors"))
      })))

  it.scoped("customer-tag-note-limits-parity: comma split, case dedupe, 250 tags, 5000-character notes", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-tag-note-limits-parity.json")
        const selection = "{ id email note tags }"
        const replay = (name: string, doc: string, variables: unknown = at(cap, `${name}.variables`)) =>
          Effect.tap(ask(client, doc, variables), (answer) => same(name, answer, at(cap, `${name}.response`)))
        const split = yield* replay("commaSplit", createDoc(selection))
        yield* replay("caseDedupe", createDoc(selection))
        yield* replay("tooManyTags", createDoc(selection))
        yield* replay("tooLongNoteCreate", createDoc(selection))
        const ids = new Map([[str(cap, "tooLongNoteUpdate.variables.input.id"), idOf(split, "customerCreate")]])
        yield* replay("tooLongNoteUpdate", updateDoc(selection), rewriteIds(at(cap, "tooLongNoteUpdate.variables"), ids))
        yield* replay("tooLongNoteSet", setDoc(selection), rewriteIds(at(cap, "tooLongNoteSet.variables"), ids))
      })))

  it.scoped("customer-create-input-id-rejected, customer-update-requires-identity, customer-set-unknown-id-errors", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const rejected = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-create-input-id-rejected.json")
        same("input id rejected", yield* ask(client, at(rejected, "query"), at(rejected, "variables")), at(rejected, "mutation.response"))
        const identity = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-update-requires-identity.json")
        // Scenarios run in order; clearLastNamePair continues on clearEmailWhileNameRemains's customer.
        const ids = new Map<string, string>()
        const selection = selectionOf(at(identity, "scenarios.clearLastEmail.create.response.data.customerCreate.customer"))
        for (const [name, s] of cases(identity, "scenarios")) {
          if (at(s, "create") !== undefined) {
            const created = yield* ask(client, createDoc(selection), at(s, "create.variables"))
            same(`${name} create`, created, at(s, "create.response"))
            ids.set(str(s, "create.response.data.customerCreate.customer.id"), idOf(created, "customerCreate"))
          }
          same(`${name} update`, yield* ask(client, updateDoc(selection), rewriteIds(at(s, "update.variables"), ids)), at(s, "update.response"))
          if (at(s, "downstreamRead") !== undefined) {
            same(`${name} read`, yield* ask(client, `query Read($id: ID!) { customer(id: $id) ${selection} }`, rewriteIds(at(s, "downstreamRead.variables"), ids)), at(s, "downstreamRead.response"))
          }
        }
        const unknown = capture("harry-test-heelo.myshopify.com/2026-04/customers/customer-set-unknown-id-errors.json")
        same("customerSet unknown id", yield* ask(client, at(unknown, "cases.unknownId.request.query"), at(unknown, "cases.unknownId.request.variables")), at(unknown, "cases.unknownId.response"))
      })))

  it.scoped("customer-delete-blocked-by-orders: an order keeps its customer", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/customers/customer-delete-blocked-by-orders.json")
        const created = yield* ask(client, at(cap, "setup.customerCreate.query"), at(cap, "setup.customerCreate.variables"))
        same("customerCreate", created, at(cap, "expected.customerCreate"))
        const ids = new Map([[str(cap, "expected.customerCreate.data.customerCreate.customer.id"), idOf(created, "customerCreate")]])
        same("orderCreate", yield* ask(client, at(cap, "setup.orderCreate.query"), rewriteIds(at(cap, "setup.orderCreate.variables"), ids)), at(cap, "expected.orderCreate"))
        const input = { input: { id: idOf(created, "customerCreate") } }
        same("customerDelete blocked", yield* ask(client, deleteDoc, input), at(cap, "expected.customerDelete"))
        const read = arr(cap, "upstreamCalls").find((c) => at(c, "operationName") === "CustomerDeleteOrderPreconditionRead")
        same("readAfterBlockedDelete", yield* ask(client, at(read, "query"), { id: input.input.id }), at(cap, "expected.readAfterBlockedDelete"), "requested")
        const controlCreated = yield* ask(client, at(cap, "control.setup.customerCreate.query"), at(cap, "control.setup.customerCreate.variables"))
        same("control create", controlCreated, at(cap, "control.expected.customerCreate"))
        same("control delete", yield* ask(client, deleteDoc, { input: { id: idOf(controlCreated, "customerCreate") } }), at(cap, "control.expected.customerDelete"))
      })))

  it.scoped("customers-keyed-search-filters: country, state, default text, OR groups, negation", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/customers/customers-keyed-search-filters.json")
        for (const name of ["canadianCreate", "usCreate", "searchRead"]) {
          same(name, yield* ask(client, at(cap, `${name}.query`), at(cap, `${name}.variables`)), at(cap, `${name}.response`), name === "searchRead" ? "requested" : "both")
        }
      })))

  it.scoped("order-create-math-matrix: pending, paid with tax and shipping, fixed discount, authorization, presentment", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/orders/order-create-math-matrix.json")
        for (const [name, c] of cases(cap, "cases")) {
          same(name, yield* ask(client, at(cap, "document"), at(c, "variables")), at(c, "response.payload"), "requested")
        }
      })))

  it.scoped("order-create-parity (USD shop, CAD presentment): discount code, tax lines, shipping, downstream read", () =>
    withEmulator({ shop: { currencyCode: "USD", countryCode: "US" } }, (client) =>
      Effect.gen(function*() {
        const cap = capture("very-big-test-store.myshopify.com/2025-01/orders/order-create-parity.json")
        const orderSelection = selectionOf(at(cap, "mutation.response.data.orderCreate.order"))
          .replace(/\b(shippingLines|lineItems) \{/g, "$1(first: 5) {")
        const created = yield* ask(
          client,
          `mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) { orderCreate(order: $order, options: $options) { order ${orderSelection} userErrors { field message } } }`,
          at(cap, "variables")
        )
        same("orderCreate", created, at(cap, "mutation.response"), "none")
        const readSelection = selectionOf(at(cap, "downstreamRead.response.data.order")).replace(/\blineItems \{/, "lineItems(first: 5) {")
        same("downstreamRead", yield* ask(client, `query Read($id: ID!) { order(id: $id) ${readSelection} }`, { id: idOf(created, "orderCreate") }), at(cap, "downstreamRead.response"), "none")
      })))

  it.scoped("money-bag-presentment-parity: shop and presentment money on every *Set field", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/orders/money-bag-presentment-parity.json")
        same("orderCreate", yield* ask(client, at(cap, "orderCreate.query"), at(cap, "orderCreate.variables")), at(cap, "orderCreate.response.payload"), "requested")
      })))

  /** Creates the order a refund capture started from, as its hydrate read shows it (paid, manual gateway). */
  const orderFromHydrate = (client: AdminClient, hydrate: unknown) =>
    Effect.gen(function*() {
      const order = obj(hydrate, "response.body.data.order")
      const money = (m: unknown) => ({ shopMoney: { amount: str(m, "shopMoney.amount"), currencyCode: str(m, "shopMoney.currencyCode") } })
      const created = yield* ask(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id lineItems(first: 50) { nodes { id } } transactions { id } } userErrors { field message } } }`, {
        order: {
          currency: str(order, "totalPriceSet.shopMoney.currencyCode"),
          lineItems: arr(order, "lineItems.nodes").map((l) => ({ title: at(l, "title"), quantity: at(l, "quantity"), priceSet: money(at(l, "originalUnitPriceSet")) })),
          shippingLines: arr(order, "shippingLines.nodes").map((s) => ({ title: "Standard", priceSet: money(at(s, "originalPriceSet")) })),
          transactions: arr(order, "transactions").map((t) => ({ kind: at(t, "kind"), status: at(t, "status"), gateway: at(t, "gateway"), amountSet: money(at(t, "amountSet")) }))
        }
      })
      const o = obj(created, "data.orderCreate.order")
      const ids = new Map<string, string>([[str(order, "id"), str(o, "id")]])
      arr(order, "lineItems.nodes").forEach((l, i) => ids.set(str(l, "id"), str(o, `lineItems.nodes.${i}.id`)))
      arr(order, "transactions").forEach((t, i) => ids.set(str(t, "id"), str(o, `transactions.${i}.id`)))
      return ids
    })

  const refundDoc = (selection: string) =>
    `mutation Refund($input: RefundInput!) { refundCreate(input: $input) { ${selection} userErrors { field message } } }`

  it.scoped("refund-create-full-parity and refund-create-partial-shipping-restock-parity", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        for (const name of [
          "harry-test-heelo.myshopify.com/2025-01/orders/refund-create-full-parity.json",
          "harry-test-heelo.myshopify.com/2025-01/orders/refund-create-partial-shipping-restock-parity.json"
        ] as const) {
          const cap = capture(name)
          const ids = yield* orderFromHydrate(client, arr(cap, "upstreamCalls").find((c) => at(c, "operationName") === "OrdersOrderHydrate"))
          const payload = obj(cap, "mutation.response.data.refundCreate")
          const selection = `refund ${selectionOf(payload["refund"])} order ${selectionOf(payload["order"])}`
            .replace(/\b(refundLineItems|transactions) \{/g, "$1(first: 5) {")
          same(`${name} refundCreate`, yield* ask(client, refundDoc(selection), rewriteIds(at(cap, "variables"), ids)), at(cap, "mutation.response"))
          const read = yield* ask(client, `query Read($id: ID!) { order(id: $id) { displayFinancialStatus totalRefundedSet { shopMoney { amount currencyCode } } } }`, rewriteIds(at(cap, "downstreamRead.variables"), ids))
          const expected = obj(cap, "downstreamRead.response.data.order")
          assert.strictEqual(at(read, "data.order.displayFinancialStatus"), expected["displayFinancialStatus"], `${name} status after refund`)
          assert.deepStrictEqual(at(read, "data.order.totalRefundedSet"), expected["totalRefundedSet"])
        }
      })))

  it.scoped("refund-create-user-errors-and-quantities: unknown order, over-refunded quantity and amount", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/orders/refund-create-user-errors-and-quantities.json")
        const selection = "refund { id } order { id displayFinancialStatus totalRefundedSet { shopMoney { amount currencyCode } } }"
        same("unknownOrder", yield* ask(client, refundDoc(selection), at(cap, "unknownOrder.variables")), at(cap, "unknownOrder.response"), "none")
        // The order these cases ran on: 2 × 20.00 plus 5.00 shipping, paid 45.00, 10.00 already refunded
        // (net payment 35.00, as the captured message says).
        const created = yield* ask(client, `mutation O($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id lineItems(first: 5) { nodes { id } } transactions { id } } userErrors { field message } } }`, {
          order: {
            currency: "CAD",
            lineItems: [{ title: "Refundable item", quantity: 2, priceSet: { shopMoney: { amount: "20.00", currencyCode: "CAD" } } }],
            shippingLines: [{ title: "Standard", priceSet: { shopMoney: { amount: "5.00", currencyCode: "CAD" } } }],
            transactions: [{ kind: "SALE", gateway: "manual", amountSet: { shopMoney: { amount: "45.00", currencyCode: "CAD" } } }]
          }
        })
        const order = obj(created, "data.orderCreate.order")
        const orderId = str(order, "id")
        const saleId = str(order, "transactions.0.id")
        yield* ask(client, refundDoc("refund { id }"), {
          input: { orderId, transactions: [{ amount: "10.00", gateway: "manual", kind: "REFUND", orderId, parentId: saleId }] }
        })
        const ids = new Map<string, string>([
          [str(cap, "overRefundQuantityLineItem.variables.input.orderId"), orderId],
          [str(cap, "overRefundQuantityLineItem.variables.input.refundLineItems.0.lineItemId"), str(order, "lineItems.nodes.0.id")],
          [str(cap, "overRefundAmountNoAllow.variables.input.transactions.0.parentId"), saleId]
        ])
        for (const name of ["overRefundQuantityLineItem", "overRefundAmountNoAllow", "overRefundAllowed"]) {
          same(name, yield* ask(client, refundDoc(selection), rewriteIds(at(cap, `${name}.variables`), ids)), at(cap, `${name}.response`), "none")
        }
      })))

  it.scoped("orderCancel-error-messages: staff note length, refund arguments, already cancelled", () =>
    withEmulator({ shop: { currencyCode: "USD" } }, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2026-04/orders/orderCancel-error-messages.json")
        const setup = obj(cap, "setup")
        const fresh = yield* ask(client, at(setup, "freshOrderCreate.query"), at(setup, "freshOrderCreate.variables"))
        same("freshOrderCreate", fresh, at(setup, "freshOrderCreate.response.payload"))
        const cancelled = yield* ask(client, at(setup, "cancelledOrderCreate.query"), at(setup, "cancelledOrderCreate.variables"))
        const ids = new Map([
          [str(setup, "freshOrderCreate.response.payload.data.orderCreate.order.id"), idOf(fresh, "orderCreate")],
          [str(setup, "cancelledOrderCreate.response.payload.data.orderCreate.order.id"), idOf(cancelled, "orderCreate")]
        ])
        for (const name of ["setupCancel", "cancelledOrderRead"]) {
          same(name, yield* ask(client, at(setup, `${name}.query`), rewriteIds(at(setup, `${name}.variables`), ids)), at(setup, `${name}.response.payload`))
        }
        for (const [name, c] of cases(cap, "expected")) {
          same(name, yield* ask(client, at(c, "query"), rewriteIds(at(c, "variables"), ids)), at(c, "response.payload"))
        }
      })))

  it.scoped("graphql-base-validation-unhappy-paths: PARSE_ERROR, selectionMismatch, undefinedField, INVALID_VARIABLE", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2025-01/admin-platform/graphql-base-validation-unhappy-paths.json")
        for (const name of ["invalidSyntax", "missingSubselection", "unknownQueryRoot", "unknownMutationRoot", "unknownOrderField"]) {
          same(name, yield* ask(client, at(cap, `cases.${name}.request.query`), at(cap, `cases.${name}.request.variables`)), at(cap, `cases.${name}.response.payload`))
        }
        // The capture used productCreate, which the emulator does not serve: the same case on customerCreate.
        const query = str(cap, "cases.missingRequiredVariable.request.query")
          .replace("($product: ProductCreateInput!)", "($product: CustomerInput!)")
          .replace("productCreate(product: $product)", "customerCreate(input: $product)")
          .replace("product {", "customer {")
        const expected: unknown = JSON.parse(JSON.stringify(at(cap, "cases.missingRequiredVariable.response.payload")).replace("ProductCreateInput!", "CustomerInput!"))
        same("missingRequiredVariable (on customerCreate)", yield* ask(client, query, {}), expected)
      })))

  it.scoped("bulk-operations-read-arg-validation: first/last, timestamps, statuses, malformed and foreign ids", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operations-read-arg-validation.json")
        for (const [name, c] of cases(cap, "cases")) {
          const answer = yield* ask(client, at(c, "query"), at(c, "variables"))
          // Shopify's extensions.search (warnings on filter values it does not accept) is not emulated,
          // and with those warnings Shopify charges the full requested cost: compare the rest.
          const response = obj(c, "response")
          const { search, ...extensions } = response["extensions"] === undefined ? { search: undefined } : obj(response, "extensions")
          same(name, answer, { ...response, ...(response["extensions"] === undefined ? {} : { extensions }) }, search === undefined ? "both" : "requested")
        }
      })))

  it.scoped("bulk-operation-run-query-validators: Shopify's bulk query rules and messages", () =>
    withEmulator({}, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-validators.json")
        const codes = capture("harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-user-error-codes.json")
        const run = `mutation Run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { field message code } } }`
        const replayed = [
          ...["ordersNodesInsteadOfEdges", "topLevelNode", "invalidOperationType"].map((n) => [n, at(cap, `validations.${n}`)] as const),
          ...["noConnectionWithCode", "emptyQuery"].map((n) => [n, at(codes, `validations.${n}`)] as const)
        ]
        for (const [name, c] of replayed) {
          const answer = yield* ask(client, run, { query: at(c, "variables.query") })
          assert.deepStrictEqual(at(answer, "data.bulkOperationRunQuery.userErrors"), at(c, "response.data.bulkOperationRunQuery.userErrors"), name)
          assert.isNull(at(answer, "data.bulkOperationRunQuery.bulkOperation"))
        }
      })))

  it.scoped("bulk-operation-run-query-group-objects: CREATED, polled to COMPLETED, JSONL served at the url", () =>
    withEmulator({ clock: { manualStart: Date.UTC(2026, 6, 2, 22, 44, 7) }, seedCustomers: 5, seedOrders: 12 }, (client, emulator) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-group-objects.json")
        const r = obj(cap, "runs.runQueryGroupObjectsTrue")
        const query = "#graphql\n{\n  orders {\n    edges {\n      node {\n        id\n        name\n      }\n    }\n  }\n}"
        const started = yield* ask(client, at(r, "run.query"), { query })
        // The capture exported products; the emulator exports orders: only the echoed query differs.
        const expectedRun: unknown = JSON.parse(JSON.stringify(at(r, "run.response")).replace(JSON.stringify(str(r, "run.variables.query")), JSON.stringify(query)))
        same("run", started, expectedRun)
        yield* emulator.control.advanceClock(2000)
        const polls = arr(r, "statusPolls")
        const poll = polls[polls.length - 1]
        const polled = yield* ask(client, at(poll, "query"), { id: str(started, "data.bulkOperationRunQuery.bulkOperation.id") })
        const op = obj(polled, "data.bulkOperation")
        const expected = obj(poll, "response.data.bulkOperation")
        assert.deepStrictEqual(Object.keys(op).sort(), Object.keys(expected).sort())
        assert.strictEqual(op["status"], "COMPLETED")
        assert.strictEqual(op["objectCount"], "12")
        assert.strictEqual(op["rootObjectCount"], "12")
        assert.match(str(op, "fileSize"), /^\d+$/)
        assert.match(str(op, "completedAt"), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
        const body = yield* Effect.promise(() => fetch(str(op, "url")).then((res) => res.text()))
        const lines = body.trimEnd().split("\n").map((l): unknown => JSON.parse(l))
        assert.strictEqual(lines.length, 12)
        assert.isTrue(body.endsWith("\n"))
        assert.isTrue(body.includes("gid:\\/\\/shopify\\/Order\\/"), "slashes are escaped as in Shopify's files")
        assert.strictEqual(Buffer.byteLength(body), Number(op["fileSize"]))
        same("poll cost", { extensions: at(polled, "extensions") }, { extensions: at(poll, "response.extensions") })
      })))

  it.scoped("bulk-operation-run-query-concurrency-limit: a sixth running query is refused", () =>
    withEmulator({ bulk: { durationMillis: 60_000 } }, (client) =>
      Effect.gen(function*() {
        const cap = capture("harry-test-heelo.myshopify.com/2026-04/bulk-operations/bulk-operation-run-query-concurrency-limit.json")
        const query = "{ orders { edges { node { id } } } }"
        for (let i = 0; i < 5; i++) {
          const answer = yield* ask(client, at(cap, "sixthRun.query"), { query })
          assert.deepStrictEqual(at(answer, "data.bulkOperationRunQuery.userErrors"), [])
          assert.strictEqual(at(answer, "data.bulkOperationRunQuery.bulkOperation.status"), "CREATED")
        }
        same("sixthRun", yield* ask(client, at(cap, "sixthRun.query"), { query }), at(cap, "sixthRun.response"))
      })))
})
