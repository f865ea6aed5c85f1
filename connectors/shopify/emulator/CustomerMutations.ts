// customerCreate, customerUpdate, customerSet, customerDelete and customerSendAccountInviteEmail as
// pure functions over StoreData, with Shopify's normalisation and its exact user errors (FACTS §1.6,
// §1.7 and the captures under recorded/*/customers).
import { HashMap, Option } from "effect"
import * as CustomerTags from "./CustomerTags.js"
import * as EmailAddress from "./EmailAddress.js"
import * as Gid from "./Gid.js"
import * as MailingAddressInput from "./MailingAddressInput.js"
import * as PhoneNumber from "./PhoneNumber.js"
import type { ShopSettings } from "./ShopSettings.js"
import * as StoreModel from "./StoreModel.js"

export interface UserError {
  readonly field: ReadonlyArray<string> | null
  readonly message: string
  readonly code?: string | null
}

export interface Context {
  readonly now: number
  readonly lagMillis: number
  readonly shop: ShopSettings
}

export interface Outcome<A> {
  readonly data: StoreModel.StoreData
  readonly value: A
}

interface ConsentInput {
  readonly marketingState: string
  readonly marketingOptInLevel?: string | null
  readonly consentUpdatedAt?: number | null
}

export interface CustomerInput {
  readonly id?: string | null
  readonly email?: string | null
  readonly phone?: string | null
  readonly firstName?: string | null
  readonly lastName?: string | null
  readonly locale?: string | null
  readonly note?: string | null
  readonly tags?: ReadonlyArray<string> | null
  readonly addresses?: ReadonlyArray<MailingAddressInput.Input> | null
  readonly metafields?: ReadonlyArray<{
    readonly namespace?: string | null
    readonly key?: string | null
    readonly value?: string | null
    readonly type?: string | null
  }> | null
  readonly emailMarketingConsent?: ConsentInput | null
  readonly smsMarketingConsent?: ConsentInput | null
  readonly taxExempt?: boolean | null
  readonly taxExemptions?: ReadonlyArray<string> | null
  readonly multipassIdentifier?: string | null
}

export interface CustomerSetIdentifiers {
  readonly id?: string | null
  readonly email?: string | null
  readonly phone?: string | null
  readonly customId?: unknown
}

export interface EmailInput {
  readonly subject?: string | null
  readonly to?: string | null
  readonly from?: string | null
  readonly body?: string | null
  readonly bcc?: ReadonlyArray<string> | null
  readonly customMessage?: string | null
}

/** Raised for errors Shopify reports at the top level rather than as user errors. */
export class TopLevelError {
  readonly _tag = "TopLevelError"
  constructor(readonly message: string, readonly code: string) {}
}

const has = <K extends string>(input: object, key: K): boolean =>
  Object.prototype.hasOwnProperty.call(input, key)

const tooLong = (label: string, max: number) => `${label} is too long (maximum is ${max} characters)`

// --- Shared validation -----------------------------------------------------------------------------

/** How errors are reported: customerCreate/Update use bare fields; customerSet prefixes "input" and codes. */
interface Reporting {
  readonly field: (name: string) => ReadonlyArray<string>
  readonly identityField: ReadonlyArray<string> | null
  readonly withCodes: boolean
}

const plain: Reporting = { field: (n) => [n], identityField: null, withCodes: false }
const setReporting: Reporting = { field: (n) => ["input", n], identityField: ["input"], withCodes: true }

const error = (r: Reporting, field: ReadonlyArray<string> | null, message: string, code: string): UserError =>
  r.withCodes ? { field, message, code } : { field, message }

