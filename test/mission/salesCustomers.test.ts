// web-sales-to-edge and the customers it creates and updates, end to end on MariaDB and the emulator:
// a batch of orders that needs new customers creates them together, one per person whatever the batch
// size (the same Shopify customer, guests with the same email or phone); `conflicts: newest-wins` on an
// already linked customer whose contact changed on both sides, either way round (and the same in
// customers-from-shopify).
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as H from "./support/MissionHarness.js"
import * as Store from "./support/ShopifyStore.js"

const line = { sku: "RING-1", title: "Gold ring", quantity: 1, price: "100.00" }
const paid = { gateway: "manual", amount: "100.00" }

interface SaleRow {
  readonly sale_no: string
  readonly customer_id: number | string
}

/** The same orders in one mission: the Shopify side arranged identically, whatever the batch size. */
const arrange = (m: H.Mission) =>
  Effect.gen(function*() {
    // Someone Edge already knows, so that not every order creates.
    yield* H.insertCustomer(m, { first_name: "Known", email: "known@example.com" })
    const order = (spec: Partial<Store.OrderSpec>) => Store.createOrder(m.admin, { lines: [line], paid, ...spec })
    const newShopper = yield* Store.createCustomer(m.admin, { firstName: "Nia", lastName: "New", email: "nia@example.com" })
    const household = yield* Store.createCustomer(m.admin, { firstName: "Hugo", lastName: "Home", phone: "+14155550101" })
    const orders = {
      nia1: yield* order({ customerId: newShopper }),
      guestA1: yield* order({ email: "Guest.A@example.com", phone: "+14155550199" }),
      nia2: yield* order({ customerId: newShopper }),
      // The same guest, typing the email differently.
      guestA2: yield* order({ email: "  guest.a@EXAMPLE.com " }),
      // Another email, the same phone as guest A: in phone-or-email the same person.
      guestA3: yield* order({ email: "a.other@example.com", phone: "(415) 555-0199" }),
      known: yield* order({ email: "KNOWN@example.com" }),
      guestB: yield* order({ phone: "+14155550101" }),
      // A Shopify customer with guest B's phone: one at a time it finds the customer guest B's order
      // created, and takes it.
      hugo: yield* order({ customerId: household }),
      nia3: yield* order({ customerId: newShopper }),
      hugo2: yield* order({ customerId: household })
    }
    return { orders, newShopper, household }
  })

const partition = (m: H.Mission, names: ReadonlyArray<ReadonlyArray<string>>) =>
  Effect.gen(function*() {
    const sales = new Map((yield* m.sql<SaleRow>("SELECT sale_no, customer_id FROM sales")).map((r) => [r.sale_no, Number(r.customer_id)]))
    return names.map((group) => [...new Set(group.map((name) => sales.get(name)))])
  })

