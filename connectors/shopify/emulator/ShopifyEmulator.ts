// The Shopify Admin GraphQL API emulator: `start` runs one on loopback for as long as its scope is
// open and returns where to reach it. Tests, benchmarks, the demo and `edgesync shopify emulator` all
// start it this way; the connector talks to it over real HTTP with @shopify/admin-api-client
// (storeDomain = `url`, `customFetchApi` rewriting https to http, FACTS §8.2).
import { Effect, Ref, type Scope } from "effect"
import * as EmulatorClock from "./EmulatorClock.js"
import * as EmulatorControl from "./EmulatorControl.js"
import { EmulatorError } from "./EmulatorError.js"
import * as EmulatorServer from "./EmulatorServer.js"
import * as EmulatorState from "./EmulatorState.js"
import * as FaultSpec from "./FaultSpec.js"
import * as Plan from "./Plan.js"
import type { BulkSettings } from "./RequestContext.js"
import * as Seed from "./Seed.js"
import type { DateGranularity } from "./SearchFilter.js"
import * as ShopSettings from "./ShopSettings.js"

export interface StartOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number
  /** Rate-limit plan (FACTS §4); default "standard" (100 points/s, bucket 2000). */
  readonly plan?: Plan.PlanName | { readonly restoreRate: number; readonly maximumAvailable: number }
  /** The access token the API accepts; default a fixed `shpat_…` derived from the seed. */
  readonly token?: string
  /** Seed for ids, seeded data and fault decisions; default 1. */
  readonly seed?: number
  /** How long a write takes to reach `customers(query:)`/`orders(query:)` searches; default 0. */
  readonly searchLagMillis?: number
  /** Fault rules in FaultSpec syntax (e.g. "429:0.05,reset:0.01"), or parsed rules. */
  readonly faults?: string | ReadonlyArray<FaultSpec.Rule>
  /** "system" (default), a manual clock starting at `manualStart` (epoch ms), or a clock you built. */
  readonly clock?: "system" | { readonly manualStart: number } | EmulatorClock.EmulatorClock
  /** Date filter bounds: "second" (default) or widened to whole "day"s; both inclusive. */
  readonly dateGranularity?: DateGranularity
  /** Pagination depth limit (Shopify: 25,000 objects); lower it to test windowing cheaply. */
  readonly paginationLimit?: number
  readonly bulk?: Partial<BulkSettings>
  readonly shop?: Partial<ShopSettings.ShopSettings>
  /** Seeded at start, through customerCreate and orderCreate. */
  readonly seedCustomers?: number
  readonly seedOrders?: number
}

export interface RunningEmulator {
  /** "http://127.0.0.1:PORT": use as the store domain (SHOPIFY_STORE). */
  readonly url: string
  readonly port: number
  readonly token: string
  readonly apiVersion: string
  /** `${url}/admin/api/2026-07/graphql.json` */
  readonly graphqlUrl: string
  /** The control endpoints as a typed client. */
  readonly control: EmulatorControl.EmulatorControl
  readonly clock: EmulatorClock.EmulatorClock
  /** In-process access to the emulator's state, for the demo and for white-box tests. */
  readonly state: EmulatorState.EmulatorState
}

export const defaultApiVersion = "2026-07"

const defaultBulk: BulkSettings = { durationMillis: 500, resultTtlMillis: 7 * 86_400_000, concurrency: 5 }

const tokenFor = (seed: number) => `shpat_emulator_${((seed * 2654435761) >>> 0).toString(16).padStart(8, "0")}${"0".repeat(24)}`

/** Starts an emulator on 127.0.0.1; it stops when the scope closes. */
export const start = (options: StartOptions = {}): Effect.Effect<RunningEmulator, EmulatorError, Scope.Scope> =>
  Effect.gen(function*() {
    const seed = options.seed ?? 1
    const rules = typeof options.faults === "string" ? FaultSpec.parse(options.faults) : options.faults ?? []
    if (rules instanceof FaultSpec.FaultSpecError) return yield* new EmulatorError({ reason: "InvalidOptions", detail: rules.message })
    const plan = options.plan === undefined
      ? Plan.plans.standard
      : typeof options.plan === "string"
      ? Plan.plans[options.plan]
      : Plan.custom(options.plan.restoreRate, options.plan.maximumAvailable)
    if (plan === undefined || plan.restoreRate <= 0 || plan.maximumAvailable <= 0) {
      return yield* new EmulatorError({ reason: "InvalidOptions", detail: `unknown plan ${JSON.stringify(options.plan)}` })
    }
    const clock = options.clock === undefined || options.clock === "system"
      ? EmulatorClock.system
      : "manualStart" in options.clock
      ? yield* EmulatorClock.manual(options.clock.manualStart)
      : options.clock
    const token = options.token ?? tokenFor(seed)
    const state = yield* Effect.acquireRelease(EmulatorState.make({
      token,
      seed,
      clock,
      settings: {
        plan,
        searchLagMillis: options.searchLagMillis ?? 0,
        dateGranularity: options.dateGranularity ?? "second",
        faults: rules,
        bulk: { ...defaultBulk, ...options.bulk },
        paginationLimit: options.paginationLimit ?? 25_000,
        shop: { ...ShopSettings.defaults, ...options.shop }
      }
    }), (s) => Effect.sync(() => s.bulkResults.close()))
    if ((options.seedCustomers ?? 0) > 0 || (options.seedOrders ?? 0) > 0) {
      const now = yield* clock.now
      const settings = yield* Ref.get(state.settings)
      yield* Ref.update(state.data, (data) => {
        const withCustomers = Seed.seedCustomers(data, options.seedCustomers ?? 0, seed, settings.shop, now)
        return Seed.seedOrders(withCustomers.data, options.seedOrders ?? 0, seed, settings.shop, now).data
      })
    }
    const url = yield* EmulatorServer.listen(state, options.port ?? 0)
    const port = Number(new URL(url).port)
    return {
      url,
      port,
      token,
      apiVersion: defaultApiVersion,
      graphqlUrl: `${url}/admin/api/${defaultApiVersion}/graphql.json`,
      control: EmulatorControl.make(url, token),
      clock,
      state
    }
  })
