// Stage `shopify.sendInvite`: sends Shopify's account invite (customerSendAccountInviteEmail) and reports
// per record whether it went out, so that the pipeline can remember the invite and never send it twice.
import { Effect, Schema } from "effect"
import * as Stage from "../../core/Stage.js"
import { CustomerSendInvite } from "./documents/CustomerDocuments.js"
import { ShopifyClient } from "./ShopifyClient.js"
import { ShopifyError } from "./ShopifyError.js"
import type { UpsertCustomerResult } from "./UpsertCustomer.js"
import { isCustomerMissing, UserError } from "./UserError.js"

export const InviteRequest = Schema.Struct({
  /** The caller's key (the Edge customer id). */
  key: Schema.String,
  /** `gid://shopify/Customer/<n>`. */
  shopifyId: Schema.String,
  /** The customer's email; without one there is nobody to invite and Shopify is not asked. */
  email: Schema.NullOr(Schema.String)
}).annotations({ identifier: "InviteRequest" })
export type InviteRequest = typeof InviteRequest.Type

export const InviteStatus = Schema.Literal("sent", "no-email", "not-sent", "would-send")
export type InviteStatus = typeof InviteStatus.Type

export const InviteResult = Schema.Struct({
  key: Schema.String,
  shopifyId: Schema.String,
  /**
   * sent: Shopify sent it (the customer is now INVITED); no-email: nothing to send to; not-sent: Shopify
   * refused (for example a shop without legacy customer accounts), see `message`; would-send: a dry run.
   */
  status: InviteStatus,
  message: Schema.NullOr(Schema.String),
  /** The customer's state after the invite, when Shopify returned it. */
  state: Schema.NullOr(Schema.String)
}).annotations({ identifier: "InviteResult" })
export type InviteResult = typeof InviteResult.Type

/** The invite request for a customer the upsert stage just wrote. */
export const inviteRequestFrom = (result: UpsertCustomerResult): InviteRequest | undefined =>
  result.shopifyId === null ? undefined : {
    key: result.key,
    shopifyId: result.shopifyId,
    email: result.customer?.email ?? result.input.fields.email ?? null
  }

export const sendInvite = (options: { readonly concurrency?: number } = {}) => {
  const name = "shopify.sendInvite"
  const inviteOne = (request: InviteRequest, dryRun: boolean) =>
    Effect.gen(function*() {
      const base = { key: request.key, shopifyId: request.shopifyId }
      if (request.email === null || request.email.trim() === "") {
        return Stage.emit<InviteResult>({ ...base, status: "no-email", message: "the customer has no email", state: null }, "no-email")
      }
      if (dryRun) {
        return Stage.emit<InviteResult>({ ...base, status: "would-send", message: null, state: null }, "would-send")
      }
      const client = yield* ShopifyClient
      const payload = (yield* client.execute(CustomerSendInvite, { customerId: request.shopifyId })).customerSendAccountInviteEmail
      const errors = payload.userErrors.map((e) => new UserError({ field: e.field, message: e.message, code: e.code }))
      if (errors.length === 0) {
        return Stage.emit<InviteResult>({ ...base, status: "sent", message: null, state: payload.customer?.state ?? null }, "sent")
      }
      if (errors.some(isCustomerMissing)) {
        return Stage.reject(new ShopifyError({
          reason: "NotFound",
          operation: "CustomerSendInvite",
          store: client.store,
          detail: `Shopify customer ${request.shopifyId} does not exist`,
          userErrors: errors,
          recordKey: request.key,
          stage: name
        }))
      }
      // The shop cannot send it (legacy accounts off, a bad address): reported, not a failure of the run.
      return Stage.emit<InviteResult>(
        { ...base, status: "not-sent", message: errors.map((e) => e.toString()).join("; "), state: null },
        "not-sent"
      )
    })

  return Stage.transform<InviteRequest, InviteResult, ShopifyError, ShopifyClient>({
    name,
    description: "Sends Shopify's customer account invite; reports customers without email or invites the shop refused",
    apply: (batch, ctx) =>
      Effect.forEach(batch, (request) =>
        inviteOne(request, ctx.dryRun).pipe(
          Effect.mapError((e) => e.within({ pipeline: ctx.pipeline, stage: ctx.stage, recordKey: request.key }))
        ), { concurrency: options.concurrency ?? 4 }).pipe(
          Effect.annotateLogs({ pipeline: ctx.pipeline, runId: ctx.runId, stage: ctx.stage }),
          Effect.withSpan(name)
        )
  })
}

/** `shopify.sendInvite` with the default options. */
export const sendInviteStage = sendInvite()