describe("web-sales-to-edge: new customers", () => {
  it.scopedLive("a batch creates its new customers together, one per person, as one order at a time would", () =>
    Effect.gen(function*() {
      for (const batchSize of [50, 1]) {
        const m = yield* H.mission(yield* H.mariadbUrl)
        const { household, newShopper, orders: o } = yield* arrange(m)
        const before = Number((yield* m.sql<{ readonly n: number | string }>("SELECT COUNT(*) AS n FROM customers"))[0]?.n)
        // A long window: the batches are exactly `batchSize` orders (the source ends after 10).
        const summary = yield* m.run("web-sales-to-edge", {}, { batchSize, batchWindow: "30 seconds" })
        assert.strictEqual(summary.counts.written, 10, JSON.stringify(summary.counts))
        const groups = yield* partition(m, [
          [o.nia1.name, o.nia2.name, o.nia3.name],
          [o.guestA1.name, o.guestA2.name, o.guestA3.name],
          [o.guestB.name, o.hugo.name, o.hugo2.name],
          [o.known.name]
        ])
        for (const group of groups) assert.strictEqual(group.length, 1, `one customer per person (batch size ${batchSize}): ${JSON.stringify(groups)}`)
        assert.strictEqual(new Set(groups.flat()).size, 4, "four different people")
        const after = Number((yield* m.sql<{ readonly n: number | string }>("SELECT COUNT(*) AS n FROM customers"))[0]?.n)
        assert.strictEqual(after - before, 3, "three customers created: Nia, guest A, guest B (whom Hugo's order joins)")
        const links = yield* m.sql<{ readonly customer_id: number | string; readonly shopify_customer_id: string; readonly link_method: string }>(
          "SELECT customer_id, shopify_customer_id, link_method FROM customer_web_links ORDER BY shopify_customer_id"
        )
        assert.deepStrictEqual(
          new Map(links.map((l) => [l.shopify_customer_id, Number(l.customer_id)])),
          new Map([[newShopper, groups[0]![0]!], [household, groups[2]![0]!]])
        )
        // Nia's customer was made from her first order; each created customer remembers where it came from.
        const nia = yield* m.sql<{ readonly first_name: string; readonly email: string; readonly notes: string }>(
          "SELECT first_name, email, notes FROM customers WHERE customer_id = ?",
          [groups[0]![0]]
        )
        assert.deepStrictEqual(nia[0], { first_name: "Nia", email: "nia@example.com", notes: `Created by edgesync from Shopify order ${o.nia1.name}` })
        // Re-running creates nothing.
        assert.strictEqual((yield* m.run("web-sales-to-edge", {}, { batchSize })).counts.written, 0)
        assert.strictEqual(Number((yield* m.sql<{ readonly n: number | string }>("SELECT COUNT(*) AS n FROM customers"))[0]?.n), after)
        // Nia's customer was created for her; Hugo matched guest B's by phone, whose blank names took his.
        assert.deepStrictEqual(
          new Map(links.map((l) => [l.shopify_customer_id, l.link_method])),
          new Map([[newShopper, "created"], [household, "phone"]]),
          `batch size ${batchSize}`
        )
        const guestB = yield* m.sql<{ readonly first_name: string | null; readonly last_name: string | null; readonly phone_cell: string }>(
          "SELECT first_name, last_name, phone_cell FROM customers WHERE customer_id = ?",
          [groups[2]![0]]
        )
        assert.deepStrictEqual(guestB[0], { first_name: "Hugo", last_name: "Home", phone_cell: "+14155550101" }, `batch size ${batchSize}`)
        const rules = yield* m.sql<{ readonly shopify_order_id: string; readonly match_rule: string }>(
          "SELECT shopify_order_id, match_rule FROM edgesync_match_decisions"
        )
        const ruleOf = new Map(rules.map((r) => [r.shopify_order_id, r.match_rule]))
        assert.deepStrictEqual(
          [o.nia1, o.guestA1, o.guestA2, o.guestA3, o.known, o.guestB, o.hugo].map((x) => ruleOf.get(x.id)),
          // In one batch guest A's second order (the same email) follows the first: its customer is
          // created with the batch. One at a time it finds that customer by email.
          ["no-match", "no-match", batchSize === 1 ? "email" : "no-match", "phone", "email", "no-match", "phone"],
          `batch size ${batchSize}`
        )
        // A buyer's later orders: in one batch they follow the first; one at a time they find the link,
        // or (when the runner matches the next order before the previous batch's link is committed)
        // the same customer by the same key.
        for (const [later, rule] of [[o.nia2, "no-match"], [o.nia3, "no-match"], [o.hugo2, "phone"]] as const) {
          const got = ruleOf.get(later.id)
          if (batchSize === 1) assert.include(["link", "email", "phone"], got, later.name)
          else assert.strictEqual(got, rule, later.name)
        }
      }
    }), 180_000)
})

