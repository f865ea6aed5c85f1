// Exact money for the Edge database: DECIMAL(12,2) on MySQL, canonical two-decimal text on SQLite.
// An amount is written only if it is exactly representable (at most two decimals after removing
// trailing zeros, at most ten integer digits); anything else is refused, never rounded.
import { BigDecimal, Option, ParseResult, Schema } from "effect"

const powers: Array<bigint> = Array.from({ length: 40 }, (_, n) => 10n ** BigInt(n))
const pow10 = (n: number): bigint => powers[n] ?? 10n ** BigInt(n)

/**
 * Canonical text of `value` at exactly `scale` decimals, if that loses nothing and fits `precision`
 * digits. (Plain bigint arithmetic: this runs for every amount of every web sale.)
 */
export const toFixedExact = (value: BigDecimal.BigDecimal, precision: number, scale: number): Option.Option<string> => {
  let digits: bigint
  if (value.scale === scale) {
    digits = value.value
  } else if (value.scale < scale) {
    digits = value.value * pow10(scale - value.scale)
  } else {
    const factor = pow10(value.scale - scale)
    if (value.value % factor !== 0n) return Option.none()
    digits = value.value / factor
  }
  const negative = digits < 0n
  const abs = negative ? -digits : digits
  if (abs >= pow10(precision)) return Option.none()
  const text = abs.toString().padStart(scale + 1, "0")
  const fixed = scale === 0 ? text : `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`
  return Option.some(negative ? `-${fixed}` : fixed)
}

/** DECIMAL(12,2): the columns of every amount in the Edge schema. */
export const toDecimal12_2 = (value: BigDecimal.BigDecimal): Option.Option<string> => toFixedExact(value, 12, 2)

/** DECIMAL(9,6): tax rates (0.0825 for 8.25 %). */
export const toDecimal9_6 = (value: BigDecimal.BigDecimal): Option.Option<string> => toFixedExact(value, 9, 6)

/** Integer cents to BigDecimal (cents are what SQL sums come back as). */
export const fromCents = (cents: bigint | number): BigDecimal.BigDecimal =>
  BigDecimal.make(typeof cents === "bigint" ? cents : BigInt(Math.trunc(cents)), 2)

/**
 * A money column as read: MySQL DECIMAL arrives as a string (mysql2 keeps DECIMAL as text), SQLite as
 * our canonical text. A number here would already have lost exactness, so it is refused.
 */
export const MoneyFromColumn = Schema.transformOrFail(Schema.String, Schema.BigDecimalFromSelf, {
  strict: true,
  decode: (text, _, ast) =>
    Option.match(BigDecimal.fromString(text), {
      onNone: () => ParseResult.fail(new ParseResult.Type(ast, text, `not a decimal amount: ${JSON.stringify(text)}`)),
      onSome: ParseResult.succeed
    }),
  encode: (value) => ParseResult.succeed(BigDecimal.format(value))
}).annotations({ identifier: "MoneyFromColumn" })
