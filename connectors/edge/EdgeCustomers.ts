// Changes to Edge customers that are not a pipeline sink: creating a customer from a Shopify customer or a
// guest order, linking and unlinking outside a batch, and "Assign to Web Upload" by ids or by lifetime
// spend.
//
// Creating from a transform (the `create-new` option, guest checkouts): call `createCustomers` for a
// batch (or `createCustomer` for one) with an `origin` naming where each customer comes from (the
// Shopify customer GID, or the order GID for a guest without an account). It is idempotent by origin: a
// retried or replayed batch gets the same customer back (`created: false`) instead of a duplicate. It
// commits on its own, before the sale's transaction; a crash in between leaves a customer without its
// sale, which the retry then finds by origin. In a dry run, do not call it. Link the new customer with
// `linkCustomer` (method `created`) or through the `edge.customerLinks` sink.
import { BigDecimal, Clock, Data, Effect, Either, Option } from "effect"
import type * as Stage from "../../core/Stage.js"
import { type ContactFields, storageProblem } from "./ContactFields.js"
import type { CustomerLink } from "./CustomerLink.js"
import { writeLinks } from "./CustomerLinks.js"
import { EdgeDb } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import { EdgeRecordError } from "./EdgeRecordError.js"
import * as MatchKeyIndex from "./MatchKeyIndex.js"
import * as Money from "./Money.js"
import * as CreatedCustomerStatements from "./sql/CreatedCustomerStatements.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import { timestamp } from "./sql/Dialect.js"
import * as LinkStatements from "./sql/LinkStatements.js"
import * as StoredText from "./StoredText.js"

export interface NewCustomer {
  readonly fields: ContactFields
  readonly notes?: string | null | undefined
  /** Where the customer comes from (a Shopify customer or order GID): the idempotency key. */
  readonly origin: string
}

export interface CreatedCustomer {
  readonly customerId: number
  /** False when a customer for this origin already existed and is returned instead. */
  readonly created: boolean
}

/** Whom to assign to web upload: chosen ids, or the top `count` unlinked customers by lifetime spend. */
export type WebUploadSelection =
  | { readonly _tag: "Ids"; readonly ids: ReadonlyArray<number> }
  | { readonly _tag: "TopSpenders"; readonly count: number }

export interface WebUploadCandidate {
  readonly customerId: number
  readonly name: string
  readonly email: string | null
  /** Sum of the customer's sales (void ones left out). */
  readonly lifetimeSpend: BigDecimal.BigDecimal
  readonly alreadyFlagged: boolean
  /** Already linked to Shopify: nothing to upload, left unflagged. */
  readonly linked: boolean
}

export interface WebUploadPlan {
  readonly candidates: ReadonlyArray<WebUploadCandidate>
  /** Ids asked for that name no customer. */
  readonly missingIds: ReadonlyArray<number>
}

export interface WebUploadResult extends WebUploadPlan {
  /** Customers whose flag this call set. */
  readonly flagged: number
}

const stageName = "edge.customers"

const nameOf = (row: CustomerStatements.SpenderRow): string =>
  [row.first_name, row.last_name].filter((part): part is string => part !== null && part.trim() !== "").join(" ")

/**
 * The ids of a multi-row INSERT were not those derived from its first one (see `createCustomers`).
 * Internal: it only makes the transaction roll back, and never leaves this module.
 */
class IdsNotAsExpected extends Data.TaggedError("IdsNotAsExpected") {}

/** Why Edge cannot store this new customer, if it cannot (checked before anything is written). */
const check = (input: NewCustomer): Either.Either<void, EdgeRecordError> => {
  const refuse = (reason: EdgeRecordError["reason"], field: string, detail: string) =>
    Either.left(new EdgeRecordError({ reason, stage: stageName, key: input.origin, field, detail }))
  const originProblem = StoredText.problem(input.origin, 255)
  if (Option.isSome(originProblem)) return refuse("InvalidText", "origin", originProblem.value)
  if (input.origin.trim() === "") return refuse("InvalidValue", "origin", "is empty")
  const problem = storageProblem(input.fields)
  if (Option.isSome(problem)) return refuse("InvalidText", problem.value.field, problem.value.problem)
  const notes = input.notes ?? null
  if (notes !== null) {
    const notesProblem = StoredText.problem(notes, 65_535)
    if (Option.isSome(notesProblem)) return refuse("InvalidText", "notes", notesProblem.value)
  }
  return Either.void
}

