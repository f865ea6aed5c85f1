// Sink `edge.webSales`: Shopify orders written as Edge web sales, with their lines, tenders and taxes.
//
// Idempotent by `shopify_order_id`: an order already stored at the same (or a later) `shopify_updated_at`
// changes nothing; a newer version replaces the sale's header in place (same sale_id) and its lines,
// tenders and taxes wholesale. Transactional: the batch's writes and the runner's checkpoint
// (`ctx.commit`) commit in one transaction, so a crash leaves both or neither.
//
// Every record is checked before the first statement runs (amounts exact in DECIMAL(12,2), text that
// fits its column, a licensed web store), so a rejected record leaves no writes. Writes are multi-row:
// one statement per table per batch (per chunk of a very large batch).
import { BigDecimal, Clock, Effect, Either, Option } from "effect"
import type { Classified } from "../../core/EtlError.js"
import * as Stage from "../../core/Stage.js"
import { EdgeDb, type EdgeDbService } from "./EdgeDb.js"
import { type EdgeDbError, inStage } from "./EdgeDbError.js"
import { EdgeRecordError } from "./EdgeRecordError.js"
import * as Money from "./Money.js"
import { bool, timestamp } from "./sql/Dialect.js"
import * as SaleStatements from "./sql/SaleStatements.js"
import * as StoredText from "./StoredText.js"
import type { WebSale } from "./WebSale.js"
import * as WebStore from "./WebStore.js"
import type { WebStoreError } from "./WebStoreError.js"

const stageName = "edge.webSales"

/** A sale checked and turned into column values, its details not yet tied to a sale_id. */
export interface PreparedSale {
  readonly orderId: string
  readonly header: Omit<SaleStatements.SaleWrite, "imported_at">
  readonly lines: ReadonlyArray<Omit<SaleStatements.LineWrite, "sale_id">>
  readonly tenders: ReadonlyArray<Omit<SaleStatements.TenderWrite, "sale_id">>
  readonly taxes: ReadonlyArray<Omit<SaleStatements.TaxWrite, "sale_id">>
  readonly updatedAt: Date
}

// Thrown inside `prepare` only, to stop at the first problem; never escapes it.
class Refused {
  constructor(readonly error: EdgeRecordError) {}
}

const intRange = (n: number) => Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647

// The checks of `prepare`, at module level: this runs for every amount and text of every sale, and
// helpers created per call cost more than the checks (tsx/esbuild names each closure it creates).
const refuse = (key: string, reason: EdgeRecordError["reason"], field: string, detail: string): never => {
  throw new Refused(new EdgeRecordError({ reason, stage: stageName, key, field, detail }))
}

const money = (key: string, field: string, value: BigDecimal.BigDecimal): string => {
  const fixed = Money.toDecimal12_2(value)
  return Option.isSome(fixed) ? fixed.value : refuse(
    key,
    "InexactAmount",
    field,
    `is ${BigDecimal.format(value)}, which DECIMAL(12,2) cannot hold exactly (at most 2 decimals, 10 integer digits); it is not rounded`
  )
}

const text = (key: string, field: string, value: string, max: number): string => {
  const problem = StoredText.problem(value, max)
  return Option.isNone(problem) ? value : refuse(key, "InvalidText", field, problem.value)
}

const date = (key: string, field: string, value: Date): string => {
  const year = value.getUTCFullYear()
  return Number.isNaN(value.getTime()) || year < 1000 || year > 9999
    ? refuse(key, "InvalidValue", field, "is not a date between the years 1000 and 9999")
    : timestamp(value)
}

