// web-sales-to-edge's customer matching end to end on MariaDB and the emulator: each rule of
// `customerDownload` and its edge cases, as a scenario table run through the pipeline as the CLI runs it.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as H from "./support/MissionHarness.js"
import * as Store from "./support/ShopifyStore.js"

interface SaleRow {
  readonly sale_no: string
  readonly customer_id: number | string | null
}
interface LinkRow {
  readonly customer_id: number | string
  readonly shopify_customer_id: string
  readonly link_method: string
}
interface DecisionRow {
  readonly shopify_order_id: string
  readonly match_rule: string
  readonly ambiguous: number | boolean
  readonly candidates: string
}

const line = { sku: "RING-1", title: "Gold ring", quantity: 1, price: "100.00" }
const paid = { gateway: "shopify_payments", amount: "100.00" }

describe("web-sales-to-edge: customer matching", () => {
  it.scopedLive("phone-or-email: every rule and edge case, then re-running changes nothing", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const edge = {
        byEmail: yield* H.insertCustomer(m, { first_name: "Ann", last_name: "Lee", email: "  ANN.Lee@Example.COM " }),
        byCell: yield* H.insertCustomer(m, { first_name: "Cal", phone_cell: "+1 415 201 0003" }),
        byHome: yield* H.insertCustomer(m, { first_name: "Hal", phone_home: "(415) 201-0001" }),
        byWork: yield* H.insertCustomer(m, { first_name: "Wes", phone_work: "415.201.0002 x12" }),
        householdOld: yield* H.insertCustomer(m, { first_name: "Bob", last_name: "Stone", phone_home: "415-202-0000" }),
        householdNew: yield* H.insertCustomer(m, { first_name: "Bea", last_name: "Stone", phone_cell: "(415) 202-0000" }),
        emailOfPat: yield* H.insertCustomer(m, { first_name: "Pat", email: "pat@example.com" }),
        phoneOfPat: yield* H.insertCustomer(m, { first_name: "Patrick", phone_cell: "415-203-0000" }),
        guestMatch: yield* H.insertCustomer(m, { first_name: "Gus", email: "gus@example.com" }),
        shortPhone: yield* H.insertCustomer(m, { first_name: "Sid", phone_cell: "204-0000" }),
        longPhone: yield* H.insertCustomer(m, { first_name: "Lon", phone_cell: "1-415-204-00001" }),
        tokenEmail: yield* H.insertCustomer(m, { first_name: "Jane", email: "jane@example.com" })
      }
      yield* H.insertPastSale(m, edge.householdOld, "2024-01-10 10:00:00")
      yield* H.insertPastSale(m, edge.householdNew, "2025-06-10 10:00:00")

      const shopper = (input: Store.CustomerInput) => Store.createCustomer(m.admin, input)
      const order = (spec: Partial<Store.OrderSpec>) => Store.createOrder(m.admin, { lines: [line], paid, ...spec })
      const s = {
        ann: yield* shopper({ firstName: "Ann", lastName: "Lee", email: "ann.lee@example.com" }),
        cal: yield* shopper({ firstName: "Cal", phone: "+14152010003" }),
        hal: yield* shopper({ firstName: "Hal", phone: "+14152010001" }),
        wes: yield* shopper({ firstName: "Wes", phone: "+14152010002" }),
        stone: yield* shopper({ firstName: "B", lastName: "Stone", phone: "+14152020000" }),
        pat: yield* shopper({ firstName: "Pat", email: "pat@example.com", phone: "+14152030000" }),
        nobody: yield* shopper({ firstName: "Nora", lastName: "New", email: "nora@example.com" }),
        digits: yield* shopper({ firstName: "Dee", phone: "+14152040000" }),
        token: yield* shopper({ firstName: "Jane", lastName: "Doe", email: "jane.doe@example.com" })
      }
      const o = {
        ann: yield* order({ customerId: s.ann }),
        cal: yield* order({ customerId: s.cal }),
        hal: yield* order({ customerId: s.hal }),
        wes: yield* order({ customerId: s.wes }),
        stone: yield* order({ customerId: s.stone }),
        pat: yield* order({ customerId: s.pat }),
        nobody: yield* order({ customerId: s.nobody }),
        digits: yield* order({ customerId: s.digits }),
        token: yield* order({ customerId: s.token }),
        guest: yield* order({ email: " GUS@example.com" }),
        anonymous: yield* order({
          billingAddress: { firstName: "Ola", lastName: "Quiet", address1: "9 Elm St", city: "Portland", provinceCode: "OR", countryCode: "US", zip: "97201" }
        })
      }

      const first = yield* m.run("web-sales-to-edge")
      assert.strictEqual(first.outcome, "succeeded")
      assert.strictEqual(first.counts.read, 11)
      assert.strictEqual(first.counts.written, 11, JSON.stringify(first.counts))

      const sales = new Map((yield* m.sql<SaleRow>("SELECT sale_no, customer_id FROM sales WHERE kind = 'web'")).map((r) => [r.sale_no, r.customer_id === null ? null : Number(r.customer_id)]))
      const links = new Map((yield* m.sql<LinkRow>("SELECT customer_id, shopify_customer_id, link_method FROM customer_web_links")).map((r) => [r.shopify_customer_id, r]))
      const decisions = new Map((yield* m.sql<DecisionRow>("SELECT shopify_order_id, match_rule, ambiguous, candidates FROM edgesync_match_decisions")).map((r) => [r.shopify_order_id, r]))
      const customerOf = (placed: { readonly name: string }) => sales.get(placed.name)
      const linkOf = (gid: string) => links.get(gid)
      const decisionOf = (placed: { readonly id: string }) => decisions.get(placed.id)

      const table: ReadonlyArray<readonly [string, { readonly id: string; readonly name: string }, number | "new", string | undefined, string, boolean]> = [
        // scenario, order, expected Edge customer, shopify customer (link), rule, ambiguous
        ["email: case and spaces", o.ann, edge.byEmail, s.ann, "email", false],
        ["phone in the cell column", o.cal, edge.byCell, s.cal, "phone", false],
        ["phone in the home column", o.hal, edge.byHome, s.hal, "phone", false],
        ["phone in the work column, with extension", o.wes, edge.byWork, s.wes, "phone", false],
        ["a phone shared by a household: the latest buyer", o.stone, edge.householdNew, s.stone, "phone", true],
        ["email matches one, phone another: the email", o.pat, edge.emailOfPat, s.pat, "email", true],
        ["no Edge customer: created and linked", o.nobody, "new", s.nobody, "no-match", false],
        ["a phone that merely shares digits never matches", o.digits, "new", s.digits, "no-match", false],
        ["an email that merely shares a token never matches", o.token, "new", s.token, "no-match", false],
        ["guest checkout: the order's email", o.guest, edge.guestMatch, undefined, "email", false],
        ["an order with neither email nor phone", o.anonymous, "new", undefined, "no-contact", false]
      ]
      const known = new Set(Object.values(edge))
      for (const [scenario, placed, expected, shopifyId, rule, ambiguous] of table) {
        const got = customerOf(placed)
        assert.isDefined(got, `${scenario}: sale imported`)
        if (expected === "new") {
          assert.isFalse(known.has(got!), `${scenario}: a new Edge customer (got ${got})`)
          assert.isNotNull(got, scenario)
        } else {
          assert.strictEqual(got, expected, scenario)
        }
        const decision = decisionOf(placed)
        assert.strictEqual(decision?.match_rule, rule, scenario)
        assert.strictEqual(Boolean(Number(decision?.ambiguous)), ambiguous, scenario)
        if (shopifyId === undefined) continue
        const link = linkOf(shopifyId)
        assert.strictEqual(Number(link?.customer_id), got, `${scenario}: linked`)
        assert.strictEqual(link?.link_method, rule === "no-match" ? "created" : rule, scenario)
      }
      assert.deepStrictEqual(JSON.parse(decisionOf(o.stone)!.candidates), [edge.householdNew, edge.householdOld])
      assert.deepStrictEqual(JSON.parse(decisionOf(o.pat)!.candidates), [edge.emailOfPat, edge.phoneOfPat])
      // Guests are not linked: nothing to link them to.
      assert.strictEqual(links.size, 9)

      // The new customer was made from the order's names and address.
      const anonymous = yield* m.sql<{ readonly first_name: string; readonly last_name: string; readonly city: string; readonly postal_code: string }>(
        "SELECT first_name, last_name, city, postal_code FROM customers WHERE customer_id = ?",
        [customerOf(o.anonymous)]
      )
      assert.deepStrictEqual(anonymous[0], { first_name: "Ola", last_name: "Quiet", city: "Portland", postal_code: "97201" })

      // Re-running changes nothing.
      const before = yield* m.sql("SELECT COUNT(*) AS n FROM customers")
      const again = yield* m.run("web-sales-to-edge")
      assert.strictEqual(again.counts.written, 0, JSON.stringify(again.counts))
      assert.deepStrictEqual(yield* m.sql("SELECT COUNT(*) AS n FROM customers"), before)

      // The created customer's next order finds it through the link.
      const next = yield* order({ customerId: s.nobody })
      yield* m.run("web-sales-to-edge")
      const nextSale = yield* m.sql<SaleRow>("SELECT sale_no, customer_id FROM sales WHERE sale_no = ?", [next.name])
      assert.strictEqual(Number(nextSale[0]?.customer_id), customerOf(o.nobody))
      const nextDecision = yield* m.sql<DecisionRow>("SELECT shopify_order_id, match_rule, ambiguous, candidates FROM edgesync_match_decisions WHERE shopify_order_id = ?", [next.id])
      assert.strictEqual(nextDecision[0]?.match_rule, "link")
    }), 120_000)
})
