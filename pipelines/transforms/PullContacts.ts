// Contact changes coming from Shopify, decided by the three-way merge (ContactSync.ts, MergeContacts.ts):
// from an order (the customer's names, email and phone as the order carries them), and from a customer
// changed in Shopify (customers-from-shopify). Also writes down which links the web-sales matching
// made, the conflicts met, and the matching decision, all for the sink to store in one transaction.
import { Clock, Effect, Option } from "effect"
import type { ContactConflict } from "../../connectors/edge/ContactConflicts.js"
import { type ContactFieldName, type ContactFields, storageProblem } from "../../connectors/edge/ContactFields.js"
import * as CustomerLookup from "../../connectors/edge/CustomerLookup.js"
import type { EdgeDbError } from "../../connectors/edge/EdgeDbError.js"
import type { MatchDecision as RecordedDecision } from "../../connectors/edge/MatchDecisions.js"
import { CustomerById } from "../../connectors/shopify/documents/CustomerDocuments.js"
import { ShopifyClient } from "../../connectors/shopify/ShopifyClient.js"
import type { ShopifyCustomer } from "../../connectors/shopify/ShopifyCustomer.js"
import type { ShopifyError } from "../../connectors/shopify/ShopifyError.js"
import * as Stage from "../../core/Stage.js"
import type { StageContext } from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import type { CustomerSync, MatchedOrder, PlannedOrder } from "../MissionRecords.js"
import type { SyncOptions } from "../SyncOptions.js"
import * as ContactSync from "./ContactSync.js"
import type { Conflict } from "./MergeContacts.js"
import * as ShopifyContact from "./ShopifyContact.js"

/** An Edge row's `updated_at` text as a time (edgesync's databases keep UTC), for `conflicts: newest-wins`. */
export const editedAt = (text: string): Option.Option<Date> => {
  const date = new Date(`${text.replace(" ", "T")}Z`)
  return Number.isNaN(date.getTime()) ? Option.none() : Option.some(date)
}

/** The conflicts of one merge as the Edge connector stores them, keyed so that a replay records them once. */
export const conflictRecords = (
  conflicts: ReadonlyArray<Conflict<ContactFieldName>>,
  at: {
    readonly customerId: number
    readonly shopifyCustomerId: string | null
    /** What makes this merge unique (the Shopify record and its version). */
    readonly version: string
    readonly detectedAt: Date
    readonly ctx: StageContext
  }
): ReadonlyArray<ContactConflict> =>
  conflicts.map((c) => ({
    key: `${at.customerId}:${c.field}:${at.version}`,
    detectedAt: at.detectedAt,
    pipeline: at.ctx.pipeline,
    runId: at.ctx.runId,
    customerId: at.customerId,
    shopifyCustomerId: at.shopifyCustomerId,
    field: c.field,
    base: c.base,
    edge: c.edge,
    shopify: c.shopify,
    // At most 20 characters (the column): "shopify-wins:shopify".
    resolution: `${c.policy}:${c.winner}`,
    chosen: c.winner === "edge" ? c.edge : c.shopify
  }))

/** A dry run's plan lists the conflicts it met (a real run records them in Edge). */
export const logConflicts = (conflicts: ReadonlyArray<ContactConflict>): Effect.Effect<void> =>
  Effect.forEach(conflicts, (c) =>
    Effect.logInfo(
      `conflict: Edge customer ${c.customerId} ${c.field}: Edge "${c.edge ?? ""}", Shopify "${c.shopify ?? ""}" → "${c.chosen ?? ""}" (${c.resolution})`
    ), { discard: true })

const conflictNotes = (conflicts: ReadonlyArray<Conflict<ContactFieldName>>): ReadonlyArray<string> =>
  conflicts.map((c) => `conflict:${c.field}`)

/** The decision as the Edge connector records it (`edgesync matches` lists these). */
export const decisionRecord = (m: MatchedOrder, decidedAt: Date, ctx: StageContext): RecordedDecision => ({
  key: `order:${m.order.id}`,
  decidedAt,
  pipeline: ctx.pipeline,
  runId: ctx.runId,
  shopifyCustomerId: m.order.customer?.id ?? null,
  shopifyOrderId: m.order.id,
  edgeCustomerId: Option.getOrNull(m.customer.customerId),
  rule: m.decision.rule,
  candidates: m.decision.candidates,
  ambiguous: m.decision.ambiguous,
  note: `${m.order.name}: ${m.decision.explanation}`
})

