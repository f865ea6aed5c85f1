// A typed Effect client for the emulator's control endpoints (/_emulator/…), for tests, benchmarks and
// the demo: seed data, read the shop back, read counters, and turn the realism switches. Every answer
// is decoded with Schema where it enters.
import { Effect, Schema } from "effect"
import { EmulatorError } from "./EmulatorError.js"

const Count = Schema.Record({ key: Schema.String, value: Schema.Number })

export const ThrottleStatus = Schema.Struct({
  maximumAvailable: Schema.Number,
  currentlyAvailable: Schema.Number,
  restoreRate: Schema.Number
})

export const Counters = Schema.Struct({
  requests: Schema.Number,
  executed: Schema.Number,
  unauthorized: Schema.Number,
  throttled: Schema.Number,
  maxCostExceeded: Schema.Number,
  validationErrors: Schema.Number,
  requestedCost: Schema.Number,
  costSpent: Schema.Number,
  faults: Count,
  operations: Count,
  statuses: Count,
  throttleStatus: ThrottleStatus,
  plan: Schema.String
})
export type Counters = typeof Counters.Type

const Address = Schema.Struct({
  id: Schema.Number,
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  company: Schema.NullOr(Schema.String),
  address1: Schema.NullOr(Schema.String),
  address2: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  province: Schema.NullOr(Schema.String),
  provinceCode: Schema.NullOr(Schema.String),
  country: Schema.NullOr(Schema.String),
  countryCode: Schema.NullOr(Schema.String),
  zip: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String)
})

