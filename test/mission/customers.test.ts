// customers-to-shopify and customers-from-shopify end to end on MariaDB and the emulator: uploads,
// linking to existing Shopify customers, invites exactly once, updates that send only what changed in
// Edge, edits made on the site arriving in Edge, the three-way merge's conflicts, re-runs changing nothing.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { MatchDecisions } from "../../connectors/edge/MatchDecisions.js"
import * as ManualLink from "../../pipelines/ManualLink.js"
import { SyncOptionFields } from "../../pipelines/SyncOptions.js"
import * as H from "./support/MissionHarness.js"
import * as Store from "./support/ShopifyStore.js"

interface Link {
  readonly customer_id: number | string
  readonly shopify_customer_id: string
  readonly link_method: string
  readonly invite_sent_at: unknown
}

const linkOf = (m: H.Mission, customerId: number) =>
  Effect.map(
    m.sql<Link>("SELECT customer_id, shopify_customer_id, link_method, invite_sent_at FROM customer_web_links WHERE customer_id = ?", [customerId]),
    (rows) => rows[0]
  )

const edgeRow = (m: H.Mission, customerId: number) =>
  Effect.map(m.sql<Record<string, unknown>>("SELECT * FROM customers WHERE customer_id = ?", [customerId]), (rows) => rows[0]!)

const invites = (m: H.Mission) => Effect.orDie(m.emulator.control.invites)

describe("customers-to-shopify", () => {
  it.scopedLive("uploads, links existing customers instead of duplicating, invites once, then sends only what changed", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const sync = { sendInviteOnUpload: true }
      const fresh = yield* H.insertCustomer(m, {
        first_name: "Rita", last_name: "Moreno", email: "Rita.Moreno@example.com ", phone_cell: "(415) 301-0001",
        address1: "1 Market St", city: "San Francisco", state: "CA", postal_code: "94105", country: "US", web_upload: true
      })
      const existing = yield* H.insertCustomer(m, {
        first_name: "Sam", last_name: "Okafor", email: "sam@example.com", address1: "2 Pine St", city: "Oakland", state: "CA",
        postal_code: "94612", country: "US", web_upload: true
      })
      const notFlagged = yield* H.insertCustomer(m, { first_name: "Una", email: "una@example.com" })
      const samInShopify = yield* Store.createCustomer(m.admin, { firstName: "Sam", lastName: "Okafor", email: "SAM@example.com", phone: "+14153010002" })
      const customersBefore = (yield* Effect.orDie(m.emulator.control.customers)).length

      const first = yield* m.run("customers-to-shopify", sync)
      assert.strictEqual(first.outcome, "succeeded")
      assert.strictEqual(first.counts.read, 2, JSON.stringify(first.counts))
      assert.strictEqual(first.counts.written, 2, JSON.stringify(first.counts))

      // Rita: created, linked as an upload, invited, flag cleared.
      const rita = yield* linkOf(m, fresh)
      assert.strictEqual(rita?.link_method, "upload")
      assert.isNotNull(rita?.invite_sent_at)
      const ritaInShopify = yield* Store.customer(m.admin, rita!.shopify_customer_id)
      assert.strictEqual(ritaInShopify?.defaultEmailAddress?.emailAddress, "rita.moreno@example.com")
      assert.strictEqual(ritaInShopify?.defaultPhoneNumber?.phoneNumber, "+14153010001")
      assert.strictEqual(ritaInShopify?.defaultAddress?.city, "San Francisco")
      assert.strictEqual(Number((yield* edgeRow(m, fresh)).web_upload), 0)

      // Sam: already in Shopify by email: linked, not duplicated, not invited; the first merge fills
      // Edge's blank phone from Shopify and Shopify's blank address from Edge.
      const sam = yield* linkOf(m, existing)
      assert.strictEqual(sam?.shopify_customer_id, samInShopify)
      assert.strictEqual(sam?.link_method, "email")
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.customers)).length, customersBefore + 1, "only Rita was created")
      assert.strictEqual((yield* edgeRow(m, existing)).phone_cell, "+14153010002")
      assert.strictEqual((yield* Store.customer(m.admin, samInShopify))?.defaultAddress?.city, "Oakland")
      assert.isUndefined(yield* linkOf(m, notFlagged), "customers not assigned to web upload stay home")

      const sentFirst = yield* invites(m)
      assert.strictEqual(sentFirst.length, 1)
      assert.strictEqual(sentFirst[0]?.customerId, rita!.shopify_customer_id)

      // Re-running changes nothing and invites nobody.
      const again = yield* m.run("customers-to-shopify", sync)
      assert.strictEqual(again.counts.written, 0, JSON.stringify(again.counts))
      assert.strictEqual((yield* invites(m)).length, 1)

      // Rita changes her first name on the site; staff change her phone in Edge. The update sends only
      // the phone (Shopify's new name is not overwritten) and Edge takes the new name.
      yield* Store.updateCustomer(m.admin, rita!.shopify_customer_id, { firstName: "Rosita" })
      yield* m.sql("UPDATE customers SET phone_cell = ? WHERE customer_id = ?", ["415.301.0009", fresh])
      const update = yield* m.run("customers-to-shopify", sync)
      assert.strictEqual(update.counts.written, 1, JSON.stringify(update.counts))
      const after = yield* Store.customer(m.admin, rita!.shopify_customer_id)
      assert.strictEqual(after?.firstName, "Rosita")
      assert.strictEqual(after?.defaultPhoneNumber?.phoneNumber, "+14153010009")
      assert.strictEqual((yield* edgeRow(m, fresh)).first_name, "Rosita")
      assert.strictEqual((yield* edgeRow(m, fresh)).phone_cell, "415.301.0009", "Edge keeps its own formatting")
      assert.strictEqual((yield* invites(m)).length, 1, "an update never invites")

      // And then nothing is left to do on either side.
      assert.strictEqual((yield* m.run("customers-to-shopify", sync)).counts.written, 0)
      assert.strictEqual((yield* m.run("customers-from-shopify", sync)).counts.written, 0)
    }), 120_000)

  it.scopedLive("without sendInviteOnUpload nobody is invited", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      yield* H.insertCustomer(m, { first_name: "Vic", email: "vic@example.com", web_upload: true })
      const run = yield* m.run("customers-to-shopify")
      assert.strictEqual(run.counts.written, 1)
      assert.strictEqual((yield* invites(m)).length, 0)
    }), 120_000)
})

