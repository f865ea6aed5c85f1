// Every statement on `customer_web_links`.
import { Effect, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { decodeRows, IntColumn, NullableText } from "./Columns.js"
import { chunksFor } from "./Dialect.js"

const columns = (db: EdgeDbService, alias = "") => {
  const p = alias === "" ? "" : `${alias}.`
  const ts = db.dialect.timestampText
  return `${p}customer_id, ${p}shopify_customer_id, ${p}link_method, ${ts(`${p}linked_at`)} AS linked_at, ` +
    `${ts(`${p}invite_sent_at`)} AS invite_sent_at, ${db.dialect.jsonText(`${p}synced_snapshot`)} AS synced_snapshot, ` +
    `${ts(`${p}last_pushed_at`)} AS last_pushed_at, ${ts(`${p}last_pulled_at`)} AS last_pulled_at`
}

/** A link row; timestamps stay text so that they are written back unchanged. */
export const LinkRow = Schema.Struct({
  customer_id: IntColumn,
  shopify_customer_id: Schema.String,
  link_method: Schema.String,
  linked_at: Schema.String,
  invite_sent_at: NullableText,
  synced_snapshot: NullableText,
  last_pushed_at: NullableText,
  last_pulled_at: NullableText
})
export type LinkRow = typeof LinkRow.Type

export const byCustomerIds = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<LinkRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
      db.use(
        "links.byCustomerIds",
        db.sql`SELECT ${db.sql.literal(columns(db))} FROM customer_web_links WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(LinkRow, "links.byCustomerIds", db.target)))),
    (chunks) => chunks.flat()
  )

export const byShopifyIds = (db: EdgeDbService, gids: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<LinkRow>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, gids, 1), (chunk) =>
      db.use(
        "links.byShopifyIds",
        db.sql`SELECT ${db.sql.literal(columns(db))} FROM customer_web_links WHERE shopify_customer_id IN ${db.sql.in(chunk)}`
          .unprepared
      ).pipe(Effect.flatMap(decodeRows(LinkRow, "links.byShopifyIds", db.target)))),
    (chunks) => chunks.flat()
  )

/** A link as written: every column, timestamps as text. */
export type LinkWrite = {
  readonly customer_id: number
  readonly shopify_customer_id: string
  readonly link_method: string
  readonly linked_at: string
  readonly invite_sent_at: string | null
  readonly synced_snapshot: string | null
  readonly last_pushed_at: string | null
  readonly last_pulled_at: string | null
}

const updatable = [
  "shopify_customer_id",
  "link_method",
  "linked_at",
  "invite_sent_at",
  "synced_snapshot",
  "last_pushed_at",
  "last_pulled_at"
]

/** Inserts or replaces links by customer id (one statement per chunk). */
export const upsert = (db: EdgeDbService, rows: ReadonlyArray<LinkWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 8), (chunk) =>
    db.use(
      "links.upsert",
      db.sql`INSERT INTO customer_web_links ${db.sql.insert(chunk)} ${db.sql.literal(db.dialect.upsertTail(["customer_id"], updatable))}`
        .unprepared
    ), { discard: true })

/** Replaces one link's snapshot after a pull from Shopify. */
export const updateSnapshot = (
  db: EdgeDbService,
  customerId: number,
  snapshotJson: string,
  pulledAt: string
): Effect.Effect<void, EdgeDbError> =>
  db.use(
    "links.updateSnapshot",
    Effect.asVoid(
      db.sql`UPDATE customer_web_links SET synced_snapshot = ${snapshotJson}, last_pulled_at = ${pulledAt}
        WHERE customer_id = ${customerId}`
    )
  )

/** Removes links (`edgesync customers unlink`); returns nothing, absent ids are ignored. */
export const remove = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, ids, 1), (chunk) =>
    db.use("links.remove", db.sql`DELETE FROM customer_web_links WHERE customer_id IN ${db.sql.in(chunk)}`.unprepared), {
    discard: true
  })
