// The Shopify connector's configuration: the config file section `shopify`, overridden by SHOPIFY_STORE,
// SHOPIFY_ACCESS_TOKEN and SHOPIFY_API_VERSION (see ShopifyConnector.environment).
import { Duration, Either, ParseResult, Schema } from "effect"
import { ConfigError } from "../../core/EtlError.js"

/** Where the Admin API lives: a real shop over https, or the emulator over http on loopback. */
export interface StoreUrl {
  /** `https://my-shop.myshopify.com` or `http://127.0.0.1:PORT`. */
  readonly origin: string
  /** What `createAdminApiClient` takes as `storeDomain` (host and port). */
  readonly domain: string
  /** Plain http on loopback (the emulator): the client's forced https is rewritten back (FACTS §8.2). */
  readonly insecure: boolean
}

const expectedStore = "a shop domain like my-shop.myshopify.com, or an http://127.0.0.1:PORT URL for the emulator"

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"])

/**
 * `written` with everything before its last `@` (after the scheme) replaced by `<redacted>`: a store's
 * domain never holds an `@`, so that part can only be credentials (or a mistyped URL around them).
 */
export const withoutCredentials = (written: string): string => written.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)?\S*@/i, "$1<redacted>@")

/**
 * Parses a `store` value. A bare shop name (`my-shop`) means `my-shop.myshopify.com`; plain http is
 * accepted only on loopback, because the access token travels in a header.
 */
export const parseStore = (written: string): Either.Either<StoreUrl, string> => {
  const value = written.trim().replace(/\/+$/, "")
  // Every message below quotes what was written; credentials in it (often the token itself, pasted
  // into the URL) must not reach an error message or a log, so the quoted form leaves them out.
  const raw = withoutCredentials(written)
  if (value === "") return Either.left(`empty store: expected ${expectedStore}`)
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
    ? value
    : /^[a-z0-9][a-z0-9-]*$/i.test(value)
    ? `https://${value}.myshopify.com`
    : `https://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return Either.left(`"${raw}" is not a URL or domain: expected ${expectedStore}`)
  }
  if (url.pathname !== "/" && url.pathname !== "" || url.search !== "" || url.hash !== "") {
    return Either.left(`"${raw}" has a path or query: expected ${expectedStore}`)
  }
  if (url.username !== "" || url.password !== "") {
    return Either.left(`"${raw}" carries credentials: put the token in accessToken / SHOPIFY_ACCESS_TOKEN`)
  }
  const loopback = loopbackHosts.has(url.hostname)
  if (url.protocol === "http:") {
    if (!loopback) {
      return Either.left(`"${raw}" uses plain http on a non-loopback host: only the emulator on 127.0.0.1 may use http`)
    }
    if (url.port === "") return Either.left(`"${raw}" needs a port: expected ${expectedStore}`)
    return Either.right({ origin: url.origin, domain: url.host, insecure: true })
  }
  if (url.protocol !== "https:") {
    return Either.left(`"${raw}" uses ${url.protocol}: expected ${expectedStore}`)
  }
  if (!loopback && !url.hostname.endsWith(".myshopify.com")) {
    return Either.left(`"${raw}" is not a *.myshopify.com domain: expected ${expectedStore}`)
  }
  return Either.right({ origin: url.origin, domain: url.host, insecure: false })
}

/** `store` as written in the config file or SHOPIFY_STORE, decoded to a StoreUrl. */
export const Store = Schema.transformOrFail(
  Schema.String,
  Schema.Struct({ origin: Schema.String, domain: Schema.String, insecure: Schema.Boolean }),
  {
    strict: true,
    decode: (raw, _, ast) =>
      Either.match(parseStore(raw), {
        onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, withoutCredentials(raw), message)),
        onRight: ParseResult.succeed
      }),
    encode: (store) => ParseResult.succeed(store.origin)
  }
).annotations({ identifier: "ShopifyStore", description: expectedStore })

/** Admin API versions are quarterly (`2026-07`), or `unstable` (FACTS §7). */
export const ApiVersion = Schema.String.pipe(
  Schema.pattern(/^(\d{4}-(01|04|07|10)|unstable)$/, {
    message: () => "an Admin API version like 2026-07 (quarterly: -01, -04, -07, -10) or unstable"
  })
)

/**
 * A duration as a number of milliseconds or a string Effect understands ("30 seconds", "500 millis").
 * Environment variables are strings, config files may hold either.
 */
export const DurationInput = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.String),
  Schema.DurationFromSelf,
  {
    strict: true,
    decode: (input, _, ast) => {
      const millis = typeof input === "number" ? input : /^\d+(\.\d+)?$/.test(input.trim()) ? Number(input) : undefined
      if (millis !== undefined) {
        return millis > 0
          ? ParseResult.succeed(Duration.millis(millis))
          : ParseResult.fail(new ParseResult.Type(ast, input, "a positive duration"))
      }
      const decoded = Duration.decodeUnknown(input)
      return decoded._tag === "Some" && Duration.toMillis(decoded.value) > 0
        ? ParseResult.succeed(decoded.value)
        : ParseResult.fail(
          new ParseResult.Type(ast, input, `a duration such as "30 seconds" or a number of milliseconds`)
        )
    },
    encode: (duration) => ParseResult.succeed(Duration.toMillis(duration))
  }
)

/** Shopify plans and their GraphQL Admin buckets (FACTS §4): used until the first response says better. */
export const Plan = Schema.Literal("standard", "advanced", "plus", "enterprise")
export type Plan = typeof Plan.Type

export const planBucket: Record<Plan, { readonly maximumAvailable: number; readonly restoreRate: number }> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 }
}

export const defaultApiVersion = "2026-07"

export class ShopifyConfig extends Schema.Class<ShopifyConfig>("ShopifyConfig")({
  store: Store,
  apiVersion: Schema.optionalWith(ApiVersion, { default: () => defaultApiVersion }),
  accessToken: Schema.Redacted(Schema.NonEmptyTrimmedString.annotations({
    message: () => "a non-empty Admin API access token (shpat_...)"
  })),
  requestTimeout: Schema.optionalWith(DurationInput, { default: () => Duration.seconds(30) }),
  /** The plan assumed before the first response reports the real bucket. Standard is the safest guess. */
  plan: Schema.optionalWith(Plan, { default: () => "standard" as const }),
  /** How many times one request is retried on 5xx, resets and timeouts before failing as retriable. */
  maxRetries: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 20)), { default: () => 5 })
}) {}

/** The environment overrides, as the Connector contract wants them. */
export const environment = {
  SHOPIFY_STORE: "store",
  SHOPIFY_ACCESS_TOKEN: "accessToken",
  SHOPIFY_API_VERSION: "apiVersion"
} as const

/** Parses a `store` value outside the config file (the `check` command's --store): a ConfigError names it. */
export const decodeStore = (raw: string): Either.Either<StoreUrl, ConfigError> =>
  Either.mapLeft(parseStore(raw), (message) =>
    new ConfigError({ reason: "Invalid", key: "shopify.store", value: withoutCredentials(raw), expected: message }))