describe("customers-from-shopify", () => {
  it.scopedLive("a profile edited on the site arrives in Edge; unlinked customers are not imported; conflicts follow the option", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const kim = yield* H.insertCustomer(m, { first_name: "Kim", last_name: "Park", email: "kim@example.com", city: "Boston", web_upload: true })
      const lou = yield* H.insertCustomer(m, { first_name: "Lou", last_name: "Reed", email: "lou@example.com", city: "Boston", web_upload: true })
      yield* m.run("customers-to-shopify")
      const kimGid = (yield* linkOf(m, kim))!.shopify_customer_id
      const louGid = (yield* linkOf(m, lou))!.shopify_customer_id
      yield* m.run("customers-from-shopify")
      // Shopify's updatedAt has second precision: edits in the same second as the last read would be
      // the same version to the source.
      yield* Effect.sleep("1100 millis")

      // On the site: Kim changes her last name; both change their city, while staff change it in Edge too.
      yield* Store.updateCustomer(m.admin, kimGid, { lastName: "Park-Lee" })
      yield* Store.updateCustomer(m.admin, kimGid, { addresses: [{ city: "Somerville", countryCode: "US" }] })
      yield* Store.updateCustomer(m.admin, louGid, { addresses: [{ city: "Somerville", countryCode: "US" }] })
      yield* m.sql("UPDATE customers SET city = 'Cambridge' WHERE customer_id IN (?, ?)", [kim, lou])
      const stranger = yield* Store.createCustomer(m.admin, { firstName: "Zed", email: "zed@example.com" })
      yield* Store.updateCustomer(m.admin, stranger, { lastName: "Unlinked" })
      const customersBefore = yield* m.sql("SELECT COUNT(*) AS n FROM customers")

      const pulled = yield* m.run("customers-from-shopify", { conflicts: "edge-wins" })
      assert.strictEqual(pulled.outcome, "succeeded")
      assert.strictEqual((yield* edgeRow(m, kim)).last_name, "Park-Lee", "the site's edit arrived")
      assert.strictEqual((yield* edgeRow(m, kim)).city, "Cambridge", "edge-wins keeps Edge's city")
      assert.deepStrictEqual(yield* m.sql("SELECT COUNT(*) AS n FROM customers"), customersBefore, "unlinked Shopify customers are not imported")
      const conflicts = yield* m.sql<{ readonly customer_id: number | string; readonly field_name: string; readonly edge_value: string; readonly shopify_value: string; readonly chosen_value: string }>(
        "SELECT customer_id, field_name, edge_value, shopify_value, chosen_value FROM edgesync_contact_conflicts ORDER BY customer_id"
      )
      assert.deepStrictEqual(conflicts.map((c) => [Number(c.customer_id), c.field_name, c.edge_value, c.shopify_value, c.chosen_value]), [
        [kim, "city", "Cambridge", "Somerville", "Cambridge"],
        [lou, "city", "Cambridge", "Somerville", "Cambridge"]
      ])

      // Edge's winning city then goes to Shopify, without touching Kim's new last name.
      yield* m.run("customers-to-shopify")
      const kimInShopify = yield* Store.customer(m.admin, kimGid)
      assert.strictEqual(kimInShopify?.defaultAddress?.city, "Cambridge")
      assert.strictEqual(kimInShopify?.lastName, "Park-Lee")
      assert.strictEqual((yield* m.run("customers-from-shopify")).counts.written, 0, "re-running changes nothing")
    }), 120_000)

  it.scopedLive("shopify-wins and newest-wins", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const ada = yield* H.insertCustomer(m, { first_name: "Ada", email: "ada@example.com", city: "Boston", web_upload: true })
      yield* m.run("customers-to-shopify")
      const adaGid = (yield* linkOf(m, ada))!.shopify_customer_id
      yield* m.run("customers-from-shopify")
      yield* Effect.sleep("1100 millis")

      yield* m.sql("UPDATE customers SET city = 'Cambridge' WHERE customer_id = ?", [ada])
      yield* Effect.sleep("1100 millis") // Shopify's updatedAt has second precision: make the site's edit the newer one
      yield* Store.updateCustomer(m.admin, adaGid, { addresses: [{ city: "Somerville", countryCode: "US" }] })
      yield* m.run("customers-to-shopify", { conflicts: "newest-wins" })
      assert.strictEqual((yield* edgeRow(m, ada)).city, "Somerville", "newest-wins: the site's later edit")
      assert.strictEqual((yield* Store.customer(m.admin, adaGid))?.defaultAddress?.city, "Somerville")

      yield* Effect.sleep("1100 millis")
      yield* m.sql("UPDATE customers SET city = 'Medford' WHERE customer_id = ?", [ada])
      yield* Store.updateCustomer(m.admin, adaGid, { addresses: [{ city: "Salem", countryCode: "US" }] })
      yield* m.run("customers-from-shopify", { conflicts: "shopify-wins" })
      assert.strictEqual((yield* edgeRow(m, ada)).city, "Salem", "shopify-wins")
      assert.strictEqual((yield* m.run("customers-to-shopify", { conflicts: "shopify-wins" })).counts.written, 0)
    }), 120_000)
})