export const StoredCustomer = Schema.Struct({
  id: Schema.String,
  firstName: Schema.NullOr(Schema.String),
  lastName: Schema.NullOr(Schema.String),
  displayName: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  state: Schema.Literal("DECLINED", "DISABLED", "ENABLED", "INVITED"),
  tags: Schema.Array(Schema.String),
  note: Schema.NullOr(Schema.String),
  locale: Schema.String,
  addresses: Schema.Array(Address),
  defaultAddressId: Schema.NullOr(Schema.String),
  numberOfOrders: Schema.Number,
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type StoredCustomer = typeof StoredCustomer.Type

export const StoredOrder = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  email: Schema.NullOr(Schema.String),
  customerId: Schema.NullOr(Schema.String),
  currencyCode: Schema.String,
  presentmentCurrencyCode: Schema.String,
  taxesIncluded: Schema.Boolean,
  financialStatus: Schema.NullOr(Schema.String),
  fulfillmentStatus: Schema.String,
  subtotal: Schema.String,
  totalTax: Schema.String,
  totalPrice: Schema.String,
  currentTotalPrice: Schema.String,
  totalRefunded: Schema.String,
  lineItemCount: Schema.Number,
  refundCount: Schema.Number,
  cancelledAt: Schema.NullOr(Schema.String),
  processedAt: Schema.String,
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type StoredOrder = typeof StoredOrder.Type

export const Invite = Schema.Struct({
  customerId: Schema.String,
  to: Schema.String,
  subject: Schema.NullOr(Schema.String),
  sentAt: Schema.String
})
export type Invite = typeof Invite.Type

export const Summary = Schema.Struct({
  customers: Schema.Number,
  orders: Schema.Number,
  invites: Schema.Number,
  bulkOperations: Schema.Number,
  plan: Schema.Struct({ name: Schema.String, restoreRate: Schema.Number, maximumAvailable: Schema.Number }),
  searchLagMillis: Schema.Number,
  dateGranularity: Schema.Literal("second", "day"),
  paginationLimit: Schema.Number,
  faults: Schema.String,
  bulk: Schema.Struct({ durationMillis: Schema.Number, resultTtlMillis: Schema.Number, concurrency: Schema.Number }),
  now: Schema.String,
  manualClock: Schema.Boolean
})
export type Summary = typeof Summary.Type

const Seeded = Schema.Struct({ customers: Schema.Number, orders: Schema.Number })
const ClockState = Schema.Struct({ now: Schema.String, nowMillis: Schema.Number, manual: Schema.Boolean })
const BulkSettingsJson = Schema.Struct({ durationMillis: Schema.Number, resultTtlMillis: Schema.Number, concurrency: Schema.Number })
const SettingsJson = Schema.Struct({
  dateGranularity: Schema.Literal("second", "day"),
  paginationLimit: Schema.Number,
  invitesEnabled: Schema.Boolean
})

export type PlanChoice =
  | "standard" | "advanced" | "plus" | "enterprise"
  | { readonly restoreRate: number; readonly maximumAvailable: number }

export interface BulkControl {
  /** The next bulk operation ends FAILED with this error code, after `atFraction` of its objects. */
  readonly failNext?: { readonly errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT"; readonly atFraction?: number }
  /** Expire finished operations now: all of them, or the one with this gid. */
  readonly expire?: "all" | string
  readonly durationMillis?: number
  readonly concurrency?: number
  readonly resultTtlMillis?: number
}

export interface EmulatorControl {
  readonly health: Effect.Effect<void, EmulatorError>
  readonly summary: Effect.Effect<Summary, EmulatorError>
  readonly customers: Effect.Effect<ReadonlyArray<StoredCustomer>, EmulatorError>
  readonly orders: Effect.Effect<ReadonlyArray<StoredOrder>, EmulatorError>
  readonly invites: Effect.Effect<ReadonlyArray<Invite>, EmulatorError>
  readonly counters: Effect.Effect<Counters, EmulatorError>
  readonly resetCounters: Effect.Effect<Counters, EmulatorError>
  /** Seeds customers then orders (through customerCreate/orderCreate), deterministic for `seed`. */
  readonly seed: (spec: { readonly customers?: number; readonly orders?: number; readonly seed?: number }) => Effect.Effect<{ readonly customers: number; readonly orders: number }, EmulatorError>
  /** Switches the rate-limit plan; the bucket starts full. */
  readonly setPlan: (plan: PlanChoice) => Effect.Effect<Counters, EmulatorError>
  /** Spends points from the bucket, as a competing consumer of the same shop would. */
  readonly drainBucket: (points: number) => Effect.Effect<Counters, EmulatorError>
  readonly setBucketAvailable: (points: number) => Effect.Effect<Counters, EmulatorError>
  /** Replaces the fault rules (see FaultSpec for the syntax); "" clears them. */
  readonly setFaults: (spec: string) => Effect.Effect<string, EmulatorError>
  readonly clearFaults: Effect.Effect<void, EmulatorError>
  readonly setSearchLag: (millis: number) => Effect.Effect<void, EmulatorError>
  readonly clock: Effect.Effect<{ readonly nowMillis: number; readonly manual: boolean }, EmulatorError>
  /** Moves a manual emulator clock forward (Rejected on the system clock). */
  readonly advanceClock: (millis: number) => Effect.Effect<number, EmulatorError>
  readonly bulk: (control: BulkControl) => Effect.Effect<typeof BulkSettingsJson.Type, EmulatorError>
  readonly settings: (s: {
    readonly dateGranularity?: "second" | "day"
    readonly paginationLimit?: number
    readonly invitesEnabled?: boolean
  }) => Effect.Effect<typeof SettingsJson.Type, EmulatorError>
  /** Empties the shop and restores the start options. */
  readonly reset: Effect.Effect<void, EmulatorError>
}

export const make = (baseUrl: string, token: string): EmulatorControl => {
  const call = <A, I>(method: "GET" | "POST" | "DELETE", path: string, schema: Schema.Schema<A, I>, body?: unknown) =>
    Effect.gen(function*() {
      const response = yield* Effect.tryPromise({
        try: (signal) =>
          fetch(`${baseUrl}/_emulator/${path}`, {
            method,
            signal,
            headers: { "x-shopify-access-token": token, "content-type": "application/json" },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
          }),
        catch: (e) => new EmulatorError({ reason: "Unreachable", detail: `${method} /_emulator/${path}: ${String(e)}` })
      })
      const text = yield* Effect.tryPromise({
        try: () => response.text(),
        catch: (e) => new EmulatorError({ reason: "Unreachable", detail: `${method} /_emulator/${path}: ${String(e)}` })
      })
      if (!response.ok) {
        return yield* new EmulatorError({ reason: "Rejected", detail: `${method} /_emulator/${path} answered ${response.status}: ${text}` })
      }
      const parsed = yield* Effect.try({
        try: (): unknown => JSON.parse(text),
        catch: () => new EmulatorError({ reason: "InvalidResponse", detail: `${method} /_emulator/${path}: not JSON` })
      })
      return yield* Schema.decodeUnknown(schema)(parsed).pipe(
        Effect.mapError((e) => new EmulatorError({ reason: "InvalidResponse", detail: `${method} /_emulator/${path}: ${e.message}` }))
      )
    }).pipe(Effect.withSpan(`EmulatorControl ${method} ${path}`))

  return {
    health: Effect.asVoid(call("GET", "health", Schema.Struct({ ok: Schema.Boolean }))),
    summary: call("GET", "state", Summary),
    customers: call("GET", "customers", Schema.Array(StoredCustomer)),
    orders: call("GET", "orders", Schema.Array(StoredOrder)),
    invites: call("GET", "invites", Schema.Array(Invite)),
    counters: call("GET", "counters", Counters),
    resetCounters: call("POST", "counters/reset", Counters),
    seed: (spec) => call("POST", "seed", Seeded, spec),
    setPlan: (plan) => call("POST", "plan", Counters, typeof plan === "string" ? { plan } : plan),
    drainBucket: (points) => call("POST", "bucket", Counters, { drain: points }),
    setBucketAvailable: (points) => call("POST", "bucket", Counters, { available: points }),
    setFaults: (spec) => Effect.map(call("POST", "faults", Schema.Struct({ spec: Schema.String }), { spec }), (r) => r.spec),
    clearFaults: Effect.asVoid(call("DELETE", "faults", Schema.Struct({ spec: Schema.String }))),
    setSearchLag: (millis) => Effect.asVoid(call("POST", "search-lag", Schema.Struct({ searchLagMillis: Schema.Number }), { millis })),
    clock: Effect.map(call("GET", "clock", ClockState), (c) => ({ nowMillis: c.nowMillis, manual: c.manual })),
    advanceClock: (millis) => Effect.map(call("POST", "clock", ClockState, { advanceMillis: millis }), (c) => c.nowMillis),
    bulk: (control) => call("POST", "bulk", BulkSettingsJson, control.expire === "all" ? { ...control, expire: true } : control),
    settings: (s) => call("POST", "settings", SettingsJson, s),
    reset: Effect.asVoid(call("POST", "reset", Schema.Struct({ ok: Schema.Boolean })))
  }
}
