// The recorded customer-matching decisions (`edgesync_match_decisions`): which Shopify customer or order
// went to which Edge customer by what rule, among which candidates, so that a person can audit and
// correct links (`edgesync matches`). A decision is keyed (for example `order:<gid>`): recording the
// same key again replaces it, so a replayed batch does not record twice.
import { Effect, Option, Schema } from "effect"
import { EdgeDb } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import { EdgeRecordError } from "./EdgeRecordError.js"
import { bool, timestamp } from "./sql/Dialect.js"
import * as DecisionStatements from "./sql/DecisionStatements.js"
import * as StoredText from "./StoredText.js"

export const MatchDecision = Schema.Struct({
  /** Idempotency key, unique (`order:gid://shopify/Order/1`, `customer:gid://shopify/Customer/7`). */
  key: Schema.String,
  decidedAt: Schema.Date,
  pipeline: Schema.String,
  runId: Schema.String,
  shopifyCustomerId: Schema.NullOr(Schema.String),
  shopifyOrderId: Schema.NullOr(Schema.String),
  /** The Edge customer chosen (null when none was, e.g. a dry run or a refusal). */
  edgeCustomerId: Schema.NullOr(Schema.Int),
  /** The rule that decided (`linked`, `email`, `phone`, `email+phone`, `created`...: the mission's vocabulary). */
  rule: Schema.String,
  /** Every Edge customer that matched, in ranking order. */
  candidates: Schema.Array(Schema.Int),
  ambiguous: Schema.Boolean,
  note: Schema.NullOr(Schema.String)
}).annotations({ identifier: "MatchDecision" })
export type MatchDecision = typeof MatchDecision.Type

export interface RecordedMatchDecision extends MatchDecision {
  readonly id: number
}

export interface MatchDecisionFilter {
  readonly ambiguousOnly?: boolean | undefined
  readonly since?: Date | undefined
  readonly shopifyCustomerId?: string | undefined
  readonly shopifyOrderId?: string | undefined
  readonly edgeCustomerId?: number | undefined
  /** Newest first; 100 unless given. */
  readonly limit?: number | undefined
}

export class MatchDecisions extends Effect.Service<MatchDecisions>()("edgesync/edge/MatchDecisions", {
  effect: Effect.gen(function*() {
    const db = yield* EdgeDb

    const record = (decisions: ReadonlyArray<MatchDecision>): Effect.Effect<void, EdgeDbError | EdgeRecordError> =>
      Effect.gen(function*() {
        for (const d of decisions) {
          for (const [field, value] of [["key", d.key], ["pipeline", d.pipeline], ["runId", d.runId]] as const) {
            const problem = StoredText.problem(value, field === "key" ? 255 : 100)
            if (Option.isSome(problem)) {
              return yield* new EdgeRecordError({ reason: "InvalidText", stage: "matchDecisions.record", key: d.key, field, detail: problem.value })
            }
          }
        }
        yield* DecisionStatements.upsert(
          db,
          decisions.map((d) => ({
            decision_key: d.key,
            decided_at: timestamp(d.decidedAt),
            pipeline: d.pipeline,
            run_id: d.runId,
            shopify_customer_id: d.shopifyCustomerId,
            shopify_order_id: d.shopifyOrderId,
            edge_customer_id: d.edgeCustomerId,
            match_rule: d.rule,
            candidates: JSON.stringify(d.candidates),
            ambiguous: bool(d.ambiguous),
            note: d.note
          }))
        )
      }).pipe(Effect.withSpan("MatchDecisions.record"))

    const list = (filter: MatchDecisionFilter = {}): Effect.Effect<ReadonlyArray<RecordedMatchDecision>, EdgeDbError> =>
      DecisionStatements.list(db, {
        ambiguousOnly: filter.ambiguousOnly ?? false,
        since: Option.map(Option.fromNullable(filter.since), timestamp),
        shopifyCustomerId: Option.fromNullable(filter.shopifyCustomerId),
        shopifyOrderId: Option.fromNullable(filter.shopifyOrderId),
        edgeCustomerId: Option.fromNullable(filter.edgeCustomerId),
        limit: filter.limit ?? 100
      }).pipe(
        Effect.map((rows) =>
          rows.map((row): RecordedMatchDecision => ({
            id: row.decision_id,
            key: row.decision_key,
            decidedAt: row.decided_at,
            pipeline: row.pipeline,
            runId: row.run_id,
            shopifyCustomerId: row.shopify_customer_id,
            shopifyOrderId: row.shopify_order_id,
            edgeCustomerId: row.edge_customer_id,
            rule: row.match_rule,
            candidates: row.candidates,
            ambiguous: row.ambiguous,
            note: row.note
          }))
        ),
        Effect.withSpan("MatchDecisions.list")
      )

    return { record, list } as const
  })
}) {}
