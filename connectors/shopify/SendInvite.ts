// Stage `shopify.sendInvite`: sends Shopify's account invite (customerSendAccountInviteEmail) and reports
// per record whether it went out, so that the pipeline can remember the invite and never send it twice.
//
// Shopify sends the email again for every call, so the invite is never sent blindly twice in a run: an
// invite whose answer was lost (a reset, a timeout, a 5xx) is not re-sent by the client, and before one
// is sent again (that, or a retried step) the customer's state says whether the first one went out.
// Across runs, a request for a customer already INVITED (a create recovered after a crash that came after
// its invite) is reported sent without asking Shopify again.
import { Effect, Option, Schema } from "effect"
import * as FailPoint from "../../core/FailPoint.js"
import * as Stage from "../../core/Stage.js"
import { CustomerById, CustomerSendInvite } from "./documents/CustomerDocuments.js"
import * as RunMemory from "./RunMemory.js"
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
  email: Schema.NullOr(Schema.String),
  /**
   * The customer's account state as last read from Shopify, when known. A create recovered in a later
   * run (the process died after Shopify created the customer, perhaps after inviting it too) reads the
   * customer back: INVITED means that run's invite went out, and it is not sent a second time.
   */
  knownState: Schema.optional(Schema.NullOr(Schema.String))
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
    email: result.customer?.email ?? result.input.fields.email ?? null,
    knownState: result.customer?.state ?? null
  }

export const sendInvite = (options: { readonly concurrency?: number } = {}) => {
  const name = "shopify.sendInvite"
  // The customers an invite was asked for in a run: asked again (a retried step), Shopify's state of the
  // customer says whether the first one went out.
  const asked = RunMemory.make<{ count: number }>({ runs: 4, perRun: 5000 })
  const askedBefore = (runId: string, shopifyId: string): boolean => {
    const entry = asked.entry(runId, shopifyId, () => ({ count: 0 }))
    entry.count++
    return entry.count > 1
  }
  /** The customer's state when an earlier invite of this run went out (INVITED), if it did. */
  const alreadyInvited = (shopifyId: string) =>
    Effect.flatMap(ShopifyClient, (client) => client.execute(CustomerById, { id: shopifyId })).pipe(
      Effect.map((r) => Option.filter(Option.fromNullable(r.customer?.state), (state) => state === "INVITED"))
    )

  const inviteOne = (request: InviteRequest, dryRun: boolean, runId: string) =>
    Effect.gen(function*() {
      const base = { key: request.key, shopifyId: request.shopifyId }
      if (request.email === null || request.email.trim() === "") {
        return Stage.emit<InviteResult>({ ...base, status: "no-email", message: "the customer has no email", state: null }, "no-email")
      }
      if (dryRun) {
        return Stage.emit<InviteResult>({ ...base, status: "would-send", message: null, state: null }, "would-send")
      }
      const client = yield* ShopifyClient
      const sent = (state: string) =>
        Stage.emit<InviteResult>({ ...base, status: "sent", message: null, state }, "sent")
      if (request.knownState === "INVITED") return sent(request.knownState)
      if (askedBefore(runId, request.shopifyId)) {
        const invited = yield* alreadyInvited(request.shopifyId)
        if (Option.isSome(invited)) return sent(invited.value)
      }
      const payload = (yield* client.request(CustomerSendInvite, { customerId: request.shopifyId }, { resendUncertain: false }).pipe(
        Effect.catchIf((e) => e.reason === "Transport", (lost) =>
          // No answer: the customer's state says whether it went out; if not, the runner retries.
          Effect.flatMap(alreadyInvited(request.shopifyId), Option.match({
            onNone: () => Effect.fail(lost),
            onSome: (state) => Effect.succeed({ data: { customerSendAccountInviteEmail: { customer: { id: request.shopifyId, state }, userErrors: [] } } })
          })))
      )).data.customerSendAccountInviteEmail
      const errors = payload.userErrors.map((e) => new UserError({ field: e.field, message: e.message, code: e.code }))
      if (errors.length === 0) {
        // Crash tests aim here: the invite is sent, nothing has stored that it was.
        yield* FailPoint.hit("shopify.invite-sent")
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
        inviteOne(request, ctx.dryRun, ctx.runId).pipe(
          Effect.mapError((e) => e.within({ pipeline: ctx.pipeline, stage: ctx.stage, recordKey: request.key }))
        ), { concurrency: options.concurrency ?? 4 }).pipe(
          Effect.annotateLogs({ pipeline: ctx.pipeline, runId: ctx.runId, stage: ctx.stage }),
          Effect.withSpan(name)
        )
  })
}

/** `shopify.sendInvite` with the default options. */
export const sendInviteStage = sendInvite()
