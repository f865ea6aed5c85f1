// CustomerLookup on MariaDB and SQLite: exact matching after normalization (phone formats in any of the
// three columns, extensions, email case and spaces), never on shared digits, an index that follows edits
// made in Edge behind edgesync's back, deterministic ranking, and whole batches at once.
import { describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { parsePhoneNumberFromString } from "libphonenumber-js"
import { assert } from "vitest"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import * as MatchKey from "../../connectors/edge/MatchKey.js"
import { backends, withEdge } from "./support/EdgeBackends.js"
import { edgeInsertCustomer, edgeUpdateCustomer, pause, query } from "./support/Fixtures.js"

const ids = (result: { readonly candidates: ReadonlyArray<{ readonly customerId: number }> } | undefined) =>
  (result?.candidates ?? []).map((c) => c.customerId)

describe("MatchKey", () => {
  it("normalizes emails and phones, and refuses what is not one", () => {
    assert.deepStrictEqual(MatchKey.email("  John.Smith@Example.COM "), Option.some("john.smith@example.com"))
    assert.deepStrictEqual(MatchKey.email("john smith@example.com"), Option.none())
    assert.deepStrictEqual(MatchKey.email("n/a"), Option.none())
    assert.deepStrictEqual(MatchKey.email(""), Option.none())
    for (const typed of ["(555) 123-4567", "555.123.4567", "+1 555 123 4567", "555-123-4567 ext. 12", "5551234567 x9", "1-555-123-4567"]) {
      assert.deepStrictEqual(MatchKey.phone(typed, "US"), Option.some("+15551234567"), typed)
    }
    assert.deepStrictEqual(MatchKey.phone("123-4567", "US"), Option.none(), "no area code: no key")
    assert.deepStrictEqual(MatchKey.phone("555 123 456", "US"), Option.none())
    assert.deepStrictEqual(MatchKey.phone("020 7946 0958", "GB"), Option.some("+442079460958"))
    assert.deepStrictEqual(MatchKey.phone("call me", "US"), Option.none())
  })

  it("the North American fast path agrees with libphonenumber on a corpus of typed forms", () => {
    const slow = (text: string, country: "US" | "CA" | "GB" | "DE") => {
      const parsed = parsePhoneNumberFromString(text.trim(), { defaultCountry: country, extract: false })
      return parsed !== undefined && parsed.isPossible() ? Option.some(parsed.number) : Option.none()
    }
    const prefixes = ["", "+1", "1", "+1 ", "1-", "1 ", "+1-", "+1.", "(", ")", " ", "-", "."]
    let checked = 0
    for (const area of ["555", "212", "876", "416", "123", "055", "911"]) {
      for (const exchange of ["123", "555", "012"]) {
        for (const prefix of prefixes) {
          for (const sep of [" ", "-", ".", "", "  "]) {
            for (const country of ["US", "CA", "GB", "DE"] as const) {
              for (const text of [`${prefix}${area}${sep}${exchange}${sep}4567`, `${prefix}(${area})${sep}${exchange}${sep}0199`]) {
                assert.deepStrictEqual(MatchKey.phone(text, country), slow(text, country), `${text} (${country})`)
                checked++
              }
            }
          }
        }
      }
    }
    assert.isAbove(checked, 5_000)
  })
})

for (const backend of backends) {
  describe(`CustomerLookup on ${backend.name}`, () => {
    it.scopedLive("matches emails and phones exactly after normalization, in any phone column", () =>
      withEdge(backend, Effect.gen(function*() {
        const byCell = yield* edgeInsertCustomer({ email: "  Ann.Lee@Example.com ", phone_cell: "(555) 123-4567" })
        const byHome = yield* edgeInsertCustomer({ phone_home: "555.222.3333 ext. 4" })
        const byWork = yield* edgeInsertCustomer({ phone_work: "+1 555 444 5555" })
        const noArea = yield* edgeInsertCustomer({ phone_cell: "777-8888" })
        yield* edgeInsertCustomer({ email: "ann.lee@example.co", phone_cell: "555-123-4568" })
        const lookup = yield* CustomerLookup
        const results = yield* lookup.lookup([
          { email: "ann.lee@example.com", phone: null },
          { email: null, phone: "+15551234567" },
          { phone: "555-222-3333" },
          { phone: "(555) 444-5555 x12" },
          { phone: "555-777-8888" },
          { phone: "1234567" },
          { email: "lee@example.com", phone: "+1 555 123 456" },
          { email: "ANN.LEE@EXAMPLE.COM", phone: "555 123 4567" }
        ], { defaultCountry: "US" })
        assert.deepStrictEqual(ids(results[0]), [byCell])
        assert.deepStrictEqual(ids(results[1]), [byCell])
        assert.deepStrictEqual(ids(results[2]), [byHome])
        assert.deepStrictEqual(ids(results[3]), [byWork])
        assert.deepStrictEqual(ids(results[4]), [], "a number typed without area code matches nothing")
        assert.deepStrictEqual(ids(results[5]), [])
        assert.deepStrictEqual(ids(results[6]), [], "sharing digits or a token is not a match")
        const both = results[7]?.candidates[0]
        assert.isTrue(both?.byEmail === true && both.byPhone === true)
        assert.strictEqual(results[7]?.candidates.length, 1)
        assert.strictEqual(noArea > 0, true)
      })))

    it.scopedLive("follows edits made in Edge: found by the new phone, not the old; deleted customers never match", () =>
      withEdge(backend, Effect.gen(function*() {
        const lookup = yield* CustomerLookup
        const id = yield* edgeInsertCustomer({ email: "moved@example.com", phone_cell: "212-555-0101" })
        const gone = yield* edgeInsertCustomer({ email: "gone@example.com" })
        assert.deepStrictEqual(ids((yield* lookup.lookup([{ phone: "+12125550101" }], { defaultCountry: "US" }))[0]), [id])
        yield* pause(5)
        yield* edgeUpdateCustomer(id, { phone_cell: "212-555-0202", email: "Moved.Again@Example.com" })
        const db = yield* EdgeDb
        yield* db.sql`DELETE FROM customers WHERE customer_id = ${gone}`.pipe(Effect.orDie)
        const [oldPhone, newPhone, newEmail, oldEmail, deleted] = yield* lookup.lookup([
          { phone: "(212) 555-0101" },
          { phone: "(212) 555-0202" },
          { email: "moved.again@example.com" },
          { email: "moved@example.com" },
          { email: "gone@example.com" }
        ], { defaultCountry: "US" })
        assert.deepStrictEqual(ids(oldPhone), [])
        assert.deepStrictEqual(ids(newPhone), [id])
        assert.deepStrictEqual(ids(newEmail), [id])
        assert.deepStrictEqual(ids(oldEmail), [])
        assert.deepStrictEqual(ids(deleted), [])
        // A customer inserted with an old updated_at (an import) is still indexed: its id is new.
        const imported = yield* edgeInsertCustomer({ email: "imported@example.com" })
        yield* edgeUpdateCustomer(imported, { updated_at: "2001-01-01 00:00:00.000" })
        assert.deepStrictEqual(ids((yield* lookup.lookup([{ email: "imported@example.com" }], { defaultCountry: "US" }))[0]), [imported])
        const [keys] = yield* query<{ n: number }>("SELECT COUNT(*) AS n FROM edgesync_customer_match_keys WHERE customer_id = ?", [id])
        assert.strictEqual(Number(keys?.n), 2, "old keys replaced, not added")
      })))

    it.scopedLive("ranks shared emails and phones deterministically: both keys, then latest sale, then latest edit, then id", () =>
      withEdge(backend, Effect.gen(function*() {
        const db = yield* EdgeDb
        const household = [
          yield* edgeInsertCustomer({ last_name: "Shared", phone_home: "303-555-0100" }),
          yield* edgeInsertCustomer({ last_name: "Shared", phone_home: "(303) 555-0100" }),
          yield* edgeInsertCustomer({ last_name: "Shared", phone_home: "3035550100", email: "kid@example.com" })
        ]
        yield* db.sql`INSERT INTO sales ${db.sql.insert({
          store_no: 1,
          sale_no: "P1",
          customer_id: household[1]!,
          sale_date: "2025-06-01 12:00:00.000",
          kind: "pos",
          status: "paid",
          currency: "USD",
          subtotal: "10.00",
          discount: "0.00",
          shipping: "0.00",
          tax: "0.00",
          total: "10.00",
          tax_stripped: 0
        })}`.pipe(Effect.orDie)
        const lookup = yield* CustomerLookup
        const [byPhone, byBoth] = yield* lookup.lookup(
          [{ phone: "+1 303 555 0100" }, { email: "KID@example.com", phone: "303.555.0100" }],
          { defaultCountry: "US" }
        )
        assert.strictEqual(ids(byPhone)[0], household[1], "the one with a sale first")
        assert.sameMembers(ids(byPhone), household)
        assert.isTrue(Option.isSome(byPhone!.candidates[0]!.lastSaleAt))
        assert.strictEqual(ids(byBoth)[0], household[2], "matching both keys first")
        assert.strictEqual(byBoth?.candidates.length, 3)
        const again = yield* lookup.lookup([{ phone: "+1 303 555 0100" }], { defaultCountry: "US" })
        assert.deepStrictEqual(ids(again[0]), ids(byPhone), "the same order every time")
      })))

    it.scopedLive("a whole batch in a few queries, and a rebuild for another default country", () =>
      withEdge(backend, Effect.gen(function*() {
        const london = yield* edgeInsertCustomer({ phone_cell: "020 7946 0958", country: "GB" })
        const local = yield* edgeInsertCustomer({ phone_cell: "07700 900123" })
        const lookup = yield* CustomerLookup
        const many = Array.from({ length: 2_500 }, (_, i) => ({ email: `nobody${i}@example.com`, phone: `+1 720 555 ${String(i).padStart(4, "0")}` }))
        const results = yield* lookup.lookup([...many, { phone: "+44 20 7946 0958" }], { defaultCountry: "US" })
        assert.strictEqual(results.length, 2_501)
        assert.deepStrictEqual(ids(results[2_500]), [london], "a customer's own country parses its phones")
        assert.deepStrictEqual(ids((yield* lookup.lookup([{ phone: "+44 7700 900123" }], { defaultCountry: "US" }))[0]), [])
        assert.deepStrictEqual(ids((yield* lookup.lookup([{ phone: "+44 7700 900123" }], { defaultCountry: "GB" }))[0]), [local])
      })))

    it.scopedLive("linked customers by Shopify id and by Edge id", () =>
      withEdge(backend, Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ first_name: "Lin", email: "lin@example.com" })
        const db = yield* EdgeDb
        yield* db.sql`INSERT INTO customer_web_links ${db.sql.insert({
          customer_id: id,
          shopify_customer_id: "gid://shopify/Customer/77",
          link_method: "email",
          linked_at: "2026-01-02 03:04:05.678",
          synced_snapshot: JSON.stringify({ first_name: "Lin", email: "lin@example.com" })
        })}`.pipe(Effect.orDie)
        const lookup = yield* CustomerLookup
        const byGid = yield* lookup.linkedByShopifyIds(["gid://shopify/Customer/77", "gid://shopify/Customer/78"])
        assert.strictEqual(byGid.size, 1)
        const linked = byGid.get("gid://shopify/Customer/77")
        assert.strictEqual(linked?.customerId, id)
        assert.strictEqual(linked?.link.link_method, "email")
        assert.strictEqual(linked?.link.linked_at.toISOString(), "2026-01-02T03:04:05.678Z")
        assert.strictEqual(linked?.link.synced_snapshot?.email, "lin@example.com")
        assert.isNull(linked?.link.synced_snapshot?.phone_cell)
        assert.strictEqual((yield* lookup.linkedByCustomerIds([id])).get(id)?.fields.first_name, "Lin")
        const [result] = yield* lookup.lookup([{ email: "lin@example.com" }], { defaultCountry: "US" })
        assert.deepStrictEqual(Option.getOrUndefined(result!.candidates[0]!.link), { shopifyCustomerId: "gid://shopify/Customer/77", linkMethod: "email" })
      })))
  })
}
