// Source `edge.customersToUpload`: customers flagged "Assign to Web Upload" and not linked yet, and linked
// customers whose synced contact fields differ from the link's snapshot.
//
// Cursor: the `(updated_at, customer_id)` of the last customer emitted, read in that order. Why this
// never loses an edit and never repeats one:
// - every edit moves `updated_at` forward (ON UPDATE / the SQLite trigger), so an edited customer
//   reappears after any cursor, in this run or the next;
// - a read stops before a horizon `changeSettleMillis` in the past, fixed when the read starts: an edit
//   whose UPDATE ran just before we read but committed just after (its `updated_at` is the time of the
//   UPDATE) is still ahead of the horizon, so the cursor never steps past an edit it could not see;
// - whether a linked customer is emitted is decided against its snapshot, not the timestamp: touching a
//   row without changing a synced field (notes, the web-upload flag, the sinks' own writes) emits
//   nothing, and an unchanged customer is never emitted.
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import * as Stage from "../../core/Stage.js"
import { changedFields, empty, pick } from "./ContactFields.js"
import { EdgeCustomer } from "./EdgeCustomer.js"
import { EdgeDb, type EdgeDbService } from "./EdgeDb.js"
import { type EdgeDbError, inStage } from "./EdgeDbError.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import { decodeLinkInfo } from "./sql/LinkInfoColumns.js"

export const UploadCursor = Schema.Struct({
  /** `updated_at` as the database wrote it (text, full precision). */
  updated_at: Schema.String,
  customer_id: Schema.Int
}).annotations({ identifier: "UploadCursor" })
export type UploadCursor = typeof UploadCursor.Type

const pageSize = 500

/** What to emit for one candidate row, if anything. */
export const classify = (
  db: EdgeDbService,
  row: CustomerStatements.UploadCandidateRow
): Effect.Effect<Option.Option<EdgeCustomer>, EdgeDbError> =>
  Effect.gen(function*() {
    const link = yield* decodeLinkInfo(row, "customersToUpload.read", db.target)
    const fields = pick(row)
    const base = {
      customer_id: row.customer_id,
      fields,
      web_upload: row.web_upload,
      updated_at: row.updated_at
    }
    if (Option.isNone(link)) {
      return row.web_upload
        ? Option.some<EdgeCustomer>({ ...base, reason: "upload", changed: changedFields(fields, empty), link: null })
        : Option.none()
    }
    // A link made without a snapshot has agreed on nothing yet: every field is to be sent.
    const changed = changedFields(fields, link.value.synced_snapshot ?? empty)
    const unsnapshotted = link.value.synced_snapshot === null
    return changed.length > 0 || unsnapshotted
      ? Option.some<EdgeCustomer>({ ...base, reason: "changed", changed, link: link.value })
      : Option.none()
  })

export const customersToUpload = Stage.source({
  name: "edge.customersToUpload",
  description: "Edge customers assigned to web upload and not linked yet, and linked customers whose contact fields changed in Edge",
  record: EdgeCustomer,
  cursor: UploadCursor,
  key: (customer) => String(customer.customer_id),
  read: (cursor, ctx) =>
    Stream.unwrap(Effect.gen(function*() {
      const db = yield* EdgeDb
      const horizon = yield* CustomerStatements.horizon(db, db.settings.changeSettleMillis)
      const size = Option.match(ctx.limit, { onNone: () => pageSize, onSome: (n) => Math.max(1, Math.min(pageSize, n)) })
      return Stream.paginateChunkEffect(cursor, (after) =>
        Effect.gen(function*() {
          const rows = yield* CustomerStatements.uploadCandidates(db, after, horizon, size)
          const emitted: Array<Stage.Sourced<EdgeCustomer, UploadCursor>> = []
          for (const row of rows) {
            const record = yield* classify(db, row)
            if (Option.isSome(record)) {
              emitted.push({ record: record.value, cursor: { updated_at: row.updated_at, customer_id: row.customer_id } })
            }
          }
          const last = rows[rows.length - 1]
          const next = rows.length < size || last === undefined
            ? Option.none<Option.Option<UploadCursor>>()
            : Option.some(Option.some<UploadCursor>({ updated_at: last.updated_at, customer_id: last.customer_id }))
          return [Chunk.unsafeFromArray(emitted), next] as const
        }))
    })).pipe(Stream.mapError(inStage(ctx)))
})
