// Everything one running emulator holds, in Refs: the shop data, the settings the control API can
// change (plan, search lag, faults, bulk behaviour), the cost bucket, the fault generator and the
// counters. Requests run one at a time under `lock`, which makes each GraphQL request atomic.
import { Effect, Ref } from "effect"
import { Registry as BulkResultRegistry } from "./BulkResult.js"
import type * as Connection from "./Connection.js"
import type { EmulatorClock } from "./EmulatorClock.js"
import type * as FaultSpec from "./FaultSpec.js"
import * as LeakyBucket from "./LeakyBucket.js"
import type { PlanLimits } from "./Plan.js"
import type { BulkSettings, SortCache } from "./RequestContext.js"
import type { DateGranularity } from "./SearchFilter.js"
import * as SeededRandom from "./SeededRandom.js"
import type { ShopSettings } from "./ShopSettings.js"
import * as StoreModel from "./StoreModel.js"

export interface Settings {
  readonly plan: PlanLimits
  readonly searchLagMillis: number
  readonly dateGranularity: DateGranularity
  readonly faults: ReadonlyArray<FaultSpec.Rule>
  readonly bulk: BulkSettings
  readonly paginationLimit: number
  readonly shop: ShopSettings
}

export interface Counters {
  /** Every request to /admin/api, whatever became of it. */
  readonly requests: number
  /** Requests whose GraphQL document was executed. */
  readonly executed: number
  readonly unauthorized: number
  readonly throttled: number
  readonly maxCostExceeded: number
  readonly validationErrors: number
  readonly requestedCost: number
  /** Points actually charged (sum of actualQueryCost). */
  readonly costSpent: number
  readonly faults: Readonly<Record<string, number>>
  /** Executions per root field, e.g. { customerCreate: 12, orders: 40 }. */
  readonly operations: Readonly<Record<string, number>>
  readonly statuses: Readonly<Record<string, number>>
}

export const emptyCounters: Counters = {
  requests: 0,
  executed: 0,
  unauthorized: 0,
  throttled: 0,
  maxCostExceeded: 0,
  validationErrors: 0,
  requestedCost: 0,
  costSpent: 0,
  faults: {},
  operations: {},
  statuses: {}
}

export interface FaultState {
  readonly random: SeededRandom.State
  readonly requestNumber: number
}

export interface EmulatorState {
  readonly token: string
  readonly seed: number
  readonly clock: EmulatorClock
  readonly initialSettings: Settings
  readonly data: Ref.Ref<StoreModel.StoreData>
  readonly settings: Ref.Ref<Settings>
  readonly bucket: Ref.Ref<LeakyBucket.Bucket>
  readonly counters: Ref.Ref<Counters>
  readonly faults: Ref.Ref<FaultState>
  readonly baseUrl: Ref.Ref<string>
  readonly lock: Effect.Semaphore
  readonly sortCache: SortCache
  /** The bulk operations' results (files for large ones), removed on reset and when the emulator stops. */
  readonly bulkResults: BulkResultRegistry
  /** Parsed and validated documents by query text: clients send the same few documents over and over. */
  readonly documents: DocumentCache
  /** Connection limits for a request, from the current settings. */
  readonly limits: (s: Settings) => Connection.Limits
}

/**
 * A memo of sorted views and pagination depths keyed by collection, query and data version. It only
 * caches values derived from immutable StoreData snapshots, so it holds no state that could go stale.
 */
const makeSortCache = (): SortCache => {
  const entries = new Map<string, { readonly version: number; readonly items: ReadonlyArray<unknown> }>()
  const depthMemos = new Map<string, Map<number, number>>()
  return {
    depths: (key) => {
      let memo = depthMemos.get(key)
      if (memo === undefined) {
        // Listings come and go with data versions; keep the most recent few.
        if (depthMemos.size >= 64) depthMemos.delete(depthMemos.keys().next().value!)
        memo = new Map()
        depthMemos.set(key, memo)
      }
      const m = memo
      return { get: (position) => m.get(position), set: (position, depth) => void m.set(position, depth) }
    },
    sorted: <A>(key: string, version: number, build: () => Array<Connection.SortedItem<A>>) => {
      const hit = entries.get(key)
      if (hit !== undefined && hit.version === version) return hit.items as ReadonlyArray<Connection.SortedItem<A>>
      const items = build()
      entries.set(key, { version, items })
      return items
    }
  }
}

export interface DocumentCache {
  readonly get: (query: string) => CachedDocument | undefined
  readonly set: (query: string, entry: CachedDocument) => void
}

export interface CachedDocument {
  readonly document: import("graphql").DocumentNode
  readonly errors: ReadonlyArray<unknown>
  readonly deprecated: boolean
}

const makeDocumentCache = (): DocumentCache => {
  const entries = new Map<string, CachedDocument>()
  return {
    get: (query) => entries.get(query),
    set: (query, entry) => {
      if (entries.size >= 256) entries.delete(entries.keys().next().value!)
      entries.set(query, entry)
    }
  }
}

export const make = (options: {
  readonly token: string
  readonly seed: number
  readonly clock: EmulatorClock
  readonly settings: Settings
}): Effect.Effect<EmulatorState> =>
  Effect.gen(function*() {
    const now = yield* options.clock.now
    return {
      token: options.token,
      seed: options.seed,
      clock: options.clock,
      initialSettings: options.settings,
      data: yield* Ref.make(StoreModel.empty(options.seed)),
      settings: yield* Ref.make(options.settings),
      bucket: yield* Ref.make(LeakyBucket.full(options.settings.plan, now)),
      counters: yield* Ref.make(emptyCounters),
      faults: yield* Ref.make<FaultState>({ random: SeededRandom.make(options.seed ^ 0x5eed), requestNumber: 0 }),
      baseUrl: yield* Ref.make("http://127.0.0.1"),
      lock: yield* Effect.makeSemaphore(1),
      sortCache: makeSortCache(),
      bulkResults: new BulkResultRegistry(),
      documents: makeDocumentCache(),
      limits: (s) => ({ maxPageSize: 250, paginationLimit: s.paginationLimit, unbounded: false })
    }
  })

/** Back to an empty shop with the settings it started with; counters and bucket start over. */
export const reset = (state: EmulatorState): Effect.Effect<void> =>
  Effect.gen(function*() {
    const now = yield* state.clock.now
    yield* Ref.set(state.data, StoreModel.empty(state.seed))
    yield* Effect.sync(() => state.bulkResults.clear())
    yield* Ref.set(state.settings, state.initialSettings)
    yield* Ref.set(state.bucket, LeakyBucket.full(state.initialSettings.plan, now))
    yield* Ref.set(state.counters, emptyCounters)
    yield* Ref.set(state.faults, { random: SeededRandom.make(state.seed ^ 0x5eed), requestNumber: 0 })
  })

export const bump = (record: Readonly<Record<string, number>>, key: string, by = 1): Readonly<Record<string, number>> => ({
  ...record,
  [key]: (record[key] ?? 0) + by
})
