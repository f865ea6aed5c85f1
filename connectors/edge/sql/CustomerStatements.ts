// Every statement on `customers` (with its link, where a read needs both).
import { Effect, Option, Schema } from "effect"
import { contactFieldNames, type ContactFieldName } from "../ContactFields.js"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { BoolColumn, decodeRows, IntColumn, NullableText } from "./Columns.js"
import { bool, chunksFor } from "./Dialect.js"
import * as MultiRowInsert from "./MultiRowInsert.js"

const contactColumns = contactFieldNames.join(", ")
const contactColumnsOf = (alias: string) => contactFieldNames.map((name) => `${alias}.${name}`).join(", ")

const ContactRowFields = {
  first_name: NullableText,
  last_name: NullableText,
  company: NullableText,
  email: NullableText,
  phone_cell: NullableText,
  phone_home: NullableText,
  phone_work: NullableText,
  address1: NullableText,
  address2: NullableText,
  city: NullableText,
  state: NullableText,
  postal_code: NullableText,
  country: NullableText
}

/** The database's clock, `settleMillis` ago, as `updated_at` text: reads stop before it. */
export const horizon = (db: EdgeDbService, settleMillis: number): Effect.Effect<string, EdgeDbError> =>
  db.use(
    "customers.horizon",
    db.sql.unsafe<{ readonly horizon: string }>(`SELECT ${db.dialect.nowMinusMillis} AS horizon`, [settleMillis])
  ).pipe(
    Effect.flatMap(decodeRows(Schema.Struct({ horizon: Schema.String }), "customers.horizon", db.target)),
    Effect.map((rows) => rows[0]?.horizon ?? "")
  )

/** Position in `(updated_at, customer_id)` order. */
export interface UpdatedPosition {
  readonly updated_at: string
  readonly customer_id: number
}

export const UploadCandidateRow = Schema.Struct({
  customer_id: IntColumn,
  ...ContactRowFields,
  web_upload: BoolColumn,
  updated_at: Schema.String,
  shopify_customer_id: NullableText,
  link_method: NullableText,
  linked_at: NullableText,
  invite_sent_at: NullableText,
  synced_snapshot: NullableText,
  last_pushed_at: NullableText,
  last_pulled_at: NullableText
})
export type UploadCandidateRow = typeof UploadCandidateRow.Type

/**
 * One page of customers that may need to go to Shopify (flagged for upload, or linked), after `after`
 * in `(updated_at, customer_id)` order and strictly before `horizon`. Whether a linked customer really
 * changed is decided by comparing with its snapshot (CustomersToUpload), not here.
 */
export const uploadCandidates = (
  db: EdgeDbService,
  after: Option.Option<UpdatedPosition>,
  horizonText: string,
  limit: number
): Effect.Effect<ReadonlyArray<UploadCandidateRow>, EdgeDbError> => {
  const { sql, dialect } = db
  const keyset = Option.match(after, {
    onNone: () => sql`1 = 1`,
    onSome: (position) =>
      sql`(c.updated_at > ${position.updated_at} OR (c.updated_at = ${position.updated_at} AND c.customer_id > ${position.customer_id}))`
  })
  return db.use(
    "customers.uploadCandidates",
    sql`SELECT c.customer_id, ${sql.literal(contactColumnsOf("c"))}, c.web_upload,
        ${sql.literal(dialect.timestampText("c.updated_at"))} AS updated_at,
        l.shopify_customer_id, l.link_method,
        ${sql.literal(dialect.timestampText("l.linked_at"))} AS linked_at,
        ${sql.literal(dialect.timestampText("l.invite_sent_at"))} AS invite_sent_at,
        ${sql.literal(dialect.jsonText("l.synced_snapshot"))} AS synced_snapshot,
        ${sql.literal(dialect.timestampText("l.last_pushed_at"))} AS last_pushed_at,
        ${sql.literal(dialect.timestampText("l.last_pulled_at"))} AS last_pulled_at
      FROM customers c LEFT JOIN customer_web_links l ON l.customer_id = c.customer_id
      WHERE (c.web_upload = 1 OR l.customer_id IS NOT NULL)
        AND c.updated_at < ${horizonText}
        AND ${keyset}
      ORDER BY c.updated_at, c.customer_id
      LIMIT ${limit}`
  ).pipe(Effect.flatMap(decodeRows(UploadCandidateRow, "customers.uploadCandidates", db.target)))
}

export const ContactRow = Schema.Struct({ customer_id: IntColumn, ...ContactRowFields, updated_at: Schema.String })
export type ContactRow = typeof ContactRow.Type

