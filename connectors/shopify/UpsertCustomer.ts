// Stage `shopify.upsertCustomer`: creates or updates a Shopify customer from an edgesync customer record
// and says per record which Shopify customer it is now linked to and how, so that the pipeline can write
// the link back.
//
// Crash safety: the Shopify customer is created before the caller stores the link. If the process dies
// in between, the rerun's customerCreate answers "Email/Phone has already been taken" and the record is
// linked to the customer created the first time instead of creating a second one (FACTS §1.7).
//
// Lost answers: a customerCreate whose answer never came (a reset, a timeout, a 5xx) may have created the
// customer; sent again, it answers "Email has already been taken". Within one run that customer is
// recognised as the record's own (created since the record's first create, with the name sent) and the
// record is reported "created", as if the answer had arrived: the same link and the same invite.
//
// Every create carries a marker tag (`edgesync-key-<key>`), so the customer it made stays recognisable
// in any later run: when a rerun after a crash or an outage (the create applied, the link never stored)
// meets "already taken", a customer carrying this record's marker is its own earlier create and the
// record is reported "created" (linked as an upload, invited if asked), not "linked-existing".
// A customer with neither email nor phone has nothing Shopify refuses twice, so its create is also
// preceded by a search for that tag: a rerun finds the customer the first attempt created instead of
// making a second one. The search index lags writes (FACTS §1.5), so a restart within seconds of the
// crash can still miss it.
import { Clock, Effect, Either, Option, Schema } from "effect"
import * as FailPoint from "../../core/FailPoint.js"
import * as Stage from "../../core/Stage.js"
import {
  CustomerByIdentifier,
  CustomerCreate,
  CustomersUpdatedSince,
  type CustomerInput,
  type CustomerPayload,
  CustomerUpdate,
  type MailingAddressInput
} from "./documents/CustomerDocuments.js"
import * as RunMemory from "./RunMemory.js"
import { ShopifyClient } from "./ShopifyClient.js"
import * as ShopifyCustomer from "./ShopifyCustomer.js"
import { ShopifyError } from "./ShopifyError.js"
import { isCustomerMissing, isEmailTaken, isPhoneInvalid, isPhoneTaken, UserError } from "./UserError.js"

export const CustomerAddressInput = Schema.Struct({
  firstName: Schema.optional(Schema.NullOr(Schema.String)),
  lastName: Schema.optional(Schema.NullOr(Schema.String)),
  company: Schema.optional(Schema.NullOr(Schema.String)),
  address1: Schema.optional(Schema.NullOr(Schema.String)),
  address2: Schema.optional(Schema.NullOr(Schema.String)),
  city: Schema.optional(Schema.NullOr(Schema.String)),
  /** ISO 3166-2 subdivision code without the country ("ON"). */
  provinceCode: Schema.optional(Schema.NullOr(Schema.String)),
  /** ISO 3166-1 alpha-2 ("CA"). */
  countryCode: Schema.optional(Schema.NullOr(Schema.String)),
  zip: Schema.optional(Schema.NullOr(Schema.String)),
  /** E.164. */
  phone: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ identifier: "CustomerAddressInput" })
export type CustomerAddressInput = typeof CustomerAddressInput.Type

/**
 * The fields to send. A key that is absent is left as it is in Shopify (an update sends only what
 * changed); `null` clears the field.
 */
export const CustomerFields = Schema.Struct({
  firstName: Schema.optional(Schema.NullOr(Schema.String)),
  lastName: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.optional(Schema.NullOr(Schema.String)),
  /** E.164 ("+16135550123"); Shopify rejects what it cannot read, and the record goes without it. */
  phone: Schema.optional(Schema.NullOr(Schema.String)),
  note: Schema.optional(Schema.NullOr(Schema.String)),
  tags: Schema.optional(Schema.Array(Schema.String)),
  /**
   * The default address. Sent as the customer's address list, which Shopify replaces on update
   * (captured in customer-input-addresses-parity): other addresses saved on the site are dropped.
   */
  address: Schema.optional(Schema.NullOr(CustomerAddressInput))
}).annotations({ identifier: "CustomerFields" })
export type CustomerFields = typeof CustomerFields.Type

/** What the stage takes: one customer to create or update. */
export const CustomerUpsert = Schema.Struct({
  /** The caller's key (the Edge customer id): it comes back on the result and names dead letters. */
  key: Schema.String,
  /** The linked Shopify customer (`gid://shopify/Customer/<n>`), or null to create or find one. */
  shopifyId: Schema.NullOr(Schema.String),
  fields: CustomerFields
}).annotations({ identifier: "CustomerUpsert" })
export type CustomerUpsert = typeof CustomerUpsert.Type

export const UpsertAction = Schema.Literal("created", "updated", "linked-existing")
export type UpsertAction = typeof UpsertAction.Type

