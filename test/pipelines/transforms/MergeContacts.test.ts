import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import type { ConflictPolicy } from "../../../pipelines/SyncOptions.js"
import * as MergeContacts from "../../../pipelines/transforms/MergeContacts.js"

const kinds = { first_name: "text", email: "email", phone_cell: "phone", country: "code" } as const
type Field = keyof typeof kinds
type Contact = MergeContacts.Contact<Field>

const base: Contact = { first_name: "Ann", email: "ann@example.com", phone_cell: "(555) 123-4567", country: "US" }

const merge = (
  edge: Partial<Contact>,
  shopify: Partial<Contact>,
  options: { policy?: ConflictPolicy; snapshot?: Contact | null; edgeAt?: string; shopifyAt?: string } = {}
) =>
  MergeContacts.merge({
    kinds,
    policy: options.policy ?? "edge-wins",
    defaultCountry: "US",
    snapshot: options.snapshot === null ? Option.none() : Option.some(options.snapshot ?? base),
    edge: { ...base, ...edge },
    shopify: { ...base, ...shopify },
    edgeChangedAt: Option.map(Option.fromNullable(options.edgeAt), (d) => new Date(d)),
    shopifyChangedAt: Option.map(Option.fromNullable(options.shopifyAt), (d) => new Date(d))
  })

describe("MergeContacts.merge", () => {
  it("unchanged on both sides: nothing to do", () => {
    const r = merge({}, {})
    assert.isTrue(MergeContacts.isNoop(r))
    assert.deepStrictEqual(r.merged, base)
    assert.deepStrictEqual(r.conflicts, [])
  })

  it("formatting-only differences are not changes", () => {
    const r = merge(
      { email: " ANN@Example.com", phone_cell: "555.123.4567", first_name: " Ann  " },
      { phone_cell: "+15551234567", country: "us" }
    )
    assert.isTrue(MergeContacts.isNoop(r))
    assert.deepStrictEqual(r.conflicts, [])
    assert.strictEqual(r.merged.phone_cell, "555.123.4567", "Edge keeps its own formatting")
  })

  it("changed only in Shopify: Edge takes it", () => {
    const r = merge({}, { email: "ann.new@example.com" })
    assert.deepStrictEqual(r.toEdge, { email: "ann.new@example.com" })
    assert.deepStrictEqual(r.toShopify, {})
    assert.strictEqual(r.merged.email, "ann.new@example.com")
  })

  it("changed only in Edge: Edge keeps it and Shopify is to take it", () => {
    const r = merge({ phone_cell: "555-999-0000" }, {})
    assert.deepStrictEqual(r.toShopify, { phone_cell: "555-999-0000" })
    assert.deepStrictEqual(r.toEdge, {})
    assert.strictEqual(r.merged.phone_cell, "555-999-0000")
  })

  it("different fields changed on each side: both changes survive", () => {
    const r = merge({ first_name: "Anne" }, { email: "anne@example.com" })
    assert.deepStrictEqual(r.toShopify, { first_name: "Anne" })
    assert.deepStrictEqual(r.toEdge, { email: "anne@example.com" })
    assert.deepStrictEqual(r.conflicts, [])
  })

  it("changed on both sides to the same value: converged, no conflict", () => {
    const r = merge({ email: "Ann2@example.com" }, { email: "ann2@example.com" })
    assert.isTrue(MergeContacts.isNoop(r))
    assert.deepStrictEqual(r.conflicts, [])
  })

  it("changed on both sides differently: the policy decides and the conflict is recorded", () => {
    const edge = { first_name: "Annie" }
    const shopify = { first_name: "Anna" }
    const edgeWins = merge(edge, shopify, { policy: "edge-wins" })
    assert.deepStrictEqual(edgeWins.toShopify, { first_name: "Annie" })
    assert.deepStrictEqual(edgeWins.toEdge, {})
    assert.deepStrictEqual(edgeWins.conflicts, [
      { field: "first_name", base: "Ann", edge: "Annie", shopify: "Anna", winner: "edge", policy: "edge-wins" }
    ])
    const shopifyWins = merge(edge, shopify, { policy: "shopify-wins" })
    assert.deepStrictEqual(shopifyWins.toEdge, { first_name: "Anna" })
    assert.deepStrictEqual(shopifyWins.toShopify, {})
    assert.strictEqual(shopifyWins.conflicts[0]?.winner, "shopify")
  })

  it("newest-wins follows the change times; a tie or an unknown time goes to Edge", () => {
    const edge = { first_name: "Annie" }
    const shopify = { first_name: "Anna" }
    const later = "2026-03-02T10:00:00.000Z"
    const earlier = "2026-03-01T10:00:00.000Z"
    assert.strictEqual(merge(edge, shopify, { policy: "newest-wins", edgeAt: earlier, shopifyAt: later }).conflicts[0]?.winner, "shopify")
    assert.strictEqual(merge(edge, shopify, { policy: "newest-wins", edgeAt: later, shopifyAt: earlier }).conflicts[0]?.winner, "edge")
    assert.strictEqual(merge(edge, shopify, { policy: "newest-wins", edgeAt: later, shopifyAt: later }).conflicts[0]?.winner, "edge")
    assert.strictEqual(merge(edge, shopify, { policy: "newest-wins", shopifyAt: later }).conflicts[0]?.winner, "edge")
    assert.strictEqual(merge(edge, shopify, { policy: "newest-wins", edgeAt: later }).conflicts[0]?.winner, "edge")
  })

  it("a field cleared on one side is a change like any other", () => {
    const cleared = merge({}, { phone_cell: null })
    assert.deepStrictEqual(cleared.toEdge, { phone_cell: null })
    const blank = merge({ first_name: "" }, {})
    assert.deepStrictEqual(blank.toShopify, { first_name: "" })
  })

  it("no snapshot yet (a fresh link): blanks take the other side's value, differences are conflicts", () => {
    const r = merge(
      { email: "ann@example.com", first_name: "Ann", phone_cell: null, country: "US" },
      { email: "ANN@example.com", first_name: "Anna", phone_cell: "+15551234567", country: null },
      { snapshot: null, policy: "shopify-wins" }
    )
    assert.deepStrictEqual(r.toEdge, { first_name: "Anna", phone_cell: "+15551234567" })
    assert.deepStrictEqual(r.toShopify, { country: "US" })
    assert.deepStrictEqual(r.conflicts.map((c) => c.field), ["first_name"])
    assert.deepStrictEqual(r.merged, { first_name: "Anna", email: "ann@example.com", phone_cell: "+15551234567", country: "US" })
  })
})