const prepareUnsafe = (sale: WebSale): PreparedSale => {
  const key = sale.shopify_order_id
  if (key.trim() === "") refuse(key, "InvalidValue", "shopify_order_id", "is empty")
  text(key, "shopify_order_id", key, 255)
  if (!/^[A-Z]{3}$/.test(sale.currency)) {
    refuse(key, "InvalidValue", "currency", `is ${JSON.stringify(sale.currency)}, not a three-letter ISO 4217 code`)
  }
  if (!intRange(sale.store_no) || sale.store_no <= 0) refuse(key, "InvalidValue", "store_no", `is ${sale.store_no}, not a store number`)
  if (sale.customer_id !== null && sale.customer_id <= 0) {
    refuse(key, "InvalidValue", "customer_id", `is ${sale.customer_id}, not a customer id`)
  }
  const header: PreparedSale["header"] = {
    store_no: sale.store_no,
    sale_no: text(key, "sale_no", sale.sale_no, 64),
    customer_id: sale.customer_id,
    sale_date: date(key, "sale_date", sale.sale_date),
    kind: "web",
    status: sale.status,
    currency: sale.currency,
    subtotal: money(key, "subtotal", sale.subtotal),
    discount: money(key, "discount", sale.discount),
    shipping: money(key, "shipping", sale.shipping),
    tax: money(key, "tax", sale.tax),
    total: money(key, "total", sale.total),
    tax_stripped: bool(sale.tax_stripped),
    shopify_order_id: key,
    shopify_updated_at: date(key, "shopify_updated_at", sale.shopify_updated_at)
  }
  const lines = sale.lines.map((line, i) => {
    if (!intRange(line.quantity)) refuse(key, "InvalidValue", `lines[${i}].quantity`, `is ${line.quantity}, outside INT`)
    return {
      line_no: i + 1,
      sku: line.sku === null ? null : text(key, `lines[${i}].sku`, line.sku, 64),
      description: text(key, `lines[${i}].description`, line.description, 255),
      quantity: line.quantity,
      unit_price: money(key, `lines[${i}].unit_price`, line.unit_price),
      discount: money(key, `lines[${i}].discount`, line.discount),
      tax: money(key, `lines[${i}].tax`, line.tax),
      extended: money(key, `lines[${i}].extended`, line.extended)
    }
  })
  const tenders = sale.tenders.map((tender, i) => ({
    seq: i + 1,
    tender: text(key, `tenders[${i}].tender`, tender.tender, 100),
    amount: money(key, `tenders[${i}].amount`, tender.amount)
  }))
  const taxes = sale.taxes.map((tax, i) => {
    const rate = Money.toDecimal9_6(tax.rate)
    return {
      seq: i + 1,
      title: text(key, `taxes[${i}].title`, tax.title, 100),
      rate: Option.isSome(rate)
        ? rate.value
        : refuse(key, "InvalidValue", `taxes[${i}].rate`, `is ${BigDecimal.format(tax.rate)}, which DECIMAL(9,6) cannot hold exactly`),
      amount: money(key, `taxes[${i}].amount`, tax.amount)
    }
  })
  return { orderId: key, header, lines, tenders, taxes, updatedAt: sale.shopify_updated_at }
}

/**
 * Checks one sale and gives its column values, or the first reason it cannot be stored exactly.
 * Pure: the same sale always gives the same answer.
 */
export const prepare = (sale: WebSale): Either.Either<PreparedSale, EdgeRecordError> => {
  try {
    return Either.right(prepareUnsafe(sale))
  } catch (error) {
    if (error instanceof Refused) return Either.left(error.error)
    throw error
  }
}

type Decision =
  | { readonly _tag: "Reject"; readonly error: EdgeRecordError }
  | { readonly _tag: "Skip"; readonly reason: string }
  | { readonly _tag: "Create"; readonly sale: PreparedSale }
  | { readonly _tag: "Update"; readonly sale: PreparedSale; readonly saleId: number }

const parseStored = (text: string | null): number =>
  text === null ? -Infinity : new Date(`${text.replace(" ", "T")}Z`).getTime()

/** What to do with each record of the batch, in order (reads only). */
const decide = (db: EdgeDbService, batch: ReadonlyArray<WebSale>): Effect.Effect<ReadonlyArray<Decision>, EdgeDbError | WebStoreError> =>
  Effect.gen(function*() {
    const prepared = batch.map(prepare)
    const valid = prepared.flatMap((p) => (Either.isRight(p) ? [p.right] : []))
    yield* WebStore.checkOnce(db, valid.map((sale) => sale.header.store_no))
    // Within a batch the newest version of an order wins (the last one on a tie); the others are skipped.
    const newest = new Map<string, PreparedSale>()
    for (const sale of valid) {
      const seen = newest.get(sale.orderId)
      if (seen === undefined || seen.updatedAt.getTime() <= sale.updatedAt.getTime()) newest.set(sale.orderId, sale)
    }
    const stored = new Map(
      (yield* SaleStatements.versionsByOrderIds(db, [...newest.keys()])).map((row) => [row.shopify_order_id, row])
    )
    return prepared.map((p): Decision => {
      if (Either.isLeft(p)) return { _tag: "Reject", error: p.left }
      const sale = p.right
      if (newest.get(sale.orderId) !== sale) return { _tag: "Skip", reason: "a newer version of this order is in the same batch" }
      const existing = stored.get(sale.orderId)
      if (existing === undefined) return { _tag: "Create", sale }
      const storedAt = parseStored(existing.shopify_updated_at)
      if (storedAt === sale.updatedAt.getTime()) return { _tag: "Skip", reason: "already imported (same order version)" }
      if (storedAt > sale.updatedAt.getTime()) return { _tag: "Skip", reason: "a newer version of this order is already imported" }
      return { _tag: "Update", sale, saleId: existing.sale_id }
    })
  })