/** What the stage emits per record. */
export const UpsertCustomerResult = Schema.Struct({
  key: Schema.String,
  /** The Shopify customer now linked; null only for "created" in a dry run. */
  shopifyId: Schema.NullOr(Schema.String),
  action: UpsertAction,
  /** For "linked-existing": the identifier Shopify said was taken, and that found the customer. */
  linkedBy: Schema.NullOr(Schema.Literal("email", "phone")),
  /** Shopify refused the phone as invalid; the customer was written without it. */
  phoneDropped: Schema.Boolean,
  /** Shopify's messages about what it did not accept (phone invalid, phone taken by another customer). */
  warnings: Schema.Array(Schema.String),
  /** The customer as Shopify has it after the write; null only in a dry run. */
  customer: Schema.NullOr(ShopifyCustomer.ShopifyCustomer),
  input: CustomerUpsert
}).annotations({ identifier: "UpsertCustomerResult" })
export type UpsertCustomerResult = typeof UpsertCustomerResult.Type

export interface UpsertCustomerOptions {
  /** Records of one batch written at the same time (the shop's bucket paces them). */
  readonly concurrency?: number
}

const addressInput = (a: CustomerAddressInput): MailingAddressInput => {
  const out: Record<string, string | null> = {}
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v
  return out as MailingAddressInput
}

export const toCustomerInput = (fields: CustomerFields): CustomerInput => {
  const input: { -readonly [K in keyof CustomerInput]: CustomerInput[K] } = {}
  if (fields.firstName !== undefined) input.firstName = fields.firstName
  if (fields.lastName !== undefined) input.lastName = fields.lastName
  if (fields.email !== undefined) input.email = fields.email
  if (fields.phone !== undefined) input.phone = fields.phone
  if (fields.note !== undefined) input.note = fields.note
  if (fields.tags !== undefined) input.tags = fields.tags
  if (fields.address !== undefined) input.addresses = fields.address === null ? [] : [addressInput(fields.address)]
  return input
}

const withoutPhone = (input: CustomerInput): CustomerInput => {
  const { phone: _phone, ...rest } = input
  const addresses = rest.addresses?.map(({ phone: _p, ...a }) => a)
  return addresses === undefined ? rest : { ...rest, addresses }
}

const toUserErrors = (payload: CustomerPayload) =>
  payload.userErrors.map((e) => new UserError({ field: e.field, message: e.message }))

type Written = {
  readonly customer: ShopifyCustomer.ShopifyCustomer
  readonly phoneDropped: boolean
  readonly warnings: ReadonlyArray<string>
}

