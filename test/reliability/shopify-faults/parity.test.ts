// Shopify faults from outside (issue 6 §2): with the emulator answering about 10% of Admin API requests
// with 429, 500, 503, THROTTLED, connection resets (before the request is handled, and after a mutation
// was applied with its answer lost) and slow answers, or failing everything for a while (a burst), each
// mission pipeline ends in the same Edge and Shopify state as a fault-free run of the same data. When
// the faults outlast the retry bound, the run fails with an error naming what failed, exits 1, is
// recorded as failed, and the next run (faults gone) completes to the same state: nothing lost, nothing
// doubled.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { MissionPipeline } from "../../mission/support/MissionHarness.js"
import * as Store from "../../mission/support/ShopifyStore.js"
import * as W from "./FaultWorld.js"

/**
 * About 10% of requests, every kind of fault. A 429 asks for a 50 ms wait (Shopify's default of 2 s
 * would only make the test slow); a slow answer takes 200 ms, under the client's request timeout.
 */
const tenPercent = "429:0.02:0.05,500:0.02,503:0.02,reset:0.015,reset-after:0.015,throttled:0.01,slow:0.01:200"
/**
 * Lost answers only, often: retries meet their own first attempt's effect, and some requests lose
 * every answer, so the runner retries the whole step while other records' writes were in flight.
 */
const lostAnswers = "reset-after:0.4"
/**
 * Every kind of fault once, on requests 1 to 8: whatever the pipeline asks first meets a 429, its retry
 * a 500, the next a 502, and so on, so even a pipeline that sends only a few requests meets them all.
 */
const everyKind = "429x1@1:0.05,500x1@2,502x1@3,503x1@4,resetx1@5,throttledx1@6,slowx1@7:200,reset-afterx1@8"
/**
 * Everything fails for a while: 8 requests in a row from the 2nd, more than the client's own 2
 * retries, so the runner's retry of the step carries the run.
 */
const burst = "503x8@2"
/** Faults that outlast every retry, from the first request of the run. */
const outageFromStart = "503x100000@1"
/** Faults that outlast every retry, from the 6th request: some customers are created before. */
const outageMidRun = "503x100000@6"

const sync = { sendInviteOnUpload: true } as const

/** Runs a pipeline that must succeed (with the world's faults, if any). */
type Run = (pipeline: MissionPipeline) => Effect.Effect<unknown>

// --- customers-to-shopify ----------------------------------------------------------------------------

