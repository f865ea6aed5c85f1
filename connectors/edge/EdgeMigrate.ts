// `edgesync edge migrate`: the Edge reference tables, edgesync's Edge-side tables and the core state
// store's tables, all in the Edge database (the state store lives there so that transactional sinks
// commit the checkpoint with their writes). Idempotent.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { StateStoreError } from "../../core/EtlError.js"
import * as SqlStateStore from "../../core/SqlStateStore.js"
import { EdgeDb } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"

export interface MigrateSummary {
  /** The database, without its password. */
  readonly target: string
  /** Edge-side migrations applied by this call (none when the schema was current). */
  readonly applied: ReadonlyArray<string>
}

export const migrate: Effect.Effect<MigrateSummary, EdgeDbError | StateStoreError, EdgeDb> = Effect.gen(function*() {
  const db = yield* EdgeDb
  const applied = yield* db.migrate
  const stateStore = yield* SqlStateStore.make.pipe(Effect.provideService(SqlClient.SqlClient, db.sql))
  yield* stateStore.migrate
  return { target: db.target, applied }
}).pipe(Effect.withSpan("EdgeDb.migrateAll"))
