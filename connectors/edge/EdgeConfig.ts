// The Edge connector's configuration: the config file section `edge`, with EDGE_DATABASE_URL and
// EDGE_DATABASE_PASSWORD overriding `database` and `password` (see EdgeConnector.environment).
import type { Effect } from "effect"
import { Schema } from "effect"
import { decodeWith } from "../../core/Config.js"
import type { ConfigError } from "../../core/EtlError.js"
import { type DatabaseTarget, DatabaseUrl } from "./DatabaseUrl.js"

// Environment overrides arrive as text; the config file gives JSON numbers and booleans.
const Count = (description: string) =>
  Schema.Union(Schema.Number, Schema.NumberFromString).pipe(
    Schema.int(),
    Schema.nonNegative(),
    Schema.annotations({ description })
  )

const Flag = Schema.Union(
  Schema.Boolean,
  Schema.transform(Schema.Literal("true", "false"), Schema.Boolean, {
    strict: true,
    decode: (text) => text === "true",
    encode: (flag) => (flag ? "true" : "false")
  })
).annotations({ description: "true or false" })

/** TLS for MySQL connections. Files are PEM paths, read when the connection pool is built. */
export const EdgeTls = Schema.Struct({
  /** Verify the server certificate against `ca` (or the system roots). Turn off only for testing. */
  rejectUnauthorized: Schema.optionalWith(Flag, { default: () => true }),
  ca: Schema.optional(Schema.String.annotations({ description: "path to a PEM file of trusted CA certificates" })),
  cert: Schema.optional(Schema.String.annotations({ description: "path to a PEM client certificate" })),
  key: Schema.optional(Schema.String.annotations({ description: "path to the PEM key of the client certificate" })),
  servername: Schema.optional(Schema.String)
}).annotations({ parseOptions: { onExcessProperty: "error" } })
export type EdgeTls = typeof EdgeTls.Type

const defaultDatabase: DatabaseTarget = { _tag: "sqlite", path: "./edge.db" }

export const EdgeConfig = Schema.Struct({
  /** Where the Edge database is: `mysql://user@host:3306/edge` or `sqlite:./edge.db` (the default). */
  database: Schema.optionalWith(DatabaseUrl, { default: () => defaultDatabase }),
  /** The MySQL password (prefer EDGE_DATABASE_PASSWORD to writing it in a file). */
  password: Schema.optional(Schema.Redacted(Schema.String)),
  /** Connections in the MySQL pool. */
  poolSize: Schema.optionalWith(Count("connections in the pool, at least 1").pipe(Schema.positive()), { default: () => 10 }),
  /** TLS for MySQL; absent means a plain connection. */
  tls: Schema.optional(EdgeTls),
  /** How long to wait for a connection to open. */
  connectTimeoutMillis: Schema.optionalWith(Count("milliseconds"), { default: () => 10_000 }),
  /** How long one statement may take before the attempt fails as retriable. */
  queryTimeoutMillis: Schema.optionalWith(Count("milliseconds"), { default: () => 120_000 }),
  /**
   * How old a customer edit must be before `edge.customersToUpload` reads past it. A row's
   * `updated_at` is taken when the UPDATE runs, not when it commits: reading right up to "now" could
   * step past an edit that commits a moment later and lose it. Edits younger than this are read by the
   * next run instead. 0 is right only when nothing else writes while edgesync reads (tests, demos).
   */
  changeSettleMillis: Schema.optionalWith(Count("milliseconds"), { default: () => 1_000 }),
  /**
   * How far back each refresh of the customer match keys looks again (besides customers changed since
   * the last refresh), for edits that committed late; see MatchKeyIndex.
   */
  matchKeyLookbackMillis: Schema.optionalWith(Count("milliseconds"), { default: () => 10_000 })
}).annotations({ identifier: "EdgeConfig", parseOptions: { onExcessProperty: "error" } })
export type EdgeConfig = typeof EdgeConfig.Type
export type EdgeConfigEncoded = typeof EdgeConfig.Encoded

/** The config a test or tool builds from a URL, the other keys as in the config file (else defaults). */
export const fromUrl = (
  url: string,
  section: Omit<EdgeConfigEncoded, "database"> = {}
): Effect.Effect<EdgeConfig, ConfigError> => decodeWith("edge", EdgeConfig, { ...section, database: url }, [])
