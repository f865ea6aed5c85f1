// Query cost and throttling (FACTS §4), on a manual emulator clock: requested and actual costs against
// the captured table and the recorded requests, the leaky bucket per plan, THROTTLED exactly as
// Shopify sends it, refill over time, a competing consumer draining the bucket, MAX_COST_EXCEEDED.
import { assert, describe, it } from "@effect/vitest"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse, validate } from "graphql"
import { Effect } from "effect"
import { emulatorSchema } from "../../../connectors/shopify/emulator/EmulatorSchema.js"
import * as QueryCost from "../../../connectors/shopify/emulator/QueryCost.js"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import * as VariableCoercion from "../../../connectors/shopify/emulator/VariableCoercion.js"
import { adminClient, rawPost, request } from "./AdminClient.js"
import { recordedDir } from "./CaptureReplay.js"
import { at, num, obj } from "./Json.js"

const start = Date.UTC(2026, 10, 26, 12, 0, 0)

const costOf = (answer: { readonly extensions?: Record<string, unknown> | undefined }) => obj(answer.extensions, "cost")

describe("query cost", () => {
  it("prices documents as the captured table does (FACTS §4)", () => {
    const price = (query: string, variables: Record<string, unknown> = {}) => {
      const doc = parse(query)
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!
      return QueryCost.requested(emulatorSchema, op, new Map(), variables)
    }
    assert.strictEqual(price(`{ customers(first: 1, query: "x") { nodes { id } } }`), 3)
    assert.strictEqual(price(`{ customer(id: "gid://shopify/Customer/1") { id state } }`), 1)
    assert.strictEqual(price(`{ bulkOperation(id: "gid://shopify/BulkOperation/1") { id status url } }`), 1)
    assert.strictEqual(
      price(`mutation { customerCreate(input: {}) { customer { id email defaultEmailAddress { emailAddress } } userErrors { field message } } }`),
      11
    )
    assert.strictEqual(price(`mutation { customerDelete(input: { id: "gid://shopify/Customer/1" }) { deletedCustomerId userErrors { field message } } }`), 10)
    const five = ["a", "b", "c", "d", "e"].map((a) => `${a}: customers(first: 10, query: "x") { nodes { email } }`).join(" ")
    assert.strictEqual(price(`{ ${five} }`), 30)
    // A page of 250 costs 2 + 11 × node cost, not 2 + 250 × node cost.
    assert.strictEqual(price(`query($n: Int!) { customers(first: $n) { nodes { id } } }`, { n: 250 }), 13)
    assert.strictEqual(QueryCost.pageFactor(250), 11)
    assert.isAtMost(QueryCost.pageFactor(100), QueryCost.pageFactor(250))
  })

  it("matches the requestedQueryCost of the recorded requests it can serve", () => {
    const files: Array<string> = []
    const walkDir = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f)
        if (statSync(p).isDirectory()) walkDir(p)
        else files.push(p)
      }
    }
    walkDir(recordedDir)
    const samples: Array<{ readonly query: string; readonly variables: unknown; readonly requested: number }> = []
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) return x.forEach(walk)
      if (typeof x !== "object" || x === null) return
      const o = x as Record<string, unknown>
      const query = o["query"] ?? o["document"]
      const response = o["response"]
      const body = at(response, "body") ?? at(response, "payload") ?? response
      const requested = at(body, "extensions.cost.requestedQueryCost")
      if (typeof query === "string" && typeof requested === "number") samples.push({ query, variables: o["variables"], requested })
      Object.values(o).forEach(walk)
    }
    for (const f of files) walk(JSON.parse(readFileSync(f, "utf8")))
    let matched = 0
    let compared = 0
    const seen = new Set<string>()
    for (const s of samples) {
      const key = `${s.query}\u0000${JSON.stringify(s.variables)}`
      if (seen.has(key)) continue
      seen.add(key)
      let doc
      try {
        doc = parse(s.query)
      } catch {
        continue
      }
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
      if (op === undefined) continue
      // Cheap pre-filter: documents on roots the emulator does not serve are skipped before validating.
      const root = (op.operation === "mutation" ? emulatorSchema.getMutationType() : emulatorSchema.getQueryType())!.getFields()
      if (op.selectionSet.selections.some((sel) => sel.kind === Kind.FIELD && !sel.name.value.startsWith("__") && root[sel.name.value] === undefined)) continue
      if (validate(emulatorSchema, doc).length > 0) continue
      if (op.selectionSet.selections.some((sel) => sel.kind === Kind.FIELD && sel.name.value.startsWith("__"))) continue
      const fragments = new Map<string, FragmentDefinitionNode>()
      for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
      const coerced = VariableCoercion.coerce(emulatorSchema, op, (typeof s.variables === "object" && s.variables !== null ? s.variables : {}) as Record<string, unknown>)
      const values = coerced._tag === "Ok" ? coerced.values : {}
      compared++
      if (QueryCost.requested(emulatorSchema, op, fragments, values) === s.requested) matched++
    }
    assert.isAtLeast(compared, 300, "recorded requests the emulator's schema can serve")
    assert.isAtLeast(matched / compared, 0.9, `${matched}/${compared} requested costs match the captures`)
  })
})

