// Stage `shopify.sendInvite` against the emulator: an invite sent, a customer without email, a shop
// that cannot send, a customer that no longer exists, and a dry run.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { Outcome } from "../../core/Stage.js"
import { type InviteRequest, type InviteResult, sendInvite } from "../../connectors/shopify/SendInvite.js"
import { adminClient, request } from "./emulator/AdminClient.js"
import { clientLayer, emulator, stageContext } from "./ShopifyTestKit.js"

type Em = Parameters<typeof clientLayer>[0]

const apply = (em: Em, batch: ReadonlyArray<InviteRequest>, dryRun = false) =>
  sendInvite().apply(batch, stageContext({ dryRun, stage: "shopify.sendInvite" })).pipe(Effect.provide(clientLayer(em)))

const emitted = (outcome: Outcome<InviteResult> | undefined): InviteResult => {
  if (outcome?._tag !== "Emit") throw new Error(`expected Emit, got ${JSON.stringify(outcome)}`)
  return outcome.records[0]!
}

const customer = (em: Em & { readonly url: string }, input: Record<string, unknown>) =>
  Effect.map(
    request(adminClient(em), `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id } userErrors { field message } } }`, { input }),
    (answer) => (answer.data as { customerCreate: { customer: { id: string } } }).customerCreate.customer.id
  )

describe("shopify.sendInvite", () => {
  it.scopedLive("sends the invite and reports the customer invited", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* customer(em, { firstName: "Ivy", email: "ivy@example.com" })
      const [outcome] = yield* apply(em, [{ key: "edge-1", shopifyId: id, email: "ivy@example.com" }])
      const result = emitted(outcome)
      assert.strictEqual(result.status, "sent")
      assert.strictEqual(result.state, "INVITED")
      const invites = yield* em.control.invites
      assert.deepStrictEqual(invites.map((i) => [i.customerId, i.to]), [[id, "ivy@example.com"]])
    }))

  it.scopedLive("reports a customer without email without asking Shopify", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* customer(em, { firstName: "Jo", phone: "+16135550111" })
      yield* em.control.resetCounters
      const [outcome] = yield* apply(em, [{ key: "edge-2", shopifyId: id, email: null }])
      assert.strictEqual(emitted(outcome).status, "no-email")
      assert.strictEqual((yield* em.control.counters).requests, 0)
    }))

  it.scopedLive("reports on the record when the shop cannot send invites", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      yield* em.control.settings({ invitesEnabled: false })
      const id = yield* customer(em, { firstName: "Kay", email: "kay@example.com" })
      const [outcome] = yield* apply(em, [{ key: "edge-3", shopifyId: id, email: "kay@example.com" }])
      const result = emitted(outcome)
      assert.strictEqual(result.status, "not-sent")
      assert.isString(result.message)
      assert.strictEqual((yield* em.control.invites).length, 0)
    }))

  it.scopedLive("rejects the record of a customer that no longer exists", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const [outcome] = yield* apply(em, [{ key: "edge-4", shopifyId: "gid://shopify/Customer/999999", email: "x@example.com" }])
      assert.strictEqual(outcome?._tag, "Reject")
      if (outcome?._tag === "Reject") {
        assert.strictEqual(outcome.error.classification, "record")
        assert.include(outcome.error.message, "edge-4")
      }
    }))

  it.scopedLive("sends nothing in a dry run", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const id = yield* customer(em, { email: "dry@example.com" })
      const [outcome] = yield* apply(em, [{ key: "edge-5", shopifyId: id, email: "dry@example.com" }], true)
      assert.strictEqual(emitted(outcome).status, "would-send")
      assert.strictEqual((yield* em.control.invites).length, 0)
    }))
})