const planOrder = (
  m: MatchedOrder,
  options: SyncOptions,
  now: Date,
  ctx: StageContext
): { readonly planned: PlannedOrder; readonly notes: ReadonlyArray<string> } => {
  const decision = Option.some(decisionRecord(m, now, ctx))
  const shopifyCustomer = m.order.customer
  const none = { link: Option.none(), contact: Option.none(), conflicts: [], decision }
  if (shopifyCustomer === null || Option.isNone(m.customer.customerId)) {
    // A guest has no Shopify customer to link or merge with; in a dry run a customer to be created has
    // no id yet (its link is counted from the decision).
    return { planned: { ...m, writes: none }, notes: [] }
  }
  const customerId = m.customer.customerId.value
  if (m.customer.created) {
    return {
      planned: {
        ...m,
        writes: {
          ...none,
          link: Option.some({
            customer_id: customerId,
            shopify_customer_id: shopifyCustomer.id,
            link_method: "created" as const,
            snapshot: m.customer.fields,
            invite_sent_at: null,
            pushed: false,
            pulled: true
          })
        }
      },
      notes: ["link:created"]
    }
  }
  const edge = m.customer.fields
  const base = Option.flatMap(m.customer.link, (l) => Option.fromNullable(l.synced_snapshot))
  const primary = ShopifyContact.primaryPhone(ShopifyContact.reference(base, edge), shopifyCustomer.phone, options.defaultCountry)
  const carried: ReadonlyArray<ContactFieldName> = ["first_name", "last_name", "email", primary]
  const shopify = ShopifyContact.view({
    first_name: shopifyCustomer.firstName,
    last_name: shopifyCustomer.lastName,
    email: shopifyCustomer.email,
    [primary]: shopifyCustomer.phone
  }, edge)
  const sync = ContactSync.plan({
    policy: options.conflicts,
    defaultCountry: options.defaultCountry,
    snapshot: base,
    edge,
    shopify,
    edgeChangedAt: m.customer.changedAt,
    // The order's customer is the Shopify customer record as it is now (not as at the checkout), so
    // its change time is the record's updatedAt. Shopify also moves it when an order is placed (order
    // count, amount spent), so newest-wins can favour Shopify after a new order: the record's time is
    // all either side tells us.
    shopifyChangedAt: Option.some(shopifyCustomer.updatedAt)
  })
  const snapshot = ContactSync.agreedSnapshot(sync.edgeAfter, shopify, options.defaultCountry, { carried, base })
  const conflicts = conflictRecords(sync.merged.conflicts, {
    customerId,
    shopifyCustomerId: shopifyCustomer.id,
    version: `order:${m.order.id}:${m.order.updatedAt.toISOString()}`,
    detectedAt: now,
    ctx
  })
  const update = { customer_id: customerId, changes: sync.edgeChanges, snapshot }
  const notes = [
    ...(sync.edgeChanges.length > 0 ? ["contact:updated"] : []),
    ...conflictNotes(sync.merged.conflicts)
  ]
  if (Option.isSome(m.customer.link)) {
    const unchanged = sync.edgeChanges.length === 0 && Option.isSome(base) && ContactSync.sameSnapshot(snapshot, base.value)
    return {
      planned: { ...m, writes: { ...none, contact: unchanged ? Option.none() : Option.some(update), conflicts } },
      notes
    }
  }
  // Matched by email or phone: a new link, and whatever the first merge takes from Shopify.
  const method = Option.getOrElse(m.decision.link, () => "email" as const)
  return {
    planned: {
      ...m,
      writes: {
        ...none,
        link: Option.some({
          customer_id: customerId,
          shopify_customer_id: shopifyCustomer.id,
          link_method: method,
          snapshot,
          invite_sent_at: null,
          pushed: false,
          pulled: true
        }),
        contact: sync.edgeChanges.length > 0 ? Option.some(update) : Option.none(),
        conflicts
      }
    },
    notes: [`link:${method}`, ...notes]
  }
}

/**
 * `mission.orderContacts`: the order's customer contact merged into its linked (or newly matched) Edge
 * customer, the new link written down, the decision recorded.
 */
export const forOrders = (options: SyncOptions) =>
  Transform.batch<MatchedOrder, PlannedOrder>(
    "mission.orderContacts",
    (batch, ctx) =>
      Effect.gen(function*() {
        const now = new Date(yield* Clock.currentTimeMillis)
        const planned = batch.map((m) => planOrder(m, options, now, ctx))
        if (ctx.dryRun) yield* logConflicts(planned.flatMap((p) => p.planned.writes.conflicts))
        return planned.map(({ notes, planned }) => Stage.emit(planned, ...notes))
      }),
    {
      description: "mission.orderContacts: merges the contact on each order into its Edge customer (three-way, per conflicts), " +
        "links newly matched customers, records the matching decision"
    }
  )

