// The sink `mission.importWebSales`: each order's web sale and its customer writes (the link a match
// made, the contact update, conflicts, the matching decision), with the checkpoint, in one transaction.
//
// The sales decide: a sale already imported at this version (or a newer one) is skipped with everything
// that travels with it, so re-running changes nothing; a sale Edge refuses rejects the record before
// any of its writes; a record whose customer writes are refused is not imported either.
import { Effect, Option } from "effect"
import type { ContactConflicts } from "../connectors/edge/ContactConflicts.js"
import { EdgeDb, type EdgeDbService } from "../connectors/edge/EdgeDb.js"
import type { EdgeDbError } from "../connectors/edge/EdgeDbError.js"
import type { EdgeRecordError } from "../connectors/edge/EdgeRecordError.js"
import type { MatchDecisions } from "../connectors/edge/MatchDecisions.js"
import * as WebSales from "../connectors/edge/WebSales.js"
import type { WebStoreError } from "../connectors/edge/WebStoreError.js"
import type { Classified } from "../core/EtlError.js"
import type { SinkOutcome, StageContext } from "../core/Stage.js"
import * as Stage from "../core/Stage.js"
import * as CustomerWrites from "./CustomerWrites.js"
import type { OrderImport } from "./MissionRecords.js"

const stageName = "mission.importWebSales"

const salePlan = (batch: ReadonlyArray<OrderImport>, ctx: StageContext) => {
  const plan = WebSales.webSales.plan
  // The Edge sink always plans; without it every sale would count as new.
  return plan === undefined
    ? Effect.succeed(batch.map(() => Stage.written("created")))
    : plan(batch.map((r) => r.sale), ctx)
}

const importBatch = (
  db: EdgeDbService,
  batch: ReadonlyArray<OrderImport>,
  ctx: StageContext,
  dryRun: boolean
): Effect.Effect<ReadonlyArray<SinkOutcome>, EdgeDbError | WebStoreError | EdgeRecordError | Classified, EdgeDb | MatchDecisions | ContactConflicts> =>
  Effect.gen(function*() {
    const planned = yield* salePlan(batch, ctx)
    const going = batch.flatMap((_, i) => (planned[i]?._tag === "Written" ? [i] : []))
    const customerOutcomes = yield* CustomerWrites.write(db, going.map((i) => batch[i]!.writes), { dryRun, stage: stageName })
    const refused = new Map<number, SinkOutcome>()
    going.forEach((i, n) => {
      const outcome = customerOutcomes[n]
      if (outcome !== undefined && Option.isSome(outcome) && outcome.value._tag === "Rejected") refused.set(i, outcome.value)
    })
    const toWrite = going.filter((i) => !refused.has(i))
    const written = dryRun
      ? toWrite.map((i) => planned[i]!)
      : yield* WebSales.writeBatch(db, toWrite.map((i) => batch[i]!.sale))
    const byIndex = new Map(toWrite.map((i, n) => [i, written[n]] as const))
    return batch.map((_, i) => refused.get(i) ?? byIndex.get(i) ?? planned[i] ?? Stage.skipped("not planned"))
  })

export const sink = Stage.sink<OrderImport, EdgeDbError | WebStoreError | EdgeRecordError | Classified, EdgeDb | MatchDecisions | ContactConflicts>({
  name: stageName,
  description: "mission.importWebSales: writes web sales (idempotent by Shopify order) with their customer links, contact " +
    "updates, conflicts and matching decisions; checkpoint in the same transaction",
  transactional: true,
  write: (batch, ctx) =>
    Effect.flatMap(EdgeDb, (db) =>
      db.transaction(
        "mission.importWebSales",
        Effect.gen(function*() {
          const outcomes = yield* importBatch(db, batch, ctx, false)
          yield* ctx.commit(outcomes)
          return outcomes
        })
      )),
  plan: (batch, ctx) => Effect.flatMap(EdgeDb, (db) => importBatch(db, batch, ctx, true))
})
