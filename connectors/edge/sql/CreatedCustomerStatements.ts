// Every statement on `edgesync_created_customers`: which Edge customer edgesync created for which
// origin (a Shopify customer or order GID), so that creating again returns the same customer.
import { Effect, Option, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { decodeRows, IntColumn } from "./Columns.js"
import { chunksFor } from "./Dialect.js"
import * as MultiRowInsert from "./MultiRowInsert.js"

export const byOrigin = (db: EdgeDbService, origin: string): Effect.Effect<Option.Option<number>, EdgeDbError> =>
  db.use(
    "createdCustomers.byOrigin",
    db.sql`SELECT o.customer_id FROM edgesync_created_customers o JOIN customers c ON c.customer_id = o.customer_id
      WHERE o.origin = ${origin}`
  ).pipe(
    Effect.flatMap(decodeRows(Schema.Struct({ customer_id: IntColumn }), "createdCustomers.byOrigin", db.target)),
    Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => row.customer_id))
  )

/** Records (or, for an origin whose customer was deleted from Edge, replaces) where a customer came from. */
export const record = (db: EdgeDbService, origin: string, customerId: number, createdAt: string): Effect.Effect<void, EdgeDbError> =>
  db.use(
    "createdCustomers.record",
    Effect.asVoid(
      db.sql`INSERT INTO edgesync_created_customers ${db.sql.insert({ origin, customer_id: customerId, created_at: createdAt })} ${
        db.sql.literal(db.dialect.upsertTail(["origin"], ["customer_id", "created_at"]))
      }`.unprepared
    )
  )

/** The customers already created for any of these origins (whose customer still exists), by origin. */
export const byOrigins = (
  db: EdgeDbService,
  origins: ReadonlyArray<string>
): Effect.Effect<ReadonlyMap<string, number>, EdgeDbError> =>
  Effect.map(
    Effect.forEach(chunksFor(db.dialect, origins, 1, 1_000), (chunk) =>
      db.use(
        "createdCustomers.byOrigins",
        db.sql`SELECT o.origin, o.customer_id FROM edgesync_created_customers o JOIN customers c ON c.customer_id = o.customer_id
          WHERE o.origin IN ${db.sql.in(chunk)}`.unprepared
      ).pipe(Effect.flatMap(decodeRows(Schema.Struct({ origin: Schema.String, customer_id: IntColumn }), "createdCustomers.byOrigins", db.target)))),
    (chunks) => new Map(chunks.flat().map((row) => [row.origin, row.customer_id]))
  )

export interface CreatedRow {
  readonly origin: string
  readonly customer_id: number
  readonly created_at: string
}

/** `record` for many origins: multi-row upserts. */
export const recordMany = (db: EdgeDbService, rows: ReadonlyArray<CreatedRow>): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(chunksFor(db.dialect, rows, 3, 2_000), (chunk) =>
    db.use(
      "createdCustomers.recordMany",
      MultiRowInsert.run(
        db.sql,
        MultiRowInsert.build(
          db.dialect.name,
          "edgesync_created_customers",
          ["origin", "customer_id", "created_at"],
          chunk,
          db.dialect.upsertTail(["origin"], ["customer_id", "created_at"])
        )
      )
    ), { discard: true })
