import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import type { CustomerDownload } from "../../../pipelines/SyncOptions.js"
import type { Candidate, OrderContact } from "../../../pipelines/transforms/MatchCustomer.js"
import * as MatchCustomer from "../../../pipelines/transforms/MatchCustomer.js"

// Exactness of email and phone keys is the Edge lookup's (tested with it, and end to end on MariaDB in
// test/mission); these tests cover the decision made from what the lookup found.
const customer = (
  customerId: number,
  fields: { email?: boolean; phone?: boolean; lastSaleAt?: string; updatedAt?: string; linkedTo?: string } = {}
): Candidate => ({
  customerId,
  byEmail: fields.email ?? false,
  byPhone: fields.phone ?? false,
  lastSaleAt: Option.map(Option.fromNullable(fields.lastSaleAt), (d) => new Date(d)),
  updatedAt: fields.updatedAt ?? "2020-01-01 00:00:00.000000",
  linkedShopifyCustomerId: Option.fromNullable(fields.linkedTo)
})

const order = (fields: { customer?: string; linked?: number; email?: string; phone?: string }): OrderContact => ({
  shopifyCustomerId: Option.fromNullable(fields.customer),
  linkedCustomerId: Option.fromNullable(fields.linked),
  email: Option.fromNullable(fields.email),
  phone: Option.fromNullable(fields.phone)
})

const SHOPPER = "gid://shopify/Customer/1"
const EMAIL = "pat@example.com"
const PHONE = "+15551234567"

const decide = (contact: OrderContact, candidates: ReadonlyArray<Candidate>, mode: CustomerDownload = "phone-or-email") =>
  MatchCustomer.decide(mode, contact, candidates)

