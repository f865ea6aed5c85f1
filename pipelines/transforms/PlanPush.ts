// customers-to-shopify's own steps around the Shopify connector's stages: what to send for each Edge
// customer (all of an upload; for a linked customer only the fields changed in Edge since the last
// sync, decided by the three-way merge against Shopify's current values), what to do after Shopify
// answered (a first merge when an upload met an existing Shopify customer), and the link, contact
// update, conflicts and decision to store.
//
// Fields changed only in Shopify, and conflicts Shopify wins, come back to Edge in the same run: the
// merge that decides what to push also decides what to pull, so neither side is clobbered.
import { Clock, Effect, Option } from "effect"
import type { ContactConflict } from "../../connectors/edge/ContactConflicts.js"
import type { ContactFields } from "../../connectors/edge/ContactFields.js"
import type { EdgeCustomer } from "../../connectors/edge/EdgeCustomer.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import type { EdgeDbError } from "../../connectors/edge/EdgeDbError.js"
import * as CustomerStatements from "../../connectors/edge/sql/CustomerStatements.js"
import { CustomerById } from "../../connectors/shopify/documents/CustomerDocuments.js"
import type { InviteRequest, InviteResult } from "../../connectors/shopify/SendInvite.js"
import * as SendInvite from "../../connectors/shopify/SendInvite.js"
import { ShopifyClient } from "../../connectors/shopify/ShopifyClient.js"
import * as ShopifyCustomer from "../../connectors/shopify/ShopifyCustomer.js"
import type { ShopifyError } from "../../connectors/shopify/ShopifyError.js"
import type { CustomerUpsert, UpsertCustomerResult } from "../../connectors/shopify/UpsertCustomer.js"
import * as Stage from "../../core/Stage.js"
import type { StageContext } from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import { MissionError } from "../MissionError.js"
import type { CustomerSync } from "../MissionRecords.js"
import type { SyncOptions } from "../SyncOptions.js"
import * as ContactSync from "./ContactSync.js"
import * as PullContacts from "./PullContacts.js"
import * as ShopifyContact from "./ShopifyContact.js"

/** What customers-to-shopify decided to do with one Edge customer. */
export interface PushPlan {
  readonly customer: EdgeCustomer
  readonly primary: ShopifyContact.PhoneColumn
  /** For a linked customer: the merge against Shopify's values before the push. */
  readonly sync: Option.Option<ContactSync.ContactSync>
  /** Shopify's values before the push (linked customers), as Edge fields. */
  readonly shopifyBefore: Option.Option<ContactFields>
  readonly upsert: Option.Option<CustomerUpsert>
  readonly conflicts: ReadonlyArray<ContactConflict>
}

export interface Pushed extends PushPlan {
  readonly result: Option.Option<UpsertCustomerResult>
}

/** After an upload met an existing Shopify customer: their first merge, and what it still sends. */
export interface Settled extends Pushed {
  readonly firstMerge: Option.Option<ContactSync.ContactSync>
  readonly followUp: Option.Option<CustomerUpsert>
  readonly followUpResult: Option.Option<UpsertCustomerResult>
}

export interface Invited extends Settled {
  readonly invite: Option.Option<InviteResult>
}

const editedAt = (text: string): Option.Option<Date> => {
  const date = new Date(`${text.replace(" ", "T")}Z`)
  return Number.isNaN(date.getTime()) ? Option.none() : Option.some(date)
}

const keyOf = (customer: EdgeCustomer): string => String(customer.customer_id)

const upload = (customer: EdgeCustomer, options: SyncOptions): PushPlan => {
  const primary = ShopifyContact.primaryPhone(customer.fields)
  return {
    customer,
    primary,
    sync: Option.none(),
    shopifyBefore: Option.none(),
    upsert: Option.some({
      key: keyOf(customer),
      shopifyId: null,
      fields: ContactSync.customerFields(customer.fields, customer.fields, primary, options.defaultCountry)
    }),
    conflicts: []
  }
}

