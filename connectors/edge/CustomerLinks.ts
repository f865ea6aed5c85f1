// Sink `edge.customerLinks`: links Edge customers to Shopify customers (method, snapshot, timestamps),
// clears "Assign to Web Upload" of every customer it links (the request is fulfilled), and records when
// Shopify's invite was sent. Transactional: the links and the checkpoint commit together.
//
// A re-sent link is idempotent: the link keeps its first `linked_at` and its first `invite_sent_at`
// (an invite is recorded once and never moved), the snapshot and push/pull times are replaced.
import { Clock, Effect, Option, Schema } from "effect"
import type { Classified } from "../../core/EtlError.js"
import * as Stage from "../../core/Stage.js"
import { SnapshotJson } from "./ContactFields.js"
import type { CustomerLink } from "./CustomerLink.js"
import { EdgeDb, type EdgeDbService } from "./EdgeDb.js"
import { type EdgeDbError, inStage } from "./EdgeDbError.js"
import { EdgeRecordError } from "./EdgeRecordError.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import { timestamp } from "./sql/Dialect.js"
import * as LinkStatements from "./sql/LinkStatements.js"
import * as StoredText from "./StoredText.js"

const stageName = "edge.customerLinks"

const encodeSnapshot = Schema.encodeSync(SnapshotJson)

/** Writes links (no transaction of its own: the caller's). Outcomes in batch order. */
export const writeLinks = (
  db: EdgeDbService,
  batch: ReadonlyArray<CustomerLink>,
  options: { readonly dryRun: boolean } = { dryRun: false }
): Effect.Effect<ReadonlyArray<Stage.SinkOutcome>, EdgeDbError> =>
  Effect.gen(function*() {
    const now = timestamp(new Date(yield* Clock.currentTimeMillis))
    const customerIds = [...new Set(batch.map((link) => link.customer_id))]
    const exists = yield* CustomerStatements.existingIds(db, customerIds)
    const current = new Map((yield* LinkStatements.byCustomerIds(db, customerIds)).map((row) => [row.customer_id, row]))
    // Who holds each Shopify id now; updated as the batch is decided so that two records cannot claim one id.
    const holder = new Map(
      (yield* LinkStatements.byShopifyIds(db, [...new Set(batch.map((link) => link.shopify_customer_id))]))
        .map((row) => [row.shopify_customer_id, row.customer_id])
    )
    const lastIndex = new Map(batch.map((link, i) => [link.customer_id, i]))
    const rows = new Map<number, LinkStatements.LinkWrite>()
    const outcomes = batch.map((link, i): Stage.SinkOutcome => {
      const refuse = (reason: EdgeRecordError["reason"], field: string, detail: string) =>
        Stage.rejected(new EdgeRecordError({ reason, stage: stageName, key: String(link.customer_id), field, detail }))
      const gidProblem = StoredText.problem(link.shopify_customer_id, 255)
      if (Option.isSome(gidProblem)) return refuse("InvalidText", "shopify_customer_id", gidProblem.value)
      if (link.shopify_customer_id.trim() === "") return refuse("InvalidValue", "shopify_customer_id", "is empty")
      if (!exists.has(link.customer_id)) return refuse("UnknownCustomer", "customer_id", "names no Edge customer")
      if (lastIndex.get(link.customer_id) !== i) return Stage.skipped("a later link for this customer is in the same batch")
      const other = holder.get(link.shopify_customer_id)
      if (other !== undefined && other !== link.customer_id) {
        return refuse("LinkConflict", "shopify_customer_id", `${link.shopify_customer_id} is already linked to Edge customer ${other}`)
      }
      const before = current.get(link.customer_id)
      const sameTarget = before !== undefined && before.shopify_customer_id === link.shopify_customer_id
      if (before !== undefined && !sameTarget) holder.delete(before.shopify_customer_id)
      holder.set(link.shopify_customer_id, link.customer_id)
      rows.set(link.customer_id, {
        customer_id: link.customer_id,
        shopify_customer_id: link.shopify_customer_id,
        link_method: sameTarget ? before.link_method : link.link_method,
        linked_at: sameTarget ? before.linked_at : now,
        invite_sent_at: (sameTarget ? before.invite_sent_at : null) ??
          (link.invite_sent_at === null ? null : timestamp(link.invite_sent_at)),
        synced_snapshot: encodeSnapshot(link.snapshot),
        last_pushed_at: link.pushed ? now : sameTarget ? before.last_pushed_at : null,
        last_pulled_at: link.pulled ? now : sameTarget ? before.last_pulled_at : null
      })
      return Stage.written(before === undefined ? "linked" : sameTarget ? "refreshed" : "relinked")
    })
    if (!options.dryRun && rows.size > 0) {
      yield* LinkStatements.upsert(db, [...rows.values()])
      yield* CustomerStatements.clearWebUpload(db, [...rows.keys()])
    }
    return outcomes
  })

export const customerLinks = Stage.sink<CustomerLink, EdgeDbError | Classified, EdgeDb>({
  name: stageName,
  description: "Links Edge customers to Shopify customers (method, snapshot, invite time) and clears their web-upload flag",
  transactional: true,
  write: (batch, ctx) =>
    Effect.flatMap(EdgeDb, (db) =>
      db.transaction(
        "customerLinks.write",
        Effect.gen(function*() {
          const outcomes = yield* writeLinks(db, batch)
          yield* ctx.commit(outcomes)
          return outcomes
        })
      ).pipe(Effect.catchTag("EdgeDbError", (error) => Effect.fail(inStage(ctx)(error))))),
  plan: (batch) => Effect.flatMap(EdgeDb, (db) => writeLinks(db, batch, { dryRun: true }))
})
