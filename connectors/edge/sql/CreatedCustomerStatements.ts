// Every statement on `edgesync_created_customers`: which Edge customer edgesync created for which
// origin (a Shopify customer or order GID), so that creating again returns the same customer.
import { Effect, Option, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { decodeRows, IntColumn } from "./Columns.js"

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