/** The customer fields after applying an input: what validation and storage look at. */
interface Draft {
  readonly firstName: string | null
  readonly lastName: string | null
  readonly email: string | null
  readonly phone: string | null
  readonly note: string | null
  readonly locale: string
  readonly tags: ReadonlyArray<string>
  readonly taxExempt: boolean
  readonly taxExemptions: ReadonlyArray<string>
  readonly multipassIdentifier: string | null
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" })

const isValidLocale = (locale: string): boolean => {
  if (!/^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$/.test(locale)) return false
  try {
    return languageNames.of(locale.split("-")[0]!) !== undefined
  } catch {
    return false
  }
}

/**
 * Applies `input` over `base` (absent keys keep the base value), collecting Shopify's user errors for
 * the fields it touches. Uniqueness is checked by the caller once the draft is known to be well formed.
 */
const draftFrom = (
  input: CustomerInput,
  base: Draft,
  r: Reporting,
  defaultCountry: string | undefined
): { readonly draft: Draft; readonly errors: ReadonlyArray<UserError>; readonly emailOk: boolean; readonly phoneOk: boolean } => {
  const errors: Array<UserError> = []
  let { firstName, lastName, email, phone, note, locale, tags, taxExempt, taxExemptions, multipassIdentifier } = base
  let emailOk = true
  let phoneOk = true
  if (has(input, "firstName")) {
    const v = MailingAddressInput.clean(input.firstName)
    if (v !== null && v.length > 255) errors.push(error(r, r.field("firstName"), tooLong("First name", 255), "TOO_LONG"))
    firstName = v
  }
  if (has(input, "lastName")) {
    const v = MailingAddressInput.clean(input.lastName)
    if (v !== null && v.length > 255) errors.push(error(r, r.field("lastName"), tooLong("Last name", 255), "TOO_LONG"))
    lastName = v
  }
  if (has(input, "email")) {
    const raw = input.email
    const normalized = raw === null || raw === undefined ? "" : EmailAddress.normalize(raw)
    if (normalized.length === 0) email = null
    else {
      if (normalized.length > EmailAddress.maxLength) {
        errors.push(error(r, r.field("email"), tooLong("Email", EmailAddress.maxLength), "TOO_LONG"))
      }
      if (!EmailAddress.isValid(normalized)) {
        errors.push(error(r, r.field("email"), "Email is invalid", "INVALID"))
        emailOk = false
      }
      email = normalized
    }
  }
  if (has(input, "phone")) {
    const raw = input.phone
    const trimmed = raw === null || raw === undefined ? "" : raw.trim()
    if (trimmed.length === 0) phone = null
    else {
      if (trimmed.length > PhoneNumber.maxLength) {
        errors.push(error(r, r.field("phone"), tooLong("Phone", PhoneNumber.maxLength), "TOO_LONG"))
      }
      const normalized = PhoneNumber.normalize(trimmed, defaultCountry)
      if (Option.isNone(normalized)) {
        errors.push(error(r, r.field("phone"), "Phone is invalid", "INVALID"))
        phoneOk = false
        phone = trimmed
      } else phone = normalized.value
    }
  }
  if (has(input, "note")) {
    // A blank note stays "" (captured), unlike blank names.
    note = input.note ?? null
    if (note !== null && note.length > 5000) errors.push(error(r, r.field("note"), tooLong("Note", 5000), "TOO_LONG"))
  }
  if (has(input, "tags")) {
    tags = CustomerTags.normalize(input.tags ?? [])
    if (tags.some((t) => t.length > CustomerTags.maxTagLength)) {
      errors.push(error(r, r.field("tags"), tooLong("Tags", CustomerTags.maxTagLength), "TOO_LONG"))
    } else if (tags.length > CustomerTags.maxTags) {
      errors.push(error(r, r.field("tags"), `Tags cannot be more than ${CustomerTags.maxTags}`, "INVALID"))
    }
  }
  if (has(input, "locale") && input.locale !== null && input.locale !== undefined) {
    if (!isValidLocale(input.locale)) errors.push(error(r, r.field("locale"), "Locale is invalid", "INVALID"))
    else locale = input.locale
  }
  if (has(input, "taxExempt")) {
    if (input.taxExempt === null) {
      if (r.withCodes) errors.push(error(r, r.field("taxExempt"), "Tax exempt is of unexpected type NilClass", "INVALID"))
    } else if (input.taxExempt !== undefined) taxExempt = input.taxExempt
  }
  if (has(input, "taxExemptions")) taxExemptions = [...new Set(input.taxExemptions ?? [])]
  if (has(input, "multipassIdentifier")) multipassIdentifier = MailingAddressInput.clean(input.multipassIdentifier)
  return {
    draft: { firstName, lastName, email, phone, note, locale, tags, taxExempt, taxExemptions, multipassIdentifier },
    errors,
    emailOk,
    phoneOk
  }
}

const identityError = (r: Reporting): UserError =>
  r.withCodes
    ? { field: r.identityField, message: "A name, phone number, or email address must be present", code: null }
    : { field: r.identityField, message: "A name, phone number, or email address must be present" }

const hasIdentity = (d: Draft): boolean =>
  d.firstName !== null || d.lastName !== null || d.email !== null || d.phone !== null

const uniquenessErrors = (
  data: StoreModel.StoreData,
  d: Draft,
  selfId: number | null,
  r: Reporting,
  checkEmail: boolean,
  checkPhone: boolean
): ReadonlyArray<UserError> => {
  const errors: Array<UserError> = []
  if (checkEmail && d.email !== null) {
    const owner = HashMap.get(data.emailIndex, d.email)
    if (Option.isSome(owner) && owner.value !== selfId) {
      errors.push(error(r, r.field("email"), "Email has already been taken", "TAKEN"))
    }
  }
  if (checkPhone && d.phone !== null) {
    const owner = HashMap.get(data.phoneIndex, d.phone)
    if (Option.isSome(owner) && owner.value !== selfId) {
      errors.push(error(r, r.field("phone"), "Phone has already been taken", "TAKEN"))
    }
  }
  return errors
}

const emptyDraft = (shop: ShopSettings): Draft => ({
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  note: null,
  locale: shop.primaryLocale,
  tags: [],
  taxExempt: false,
  taxExemptions: [],
  multipassIdentifier: null
})

const draftOf = (c: StoreModel.Customer): Draft => ({
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  note: c.note,
  locale: c.locale,
  tags: c.tags,
  taxExempt: c.taxExempt,
  taxExemptions: c.taxExemptions,
  multipassIdentifier: c.multipassIdentifier
})

const defaultCountryFor = (input: CustomerInput, base: StoreModel.Customer | undefined, shop: ShopSettings) => {
  const fromInput = input.addresses?.find((a) => a.countryCode !== null && a.countryCode !== undefined)?.countryCode
  const fromBase = base?.addresses.find((a) => a.countryCode !== null)?.countryCode
  return fromInput ?? fromBase ?? shop.countryCode
}

const consentFrom = (input: ConsentInput, now: number, collectedFrom: string | null): StoreModel.MarketingConsent => ({
  state: input.marketingState,
  optInLevel: input.marketingOptInLevel ?? "SINGLE_OPT_IN",
  updatedAt: input.consentUpdatedAt ?? (input.marketingState === "NOT_SUBSCRIBED" ? null : now),
  collectedFrom
})

const defaultEmailConsent: StoreModel.MarketingConsent = {
  state: "NOT_SUBSCRIBED",
  optInLevel: "SINGLE_OPT_IN",
  updatedAt: null,
  collectedFrom: null
}
const defaultSmsConsent: StoreModel.MarketingConsent = {
  state: "NOT_SUBSCRIBED",
  optInLevel: "SINGLE_OPT_IN",
  updatedAt: null,
  collectedFrom: "OTHER"
}

/** Replaces the address list: entries with an id update that address, others are created (captured). */
const applyAddresses = (
  data: StoreModel.StoreData,
  existing: ReadonlyArray<StoreModel.Address>,
  inputs: ReadonlyArray<MailingAddressInput.Input>,
  r: Reporting
): { readonly data: StoreModel.StoreData; readonly addresses: ReadonlyArray<StoreModel.Address>; readonly errors: ReadonlyArray<UserError> } => {
  const errors: Array<UserError> = []
  const out: Array<StoreModel.Address> = []
  let next = data
  inputs.forEach((input, i) => {
    if (input.id !== null && input.id !== undefined) {
      const id = Option.getOrUndefined(Gid.idOf(input.id, "MailingAddress"))
      const current = existing.find((a) => a.id === id)
      if (current === undefined) {
        errors.push(error(r, [...r.field("addresses"), String(i), "id"], "Customer address does not exist", "NOT_FOUND"))
        return
      }
      out.push(MailingAddressInput.toAddress(current.id, input, current))
    } else {
      const [id, after] = StoreModel.allocateId(next, "address")
      next = after
      out.push(MailingAddressInput.toAddress(id, input))
    }
  })
  return { data: next, addresses: out, errors }
}

const sameCustomer = (a: StoreModel.Customer, b: StoreModel.Customer): boolean =>
  JSON.stringify({ ...a, updatedAt: 0 }) === JSON.stringify({ ...b, updatedAt: 0 })

// --- customerCreate ---------------------------------------------------------------------------------

export interface CustomerResult {
  readonly customer: StoreModel.Customer | null
  readonly userErrors: ReadonlyArray<UserError>
}

const createWith = (
  data: StoreModel.StoreData,
  input: CustomerInput,
  ctx: Context,
  r: Reporting
): Outcome<CustomerResult> => {
  const fail = (errors: ReadonlyArray<UserError>): Outcome<CustomerResult> => ({ data, value: { customer: null, userErrors: errors } })
  const { draft, errors, emailOk, phoneOk } = draftFrom(input, emptyDraft(ctx.shop), r, defaultCountryFor(input, undefined, ctx.shop))
  const all: Array<UserError> = [...errors]
  if (input.emailMarketingConsent !== null && input.emailMarketingConsent !== undefined && draft.email === null) {
    all.push(error(r, r.field("emailMarketingConsent"), "An email address is required to set the email marketing consent state.", "INVALID"))
  }
  if (input.smsMarketingConsent !== null && input.smsMarketingConsent !== undefined && draft.phone === null) {
    all.push(error(r, r.field("smsMarketingConsent"), "A phone number is required to set the SMS consent state.", "INVALID"))
  }
  if (all.length === 0 && !hasIdentity(draft)) all.push(identityError(r))
  if (all.length > 0) return fail(all)
  const taken = uniquenessErrors(data, draft, null, r, emailOk, phoneOk)
  if (taken.length > 0) return fail(taken)
  const [id, afterId] = StoreModel.allocateId(data, "customer")
  const addressed = applyAddresses(afterId, [], input.addresses ?? [], r)
  if (addressed.errors.length > 0) return fail(addressed.errors)
  let next = addressed.data
  const metafields: Array<StoreModel.Metafield> = []
  for (const m of input.metafields ?? []) {
    if (m.key === null || m.key === undefined || m.value === null || m.value === undefined) continue
    const [mid, after] = StoreModel.allocateId(next, "metafield")
    next = after
    metafields.push({ id: mid, namespace: m.namespace ?? "custom", key: m.key, type: m.type ?? "single_line_text_field", value: m.value })
  }
  const now = StoreModel.truncateToSecond(ctx.now)
  const customer: StoreModel.Customer = {
    id,
    ...draft,
    state: "DISABLED",
    verifiedEmail: true,
    addresses: addressed.addresses,
    defaultAddressId: addressed.addresses[0]?.id ?? null,
    emailMarketing: draft.email === null
      ? null
      : input.emailMarketingConsent
      ? consentFrom(input.emailMarketingConsent, now, null)
      : defaultEmailConsent,
    smsMarketing: draft.phone === null
      ? null
      : input.smsMarketingConsent
      ? consentFrom(input.smsMarketingConsent, now, "OTHER")
      : defaultSmsConsent,
    metafields,
    createdAt: now,
    updatedAt: now
  }
  return { data: StoreModel.putCustomer(next, customer, now, ctx.lagMillis), value: { customer, userErrors: [] } }
}

export const customerCreate = (data: StoreModel.StoreData, input: CustomerInput, ctx: Context): Outcome<CustomerResult> => {
  if (input.id !== null && input.id !== undefined) {
    return { data, value: { customer: null, userErrors: [{ field: ["id"], message: "Cannot specify ID on creation" }] } }
  }
  return createWith(data, input, ctx, plain)
}

// --- customerUpdate ---------------------------------------------------------------------------------

const updateWith = (
  data: StoreModel.StoreData,
  existing: StoreModel.Customer,
  input: CustomerInput,
  ctx: Context,
  r: Reporting
): Outcome<CustomerResult> => {
  const fail = (errors: ReadonlyArray<UserError>): Outcome<CustomerResult> => ({ data, value: { customer: null, userErrors: errors } })
  const { draft, errors, emailOk, phoneOk } = draftFrom(input, draftOf(existing), r, defaultCountryFor(input, existing, ctx.shop))
  const all: Array<UserError> = [...errors]
  if (all.length === 0 && !hasIdentity(draft)) all.push(identityError(r))
  if (all.length > 0) return fail(all)
  const taken = uniquenessErrors(data, draft, existing.id, r, emailOk && draft.email !== existing.email, phoneOk && draft.phone !== existing.phone)
  if (taken.length > 0) return fail(taken)
  let next = data
  let addresses = existing.addresses
  let defaultAddressId = existing.defaultAddressId
  if (input.addresses !== null && input.addresses !== undefined) {
    const applied = applyAddresses(next, existing.addresses, input.addresses, r)
    if (applied.errors.length > 0) return fail(applied.errors)
    next = applied.data
    addresses = applied.addresses
    defaultAddressId = addresses[0]?.id ?? null
  }
  const now = StoreModel.truncateToSecond(ctx.now)
  const emailMarketing = draft.email === null ? null : existing.emailMarketing ?? defaultEmailConsent
  const smsMarketing = draft.phone === null ? null : existing.smsMarketing ?? defaultSmsConsent
  const candidate: StoreModel.Customer = {
    ...existing,
    ...draft,
    addresses,
    defaultAddressId,
    emailMarketing,
    smsMarketing,
    updatedAt: now
  }
  // Saving an unchanged record does not touch updated_at (Rails semantics), which keeps syncs from looping.
  if (sameCustomer(candidate, existing)) return { data, value: { customer: existing, userErrors: [] } }
  return { data: StoreModel.putCustomer(next, candidate, now, ctx.lagMillis), value: { customer: candidate, userErrors: [] } }
}

const findByGid = (data: StoreModel.StoreData, gid: string | null | undefined): StoreModel.Customer | undefined => {
  if (gid === null || gid === undefined) return undefined
  return Option.getOrUndefined(Option.flatMap(Gid.idOf(gid, "Customer"), (id) => StoreModel.getCustomer(data, id)))
}

export const customerUpdate = (data: StoreModel.StoreData, input: CustomerInput, ctx: Context): Outcome<CustomerResult> => {
  const existing = findByGid(data, input.id)
  if (existing === undefined) {
    return { data, value: { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] } }
  }
  for (const [key, mutation] of [
    ["emailMarketingConsent", "customerEmailMarketingConsentUpdate"],
    ["smsMarketingConsent", "customerSmsMarketingConsentUpdate"]
  ] as const) {
    if (input[key] !== null && input[key] !== undefined) {
      return {
        data,
        value: { customer: null, userErrors: [{ field: [key], message: `To update ${key}, please use the ${mutation} Mutation instead` }] }
      }
    }
  }
  return updateWith(data, existing, input, ctx, plain)
}

