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
import type { EdgeDbError } from "./EdgeDbError.js"
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

const intRange = (n: number) => Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647

/**
 * Checks one sale and gives its column values, or the first reason it cannot be stored exactly.
 * Pure: the same sale always gives the same answer.
 */
export const prepare = (sale: WebSale): Either.Either<PreparedSale, EdgeRecordError> => {
  const key = sale.shopify_order_id
  const refuse = (reason: EdgeRecordError["reason"], field: string, detail: string) =>
    new EdgeRecordError({ reason, stage: stageName, key, field, detail })
  class Refused {
    constructor(readonly error: EdgeRecordError) {}
  }
  const money = (field: string, value: BigDecimal.BigDecimal): string =>
    Option.getOrElse(Money.toDecimal12_2(value), () => {
      throw new Refused(refuse(
        "InexactAmount",
        field,
        `is ${BigDecimal.format(value)}, which DECIMAL(12,2) cannot hold exactly (at most 2 decimals, 10 integer digits); it is not rounded`
      ))
    })
  const text = (field: string, value: string, max: number): string =>
    Option.match(StoredText.problem(value, max), {
      onNone: () => value,
      onSome: (problem) => {
        throw new Refused(refuse("InvalidText", field, problem))
      }
    })
  const invalid = (field: string, detail: string): never => {
    throw new Refused(refuse("InvalidValue", field, detail))
  }
  const date = (field: string, value: Date): string => {
    const year = value.getUTCFullYear()
    return Number.isNaN(value.getTime()) || year < 1000 || year > 9999
      ? invalid(field, `is not a date between the years 1000 and 9999`)
      : timestamp(value)
  }
  // Collecting with exceptions keeps the field-by-field checks readable; nothing escapes this function.
  try {
    if (key.trim() === "") invalid("shopify_order_id", "is empty")
    text("shopify_order_id", key, 255)
    if (!/^[A-Z]{3}$/.test(sale.currency)) invalid("currency", `is ${JSON.stringify(sale.currency)}, not a three-letter ISO 4217 code`)
    if (!intRange(sale.store_no) || sale.store_no <= 0) invalid("store_no", `is ${sale.store_no}, not a store number`)
    if (sale.customer_id !== null && sale.customer_id <= 0) invalid("customer_id", `is ${sale.customer_id}, not a customer id`)
    const header: PreparedSale["header"] = {
      store_no: sale.store_no,
      sale_no: text("sale_no", sale.sale_no, 64),
      customer_id: sale.customer_id,
      sale_date: date("sale_date", sale.sale_date),
      kind: "web",
      status: sale.status,
      currency: sale.currency,
      subtotal: money("subtotal", sale.subtotal),
      discount: money("discount", sale.discount),
      shipping: money("shipping", sale.shipping),
      tax: money("tax", sale.tax),
      total: money("total", sale.total),
      tax_stripped: bool(sale.tax_stripped),
      shopify_order_id: key,
      shopify_updated_at: date("shopify_updated_at", sale.shopify_updated_at)
    }
    const lines = sale.lines.map((line, i) => {
      const at = `lines[${i}]`
      if (!intRange(line.quantity)) invalid(`${at}.quantity`, `is ${line.quantity}, outside INT`)
      return {
        line_no: i + 1,
        sku: line.sku === null ? null : text(`${at}.sku`, line.sku, 64),
        description: text(`${at}.description`, line.description, 255),
        quantity: line.quantity,
        unit_price: money(`${at}.unit_price`, line.unit_price),
        discount: money(`${at}.discount`, line.discount),
        tax: money(`${at}.tax`, line.tax),
        extended: money(`${at}.extended`, line.extended)
      }
    })
    const tenders = sale.tenders.map((tender, i) => ({
      seq: i + 1,
      tender: text(`tenders[${i}].tender`, tender.tender, 100),
      amount: money(`tenders[${i}].amount`, tender.amount)
    }))
    const taxes = sale.taxes.map((tax, i) => ({
      seq: i + 1,
      title: text(`taxes[${i}].title`, tax.title, 100),
      rate: Option.getOrElse(Money.toDecimal9_6(tax.rate), () =>
        invalid(`taxes[${i}].rate`, `is ${BigDecimal.format(tax.rate)}, which DECIMAL(9,6) cannot hold exactly`)),
      amount: money(`taxes[${i}].amount`, tax.amount)
    }))
    return Either.right({ orderId: key, header, lines, tenders, taxes, updatedAt: sale.shopify_updated_at })
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
    yield* WebStore.check(db, valid.map((sale) => sale.header.store_no))
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
      yield* SaleStatements.upsertByOrderId(db, toWrite.map((d) => ({ ...d.sale.header, imported_at: importedAt })))
      const updatedIds = toWrite.flatMap((d) => (d._tag === "Update" ? [d.saleId] : []))
      yield* SaleStatements.deleteDetails(db, updatedIds)
      // New sales' ids: read back by the unique order id (MySQL cannot return the ids of a multi-row
      // INSERT reliably: consecutive ids are not guaranteed with innodb_autoinc_lock_mode = 2).
      const created = toWrite.flatMap((d) => (d._tag === "Create" ? [d.sale.orderId] : []))
      const newIds = new Map(
        created.length === 0
          ? []
          : (yield* SaleStatements.versionsByOrderIds(db, created)).map((row) => [row.shopify_order_id, row.sale_id] as const)
      )
      const written: Array<{ readonly sale: PreparedSale; readonly saleId: number }> = []
      for (const d of toWrite) {
        const saleId = d._tag === "Update" ? d.saleId : newIds.get(d.sale.orderId)
        if (saleId === undefined) return yield* Effect.dieMessage(`sale ${d.sale.orderId} not found right after it was inserted`)
        written.push({ sale: d.sale, saleId })
      }
      yield* SaleStatements.insertLines(db, written.flatMap((w) => w.sale.lines.map((line) => ({ sale_id: w.saleId, ...line }))))
      yield* SaleStatements.insertTenders(db, written.flatMap((w) => w.sale.tenders.map((t) => ({ sale_id: w.saleId, ...t }))))
      yield* SaleStatements.insertTaxes(db, written.flatMap((w) => w.sale.taxes.map((t) => ({ sale_id: w.saleId, ...t }))))
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
      )),
  plan: (batch) => Effect.flatMap(EdgeDb, (db) => Effect.map(decide(db, batch), (decisions) => decisions.map(outcomeOf)))
})

