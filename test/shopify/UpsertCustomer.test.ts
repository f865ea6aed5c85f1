// Stage `shopify.upsertCustomer` against the emulator: every path a customer can take (created, updated
// by id with only its fields, linked to an existing customer by email or phone, phone dropped, deleted
// in Shopify), a crash between the write and the link, and a dry run that writes nothing.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { Outcome } from "../../core/Stage.js"
import { type CustomerUpsert, upsertCustomer, type UpsertCustomerResult } from "../../connectors/shopify/UpsertCustomer.js"
import { adminClient, request } from "./emulator/AdminClient.js"
import { clientLayer, emulator, stageContext } from "./ShopifyTestKit.js"

type Em = Parameters<typeof clientLayer>[0]

const apply = (em: Em, batch: ReadonlyArray<CustomerUpsert>, dryRun = false) =>
  upsertCustomer().apply(batch, stageContext({ dryRun, stage: "shopify.upsertCustomer" })).pipe(
    Effect.provide(clientLayer(em))
  )

const emitted = (outcome: Outcome<UpsertCustomerResult> | undefined): UpsertCustomerResult => {
  if (outcome?._tag !== "Emit") throw new Error(`expected Emit, got ${JSON.stringify(outcome)}`)
  return outcome.records[0]!
}

const createDirectly = (em: Em & { readonly url: string }, input: Record<string, unknown>) =>
  Effect.map(
    request(
      adminClient(em),
      `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id } userErrors { field message } } }`,
      { input }
    ),
    (answer) => (answer.data as { customerCreate: { customer: { id: string } } }).customerCreate.customer.id
  )

const record = (key: string, fields: CustomerUpsert["fields"], shopifyId: string | null = null): CustomerUpsert => ({
  key,
  shopifyId,
  fields
})

