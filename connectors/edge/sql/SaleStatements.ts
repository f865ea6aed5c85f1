// Every statement on `sales`, `sale_lines`, `sale_tenders` and `sale_taxes`. Writes are multi-row: one
// statement per table per chunk of a batch.
import { Effect, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { decodeRows, IntColumn, NullableText } from "./Columns.js"
import { chunksFor } from "./Dialect.js"

export const VersionRow = Schema.Struct({
  sale_id: IntColumn,
  shopify_order_id: Schema.String,
  shopify_updated_at: NullableText
})
export type VersionRow = typeof VersionRow.Type

/** The stored sale id and version of these Shopify orders (absent when never imported). */
export const versionsByOrderIds = (db: EdgeDbService, gids: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<VersionRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, gids, 1), (chunk) =>
      db.use(
        "sales.versionsByOrderIds",
        db.sql`SELECT sale_id, shopify_order_id, ${db.sql.literal(db.dialect.timestampText("shopify_updated_at"))} AS shopify_updated_at
          FROM sales WHERE shopify_order_id IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(VersionRow, "sales.versionsByOrderIds", db.target)))),
    (chunks) => chunks.flat()
  )

/** A sale header as written (money as exact decimal text, timestamps as UTC text, booleans 0/1). */
export type SaleWrite = {
  readonly store_no: number
  readonly sale_no: string
  readonly customer_id: number | null
  readonly sale_date: string
  readonly kind: "pos" | "web"
  readonly status: string
  readonly currency: string
  readonly subtotal: string
  readonly discount: string
  readonly shipping: string
  readonly tax: string
  readonly total: string
  readonly tax_stripped: number
  readonly shopify_order_id: string | null
  readonly shopify_updated_at: string | null
  readonly imported_at: string | null
}

const saleUpdatable = [
  "store_no",
  "sale_no",
  "customer_id",
  "sale_date",
  "kind",
  "status",
  "currency",
  "subtotal",
  "discount",
  "shipping",
  "tax",
  "total",
  "tax_stripped",
  "shopify_updated_at",
  "imported_at"
]

/** Replaces the header of web sales whose Shopify order is already stored (inserts any that is not). */
export const upsertByOrderId = (db: EdgeDbService, rows: ReadonlyArray<SaleWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 16), (chunk) =>
    db.use(
      "sales.upsert",
      db.sql`INSERT INTO sales ${db.sql.insert(chunk)} ${db.sql.literal(db.dialect.upsertTail(["shopify_order_id"], saleUpdatable))}`
        .unprepared
    ), { discard: true })

/** Inserts new web sales; returns a lower bound of their ids (see `Dialect.insertManyLowestId`). */
export const insertNew = (db: EdgeDbService, rows: ReadonlyArray<SaleWrite>): Effect.Effect<number, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, rows, 16), (chunk) =>
      db.use("sales.insert", db.dialect.insertManyLowestId(db.sql`INSERT INTO sales ${db.sql.insert(chunk)}`, chunk.length))),
    (lowest) => Math.min(...lowest)
  )

export const IdRow = Schema.Struct({ sale_id: IntColumn, shopify_order_id: NullableText })

/** Web sales with an id at or above `lowestId` (the ones just inserted, and any inserted since by others). */
export const idsFrom = (db: EdgeDbService, lowestId: number): Effect.Effect<ReadonlyArray<typeof IdRow.Type>, EdgeDbError> =>
  db.use(
    "sales.idsFrom",
    db.sql`SELECT sale_id, shopify_order_id FROM sales WHERE sale_id >= ${lowestId}`
  ).pipe(Effect.flatMap(decodeRows(IdRow, "sales.idsFrom", db.target)))

/** Inserts sales with explicit ids (the seed's POS history). */
export const insertWithIds = (
  db: EdgeDbService,
  rows: ReadonlyArray<SaleWrite & { readonly sale_id: number }>
): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 17, 1_000), (chunk) =>
    db.use("sales.insertWithIds", db.sql`INSERT INTO sales ${db.sql.insert(chunk)}`.unprepared), { discard: true })

export type LineWrite = {
  readonly sale_id: number
  readonly line_no: number
  readonly sku: string | null
  readonly description: string
  readonly quantity: number
  readonly unit_price: string
  readonly discount: string
  readonly tax: string
  readonly extended: string
}

export type TenderWrite = {
  readonly sale_id: number
  readonly seq: number
  readonly tender: string
  readonly amount: string
}

export type TaxWrite = {
  readonly sale_id: number
  readonly seq: number
  readonly title: string
  readonly rate: string
  readonly amount: string
}

/** Removes the lines, tenders and taxes of these sales (before a newer version's are written). */
export const deleteDetails = (db: EdgeDbService, saleIds: ReadonlyArray<number>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, saleIds, 1), (chunk) =>
    Effect.all([
      db.use("saleLines.delete", db.sql`DELETE FROM sale_lines WHERE sale_id IN ${db.sql.in(chunk)}`.unprepared),
      db.use("saleTenders.delete", db.sql`DELETE FROM sale_tenders WHERE sale_id IN ${db.sql.in(chunk)}`.unprepared),
      db.use("saleTaxes.delete", db.sql`DELETE FROM sale_taxes WHERE sale_id IN ${db.sql.in(chunk)}`.unprepared)
    ], { discard: true }), { discard: true })

export const insertLines = (db: EdgeDbService, rows: ReadonlyArray<LineWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 9, 5_000), (chunk) =>
    db.use("saleLines.insert", db.sql`INSERT INTO sale_lines ${db.sql.insert(chunk)}`.unprepared), { discard: true })

export const insertTenders = (db: EdgeDbService, rows: ReadonlyArray<TenderWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 4, 5_000), (chunk) =>
    db.use("saleTenders.insert", db.sql`INSERT INTO sale_tenders ${db.sql.insert(chunk)}`.unprepared), { discard: true })

export const insertTaxes = (db: EdgeDbService, rows: ReadonlyArray<TaxWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 5, 5_000), (chunk) =>
    db.use("saleTaxes.insert", db.sql`INSERT INTO sale_taxes ${db.sql.insert(chunk)}`.unprepared), { discard: true })

export const maxSaleId = (db: EdgeDbService): Effect.Effect<number, EdgeDbError> =>
  db.use("sales.maxId", db.sql`SELECT COALESCE(MAX(sale_id), 0) AS n FROM sales`).pipe(
    Effect.flatMap(decodeRows(Schema.Struct({ n: IntColumn }), "sales.maxId", db.target)),
    Effect.map((rows) => rows[0]?.n ?? 0)
  )
