// The emulated shop's data: plain immutable records (customers, orders, bulk operations) in
// persistent HashMaps, so every mutation yields a new StoreData and a request can commit or drop its
// changes as a whole. Times are epoch milliseconds truncated to the second, as Shopify stores them.
import { HashMap, Option } from "effect"
import type { BulkResult } from "./BulkResult.js"
import type * as Money from "./Money.js"
import * as SeededRandom from "./SeededRandom.js"

export type CustomerState = "DECLINED" | "DISABLED" | "ENABLED" | "INVITED"

export interface Address {
  readonly id: number
  readonly firstName: string | null
  readonly lastName: string | null
  readonly company: string | null
  readonly address1: string | null
  readonly address2: string | null
  readonly city: string | null
  readonly province: string | null
  readonly provinceCode: string | null
  readonly country: string | null
  readonly countryCode: string | null
  readonly zip: string | null
  readonly phone: string | null
}

export interface MarketingConsent {
  readonly state: string
  readonly optInLevel: string | null
  readonly updatedAt: number | null
  readonly collectedFrom: string | null
}

export interface Metafield {
  readonly id: number
  readonly namespace: string
  readonly key: string
  readonly type: string
  readonly value: string
}

export interface Customer {
  readonly id: number
  readonly firstName: string | null
  readonly lastName: string | null
  /** Normalised (whitespace stripped, lower case); the unique key for email lookups. */
  readonly email: string | null
  /** E.164; the unique key for phone lookups. */
  readonly phone: string | null
  readonly locale: string
  readonly note: string | null
  readonly tags: ReadonlyArray<string>
  readonly state: CustomerState
  readonly verifiedEmail: boolean
  readonly taxExempt: boolean
  readonly taxExemptions: ReadonlyArray<string>
  readonly addresses: ReadonlyArray<Address>
  readonly defaultAddressId: number | null
  readonly emailMarketing: MarketingConsent | null
  readonly smsMarketing: MarketingConsent | null
  readonly multipassIdentifier: string | null
  readonly metafields: ReadonlyArray<Metafield>
  readonly createdAt: number
  readonly updatedAt: number
}

export interface TaxLine {
  readonly title: string
  /** A fraction (0.05 = 5 %), as Shopify's `rate: Float`. */
  readonly rate: number
  readonly price: Money.Bag
  readonly channelLiable: boolean
}

export interface LineItem {
  readonly id: number
  readonly title: string
  readonly variantTitle: string | null
  readonly sku: string | null
  readonly vendor: string | null
  readonly quantity: number
  readonly refundedQuantity: number
  readonly unitPrice: Money.Bag
  /** Discount allocated to the whole line (all units). */
  readonly discount: Money.Bag
  readonly taxLines: ReadonlyArray<TaxLine>
  readonly taxable: boolean
  readonly requiresShipping: boolean
  readonly giftCard: boolean
  readonly variantId: number | null
  readonly productId: number | null
  readonly customAttributes: ReadonlyArray<{ readonly key: string; readonly value: string }>
}

export interface ShippingLine {
  readonly id: number
  readonly title: string
  readonly code: string | null
  readonly source: string | null
  readonly price: Money.Bag
  readonly discount: Money.Bag
  readonly taxLines: ReadonlyArray<TaxLine>
}

export type TransactionKind =
  | "SALE" | "CAPTURE" | "AUTHORIZATION" | "VOID" | "REFUND" | "CHANGE" | "EMV_AUTHORIZATION" | "SUGGESTED_REFUND"
export type TransactionStatus = "SUCCESS" | "FAILURE" | "PENDING" | "ERROR" | "AWAITING_RESPONSE" | "UNKNOWN"

export interface Transaction {
  readonly id: number
  readonly kind: TransactionKind
  readonly status: TransactionStatus
  readonly gateway: string
  readonly amount: Money.Bag
  readonly test: boolean
  readonly parentId: number | null
  readonly processedAt: number
  readonly createdAt: number
}

export interface RefundLineItem {
  readonly id: number
  readonly lineItemId: number
  readonly quantity: number
  readonly restockType: string
  readonly restocked: boolean
  readonly price: Money.Bag
  readonly subtotal: Money.Bag
  readonly totalTax: Money.Bag
}

export interface Refund {
  readonly id: number
  readonly note: string | null
  readonly createdAt: number
  readonly processedAt: number
  readonly lineItems: ReadonlyArray<RefundLineItem>
  readonly transactionIds: ReadonlyArray<number>
  readonly shipping: Money.Bag
  readonly totalRefunded: Money.Bag
}

/** Money derived from the order's lines, recomputed on every change (see OrderMath). */
export interface OrderTotals {
  readonly subtotal: Money.Bag
  readonly totalShipping: Money.Bag
  readonly totalTax: Money.Bag
  readonly totalDiscounts: Money.Bag
  readonly totalPrice: Money.Bag
  readonly currentSubtotal: Money.Bag
  readonly currentShipping: Money.Bag
  readonly currentTax: Money.Bag
  readonly currentDiscounts: Money.Bag
  readonly currentTotal: Money.Bag
  readonly received: Money.Bag
  readonly refunded: Money.Bag
  readonly refundedShipping: Money.Bag
  readonly capturable: Money.Bag
  readonly netPayment: Money.Bag
  readonly outstanding: Money.Bag
  readonly financialStatus: string | null
  readonly taxLines: ReadonlyArray<TaxLine>
  readonly currentTaxLines: ReadonlyArray<TaxLine>
  readonly itemCount: number
  readonly currentItemCount: number
}

