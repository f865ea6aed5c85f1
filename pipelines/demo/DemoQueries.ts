// The demo's questions to the Edge database: which seeded customers to mirror in the demo store (so
// that its orders match Edge by email, by phone, ambiguously) and what the pipelines left behind, for
// the store owner's summary. Read-only SQL on the Edge reference schema (issue 3), decoded at the edge.
import { Effect, Schema } from "effect"
import type { EdgeDbService } from "../../connectors/edge/EdgeDb.js"
import { EdgeDbError } from "../../connectors/edge/EdgeDbError.js"

const Id = Schema.Union(Schema.Number, Schema.NumberFromString)
const Text = Schema.NullOr(Schema.String)
const Count = Schema.Union(Schema.Number, Schema.NumberFromString, Schema.BigIntFromSelf.pipe(Schema.transform(Schema.Number, {
  strict: true,
  decode: (n) => Number(n),
  encode: (n) => BigInt(n)
})))

const query = <A, I>(db: EdgeDbService, operation: string, schema: Schema.Schema<A, I>, text: string, params: ReadonlyArray<unknown> = []) =>
  db.use(operation, db.sql.unsafe(text, params)).pipe(
    Effect.flatMap((rows) =>
      Schema.decodeUnknown(Schema.Array(schema))(rows).pipe(
        Effect.mapError((e) => new EdgeDbError({ reason: "Failed", operation, target: db.target, detail: e.message }))
      )
    )
  )

export const Person = Schema.Struct({
  customer_id: Id,
  first_name: Text,
  last_name: Text,
  email: Text,
  phone_cell: Text,
  phone_home: Text,
  country: Text
})
export type Person = typeof Person.Type

const personColumns = "customer_id, first_name, last_name, email, phone_cell, phone_home, country"

/** Customers whose email no other customer shares (a clean match by email). */
export const uniqueEmails = (db: EdgeDbService, limit: number) =>
  query(db, "demo.uniqueEmails", Person, `SELECT ${personColumns} FROM customers c
    WHERE c.email IS NOT NULL AND c.web_upload = 0
      AND (SELECT COUNT(*) FROM customers d WHERE LOWER(TRIM(d.email)) = LOWER(TRIM(c.email))) = 1
    ORDER BY c.customer_id LIMIT ${Math.floor(limit)}`)

/** Customers with a cell phone, from the other end of the table (none of the email ones). */
export const withCellPhones = (db: EdgeDbService, limit: number) =>
  query(db, "demo.withCellPhones", Person, `SELECT ${personColumns} FROM customers c
    WHERE c.phone_cell IS NOT NULL AND c.web_upload = 0
      AND (SELECT COUNT(*) FROM customers d WHERE d.phone_cell = c.phone_cell OR d.phone_home = c.phone_cell) = 1
    ORDER BY c.customer_id DESC LIMIT ${Math.floor(limit)}`)

/** Home phones shared by a household (several customers). */
export const sharedHomePhones = (db: EdgeDbService, limit: number) =>
  query(db, "demo.sharedHomePhones", Schema.Struct({ phone_home: Schema.String, country: Text, last_name: Text, n: Count }),
    `SELECT phone_home, MIN(country) AS country, MIN(last_name) AS last_name, COUNT(*) AS n FROM customers WHERE phone_home IS NOT NULL
     GROUP BY phone_home HAVING COUNT(*) > 1 ORDER BY MIN(customer_id) LIMIT ${Math.floor(limit)}`)

/** Customers assigned to web upload. */
export const flaggedForUpload = (db: EdgeDbService, limit: number) =>
  query(db, "demo.flaggedForUpload", Person, `SELECT ${personColumns} FROM customers
    WHERE web_upload <> 0 AND email IS NOT NULL ORDER BY customer_id LIMIT ${Math.floor(limit)}`)

export const Item = Schema.Struct({ sku: Schema.String, description: Schema.String, price: Schema.Union(Schema.String, Schema.Number) })
export type Item = typeof Item.Type

export const items = (db: EdgeDbService, limit: number) =>
  query(db, "demo.items", Item, `SELECT sku, description, price FROM items ORDER BY sku LIMIT ${Math.floor(limit)}`)

/** Web sales by status: how many, and their totals in cents. */
export const webSalesByStatus = (db: EdgeDbService, webStore: number) =>
  query(db, "demo.webSalesByStatus", Schema.Struct({ status: Schema.String, n: Count, total_cents: Count, stripped: Count }),
    `SELECT status, COUNT(*) AS n, SUM(${db.dialect.centsOf("total")}) AS total_cents,
       SUM(CASE WHEN tax_stripped <> 0 THEN 1 ELSE 0 END) AS stripped
     FROM sales WHERE kind = 'web' AND store_no = ? GROUP BY status ORDER BY status`, [webStore])

/** Links by how they were made. */
export const linksByMethod = (db: EdgeDbService) =>
  query(db, "demo.linksByMethod", Schema.Struct({ link_method: Schema.String, n: Count, invited: Count }),
    `SELECT link_method, COUNT(*) AS n, SUM(CASE WHEN invite_sent_at IS NULL THEN 0 ELSE 1 END) AS invited
     FROM customer_web_links GROUP BY link_method ORDER BY link_method`)

/** Matching decisions by rule. */
export const decisionsByRule = (db: EdgeDbService) =>
  query(db, "demo.decisionsByRule", Schema.Struct({ match_rule: Schema.String, n: Count, ambiguous: Count }),
    `SELECT match_rule, COUNT(*) AS n, SUM(CASE WHEN ambiguous <> 0 THEN 1 ELSE 0 END) AS ambiguous
     FROM edgesync_match_decisions GROUP BY match_rule ORDER BY match_rule`)

export const customerCount = (db: EdgeDbService) =>
  Effect.map(query(db, "demo.customerCount", Schema.Struct({ n: Count }), "SELECT COUNT(*) AS n FROM customers"), (rows) => rows[0]?.n ?? 0)

/** Staff edit a customer's city in Edge (the demo's conflicting edit). */
export const setCity = (db: EdgeDbService, customerId: number, city: string) =>
  db.use("demo.setCity", db.sql.unsafe("UPDATE customers SET city = ? WHERE customer_id = ?", [city, customerId]))
