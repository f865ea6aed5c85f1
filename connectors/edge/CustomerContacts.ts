// Sink `edge.customerContacts`: applies contact values decided by the three-way merge to linked Edge
// customers and replaces their link's snapshot (and `last_pulled_at`). Transactional: the updates and
// the checkpoint commit together.
//
// Each change carries the Edge value it was decided from; if Edge's value changed since to something
// else (edited while the run was in progress), the record is skipped whole rather than overwrite that edit, and its
// snapshot is left alone so that the next sync sees both changes and merges again.
import { Clock, Effect, Option, Schema } from "effect"
import type { Classified } from "../../core/EtlError.js"
import * as Stage from "../../core/Stage.js"
import { type ContactFieldName, type ContactFields, pick, sameValue, SnapshotJson, storageProblem } from "./ContactFields.js"
import type { ContactUpdate } from "./ContactUpdate.js"
import { EdgeDb, type EdgeDbService } from "./EdgeDb.js"
import { type EdgeDbError, inStage } from "./EdgeDbError.js"
import { EdgeRecordError } from "./EdgeRecordError.js"
import * as MatchKeyIndex from "./MatchKeyIndex.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import { timestamp } from "./sql/Dialect.js"
import * as LinkStatements from "./sql/LinkStatements.js"

const stageName = "edge.customerContacts"

const encodeSnapshot = Schema.encodeSync(SnapshotJson)

// A change of these fields changes the customer's match keys.
const keyFields: ReadonlySet<ContactFieldName> = new Set(["email", "phone_cell", "phone_home", "phone_work", "country"])

/** Applies contact updates (no transaction of its own: the caller's). Outcomes in batch order. */
export const writeContacts = (
  db: EdgeDbService,
  batch: ReadonlyArray<ContactUpdate>,
  options: { readonly dryRun: boolean } = { dryRun: false }
): Effect.Effect<ReadonlyArray<Stage.SinkOutcome>, EdgeDbError> =>
  Effect.gen(function*() {
    const now = timestamp(new Date(yield* Clock.currentTimeMillis))
    const ids = [...new Set(batch.map((update) => update.customer_id))]
    const contacts = new Map<number, ContactFields>(
      (yield* CustomerStatements.contactsByIds(db, ids)).map((row) => [row.customer_id, pick(row)])
    )
    const linked = new Set((yield* LinkStatements.byCustomerIds(db, ids)).map((row) => row.customer_id))
    const rekey = new Set<number>()
    const outcomes: Array<Stage.SinkOutcome> = []
    for (const update of batch) {
      const refuse = (reason: EdgeRecordError["reason"], field: string, detail: string) =>
        Stage.rejected(new EdgeRecordError({ reason, stage: stageName, key: String(update.customer_id), field, detail }))
      const current = contacts.get(update.customer_id)
      if (current === undefined) {
        outcomes.push(refuse("UnknownCustomer", "customer_id", "names no Edge customer"))
        continue
      }
      if (!linked.has(update.customer_id)) {
        outcomes.push(refuse("NotLinked", "customer_id", "is not linked to a Shopify customer"))
        continue
      }
      const values: Partial<Record<ContactFieldName, string | null>> = {}
      for (const change of update.changes) values[change.field] = change.value
      const problem = storageProblem(values)
      if (Option.isSome(problem)) {
        outcomes.push(refuse("InvalidText", problem.value.field, problem.value.problem))
        continue
      }
      // A field already holding the decided value is consistent too (a replayed batch, or both sides
      // having made the same edit); only a third value means Edge was edited since the decision.
      const moved = update.changes.filter((change) =>
        !sameValue(current[change.field], change.expected) && !sameValue(current[change.field], change.value)
      )
      if (moved.length > 0) {
        outcomes.push(Stage.skipped(
          `edited in Edge during the run (${moved.map((c) => c.field).join(", ")}); the next sync merges it`
        ))
        continue
      }
      const set: Partial<Record<ContactFieldName, string | null>> = {}
      for (const change of update.changes) {
        if (!sameValue(current[change.field], change.value)) set[change.field] = change.value
      }
      const fields = Object.keys(set) as Array<ContactFieldName>
      if (!options.dryRun) {
        yield* CustomerStatements.updateContact(db, update.customer_id, set)
        yield* LinkStatements.updateSnapshot(db, update.customer_id, encodeSnapshot(update.snapshot), now)
      }
      // Later records of the batch for the same customer see this one's result.
      contacts.set(update.customer_id, { ...current, ...set })
      if (fields.some((field) => keyFields.has(field))) rekey.add(update.customer_id)
      outcomes.push(Stage.written(fields.length > 0 ? "updated" : "snapshot"))
    }
    if (!options.dryRun) yield* MatchKeyIndex.rekeyCustomers(db, [...rekey])
    return outcomes
  })

export const customerContacts = Stage.sink<ContactUpdate, EdgeDbError | Classified, EdgeDb>({
  name: stageName,
  description: "Applies contact changes decided from Shopify to linked Edge customers and updates their snapshot",
  transactional: true,
  write: (batch, ctx) =>
    Effect.flatMap(EdgeDb, (db) =>
      db.transaction(
        "customerContacts.write",
        Effect.gen(function*() {
          const outcomes = yield* writeContacts(db, batch)
          yield* ctx.commit(outcomes)
          return outcomes
        })
      ).pipe(Effect.catchTag("EdgeDbError", (error) => Effect.fail(inStage(ctx)(error))))),
  plan: (batch) => Effect.flatMap(EdgeDb, (db) => writeContacts(db, batch, { dryRun: true }))
})