describe("leaky bucket and throttling", () => {
  const mutation = `mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id } userErrors { field message } } }`

  it.scoped("throttles once the bucket cannot hold the requested cost, exactly as Shopify answers, and refills over time", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, plan: { restoreRate: 10, maximumAvailable: 30 } })
      const client = adminClient(emulator)
      for (let i = 0; i < 3; i++) {
        const ok = yield* request(client, mutation, { input: { email: `c${i}@example.com` } })
        assert.deepStrictEqual(obj(costOf(ok), "throttleStatus"), { maximumAvailable: 30, currentlyAvailable: 30 - 10 * (i + 1), restoreRate: 10 })
      }
      const raw = yield* rawPost(emulator.graphqlUrl, { query: mutation, variables: { input: { email: "c4@example.com" } } }, { "x-shopify-access-token": emulator.token })
      assert.strictEqual(raw.status, 200)
      assert.deepStrictEqual(raw.json, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 30, currentlyAvailable: 0, restoreRate: 10 } } }
      })
      // The client does not retry THROTTLED (FACTS §8.4): it surfaces it as GraphQL errors.
      const viaClient = yield* request(client, mutation, { input: { email: "c4@example.com" } })
      assert.strictEqual(at(viaClient.errors, "graphQLErrors.0.extensions.code"), "THROTTLED")
      assert.strictEqual(num(yield* emulator.control.advanceClock(999)), start + 999)
      const stillThrottled = yield* request(client, mutation, { input: { email: "c4@example.com" } })
      assert.strictEqual(at(stillThrottled.errors, "graphQLErrors.0.extensions.code"), "THROTTLED")
      yield* emulator.control.advanceClock(1)
      const afterRefill = yield* request(client, mutation, { input: { email: "c4@example.com" } })
      assert.isUndefined(afterRefill.errors)
      const counters = yield* emulator.control.counters
      assert.strictEqual(counters.throttled, 3)
      assert.strictEqual(counters.operations["customerCreate"], 4)
      assert.strictEqual(counters.costSpent, 40)
      // Nothing was written by the throttled requests.
      assert.strictEqual((yield* emulator.control.customers).length, 4)
    }))

  it.scoped("refunds the difference between requested and actual cost", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, seedCustomers: 3 })
      const answer = yield* request(adminClient(emulator), `{ customers(first: 250) { nodes { id } } }`)
      const cost = costOf(answer)
      assert.strictEqual(cost["requestedQueryCost"], 13)
      assert.strictEqual(cost["actualQueryCost"], 4)
      assert.strictEqual(at(cost, "throttleStatus.currentlyAvailable"), 2000 - 4)
    }))

  it.scoped("a competing consumer of the same bucket throttles us until it refills", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const client = adminClient(emulator)
      const drained = yield* emulator.control.drainBucket(1995)
      assert.strictEqual(drained.throttleStatus.currentlyAvailable, 5)
      const throttled = yield* request(client, mutation, { input: { email: "x@example.com" } })
      assert.strictEqual(at(throttled.errors, "graphQLErrors.0.extensions.code"), "THROTTLED")
      assert.strictEqual(at(throttled.extensions, "cost.throttleStatus.currentlyAvailable"), 5)
      // (requested − available) / restoreRate = (10 − 5) / 100 s.
      yield* emulator.control.advanceClock(50)
      assert.isUndefined((yield* request(client, mutation, { input: { email: "x@example.com" } })).errors)
    }))

  it.scoped("plans set the restore rate and bucket size (standard, advanced, plus, enterprise)", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start }, plan: "advanced" })
      const client = adminClient(emulator)
      const status = (answer: { readonly extensions?: Record<string, unknown> | undefined }) => obj(costOf(answer), "throttleStatus")
      assert.deepStrictEqual(status(yield* request(client, `{ shop { name } }`)), { maximumAvailable: 4000, currentlyAvailable: 3999, restoreRate: 200 })
      for (const [plan, max, rate] of [["standard", 2000, 100], ["plus", 20000, 1000], ["enterprise", 40000, 2000]] as const) {
        yield* emulator.control.setPlan(plan)
        assert.deepStrictEqual(status(yield* request(client, `{ shop { name } }`)), { maximumAvailable: max, currentlyAvailable: max - 1, restoreRate: rate })
      }
    }))

  it.scoped("refuses a query over 1000 points with MAX_COST_EXCEEDED before running it", () =>
    Effect.gen(function*() {
      const emulator = yield* ShopifyEmulator.start({ clock: { manualStart: start } })
      const query =
        `{ orders(first: 250) { nodes { id customer { orders(first: 250) { nodes { lineItems(first: 250) { nodes { id variant { id } } } } } } } } }`
      const raw = yield* rawPost(emulator.graphqlUrl, { query }, { "x-shopify-access-token": emulator.token })
      assert.strictEqual(raw.status, 200)
      const error = obj(raw.json, "errors.0")
      const cost = num(error, "extensions.cost")
      assert.isAbove(cost, 1000)
      assert.strictEqual(at(error, "extensions.code"), "MAX_COST_EXCEEDED")
      assert.strictEqual(at(error, "extensions.maxCost"), 1000)
      assert.match(String(error["message"]), new RegExp(`^Query cost is ${cost}, which exceeds the single query max cost limit \\(1000\\)\\.`))
      assert.isUndefined(at(raw.json, "data"))
      const counters = yield* emulator.control.counters
      assert.strictEqual(counters.maxCostExceeded, 1)
      assert.strictEqual(counters.throttleStatus.currentlyAvailable, 2000)
    }))
})
