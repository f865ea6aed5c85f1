// How contact values are normalized before they are compared, so that two values differing only in
// formatting (case of an email, punctuation of a phone, stray spaces) count as the same value.
import { Option } from "effect"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js"

/** Trims, collapses inner whitespace and composes Unicode (NFC); blank is none. */
export const text = (raw: string | null | undefined): Option.Option<string> => {
  if (raw === null || raw === undefined) return Option.none()
  const cleaned = raw.normalize("NFC").replace(/\s+/gu, " ").trim()
  return cleaned === "" ? Option.none() : Option.some(cleaned)
}

/**
 * An email as Shopify compares it: case-insensitive, surrounding whitespace ignored (FACTS §1.4). Inner
 * whitespace is kept, so that "a b@x.com" never equals "ab@x.com".
 */
export const email = (raw: string | null | undefined): Option.Option<string> =>
  Option.flatMap(Option.fromNullable(raw), (value) => {
    const cleaned = value.normalize("NFC").trim().toLowerCase()
    return cleaned === "" ? Option.none() : Option.some(cleaned)
  })

/**
 * A phone in E.164 (`+15551234567`), the form Shopify stores. Numbers typed without a country code
 * take `defaultCountry`; an extension is dropped (it does not identify a line). A text that is not a
 * possible number (too short, too long, words) is none, so a phone that merely shares digits with
 * another never compares equal to it.
 *
 * `isPossible` rather than `isValid`: the fictional 555 exchange that staff and test data use fails
 * libphonenumber's range check but is a number people type and Shopify accepts.
 */
export const phone = (raw: string | null | undefined, defaultCountry: string): Option.Option<string> =>
  Option.flatMap(text(raw), (value) => {
    const parsed = parsePhoneNumberFromString(value, { defaultCountry: defaultCountry as CountryCode, extract: false })
    return parsed !== undefined && parsed.isPossible() ? Option.some(parsed.number) : Option.none()
  })

/** The kinds of contact field, each compared in its own way. */
export type FieldKind = "text" | "email" | "phone" | "code"

/**
 * The comparison form of a field value. Phones that are not possible numbers fall back to their
 * digits, so a reformatting of even an odd number is not a change.
 */
export const comparable = (kind: FieldKind, raw: string | null | undefined, defaultCountry: string): Option.Option<string> => {
  switch (kind) {
    case "email":
      return email(raw)
    case "phone":
      return Option.orElse(phone(raw, defaultCountry), () =>
        Option.flatMap(text(raw), (value) => {
          const digits = value.replace(/\D/gu, "")
          return digits === "" ? Option.some(value) : Option.some(digits)
        }))
    case "code":
      // Country and province codes, postal codes: "on" and "ON", "k1a 0b1" and "K1A 0B1" are one value.
      return Option.map(text(raw), (value) => value.toUpperCase())
    case "text":
      return text(raw)
  }
}