export const upsertCustomer = (options: UpsertCustomerOptions = {}) => {
  const name = "shopify.upsertCustomer"

  const recordError = (
    store: string,
    record: CustomerUpsert,
    reason: "UserErrors" | "NotFound",
    operation: string,
    detail: string,
    userErrors: ReadonlyArray<UserError>
  ) => new ShopifyError({ reason, operation, store, detail, userErrors, recordKey: record.key, stage: name })

  const lookup = (by: "email" | "phone", value: string) =>
    Effect.flatMap(ShopifyClient, (client) =>
      client.execute(CustomerByIdentifier, {
        identifier: by === "email" ? { emailAddress: value } : { phoneNumber: value }
      })).pipe(Effect.map((r) => Option.map(Option.fromNullable(r.customerByIdentifier), ShopifyCustomer.fromWire)))

  /**
   * Runs customerCreate or customerUpdate; "Phone is invalid" sends it again without the phone. Returns
   * the customer or the user errors Shopify answered with.
   */
  const write = (kind: "create" | "update", input: CustomerInput) =>
    Effect.gen(function*() {
      const client = yield* ShopifyClient
      let current = input
      let phoneDropped = false
      let uncertain = false
      const warnings: Array<string> = []
      for (;;) {
        const answer = kind === "create"
          ? yield* Effect.map(client.request(CustomerCreate, { input: current }), (r) => ({ uncertain: r.uncertain, payload: r.data.customerCreate }))
          : yield* Effect.map(client.request(CustomerUpdate, { input: current }), (r) => ({ uncertain: r.uncertain, payload: r.data.customerUpdate }))
        const payload = answer.payload
        uncertain = uncertain || answer.uncertain
        const errors = toUserErrors(payload)
        if (payload.customer !== null && errors.length === 0) {
          // Crash tests aim here: Shopify has the customer, nothing has stored the link yet.
          yield* FailPoint.hit("shopify.customer-written")
          return Either.right<Written>({ customer: ShopifyCustomer.fromWire(payload.customer), phoneDropped, warnings })
        }
        const invalidPhone = errors.find(isPhoneInvalid)
        if (invalidPhone !== undefined && !phoneDropped) {
          phoneDropped = true
          warnings.push(`${invalidPhone.message}: ${current.phone ?? "(address phone)"}; written without it`)
          current = withoutPhone(current)
          continue
        }
        return Either.left({ errors, phoneDropped, warnings, sent: current, uncertain })
      }
    })

  // Each record's creates in a run, by record key: when the first was sent, and the outcome once known,
  // which a retried step returns instead of creating again. A create started without an outcome (the
  // client gave up on resets, timeouts or 5xx answers, or the step was interrupted when another record
  // failed) may have taken effect. A retried step is the batch in hand, so a bounded memory will do.
  const creates = RunMemory.make<CreateMemo>({ runs: 4, perRun: maxCreateMemos })
  const createMemo = (runId: string, key: string) =>
    Effect.map(Clock.currentTimeMillis, (now) =>
      creates.entry(runId, key, (): CreateMemo => ({ sentAt: now, started: false, done: undefined })))

  /**
   * Whether the customer that holds the email or phone is the one an unanswered create of this record
   * made: created since the first create was sent (Shopify's createdAt has whole seconds), with the
   * name, email and phone sent.
   */
  const ownEarlierCreate = (found: ShopifyCustomer.ShopifyCustomer, sent: CustomerInput, memo: CreateMemo, uncertain: boolean) =>
    uncertain &&
    found.createdAt.getTime() >= Math.floor(memo.sentAt / 1000) * 1000 &&
    found.firstName === (sent.firstName ?? null) &&
    found.lastName === (sent.lastName ?? null) &&
    // Shopify stores emails without whitespace, compared case-insensitively, and phones as E.164
    // (FACTS §1.4, email and phone normalization).
    comparableEmail(found.email) === comparableEmail(sent.email) &&
    (sent.phone === undefined || sent.phone === null || digits(found.phone) === digits(sent.phone))

  const upsertOne = (record: CustomerUpsert, dryRun: boolean, runId: string) =>
    Effect.gen(function*() {
      const client = yield* ShopifyClient
      const input = toCustomerInput(record.fields)
      const base = { key: record.key, input: record }

      if (record.shopifyId !== null) {
        if (dryRun) {
          return Stage.emit<UpsertCustomerResult>(
            { ...base, shopifyId: record.shopifyId, action: "updated", linkedBy: null, phoneDropped: false, warnings: [], customer: null },
            "updated"
          )
        }
        const result = yield* write("update", { ...input, id: record.shopifyId })
        if (Either.isRight(result)) {
          const w = result.right
          return Stage.emit<UpsertCustomerResult>(
            { ...base, shopifyId: w.customer.id, action: "updated", linkedBy: null, phoneDropped: w.phoneDropped, warnings: w.warnings, customer: w.customer },
            ...notes("updated", w.phoneDropped)
          )
        }
        const { errors } = result.left
        if (errors.some(isCustomerMissing)) {
          // Deleted in Shopify: recreating it silently would resurrect what a person removed.
          return Stage.reject(recordError(
            client.store,
            record,
            "NotFound",
            "CustomerUpdate",
            `linked Shopify customer ${record.shopifyId} no longer exists; unlink or relink it`,
            errors
          ))
        }
        return Stage.reject(recordError(client.store, record, "UserErrors", "CustomerUpdate", "update refused", errors))
      }

      if (dryRun) {
        const existing = yield* findExisting(input)
        return Option.match(existing, {
          onNone: () =>
            Stage.emit<UpsertCustomerResult>(
              { ...base, shopifyId: null, action: "created", linkedBy: null, phoneDropped: false, warnings: [], customer: null },
              "created"
            ),
          onSome: ([by, customer]) =>
            Stage.emit<UpsertCustomerResult>(
              { ...base, shopifyId: customer.id, action: "linked-existing", linkedBy: by, phoneDropped: false, warnings: [], customer },
              "linked-existing"
            )
        })
      }

      const memo = yield* createMemo(runId, record.key)
      const asSent = JSON.stringify(record)
      if (memo.done !== undefined && memo.done.record === asSent) return memo.done.outcome
      const resent = memo.started
      memo.started = true
      const outcome = yield* created(record, input, memo, resent)
      memo.done = { record: asSent, outcome }
      return outcome
    })

  const created = (record: CustomerUpsert, input: CustomerInput, memo: CreateMemo, resent: boolean) =>
    Effect.gen(function*() {
      const client = yield* ShopifyClient
      const base = { key: record.key, input: record }
      const marker = markerTag(record.key)
      if (anchorless(input)) {
        const earlier = yield* findByTag(marker)
        if (Option.isSome(earlier)) {
          return Stage.emit<UpsertCustomerResult>(
            { ...base, shopifyId: earlier.value.id, action: "created", linkedBy: null, phoneDropped: false, warnings: [], customer: earlier.value },
            "created"
          )
        }
      }
      const result = yield* write("create", { ...input, tags: [...(input.tags ?? []), marker] })
      if (Either.isRight(result)) {
        const w = result.right
        return Stage.emit<UpsertCustomerResult>(
          { ...base, shopifyId: w.customer.id, action: "created", linkedBy: null, phoneDropped: w.phoneDropped, warnings: w.warnings, customer: w.customer },
          ...notes("created", w.phoneDropped)
        )
      }
      const { errors, phoneDropped, sent, uncertain, warnings } = result.left
      // Email first: an email names one person more surely than a (possibly shared) phone.
      const taken: ReadonlyArray<readonly ["email" | "phone", string | null | undefined]> = [
        ["email", errors.some(isEmailTaken) ? sent.email : undefined],
        ["phone", errors.some(isPhoneTaken) ? sent.phone : undefined]
      ]
      for (const [by, value] of taken) {
        if (value === undefined || value === null) continue
        const found = yield* lookup(by, value)
        if (Option.isSome(found) && (found.value.tags.includes(marker) || ownEarlierCreate(found.value, sent, memo, uncertain || resent))) {
          return Stage.emit<UpsertCustomerResult>(
            { ...base, shopifyId: found.value.id, action: "created", linkedBy: null, phoneDropped, warnings, customer: found.value },
            ...notes("created", phoneDropped)
          )
        }
        if (Option.isSome(found)) {
          const otherTaken = by === "email" && errors.some(isPhoneTaken) &&
              found.value.phone !== null && found.value.phone !== sent.phone
            ? [`phone ${sent.phone ?? ""} belongs to another Shopify customer`]
            : []
          return Stage.emit<UpsertCustomerResult>(
            {
              ...base,
              shopifyId: found.value.id,
              action: "linked-existing",
              linkedBy: by,
              phoneDropped,
              warnings: [...warnings, ...otherTaken],
              customer: found.value
            },
            ...notes("linked-existing", phoneDropped)
          )
        }
      }
      return Stage.reject(recordError(client.store, record, "UserErrors", "CustomerCreate", "create refused", errors))
    })

  /** For a dry run: the customer a create would run into, by email then phone. */
  const findExisting = (input: CustomerInput) =>
    Effect.gen(function*() {
      for (const by of ["email", "phone"] as const) {
        const value = by === "email" ? input.email : input.phone
        if (value === undefined || value === null || value.trim() === "") continue
        const found = yield* lookup(by, value)
        if (Option.isSome(found)) return Option.some([by, found.value] as const)
      }
      return Option.none()
    })

  return Stage.transform<CustomerUpsert, UpsertCustomerResult, ShopifyError, ShopifyClient>({
    name,
    description:
      "Creates or updates Shopify customers; links to an existing customer when the email or phone is taken; reports the link",
    apply: (batch, ctx) =>
      Effect.forEach(batch, (record) => upsertOne(record, ctx.dryRun, ctx.runId).pipe(
        Effect.mapError((e) => e.within({ pipeline: ctx.pipeline, stage: ctx.stage, recordKey: record.key }))
      ), { concurrency: options.concurrency ?? 4 }).pipe(
        Effect.annotateLogs({ pipeline: ctx.pipeline, runId: ctx.runId, stage: ctx.stage }),
        Effect.withSpan(name)
      )
  })
}

