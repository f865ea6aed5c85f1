// Contact fields changed on both sides since the last sync, and how each was resolved
// (`edgesync_contact_conflicts`): storage for the three-way merge of the mission pipelines, whose rules
// decide. Keyed like match decisions: recording the same key again replaces it.
import { Effect, Option, Schema } from "effect"
import { ContactFieldName } from "./ContactFields.js"
import { EdgeDb } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import { EdgeRecordError } from "./EdgeRecordError.js"
import * as ConflictStatements from "./sql/ConflictStatements.js"
import { timestamp } from "./sql/Dialect.js"
import * as StoredText from "./StoredText.js"

export const ContactConflict = Schema.Struct({
  /** Idempotency key, unique (for example `<customer id>:<field>:<Shopify updatedAt>`). */
  key: Schema.String,
  detectedAt: Schema.Date,
  pipeline: Schema.String,
  runId: Schema.String,
  customerId: Schema.Int,
  shopifyCustomerId: Schema.NullOr(Schema.String),
  field: ContactFieldName,
  /** The snapshot's value (what both sides agreed on last time). */
  base: Schema.NullOr(Schema.String),
  edge: Schema.NullOr(Schema.String),
  shopify: Schema.NullOr(Schema.String),
  /** The `conflicts` policy that resolved it (`edge-wins`, `shopify-wins`, `newest-wins`). */
  resolution: Schema.String,
  chosen: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ContactConflict" })
export type ContactConflict = typeof ContactConflict.Type

export interface RecordedContactConflict extends ContactConflict {
  readonly id: number
}

export interface ContactConflictFilter {
  readonly since?: Date | undefined
  readonly customerId?: number | undefined
  readonly runId?: string | undefined
  /** Newest first; 100 unless given. */
  readonly limit?: number | undefined
}

export class ContactConflicts extends Effect.Service<ContactConflicts>()("edgesync/edge/ContactConflicts", {
  effect: Effect.gen(function*() {
    const db = yield* EdgeDb

    const record = (conflicts: ReadonlyArray<ContactConflict>): Effect.Effect<void, EdgeDbError | EdgeRecordError> =>
      Effect.gen(function*() {
        for (const c of conflicts) {
          const problem = StoredText.problem(c.key, 255)
          if (Option.isSome(problem)) {
            return yield* new EdgeRecordError({ reason: "InvalidText", stage: "contactConflicts.record", key: c.key, field: "key", detail: problem.value })
          }
        }
        yield* ConflictStatements.upsert(
          db,
          conflicts.map((c) => ({
            conflict_key: c.key,
            detected_at: timestamp(c.detectedAt),
            pipeline: c.pipeline,
            run_id: c.runId,
            customer_id: c.customerId,
            shopify_customer_id: c.shopifyCustomerId,
            field_name: c.field,
            base_value: c.base,
            edge_value: c.edge,
            shopify_value: c.shopify,
            resolution: c.resolution,
            chosen_value: c.chosen
          }))
        )
      }).pipe(Effect.withSpan("ContactConflicts.record"))

    const list = (filter: ContactConflictFilter = {}): Effect.Effect<ReadonlyArray<RecordedContactConflict>, EdgeDbError> =>
      ConflictStatements.list(db, {
        since: Option.map(Option.fromNullable(filter.since), timestamp),
        customerId: Option.fromNullable(filter.customerId),
        runId: Option.fromNullable(filter.runId),
        limit: filter.limit ?? 100
      }).pipe(
        Effect.map((rows) =>
          rows.map((row): RecordedContactConflict => ({
            id: row.conflict_id,
            key: row.conflict_key,
            detectedAt: row.detected_at,
            pipeline: row.pipeline,
            runId: row.run_id,
            customerId: row.customer_id,
            shopifyCustomerId: row.shopify_customer_id,
            field: row.field_name,
            base: row.base_value,
            edge: row.edge_value,
            shopify: row.shopify_value,
            resolution: row.resolution,
            chosen: row.chosen_value
          }))
        ),
        Effect.withSpan("ContactConflicts.list")
      )

    return { record, list } as const
  })
}) {}
