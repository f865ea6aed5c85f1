// Every statement on `sales`, `sale_lines`, `sale_tenders` and `sale_taxes`. Writes are multi-row: one
// statement per table per chunk of a batch.
import { Effect, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { decodeRows, IntColumn, NullableText } from "./Columns.js"
import { chunksFor } from "./Dialect.js"
import * as MultiRowInsert from "./MultiRowInsert.js"

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

export const IdRow = Schema.Struct({ sale_id: IntColumn, shopify_order_id: NullableText })
export type IdRow = typeof IdRow.Type

const saleColumns = [
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
  "shopify_order_id",
  "shopify_updated_at",
  "imported_at"
] as const satisfies ReadonlyArray<keyof SaleWrite>

/** Inserts new web sales and returns their ids by order id (see `Dialect.insertReturningKeys`). */
export const insertNew = (db: EdgeDbService, rows: ReadonlyArray<SaleWrite>): Effect.Effect<ReadonlyArray<IdRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, rows, saleColumns.length), (chunk) =>
      db.use(
        "sales.insert",
        db.dialect.insertReturningKeys(db.sql, MultiRowInsert.build(db.dialect.name, "sales", saleColumns, chunk), "sales", "sale_id", "shopify_order_id")
      ).pipe(Effect.flatMap(decodeRows(IdRow, "sales.insert", db.target)))),
    (chunks) => chunks.flat()
  )

/** Inserts sales with explicit ids (the seed's POS history). */
export const insertWithIds = (
  db: EdgeDbService,
  rows: ReadonlyArray<SaleWrite & { readonly sale_id: number }>
): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, saleColumns.length + 1, 1_000), (chunk) =>
    db.use(
      "sales.insertWithIds",
      MultiRowInsert.run(db.sql, MultiRowInsert.build(db.dialect.name, "sales", ["sale_id", ...saleColumns], chunk))
    ), { discard: true })

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

const lineColumns = [
  "sale_id",
  "line_no",
  "sku",
  "description",
  "quantity",
  "unit_price",
  "discount",
  "tax",
  "extended"
] as const satisfies ReadonlyArray<keyof LineWrite>
const tenderColumns = ["sale_id", "seq", "tender", "amount"] as const satisfies ReadonlyArray<keyof TenderWrite>
const taxColumns = ["sale_id", "seq", "title", "rate", "amount"] as const satisfies ReadonlyArray<keyof TaxWrite>

const linesStatements = (db: EdgeDbService, rows: ReadonlyArray<LineWrite>) =>
  chunksFor(db.dialect, rows, lineColumns.length, 5_000).map((chunk) => MultiRowInsert.build(db.dialect.name, "sale_lines", lineColumns, chunk))
const tenderStatements = (db: EdgeDbService, rows: ReadonlyArray<TenderWrite>) =>
  chunksFor(db.dialect, rows, tenderColumns.length, 5_000).map((chunk) => MultiRowInsert.build(db.dialect.name, "sale_tenders", tenderColumns, chunk))
const taxStatements = (db: EdgeDbService, rows: ReadonlyArray<TaxWrite>) =>
  chunksFor(db.dialect, rows, taxColumns.length, 5_000).map((chunk) => MultiRowInsert.build(db.dialect.name, "sale_taxes", taxColumns, chunk))

export const insertLines = (db: EdgeDbService, rows: ReadonlyArray<LineWrite>): Effect.Effect<void, EdgeDbError> =>
  db.use("saleLines.insert", db.dialect.runAll(db.sql, linesStatements(db, rows)))

export const insertTenders = (db: EdgeDbService, rows: ReadonlyArray<TenderWrite>): Effect.Effect<void, EdgeDbError> =>
  db.use("saleTenders.insert", db.dialect.runAll(db.sql, tenderStatements(db, rows)))

/** Lines, tenders and taxes of a batch of sales, in one round trip on MySQL. */
export const insertDetails = (
  db: EdgeDbService,
  details: {
    readonly lines: ReadonlyArray<LineWrite>
    readonly tenders: ReadonlyArray<TenderWrite>
    readonly taxes: ReadonlyArray<TaxWrite>
  }
): Effect.Effect<void, EdgeDbError> =>
  db.use(
    "saleDetails.insert",
    db.dialect.runAll(db.sql, [
      ...linesStatements(db, details.lines),
      ...tenderStatements(db, details.tenders),
      ...taxStatements(db, details.taxes)
    ])
  )

export const maxSaleId = (db: EdgeDbService): Effect.Effect<number, EdgeDbError> =>
  db.use("sales.maxId", db.sql`SELECT COALESCE(MAX(sale_id), 0) AS n FROM sales`).pipe(
    Effect.flatMap(decodeRows(Schema.Struct({ n: IntColumn }), "sales.maxId", db.target)),
    Effect.map((rows) => rows[0]?.n ?? 0)
  )
