// Every statement on `edgesync_contact_conflicts`.
import { Effect, Option, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { ContactFieldName } from "../ContactFields.js"
import { decodeRows, IntColumn, NullableText, UtcTimestampColumn } from "./Columns.js"
import { chunksFor } from "./Dialect.js"

export type ConflictWrite = {
  readonly conflict_key: string
  readonly detected_at: string
  readonly pipeline: string
  readonly run_id: string
  readonly customer_id: number
  readonly shopify_customer_id: string | null
  readonly field_name: string
  readonly base_value: string | null
  readonly edge_value: string | null
  readonly shopify_value: string | null
  readonly resolution: string
  readonly chosen_value: string | null
}

const updatable = [
  "detected_at",
  "pipeline",
  "run_id",
  "customer_id",
  "shopify_customer_id",
  "field_name",
  "base_value",
  "edge_value",
  "shopify_value",
  "resolution",
  "chosen_value"
]

/** Records conflicts; one whose key is already recorded replaces it. */
export const upsert = (db: EdgeDbService, rows: ReadonlyArray<ConflictWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 12), (chunk) =>
    db.use(
      "contactConflicts.upsert",
      db.sql`INSERT INTO edgesync_contact_conflicts ${db.sql.insert(chunk)} ${
        db.sql.literal(db.dialect.upsertTail(["conflict_key"], updatable))
      }`.unprepared
    ), { discard: true })

export const ConflictRow = Schema.Struct({
  conflict_id: IntColumn,
  conflict_key: Schema.String,
  detected_at: UtcTimestampColumn,
  pipeline: Schema.String,
  run_id: Schema.String,
  customer_id: IntColumn,
  shopify_customer_id: NullableText,
  field_name: ContactFieldName,
  base_value: NullableText,
  edge_value: NullableText,
  shopify_value: NullableText,
  resolution: Schema.String,
  chosen_value: NullableText
})
export type ConflictRow = typeof ConflictRow.Type

export interface ConflictQuery {
  readonly since: Option.Option<string>
  readonly customerId: Option.Option<number>
  readonly runId: Option.Option<string>
  readonly limit: number
}

/** Conflicts, newest first. */
export const list = (db: EdgeDbService, query: ConflictQuery): Effect.Effect<ReadonlyArray<ConflictRow>, EdgeDbError> => {
  const { sql } = db
  const clauses = [
    ...Option.match(query.since, { onNone: () => [], onSome: (since) => [sql`detected_at >= ${since}`] }),
    ...Option.match(query.customerId, { onNone: () => [], onSome: (id) => [sql`customer_id = ${id}`] }),
    ...Option.match(query.runId, { onNone: () => [], onSome: (id) => [sql`run_id = ${id}`] })
  ]
  return db.use(
    "contactConflicts.list",
    sql`SELECT conflict_id, conflict_key, ${sql.literal(db.dialect.timestampText("detected_at"))} AS detected_at, pipeline, run_id,
        customer_id, shopify_customer_id, field_name, base_value, edge_value, shopify_value, resolution, chosen_value
      FROM edgesync_contact_conflicts
      WHERE ${clauses.length === 0 ? sql`1 = 1` : sql.and(clauses)}
      ORDER BY detected_at DESC, conflict_id DESC
      LIMIT ${query.limit}`.unprepared
  ).pipe(Effect.flatMap(decodeRows(ConflictRow, "contactConflicts.list", db.target)))
}
