// Phone normalisation as Shopify applies it to customers (FACTS §1.4): input is reduced to E.164
// ("+1 (613) 450-5293" → "+16134505293"), letters make it invalid, and digits without "+" need a
// country (the address's, else the shop's). Validity follows libphonenumber, which Shopify also uses.
import { Option } from "effect"
import { type CountryCode, parsePhoneNumberWithError } from "libphonenumber-js"

export const maxLength = 255

const separators = /[\s\-.()/]/g

/** The E.164 form of `raw`, or none when Shopify would answer "Phone is invalid". */
export const normalize = (raw: string, defaultCountry: string | undefined): Option.Option<string> => {
  const compact = raw.trim().replace(separators, "")
  if (compact.length === 0 || compact.length > maxLength) return Option.none()
  if (!/^\+?\d+$/.test(compact)) return Option.none()
  try {
    const parsed = compact.startsWith("+")
      ? parsePhoneNumberWithError(compact)
      : defaultCountry === undefined
      ? undefined
      : parsePhoneNumberWithError(compact, defaultCountry as CountryCode)
    if (parsed === undefined || !parsed.isValid()) return Option.none()
    return Option.some(parsed.number)
  } catch {
    return Option.none()
  }
}

/** How Shopify shows a phone-only customer's displayName: "+1 415-810-3301" for NANP numbers. */
export const display = (e164: string): string => {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164)
  if (nanp !== null) return `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}`
  try {
    return parsePhoneNumberWithError(e164).formatInternational()
  } catch {
    return e164
  }
}