describe("MatchCustomer.decide", () => {
  it("a linked Shopify customer goes to its Edge customer, in every mode", () => {
    for (const mode of ["phone-or-email", "email", "create-new"] as const) {
      const d = decide(order({ customer: SHOPPER, linked: 42, email: EMAIL }), [customer(7, { email: true })], mode)
      assert.strictEqual(d.rule, "link")
      assert.deepStrictEqual(d.customerId, Option.some(42))
      assert.isTrue(Option.isNone(d.link), "no new link is written")
    }
  })

  it("create-new never uses candidates and links the new customer", () => {
    const d = decide(order({ customer: SHOPPER, email: EMAIL }), [customer(7, { email: true })], "create-new")
    assert.strictEqual(d.rule, "create-new")
    assert.isTrue(Option.isNone(d.customerId))
    assert.deepStrictEqual(d.link, Option.some("created"))
    assert.deepStrictEqual(d.candidates, [])
  })

  it("a single email match is linked by email", () => {
    const d = decide(order({ customer: SHOPPER, email: EMAIL }), [customer(3, { email: true })])
    assert.strictEqual(d.rule, "email")
    assert.deepStrictEqual(d.customerId, Option.some(3))
    assert.deepStrictEqual(d.link, Option.some("email"))
    assert.isFalse(d.ambiguous)
    assert.include(d.explanation, "matched Edge customer 3 by email")
  })

  it("a single phone match is linked by phone", () => {
    const d = decide(order({ customer: SHOPPER, phone: PHONE }), [customer(9, { phone: true })])
    assert.strictEqual(d.rule, "phone")
    assert.deepStrictEqual(d.link, Option.some("phone"))
  })

  it("no candidate: a new customer, linked as created", () => {
    const d = decide(order({ customer: SHOPPER, email: EMAIL, phone: PHONE }), [])
    assert.strictEqual(d.rule, "no-match")
    assert.isTrue(Option.isNone(d.customerId))
    assert.deepStrictEqual(d.link, Option.some("created"))
  })

  it("a phone shared by two customers: the latest sale wins, the decision is ambiguous", () => {
    const d = decide(order({ customer: SHOPPER, phone: PHONE }), [
      customer(11, { phone: true, lastSaleAt: "2024-01-01T00:00:00Z" }),
      customer(12, { phone: true, lastSaleAt: "2025-06-01T00:00:00Z" })
    ])
    assert.strictEqual(d.rule, "phone")
    assert.deepStrictEqual(d.customerId, Option.some(12))
    assert.isTrue(d.ambiguous)
    assert.deepStrictEqual(d.candidates, [12, 11])
    assert.include(d.explanation, "most recently active")
  })

  it("then the latest edit, then the lowest id; never having bought sorts last", () => {
    const d = decide(order({ phone: PHONE }), [
      customer(21, { phone: true, lastSaleAt: "2024-01-01T00:00:00Z", updatedAt: "2024-02-01 00:00:00.000000" }),
      customer(20, { phone: true, lastSaleAt: "2024-01-01T00:00:00Z", updatedAt: "2024-02-01 00:00:00.000000" }),
      customer(22, { phone: true, lastSaleAt: "2024-01-01T00:00:00Z", updatedAt: "2024-03-01 00:00:00.000000" }),
      customer(19, { phone: true, updatedAt: "2026-01-01 00:00:00.000000" })
    ])
    assert.deepStrictEqual(d.candidates, [22, 20, 21, 19])
  })

  it("an email matching one customer and the phone another: the email wins", () => {
    const d = decide(order({ customer: SHOPPER, email: EMAIL, phone: PHONE }), [
      customer(40, { phone: true, lastSaleAt: "2026-01-01T00:00:00Z" }),
      customer(41, { email: true, lastSaleAt: "2020-01-01T00:00:00Z" })
    ])
    assert.strictEqual(d.rule, "email")
    assert.deepStrictEqual(d.customerId, Option.some(41))
    assert.isTrue(d.ambiguous)
    assert.deepStrictEqual(d.candidates, [41, 40])
    assert.deepStrictEqual(d.link, Option.some("email"))
  })

  it("a customer matching both email and phone beats one matching only the email", () => {
    const d = decide(order({ customer: SHOPPER, email: EMAIL, phone: PHONE }), [
      customer(50, { email: true, lastSaleAt: "2026-01-01T00:00:00Z" }),
      customer(51, { email: true, phone: true })
    ])
    assert.strictEqual(d.rule, "email-and-phone")
    assert.deepStrictEqual(d.customerId, Option.some(51))
    assert.deepStrictEqual(d.link, Option.some("email"))
  })

  it("email mode ignores phones", () => {
    const byPhone = decide(order({ customer: SHOPPER, email: EMAIL, phone: PHONE }), [customer(60, { phone: true })], "email")
    assert.strictEqual(byPhone.rule, "no-match")
    const both = decide(order({ customer: SHOPPER, email: EMAIL, phone: PHONE }), [customer(61, { email: true, phone: true })], "email")
    assert.strictEqual(both.rule, "email", "a phone match does not count in email mode")
    const phoneOnly = decide(order({ customer: SHOPPER, phone: PHONE }), [customer(60, { phone: true })], "email")
    assert.strictEqual(phoneOnly.rule, "no-contact")
    assert.include(phoneOnly.explanation, "no email")
  })

  it("an order with neither email nor phone creates a customer", () => {
    const member = decide(order({ customer: SHOPPER }), [])
    assert.strictEqual(member.rule, "no-contact")
    assert.deepStrictEqual(member.link, Option.some("created"))
    const guest = decide(order({}), [])
    assert.strictEqual(guest.rule, "no-contact")
    assert.isTrue(Option.isNone(guest.link), "a guest has no Shopify customer to link")
  })

  it("a guest checkout matches on the order's contact but writes no link", () => {
    const d = decide(order({ email: EMAIL }), [customer(70, { email: true, linkedTo: "gid://shopify/Customer/99" })])
    assert.strictEqual(d.rule, "email")
    assert.deepStrictEqual(d.customerId, Option.some(70))
    assert.isTrue(Option.isNone(d.link))
  })

  it("an Edge customer linked to another Shopify customer is not a candidate", () => {
    const d = decide(order({ customer: SHOPPER, phone: PHONE }), [
      customer(80, { phone: true, linkedTo: "gid://shopify/Customer/2", lastSaleAt: "2026-01-01T00:00:00Z" }),
      customer(81, { phone: true })
    ])
    assert.deepStrictEqual(d.customerId, Option.some(81))
    assert.deepStrictEqual(d.candidates, [81])
    assert.isFalse(d.ambiguous)
    const only = decide(order({ customer: SHOPPER, phone: PHONE }), [
      customer(80, { phone: true, linkedTo: "gid://shopify/Customer/2" })
    ])
    assert.strictEqual(only.rule, "no-match")
    assert.include(only.explanation, "already linked to another Shopify customer")
  })

  it("a candidate listed twice counts once", () => {
    const c = customer(90, { email: true, phone: true })
    const d = decide(order({ email: EMAIL, phone: PHONE }), [c, c])
    assert.isFalse(d.ambiguous)
    assert.deepStrictEqual(d.candidates, [90])
  })
})

