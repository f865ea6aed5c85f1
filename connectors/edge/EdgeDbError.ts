// The Edge database failed: one error family whose `reason` says why and whose classification tells the
// runner what to do (retry a busy or dropped connection, dead-letter a record the database refused,
// stop on anything a person has to fix: credentials, a missing database, tables not migrated, a
// read-only database, a full disk).
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
  "ReadOnly",
  "DiskFull",
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
      case "ReadOnly":
        return `The Edge database ${this.target} is read-only (${this.operation}): ${this.detail}. ` +
          `For MySQL/MariaDB, point edge.database at the primary server, or turn off read_only ` +
          `(SET GLOBAL read_only = 0) and check the user may write; for a SQLite file, make the file and ` +
          `its directory writable by the user edgesync runs as. Then run again: nothing was half-written.`
      case "DiskFull":
        return `The Edge database ${this.target} is out of space (${this.operation}): ${this.detail}. ` +
          `Free disk space where the database keeps its files (for MySQL/MariaDB, the server's datadir), ` +
          `then run again: nothing was half-written and the run resumes from its checkpoint.`
      case "Failed":
        return `Edge database ${this.target} failed (${this.operation}): ${this.detail}`
    }
  }
}

interface DriverError {
  readonly code?: unknown
  readonly errno?: unknown
  readonly message?: unknown
  /** mysql2 marks errors after which the connection is unusable (a lost or closed connection) `fatal`. */
  readonly fatal?: unknown
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
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
  "CR_SERVER_GONE_ERROR",
  "CR_SERVER_LOST",
  "HANDSHAKE_SSL_ERROR"
])

// MySQL/MariaDB server error numbers (mysql2 names most of them in `code`, but not MariaDB's own ones,
// such as 1927, so the number decides).
const unreachableErrnos = new Set([
  1053, // ER_SERVER_SHUTDOWN: the server is shutting down (a restart); statements in flight are refused
  1927, // ER_CONNECTION_KILLED (MariaDB): KILL of our connection, by an admin or a failover
  2006, // CR_SERVER_GONE_ERROR
  2013 // CR_SERVER_LOST
])
const busyErrnos = new Set([
  1205, // ER_LOCK_WAIT_TIMEOUT: only the statement was rolled back; the runner rolls back and retries the batch
  1213 // ER_LOCK_DEADLOCK: the server rolled the whole transaction back; the batch is retried from its start
])
const readOnlyErrnos = new Set([
  1036, // ER_OPEN_AS_READONLY: the table is read-only
  1792, // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
  1836 // ER_READ_ONLY_MODE: the server runs read-only (innodb_read_only, super_read_only)
])
const diskFullErrnos = new Set([
  1021, // ER_DISK_FULL
  1114 // ER_RECORD_FILE_FULL: "The table is full" (the tablespace cannot grow: no space left on its disk)
])

/** The reason a driver error (mysql2 or better-sqlite3, found as the SqlError's cause) stands for. */
export const reasonOf = (cause: unknown): EdgeDbErrorReason => {
  const { code, errno, fatal, message } = driverError(cause)
  const text = typeof message === "string" ? message : ""
  if (typeof errno === "number") {
    if (unreachableErrnos.has(errno)) return "Unreachable"
    if (busyErrnos.has(errno)) return "Busy"
    if (readOnlyErrnos.has(errno)) return "ReadOnly"
    if (diskFullErrnos.has(errno)) return "DiskFull"
    // 1290 (ER_OPTION_PREVENTS_STATEMENT) names the server option that refused the statement; --read-only
    // is the one that concerns us (others, such as --secure-file-priv, are not about writing rows).
    if (errno === 1290 && /read.only/i.test(text)) return "ReadOnly"
  }
  if (typeof code === "string") {
    if (unreachableCodes.has(code)) return "Unreachable"
    switch (code) {
      case "ER_ACCESS_DENIED_ERROR":
      case "ER_DBACCESS_DENIED_ERROR":
      case "ER_ACCESS_DENIED_NO_PASSWORD_ERROR":
      case "ER_TABLEACCESS_DENIED_ERROR":
        return "AccessDenied"
      case "ER_BAD_DB_ERROR":
        return "UnknownDatabase"
      case "ER_NO_SUCH_TABLE":
      case "ER_BAD_FIELD_ERROR":
        return "NotMigrated"
      case "ER_LOCK_DEADLOCK":
      case "ER_LOCK_WAIT_TIMEOUT":
        return "Busy"
      case "ER_DUP_ENTRY":
      case "ER_DATA_TOO_LONG":
      case "ER_TRUNCATED_WRONG_VALUE":
      case "ER_TRUNCATED_WRONG_VALUE_FOR_FIELD":
      case "ER_WARN_DATA_OUT_OF_RANGE":
      case "ER_BAD_NULL_ERROR":
        return "Constraint"
      case "ER_DISK_FULL":
      case "ER_RECORD_FILE_FULL":
      case "ENOSPC":
      case "SQLITE_FULL":
        return "DiskFull"
      case "EROFS":
        return "ReadOnly"
      case "SQLITE_CANTOPEN":
      case "SQLITE_PERM":
        return "Unopenable"
    }
    // better-sqlite3 reports SQLite's extended result codes (SQLITE_BUSY_SNAPSHOT, SQLITE_READONLY_DIRECTORY...).
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "Busy"
    if (code.startsWith("SQLITE_READONLY")) return "ReadOnly"
    if (code.startsWith("SQLITE_CONSTRAINT")) return "Constraint"
    if (code === "SQLITE_ERROR" && /no such (table|column)/.test(text)) return "NotMigrated"
  }
  // A mysql2 error that left the connection unusable ("Can't add new command when connection is in closed
  // state", a broken packet): the pool drops that connection and the next attempt opens a new one.
  if (fatal === true && (typeof code !== "string" || code.startsWith("PROTOCOL_"))) return "Unreachable"
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

/**
 * A COMMIT or ROLLBACK that failed. @effect/sql's `withTransaction` turns those into defects (`orDie`), so a
 * connection killed or lost mid-transaction would otherwise stop the run as a bug: the statement fails
 * with the lost connection, then the ROLLBACK on that dead connection dies. The server rolls back a
 * transaction whose connection is gone, so nothing is half-written and the batch can be retried whole.
 * A COMMIT whose answer was lost may have been applied: the retried batch then finds its sales already
 * imported at the same version and skips them (the sink is idempotent by Shopify order id).
 */
export const fromTransactionEnd = (operation: string, target: string) => (error: SqlError): EdgeDbError => {
  const reason = reasonOf(error.cause)
  return new EdgeDbError({
    reason: reason === "Failed" ? "Unreachable" : reason,
    operation,
    target,
    detail: `the transaction's COMMIT or ROLLBACK failed: ${detailOf(error)}`
  })
}

/** Reasons a SQLite error may have for a cause in the storage under the file (see SqliteStorage). */
export const mayBeStorage = (reason: EdgeDbErrorReason): boolean =>
  reason === "Unopenable" || reason === "Failed" || reason === "ReadOnly" || reason === "DiskFull"

/** The same error, with the cause the file system showed (a read-only mount, a full disk). */
export const withStorageProblem = (
  error: EdgeDbError,
  problem: { readonly reason: "ReadOnly" | "DiskFull"; readonly detail: string }
): EdgeDbError =>
  new EdgeDbError({
    reason: problem.reason,
    operation: error.operation,
    target: error.target,
    detail: `${problem.detail} (${error.detail})`,
    ...(error.pipeline === undefined ? {} : { pipeline: error.pipeline }),
    ...(error.stage === undefined ? {} : { stage: error.stage })
  })
