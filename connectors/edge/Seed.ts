// `edgesync edge seed`: fills an empty Edge database with the deterministic sample data of SeedData, in
// one transaction, with multi-row INSERTs (100,000 customers take seconds).
import { Clock, Effect } from "effect"
import { EdgeDb, type EdgeDbService } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import * as SeedData from "./SeedData.js"
import { SeedError } from "./SeedError.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import * as ItemStatements from "./sql/ItemStatements.js"
import * as SaleStatements from "./sql/SaleStatements.js"
import * as SeedStatements from "./sql/SeedStatements.js"
import * as StoreStatements from "./sql/StoreStatements.js"

export interface SeedOptions {
  readonly seed: number
  /** Retail stores (1..n); web store 98 is always added, licensed. */
  readonly stores: number
  readonly items: number
  readonly customers: number
  /** POS sales history. */
  readonly sales: number
  /** Share of customers flagged "Assign to Web Upload" (0..1). */
  readonly webUploadShare: number
  /** Delete the Edge data (and edgesync's Edge-side tables) first. */
  readonly reset: boolean
}

export const defaults: SeedOptions = {
  seed: 1,
  stores: 3,
  items: 200,
  customers: 1_000,
  sales: 1_000,
  webUploadShare: 0.05,
  reset: false
}

export interface SeedSummary {
  readonly stores: number
  readonly items: number
  readonly customers: number
  readonly households: number
  readonly duplicates: number
  readonly flaggedForWebUpload: number
  readonly sales: number
  readonly saleLines: number
  readonly webStore: number
}

const chunk = 5_000

const validate = (options: SeedOptions): Effect.Effect<void, SeedError> => {
  const sizes: ReadonlyArray<readonly [string, number, number]> = [
    ["stores", options.stores, 97],
    ["items", options.items, 1_000_000],
    ["customers", options.customers, 10_000_000],
    ["sales", options.sales, 50_000_000]
  ]
  for (const [name, value, max] of sizes) {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      return Effect.fail(new SeedError({ reason: "InvalidSize", detail: `--${name} must be a whole number from 0 to ${max} (got ${value})` }))
    }
  }
  if (!(options.webUploadShare >= 0 && options.webUploadShare <= 1)) {
    return Effect.fail(new SeedError({ reason: "InvalidSize", detail: `the web-upload share must be between 0 and 1 (got ${options.webUploadShare})` }))
  }
  return Effect.void
}

const fill = (db: EdgeDbService, options: SeedOptions): Effect.Effect<SeedSummary, EdgeDbError | SeedError> =>
  Effect.gen(function*() {
    if (options.reset) yield* SeedStatements.deleteEdgeData(db)
    const existing = yield* SeedStatements.rowCounts(db)
    if (existing.customers > 0 || existing.sales > 0 || existing.items > 0) {
      return yield* new SeedError({
        reason: "NotEmpty",
        detail: `${existing.customers} customers, ${existing.sales} sales, ${existing.items} items`
      })
    }
    // Anchor dates to the start of today (UTC) so that a seed run twice the same day is identical.
    const now = new Date(Math.floor((yield* Clock.currentTimeMillis) / 86_400_000) * 86_400_000)
    const sizes: SeedData.SeedSizes = options
    const stores = SeedData.stores(sizes)
    yield* StoreStatements.upsert(db, stores)
    const catalog = SeedData.items(sizes)
    yield* ItemStatements.insertMany(db, catalog.map(({ sku, description, price }) => ({ sku, description, price })))
    const firstCustomerId = (yield* CustomerStatements.maxId(db)) + 1
    const stats: SeedData.CustomerSeedStats = { households: 0, duplicates: 0, flagged: 0 }
    for (let from = 0; from < options.customers; from += chunk) {
      const rows = SeedData.customers(sizes, firstCustomerId, from, Math.min(options.customers, from + chunk), now, stats)
      yield* CustomerStatements.insertMany(db, rows)
    }
    const firstSaleId = (yield* SaleStatements.maxSaleId(db)) + 1
    let lines = 0
    for (let from = 0; from < options.sales; from += chunk) {
      const batch = SeedData.sales(sizes, catalog, firstCustomerId, firstSaleId, from, Math.min(options.sales, from + chunk), now)
      yield* SaleStatements.insertWithIds(db, batch.map((s) => s.sale))
      const saleLines = batch.flatMap((s) => s.lines)
      lines += saleLines.length
      yield* SaleStatements.insertLines(db, saleLines)
      yield* SaleStatements.insertTenders(db, batch.flatMap((s) => s.tenders))
    }
    return {
      stores: stores.length,
      items: catalog.length,
      customers: options.customers,
      households: stats.households,
      duplicates: stats.duplicates,
      flaggedForWebUpload: stats.flagged,
      sales: options.sales,
      saleLines: lines,
      webStore: SeedData.webStoreNo
    }
  })

/** Seeds the Edge database (migrated beforehand) in one transaction. */
export const seed = (options: Partial<SeedOptions> = {}): Effect.Effect<SeedSummary, EdgeDbError | SeedError, EdgeDb> =>
  Effect.gen(function*() {
    const resolved = { ...defaults, ...options }
    yield* validate(resolved)
    const db = yield* EdgeDb
    return yield* db.transaction("seed", fill(db, resolved))
  }).pipe(Effect.withSpan("EdgeDb.seed"))
