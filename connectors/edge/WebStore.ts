// The web store check: web sales are filed under a store that must exist, be of kind `web` and be
// licensed; anything else stops the run with a message naming the store and what is wrong.
import { Effect, Ref } from "effect"
import { EdgeDb, type EdgeDbService } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import * as StoreStatements from "./sql/StoreStatements.js"
import { WebStoreError } from "./WebStoreError.js"

/** Checks each of `storeNos` (one query for all). */
export const check = (db: EdgeDbService, storeNos: ReadonlyArray<number>): Effect.Effect<void, WebStoreError | EdgeDbError> =>
  Effect.gen(function*() {
    const unique = [...new Set(storeNos)]
    const found = new Map((yield* StoreStatements.byNumbers(db, unique)).map((row) => [row.store_no, row]))
    for (const storeNo of unique) {
      const store = found.get(storeNo)
      if (store === undefined) return yield* new WebStoreError({ reason: "Missing", store_no: storeNo })
      if (store.kind !== "web") return yield* new WebStoreError({ reason: "NotWeb", store_no: storeNo, kind: store.kind })
      if (!store.licensed) return yield* new WebStoreError({ reason: "NotLicensed", store_no: storeNo })
    }
  })

/** `check`, skipping stores already verified on this connection (the web-sales sink, once per run). */
export const checkOnce = (db: EdgeDbService, storeNos: ReadonlyArray<number>): Effect.Effect<void, WebStoreError | EdgeDbError> =>
  Effect.gen(function*() {
    const verified = yield* Ref.get(db.verifiedWebStores)
    const unverified = [...new Set(storeNos)].filter((storeNo) => !verified.has(storeNo))
    if (unverified.length === 0) return
    yield* check(db, unverified)
    yield* Ref.update(db.verifiedWebStores, (set) => new Set([...set, ...unverified]))
  })

/** Fails fatally unless `storeNo` is a licensed web store. Call it before a run that imports sales. */
export const requireWebStore = (storeNo: number): Effect.Effect<void, WebStoreError | EdgeDbError, EdgeDb> =>
  Effect.flatMap(EdgeDb, (db) => check(db, [storeNo])).pipe(Effect.withSpan("EdgeDb.requireWebStore"))