describe("conflicts newest-wins on a linked customer", () => {
  const setup = Effect.gen(function*() {
    const m = yield* H.mission(yield* H.mariadbUrl)
    const edgeId = yield* H.insertCustomer(m, { first_name: "Rae", last_name: "Stone", email: "rae@example.com", web_upload: true })
    yield* m.run("customers-to-shopify")
    const link = yield* m.sql<{ readonly shopify_customer_id: string }>("SELECT shopify_customer_id FROM customer_web_links WHERE customer_id = ?", [edgeId])
    const gid = link[0]!.shopify_customer_id
    return { m, edgeId, gid }
  })
  const lastName = (m: H.Mission, id: number) =>
    Effect.map(m.sql<{ readonly last_name: string }>("SELECT last_name FROM customers WHERE customer_id = ?", [id]), (rows) => rows[0]?.last_name)
  const conflicts = (m: H.Mission, id: number) =>
    m.sql<{ readonly field_name: string; readonly edge_value: string; readonly shopify_value: string; readonly resolution: string; readonly chosen_value: string }>(
      "SELECT field_name, edge_value, shopify_value, resolution, chosen_value FROM edgesync_contact_conflicts WHERE customer_id = ? ORDER BY conflict_id",
      [id]
    )

  it.scopedLive("the site's later edit wins", () =>
    Effect.gen(function*() {
      const { edgeId, gid, m } = yield* setup
      yield* Effect.sleep("1100 millis")
      yield* m.sql("UPDATE customers SET last_name = 'Stone-Edge' WHERE customer_id = ?", [edgeId])
      // Shopify's updatedAt has second precision: make the site's edit (and the order) the newer change.
      yield* Effect.sleep("1100 millis")
      yield* Store.updateCustomer(m.admin, gid, { lastName: "Stone-Site" })
      yield* Store.createOrder(m.admin, { customerId: gid, lines: [line], paid })
      yield* m.run("web-sales-to-edge", { conflicts: "newest-wins" })
      assert.strictEqual(yield* lastName(m, edgeId), "Stone-Site")
      assert.deepStrictEqual((yield* conflicts(m, edgeId)).map((c) => ({ ...c })), [
        { field_name: "last_name", edge_value: "Stone-Edge", shopify_value: "Stone-Site", resolution: "newest-wins:shopify", chosen_value: "Stone-Site" }
      ])
      // Settled: nothing left for customers-to-shopify to send.
      assert.strictEqual((yield* m.run("customers-to-shopify", { conflicts: "newest-wins" })).counts.written, 0)
      assert.strictEqual((yield* Store.customer(m.admin, gid))?.lastName, "Stone-Site")
    }), 120_000)

  it.scopedLive("customers-from-shopify weighs the same times: the site's later edit wins, then Edge's", () =>
    Effect.gen(function*() {
      const { edgeId, gid, m } = yield* setup
      yield* m.run("customers-from-shopify")
      yield* Effect.sleep("1100 millis")
      yield* m.sql("UPDATE customers SET last_name = 'Stone-Edge' WHERE customer_id = ?", [edgeId])
      yield* Effect.sleep("1100 millis")
      yield* Store.updateCustomer(m.admin, gid, { lastName: "Stone-Site" })
      yield* m.run("customers-from-shopify", { conflicts: "newest-wins" })
      assert.strictEqual(yield* lastName(m, edgeId), "Stone-Site")

      // customers-from-shopify reads from its checkpoint by Shopify's updated_at, to the second.
      yield* Effect.sleep("1100 millis")
      yield* Store.updateCustomer(m.admin, gid, { lastName: "Stone-Site-2" })
      yield* Effect.sleep("1100 millis")
      yield* m.sql("UPDATE customers SET last_name = 'Stone-Edge-2' WHERE customer_id = ?", [edgeId])
      yield* m.run("customers-from-shopify", { conflicts: "newest-wins" })
      assert.strictEqual(yield* lastName(m, edgeId), "Stone-Edge-2")
      assert.deepStrictEqual((yield* conflicts(m, edgeId)).map((c) => [c.resolution, c.chosen_value]), [
        ["newest-wins:shopify", "Stone-Site"],
        ["newest-wins:edge", "Stone-Edge-2"]
      ])
    }), 120_000)

  it.scopedLive("Edge's later edit wins, and goes to Shopify next", () =>
    Effect.gen(function*() {
      const { edgeId, gid, m } = yield* setup
      yield* Store.updateCustomer(m.admin, gid, { lastName: "Stone-Site" })
      yield* Store.createOrder(m.admin, { customerId: gid, lines: [line], paid })
      yield* Effect.sleep("1100 millis")
      yield* m.sql("UPDATE customers SET last_name = 'Stone-Edge' WHERE customer_id = ?", [edgeId])
      yield* m.run("web-sales-to-edge", { conflicts: "newest-wins" })
      assert.strictEqual(yield* lastName(m, edgeId), "Stone-Edge")
      assert.deepStrictEqual((yield* conflicts(m, edgeId)).map((c) => [c.field_name, c.resolution, c.chosen_value]), [
        ["last_name", "newest-wins:edge", "Stone-Edge"]
      ])
      yield* m.run("customers-to-shopify", { conflicts: "newest-wins" })
      assert.strictEqual((yield* Store.customer(m.admin, gid))?.lastName, "Stone-Edge")
    }), 120_000)
})