export class EdgeCustomers extends Effect.Service<EdgeCustomers>()("edgesync/edge/EdgeCustomers", {
  effect: Effect.gen(function*() {
    const db = yield* EdgeDb

    /** Creates an Edge customer (or returns the one already created for `origin`). */
    const createCustomer = (input: NewCustomer): Effect.Effect<CreatedCustomer, EdgeDbError | EdgeRecordError> =>
      Effect.gen(function*() {
        yield* check(input)
        const notes = input.notes ?? null
        return yield* db.transaction(
          "customers.create",
          Effect.gen(function*() {
            const existing = yield* CreatedCustomerStatements.byOrigin(db, input.origin)
            if (Option.isSome(existing)) return { customerId: existing.value, created: false }
            const customerId = yield* CustomerStatements.insertOne(db, { ...input.fields, notes })
            const now = timestamp(new Date(yield* Clock.currentTimeMillis))
            yield* CreatedCustomerStatements.record(db, input.origin, customerId, now)
            yield* MatchKeyIndex.rekeyCustomers(db, [customerId])
            return { customerId, created: true }
          })
        )
      }).pipe(Effect.withSpan("EdgeCustomers.createCustomer"))

    /**
     * Creates Edge customers for a batch (or returns those already created for their origins), in one
     * transaction: one read of the origins, the new rows inserted together, their origins recorded in
     * one statement and the match-key index updated once for all of them. Results are in input order.
     * Inputs with the same origin get the same customer (the first such input's fields are stored). A
     * customer Edge cannot store (a name too long for its column) fails that input alone.
     *
     * One transaction per call, and callers make one call at a time: creations running side by side
     * deadlock on InnoDB's locks of the match-key index. A deadlock with another writer (EdgeDbError
     * `Busy`) rolls the whole call back, so running it again is safe.
     */
    const createCustomers = (
      inputs: ReadonlyArray<NewCustomer>
    ): Effect.Effect<ReadonlyArray<Either.Either<CreatedCustomer, EdgeRecordError>>, EdgeDbError> =>
      Effect.gen(function*() {
        const checked = inputs.map((input) => Either.map(check(input), () => input))
        const valid = new Map<string, NewCustomer>()
        for (const result of checked) {
          if (Either.isRight(result) && !valid.has(result.right.origin)) valid.set(result.right.origin, result.right)
        }
        const create = (insert: "rows" | "each") =>
          db.transaction(
            "customers.createMany",
            Effect.gen(function*() {
              const existing = yield* CreatedCustomerStatements.byOrigins(db, [...valid.keys()])
              const fresh = [...valid.values()].filter((input) => !existing.has(input.origin))
              const rows = fresh.map((input) => ({ ...input.fields, notes: input.notes ?? null }))
              const newIds = insert === "rows"
                ? yield* CustomerStatements.insertRows(db, rows)
                : yield* CustomerStatements.insertEach(db, rows)
              // The ids of a multi-row INSERT are derived, not reported: checked before anything uses them.
              if (insert === "rows" && fresh.length > 0 && !(yield* CustomerStatements.insertedAs(db, newIds, rows))) {
                return yield* new IdsNotAsExpected()
              }
              const now = timestamp(new Date(yield* Clock.currentTimeMillis))
              yield* CreatedCustomerStatements.recordMany(
                db,
                fresh.map((input, i) => ({ origin: input.origin, customer_id: newIds[i]!, created_at: now }))
              )
              yield* MatchKeyIndex.rekeyCustomers(db, newIds)
              const byOrigin = new Map<string, CreatedCustomer>()
              for (const [origin, customerId] of existing) byOrigin.set(origin, { customerId, created: false })
              fresh.forEach((input, i) => byOrigin.set(input.origin, { customerId: newIds[i]!, created: true }))
              return byOrigin as ReadonlyMap<string, CreatedCustomer>
            })
          )
        // A server that numbered the rows otherwise (not InnoDB's consecutive ids) had the attempt
        // rolled back: the customers are inserted again one statement each, which report their ids.
        const ids = valid.size === 0 ? new Map<string, CreatedCustomer>() : yield* create("rows").pipe(
          Effect.catchTag("IdsNotAsExpected", () =>
            Effect.zipRight(
              Effect.logWarning("Edge database gave a multi-row INSERT non-consecutive ids; inserting customers one by one"),
              // Reported ids are never checked, so this attempt cannot fail that way.
              Effect.catchTag(create("each"), "IdsNotAsExpected", (e) => Effect.die(e))
            ))
        )
        // The second input of an origin did not create the customer the first one did.
        const seen = new Set<string>()
        return checked.map((result) =>
          Either.map(result, (input): CreatedCustomer => {
            const created = ids.get(input.origin)!
            const first = !seen.has(input.origin)
            seen.add(input.origin)
            return first ? created : { ...created, created: false }
          })
        )
      }).pipe(Effect.withSpan("EdgeCustomers.createCustomers", { attributes: { count: inputs.length } }))

    /** Writes one link now (same rules as `edge.customerLinks`), in its own transaction. */
    const linkCustomer = (link: CustomerLink): Effect.Effect<Stage.SinkOutcome, EdgeDbError> =>
      db.transaction("customers.link", writeLinks(db, [link])).pipe(
        Effect.map((outcomes) => outcomes[0]!),
        Effect.withSpan("EdgeCustomers.linkCustomer")
      )

    /**
     * Removes the links of these customers (`edgesync customers unlink`): they sync no more until linked
     * again. Returns how many links there were.
     */
    const unlinkCustomers = (ids: ReadonlyArray<number>): Effect.Effect<number, EdgeDbError> =>
      db.transaction(
        "customers.unlink",
        Effect.gen(function*() {
          const links = yield* LinkStatements.byCustomerIds(db, [...new Set(ids)])
          yield* LinkStatements.remove(db, links.map((link) => link.customer_id))
          return links.length
        })
      ).pipe(Effect.withSpan("EdgeCustomers.unlinkCustomers"))

    const plan = (selection: WebUploadSelection): Effect.Effect<WebUploadPlan, EdgeDbError> =>
      Effect.gen(function*() {
        const rows = selection._tag === "Ids"
          ? yield* CustomerStatements.spendersByIds(db, [...new Set(selection.ids)])
          : yield* CustomerStatements.topSpenders(db, Math.max(0, selection.count), true)
        const found = new Set(rows.map((row) => row.customer_id))
        return {
          candidates: rows.map((row) => ({
            customerId: row.customer_id,
            name: nameOf(row),
            email: row.email,
            lifetimeSpend: Money.fromCents(row.spend_cents ?? 0),
            alreadyFlagged: row.web_upload,
            linked: row.linked
          })),
          missingIds: selection._tag === "Ids" ? [...new Set(selection.ids)].filter((id) => !found.has(id)) : []
        }
      })

    /** Who `assignWebUpload` would flag, for a count and confirmation before anything changes. */
    const previewWebUpload = (selection: WebUploadSelection) =>
      plan(selection).pipe(Effect.withSpan("EdgeCustomers.previewWebUpload"))

    /** Sets "Assign to Web Upload" on the selected customers that are not linked yet. */
    const assignWebUpload = (selection: WebUploadSelection): Effect.Effect<WebUploadResult, EdgeDbError> =>
      db.transaction(
        "customers.assignWebUpload",
        Effect.gen(function*() {
          const chosen = yield* plan(selection)
          const flagged = yield* CustomerStatements.setWebUpload(
            db,
            chosen.candidates.filter((c) => !c.linked && !c.alreadyFlagged).map((c) => c.customerId)
          )
          return { ...chosen, flagged }
        })
      ).pipe(Effect.withSpan("EdgeCustomers.assignWebUpload"))

    return { createCustomer, createCustomers, linkCustomer, unlinkCustomers, previewWebUpload, assignWebUpload } as const
  })
}) {}