describe("customers link | unlink", () => {
  it.scopedLive("a link made by hand syncs the pair once and is recorded; unlink removes it and the next sale matches again", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const edgeId = yield* H.insertCustomer(m, { first_name: "Noor", last_name: "Haddad", email: "noor@example.com", city: "Dearborn" })
      const shopifyId = yield* Store.createCustomer(m.admin, { firstName: "Noor", lastName: "Haddad", email: "noor.h@example.com", phone: "+14155010001" })
      const options = Schema.decodeUnknownSync(SyncOptionFields)({})
      const result = yield* m.withServices(ManualLink.link(edgeId, shopifyId, options))
      assert.deepStrictEqual(result.outcome, { _tag: "Written", action: "linked" })
      assert.deepStrictEqual(result.takenByEdge, ["phone_cell"], "Edge's blank phone filled from Shopify")
      assert.deepStrictEqual(result.conflicts, ["email (edge kept)"])
      assert.include(result.sentToShopify, "email")
      assert.strictEqual((yield* Store.customer(m.admin, shopifyId))?.defaultEmailAddress?.emailAddress, "noor@example.com")
      assert.strictEqual((yield* edgeRow(m, edgeId)).phone_cell, "+14155010001")
      const decision = yield* m.sql<{ readonly match_rule: string }>("SELECT match_rule FROM edgesync_match_decisions WHERE edge_customer_id = ?", [edgeId])
      assert.deepStrictEqual(decision.map((d) => d.match_rule), ["manual"])
      assert.strictEqual((yield* linkOf(m, edgeId))?.link_method, "manual", "the link says it was made by hand")
      // What `edgesync matches` lists.
      const listed = yield* m.withServices(Effect.flatMap(MatchDecisions, (d) => d.list({ edgeCustomerId: edgeId })))
      assert.deepStrictEqual(listed.map((d) => [d.rule, d.shopifyCustomerId]), [["manual", shopifyId]])
      // Nothing left to sync afterwards, and the runs keep the link's method.
      assert.strictEqual((yield* m.run("customers-to-shopify")).counts.written, 0)
      yield* Store.updateCustomer(m.admin, shopifyId, { lastName: "Haddad-Ali" })
      yield* m.run("customers-from-shopify")
      assert.strictEqual((yield* edgeRow(m, edgeId)).last_name, "Haddad-Ali")
      assert.strictEqual((yield* linkOf(m, edgeId))?.link_method, "manual")

      assert.strictEqual(yield* m.withServices(ManualLink.unlink([edgeId, 999_999])), 1)
      assert.isUndefined(yield* linkOf(m, edgeId))
      const order = yield* Store.createOrder(m.admin, { customerId: shopifyId, lines: [{ sku: "X", title: "X", quantity: 1, price: "10.00" }], paid: { gateway: "manual", amount: "10.00" } })
      yield* m.run("web-sales-to-edge")
      const sale = yield* m.sql<{ readonly customer_id: number | string }>("SELECT customer_id FROM sales WHERE sale_no = ?", [order.name])
      assert.strictEqual(Number(sale[0]?.customer_id), edgeId, "matched again by email")
    }), 120_000)
})