describe("MatchCustomer.sharedCustomers", () => {
  const row = (
    buyer: string,
    fields: { customer?: string; email?: string; phone?: string; creates?: boolean; rule?: MatchCustomer.MatchRule } = {}
  ): MatchCustomer.BatchOrder => ({
    buyer,
    shopifyCustomerId: Option.fromNullable(fields.customer),
    email: Option.fromNullable(fields.email),
    phone: Option.fromNullable(fields.phone),
    creates: fields.creates ?? true,
    rule: fields.rule ?? "no-match"
  })
  const S1 = "gid://shopify/Customer/1"
  const S2 = "gid://shopify/Customer/2"

  it("orders of one buyer go where the first went, whether matched or created", () => {
    const shared = MatchCustomer.sharedCustomers("phone-or-email", [
      row(S1, { customer: S1, email: "a@x.com", creates: false, rule: "email" }),
      row(S2, { customer: S2, email: "b@x.com" }),
      row(S1, { customer: S1, email: "a@x.com", creates: false, rule: "email" }),
      row(S2, { customer: S2, email: "b@x.com" })
    ])
    assert.deepStrictEqual(shared, [undefined, undefined, { index: 0, by: "buyer" }, { index: 1, by: "buyer" }])
  })

  it("a guest joins a customer created earlier in the batch with its email, or in phone-or-email its phone", () => {
    const orders = [
      row("guest:email:g@x.com", { email: "g@x.com", phone: PHONE }),
      row("guest:email:h@x.com", { email: "h@x.com", phone: PHONE }),
      row("guest:phone:+15550000000", { phone: "+15550000000" }),
      row(S1, { customer: S1, email: "g@x.com" })
    ]
    assert.deepStrictEqual(MatchCustomer.sharedCustomers("phone-or-email", orders), [
      undefined,
      { index: 0, by: "phone" },
      undefined,
      { index: 0, by: "email" }
    ])
    // email mode: phones never join.
    assert.deepStrictEqual(MatchCustomer.sharedCustomers("email", orders), [undefined, undefined, undefined, { index: 0, by: "email" }])
    // create-new never searches, so nothing joins by key.
    assert.deepStrictEqual(
      MatchCustomer.sharedCustomers("create-new", orders.map((o) => ({ ...o, rule: "create-new" as const }))),
      [undefined, undefined, undefined, undefined]
    )
  })

  it("a customer created for one Shopify customer is never shared with another (a household's phone)", () => {
    const shared = MatchCustomer.sharedCustomers("phone-or-email", [
      row("guest:phone:" + PHONE, { phone: PHONE }),
      row(S1, { customer: S1, phone: PHONE }),
      row(S2, { customer: S2, phone: PHONE }),
      row("guest:email:z@x.com", { email: "z@x.com", phone: PHONE }),
      row(S2, { customer: S2, phone: PHONE }),
      row(S1, { customer: S1, phone: PHONE })
    ])
    // S1 takes the guest's new customer (and links it); S2 cannot, so gets its own; the next guest
    // joins the first creation with that phone; S2's and S1's second orders follow their first.
    assert.deepStrictEqual(shared, [
      undefined,
      { index: 0, by: "phone" },
      undefined,
      { index: 0, by: "phone" },
      { index: 2, by: "buyer" },
      { index: 1, by: "buyer" }
    ])
  })

  it("orders that match existing customers, or that have no contact, never join a creation", () => {
    const shared = MatchCustomer.sharedCustomers("phone-or-email", [
      row("guest:email:a@x.com", { email: "a@x.com" }),
      row("guest:email:a@x.com:matched", { email: "a@x.com", creates: false, rule: "email" }),
      row("gid://shopify/Order/9", { rule: "no-contact" }),
      row("gid://shopify/Order/10", { rule: "no-contact" })
    ])
    assert.deepStrictEqual(shared, [undefined, undefined, undefined, undefined])
  })
})