export interface Order {
  readonly id: number
  readonly number: number
  readonly name: string
  readonly email: string | null
  readonly phone: string | null
  readonly customerId: number | null
  readonly note: string | null
  readonly tags: ReadonlyArray<string>
  readonly customAttributes: ReadonlyArray<{ readonly key: string; readonly value: string }>
  readonly test: boolean
  readonly sourceName: string | null
  readonly sourceIdentifier: string | null
  readonly poNumber: string | null
  readonly currency: string
  readonly presentmentCurrency: string
  readonly taxesIncluded: boolean
  readonly buyerAcceptsMarketing: boolean
  readonly processedAt: number
  readonly createdAt: number
  readonly updatedAt: number
  readonly closedAt: number | null
  readonly cancelledAt: number | null
  readonly cancelReason: string | null
  readonly cancellationNote: string | null
  readonly billingAddress: Address | null
  readonly shippingAddress: Address | null
  readonly lineItems: ReadonlyArray<LineItem>
  readonly shippingLines: ReadonlyArray<ShippingLine>
  readonly orderTaxLines: ReadonlyArray<TaxLine>
  readonly discountCodes: ReadonlyArray<string>
  readonly transactions: ReadonlyArray<Transaction>
  readonly refunds: ReadonlyArray<Refund>
  /** `financialStatus` given to orderCreate, used when transactions do not decide it. */
  readonly declaredFinancialStatus: string | null
  readonly fulfillmentStatus: string
  readonly totals: OrderTotals
}

/**
 * A record as the database holds it plus the versions the search index may still show: the index
 * lags behind writes (FACTS §1.5), so a search sees the newest version written at least `lag` ago.
 */
export interface Indexed<A> {
  readonly current: A
  readonly writtenAt: number
  /** Older versions, newest first, kept only while the index could still be showing them. */
  readonly previous: ReadonlyArray<{ readonly value: A; readonly writtenAt: number }>
}

export type BulkStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING"

export interface BulkOperation {
  readonly id: number
  readonly query: string
  readonly groupObjects: boolean
  readonly createdAt: number
  /** When it started, to the millisecond (createdAt shows whole seconds). */
  readonly startedAt: number
  /** When the operation finishes (or finished) on the emulator clock. */
  readonly finishesAt: number
  /**
   * The JSONL result, computed from the data as it was when the operation started; a large one is still
   * being written after the operation is created (its counts grow until `done`).
   */
  readonly result: BulkResult
  readonly resultKey: string
  readonly failure: { readonly errorCode: string; readonly atFraction: number } | null
  readonly canceledAt: number | null
  readonly expired: boolean
}

export interface Invite {
  readonly customerId: number
  readonly to: string
  readonly subject: string | null
  readonly sentAt: number
}

export interface StoreData {
  /** Bumped on every committed change; keys the sorted-view cache. */
  readonly version: number
  readonly customers: HashMap.HashMap<number, Indexed<Customer>>
  readonly orders: HashMap.HashMap<number, Indexed<Order>>
  readonly customerOrders: HashMap.HashMap<number, ReadonlyArray<number>>
  readonly emailIndex: HashMap.HashMap<string, number>
  readonly phoneIndex: HashMap.HashMap<string, number>
  readonly bulkOperations: ReadonlyArray<BulkOperation>
  readonly invites: ReadonlyArray<Invite>
  readonly nextOrderNumber: number
  /** Set through the control API: the next bulk operation fails this way. */
  readonly bulkFailNext: { readonly errorCode: string; readonly atFraction: number } | null
  /** Last id handed out per id family; ids grow by random multiples of 32768 like Shopify's. */
  readonly lastIds: Readonly<Record<IdFamily, number>>
  readonly random: SeededRandom.State
}

export type IdFamily =
  | "customer" | "address" | "order" | "lineItem" | "shippingLine" | "transaction" | "refund"
  | "refundLineItem" | "bulkOperation" | "metafield" | "job"

const idBases: Readonly<Record<IdFamily, number>> = {
  customer: 7_412_003_438_594,
  address: 9_205_176_516_626,
  order: 6_034_818_924_562,
  lineItem: 15_243_009_261_586,
  shippingLine: 4_921_583_255_570,
  transaction: 7_801_223_241_746,
  refund: 913_542_201_362,
  refundLineItem: 554_017_112_082,
  bulkOperation: 5_212_446_277_650,
  metafield: 31_877_520_310_290,
  job: 1
}

export const empty = (seed: number): StoreData => ({
  version: 0,
  customers: HashMap.empty(),
  orders: HashMap.empty(),
  customerOrders: HashMap.empty(),
  emailIndex: HashMap.empty(),
  phoneIndex: HashMap.empty(),
  bulkOperations: [],
  invites: [],
  nextOrderNumber: 1001,
  bulkFailNext: null,
  lastIds: idBases,
  random: SeededRandom.make(seed)
})

