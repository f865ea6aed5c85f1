// Test support: the mission pipelines run as the CLI runs them (registry, config, connector layers,
// state store in the Edge database, the runner) against an Edge database (MariaDB or SQLite) and the
// Shopify emulator on loopback, with helpers to arrange Edge rows and to read back what happened.
import { NodeContext } from "@effect/platform-node"
import { type Duration, Effect, Layer, Option, Schema, type Context, type Scope } from "effect"
import type { ShopifyClient } from "../../../connectors/shopify/ShopifyClient.js"
import { ShopifyConfig } from "../../../connectors/shopify/ShopifyConfig.js"
import { type EdgeServices, EdgeConnector, layer as edgeLayer } from "../../../connectors/edge/EdgeConnector.js"
import { EdgeDb } from "../../../connectors/edge/EdgeDb.js"
import { fromUrl } from "../../../connectors/edge/EdgeConfig.js"
import { migrate } from "../../../connectors/edge/EdgeMigrate.js"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { ShopifyConnector } from "../../../connectors/shopify/ShopifyConnector.js"
import * as Config from "../../../core/Config.js"
import * as Registry from "../../../core/Registry.js"
import * as Runner from "../../../core/Runner.js"
import type { RunSummary } from "../../../core/RunSummary.js"
import { customersFromShopify } from "../../../pipelines/customersFromShopify.js"
import { customersToShopify } from "../../../pipelines/customersToShopify.js"
import { webSalesToEdge } from "../../../pipelines/webSalesToEdge.js"
import { freshDatabase } from "../../support/MariaDb.js"
import { adminClient, type AdminClient } from "./ShopifyStore.js"

export type MissionPipeline = "customers-to-shopify" | "web-sales-to-edge" | "customers-from-shopify"

export const pipelines = { "customers-to-shopify": customersToShopify, "web-sales-to-edge": webSalesToEdge, "customers-from-shopify": customersFromShopify } as const

export const registry = Registry.make({
  connectors: { edge: EdgeConnector, shopify: ShopifyConnector } as const,
  pipelines: [customersToShopify, webSalesToEdge, customersFromShopify]
})

export interface Mission {
  readonly emulator: ShopifyEmulator.RunningEmulator
  readonly admin: AdminClient
  /** The Edge services on the same database the runs use (its own pool), for arranging and checking. */
  readonly edge: Context.Context<EdgeServices>
  readonly databaseUrl: string
  readonly run: (
    pipeline: MissionPipeline,
    sync?: Readonly<Record<string, unknown>>,
    options?: {
      readonly dryRun?: boolean
      readonly batchSize?: number
      /** How long a batch waits to fill (10 ms unless given): a long one makes batches depend only on their size. */
      readonly batchWindow?: Duration.DurationInput
    }
  ) => Effect.Effect<RunSummary, unknown>
  /** Runs `effect` with the Edge services and a Shopify client of the emulator. */
  readonly withServices: <A, E>(effect: Effect.Effect<A, E, EdgeServices | ShopifyClient>) => Effect.Effect<A, unknown>
  /** Runs SQL on the Edge database. */
  readonly sql: <A = Record<string, unknown>>(text: string, params?: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<A>>
}

export const mariadbUrl: Effect.Effect<string, never, Scope.Scope> = freshDatabase("mission")

/** An Edge database at `url` (migrated, with licensed web store 98 and retail store 1) and an emulator. */
export const mission = (url: string): Effect.Effect<Mission, never, Scope.Scope> =>
  Effect.gen(function*() {
    const emulator = yield* ShopifyEmulator.start({ seed: 7 })
    const config = yield* fromUrl(url, { changeSettleMillis: 0 })
    const edge = yield* Layer.build(edgeLayer(config))
    yield* Effect.provide(migrate, edge)
    const db = Effect.provide(EdgeDb, edge)
    const sql = <A,>(text: string, params: ReadonlyArray<unknown> = []) =>
      Effect.flatMap(db, (d) => d.sql.unsafe<A & object>(text, params)).pipe(Effect.orDie) as Effect.Effect<ReadonlyArray<A>>
    yield* sql("INSERT INTO stores (store_no, name, kind, licensed) VALUES (1, 'Main Street', 'retail', 1), (98, 'Web store', 'web', 1)")
    const reg = yield* Effect.orDie(registry)
    const file = {
      edge: { database: url, changeSettleMillis: 0 },
      shopify: { store: emulator.url, accessToken: emulator.token }
    }
    const run: Mission["run"] = (name, sync = {}, options = {}) => {
      const pipeline = Option.getOrThrow(Option.fromNullable(reg.pipelines.get(name)))
      return Registry.provide(reg, pipeline)(
        Runner.run(pipeline, {
          rawOptions: sync,
          dryRun: options.dryRun ?? false,
          limit: Option.none(),
          batchSize: options.batchSize ?? 50,
          batchWindow: options.batchWindow ?? "10 millis"
        })
      ).pipe(
        Effect.provide(Config.layerFromObject({ ...file, sync })),
        Effect.provide(NodeContext.layer)
      )
    }
    const shopifyConfig = yield* Schema.decodeUnknown(ShopifyConfig)({ store: emulator.url, accessToken: emulator.token })
    const withServices: Mission["withServices"] = (effect) =>
      Effect.provide(Effect.provide(effect, edge), ShopifyConnector.layer(shopifyConfig))
    return { emulator, admin: adminClient(emulator), edge, databaseUrl: url, run, sql, withServices }
  }).pipe(Effect.orDie)

export interface EdgeCustomerRow {
  readonly first_name?: string | null
  readonly last_name?: string | null
  readonly company?: string | null
  readonly email?: string | null
  readonly phone_cell?: string | null
  readonly phone_home?: string | null
  readonly phone_work?: string | null
  readonly address1?: string | null
  readonly city?: string | null
  readonly state?: string | null
  readonly postal_code?: string | null
  readonly country?: string | null
  readonly web_upload?: boolean
}

/** Inserts an Edge customer as staff would; its id. */
export const insertCustomer = (m: Mission, row: EdgeCustomerRow): Effect.Effect<number> =>
  Effect.gen(function*() {
    const columns = Object.keys(row)
    const values = Object.values(row).map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v))
    yield* m.sql(
      `INSERT INTO customers (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      values
    )
    const rows = yield* m.sql<{ readonly id: number | string }>("SELECT MAX(customer_id) AS id FROM customers")
    return Number(rows[0]?.id)
  })

/** A past sale in a retail store, so the customer has a last activity for the tie-break. */
export const insertPastSale = (m: Mission, customerId: number, date: string, total = "100.00"): Effect.Effect<void> =>
  m.sql(
    `INSERT INTO sales (store_no, sale_no, customer_id, sale_date, kind, status, currency, subtotal, discount, shipping, tax, total, tax_stripped)
     VALUES (1, ?, ?, ?, 'pos', 'paid', 'USD', ?, 0, 0, 0, ?, 0)`,
    [`POS-${customerId}-${date}`, customerId, date, total, total]
  ).pipe(Effect.asVoid)