describe("shopify.upsertCustomer", () => {
  it.scopedLive("creates a new customer with its address and reports the id", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const [outcome] = yield* apply(em, [record("edge-1", {
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.com",
        phone: "+16135550101",
        address: { address1: "1 King St W", city: "Toronto", provinceCode: "ON", countryCode: "CA", zip: "M5H 1A1" }
      })])
      const result = emitted(outcome)
      assert.strictEqual(result.action, "created")
      assert.strictEqual(result.key, "edge-1")
      assert.isString(result.shopifyId)
      assert.strictEqual(result.customer?.email, "ada@example.com")
      assert.strictEqual(result.customer?.defaultAddress?.province, "Ontario")
      assert.deepStrictEqual(outcome?._tag === "Emit" ? outcome.notes : [], ["created"])
      const stored = yield* em.control.customers
      assert.deepStrictEqual(stored.map((c) => c.id), [result.shopifyId])
    }))

  it.scopedLive("updates a linked customer by id with only the given fields", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* createDirectly(em, { firstName: "Old", lastName: "Keep", email: "keep@example.com", note: "site note" })
      const [outcome] = yield* apply(em, [record("edge-2", { firstName: "New" }, id)])
      const result = emitted(outcome)
      assert.strictEqual(result.action, "updated")
      assert.strictEqual(result.shopifyId, id)
      const [stored] = yield* em.control.customers
      assert.strictEqual(stored!.firstName, "New")
      assert.strictEqual(stored!.lastName, "Keep")
      assert.strictEqual(stored!.note, "site note")
    }))

  it.scopedLive("links to the customer who already has the email (any case) instead of duplicating", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* createDirectly(em, { firstName: "Bo", email: "bo.wang@example.com" })
      const [outcome] = yield* apply(em, [record("edge-3", { firstName: "Bo", email: " Bo.Wang@Example.com" })])
      const result = emitted(outcome)
      assert.strictEqual(result.action, "linked-existing")
      assert.strictEqual(result.linkedBy, "email")
      assert.strictEqual(result.shopifyId, id)
      assert.strictEqual((yield* em.control.customers).length, 1)
    }))

  it.scopedLive("links to the customer who already has the phone", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* createDirectly(em, { firstName: "Cy", phone: "+16135550102" })
      const [outcome] = yield* apply(em, [record("edge-4", { firstName: "Cyrus", email: "cy@example.com", phone: "+1 613-555-0102" })])
      const result = emitted(outcome)
      assert.strictEqual(result.action, "linked-existing")
      assert.strictEqual(result.linkedBy, "phone")
      assert.strictEqual(result.shopifyId, id)
      assert.strictEqual((yield* em.control.customers).length, 1)
    }))

  it.scopedLive("drops a phone Shopify finds invalid, writes the rest and says so", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const [outcome] = yield* apply(em, [record("edge-5", { firstName: "Di", email: "di@example.com", phone: "abc" })])
      const result = emitted(outcome)
      assert.strictEqual(result.action, "created")
      assert.isTrue(result.phoneDropped)
      assert.include(result.warnings.join(" "), "Phone is invalid")
      assert.deepStrictEqual(outcome?._tag === "Emit" ? outcome.notes : [], ["created", "phone-dropped"])
      const [stored] = yield* em.control.customers
      assert.strictEqual(stored!.email, "di@example.com")
      assert.isNull(stored!.phone)
    }))

  it.scopedLive("rejects the record when the linked customer was deleted in Shopify, recreating nothing", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* createDirectly(em, { firstName: "Ed", email: "ed@example.com" })
      yield* request(adminClient(em), `mutation D($id: ID!) { customerDelete(input: { id: $id }) { deletedCustomerId userErrors { field message } } }`, { id })
      const [outcome] = yield* apply(em, [record("edge-6", { firstName: "Edward" }, id)])
      assert.strictEqual(outcome?._tag, "Reject")
      if (outcome?._tag !== "Reject") return
      assert.strictEqual(outcome.error.classification, "record")
      assert.include(outcome.error.message, "no longer exists")
      assert.include(outcome.error.message, "edge-6")
      assert.strictEqual((yield* em.control.customers).length, 0)
    }))

  it.scopedLive("rejects what Shopify refuses on update, such as an email another customer has", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      yield* createDirectly(em, { email: "taken@example.com" })
      const id = yield* createDirectly(em, { email: "mine@example.com" })
      const [taken, empty] = yield* apply(em, [
        record("edge-7", { email: "taken@example.com" }, id),
        record("edge-8", { firstName: null, lastName: null, email: null })
      ])
      assert.strictEqual(taken?._tag, "Reject")
      assert.include(taken?._tag === "Reject" ? taken.error.message : "", "Email has already been taken")
      assert.strictEqual(empty?._tag, "Reject")
      assert.include(empty?._tag === "Reject" ? empty.error.message : "", "must be present")
    }))

  it.scopedLive("does not duplicate a customer whose create succeeded but whose answer was lost", () =>
    Effect.gen(function*() {
      // The connection drops after Shopify applied customerCreate; the client retries it.
      const em = yield* emulator({ faults: "reset-afterx1@1" })
      const [outcome] = yield* apply(em, [record("edge-9", { firstName: "Flo", email: "flo@example.com" })])
      const result = emitted(outcome)
      const stored = yield* em.control.customers
      assert.strictEqual(stored.length, 1)
      assert.strictEqual(result.shopifyId, stored[0]!.id)
      // The customer the lost attempt made is recognised as this record's own: reported as created (so the
      // pipeline links it as an upload and invites it), not as someone else's account.
      assert.strictEqual(result.action, "created")
    }))

  it.scopedLive("does not duplicate when the process died after the create and before the link", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const input = record("edge-10", { firstName: "Gus", email: "gus@example.com", phone: "+16135550103" })
      const [first] = yield* apply(em, [input])
      // The link was never written: the rerun sends the same record unlinked.
      const [rerun] = yield* apply(em, [input])
      assert.strictEqual(emitted(rerun).shopifyId, emitted(first).shopifyId)
      assert.strictEqual((yield* em.control.customers).length, 1)
    }))

  it.scopedLive("plans without writing in a dry run", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* createDirectly(em, { email: "here@example.com" })
      yield* em.control.resetCounters
      const results = yield* apply(em, [
        record("a", { email: "new@example.com" }),
        record("b", { email: "HERE@example.com" }),
        record("c", { firstName: "Linked" }, id)
      ], true)
      assert.deepStrictEqual(results.map((o) => emitted(o).action), ["created", "linked-existing", "updated"])
      assert.strictEqual(emitted(results[1]).shopifyId, id)
      const counters = yield* em.control.counters
      assert.isUndefined(counters.operations["customerCreate"])
      assert.isUndefined(counters.operations["customerUpdate"])
      assert.strictEqual((yield* em.control.customers).length, 1)
    }))

  it.scopedLive("writes a batch in order, one outcome per record", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const batch = Array.from({ length: 12 }, (_, i) => record(`k${i}`, { firstName: `P${i}`, email: `p${i}@example.com` }))
      const results = yield* apply(em, batch)
      assert.deepStrictEqual(results.map((o) => emitted(o).key), batch.map((r) => r.key))
      assert.strictEqual((yield* em.control.customers).length, 12)
    }))
})