/** Allocates the next id of a family: monotonic, deterministic for a seed. */
export const allocateId = (data: StoreData, family: IdFamily): readonly [number, StoreData] => {
  const [step, random] = SeededRandom.intBetween(data.random, 1, 4)
  const id = data.lastIds[family] + (family === "job" ? 1 : step * 32768)
  return [id, { ...data, random, lastIds: { ...data.lastIds, [family]: id } }]
}

export const allocateIds = (data: StoreData, family: IdFamily, count: number): readonly [ReadonlyArray<number>, StoreData] => {
  const ids: Array<number> = []
  let next = data
  for (let i = 0; i < count; i++) {
    const [id, after] = allocateId(next, family)
    ids.push(id)
    next = after
  }
  return [ids, next]
}

/** Shopify stores timestamps to the second. */
export const truncateToSecond = (millis: number): number => Math.floor(millis / 1000) * 1000

export const getCustomer = (data: StoreData, id: number): Option.Option<Customer> =>
  Option.map(HashMap.get(data.customers, id), (e) => e.current)

export const getOrder = (data: StoreData, id: number): Option.Option<Order> =>
  Option.map(HashMap.get(data.orders, id), (e) => e.current)

/** Records a new version, keeping the older ones the search index may still show for `lagMillis`. */
export const writeIndexed = <A>(
  previous: Option.Option<Indexed<A>>,
  value: A,
  now: number,
  lagMillis: number
): Indexed<A> => {
  if (Option.isNone(previous) || lagMillis <= 0) return { current: value, writtenAt: now, previous: [] }
  const old = previous.value
  const history = [{ value: old.current, writtenAt: old.writtenAt }, ...old.previous]
  // Keep versions up to and including the first one already visible to the index at `now`.
  const kept: Array<{ readonly value: A; readonly writtenAt: number }> = []
  for (const version of history) {
    kept.push(version)
    if (version.writtenAt <= now - lagMillis) break
  }
  return { current: value, writtenAt: now, previous: kept }
}

/** The version the search index shows at `now`, if the record is indexed yet. */
export const indexedVersion = <A>(entry: Indexed<A>, now: number, lagMillis: number): Option.Option<A> => {
  if (lagMillis <= 0 || entry.writtenAt <= now - lagMillis) return Option.some(entry.current)
  for (const version of entry.previous) {
    if (version.writtenAt <= now - lagMillis) return Option.some(version.value)
  }
  return Option.none()
}

export const putCustomer = (data: StoreData, customer: Customer, now: number, lagMillis: number): StoreData => {
  const previous = HashMap.get(data.customers, customer.id)
  const before = Option.map(previous, (e) => e.current)
  let emailIndex = data.emailIndex
  let phoneIndex = data.phoneIndex
  if (Option.isSome(before) && before.value.email !== null) emailIndex = HashMap.remove(emailIndex, before.value.email)
  if (Option.isSome(before) && before.value.phone !== null) phoneIndex = HashMap.remove(phoneIndex, before.value.phone)
  if (customer.email !== null) emailIndex = HashMap.set(emailIndex, customer.email, customer.id)
  if (customer.phone !== null) phoneIndex = HashMap.set(phoneIndex, customer.phone, customer.id)
  return {
    ...data,
    version: data.version + 1,
    customers: HashMap.set(data.customers, customer.id, writeIndexed(previous, customer, now, lagMillis)),
    emailIndex,
    phoneIndex
  }
}

export const removeCustomer = (data: StoreData, customer: Customer): StoreData => ({
  ...data,
  version: data.version + 1,
  customers: HashMap.remove(data.customers, customer.id),
  emailIndex: customer.email === null ? data.emailIndex : HashMap.remove(data.emailIndex, customer.email),
  phoneIndex: customer.phone === null ? data.phoneIndex : HashMap.remove(data.phoneIndex, customer.phone),
  customerOrders: HashMap.remove(data.customerOrders, customer.id)
})

export const putOrder = (data: StoreData, order: Order, now: number, lagMillis: number): StoreData => {
  const previous = HashMap.get(data.orders, order.id)
  let customerOrders = data.customerOrders
  if (Option.isNone(previous) && order.customerId !== null) {
    const existing = Option.getOrElse(HashMap.get(customerOrders, order.customerId), (): ReadonlyArray<number> => [])
    customerOrders = HashMap.set(customerOrders, order.customerId, [...existing, order.id])
  }
  return {
    ...data,
    version: data.version + 1,
    orders: HashMap.set(data.orders, order.id, writeIndexed(previous, order, now, lagMillis)),
    customerOrders
  }
}

export const ordersOfCustomer = (data: StoreData, customerId: number): ReadonlyArray<Order> => {
  const ids = Option.getOrElse(HashMap.get(data.customerOrders, customerId), (): ReadonlyArray<number> => [])
  const out: Array<Order> = []
  for (const id of ids) {
    const o = getOrder(data, id)
    if (Option.isSome(o)) out.push(o.value)
  }
  return out
}
