// Every statement on `edgesync_customer_match_keys` and `edgesync_match_keys_state`, and the reads
// of `customers` the index is derived from.
import { Effect, Option, Schema } from "effect"
import { contactFieldNames } from "../ContactFields.js"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { LinkMethod } from "../LinkMethod.js"
import { decodeRows, IntColumn, NullableText } from "./Columns.js"
import { chunksFor } from "./Dialect.js"
import * as MultiRowInsert from "./MultiRowInsert.js"

export const IndexState = Schema.Struct({
  default_country: Schema.String,
  /** Customers updated at or after this `updated_at` text are looked at again by the next refresh. */
  refreshed_from: Schema.String,
  /** Customers with a higher id are new since the last refresh, whatever their `updated_at`. */
  max_customer_id: IntColumn
})
export type IndexState = typeof IndexState.Type

export const state = (db: EdgeDbService): Effect.Effect<Option.Option<IndexState>, EdgeDbError> =>
  db.use(
    "matchKeys.state",
    db.sql`SELECT default_country, refreshed_from, max_customer_id FROM edgesync_match_keys_state WHERE id = 1`
  ).pipe(
    Effect.flatMap(decodeRows(IndexState, "matchKeys.state", db.target)),
    Effect.map((rows) => Option.fromNullable(rows[0]))
  )

export const saveState = (db: EdgeDbService, next: IndexState): Effect.Effect<void, EdgeDbError> =>
  db.use(
    "matchKeys.saveState",
    Effect.asVoid(
      db.sql`INSERT INTO edgesync_match_keys_state ${db.sql.insert({ id: 1, ...next })} ${
        db.sql.literal(db.dialect.upsertTail(["id"], ["default_country", "refreshed_from", "max_customer_id"]))
      }`.unprepared
    )
  )

/** What the keys of one customer are derived from. */
export const SourceRow = Schema.Struct({
  customer_id: IntColumn,
  email: NullableText,
  phone_cell: NullableText,
  phone_home: NullableText,
  phone_work: NullableText,
  country: NullableText
})
export type SourceRow = typeof SourceRow.Type

const sourceColumns = "customer_id, email, phone_cell, phone_home, phone_work, country"

/** Customers updated at or after `from`, or with an id above `maxId`. */
export const changedSince = (
  db: EdgeDbService,
  from: string,
  maxId: number
): Effect.Effect<ReadonlyArray<SourceRow>, EdgeDbError> =>
  db.use(
    "matchKeys.changedSince",
    db.sql`SELECT ${db.sql.literal(sourceColumns)} FROM customers WHERE updated_at >= ${from}
      UNION SELECT ${db.sql.literal(sourceColumns)} FROM customers WHERE customer_id > ${maxId}`
  ).pipe(Effect.flatMap(decodeRows(SourceRow, "matchKeys.changedSince", db.target)))

/** A page of all customers by id, for a full rebuild. */
export const sourcePage = (db: EdgeDbService, afterId: number, limit: number): Effect.Effect<ReadonlyArray<SourceRow>, EdgeDbError> =>
  db.use(
    "matchKeys.sourcePage",
    db.sql`SELECT ${db.sql.literal(sourceColumns)} FROM customers WHERE customer_id > ${afterId} ORDER BY customer_id LIMIT ${limit}`
  ).pipe(Effect.flatMap(decodeRows(SourceRow, "matchKeys.sourcePage", db.target)))

export const sourceByIds = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<SourceRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      db.use(
        "matchKeys.sourceByIds",
        db.sql`SELECT ${db.sql.literal(sourceColumns)} FROM customers WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(SourceRow, "matchKeys.sourceByIds", db.target)))),
    (chunks) => chunks.flat()
  )

export const KeyRow = Schema.Struct({
  kind: Schema.Literal("email", "phone"),
  match_key: Schema.String,
  customer_id: IntColumn
})
export type KeyRow = typeof KeyRow.Type

export const keysOf = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<KeyRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      db.use(
        "matchKeys.keysOf",
        db.sql`SELECT kind, match_key, customer_id FROM edgesync_customer_match_keys WHERE customer_id IN ${db.sql.in(chunk)}`
          .unprepared
      ).pipe(Effect.flatMap(decodeRows(KeyRow, "matchKeys.keysOf", db.target)))),
    (chunks) => chunks.flat()
  )

export const deleteKeysOf = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
    db.use(
      "matchKeys.deleteKeysOf",
      db.sql`DELETE FROM edgesync_customer_match_keys WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared
    ), { discard: true })

export const deleteAll = (db: EdgeDbService): Effect.Effect<void, EdgeDbError> =>
  db.use("matchKeys.deleteAll", Effect.asVoid(db.sql`DELETE FROM edgesync_customer_match_keys`))

export const insertKeys = (db: EdgeDbService, rows: ReadonlyArray<KeyRow>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 3, 5_000), (chunk) =>
    db.use(
      "matchKeys.insert",
      MultiRowInsert.run(
        db.sql,
        MultiRowInsert.build(
          db.dialect.name,
          "edgesync_customer_match_keys",
          ["kind", "match_key", "customer_id"],
          chunk,
          db.dialect.ignoreDuplicatesTail(["kind", "match_key", "customer_id"])
        )
      )
    ), { discard: true })

/** The customers holding any of these keys. */
export const find = (
  db: EdgeDbService,
  kind: "email" | "phone",
  keys: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<KeyRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, keys, 1), (chunk) =>
      db.use(
        "matchKeys.find",
        db.sql`SELECT kind, match_key, customer_id FROM edgesync_customer_match_keys
          WHERE kind = ${kind} AND match_key IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(KeyRow, "matchKeys.find", db.target)))),
    (chunks) => chunks.flat()
  )

export const CandidateRow = Schema.Struct({
  customer_id: IntColumn,
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
  country: NullableText,
  updated_at: Schema.String,
  last_sale_at: NullableText,
  shopify_customer_id: NullableText,
  link_method: Schema.NullOr(LinkMethod)
})
export type CandidateRow = typeof CandidateRow.Type

/** What tie-breaking and linking need to know about matched customers (deleted ones are absent). */
export const candidates = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<CandidateRow>, EdgeDbError> => {
  const { sql, dialect } = db
  return Effect.map(
    Effect.forEach(chunksFor(dialect, ids, 2), (chunk) =>
      db.use(
        "matchKeys.candidates",
        sql`SELECT c.customer_id, ${sql.literal(contactFieldNames.map((n) => `c.${n}`).join(", "))},
            ${sql.literal(dialect.timestampText("c.updated_at"))} AS updated_at,
            ${sql.literal(dialect.timestampText("s.last_sale_at"))} AS last_sale_at,
            l.shopify_customer_id, l.link_method
          FROM customers c
          LEFT JOIN (SELECT customer_id, MAX(sale_date) AS last_sale_at FROM sales
                     WHERE customer_id IN ${sql.in(chunk)} GROUP BY customer_id) s ON s.customer_id = c.customer_id
          LEFT JOIN customer_web_links l ON l.customer_id = c.customer_id
          WHERE c.customer_id IN ${sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(CandidateRow, "matchKeys.candidates", db.target)))),
    (chunks) => chunks.flat()
  )
}
