// Hostile and broken customers both ways (issue 6 §3), on MariaDB and the emulator. Edge rows staff could
// type (every field empty, emails with spaces or Unicode, phones with letters, the longest names the
// columns hold, right-to-left scripts and emoji, SQL and shell metacharacters, NUL bytes) go through
// customers-to-shopify in one run; Shopify-side edits Edge cannot hold come back through
// customers-from-shopify. Each case is asserted on its own: created in Shopify as Shopify stores it, or
// dead-lettered with Shopify's or Edge's reason; the other rows of the run land; counts add up; a row
// fixed in Edge lands once.
import { layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { assert } from "vitest"
import type { RunSummary } from "../../../core/RunSummary.js"
import * as H from "../../mission/support/MissionHarness.js"
import * as Store from "../../mission/support/ShopifyStore.js"
import * as X from "./support/Hostile.js"

interface ShopifyView {
  readonly id: string
  readonly firstName: string | null
  readonly lastName: string | null
  readonly email: string | null
  readonly phone: string | null
  readonly addresses: ReadonlyArray<Record<string, unknown>>
}

type Expect =
  | { readonly _tag: "Created"; readonly check: (shopify: ShopifyView, actions: RunSummary["counts"]["actions"]) => void }
  | { readonly _tag: "DeadLettered"; readonly reason: ReadonlyArray<string> }

interface CustomerCase {
  readonly name: string
  readonly row: H.EdgeCustomerRow
  readonly expect: Expect
}

const created = (check: (shopify: ShopifyView, actions: RunSummary["counts"]["actions"]) => void): Expect => ({ _tag: "Created", check })
const deadLettered = (...reason: ReadonlyArray<string>): Expect => ({ _tag: "DeadLettered", reason })

const meta = X.metacharacters

const cases: ReadonlyArray<CustomerCase> = [
  {
    name: "every field empty (NULL)",
    row: {},
    expect: deadLettered("refused the input", "A name, phone number, or email address must be present")
  },
  {
    name: "every field an empty string",
    row: { first_name: "", last_name: "", company: "", email: "", phone_cell: "", phone_home: "", phone_work: "", address1: "", city: "", state: "", postal_code: "", country: "" },
    expect: deadLettered("refused the input", "A name, phone number, or email address must be present")
  },
  {
    name: "only whitespace in the name, a padded mixed-case email",
    row: { first_name: "  \t ", email: "  Padded.Case@Example.COM  " },
    expect: created((s) => assert.deepStrictEqual([s.firstName, s.email], [null, "padded.case@example.com"]))
  },
  {
    // Shopify strips whitespace inside an email (FACTS: email normalization); Edge keeps what staff typed.
    name: "an email with spaces inside",
    row: { first_name: "Spacey", email: "john smith@example.com" },
    expect: created((s) => assert.strictEqual(s.email, "johnsmith@example.com"))
  },
  {
    name: "an email with Unicode",
    row: { first_name: "José", email: "josé@exämple.com" },
    expect: deadLettered("refused the input", "email: Email is invalid")
  },
  {
    name: "a phone with letters (the only contact but the name)",
    row: { first_name: "Lettered", phone_cell: "555-CALL-NOW" },
    expect: created((s, actions) => {
      assert.deepStrictEqual([s.firstName, s.phone], ["Lettered", null], "created without the phone Shopify cannot take")
      assert.isAtLeast(actions["phone-dropped"] ?? 0, 1)
    })
  },
  {
    name: "a phone that is too short to be one",
    row: { first_name: "Short", phone_home: "12", email: "short.phone@example.com" },
    expect: created((s) => assert.deepStrictEqual([s.email, s.phone], ["short.phone@example.com", null]))
  },
  {
    name: "the longest names, company and address the Edge columns hold",
    row: { first_name: "F".repeat(100), last_name: "L".repeat(100), company: "C".repeat(255), address1: "A".repeat(255), city: "Y".repeat(100), email: "longest@example.com" },
    expect: created((s) => {
      assert.deepStrictEqual([s.firstName, s.lastName], ["F".repeat(100), "L".repeat(100)])
      assert.deepStrictEqual([s.addresses[0]?.["company"], s.addresses[0]?.["address1"], s.addresses[0]?.["city"]], ["C".repeat(255), "A".repeat(255), "Y".repeat(100)])
    })
  },
  {
    name: "names in right-to-left scripts and emoji",
    row: { first_name: X.rtlAndEmoji.first, last_name: X.rtlAndEmoji.last, city: "תל אביב", email: "rtl@example.com" },
    expect: created((s) => {
      assert.deepStrictEqual([s.firstName, s.lastName], [X.rtlAndEmoji.first, X.rtlAndEmoji.last])
      assert.strictEqual(s.addresses[0]?.["city"], "תל אביב")
    })
  },
  {
    name: "SQL and shell metacharacters in every text field",
    row: {
      first_name: meta.slice(0, 100), last_name: `O'Brien ${meta}`.slice(0, 100), company: meta, address1: meta, city: meta.slice(0, 100),
      state: meta.slice(0, 100), postal_code: "'; --", email: "o'brien+tag@example.com"
    },
    expect: created((s) => {
      assert.deepStrictEqual([s.firstName, s.lastName, s.email], [meta.slice(0, 100).trim(), `O'Brien ${meta}`.slice(0, 100).trim(), "o'brien+tag@example.com"])
      assert.deepStrictEqual([s.addresses[0]?.["company"], s.addresses[0]?.["address1"]], [meta.trim(), meta.trim()])
    })
  },
  {
    name: "a NUL byte in a name",
    row: { first_name: "Nu\u0000ll", email: "nul@example.com" },
    expect: created((s) => assert.deepStrictEqual([s.firstName, s.email], ["Nu\u0000ll", "nul@example.com"]))
  },
  {
    name: "a country code that is not one and a postal code of punctuation",
    row: { first_name: "Nowhere", email: "nowhere@example.com", address1: "1 Main St", city: "Springfield", country: "ZZ", postal_code: "!!!!" },
    expect: created((s) => {
      assert.deepStrictEqual([s.addresses[0]?.["address1"], s.addresses[0]?.["countryCode"], s.addresses[0]?.["zip"]], ["1 Main St", null, "!!!!"])
    })
  }
]

interface Corpus {
  readonly m: H.Mission
  readonly ids: ReadonlyMap<string, number>
  readonly good: ReadonlyArray<number>
  readonly summary: RunSummary
  readonly letters: ReadonlyArray<X.DeadLetterRow>
}

class CustomersCorpus extends Context.Tag("test/CustomersCorpus")<CustomersCorpus, Corpus>() {}

const corpus = Layer.scoped(
  CustomersCorpus,
  Effect.gen(function*() {
    const m = yield* H.mission(yield* H.mariadbUrl)
    const ids = new Map<string, number>()
    const good: Array<number> = []
    for (const [i, c] of cases.entries()) {
      good.push(yield* H.insertCustomer(m, { first_name: `Good${i}`, email: `good${i}@example.com`, web_upload: true }))
      ids.set(c.name, yield* H.insertCustomer(m, { ...c.row, web_upload: true }))
    }
    const summary = yield* Effect.orDie(m.run("customers-to-shopify"))
    const letters = yield* X.deadLetters(m, "customers-to-shopify")
    return { m, ids, good, summary, letters }
  })
)

const linkOf = (m: H.Mission, customerId: number) =>
  Effect.map(
    m.sql<{ readonly shopify_customer_id: string }>("SELECT shopify_customer_id FROM customer_web_links WHERE customer_id = ?", [customerId]),
    (rows) => Option.fromNullable(rows[0]?.shopify_customer_id)
  )

const shopifyCustomer = (m: H.Mission, gid: string) =>
  Effect.map(Effect.orDie(m.emulator.control.customers), (all) => (all as ReadonlyArray<ShopifyView>).find((c) => c.id === gid))

layer(corpus, { excludeTestServices: true, timeout: "120 seconds" })("customers: hostile and broken contacts", (it) => {
  it.effect("customers-to-shopify succeeds and accounts for every row it read", () =>
    Effect.gen(function*() {
      const { good, letters, summary } = yield* CustomersCorpus
      X.accountedFor(summary, "upload run")
      const dead = cases.filter((c) => c.expect._tag === "DeadLettered").length
      assert.deepStrictEqual([summary.counts.read, summary.counts.deadLettered], [cases.length + good.length, dead], JSON.stringify(summary.counts))
      assert.strictEqual(letters.length, dead)
    }))

  it.effect("every good row uploaded beside the hostile ones is created and linked", () =>
    Effect.gen(function*() {
      const { good, m } = yield* CustomersCorpus
      for (const [i, id] of good.entries()) {
        const link = yield* linkOf(m, id)
        assert.isTrue(Option.isSome(link), `good ${i} linked`)
        assert.strictEqual((yield* shopifyCustomer(m, Option.getOrThrow(link)))?.email, `good${i}@example.com`)
      }
    }))

  for (const c of cases) {
    it.effect(`to Shopify: ${c.name}`, () =>
      Effect.gen(function*() {
        const { ids, letters, m, summary } = yield* CustomersCorpus
        const id = ids.get(c.name)!
        const link = yield* linkOf(m, id)
        const mine = letters.filter((l) => l.record_key === String(id))
        if (c.expect._tag === "Created") {
          assert.deepStrictEqual(mine, [], `${c.name}: no dead letter`)
          assert.isTrue(Option.isSome(link), `${c.name}: linked`)
          const s = yield* shopifyCustomer(m, Option.getOrThrow(link))
          assert.isDefined(s, `${c.name}: in Shopify`)
          c.expect.check(s!, summary.counts.actions)
        } else {
          assert.isTrue(Option.isNone(link), `${c.name}: not linked`)
          assert.strictEqual(mine.length, 1, `${c.name}: one dead letter`)
          assert.strictEqual(mine[0]!.status, "pending")
          for (const words of c.expect.reason) assert.include(mine[0]!.message, words, c.name)
          // The message names the Edge customer it is about.
          assert.include(mine[0]!.message, `record ${id}`, c.name)
        }
        // Whatever became of it, Edge still holds what staff typed.
        const row = (yield* m.sql<Record<string, unknown>>("SELECT first_name, email FROM customers WHERE customer_id = ?", [id]))[0]!
        assert.deepStrictEqual([row["first_name"] ?? null, row["email"] ?? null], [c.row.first_name ?? null, c.row.email ?? null], `${c.name}: Edge row untouched`)
      }))
  }

  it.effect("a second upload run creates nobody twice; the dead letters stay as they were", () =>
    Effect.gen(function*() {
      const { letters, m } = yield* CustomersCorpus
      const before = (yield* Effect.orDie(m.emulator.control.customers)).length
      // The first run cleared the upload flags, which counts as an edit in Edge: one more pass settles it.
      const second = yield* Effect.orDie(m.run("customers-to-shopify"))
      X.accountedFor(second, "second upload run")
      const third = yield* Effect.orDie(m.run("customers-to-shopify"))
      X.accountedFor(third, "third upload run")
      assert.strictEqual(third.counts.written, 0, JSON.stringify(third.counts))
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.customers)).length, before)
      assert.strictEqual((yield* X.deadLetters(m, "customers-to-shopify")).length, letters.length)
    }))

  it.effect("fixed in Edge: the rows Shopify refused are uploaded once, and their dead letters retire", () =>
    Effect.gen(function*() {
      const { ids, m } = yield* CustomersCorpus
      const unicode = ids.get("an email with Unicode")!
      const empty = ids.get("every field empty (NULL)")!
      yield* m.sql("UPDATE customers SET email = 'jose@example.com' WHERE customer_id = ?", [unicode])
      yield* m.sql("UPDATE customers SET first_name = 'Now', last_name = 'Named' WHERE customer_id = ?", [empty])
      const before = (yield* Effect.orDie(m.emulator.control.customers)).length
      const retried = yield* X.replay(m, "customers-to-shopify", "all")
      X.accountedFor(retried, "retry after the fix")
      const run = yield* Effect.orDie(m.run("customers-to-shopify"))
      X.accountedFor(run, "run after the fix")
      const jose = yield* shopifyCustomer(m, Option.getOrThrow(yield* linkOf(m, unicode)))
      assert.deepStrictEqual([jose?.firstName, jose?.email], ["José", "jose@example.com"])
      const named = yield* shopifyCustomer(m, Option.getOrThrow(yield* linkOf(m, empty)))
      assert.deepStrictEqual([named?.firstName, named?.lastName], ["Now", "Named"])
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.customers)).length, before + 2, "each created once")
      const letters = yield* X.deadLetters(m, "customers-to-shopify")
      for (const id of [unicode, empty]) {
        assert.deepStrictEqual(letters.filter((l) => l.record_key === String(id)).map((l) => l.status), ["replayed"], `dead letter of ${id}`)
      }
      // Nothing more to do, however often it runs or retries.
      const again = yield* X.replay(m, "customers-to-shopify", "all")
      X.accountedFor(again, "second retry")
      const last = yield* Effect.orDie(m.run("customers-to-shopify"))
      assert.strictEqual(last.counts.written, 0, JSON.stringify(last.counts))
      assert.strictEqual((yield* Effect.orDie(m.emulator.control.customers)).length, before + 2)
    }))

  it.effect("from Shopify: a name longer than Edge holds is dead-lettered; metacharacters and RTL land verbatim", () =>
    Effect.gen(function*() {
      const { good, m } = yield* CustomersCorpus
      // Let the pull see these edits as new versions (Shopify's updatedAt has second precision).
      yield* Effect.sleep("1100 millis")
      const first = yield* Effect.orDie(m.run("customers-from-shopify"))
      X.accountedFor(first, "first pull")
      const [longId, metaId, rtlId] = [good[0]!, good[1]!, good[2]!]
      const gid = (id: number) => Effect.map(linkOf(m, id), Option.getOrThrow)
      yield* Store.updateCustomer(m.admin, yield* gid(longId), { firstName: "G".repeat(200) })
      yield* Store.updateCustomer(m.admin, yield* gid(metaId), { lastName: `O'Brien ${meta}`.slice(0, 100).trim() })
      yield* Store.updateCustomer(m.admin, yield* gid(rtlId), { firstName: X.rtlAndEmoji.first, lastName: X.rtlAndEmoji.last })
      const pulled = yield* Effect.orDie(m.run("customers-from-shopify"))
      X.accountedFor(pulled, "pull of hostile edits")
      const letters = yield* X.deadLetters(m, "customers-from-shopify")
      const longGid = yield* gid(longId)
      const letter = X.deadLetterFor(letters, longGid, "200-character name")
      assert.include(letter.message, `refused Edge customer ${longId}: first_name is 200 characters long; the column holds 100`)
      // Fixed where it was made: the shorter name arrives with the next run.
      yield* Effect.sleep("1100 millis")
      yield* Store.updateCustomer(m.admin, longGid, { firstName: "Gwen" })
      const fix = yield* Effect.orDie(m.run("customers-from-shopify"))
      X.accountedFor(fix, "pull of the fix")
      assert.strictEqual(fix.counts.written, 1, JSON.stringify(fix.counts))
      // The letter holds the refused version itself: retried, it is seen to be superseded (Shopify's
      // customer changed since) and retired without writing anything; Edge keeps the fix.
      const retried = yield* X.replay(m, "customers-from-shopify", "all")
      X.accountedFor(retried, "retry of the old version")
      const again = X.deadLetterFor(yield* X.deadLetters(m, "customers-from-shopify"), longGid, "old version")
      assert.deepStrictEqual([again.status, retried.counts.written, retried.counts.skipped], ["replayed", 0, 1])
      const rows = yield* m.sql<Record<string, unknown>>("SELECT customer_id, first_name, last_name FROM customers WHERE customer_id IN (?, ?, ?) ORDER BY customer_id", [longId, metaId, rtlId])
      assert.deepStrictEqual(rows.map((r) => [r["first_name"], r["last_name"]]), [
        ["Gwen", null],
        ["Good1", `O'Brien ${meta}`.slice(0, 100).trim()],
        [X.rtlAndEmoji.first, X.rtlAndEmoji.last]
      ])
    }))
})