// --- customerSet ------------------------------------------------------------------------------------

export const customerSet = (
  data: StoreModel.StoreData,
  input: CustomerInput,
  identifier: CustomerSetIdentifiers | null | undefined,
  ctx: Context
): Outcome<CustomerResult> => {
  const fail = (e: UserError): Outcome<CustomerResult> => ({ data, value: { customer: null, userErrors: [e] } })
  if (identifier === null || identifier === undefined) {
    if (input.id !== null && input.id !== undefined) {
      const existing = findByGid(data, input.id)
      if (existing === undefined) {
        return fail({ field: ["input"], message: "Resource matching the identifier was not found.", code: "NOT_FOUND" })
      }
      return updateWith(data, existing, input, ctx, setReporting)
    }
    return createWith(data, input, ctx, setReporting)
  }
  if (identifier.customId !== null && identifier.customId !== undefined) {
    throw new TopLevelError("Metafield definition of type 'id' is required when using custom ids.", "NOT_FOUND")
  }
  if (input.id !== null && input.id !== undefined) {
    return fail({ field: ["input"], message: "The id field is not allowed if identifier is provided.", code: "ID_NOT_ALLOWED" })
  }
  const { id: _id, ...withoutId } = input
  if (identifier.id !== null && identifier.id !== undefined) {
    const existing = findByGid(data, identifier.id)
    if (existing === undefined) {
      return fail({ field: ["input"], message: "Resource matching the identifier was not found.", code: "NOT_FOUND" })
    }
    return updateWith(data, existing, withoutId, ctx, setReporting)
  }
  const missing = { field: ["input"], message: "The input field corresponding to the identifier is required.", code: "MISSING_FIELD_REQUIRED" }
  const mismatch = {
    field: ["input"],
    message: "The identifier value does not match the value of the corresponding field in the input.",
    code: "INPUT_MISMATCH"
  }
  if (identifier.email !== null && identifier.email !== undefined) {
    if (input.email === null || input.email === undefined) return fail(missing)
    const key = EmailAddress.normalize(identifier.email)
    if (EmailAddress.normalize(input.email) !== key) return fail(mismatch)
    const owner = HashMap.get(data.emailIndex, key)
    const existing = Option.flatMap(owner, (id) => StoreModel.getCustomer(data, id))
    return Option.isSome(existing)
      ? updateWith(data, existing.value, withoutId, ctx, setReporting)
      : createWith(data, withoutId, ctx, setReporting)
  }
  if (identifier.phone !== null && identifier.phone !== undefined) {
    if (input.phone === null || input.phone === undefined) return fail(missing)
    const country = defaultCountryFor(input, undefined, ctx.shop)
    const key = Option.getOrElse(PhoneNumber.normalize(identifier.phone, country), () => identifier.phone!.trim())
    const given = Option.getOrElse(PhoneNumber.normalize(input.phone, country), () => input.phone!.trim())
    if (given !== key) return fail(mismatch)
    const owner = HashMap.get(data.phoneIndex, key)
    const existing = Option.flatMap(owner, (id) => StoreModel.getCustomer(data, id))
    return Option.isSome(existing)
      ? updateWith(data, existing.value, withoutId, ctx, setReporting)
      : createWith(data, withoutId, ctx, setReporting)
  }
  return createWith(data, withoutId, ctx, setReporting)
}

