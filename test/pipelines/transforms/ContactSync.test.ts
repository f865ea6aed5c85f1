import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import * as ContactFields from "../../../connectors/edge/ContactFields.js"
import * as ContactSync from "../../../pipelines/transforms/ContactSync.js"
import * as ShopifyContact from "../../../pipelines/transforms/ShopifyContact.js"

const edge: ContactFields.ContactFields = {
  ...ContactFields.empty,
  first_name: "Ann",
  last_name: "Lee",
  email: "Ann.Lee@example.com",
  phone_cell: null,
  phone_home: "(415) 555-0100",
  phone_work: "415.555.0199 x3",
  address1: "1 Main St",
  city: "Boston",
  state: "MA",
  postal_code: "02108",
  country: "US"
}

const shopifyCustomer = (fields: Partial<ShopifyContact.ShopifyContactView> = {}): ShopifyContact.ShopifyContactView => ({
  firstName: "Ann",
  lastName: "Lee",
  email: "ann.lee@example.com",
  phone: "+14155550100",
  defaultAddress: { company: null, address1: "1 Main St", address2: null, city: "Boston", provinceCode: "MA", countryCode: "US", zip: "02108" },
  ...fields
})

describe("ShopifyContact", () => {
  it("pairs Shopify's phone with the Edge column that holds it, else the first filled one, else the cell", () => {
    assert.strictEqual(ShopifyContact.primaryPhone(edge, "+14155550100"), "phone_home")
    assert.strictEqual(ShopifyContact.primaryPhone(edge, "+1 415 555 0199"), "phone_work")
    assert.strictEqual(ShopifyContact.primaryPhone(edge, "+14155550000"), "phone_home")
    assert.strictEqual(ShopifyContact.primaryPhone(ContactFields.empty, "+14155550000"), "phone_cell")
  })

  it("Shopify's side of a merge: the fields it holds, Edge's for the others", () => {
    const fields = ShopifyContact.toFields(shopifyCustomer(), edge, edge)
    assert.strictEqual(fields.phone_home, "+14155550100")
    assert.strictEqual(fields.phone_work, edge.phone_work, "a phone Shopify does not hold reads as Edge's")
    assert.strictEqual(fields.state, "MA")
    assert.isTrue(ShopifyContact.shopifyHolds("phone_home", "phone_home"))
    assert.isFalse(ShopifyContact.shopifyHolds("phone_work", "phone_home"))
    assert.isTrue(ShopifyContact.shopifyHolds("city", "phone_home"))
  })
})

describe("ContactSync", () => {
  const plan = (shopify: ShopifyContact.ShopifyContactView, snapshot: Option.Option<ContactFields.ContactFields> = Option.some(edge)) =>
    ContactSync.plan({
      policy: "edge-wins",
      defaultCountry: "US",
      snapshot,
      edge,
      shopify: ShopifyContact.toFields(shopify, edge, edge),
      edgeChangedAt: Option.none(),
      shopifyChangedAt: Option.none()
    })

  it("formatting-only differences ask nothing of either side", () => {
    const sync = plan(shopifyCustomer())
    assert.deepStrictEqual(sync.edgeChanges, [])
    assert.deepStrictEqual(sync.toShopify, {})
  })

  it("a change made on the site becomes an Edge column change with the value it was decided from", () => {
    const sync = plan(shopifyCustomer({ lastName: "Lee-Park" }))
    assert.deepStrictEqual(sync.edgeChanges, [{ field: "last_name", value: "Lee-Park", expected: "Lee" }])
    assert.strictEqual(sync.edgeAfter.last_name, "Lee-Park")
  })

  it("the snapshot keeps Edge's formatting where both agree, Shopify's value where Edge's is pending", () => {
    const shopify = ShopifyContact.toFields(shopifyCustomer({ firstName: "Annie" }), edge, edge)
    const snapshot = ContactSync.agreedSnapshot(edge, shopify, "US")
    assert.strictEqual(snapshot.email, "Ann.Lee@example.com")
    assert.strictEqual(snapshot.phone_home, "(415) 555-0100")
    assert.strictEqual(snapshot.first_name, "Annie", "Edge's differing value reads as an Edge change, to be pushed")
    assert.isFalse(ContactSync.sameSnapshot(snapshot, edge))
  })

  it("a partial view (an order) keeps the old snapshot for the fields it does not carry", () => {
    const base = { ...edge, city: "Cambridge" }
    const snapshot = ContactSync.agreedSnapshot(edge, edge, "US", { carried: ["first_name"], base: Option.some(base) })
    assert.strictEqual(snapshot.city, "Cambridge")
    assert.strictEqual(snapshot.first_name, "Ann")
  })

  it("the fields sent to Shopify: E.164 phone, normalized email, the whole address when a part changed", () => {
    const fields = ContactSync.customerFields({ phone_home: "(415) 555-0101", city: "Salem", email: " Ann@Example.com " }, { ...edge, city: "Salem" }, "phone_home", "US")
    assert.strictEqual(fields.phone, "+14155550101")
    assert.strictEqual(fields.email, "ann@example.com")
    assert.deepStrictEqual(fields.address, {
      company: null, address1: "1 Main St", address2: null, city: "Salem", provinceCode: "MA", countryCode: "US", zip: "02108"
    })
    assert.isUndefined(fields.firstName, "unchanged fields are not sent")
    assert.deepStrictEqual(ContactSync.customerFields({ first_name: "  " }, edge, "phone_cell", "US"), { firstName: null })
  })
})
