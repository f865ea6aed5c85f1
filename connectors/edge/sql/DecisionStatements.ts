// Every statement on `edgesync_match_decisions`.
import { Effect, Option, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { BoolColumn, decodeRows, IntColumn, NullableText, UtcTimestampColumn } from "./Columns.js"
import { chunksFor } from "./Dialect.js"

export type DecisionWrite = {
  readonly decision_key: string
  readonly decided_at: string
  readonly pipeline: string
  readonly run_id: string
  readonly shopify_customer_id: string | null
  readonly shopify_order_id: string | null
  readonly edge_customer_id: number | null
  readonly match_rule: string
  readonly candidates: string
  readonly ambiguous: number
  readonly note: string | null
}

const updatable = [
  "decided_at",
  "pipeline",
  "run_id",
  "shopify_customer_id",
  "shopify_order_id",
  "edge_customer_id",
  "match_rule",
  "candidates",
  "ambiguous",
  "note"
]

/** Records decisions; a decision with a key already recorded replaces it (re-running records once). */
export const upsert = (db: EdgeDbService, rows: ReadonlyArray<DecisionWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 11), (chunk) =>
    db.use(
      "matchDecisions.upsert",
      db.sql`INSERT INTO edgesync_match_decisions ${db.sql.insert(chunk)} ${
        db.sql.literal(db.dialect.upsertTail(["decision_key"], updatable))
      }`.unprepared
    ), { discard: true })

export const DecisionRow = Schema.Struct({
  decision_id: IntColumn,
  decision_key: Schema.String,
  decided_at: UtcTimestampColumn,
  pipeline: Schema.String,
  run_id: Schema.String,
  shopify_customer_id: NullableText,
  shopify_order_id: NullableText,
  edge_customer_id: Schema.NullOr(IntColumn),
  match_rule: Schema.String,
  candidates: Schema.parseJson(Schema.Array(Schema.Int)),
  ambiguous: BoolColumn,
  note: NullableText
})
export type DecisionRow = typeof DecisionRow.Type

export interface DecisionQuery {
  readonly ambiguousOnly: boolean
  /** UTC timestamp text; decisions at or after it. */
  readonly since: Option.Option<string>
  readonly shopifyCustomerId: Option.Option<string>
  readonly shopifyOrderId: Option.Option<string>
  readonly edgeCustomerId: Option.Option<number>
  readonly limit: number
}

/** Decisions, newest first. */
export const list = (db: EdgeDbService, query: DecisionQuery): Effect.Effect<ReadonlyArray<DecisionRow>, EdgeDbError> => {
  const { sql } = db
  const clauses = [
    ...(query.ambiguousOnly ? [sql`ambiguous = 1`] : []),
    ...Option.match(query.since, { onNone: () => [], onSome: (since) => [sql`decided_at >= ${since}`] }),
    ...Option.match(query.shopifyCustomerId, { onNone: () => [], onSome: (id) => [sql`shopify_customer_id = ${id}`] }),
    ...Option.match(query.shopifyOrderId, { onNone: () => [], onSome: (id) => [sql`shopify_order_id = ${id}`] }),
    ...Option.match(query.edgeCustomerId, { onNone: () => [], onSome: (id) => [sql`edge_customer_id = ${id}`] })
  ]
  return db.use(
    "matchDecisions.list",
    sql`SELECT decision_id, decision_key, ${sql.literal(db.dialect.timestampText("decided_at"))} AS decided_at, pipeline, run_id,
        shopify_customer_id, shopify_order_id, edge_customer_id, match_rule, candidates, ambiguous, note
      FROM edgesync_match_decisions
      WHERE ${clauses.length === 0 ? sql`1 = 1` : sql.and(clauses)}
      ORDER BY decided_at DESC, decision_id DESC
      LIMIT ${query.limit}`.unprepared
  ).pipe(Effect.flatMap(decodeRows(DecisionRow, "matchDecisions.list", db.target)))
}
