// The Edge database failed: one error family whose `reason` says why and whose classification tells the
// runner what to do (retry a busy or dropped connection, dead-letter a record the database refused,
// stop on anything a person has to fix: credentials, a missing database, tables not migrated).
import type { SqlError } from "@effect/sql/SqlError"
import { Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"

export const EdgeDbErrorReason = Schema.Literal(
  "Unreachable",
  "AccessDenied",
  "UnknownDatabase",
  "NotMigrated",
  "Busy",
  "Timeout",
  "Constraint",
  "Unopenable",
  "Failed"
)
export type EdgeDbErrorReason = typeof EdgeDbErrorReason.Type

export class EdgeDbError extends Schema.TaggedError<EdgeDbError>()("EdgeDbError", {
  reason: EdgeDbErrorReason,
  /** What we were doing ("probe", "webSales.write", "migrate"...). */
  operation: Schema.String,
  /** The database, described without its password: `mysql://edge@db.local:3306/edge`, `sqlite:./edge.db`. */
  target: Schema.String,
  detail: Schema.String,
  /** The pipeline and stage the statement ran for, when it ran for one. */
  pipeline: Schema.optional(Schema.String),
  stage: Schema.optional(Schema.String)
}) {
  get classification(): Classification {
    switch (this.reason) {
      case "Unreachable":
      case "Busy":
      case "Timeout":
        return "retriable"
      case "Constraint":
        return "record"
      default:
        return "fatal"
    }
  }
  override get message(): string {
    const where = this.stage === undefined ? "" : ` [pipeline ${this.pipeline ?? "?"}, stage ${this.stage}]`
    return this.describe() + where
  }
  private describe(): string {
    switch (this.reason) {
      case "Unreachable":
        return `Cannot reach the Edge database ${this.target} (${this.operation}): ${this.detail}`
      case "AccessDenied":
        return `The Edge database ${this.target} refused the credentials (${this.operation}): ${this.detail}. ` +
          `Check the user in edge.database and the password in EDGE_DATABASE_PASSWORD or edge.password.`
      case "UnknownDatabase":
        return `The Edge database ${this.target} does not exist (${this.operation}): ${this.detail}`
      case "NotMigrated":
        return `The Edge database ${this.target} lacks edgesync's tables (${this.operation}): ${this.detail}. ` +
          `Run \`edgesync edge migrate\` first.`
      case "Busy":
        return `The Edge database ${this.target} was busy (${this.operation}): ${this.detail}`
      case "Timeout":
        return `The Edge database ${this.target} did not answer in time (${this.operation}): ${this.detail}`
      case "Constraint":
        return `The Edge database ${this.target} refused a value (${this.operation}): ${this.detail}`
      case "Unopenable":
        return `Cannot open the Edge database ${this.target} (${this.operation}): ${this.detail}`
      case "Failed":
        return `Edge database ${this.target} failed (${this.operation}): ${this.detail}`
    }
  }
}

interface DriverError {
  readonly code?: unknown
  readonly errno?: unknown
  readonly message?: unknown
}

const driverError = (cause: unknown): DriverError =>
  typeof cause === "object" && cause !== null ? (cause as DriverError) : {}

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "ER_CON_COUNT_ERROR",
  "HANDSHAKE_SSL_ERROR"
])

/** The reason a driver error (mysql2 or better-sqlite3, found as the SqlError's cause) stands for. */
export const reasonOf = (cause: unknown): EdgeDbErrorReason => {
  const { code, message } = driverError(cause)
  const text = typeof message === "string" ? message : ""
  if (typeof code === "string") {
    if (unreachableCodes.has(code)) return "Unreachable"
    switch (code) {
      case "ER_ACCESS_DENIED_ERROR":
      case "ER_DBACCESS_DENIED_ERROR":
      case "ER_ACCESS_DENIED_NO_PASSWORD_ERROR":
        return "AccessDenied"
      case "ER_BAD_DB_ERROR":
        return "UnknownDatabase"
      case "ER_NO_SUCH_TABLE":
      case "ER_BAD_FIELD_ERROR":
        return "NotMigrated"
      case "ER_LOCK_DEADLOCK":
      case "ER_LOCK_WAIT_TIMEOUT":
      case "SQLITE_BUSY":
      case "SQLITE_LOCKED":
        return "Busy"
      case "ER_DUP_ENTRY":
      case "ER_DATA_TOO_LONG":
      case "ER_TRUNCATED_WRONG_VALUE":
      case "ER_TRUNCATED_WRONG_VALUE_FOR_FIELD":
      case "ER_WARN_DATA_OUT_OF_RANGE":
      case "ER_BAD_NULL_ERROR":
        return "Constraint"
      case "SQLITE_CANTOPEN":
      case "SQLITE_READONLY":
      case "SQLITE_PERM":
        return "Unopenable"
    }
    if (code.startsWith("SQLITE_CONSTRAINT")) return "Constraint"
    if (code === "SQLITE_ERROR" && /no such (table|column)/.test(text)) return "NotMigrated"
  }
  return "Failed"
}

const detailOf = (error: SqlError): string => {
  const { message, code } = driverError(error.cause)
  const text = typeof message === "string" && message !== "" ? message : error.message
  return typeof code === "string" && !text.includes(code) ? `${text} [${code}]` : text
}

/** The same error, saying which pipeline and stage it happened in. */
export const inStage = (context: { readonly pipeline: string; readonly stage: string }) => (error: EdgeDbError): EdgeDbError =>
  new EdgeDbError({
    reason: error.reason,
    operation: error.operation,
    target: error.target,
    detail: error.detail,
    pipeline: context.pipeline,
    stage: context.stage
  })

/** Maps an @effect/sql failure to an EdgeDbError for `operation` on `target`. */
export const fromSqlError = (operation: string, target: string) => (error: SqlError): EdgeDbError =>
  new EdgeDbError({ reason: reasonOf(error.cause), operation, target, detail: detailOf(error) })