const people = Array.from({ length: 12 }, (_, i) => ({
  first_name: ["Ada", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gia", "Hal", "Ivy", "Jon", "Kai", "Lea"][i]!,
  last_name: `Fault${i}`,
  email: `person${i}@example.com`,
  phone_cell: `(415) 555-01${String(10 + i)}`,
  address1: `${i + 1} Market St`,
  city: "San Francisco",
  state: "CA",
  postal_code: "94105",
  country: "US",
  web_upload: true
}))

/** Edge customers flagged for upload; three of them already have a Shopify account (one by phone only). */
const arrangeUploads = (w: W.World, _run: Run) =>
  Effect.gen(function*() {
    for (const p of people) yield* W.insertCustomer(w, p)
    yield* Store.createCustomer(w.admin, { firstName: "Ada", lastName: "Fault0", email: "PERSON0@example.com" })
    yield* Store.createCustomer(w.admin, { firstName: "Ben", email: "person1@example.com", phone: "+14155550199" })
    yield* Store.createCustomer(w.admin, { firstName: "Cleo", lastName: "Fault2", phone: "+14155550112" })
  })

/** Then staff edit some of them in Edge, and customers edit some on the site. */
const arrangeEdits = (w: W.World) =>
  Effect.gen(function*() {
    yield* w.sql("UPDATE customers SET phone_cell = '(415) 555-0998' WHERE email = 'person3@example.com'")
    yield* w.sql("UPDATE customers SET phone_cell = '(415) 555-0999' WHERE email = 'person4@example.com'")
    yield* w.sql("UPDATE customers SET city = 'Oakland' WHERE email IN ('person5@example.com', 'person6@example.com')")
  })

// --- web-sales-to-edge -------------------------------------------------------------------------------

/** Orders of every shape the money code handles, buyers known to Edge by email or phone and new ones. */
const arrangeOrders = (w: W.World, _run: Run) =>
  Effect.gen(function*() {
    yield* W.insertCustomer(w, { first_name: "Tia", last_name: "Known", email: "tia@example.com" })
    yield* W.insertCustomer(w, { first_name: "Uri", last_name: "Phone", phone_cell: "415-555-0177" })
    const tia = yield* Store.createCustomer(w.admin, { firstName: "Tia", lastName: "Known", email: "tia@example.com" })
    const uri = yield* Store.createCustomer(w.admin, { firstName: "Uri", lastName: "Phone", phone: "+14155550177" })
    const buyers = [tia, uri]
    for (let i = 0; i < 4; i++) {
      buyers.push(yield* Store.createCustomer(w.admin, { firstName: `Buyer${i}`, lastName: "New", email: `buyer${i}@example.com` }))
    }
    for (let i = 0; i < 12; i++) {
      const customerId = buyers[i % buyers.length]!
      const shape = i % 4
      const order = yield* Store.createOrder(w.admin, shape === 0
        ? {
          customerId,
          lines: [{ sku: `RING-${i}`, title: "Gold ring", quantity: 2, price: "12.00", taxes: [[0.1, "2.40"]] }],
          shipping: { price: "5.00", taxes: [[0.1, "0.50"]] },
          paid: { gateway: "manual", amount: "31.90" }
        }
        : shape === 1
        ? {
          customerId,
          taxesIncluded: true,
          lines: [{ sku: `PEND-${i}`, title: "Pendant", quantity: 3, price: "10.00", taxes: [[0.2, "5.00"]] }],
          shipping: { price: "6.00", taxes: [[0.2, "1.00"]] },
          paid: { gateway: "shopify_payments", amount: "36.00" }
        }
        : shape === 2
        ? {
          customerId,
          lines: [
            { sku: `CHAIN-${i}`, title: "Chain", quantity: 1, price: "40.00", taxes: [[0.0825, "2.89"]] },
            { title: "Gift wrap (custom)", quantity: 1, price: "4.99" }
          ],
          discountCode: { code: "SAVE5", amount: "5.00" },
          shipping: { price: "7.50" },
          paid: { gateway: "paypal", amount: "50.38" }
        }
        : {
          customerId,
          lines: [{ sku: `EAR-${i}`, title: "Earrings", quantity: 2, price: "25.00", taxes: [[0.1, "5.00"]] }],
          paid: { gateway: "manual", amount: "55.00" }
        })
      if (shape === 3 && i % 8 === 3) {
        yield* Store.refund(w.admin, order.id, { lines: [{ lineItemId: order.lineItemIds[0]!, quantity: 1 }], amount: "27.50", gateway: "manual" })
      }
    }
  })

// --- customers-from-shopify --------------------------------------------------------------------------

/** Linked customers (uploaded without faults) who then edit their profiles on the site. */
const arrangeSiteEdits = (w: W.World, run: Run) =>
  Effect.gen(function*() {
    for (const p of people.slice(3, 11)) yield* W.insertCustomer(w, p)
    yield* run("customers-to-shopify")
    yield* run("customers-from-shopify")
    // Shopify's updatedAt has second precision: edits in the same second as the last read would look
    // like the version already read.
    yield* Effect.sleep("1100 millis")
    const links = yield* w.sql<{ readonly email: string; readonly shopify_customer_id: string }>(
      "SELECT c.email, l.shopify_customer_id FROM customer_web_links l JOIN customers c ON c.customer_id = l.customer_id ORDER BY c.email"
    )
    for (const [i, link] of links.entries()) {
      if (i % 3 === 0) yield* Store.updateCustomer(w.admin, link.shopify_customer_id, { lastName: `Edited${i}` })
      if (i % 3 === 1) yield* Store.updateCustomer(w.admin, link.shopify_customer_id, { addresses: [{ address1: `${i} Site Ave`, city: "Berkeley", countryCode: "US" }] })
    }
    // One edited on both sides: a conflict, resolved by the policy the same way in every world.
    yield* w.sql("UPDATE customers SET city = 'Alameda' WHERE email = ?", [links[1]!.email])
  })

// --- The scenarios -------------------------------------------------------------------------------

interface Scenario {
  readonly name: string
  /** Arranges the data; pipeline runs it needs go through `run` (under the faults, in a faulty world). */
  readonly arrange: (w: W.World, run: Run) => Effect.Effect<void>
  /** The runs under test, in order (each must succeed when the faults allow). */
  readonly steps: ReadonlyArray<{ readonly pipeline: MissionPipeline; readonly before?: (w: W.World) => Effect.Effect<void> }>
}

const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "customers-to-shopify",
    arrange: arrangeUploads,
    steps: [{ pipeline: "customers-to-shopify" }, { pipeline: "customers-to-shopify", before: arrangeEdits }]
  },
  { name: "web-sales-to-edge", arrange: arrangeOrders, steps: [{ pipeline: "web-sales-to-edge" }] },
  { name: "customers-from-shopify", arrange: arrangeSiteEdits, steps: [{ pipeline: "customers-from-shopify" }] }
]

/** The scenario's end state without faults, computed once per scenario (plain data outlives its world). */
const expectedStates = new Map<string, W.Snapshot>()
const faultFree = (scenario: Scenario) =>
  Effect.gen(function*() {
    const known = expectedStates.get(scenario.name)
    if (known !== undefined) return known
    const w = yield* W.world()
    yield* scenario.arrange(w, (pipeline) => W.succeed(w, pipeline, sync))
    for (const step of scenario.steps) {
      if (step.before !== undefined) yield* step.before(w)
      yield* W.succeed(w, step.pipeline, sync)
    }
    const state = yield* W.snapshot(w)
    assert.isAbove(state.edge.customers.length, 0)
    assert.strictEqual(state.edge.deadLetters.length, 0, "the fault-free run dead-letters nothing")
    expectedStates.set(scenario.name, state)
    return state
  })

