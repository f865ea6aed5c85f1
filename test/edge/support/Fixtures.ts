// Test data and direct SQL "as The Edge itself would do it" (staff editing a customer, a store being
// unlicensed), kept apart from the connector's own statements so that tests check the connector
// against the database rather than against itself.
import { BigDecimal, Effect } from "effect"
import type { ContactFields } from "../../../connectors/edge/ContactFields.js"
import { empty } from "../../../connectors/edge/ContactFields.js"
import { EdgeDb } from "../../../connectors/edge/EdgeDb.js"
import type { WebSale } from "../../../connectors/edge/WebSale.js"

export const money = (text: string): BigDecimal.BigDecimal => BigDecimal.unsafeFromString(text)

/** Text with SQL metacharacters, RTL and emoji (no NUL): every text field must store it verbatim. */
export const nasty = `O'Brien "x"; DROP TABLE sales; -- \\ % _ \` 🎉💍 שָׁלוֹם مرحبا 𝄞 Zoë`

let counter = 0
export const uniqueOrderId = (): string => `gid://shopify/Order/${Date.now()}${++counter}`

/** A consistent web sale: 2 lines, 1 tender, 1 tax. */
export const webSale = (overrides: Partial<WebSale> = {}): WebSale => ({
  shopify_order_id: uniqueOrderId(),
  sale_no: "#1001",
  store_no: 98,
  customer_id: 1,
  sale_date: new Date("2026-03-01T10:00:00Z"),
  status: "paid",
  currency: "USD",
  subtotal: money("150.00"),
  discount: money("10.00"),
  shipping: money("9.95"),
  tax: money("12.38"),
  total: money("162.33"),
  tax_stripped: false,
  shopify_updated_at: new Date("2026-03-01T10:05:00Z"),
  lines: [
    {
      sku: "RG-10001",
      description: "14K Gold Solitaire Ring",
      quantity: 1,
      unit_price: money("100.00"),
      discount: money("10.00"),
      tax: money("7.43"),
      extended: money("90.00")
    },
    {
      sku: null,
      description: "Gift wrap (unknown SKU)",
      quantity: 2,
      unit_price: money("30.00"),
      discount: money("0"),
      tax: money("4.95"),
      extended: money("60.00")
    }
  ],
  tenders: [{ tender: "shopify_payments", amount: money("162.33") }],
  taxes: [{ title: "CA State Tax", rate: money("0.0825"), amount: money("12.38") }],
  ...overrides
})

/** Inserts a customer the way Edge does (plain INSERT, its own timestamps); returns its id. */
export const edgeInsertCustomer = (
  fields: Partial<ContactFields> & { readonly web_upload?: boolean; readonly notes?: string | null } = {}
): Effect.Effect<number, never, EdgeDb> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    const { web_upload, notes, ...contact } = fields
    const row = { ...empty, ...contact, notes: notes ?? null, web_upload: web_upload === true ? 1 : 0 }
    return yield* db.dialect.insertReturningId(db.sql`INSERT INTO customers ${db.sql.insert(row)}`)
  }).pipe(Effect.orDie)

/** Updates a customer the way Edge staff do (a plain UPDATE behind edgesync's back). */
export const edgeUpdateCustomer = (
  customerId: number,
  values: Readonly<Record<string, string | number | null>>
): Effect.Effect<void, never, EdgeDb> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    yield* db.sql`UPDATE customers SET ${db.sql.update(values)} WHERE customer_id = ${customerId}`
  }).pipe(Effect.orDie)

/** Runs a query and returns its rows (test reads). */
export const query = <A extends object = Record<string, unknown>>(
  text: string,
  params: ReadonlyArray<unknown> = []
): Effect.Effect<ReadonlyArray<A>, never, EdgeDb> =>
  Effect.flatMap(EdgeDb, (db) => db.sql.unsafe<A>(text, params as Array<unknown>)).pipe(Effect.orDie)

/** Inserts or replaces a store. */
export const putStore = (storeNo: number, kind: string, licensed: boolean): Effect.Effect<void, never, EdgeDb> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    yield* db.sql`DELETE FROM stores WHERE store_no = ${storeNo}`
    yield* db.sql`INSERT INTO stores ${db.sql.insert({ store_no: storeNo, name: `Store ${storeNo}`, kind, licensed: licensed ? 1 : 0 })}`
  }).pipe(Effect.orDie)

/** Waits on the real clock (timestamps are taken by the database). */
export const pause = (millis: number): Effect.Effect<void> => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, millis)))

/** A sink context whose `commit` does `commit` (nothing by default) and records the outcomes it got. */
export const sinkContext = (
  commit: (outcomes: ReadonlyArray<import("../../../core/Stage.js").SinkOutcome>) => Effect.Effect<void, import("../../../core/EtlError.js").Classified> = () => Effect.void
) => {
  const committed: Array<ReadonlyArray<import("../../../core/Stage.js").SinkOutcome>> = []
  return {
    committed,
    ctx: {
      pipeline: "test-pipeline",
      runId: "run-1",
      stage: "edge.test",
      dryRun: false,
      commit: (outcomes: ReadonlyArray<import("../../../core/Stage.js").SinkOutcome>) =>
        Effect.zipRight(Effect.sync(() => void committed.push(outcomes)), commit(outcomes))
    }
  }
}
