// The customer-side writes of the mission's records (links, contact updates, conflicts, matching
// decisions), made in the caller's transaction with the Edge connector's building blocks, and the sink
// `mission.customerSync` that makes them with the checkpoint in one transaction.
//
// Per record, all or nothing: a contact update Edge cannot store, or a link Edge refuses (the Shopify
// customer is linked elsewhere), rejects the record before any of its writes; conflicts and decisions
// are stored only for records that were not rejected.
import { Effect, Option } from "effect"
import { ContactConflicts } from "../connectors/edge/ContactConflicts.js"
import * as ContactFields from "../connectors/edge/ContactFields.js"
import * as CustomerContacts from "../connectors/edge/CustomerContacts.js"
import * as CustomerLinks from "../connectors/edge/CustomerLinks.js"
import { EdgeDb, type EdgeDbService } from "../connectors/edge/EdgeDb.js"
import type { EdgeDbError } from "../connectors/edge/EdgeDbError.js"
import { EdgeRecordError } from "../connectors/edge/EdgeRecordError.js"
import { MatchDecisions } from "../connectors/edge/MatchDecisions.js"
import type { Classified } from "../core/EtlError.js"
import type { SinkOutcome } from "../core/Stage.js"
import * as Stage from "../core/Stage.js"
import type { CustomerSync, CustomerWrites } from "./MissionRecords.js"

const storageRefusal = (writes: CustomerWrites, stage: string): Option.Option<SinkOutcome> =>
  Option.flatMap(writes.contact, (update) => {
    const values: Partial<Record<ContactFields.ContactFieldName, string | null>> = {}
    for (const change of update.changes) values[change.field] = change.value
    return Option.map(ContactFields.storageProblem(values), (problem) =>
      Stage.rejected(
        new EdgeRecordError({
          reason: "InvalidText",
          stage,
          key: `Edge customer ${update.customer_id}`,
          field: problem.field,
          detail: problem.problem
        })
      ))
  })

/**
 * Writes the records' customer writes (in the caller's transaction; nothing in a dry run, which only
 * plans). The outcome of each record's writes, none for a record without any.
 */
export const write = (
  db: EdgeDbService,
  records: ReadonlyArray<CustomerWrites>,
  options: { readonly dryRun: boolean; readonly stage: string }
): Effect.Effect<ReadonlyArray<Option.Option<SinkOutcome>>, EdgeDbError | EdgeRecordError, MatchDecisions | ContactConflicts> =>
  Effect.gen(function*() {
    const outcomes: Array<Option.Option<SinkOutcome>> = records.map((r) => storageRefusal(r, options.stage))
    const rejected = (i: number) => Option.exists(outcomes[i]!, (o) => o._tag === "Rejected")

    const linkIndexes = records.flatMap((r, i) => (Option.isSome(r.link) && !rejected(i) ? [i] : []))
    const linkOutcomes = yield* CustomerLinks.writeLinks(
      db,
      linkIndexes.map((i) => Option.getOrThrow(records[i]!.link)),
      { dryRun: options.dryRun }
    )
    linkIndexes.forEach((i, n) => {
      outcomes[i] = Option.fromNullable(linkOutcomes[n])
    })

    // In a dry run a new link is not written, so its contact update cannot be planned against it.
    const contactIndexes = records.flatMap((r, i) =>
      Option.isSome(r.contact) && !rejected(i) && !(options.dryRun && Option.isSome(r.link)) ? [i] : []
    )
    const contactOutcomes = yield* CustomerContacts.writeContacts(
      db,
      contactIndexes.map((i) => Option.getOrThrow(records[i]!.contact)),
      { dryRun: options.dryRun }
    )
    contactIndexes.forEach((i, n) => {
      const outcome = contactOutcomes[n]
      // A new link ("linked", "relinked") says more than the contact update that came with it, and
      // a contact update ("updated") more than a refreshed link; a skipped or refused update says most.
      const newLink = Option.exists(outcomes[i]!, (o) => o._tag === "Written" && (o.action === "linked" || o.action === "relinked"))
      if (outcome !== undefined && (outcome._tag !== "Written" || (!newLink && outcome.action !== "snapshot") || Option.isNone(outcomes[i]!))) {
        outcomes[i] = Option.some(outcome)
      }
    })

    if (!options.dryRun) {
      const kept = records.filter((_, i) => !rejected(i))
      const decisions = yield* MatchDecisions
      const conflicts = yield* ContactConflicts
      yield* decisions.record(kept.flatMap((r) => Option.toArray(r.decision)))
      yield* conflicts.record(kept.flatMap((r) => r.conflicts))
    }
    return outcomes
  })

const stageName = "mission.customerSync"

/** The outcome a customer record reports when it only recorded a decision or conflicts. */
const recorded = Stage.written("recorded")

/**
 * `mission.customerSync`: links, contact updates, conflicts and decisions of customer records, with the
 * checkpoint in one transaction.
 */
export const sink = Stage.sink<CustomerSync, EdgeDbError | EdgeRecordError | Classified, EdgeDb | MatchDecisions | ContactConflicts>({
  name: stageName,
  description: "mission.customerSync: writes links, contact updates (with their snapshots), conflicts and decisions to Edge; " +
    "checkpoint in the same transaction",
  transactional: true,
  write: (batch, ctx) =>
    Effect.flatMap(EdgeDb, (db) =>
      db.transaction(
        "mission.customerSync",
        Effect.gen(function*() {
          const outcomes = (yield* write(db, batch, { dryRun: false, stage: stageName })).map(Option.getOrElse(() => recorded))
          yield* ctx.commit(outcomes)
          return outcomes
        })
      )),
  plan: (batch) =>
    Effect.flatMap(EdgeDb, (db) =>
      Effect.map(write(db, batch, { dryRun: true, stage: stageName }), (outcomes) => outcomes.map(Option.getOrElse(() => recorded))))
})