// --- customerDelete ---------------------------------------------------------------------------------

export interface DeleteResult {
  readonly deletedCustomerId: string | null
  readonly userErrors: ReadonlyArray<UserError>
}

export const customerDelete = (data: StoreModel.StoreData, gid: string): Outcome<DeleteResult> => {
  const existing = findByGid(data, gid)
  if (existing === undefined) {
    return { data, value: { deletedCustomerId: null, userErrors: [{ field: ["id"], message: "Customer can't be found" }] } }
  }
  if (StoreModel.ordersOfCustomer(data, existing.id).length > 0) {
    return {
      data,
      value: {
        deletedCustomerId: null,
        // U+2019 apostrophe, as captured (FACTS §1.7).
        userErrors: [{ field: ["id"], message: "Customer can\u2019t be deleted because they have associated orders" }]
      }
    }
  }
  return {
    data: StoreModel.removeCustomer(data, existing),
    value: { deletedCustomerId: Gid.make("Customer", existing.id), userErrors: [] }
  }
}

// --- customerSendAccountInviteEmail -----------------------------------------------------------------

const toSentence = (items: ReadonlyArray<string>): string =>
  items.length <= 1
    ? items.join("")
    : items.length === 2
    ? `${items[0]} and ${items[1]}`
    : `${items.slice(0, -1).join(", ")}, and ${items[items.length - 1]}`