/** The contact fields of these customers and their row's last edit (missing ids are simply absent). */
export const contactsByIds = (
  db: EdgeDbService,
  ids: ReadonlyArray<number>
): Effect.Effect<ReadonlyArray<ContactRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      db.use(
        "customers.contactsByIds",
        db.sql`SELECT customer_id, ${db.sql.literal(contactColumns)}, ${db.sql.literal(db.dialect.timestampText("updated_at"))} AS updated_at
          FROM customers WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(ContactRow, "customers.contactsByIds", db.target)))),
    (chunks) => chunks.flat()
  )

/** Sets some contact columns of one customer (names come from ContactFieldName, values are bound). */
export const updateContact = (
  db: EdgeDbService,
  customerId: number,
  values: Readonly<Partial<Record<ContactFieldName, string | null>>>
): Effect.Effect<void, EdgeDbError> =>
  Object.keys(values).length === 0 ? Effect.void : db.use(
    "customers.updateContact",
    Effect.asVoid(db.sql`UPDATE customers SET ${db.sql.update(values)} WHERE customer_id = ${customerId}`.unprepared)
  )

/** Clears "Assign to Web Upload" (only where set, so that untouched rows keep their `updated_at`). */
export const clearWebUpload = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
    db.use(
      "customers.clearWebUpload",
      db.sql`UPDATE customers SET web_upload = 0 WHERE web_upload <> 0 AND customer_id IN ${db.sql.in(chunk)}`.unprepared
    ), { discard: true })

/** Sets "Assign to Web Upload" where not set yet; returns how many rows it changed (run it in a transaction). */
export const setWebUpload = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<number, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      Effect.gen(function*() {
        const unflagged = yield* countUnflagged(db, chunk)
        yield* db.use(
          "customers.setWebUpload",
          db.sql`UPDATE customers SET web_upload = 1 WHERE web_upload = 0 AND customer_id IN ${db.sql.in(chunk)}`.unprepared
        )
        return unflagged
      })),
    (counts) => counts.reduce((a, b) => a + b, 0)
  )

const CountRow = Schema.Struct({ n: IntColumn })

const countUnflagged = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<number, EdgeDbError> =>
  db.use(
    "customers.countUnflagged",
    db.sql`SELECT COUNT(*) AS n FROM customers WHERE web_upload = 0 AND customer_id IN ${db.sql.in(ids)}`.unprepared
  ).pipe(
    Effect.flatMap(decodeRows(CountRow, "customers.countUnflagged", db.target)),
    Effect.map((rows) => rows[0]?.n ?? 0)
  )

/** Which of these ids exist. */
export const existingIds = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<ReadonlySet<number>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      db.use(
        "customers.existingIds",
        db.sql`SELECT customer_id FROM customers WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(Schema.Struct({ customer_id: IntColumn }), "customers.existingIds", db.target)))),
    (chunks) => new Set(chunks.flat().map((row) => row.customer_id))
  )

/** Inserts one customer and returns its new id. */
export const insertOne = (
  db: EdgeDbService,
  values: Readonly<Record<ContactFieldName, string | null>> & { readonly notes: string | null }
): Effect.Effect<number, EdgeDbError> =>
  db.use(
    "customers.insert",
    db.dialect.insertReturningId(db.sql`INSERT INTO customers ${db.sql.insert({ ...values, web_upload: bool(false) })}`)
  )

export type NewCustomerRow = Readonly<Record<ContactFieldName, string | null>> & { readonly notes: string | null }

const newCustomerColumns = [...contactFieldNames, "notes", "web_upload"] as const

const valuesOf = (row: NewCustomerRow): ReadonlyArray<unknown> =>
  newCustomerColumns.map((column) => (column === "web_upload" ? bool(false) : row[column]))

/**
 * Inserts customers (timestamps from the table's defaults), 500 rows per multi-row INSERT, and returns
 * the ids they should have been given, in row order (see `Dialect.insertRowsReturningIds`): confirm
 * them with `insertedAs` in the same transaction before relying on them.
 */
export const insertRows = (
  db: EdgeDbService,
  rows: ReadonlyArray<NewCustomerRow>
): Effect.Effect<ReadonlyArray<number>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, rows, newCustomerColumns.length, 500), (chunk) =>
      db.use("customers.insertRows", db.dialect.insertRowsReturningIds(db.sql, "customers", newCustomerColumns, chunk.map(valuesOf)))),
    (chunks) => chunks.flat()
  )

/**
 * Inserts customers one statement each (500 statements per round trip on MySQL) and returns the ids
 * the database reports for each, in row order: exact whatever the server does with ids, and slower.
 */
export const insertEach = (
  db: EdgeDbService,
  rows: ReadonlyArray<NewCustomerRow>
): Effect.Effect<ReadonlyArray<number>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, rows, newCustomerColumns.length, 500), (chunk) =>
      db.use(
        "customers.insertEach",
        db.dialect.insertEachReturningId(
          db.sql,
          chunk.map((row) => MultiRowInsert.build(db.dialect.name, "customers", newCustomerColumns, [{ ...row, web_upload: bool(false) }]))
        )
      )),
    (chunks) => chunks.flat()
  )

