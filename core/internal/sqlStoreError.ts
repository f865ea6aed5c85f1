// Turns a failure of the SQL state store into a StateStoreError a person (and the runner) can act on:
// Unavailable is worth retrying (connection lost, lock wait, deadlock, SQLite busy); ReadOnly and Corrupt
// are not (permissions, full disk, missing or damaged tables) and say what to check.
import type { SqlError } from "@effect/sql/SqlError"
import type { ParseResult } from "effect"
import { StateStoreError } from "../EtlError.js"

interface DriverError {
  readonly code?: unknown
  readonly errno?: unknown
  readonly message?: unknown
}

const driverError = (cause: unknown): DriverError =>
  typeof cause === "object" && cause !== null ? cause as DriverError : {}

// mysql2 reports connection trouble with Node's socket codes or its own PROTOCOL_* codes.
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
  "CR_SERVER_GONE_ERROR",
  "CR_SERVER_LOST"
])

const classify = (
  error: DriverError
): { readonly reason: StateStoreError["reason"]; readonly hint: string } => {
  const code = typeof error.code === "string" ? error.code : ""
  const errno = typeof error.errno === "number" ? error.errno : 0
  const message = typeof error.message === "string" ? error.message : ""

  // SQLite (better-sqlite3): extended result codes such as SQLITE_READONLY_DBMOVED share a prefix.
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return { reason: "Unavailable", hint: "the SQLite file is locked by another connection; retrying may succeed" }
  }
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS") {
    return {
      reason: "ReadOnly",
      hint: "the SQLite state file is read-only: make the file and its directory writable by the user edgesync " +
        "runs as (check their permissions and that the file system is not mounted read-only; SQLite writes a " +
        "journal beside the file), then run again"
    }
  }
  if (code === "SQLITE_FULL" || code === "ENOSPC") {
    return {
      reason: "ReadOnly",
      hint: "the disk holding the state database is full: free space on it (or move the state file elsewhere " +
        "with the config's state section), then run again; nothing was half-written"
    }
  }
  if (code === "SQLITE_CANTOPEN") {
    return { reason: "ReadOnly", hint: "cannot open the SQLite state file: does its directory exist and is it writable?" }
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return { reason: "Corrupt", hint: "the SQLite state file is damaged or not a database; restore it from a backup" }
  }
  if (code.startsWith("SQLITE_IOERR")) return { reason: "Unavailable", hint: "an I/O error on the SQLite state file" }

  // MySQL / MariaDB server errors, by number.
  switch (errno) {
    case 1205:
      return { reason: "Unavailable", hint: "lock wait timeout: another transaction held the rows too long" }
    case 1213:
      return { reason: "Unavailable", hint: "deadlock with another transaction; retrying resolves it" }
    case 1290:
    case 1792:
    case 1836:
    case 1036:
      return {
        reason: "ReadOnly",
        hint: "the MySQL server is read-only (read_only, super_read_only or a replica): point the database URL at " +
          "the primary, or turn read_only off (SET GLOBAL read_only = 0), then run again"
      }
    case 1044:
    case 1045:
    case 1142:
      return { reason: "ReadOnly", hint: "the MySQL user may not write the edgesync_ tables: grant it SELECT, INSERT, UPDATE, DELETE, CREATE" }
    case 1021:
    case 1114:
      return {
        reason: "ReadOnly",
        hint: "the MySQL server's disk (or the table's tablespace) is full: free space in the server's datadir, then run again"
      }
    case 1146:
      return { reason: "Corrupt", hint: "the edgesync_ state tables are missing: run the state store migration (it is idempotent)" }
  }
  // 1053: the server is shutting down (a restart); 1927: MariaDB's "Connection was killed".
  if (connectionCodes.has(code) || errno === 2006 || errno === 2013 || errno === 1053 || errno === 1927) {
    return { reason: "Unavailable", hint: "the connection to the database failed; check that the server is up and reachable" }
  }
  if (/no such table/i.test(message)) {
    return { reason: "Corrupt", hint: "the edgesync_ state tables are missing: run the state store migration (it is idempotent)" }
  }
  // Anything else may be transient; the runner's retry bound turns a persistent one into a fatal error.
  return { reason: "Unavailable", hint: "unexpected database error" }
}

export const fromSqlError = (operation: string) => (error: SqlError): StateStoreError => {
  const cause = driverError(error.cause)
  const { hint, reason } = classify(cause)
  const code = typeof cause.code === "string" ? ` [${cause.code}]` : ""
  const driverMessage = typeof cause.message === "string" ? cause.message : error.message
  return new StateStoreError({ reason, operation, detail: `${hint}${code}: ${driverMessage}` })
}

export const fromParseError = (operation: string) => (error: ParseResult.ParseError): StateStoreError =>
  new StateStoreError({
    reason: "Corrupt",
    operation,
    detail: `a row of the edgesync_ tables does not have the expected shape (written by another version?): ${error.message}`
  })
