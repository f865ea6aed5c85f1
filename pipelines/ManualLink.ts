// Linking and unlinking by hand (`edgesync customers link|unlink`), for a person correcting what the
// matching decided. A manual link is a first sync of the pair: the three-way merge with no snapshot
// (blanks take the other side's value, differences follow `conflicts`), Shopify updated with what it
// takes, Edge with what it takes, the link stored (method `manual`) with the agreed snapshot; the
// decision is recorded.
import { Clock, Effect, Option } from "effect"
import * as ContactFields from "../connectors/edge/ContactFields.js"
import type { ContactConflicts } from "../connectors/edge/ContactConflicts.js"
import { EdgeDb } from "../connectors/edge/EdgeDb.js"
import type { EdgeDbError } from "../connectors/edge/EdgeDbError.js"
import type { EdgeRecordError } from "../connectors/edge/EdgeRecordError.js"
import { MatchDecisions } from "../connectors/edge/MatchDecisions.js"
import * as CustomerStatements from "../connectors/edge/sql/CustomerStatements.js"
import * as LinkStatements from "../connectors/edge/sql/LinkStatements.js"
import { CustomerById } from "../connectors/shopify/documents/CustomerDocuments.js"
import { ShopifyClient } from "../connectors/shopify/ShopifyClient.js"
import * as ShopifyCustomer from "../connectors/shopify/ShopifyCustomer.js"
import type { ShopifyError } from "../connectors/shopify/ShopifyError.js"
import * as UpsertCustomer from "../connectors/shopify/UpsertCustomer.js"
import type { Classified } from "../core/EtlError.js"
import type { SinkOutcome } from "../core/Stage.js"
import * as CustomerWrites from "./CustomerWrites.js"
import { MissionError } from "./MissionError.js"
import type { SyncOptions } from "./SyncOptions.js"
import * as ContactSync from "./transforms/ContactSync.js"
import * as PullContacts from "./transforms/PullContacts.js"
import * as ShopifyContact from "./transforms/ShopifyContact.js"

export interface LinkResult {
  readonly outcome: SinkOutcome
  readonly sentToShopify: ReadonlyArray<string>
  readonly takenByEdge: ReadonlyArray<string>
  readonly conflicts: ReadonlyArray<string>
}

const stage = "customers.link"

const context = (runId: string) => ({ pipeline: "customers link", runId, stage, dryRun: false })

/** Links Edge customer `customerId` to Shopify customer `shopifyId` and syncs the pair once. */
export const link = (
  customerId: number,
  shopifyId: string,
  options: SyncOptions
): Effect.Effect<
  LinkResult,
  EdgeDbError | EdgeRecordError | ShopifyError | MissionError | Classified,
  EdgeDb | ShopifyClient | MatchDecisions | ContactConflicts
> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    const client = yield* ShopifyClient
    const now = new Date(yield* Clock.currentTimeMillis)
    const ctx = context(`manual-${now.getTime()}`)
    const row = (yield* CustomerStatements.contactsByIds(db, [customerId]))[0]
    if (row === undefined) {
      return yield* new MissionError({ reason: "MissingCustomer", stage, key: `Edge customer ${customerId}`, detail: "does not exist" })
    }
    const found = (yield* client.execute(CustomerById, { id: shopifyId })).customer
    if (found === null) {
      return yield* new MissionError({ reason: "MissingCustomer", stage, key: shopifyId, detail: "no such Shopify customer" })
    }
    const current = ShopifyCustomer.fromWire(found)
    const edge = ContactFields.pick(row)
    const primary = ShopifyContact.primaryPhone(edge, current.phone, options.defaultCountry)
    const shopify = ShopifyContact.toFields(current, edge, edge, options.defaultCountry)
    const sync = ContactSync.plan({
      policy: options.conflicts,
      defaultCountry: options.defaultCountry,
      snapshot: Option.none(),
      edge,
      shopify,
      edgeChangedAt: PullContacts.editedAt(row.updated_at),
      shopifyChangedAt: Option.some(current.updatedAt)
    })
    // Shopify first: if Edge's transaction then fails, running the link again finds Shopify already agreeing.
    let shopifyAfter = shopify
    if (Object.keys(sync.toShopify).length > 0) {
      const outcomes = yield* UpsertCustomer.upsertCustomerStage.apply([{
        key: String(customerId),
        shopifyId,
        fields: ContactSync.customerFields(sync.toShopify, sync.edgeAfter, primary, options.defaultCountry)
      }], ctx)
      const outcome = outcomes[0]
      if (outcome === undefined || outcome._tag === "Drop") {
        return yield* new MissionError({ reason: "StageContract", stage, key: shopifyId, detail: "the update gave no result" })
      }
      if (outcome._tag === "Reject") return yield* Effect.fail(outcome.error)
      const written = outcome.records[0]?.customer
      if (written !== undefined && written !== null) {
        shopifyAfter = ShopifyContact.view(ShopifyContact.held(written, primary), sync.edgeAfter)
      }
    }
    const snapshot = ContactSync.agreedSnapshot(sync.edgeAfter, shopifyAfter, options.defaultCountry)
    const outcomes = yield* db.transaction(
      "customers.link",
      CustomerWrites.write(db, [{
        link: Option.some({
          customer_id: customerId,
          shopify_customer_id: shopifyId,
          // Told apart from the matching's email and phone links. Linking a pair that is already linked
          // keeps the method it has (the sink keeps a link's first method and time).
          link_method: "manual",
          snapshot,
          invite_sent_at: null,
          pushed: Object.keys(sync.toShopify).length > 0,
          pulled: sync.edgeChanges.length > 0
        }),
        contact: sync.edgeChanges.length > 0
          ? Option.some({ customer_id: customerId, changes: sync.edgeChanges, snapshot })
          : Option.none(),
        conflicts: PullContacts.conflictRecords(sync.merged.conflicts, {
          customerId,
          shopifyCustomerId: shopifyId,
          version: `manual:${now.toISOString()}`,
          detectedAt: now,
          ctx
        }),
        decision: Option.some({
          key: `manual:${customerId}:${now.toISOString()}`,
          decidedAt: now,
          pipeline: ctx.pipeline,
          runId: ctx.runId,
          shopifyCustomerId: shopifyId,
          shopifyOrderId: null,
          edgeCustomerId: customerId,
          rule: "manual",
          candidates: [customerId],
          ambiguous: false,
          note: `linked by hand to ${shopifyId}`
        })
      }], { dryRun: false, stage })
    )
    const outcome = Option.getOrElse(Option.flatten(Option.fromNullable(outcomes[0])), () => ({ _tag: "Written", action: "linked" }) as const)
    return {
      outcome,
      sentToShopify: Object.keys(sync.toShopify),
      takenByEdge: sync.edgeChanges.map((c) => c.field),
      conflicts: sync.merged.conflicts.map((c) => `${c.field} (${c.winner} kept)`)
    }
  })

/** Removes Edge customers' links (the customers stay, in Edge and in Shopify); how many were linked. */
export const unlink = (
  customerIds: ReadonlyArray<number>
): Effect.Effect<number, EdgeDbError | EdgeRecordError, EdgeDb | MatchDecisions> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    const decisions = yield* MatchDecisions
    const now = new Date(yield* Clock.currentTimeMillis)
    return yield* db.transaction(
      "customers.unlink",
      Effect.gen(function*() {
        const links = yield* LinkStatements.byCustomerIds(db, customerIds)
        yield* LinkStatements.remove(db, links.map((l) => l.customer_id))
        yield* decisions.record(links.map((l) => ({
          key: `unlink:${l.customer_id}:${now.toISOString()}`,
          decidedAt: now,
          pipeline: "customers unlink",
          runId: `manual-${now.getTime()}`,
          shopifyCustomerId: l.shopify_customer_id,
          shopifyOrderId: null,
          edgeCustomerId: l.customer_id,
          rule: "unlinked",
          candidates: [],
          ambiguous: false,
          note: `unlinked by hand from ${l.shopify_customer_id}`
        })))
        return links.length
      })
    )
  })