const outcomeOf = (decision: Decision): Stage.SinkOutcome => {
  switch (decision._tag) {
    case "Reject":
      return Stage.rejected(decision.error)
    case "Skip":
      return Stage.skipped(decision.reason)
    case "Create":
      return Stage.written("created")
    case "Update":
      return Stage.written("updated")
  }
}

/** Writes the batch's sales (no transaction of its own: the caller's, see `webSales`). */
export const writeBatch = (
  db: EdgeDbService,
  batch: ReadonlyArray<WebSale>
): Effect.Effect<ReadonlyArray<Stage.SinkOutcome>, EdgeDbError | WebStoreError> =>
  Effect.gen(function*() {
    const decisions = yield* decide(db, batch)
    const toWrite = decisions.flatMap((d) => (d._tag === "Create" || d._tag === "Update" ? [d] : []))
    if (toWrite.length > 0) {
      const importedAt = timestamp(new Date(yield* Clock.currentTimeMillis))
      const updates = toWrite.flatMap((d) => (d._tag === "Update" ? [d] : []))
      const creates = toWrite.flatMap((d) => (d._tag === "Create" ? [d.sale] : []))
      const ids = new Map<string, number>(updates.map((d) => [d.sale.orderId, d.saleId]))
      if (updates.length > 0) {
        yield* SaleStatements.upsertByOrderId(db, updates.map((d) => ({ ...d.sale.header, imported_at: importedAt })))
        yield* SaleStatements.deleteDetails(db, updates.map((d) => d.saleId))
      }
      if (creates.length > 0) {
        const inserted = yield* SaleStatements.insertNew(db, creates.map((sale) => ({ ...sale.header, imported_at: importedAt })))
        for (const row of inserted) {
          if (row.shopify_order_id !== null && !ids.has(row.shopify_order_id)) ids.set(row.shopify_order_id, row.sale_id)
        }
      }
      const written: Array<{ readonly sale: PreparedSale; readonly saleId: number }> = []
      for (const d of toWrite) {
        const saleId = ids.get(d.sale.orderId)
        if (saleId === undefined) return yield* Effect.dieMessage(`sale ${d.sale.orderId} not found right after it was written`)
        written.push({ sale: d.sale, saleId })
      }
      yield* SaleStatements.insertDetails(db, {
        lines: written.flatMap((w) => w.sale.lines.map((line) => ({ sale_id: w.saleId, ...line }))),
        tenders: written.flatMap((w) => w.sale.tenders.map((t) => ({ sale_id: w.saleId, ...t }))),
        taxes: written.flatMap((w) => w.sale.taxes.map((t) => ({ sale_id: w.saleId, ...t })))
      })
    }
    return decisions.map(outcomeOf)
  })

export const webSales = Stage.sink<WebSale, EdgeDbError | WebStoreError | Classified, EdgeDb>({
  name: stageName,
  description: "Writes Shopify orders as Edge web sales with lines, tenders and taxes; idempotent by Shopify order id, checkpoint in the same transaction",
  transactional: true,
  write: (batch, ctx) =>
    Effect.flatMap(EdgeDb, (db) =>
      db.transaction(
        "webSales.write",
        Effect.gen(function*() {
          const outcomes = yield* writeBatch(db, batch)
          yield* ctx.commit(outcomes)
          return outcomes
        })
      ).pipe(Effect.catchTag("EdgeDbError", (error) => Effect.fail(inStage(ctx)(error))))),
  plan: (batch) => Effect.flatMap(EdgeDb, (db) => Effect.map(decide(db, batch), (decisions) => decisions.map(outcomeOf)))
})

