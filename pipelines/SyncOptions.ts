// The `sync` options shared by the mission pipelines (config file section "sync"), with The Edge's
// own defaults, decoded and checked for contradictory combinations before anything runs.
import { Schema } from "effect"
import { isSupportedCountry } from "libphonenumber-js"

// `--option bringTaxes=false` and environment overrides arrive as text, the config file as JSON:
// booleans and numbers accept both forms.
const Flag = Schema.Union(
  Schema.Boolean,
  Schema.transform(Schema.Literal("true", "false"), Schema.Boolean, {
    strict: true,
    decode: (text) => text === "true",
    encode: (flag) => (flag ? "true" : "false")
  })
).annotations({ identifier: "Flag", description: "true or false" })

const StoreNumber = Schema.Union(Schema.Number, Schema.NumberFromString).pipe(
  Schema.int(),
  Schema.positive(),
  Schema.annotations({ identifier: "StoreNumber", description: "an Edge store number (a positive integer)" })
)

const Country = Schema.String.pipe(
  Schema.filter((code) => isSupportedCountry(code), {
    message: (issue) => `expected an ISO 3166 alpha-2 country code such as US or CA, got ${JSON.stringify(issue.actual)}`
  }),
  Schema.annotations({ identifier: "Country" })
)

export const CustomerDownload = Schema.Literal("phone-or-email", "email", "create-new")
export type CustomerDownload = typeof CustomerDownload.Type

export const ConflictPolicy = Schema.Literal("edge-wins", "shopify-wins", "newest-wins")
export type ConflictPolicy = typeof ConflictPolicy.Type

/** The option fields alone, before the combination rules (see `SyncOptions`). */
export const SyncOptionFields = Schema.Struct({
  /** Keep linked customers' contacts in sync (customers-to-shopify, customers-from-shopify). */
  syncCustomers: Schema.optionalWith(Flag, { default: () => true }).annotations({
    description: "keep linked customers' contacts in sync (required when bringSales is on)"
  }),
  /** Customers uploaded through "Assign to Web Upload" get Shopify's account invite (once). */
  sendInviteOnUpload: Schema.optionalWith(Flag, { default: () => false }).annotations({
    description: "customers uploaded through Assign to Web Upload get Shopify's account invite (once)"
  }),
  /** How an imported web sale finds its Edge customer. */
  customerDownload: Schema.optionalWith(CustomerDownload, { default: () => "phone-or-email" as const }).annotations({
    description: "how an imported web sale finds its Edge customer"
  }),
  /** Import Shopify orders as Edge web sales (web-sales-to-edge). */
  bringSales: Schema.optionalWith(Flag, { default: () => true }).annotations({
    description: "import Shopify orders as Edge web sales"
  }),
  /** Keep tax on imported web sales; off when Shopify collects and remits it. */
  bringTaxes: Schema.optionalWith(Flag, { default: () => true }).annotations({
    description: "keep tax on imported web sales; off when Shopify collects and remits it"
  }),
  /** The Edge store number web sales are filed under. */
  webStore: Schema.optionalWith(StoreNumber, { default: () => 98 }).annotations({
    description: "the Edge store number web sales are filed under (a licensed web store)"
  }),
  /** Country for phone numbers typed without a country code. */
  defaultCountry: Schema.optionalWith(Country, { default: () => "US" }).annotations({
    description: "country of phone numbers typed without a country code (ISO 3166 alpha-2)"
  }),
  /** Which side wins when a contact field changed on both sides since the last sync. */
  conflicts: Schema.optionalWith(ConflictPolicy, { default: () => "edge-wins" as const }).annotations({
    description: "which side wins when a contact field changed on both sides since the last sync"
  })
  // A misspelt option (`bringTax`) must fail rather than silently keep its default.
}).annotations({ parseOptions: { onExcessProperty: "error" } })

export type SyncOptions = typeof SyncOptionFields.Type

/** A contradiction between options: the options involved and why they cannot go together. */
export interface Contradiction {
  readonly options: ReadonlyArray<keyof SyncOptions>
  readonly explanation: string
}

/**
 * The combinations that cannot work. `syncCustomers: false` disables both customer pipelines, so
 * importing sales (which links and updates customers) and sending invites (which the upload in
 * customers-to-shopify does) both need it.
 */
export const contradictions = (options: SyncOptions): ReadonlyArray<Contradiction> => {
  const found: Array<Contradiction> = []
  if (options.bringSales && !options.syncCustomers) {
    found.push({
      options: ["bringSales", "syncCustomers"],
      explanation: "bringSales requires syncCustomers (an imported web sale links and updates its customer); " +
        "turn syncCustomers on, or bringSales off"
    })
  }
  if (options.sendInviteOnUpload && !options.syncCustomers) {
    found.push({
      options: ["sendInviteOnUpload", "syncCustomers"],
      explanation: "sendInviteOnUpload requires syncCustomers (invites are sent when customers are uploaded); " +
        "turn syncCustomers on, or sendInviteOnUpload off"
    })
  }
  return found
}

/**
 * The options Schema the pipelines declare: every field with its default, then the combination rules
 * as a filter whose message names the options, so a runner that only knows Schemas still refuses a
 * contradictory configuration before anything runs.
 */
export const SyncOptions = SyncOptionFields.pipe(
  Schema.filter((options) =>
    contradictions(options).map((c) => ({ path: [c.options[0] ?? "sync"], message: c.explanation }))
  ),
  Schema.annotations({ identifier: "SyncOptions", title: "sync options" })
)

/** The defaults, as a decoded value. */
export const defaults: SyncOptions = Schema.decodeUnknownSync(SyncOptionFields)({})

/** The mission pipelines these options switch on, in the order `run all` runs them. */
export const enabledPipelines = (
  options: SyncOptions
): ReadonlyArray<"customers-to-shopify" | "web-sales-to-edge" | "customers-from-shopify"> => [
  ...(options.syncCustomers ? ["customers-to-shopify" as const] : []),
  ...(options.bringSales ? ["web-sales-to-edge" as const] : []),
  ...(options.syncCustomers ? ["customers-from-shopify" as const] : [])
]
