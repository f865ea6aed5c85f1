// Customer email normalisation and validation as Shopify applies it (FACTS §1.4, §1.7): whitespace is
// stripped everywhere, uniqueness and lookups are case-insensitive, and "foo@", "@bar.com", "foo@bar"
// and "foo@@bar.com" are invalid.

/** Removes every whitespace character and lower-cases, the form Shopify stores and compares. */
export const normalize = (raw: string): string => raw.replace(/\s+/g, "").toLowerCase()

const pattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/

export const maxLength = 255

/** Validity of an already normalised address; over-long addresses are also invalid (captured). */
export const isValid = (normalized: string): boolean => {
  if (normalized.length > maxLength) return false
  const at = normalized.indexOf("@")
  if (at < 1 || at > 64) return false
  if (normalized.startsWith(".") || normalized.includes("..")) return false
  return pattern.test(normalized)
}