/** Whether customer `ids[i]` holds `rows[i]` (names, email, phones, notes) for every i: the ids are right. */
export const insertedAs = (
  db: EdgeDbService,
  ids: ReadonlyArray<number>,
  rows: ReadonlyArray<NewCustomerRow>
): Effect.Effect<boolean, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      db.use(
        "customers.insertedAs",
        db.sql`SELECT customer_id, first_name, last_name, email, phone_cell, phone_home, phone_work, notes FROM customers
          WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(InsertedRow, "customers.insertedAs", db.target)))),
    (chunks) => {
      const found = new Map(chunks.flat().map((row) => [row.customer_id, row]))
      return ids.length === rows.length && ids.every((id, i) => {
        const row = found.get(id)
        const want = rows[i]!
        return row !== undefined && row.first_name === want.first_name && row.last_name === want.last_name &&
          row.email === want.email && row.phone_cell === want.phone_cell && row.phone_home === want.phone_home &&
          row.phone_work === want.phone_work && row.notes === want.notes
      })
    }
  )

const InsertedRow = Schema.Struct({
  customer_id: IntColumn,
  first_name: NullableText,
  last_name: NullableText,
  email: NullableText,
  phone_cell: NullableText,
  phone_home: NullableText,
  phone_work: NullableText,
  notes: NullableText
})

/** A customer row as the seed writes it (explicit id and timestamps). */
export type SeedCustomerRow = Readonly<Record<ContactFieldName, string | null>> & {
  readonly customer_id: number
  readonly notes: string | null
  readonly web_upload: number
  readonly created_at: string
  readonly updated_at: string
}

const seedColumns = [
  "customer_id",
  ...contactFieldNames,
  "notes",
  "web_upload",
  "created_at",
  "updated_at"
] as const satisfies ReadonlyArray<keyof SeedCustomerRow>

/** Multi-row insert of seeded customers (one statement per chunk). */
export const insertMany = (db: EdgeDbService, rows: ReadonlyArray<SeedCustomerRow>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, seedColumns.length, 1_000), (chunk) =>
    db.use("customers.insertMany", MultiRowInsert.run(db.sql, MultiRowInsert.build(db.dialect.name, "customers", seedColumns, chunk))), {
    discard: true
  })

export const maxId = (db: EdgeDbService): Effect.Effect<number, EdgeDbError> =>
  db.use("customers.maxId", db.sql`SELECT COALESCE(MAX(customer_id), 0) AS n FROM customers`).pipe(
    Effect.flatMap(decodeRows(CountRow, "customers.maxId", db.target)),
    Effect.map((rows) => rows[0]?.n ?? 0)
  )

export const SpenderRow = Schema.Struct({
  customer_id: IntColumn,
  first_name: NullableText,
  last_name: NullableText,
  email: NullableText,
  web_upload: BoolColumn,
  linked: BoolColumn,
  spend_cents: Schema.Union(IntColumn, Schema.Null)
})
export type SpenderRow = typeof SpenderRow.Type

/**
 * The `limit` customers with the highest lifetime spend (sum of their sales' totals, void sales left
 * out), ties broken by lower customer id; linked customers are left out when `unlinkedOnly`.
 */
export const topSpenders = (
  db: EdgeDbService,
  limit: number,
  unlinkedOnly: boolean
): Effect.Effect<ReadonlyArray<SpenderRow>, EdgeDbError> => {
  const { sql, dialect } = db
  return db.use(
    "customers.topSpenders",
    sql`SELECT c.customer_id, c.first_name, c.last_name, c.email, c.web_upload,
        CASE WHEN l.customer_id IS NULL THEN 0 ELSE 1 END AS linked, t.spend_cents
      FROM (SELECT customer_id, SUM(${sql.literal(dialect.centsOf("total"))}) AS spend_cents
            FROM sales WHERE customer_id IS NOT NULL AND status <> 'void' GROUP BY customer_id) t
      JOIN customers c ON c.customer_id = t.customer_id
      LEFT JOIN customer_web_links l ON l.customer_id = c.customer_id
      WHERE ${unlinkedOnly ? sql`l.customer_id IS NULL` : sql`1 = 1`}
      ORDER BY t.spend_cents DESC, c.customer_id
      LIMIT ${limit}`.unprepared
  ).pipe(Effect.flatMap(decodeRows(SpenderRow, "customers.topSpenders", db.target)))
}

/** The same facts for customers chosen by id (missing ids are absent). */
export const spendersByIds = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<SpenderRow>, EdgeDbError> => {
  const { sql, dialect } = db
  return Effect.map(
    Effect.forEach(chunksFor(dialect, ids, 1), (chunk) =>
      db.use(
        "customers.spendersByIds",
        sql`SELECT c.customer_id, c.first_name, c.last_name, c.email, c.web_upload,
            CASE WHEN l.customer_id IS NULL THEN 0 ELSE 1 END AS linked,
            (SELECT SUM(${sql.literal(dialect.centsOf("s.total"))}) FROM sales s WHERE s.customer_id = c.customer_id AND s.status <> 'void') AS spend_cents
          FROM customers c LEFT JOIN customer_web_links l ON l.customer_id = c.customer_id
          WHERE c.customer_id IN ${sql.in(chunk)}
          ORDER BY c.customer_id`.unprepared
      ).pipe(Effect.flatMap(decodeRows(SpenderRow, "customers.spendersByIds", db.target)))),
    (chunks) => chunks.flat()
  )
}