/** A customer changed in Shopify, merged into its linked Edge customer (none when nothing changes). */
export const planCustomer = (
  customer: ShopifyCustomer,
  linked: CustomerLookup.LinkedCustomer,
  options: SyncOptions,
  now: Date,
  ctx: StageContext
): Option.Option<{ readonly sync: CustomerSync; readonly notes: ReadonlyArray<string> }> => {
  const edge: ContactFields = linked.fields
  const base = Option.fromNullable(linked.link.synced_snapshot)
  const shopify = ShopifyContact.toFields(customer, ShopifyContact.reference(base, edge), edge, options.defaultCountry)
  const sync = ContactSync.plan({
    policy: options.conflicts,
    defaultCountry: options.defaultCountry,
    snapshot: base,
    edge,
    shopify,
    edgeChangedAt: editedAt(linked.updatedAt),
    shopifyChangedAt: Option.some(customer.updatedAt)
  })
  const snapshot = ContactSync.agreedSnapshot(sync.edgeAfter, shopify, options.defaultCountry)
  if (sync.edgeChanges.length === 0 && Option.isSome(base) && ContactSync.sameSnapshot(snapshot, base.value)) {
    return Option.none()
  }
  return Option.some({
    sync: {
      key: customer.id,
      link: Option.none(),
      contact: Option.some({ customer_id: linked.customerId, changes: sync.edgeChanges, snapshot }),
      conflicts: conflictRecords(sync.merged.conflicts, {
        customerId: linked.customerId,
        shopifyCustomerId: customer.id,
        version: `customer:${customer.id}:${customer.updatedAt.toISOString()}`,
        detectedAt: now,
        ctx
      }),
      decision: Option.none()
    },
    notes: [...(sync.edgeChanges.length > 0 ? ["contact:updated"] : ["contact:snapshot"]), ...conflictNotes(sync.merged.conflicts)]
  })
}

/**
 * `mission.customerContacts`: Shopify customers changed since the checkpoint, merged into their linked
 * Edge customers. Unlinked Shopify customers are not imported (dropped with the reason).
 */
/** Whether Edge would refuse the values this record takes from Shopify (too long, a NUL byte...). */
const unstorable = (sync: CustomerSync): boolean =>
  Option.exists(sync.contact, (update) => {
    const values: Partial<Record<ContactFieldName, string | null>> = {}
    for (const change of update.changes) values[change.field] = change.value
    return Option.isSome(storageProblem(values))
  })

/**
 * A record Edge would refuse is looked at once more before it is: if the Shopify customer has changed
 * since this version (someone corrected it), the version is superseded and dropped, since the next run
 * reads the current one (its updatedAt is past the checkpoint). That is what retires such a dead letter
 * on `dead-letters retry` after the cause was fixed in Shopify. Only refused records pay the extra read.
 */
const retireSuperseded = (customer: ShopifyCustomer, outcome: Stage.Outcome<CustomerSync>) =>
  Effect.gen(function*() {
    if (outcome._tag !== "Emit" || !outcome.records.some(unstorable)) return outcome
    const client = yield* ShopifyClient
    const current = (yield* client.execute(CustomerById, { id: customer.id })).customer
    if (current === null) return Stage.drop(`Shopify customer ${customer.id} no longer exists`)
    return new Date(current.updatedAt).getTime() > customer.updatedAt.getTime()
      ? Stage.drop(`Shopify customer ${customer.id} changed since this version; the next run reads its current values`)
      : outcome
  })

export const forCustomers = (options: SyncOptions) =>
  Transform.batch<ShopifyCustomer, CustomerSync, EdgeDbError | ShopifyError, CustomerLookup.CustomerLookup | ShopifyClient>(
    "mission.customerContacts",
    (batch, ctx) =>
      Effect.gen(function*() {
        const lookup = yield* CustomerLookup.CustomerLookup
        const linked = yield* lookup.linkedByShopifyIds(batch.map((c) => c.id))
        const now = new Date(yield* Clock.currentTimeMillis)
        const planned = batch.map((customer) => {
          const link = linked.get(customer.id)
          if (link === undefined) return Stage.drop("not linked to an Edge customer (unlinked Shopify customers are not imported)")
          return Option.match(planCustomer(customer, link, options, now, ctx), {
            onNone: () => Stage.drop("no contact change since the last sync"),
            onSome: ({ notes, sync }) => Stage.emit(sync, ...notes)
          })
        })
        const outcomes = yield* Effect.forEach(batch, (customer, i) => retireSuperseded(customer, planned[i]!), { concurrency: 4 })
        if (ctx.dryRun) {
          yield* logConflicts(outcomes.flatMap((o) => (o._tag === "Emit" ? o.records.flatMap((r) => r.conflicts) : [])))
        }
        return outcomes
      }),
    {
      description: "mission.customerContacts: merges Shopify customers changed since the last run into their linked Edge customers " +
        "(three-way, per conflicts); unlinked ones are not imported"
    }
  )