const planLinked = (
  customer: EdgeCustomer,
  shopifyId: string,
  current: ShopifyCustomer.ShopifyCustomer,
  options: SyncOptions,
  now: Date,
  ctx: StageContext
): Option.Option<{ readonly plan: PushPlan; readonly notes: ReadonlyArray<string> }> => {
  const edge = customer.fields
  const base = Option.fromNullable(customer.link?.synced_snapshot)
  const primary = ShopifyContact.primaryPhone(ShopifyContact.reference(base, edge), current.phone, options.defaultCountry)
  const shopify = ShopifyContact.toFields(current, ShopifyContact.reference(base, edge), edge, options.defaultCountry)
  const sync = ContactSync.plan({
    policy: options.conflicts,
    defaultCountry: options.defaultCountry,
    snapshot: base,
    edge,
    shopify,
    edgeChangedAt: editedAt(customer.updated_at),
    shopifyChangedAt: Option.some(current.updatedAt)
  })
  const pushing = Object.keys(sync.toShopify).length > 0
  const snapshot = ContactSync.agreedSnapshot(sync.edgeAfter, shopify, options.defaultCountry)
  if (!pushing && sync.edgeChanges.length === 0 && Option.isSome(base) && ContactSync.sameSnapshot(snapshot, base.value)) {
    return Option.none()
  }
  const conflicts = PullContacts.conflictRecords(sync.merged.conflicts, {
    customerId: customer.customer_id,
    shopifyCustomerId: shopifyId,
    version: `edge:${customer.updated_at}:shopify:${current.updatedAt.toISOString()}`,
    detectedAt: now,
    ctx
  })
  return Option.some({
    plan: {
      customer,
      primary,
      sync: Option.some(sync),
      shopifyBefore: Option.some(shopify),
      upsert: pushing
        ? Option.some({
          key: keyOf(customer),
          shopifyId,
          fields: ContactSync.customerFields(sync.toShopify, sync.edgeAfter, primary, options.defaultCountry)
        })
        : Option.none(),
      conflicts
    },
    notes: [
      pushing ? "push:update" : "push:none",
      ...(sync.edgeChanges.length > 0 ? ["contact:updated"] : []),
      ...sync.merged.conflicts.map((c) => `conflict:${c.field}`)
    ]
  })
}

/**
 * Why a record no longer speaks for its Edge row, if it does not: the row was edited (or deleted) after
 * the record was read. That happens to a dead letter retried after staff corrected the row: pushing the
 * old values would send what was refused, or overwrite the correction. The row's newer version is read
 * by the next run (its `updated_at` is past the checkpoint), so the stale record is dropped.
 */
const superseded = (
  customer: EdgeCustomer,
  current: ReadonlyMap<number, string>
): Option.Option<string> => {
  const updatedAt = current.get(customer.customer_id)
  if (updatedAt === undefined) return Option.some(`Edge customer ${customer.customer_id} no longer exists`)
  return updatedAt === customer.updated_at ? Option.none() : Option.some(
    `Edge customer ${customer.customer_id} was edited since this record was read; the next run sends its current values`
  )
}

/**
 * `mission.planPush`: what to send for each Edge customer. Linked customers are compared with Shopify's
 * current values (one read each, paced by the shop's budget); a linked customer deleted in Shopify is
 * refused (it is not silently recreated).
 */
