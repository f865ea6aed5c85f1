// Money as integer cents (bigint) for the sale arithmetic, converted exactly from and to BigDecimal at
// the edges, and split across parts without losing a cent.
import { BigDecimal, Option } from "effect"

export type Cents = bigint

/** The amount in cents, or none when it has more than two decimals (it cannot be stored exactly). */
export const fromBigDecimal = (amount: BigDecimal.BigDecimal): Option.Option<Cents> => {
  const n = BigDecimal.normalize(amount)
  if (n.scale > 2) return Option.none()
  return Option.some(n.value * 10n ** BigInt(2 - n.scale))
}

export const toBigDecimal = (cents: Cents): BigDecimal.BigDecimal => BigDecimal.make(cents, 2)

/** `1234n` → `"12.34"`, `-5n` → `"-0.05"`. */
export const format = (cents: Cents): string => {
  const sign = cents < 0n ? "-" : ""
  const abs = cents < 0n ? -cents : cents
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`
}

export const sum = (amounts: Iterable<Cents>): Cents => {
  let total = 0n
  for (const a of amounts) total += a
  return total
}

/** Ceiling of a / b for b > 0. */
export const ceilDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b
  return q * b === a || a < 0n ? q : q + 1n
}

/**
 * Splits `amount` across parts in proportion to `weights` (negative weights count as zero), by the
 * largest-remainder method: each part gets its floor, and the cents left over go one each to the
 * parts with the largest remainders, ties to the earlier part. The parts always sum to `amount`.
 * With no positive weight everything goes to the first part.
 */
export const allocate = (amount: Cents, weights: ReadonlyArray<bigint>): ReadonlyArray<Cents> => {
  if (weights.length === 0) return []
  if (amount < 0n) return allocate(-amount, weights).map((a) => -a)
  const clipped = weights.map((w) => (w > 0n ? w : 0n))
  const total = sum(clipped)
  if (total === 0n) return clipped.map((_, i) => (i === 0 ? amount : 0n))
  const shares = clipped.map((w) => (amount * w) / total)
  const remainders = clipped.map((w, i) => ({ i, r: (amount * w) % total }))
  let left = amount - sum(shares)
  const order = [...remainders].sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  const result = [...shares]
  for (const { i } of order) {
    if (left === 0n) break
    result[i] = (result[i] ?? 0n) + 1n
    left -= 1n
  }
  return result
}
