// How every database failure the fault tests provoke (and the ones they cannot provoke cheaply) is
// classified, for the Edge connector (EdgeDbError) and the state store (StateStoreError): lost
// connections, lock waits and deadlocks are retried; a read-only database and a full disk stop the run
// with a message that says what to do. The driver errors are shaped as mysql2 and better-sqlite3 throw
// them (mysql2: `code` name, `errno` number, `fatal` for a dead connection; better-sqlite3: `code`).
import { describe, it } from "@effect/vitest"
import { SqlError } from "@effect/sql/SqlError"
import { assert } from "vitest"
import { fromSqlError } from "../../../connectors/edge/EdgeDbError.js"
import * as SqlStoreError from "../../../core/internal/sqlStoreError.js"

const edge = (cause: object) => fromSqlError("webSales.write", "mysql://edge@db:3306/edge")(new SqlError({ cause, message: "failed" }))
const state = (cause: object) => SqlStoreError.fromSqlError("commitBatch")(new SqlError({ cause, message: "failed" }))

const retriable: ReadonlyArray<readonly [string, object]> = [
  ["lock wait timeout", { code: "ER_LOCK_WAIT_TIMEOUT", errno: 1205, message: "Lock wait timeout exceeded; try restarting transaction" }],
  ["deadlock", { code: "ER_LOCK_DEADLOCK", errno: 1213, message: "Deadlock found when trying to get lock; try restarting transaction" }],
  ["connection lost", { code: "PROTOCOL_CONNECTION_LOST", fatal: true, message: "Connection lost: The server closed the connection." }],
  ["connection reset", { code: "ECONNRESET", errno: -104, message: "read ECONNRESET" }],
  ["connection refused (server restarting)", { code: "ECONNREFUSED", errno: -111, message: "connect ECONNREFUSED 127.0.0.1:3306" }],
  ["server gone away", { errno: 2006, message: "MySQL server has gone away" }],
  ["lost connection during query", { errno: 2013, message: "Lost connection to MySQL server during query" }],
  ["server shutting down", { code: "ER_SERVER_SHUTDOWN", errno: 1053, message: "Server shutdown in progress" }],
  ["connection killed (MariaDB)", { errno: 1927, message: "Connection was killed" }],
  ["a dead connection reused", { fatal: true, message: "Can't add new command when connection is in closed state" }],
  ["SQLite busy", { code: "SQLITE_BUSY", message: "database is locked" }]
]

const fatal: ReadonlyArray<readonly [string, object, RegExp]> = [
  ["read_only server", {
    code: "ER_OPTION_PREVENTS_STATEMENT",
    errno: 1290,
    message: "The MariaDB server is running with the --read-only option so it cannot execute this statement"
  }, /read-only/],
  ["read-only mode", { code: "ER_READ_ONLY_MODE", errno: 1836, message: "Running in read-only mode" }, /read-only/],
  ["read-only transaction", { errno: 1792, message: "Cannot execute statement in a READ ONLY transaction." }, /read-only/],
  ["read-only SQLite file", { code: "SQLITE_READONLY", message: "attempt to write a readonly database" }, /read-only/],
  ["table full", { code: "ER_RECORD_FILE_FULL", errno: 1114, message: "The table 'sales' is full" }, /full|space/],
  ["disk full", { code: "ER_DISK_FULL", errno: 1021, message: "Disk full (/var/lib/mysql/x); waiting for someone to free some space..." }, /full|space/],
  ["no space left", { code: "ENOSPC", errno: -28, message: "ENOSPC: no space left on device, write" }, /full|space/],
  ["SQLite full", { code: "SQLITE_FULL", message: "database or disk is full" }, /full|space/]
]

describe("db faults: classification", () => {
  for (const [name, cause] of retriable) {
    it(`${name} is retriable`, () => {
      assert.strictEqual(edge(cause).classification, "retriable", edge(cause).message)
      assert.strictEqual(state(cause).classification, "retriable", state(cause).message)
    })
  }

  for (const [name, cause, says] of fatal) {
    it(`${name} is fatal and says what to do`, () => {
      const e = edge(cause)
      assert.strictEqual(e.classification, "fatal", e.message)
      assert.match(e.message, says)
      assert.match(e.message, /run again/, "says what happens once fixed")
      assert.include(e.message, (cause as { readonly message: string }).message, "keeps the driver's words")
      const s = state(cause)
      assert.strictEqual(s.classification, "fatal", s.message)
      assert.match(s.message, says)
      assert.match(s.message, /run again/)
    })
  }

  it("1290 for another server option than --read-only is not called read-only", () => {
    const e = edge({
      code: "ER_OPTION_PREVENTS_STATEMENT",
      errno: 1290,
      message: "The MariaDB server is running with the --secure-file-priv option so it cannot execute this statement"
    })
    assert.notStrictEqual(e.reason, "ReadOnly")
  })
})
