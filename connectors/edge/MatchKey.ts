// The normalized keys customers are matched on: an email compared without case or surrounding
// whitespace, and a phone as E.164. A match is equality of keys and nothing else, so a phone that merely
// shares digits with another, or an email that shares a token, never matches.
import { Option } from "effect"
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js"

export type MatchKind = "email" | "phone"

// One `@`, something on both sides, no whitespace inside: anything else cannot be a Shopify email.
const emailShape = /^[^\s@]+@[^\s@]+$/u

/** `"  John.Smith@Example.COM "` → `john.smith@example.com`; none when blank or not an address. */
export const email = (raw: string | null | undefined): Option.Option<string> => {
  if (raw === null || raw === undefined) return Option.none()
  const key = raw.normalize("NFC").trim().toLowerCase()
  return emailShape.test(key) ? Option.some(key) : Option.none()
}

/**
 * `"(555) 123-4567 ext. 12"` → `+15551234567` with `defaultCountry` US. The extension is dropped (it
 * names a desk, not a line). A text that is not a possible number for its country (a missing area code,
 * too many digits, words) has no key.
 *
 * `isPossible` rather than `isValid`: the fictional 555 exchange staff and test data use fails
 * libphonenumber's range check but is a number people type and Shopify accepts.
 */
export const phone = (raw: string | null | undefined, defaultCountry: CountryCode): Option.Option<string> => {
  if (raw === null || raw === undefined) return Option.none()
  const text = raw.normalize("NFC").trim()
  if (text === "") return Option.none()
  // Fast path for the plain North American forms that make up most of the data ("(555) 123-4567",
  // "555.123.4567", "+1 555 123 4567", "1-555-123-4567"): libphonenumber gives +1 and the ten digits for
  // these (a test checks it on a corpus), and parsing costs ~20 µs a number, which a 100,000-customer
  // index build feels. Everything else goes to libphonenumber.
  if (defaultCountry === "US" || defaultCountry === "CA" || text.startsWith("+1")) {
    const plain = northAmerican.exec(text)
    if (plain !== null) return Option.some(`+1${plain[1] ?? plain[2]}${plain[3]}${plain[4]}`)
  }
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false })
  return parsed !== undefined && parsed.isPossible() ? Option.some(parsed.number) : Option.none()
}

// Optional +1 / 1 prefix, an area code starting 2-9 (optionally in parentheses), 3 + 4 digits, with
// single spaces, dots or dashes between groups. Nothing else (no extension, no letters).
const northAmerican = /^(?:\+?1[ .-]?)?(?:\(([2-9]\d{2})\)|([2-9]\d{2}))[ .-]?(\d{3})[ .-]?(\d{4})$/

/** A supported ISO 3166 alpha-2 code, upper-cased; none for anything else. */
export const country = (raw: string | null | undefined): Option.Option<CountryCode> => {
  const code = (raw ?? "").trim().toUpperCase()
  return isSupportedCountry(code) ? Option.some(code) : Option.none()
}