const comparableEmail = (email: string | null | undefined): string => (email ?? "").replace(/\s+/g, "").toLowerCase()
const digits = (phone: string | null | undefined): string => (phone ?? "").replace(/\D+/g, "")

/** More than the records of the batches in flight (batches of 500 by default, one read ahead). */
const maxCreateMemos = 5000

interface CreateMemo {
  readonly sentAt: number
  started: boolean
  done: { readonly record: string; readonly outcome: Stage.Outcome<UpsertCustomerResult> } | undefined
}

const blank = (value: string | null | undefined): boolean => value === undefined || value === null || value.trim() === ""

/** A create Shopify cannot recognise when sent again: no email and no phone to be "already taken". */
const anchorless = (input: CustomerInput): boolean => blank(input.email) && blank(input.phone)

/** The tag that marks the Shopify customer created for the record with this key (see the module comment). */
export const markerTag = (key: string): string => `edgesync-key-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`

/** The customer carrying `tag`, if the search finds one. */
const findByTag = (tag: string) =>
  Effect.flatMap(ShopifyClient, (client) => client.execute(CustomersUpdatedSince, { first: 1, query: `tag:'${tag}'` })).pipe(
    Effect.map((r) => Option.map(Option.fromNullable(r.customers.nodes[0]), ShopifyCustomer.fromWire))
  )

const notes = (action: UpsertAction, phoneDropped: boolean): ReadonlyArray<string> =>
  phoneDropped ? [action, "phone-dropped"] : [action]

/** `shopify.upsertCustomer` with the default options. */
export const upsertCustomerStage = upsertCustomer()
