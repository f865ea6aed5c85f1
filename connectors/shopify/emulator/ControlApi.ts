// The emulator's control endpoints under /_emulator/ (outside /admin/api): seed data, read the shop
// back, read counters, change the plan, the bucket, faults, search lag, the clock and bulk behaviour,
// and reset. They take the same X-Shopify-Access-Token as the Admin API. Bulk result files under
// /_emulator/bulk-results/ need no token: like Shopify's signed storage URLs, the URL is the secret.
import { Effect, HashMap, Option, Ref } from "effect"
import type { HttpOutcome, HttpRequest } from "./AdminApi.js"
import * as BulkOperationState from "./BulkOperationState.js"
import * as CustomerMutations from "./CustomerMutations.js"
import { formatDateTime } from "./EmulatorSchema.js"
import * as EmulatorState from "./EmulatorState.js"
import * as FaultSpec from "./FaultSpec.js"
import * as Gid from "./Gid.js"
import * as LeakyBucket from "./LeakyBucket.js"
import * as Money from "./Money.js"
import * as Plan from "./Plan.js"
import * as Seed from "./Seed.js"
import * as SeededRandom from "./SeededRandom.js"
import * as StoreModel from "./StoreModel.js"

const respond = (status: number, body: unknown, contentType = "application/json; charset=utf-8"): HttpOutcome => ({
  _tag: "Respond",
  status,
  headers: { "content-type": contentType },
  body: typeof body === "string" ? body : JSON.stringify(body),
  delayMillis: 0,
  dropResponse: false
})

const bad = (message: string) => respond(400, { error: message })

type Json = Readonly<Record<string, unknown>>

