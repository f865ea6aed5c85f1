// Every statement on `items`.
import { Effect } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { chunksFor } from "./Dialect.js"

export type ItemWrite = {
  readonly sku: string
  readonly description: string
  /** Exact decimal text. */
  readonly price: string
}

export const insertMany = (db: EdgeDbService, rows: ReadonlyArray<ItemWrite>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 3, 2_000), (chunk) =>
    db.use("items.insert", db.sql`INSERT INTO items ${db.sql.insert(chunk)}`.unprepared), { discard: true })