export const customerSendAccountInviteEmail = (
  data: StoreModel.StoreData,
  customerId: string,
  email: EmailInput | null | undefined,
  ctx: Context
): Outcome<CustomerResult> => {
  const fail = (e: UserError): Outcome<CustomerResult> => ({ data, value: { customer: null, userErrors: [e] } })
  const invalid = (field: ReadonlyArray<string>, message: string) => fail({ field, message, code: "INVALID" })
  const existing = findByGid(data, customerId)
  if (existing === undefined) return fail({ field: ["customerId"], message: "Customer can't be found", code: null })
  const e = email ?? {}
  if (e.subject !== null && e.subject !== undefined && e.subject.trim().length === 0) {
    return invalid(["email", "subject"], "Subject can't be blank")
  }
  if (e.to !== null && e.to !== undefined && !EmailAddress.isValid(EmailAddress.normalize(e.to))) {
    return invalid(["email", "to"], "To is invalid")
  }
  if (e.from !== null && e.from !== undefined && !EmailAddress.isValid(EmailAddress.normalize(e.from))) {
    return invalid(["email", "from"], "From Sender is invalid")
  }
  if (e.bcc !== null && e.bcc !== undefined && e.bcc.length > 0) {
    // Only the shop's staff may be copied; every other address is refused (captured with a valid one).
    const refused = e.bcc.filter((b) => !ctx.shop.staffEmails.includes(EmailAddress.normalize(b)))
    if (refused.length > 0) {
      return invalid(["email", "bcc"], `Bcc ${toSentence(refused.map((b) => `${b} is not a valid bcc address`))}`)
    }
  }
  const to = e.to ?? existing.email
  // UNCONFIRMED (FACTS §9.6): no capture shows an invite to a customer without an email; Rails would
  // report the missing recipient like the blank subject above.
  if (to === null || to.trim().length === 0) return invalid(["email", "to"], "To can't be blank")
  const unsendable = (e.subject?.length ?? 0) > 1000 || (e.customMessage?.length ?? 0) > 5000 ||
    /<[a-z!/]/i.test(e.customMessage ?? "") || !ctx.shop.invitesEnabled || existing.state === "ENABLED"
  // An enabled customer already has an account; Shopify's only documented code is INVALID, and the
  // generic failure below is the message captured for invites that cannot be sent (FACTS §9.6).
  if (unsendable) return invalid(["customerId"], "Error sending account invite to customer.")
  const now = StoreModel.truncateToSecond(ctx.now)
  const invited: StoreModel.Customer = { ...existing, state: "INVITED", updatedAt: now }
  const next = StoreModel.putCustomer(data, invited, now, ctx.lagMillis)
  return {
    data: { ...next, invites: [...next.invites, { customerId: existing.id, to, subject: e.subject ?? null, sentAt: now }] },
    value: { customer: invited, userErrors: [] }
  }
}

// --- Derived fields ---------------------------------------------------------------------------------

/** "First Last", else the email, else the phone as Shopify displays it (FACTS §1.1). */
export const displayName = (c: StoreModel.Customer): string => {
  const name = [c.firstName, c.lastName].filter((x): x is string => x !== null).join(" ")
  if (name.length > 0) return name
  if (c.email !== null) return c.email
  if (c.phone !== null) return PhoneNumber.display(c.phone)
  return ""
}

export const defaultAddress = (c: StoreModel.Customer): StoreModel.Address | null =>
  c.addresses.find((a) => a.id === c.defaultAddressId) ?? null
