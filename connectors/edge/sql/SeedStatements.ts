// The statements only the seed uses: counting what is there, and emptying the Edge tables on --reset.
import { Effect, Schema } from "effect"
import type { EdgeDbService } from "../EdgeDb.js"
import type { EdgeDbError } from "../EdgeDbError.js"
import { decodeRows, IntColumn } from "./Columns.js"

// Children before parents; edgesync's derived tables with the data they derive from.
const tables = [
  "sale_taxes",
  "sale_tenders",
  "sale_lines",
  "sales",
  "customer_web_links",
  "edgesync_customer_match_keys",
  "edgesync_match_keys_state",
  "edgesync_created_customers",
  "edgesync_match_decisions",
  "edgesync_contact_conflicts",
  "customers",
  "items",
  "stores"
]

export const deleteEdgeData = (db: EdgeDbService): Effect.Effect<void, EdgeDbError> =>
  Effect.forEach(tables, (table) => db.use(`${table}.deleteAll`, db.sql.unsafe(`DELETE FROM ${table}`)), { discard: true })

const Counts = Schema.Struct({ customers: IntColumn, sales: IntColumn, items: IntColumn })

export const rowCounts = (db: EdgeDbService): Effect.Effect<typeof Counts.Type, EdgeDbError> =>
  db.use(
    "seed.rowCounts",
    db.sql`SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM sales) AS sales,
      (SELECT COUNT(*) FROM items) AS items`
  ).pipe(
    Effect.flatMap(decodeRows(Counts, "seed.rowCounts", db.target)),
    Effect.map((rows) => rows[0] ?? { customers: 0, sales: 0, items: 0 })
  )