/** The scenario's end state with `spec` injected during every run under test. */
const faulty = (scenario: Scenario, spec: string) =>
  Effect.gen(function*() {
    const w = yield* W.world()
    const run = (pipeline: MissionPipeline) => W.withFaults(w, spec, W.succeed(w, pipeline, sync))
    yield* scenario.arrange(w, run)
    for (const step of scenario.steps) {
      if (step.before !== undefined) yield* step.before(w)
      yield* run(step.pipeline)
    }
    const injected = yield* W.faultsInjected(w)
    return { state: yield* W.snapshot(w), injected }
  })

/**
 * Arranges the scenario, runs its first step under `spec` (which must make it fail for good), checks
 * the failure as a person meets it, then runs every step without faults. The world, for its end state.
 */
const outageThenResume = (scenario: Scenario, spec: string) =>
  Effect.gen(function*() {
    const w = yield* W.world()
    yield* scenario.arrange(w, (pipeline) => W.succeed(w, pipeline, sync))
    const first = scenario.steps[0]!
    if (first.before !== undefined) yield* first.before(w)
    const failed = yield* W.withFaults(w, spec, w.run(first.pipeline, sync))
    assert.strictEqual(failed._tag, "Failed")
    if (failed._tag !== "Failed") return w
    assert.strictEqual(failed.exitCode, 1, "exit code 1: the run failed")
    // What `edgesync` prints: the run, the pipeline and the stage, that the retries ran out, and what
    // Shopify answered to which request at which store.
    assert.match(failed.message, new RegExp(`^Run \\S+ of "${first.pipeline}" failed in \\S+ \\(RetriesExhausted\\): .*still failing after`))
    assert.match(failed.message, /Shopify \w+ on http:\/\/127\.0\.0\.1:\d+ failed \(Transport\): HTTP 503 Service Unavailable/)
    const runs = yield* w.sql<{ readonly outcome: string; readonly error_message: string | null }>(
      "SELECT outcome, error_message FROM edgesync_runs WHERE pipeline = ? ORDER BY started_at DESC LIMIT 1",
      [first.pipeline]
    )
    assert.strictEqual(runs[0]?.outcome, "failed", "the run history says failed")
    assert.include(runs[0]?.error_message ?? "", "HTTP 503")
    for (const [i, step] of scenario.steps.entries()) {
      if (i > 0 && step.before !== undefined) yield* step.before(w)
      yield* W.succeed(w, step.pipeline, sync)
    }
    return w
  })

const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0)

const modes: ReadonlyArray<{ readonly name: string; readonly spec: string; readonly check: (injected: Readonly<Record<string, number>>) => void }> = [
  {
    name: "≈10% of requests fail (429, 500, 503, THROTTLED, resets, lost answers, slow)",
    spec: tenPercent,
    check: (injected) => assert.isAbove(total(injected), 0, "faults were injected")
  },
  {
    name: "every kind of fault in turn on the first requests (each retry meets the next kind)",
    spec: everyKind,
    check: (injected) => assert.strictEqual(Object.keys(injected).length, 8, "all eight kinds were injected")
  },
  {
    name: "a burst where every request fails for a while, longer than the client's own retries",
    spec: burst,
    check: (injected) => assert.isAtLeast(injected["503"] ?? 0, 8)
  },
  {
    name: "answers lost after the write was applied (connection reset after handling)",
    spec: lostAnswers,
    check: (injected) => assert.isAbove(injected["reset-after"] ?? 0, 0)
  }
]

for (const scenario of scenarios) {
  describe(`${scenario.name} under Shopify faults`, () => {
    for (const mode of modes) {
      it.scopedLive(`${mode.name}: the same end state as without faults`, () =>
        Effect.gen(function*() {
          const expected = yield* faultFree(scenario)
          const actual = yield* faulty(scenario, mode.spec)
          mode.check(actual.injected)
          assert.deepStrictEqual(actual.state, expected, `faults injected: ${JSON.stringify(actual.injected)}`)
        }), 60_000)
    }

    it.scopedLive("faults that outlast the retry bound: the run fails clearly (exit 1, recorded as failed), the next run completes to the same state", () =>
      Effect.gen(function*() {
        const expected = yield* faultFree(scenario)
        const w = yield* outageThenResume(scenario, outageFromStart)
        assert.deepStrictEqual(yield* W.snapshot(w), expected)
      }), 60_000)
  })
}

describe("customers-to-shopify when Shopify goes down mid-run", () => {
  const scenario = scenarios[0]!
  it.scopedLive("the run fails clearly; the next run ends as without faults: nothing created twice, the customers created before the outage linked as uploads and invited once", () =>
    Effect.gen(function*() {
      const expected = yield* faultFree(scenario)
      const w = yield* outageThenResume(scenario, outageMidRun)
      const actual = yield* W.snapshot(w)
      // Customers created in the batch that failed carry their record's marker tag, so the next run
      // knows them for edgesync's own creates: linked as uploads and invited, as without faults.
      assert.deepStrictEqual(actual, expected)
      const invites = actual.shopify.invites.map((i) => i.customer)
      assert.strictEqual(new Set(invites).size, invites.length, "no invite sent twice")
    }), 60_000)
})