const bodyOf = (request: HttpRequest): Json => {
  if (request.body.trim().length === 0) return {}
  try {
    const parsed: unknown = JSON.parse(request.body)
    return typeof parsed === "object" && parsed !== null ? parsed as Json : {}
  } catch {
    return {}
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined)

/** How the control API shows a customer: the stored fields, ids as gids, times as ISO strings. */
export const customerJson = (data: StoreModel.StoreData, c: StoreModel.Customer) => ({
  id: Gid.make("Customer", c.id),
  firstName: c.firstName,
  lastName: c.lastName,
  displayName: CustomerMutations.displayName(c),
  email: c.email,
  phone: c.phone,
  state: c.state,
  tags: c.tags,
  note: c.note,
  locale: c.locale,
  addresses: c.addresses,
  defaultAddressId: c.defaultAddressId === null ? null : Gid.customerAddress(c.defaultAddressId),
  numberOfOrders: StoreModel.ordersOfCustomer(data, c.id).length,
  createdAt: formatDateTime(c.createdAt),
  updatedAt: formatDateTime(c.updatedAt)
})

export const orderJson = (o: StoreModel.Order) => ({
  id: Gid.make("Order", o.id),
  name: o.name,
  email: o.email,
  customerId: o.customerId === null ? null : Gid.make("Customer", o.customerId),
  currencyCode: o.currency,
  presentmentCurrencyCode: o.presentmentCurrency,
  taxesIncluded: o.taxesIncluded,
  financialStatus: o.totals.financialStatus,
  fulfillmentStatus: o.fulfillmentStatus,
  subtotal: Money.format(o.totals.subtotal.shop),
  totalTax: Money.format(o.totals.totalTax.shop),
  totalPrice: Money.format(o.totals.totalPrice.shop),
  currentTotalPrice: Money.format(o.totals.currentTotal.shop),
  totalRefunded: Money.format(o.totals.refunded.shop),
  lineItemCount: o.lineItems.length,
  refundCount: o.refunds.length,
  cancelledAt: o.cancelledAt === null ? null : formatDateTime(o.cancelledAt),
  processedAt: formatDateTime(o.processedAt),
  createdAt: formatDateTime(o.createdAt),
  updatedAt: formatDateTime(o.updatedAt)
})

const countersJson = (state: EmulatorState.EmulatorState) =>
  Effect.gen(function*() {
    const counters = yield* Ref.get(state.counters)
    const now = yield* state.clock.now
    const bucket = LeakyBucket.refill(yield* Ref.get(state.bucket), now)
    return { ...counters, throttleStatus: LeakyBucket.throttleStatus(bucket), plan: bucket.limits.name }
  })

export const handle = (state: EmulatorState.EmulatorState, request: HttpRequest): Effect.Effect<HttpOutcome> =>
  Effect.gen(function*() {
    const path = request.path.replace(/\/+$/, "")
    const results = /^\/_emulator\/bulk-results\/([0-9a-f]+)(-partial)?\.jsonl$/.exec(path)
    if (results !== null && request.method === "GET") {
      const data = yield* Ref.get(state.data)
      const settings = yield* Ref.get(state.settings)
      const now = yield* state.clock.now
      const op = data.bulkOperations.find((b) => b.resultKey === results[1])
      if (op === undefined) return respond(404, "<Error><Code>NoSuchKey</Code></Error>", "application/xml")
      const status = BulkOperationState.view(op, now, settings.bulk, "").status
      if (status === "EXPIRED") {
        return respond(400, "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>", "application/xml")
      }
      if (results[2] !== undefined) return respond(200, BulkOperationState.partialResult(op, op.failure?.atFraction ?? 0), "application/jsonl")
      if (status !== "COMPLETED") return respond(404, "<Error><Code>NoSuchKey</Code></Error>", "application/xml")
      const body = op.result.body()
      if (body._tag === "Text") return respond(200, body.text, "application/jsonl")
      return { ...respond(200, "", "application/jsonl"), stream: { open: body.open, length: op.result.bytes } }
    }
    if (request.headers["x-shopify-access-token"] !== state.token) {
      return respond(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" })
    }
    const body = bodyOf(request)
    const route = `${request.method} ${path}`
    switch (route) {
      case "GET /_emulator/health":
        return respond(200, { ok: true, url: yield* Ref.get(state.baseUrl) })
      case "GET /_emulator/state": {
        const data = yield* Ref.get(state.data)
        const settings = yield* Ref.get(state.settings)
        return respond(200, {
          customers: HashMap.size(data.customers),
          orders: HashMap.size(data.orders),
          invites: data.invites.length,
          bulkOperations: data.bulkOperations.length,
          plan: settings.plan,
          searchLagMillis: settings.searchLagMillis,
          dateGranularity: settings.dateGranularity,
          paginationLimit: settings.paginationLimit,
          faults: FaultSpec.render(settings.faults),
          bulk: settings.bulk,
          now: formatDateTime(yield* state.clock.now),
          manualClock: state.clock.manual
        })
      }
      case "GET /_emulator/customers": {
        const data = yield* Ref.get(state.data)
        const all = [...HashMap.values(data.customers)].map((e) => e.current).sort((a, b) => a.id - b.id)
        return respond(200, all.map((c) => customerJson(data, c)))
      }
      case "GET /_emulator/orders": {
        const data = yield* Ref.get(state.data)
        const all = [...HashMap.values(data.orders)].map((e) => e.current).sort((a, b) => a.id - b.id)
        return respond(200, all.map(orderJson))
      }
      case "GET /_emulator/invites": {
        const data = yield* Ref.get(state.data)
        return respond(200, data.invites.map((i) => ({
          customerId: Gid.make("Customer", i.customerId),
          to: i.to,
          subject: i.subject,
          sentAt: formatDateTime(i.sentAt)
        })))
      }
      case "GET /_emulator/counters":
        return respond(200, yield* countersJson(state))
      case "POST /_emulator/counters/reset":
        yield* Ref.set(state.counters, EmulatorState.emptyCounters)
        return respond(200, yield* countersJson(state))
      case "POST /_emulator/seed": {
        const customers = num(body["customers"]) ?? 0
        const orders = num(body["orders"]) ?? 0
        const seed = num(body["seed"]) ?? state.seed
        const settings = yield* Ref.get(state.settings)
        const now = yield* state.clock.now
        const result = yield* state.lock.withPermits(1)(Ref.modify(state.data, (data) => {
          const withCustomers = Seed.seedCustomers(data, customers, seed, settings.shop, now)
          const withOrders = Seed.seedOrders(withCustomers.data, orders, seed, settings.shop, now)
          return [{ customers: withCustomers.customers, orders: withOrders.orders }, withOrders.data] as const
        }))
        return respond(200, result)
      }
      case "POST /_emulator/plan": {
        const name = body["plan"]
        const restoreRate = num(body["restoreRate"])
        const maximumAvailable = num(body["maximumAvailable"])
        const limits = typeof name === "string" && name in Plan.plans
          ? Plan.plans[name as Plan.PlanName]
          : restoreRate !== undefined && maximumAvailable !== undefined && restoreRate > 0 && maximumAvailable > 0
          ? Plan.custom(restoreRate, maximumAvailable)
          : undefined
        if (limits === undefined) return bad("expected {plan: standard|advanced|plus|enterprise} or {restoreRate, maximumAvailable}")
        const now = yield* state.clock.now
        yield* Ref.update(state.settings, (s) => ({ ...s, plan: limits }))
        yield* Ref.set(state.bucket, LeakyBucket.full(limits, now))
        return respond(200, yield* countersJson(state))
      }
      case "POST /_emulator/bucket": {
        const now = yield* state.clock.now
        const drain = num(body["drain"])
        const available = num(body["available"])
        yield* Ref.update(state.bucket, (b) =>
          available !== undefined
            ? { ...LeakyBucket.refill(b, now), available: Math.max(0, Math.min(b.limits.maximumAvailable, available)) }
            : LeakyBucket.drain(b, drain ?? 0, now)
        )
        return respond(200, yield* countersJson(state))
      }
      case "POST /_emulator/faults": {
        const spec = typeof body["spec"] === "string" ? body["spec"] : ""
        const rules = FaultSpec.parse(spec)
        if (rules instanceof FaultSpec.FaultSpecError) return bad(rules.message)
        yield* Ref.update(state.settings, (s) => ({ ...s, faults: rules }))
        // Fault decisions restart from the seed, so a test sees the same sequence every time.
        yield* Ref.set(state.faults, { random: SeededRandom.make(state.seed ^ 0x5eed), requestNumber: 0 })
        return respond(200, { spec: FaultSpec.render(rules) })
      }
      case "DELETE /_emulator/faults":
        yield* Ref.update(state.settings, (s) => ({ ...s, faults: [] }))
        return respond(200, { spec: "" })
      case "POST /_emulator/search-lag": {
        const millis = num(body["millis"])
        if (millis === undefined || millis < 0) return bad("expected {millis: number >= 0}")
        yield* Ref.update(state.settings, (s) => ({ ...s, searchLagMillis: millis }))
        return respond(200, { searchLagMillis: millis })
      }
      case "GET /_emulator/clock":
        return respond(200, { now: formatDateTime(yield* state.clock.now), nowMillis: yield* state.clock.now, manual: state.clock.manual })
      case "POST /_emulator/clock": {
        const millis = num(body["advanceMillis"]) ?? 0
        const moved = yield* Effect.either(state.clock.advance(millis))
        if (moved._tag === "Left") return respond(409, { error: moved.left.message })
        return respond(200, { now: formatDateTime(yield* state.clock.now), nowMillis: yield* state.clock.now, manual: true })
      }
      case "POST /_emulator/bulk": {
        const failNext = body["failNext"] as Json | undefined
        const now = yield* state.clock.now
        if (failNext !== undefined) {
          const errorCode = String(failNext["errorCode"] ?? "INTERNAL_SERVER_ERROR")
          if (!["ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT"].includes(errorCode)) return bad(`unknown bulk errorCode ${errorCode}`)
          const atFraction = Math.max(0, Math.min(1, num(failNext["atFraction"]) ?? 0.5))
          yield* Ref.update(state.data, (d) => ({ ...d, bulkFailNext: { errorCode, atFraction } }))
        }
        const expire = body["expire"]
        if (expire !== undefined) {
          const id = typeof expire === "string" ? Option.getOrUndefined(Gid.idOf(expire, "BulkOperation")) : undefined
          yield* Ref.update(state.data, (d) => ({
            ...d,
            version: d.version + 1,
            bulkOperations: d.bulkOperations.map((op) => (id === undefined || op.id === id) && op.finishesAt <= now ? { ...op, expired: true } : op)
          }))
        }
        const durationMillis = num(body["durationMillis"])
        const concurrency = num(body["concurrency"])
        const resultTtlMillis = num(body["resultTtlMillis"])
        yield* Ref.update(state.settings, (s) => ({
          ...s,
          bulk: {
            durationMillis: durationMillis ?? s.bulk.durationMillis,
            concurrency: concurrency ?? s.bulk.concurrency,
            resultTtlMillis: resultTtlMillis ?? s.bulk.resultTtlMillis
          }
        }))
        return respond(200, (yield* Ref.get(state.settings)).bulk)
      }
      case "POST /_emulator/settings": {
        const granularity = body["dateGranularity"]
        const paginationLimit = num(body["paginationLimit"])
        const invitesEnabled = body["invitesEnabled"]
        yield* Ref.update(state.settings, (s) => ({
          ...s,
          dateGranularity: granularity === "day" || granularity === "second" ? granularity : s.dateGranularity,
          paginationLimit: paginationLimit ?? s.paginationLimit,
          shop: typeof invitesEnabled === "boolean" ? { ...s.shop, invitesEnabled } : s.shop
        }))
        const s = yield* Ref.get(state.settings)
        return respond(200, { dateGranularity: s.dateGranularity, paginationLimit: s.paginationLimit, invitesEnabled: s.shop.invitesEnabled })
      }
      case "POST /_emulator/reset":
        yield* state.lock.withPermits(1)(EmulatorState.reset(state))
        return respond(200, { ok: true })
      default:
        return respond(404, { error: `No control endpoint ${route}` })
    }
  })