export const plan = (options: SyncOptions) =>
  Transform.batch<EdgeCustomer, PushPlan, ShopifyError | EdgeDbError, ShopifyClient | EdgeDb>(
    "mission.planPush",
    (batch, ctx) =>
      Effect.gen(function*() {
        const client = yield* ShopifyClient
        const db = yield* EdgeDb
        const now = new Date(yield* Clock.currentTimeMillis)
        const rows = yield* CustomerStatements.contactsByIds(db, batch.map((c) => c.customer_id))
        const rowVersions = new Map(rows.map((r) => [r.customer_id, r.updated_at] as const))
        const current = yield* Effect.forEach(batch, (customer) =>
          customer.link === null
            ? Effect.succeed(Option.none<Option.Option<ShopifyCustomer.ShopifyCustomer>>())
            : Effect.map(
              client.execute(CustomerById, { id: customer.link.shopify_customer_id }),
              (r) => Option.some(Option.map(Option.fromNullable(r.customer), ShopifyCustomer.fromWire))
            ), { concurrency: 4 })
        const outcomes = batch.map((customer, i) => {
          const stale = superseded(customer, rowVersions)
          if (Option.isSome(stale)) return Stage.drop(stale.value)
          const link = customer.link
          if (link === null) return Stage.emit(upload(customer, options), "push:upload")
          const found = Option.flatten(current[i]!)
          if (Option.isNone(found)) {
            return Stage.reject(
              new MissionError({
                reason: "MissingCustomer",
                stage: "mission.planPush",
                key: `Edge customer ${customer.customer_id}`,
                detail: `its linked Shopify customer ${link.shopify_customer_id} no longer exists; it is not recreated. ` +
                  `Unlink it (edgesync customers unlink ${customer.customer_id}) to upload it again, or link it to another`
              })
            )
          }
          return Option.match(planLinked(customer, link.shopify_customer_id, found.value, options, now, ctx), {
            onNone: () => Stage.drop("no change Shopify or Edge needs (formatting only, or already in sync)"),
            onSome: ({ notes, plan }) => Stage.emit(plan, ...notes)
          })
        })
        if (ctx.dryRun) {
          yield* PullContacts.logConflicts(outcomes.flatMap((o) => (o._tag === "Emit" ? o.records.flatMap((r) => r.conflicts) : [])))
        }
        return outcomes
      }),
    {
      description: "mission.planPush: for uploads all fields, for linked customers only what changed in Edge since the last sync " +
        "(three-way merge with Shopify's current values, per conflicts)"
    }
  )

/** Shopify's values as Edge fields, for a customer Shopify returned. */
const shopifyFields = (
  customer: ShopifyCustomer.ShopifyCustomer,
  primary: ShopifyContact.PhoneColumn,
  edge: ContactFields
): ContactFields => ShopifyContact.view(ShopifyContact.held(customer, primary), edge)

/**
 * `mission.settleUpload`: an upload that met an existing Shopify customer (same email or phone) is
 * linked to it, not duplicated; their first merge (no snapshot yet) decides what Shopify still takes
 * (sent next, `followUp`) and what Edge takes.
 */
export const settle = (options: SyncOptions) =>
  Transform.map<Pushed, Settled>(
    "mission.settleUpload",
    (pushed) => {
      const none = { ...pushed, firstMerge: Option.none(), followUp: Option.none(), followUpResult: Option.none() }
      if (pushed.customer.link !== null) return none
      return Option.match(pushed.result, {
        onNone: () => none,
        onSome: (result) => {
          if (result.action !== "linked-existing" || result.customer === null || result.shopifyId === null) return none
          const edge = pushed.customer.fields
          const primary = ShopifyContact.primaryPhone(edge, result.customer.phone, options.defaultCountry)
          const shopify = shopifyFields(result.customer, primary, edge)
          const sync = ContactSync.plan({
            policy: options.conflicts,
            defaultCountry: options.defaultCountry,
            snapshot: Option.none(),
            edge,
            shopify,
            edgeChangedAt: editedAt(pushed.customer.updated_at),
            shopifyChangedAt: Option.some(result.customer.updatedAt)
          })
          const followUp = Object.keys(sync.toShopify).length === 0 ? Option.none() : Option.some({
            key: keyOf(pushed.customer),
            shopifyId: result.shopifyId,
            fields: ContactSync.customerFields(sync.toShopify, sync.edgeAfter, primary, options.defaultCountry)
          })
          return { ...none, primary, firstMerge: Option.some(sync), followUp }
        }
      })
    },
    { description: "mission.settleUpload: merges an upload with the existing Shopify customer it was linked to" }
  )

/** The invite for a customer created from a web upload, when `sendInviteOnUpload` is on: once, at creation. */
export const inviteFor = (options: SyncOptions) => (settled: Settled): Option.Option<InviteRequest> =>
  options.sendInviteOnUpload && settled.customer.reason === "upload" && settled.customer.link === null
    ? Option.flatMap(
      Option.filter(settled.result, (r) => r.action === "created"),
      (r) => Option.fromNullable(SendInvite.inviteRequestFrom(r))
    )
    : Option.none()

const lastWrite = (record: Invited): Option.Option<UpsertCustomerResult> =>
  Option.orElse(record.followUpResult, () => record.result)

