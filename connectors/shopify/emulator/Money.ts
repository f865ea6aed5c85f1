// Exact money for the emulator: Shopify `Decimal` amounts parsed into BigDecimal and written back the
// way Shopify serialises them ("42.5", "5.0", "0.0": trailing zeros trimmed, at least one decimal;
// FACTS §1.4). Never a JS number.
import { BigDecimal, Option } from "effect"

export type Amount = BigDecimal.BigDecimal

export const zero: Amount = BigDecimal.unsafeFromString("0")

const decimalPattern = /^-?\d+(\.\d+)?$/

/** Parses a Decimal input (a string such as "12.00", or a JSON number) as Shopify accepts it. */
export const parse = (input: unknown): Option.Option<Amount> => {
  const text = typeof input === "number" && Number.isFinite(input)
    ? String(input)
    : typeof input === "string"
    ? input.trim()
    : undefined
  if (text === undefined || !decimalPattern.test(text)) return Option.none()
  return BigDecimal.fromString(text)
}

export const unsafeParse = (text: string): Amount => BigDecimal.unsafeFromString(text)

/** "42.50" → "42.5", "5" → "5.0", "0" → "0.0" (Shopify's Decimal serialisation). */
export const format = (amount: Amount): string => {
  const text = BigDecimal.format(BigDecimal.normalize(amount))
  return text.includes(".") ? text : `${text}.0`
}

/** Two decimals, as REST payloads and Shopify's user error messages show money ("$35.00"). */
export const formatFixed2 = (amount: Amount): string => {
  const rounded = BigDecimal.round(amount, { scale: 2, mode: "half-from-zero" })
  const text = BigDecimal.format(rounded)
  const [whole, fraction = ""] = text.split(".")
  return `${whole}.${fraction.padEnd(2, "0")}`
}

export const add = (a: Amount, b: Amount): Amount => BigDecimal.sum(a, b)
export const subtract = (a: Amount, b: Amount): Amount => BigDecimal.subtract(a, b)
export const multiply = (a: Amount, b: Amount): Amount => BigDecimal.multiply(a, b)
export const sum = (amounts: Iterable<Amount>): Amount => {
  let total = zero
  for (const a of amounts) total = BigDecimal.sum(total, a)
  return total
}
export const fromInteger = (n: number): Amount => BigDecimal.fromBigInt(BigInt(Math.trunc(n)))
export const isPositive = BigDecimal.isPositive
export const isZero = BigDecimal.isZero
export const greaterThan = BigDecimal.greaterThan
export const lessThan = BigDecimal.lessThan
export const min = BigDecimal.min
export const max = BigDecimal.max
export const equals = BigDecimal.equals

/** Rounds to the currency's minor unit (half away from zero, as shop receipts do). */
export const roundTo = (amount: Amount, scale: number): Amount =>
  BigDecimal.round(amount, { scale, mode: "half-from-zero" })

/** `a / b` rounded to `scale` decimals; `b` must not be zero. */
export const divide = (a: Amount, b: Amount, scale: number): Amount =>
  roundTo(BigDecimal.unsafeDivide(a, b), scale)

/** Minor-unit digits per currency; Shopify uses ISO 4217 exponents (JPY 0, most others 2). */
export const currencyScale = (currency: string): number =>
  currency === "JPY" || currency === "KRW" || currency === "VND" || currency === "CLP" || currency === "ISK" ? 0 : 2

/** A number for sorting and range filters only (never for arithmetic). */
export const toSortNumber = (amount: Amount): number => BigDecimal.unsafeToNumber(amount)

/** A money amount in one currency. */
export interface Money {
  readonly amount: Amount
  readonly currencyCode: string
}

/** Shop and presentment amounts of the same value (Shopify's MoneyBag). */
export interface Bag {
  readonly shop: Amount
  readonly presentment: Amount
}

export const bagZero: Bag = { shop: zero, presentment: zero }
export const bagAdd = (a: Bag, b: Bag): Bag => ({ shop: add(a.shop, b.shop), presentment: add(a.presentment, b.presentment) })
export const bagSubtract = (a: Bag, b: Bag): Bag => ({
  shop: subtract(a.shop, b.shop),
  presentment: subtract(a.presentment, b.presentment)
})
export const bagSum = (bags: Iterable<Bag>): Bag => {
  let total = bagZero
  for (const b of bags) total = bagAdd(total, b)
  return total
}
export const bagScale = (bag: Bag, factor: Amount, shopScale: number, presentmentScale: number): Bag => ({
  shop: roundTo(multiply(bag.shop, factor), shopScale),
  presentment: roundTo(multiply(bag.presentment, factor), presentmentScale)
})
export const bagClampAtZero = (bag: Bag): Bag => ({ shop: max(bag.shop, zero), presentment: max(bag.presentment, zero) })
