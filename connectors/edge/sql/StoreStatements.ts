// Every statement on `stores`.
import { Effect, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { BoolColumn, decodeRows, IntColumn } from "./Columns.js"

export const StoreRow = Schema.Struct({
  store_no: IntColumn,
  name: Schema.String,
  kind: Schema.String,
  licensed: BoolColumn
})
export type StoreRow = typeof StoreRow.Type

export const byNumbers = (db: EdgeDbService, storeNos: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<StoreRow>, EdgeDbError> =>
  storeNos.length === 0 ? Effect.succeed([]) : db.use(
    "stores.byNumbers",
    db.sql`SELECT store_no, name, kind, licensed FROM stores WHERE store_no IN ${db.sql.in(storeNos)}`.unprepared
  ).pipe(Effect.flatMap(decodeRows(StoreRow, "stores.byNumbers", db.target)))

export type StoreWrite = {
  readonly store_no: number
  readonly name: string
  readonly kind: "retail" | "web"
  readonly licensed: number
}

/** Inserts stores, or updates name, kind and licence of existing numbers. */
export const upsert = (db: EdgeDbService, rows: ReadonlyArray<StoreWrite>): Effect.Effect<void, EdgeDbError> =>
  rows.length === 0 ? Effect.void : db.use(
    "stores.upsert",
    Effect.asVoid(
      db.sql`INSERT INTO stores ${db.sql.insert(rows)} ${db.sql.literal(db.dialect.upsertTail(["store_no"], ["name", "kind", "licensed"]))}`
        .unprepared
    )
  )