/** What Edge and the link end up with for one pushed customer. */
export const toSync = (record: Invited, options: SyncOptions, now: Date, ctx: StageContext): CustomerSync => {
  const customer = record.customer
  const key = keyOf(customer)
  const written = lastWrite(record)
  const sync = Option.orElse(record.firstMerge, () => record.sync)
  const edgeAfter = Option.match(sync, { onNone: () => customer.fields, onSome: (s) => s.edgeAfter })
  const edgeChanges = Option.match(sync, { onNone: () => [], onSome: (s) => s.edgeChanges })
  const shopifyAfter = Option.orElse(
    Option.flatMap(written, (w) => Option.map(Option.fromNullable(w.customer), (c) => shopifyFields(c, record.primary, edgeAfter))),
    () => record.shopifyBefore
  )
  const snapshot = ContactSync.agreedSnapshot(edgeAfter, Option.getOrElse(shopifyAfter, () => edgeAfter), options.defaultCountry)
  const shopifyId = Option.orElse(
    Option.flatMap(written, (w) => Option.fromNullable(w.shopifyId)),
    () => Option.fromNullable(customer.link?.shopify_customer_id)
  )
  const invited = Option.exists(record.invite, (i) => i.status === "sent")
  const firstResult = record.result
  const linkedExisting = Option.exists(firstResult, (r) => r.action === "linked-existing")
  const method = customer.link !== null
    ? customer.link.link_method
    : linkedExisting
    ? Option.getOrElse(Option.flatMap(firstResult, (r) => Option.fromNullable(r.linkedBy)), () => "email" as const)
    : "upload" as const
  const conflicts = [
    ...record.conflicts,
    ...Option.match(record.firstMerge, {
      onNone: () => [],
      onSome: (s) =>
        PullContacts.conflictRecords(s.merged.conflicts, {
          customerId: customer.customer_id,
          shopifyCustomerId: Option.getOrNull(shopifyId),
          version: `upload:${customer.updated_at}`,
          detectedAt: now,
          ctx
        })
    })
  ]
  return {
    key,
    link: Option.map(shopifyId, (id) => ({
      customer_id: customer.customer_id,
      shopify_customer_id: id,
      link_method: method,
      snapshot,
      invite_sent_at: invited ? now : null,
      pushed: Option.isSome(written),
      pulled: edgeChanges.length > 0
    })),
    contact: edgeChanges.length > 0
      ? Option.some({ customer_id: customer.customer_id, changes: edgeChanges, snapshot })
      : Option.none(),
    conflicts,
    decision: linkedExisting
      ? Option.map(shopifyId, (id) => ({
        key: `upload:${customer.customer_id}`,
        decidedAt: now,
        pipeline: ctx.pipeline,
        runId: ctx.runId,
        shopifyCustomerId: id,
        shopifyOrderId: null,
        edgeCustomerId: customer.customer_id,
        rule: method,
        candidates: [customer.customer_id],
        ambiguous: false,
        note: `uploaded Edge customer ${customer.customer_id} already existed in Shopify (same ${method}): linked, not duplicated`
      }))
      : Option.none()
  }
}

/**
 * In a dry run nothing is created, so no invite request can be made for a customer that would be
 * created: the plan still counts it.
 */
const dryRunNotes = (record: Invited, options: SyncOptions, ctx: StageContext): ReadonlyArray<string> =>
  ctx.dryRun && options.sendInviteOnUpload && record.customer.link === null &&
    Option.exists(record.result, (r) => r.action === "created" && r.shopifyId === null) &&
    record.customer.fields.email !== null && record.customer.fields.email.trim() !== ""
    ? ["invite:would-send"]
    : []

/** `mission.linkBack`: the links (with invite times), contact updates, conflicts and decisions to store. */
export const linkBack = (options: SyncOptions) =>
  Transform.batch<Invited, CustomerSync>(
    "mission.linkBack",
    (batch, ctx) =>
      Effect.map(Clock.currentTimeMillis, (millis) =>
        batch.map((record) => Stage.emit(toSync(record, options, new Date(millis), ctx), ...dryRunNotes(record, options, ctx)))),
    { description: "mission.linkBack: writes back links (method, snapshot, invite time) and what Edge takes from Shopify" }
  )

