// Turns a `MailingAddressInput` into a stored address the way Shopify does: strings trimmed and
// blanks dropped, `countryCode: "CA", provinceCode: "ON"` read back as country "Canada" and province
// "Ontario" (FACTS §1.4); the deprecated `country` / `province` names are accepted too.
import * as Geography from "./Geography.js"
import { countryCodes } from "./EnumValues.js"
import type * as StoreModel from "./StoreModel.js"

export interface Input {
  readonly address1?: string | null
  readonly address2?: string | null
  readonly city?: string | null
  readonly company?: string | null
  readonly country?: string | null
  readonly countryCode?: string | null
  readonly firstName?: string | null
  readonly id?: string | null
  readonly lastName?: string | null
  readonly phone?: string | null
  readonly province?: string | null
  readonly provinceCode?: string | null
  readonly zip?: string | null
}

export const clean = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null
  const trimmed = value.trim()
  return trimmed.length === 0 ? null : trimmed
}

/** The address `input` describes, merged over `base` (for updates in place). */
export const toAddress = (id: number, input: Input, base?: StoreModel.Address): StoreModel.Address => {
  const pick = (key: keyof Input & keyof StoreModel.Address): string | null =>
    key in input ? clean(input[key] as string | null | undefined) : base?.[key] as string | null ?? null
  let countryCode: string | null = base?.countryCode ?? null
  if ("countryCode" in input) countryCode = clean(input.countryCode)?.toUpperCase() ?? null
  else if ("country" in input) {
    const given = clean(input.country)
    countryCode = given === null ? null : Geography.countryCodeOf(given, countryCodes) ?? null
  }
  let provinceCode: string | null = base?.provinceCode ?? null
  let provinceFree: string | null = base?.province ?? null
  const provinceGiven = "provinceCode" in input ? clean(input.provinceCode) : "province" in input ? clean(input.province) : undefined
  if (provinceGiven !== undefined) {
    provinceFree = provinceGiven
    provinceCode = provinceGiven === null
      ? null
      : countryCode !== null && Geography.hasProvinces(countryCode)
      ? Geography.provinceCodeOf(countryCode, provinceGiven) ?? provinceGiven.toUpperCase()
      : provinceGiven
  }
  const country = countryCode === null ? null : Geography.countryName(countryCode) ?? countryCode
  const province = provinceCode === null
    ? null
    : countryCode !== null && Geography.hasProvinces(countryCode)
    ? Geography.provinceName(countryCode, provinceCode) ?? provinceFree
    : provinceFree
  return {
    id,
    firstName: pick("firstName"),
    lastName: pick("lastName"),
    company: pick("company"),
    address1: pick("address1"),
    address2: pick("address2"),
    city: pick("city"),
    zip: pick("zip"),
    phone: pick("phone"),
    countryCode,
    country,
    provinceCode,
    province
  }
}

/** "Ottawa ON, Canada"; "Ottawa, Canada" without a province (captured). */
export const formattedArea = (a: StoreModel.Address): string | null => {
  const cityPart = [a.city, a.provinceCode].filter((x): x is string => x !== null && x.length > 0).join(" ")
  const parts = [cityPart, a.country ?? ""].filter((x) => x.length > 0)
  return parts.length === 0 ? null : parts.join(", ")
}

export const fullName = (a: StoreModel.Address): string | null => {
  const name = [a.firstName, a.lastName].filter((x): x is string => x !== null && x.length > 0).join(" ")
  return name.length === 0 ? null : name
}

/** The lines Shopify prints on labels: street, "City PROV ZIP", country. */
export const formatted = (a: StoreModel.Address, withName: boolean, withCompany: boolean): ReadonlyArray<string> => {
  const lines: Array<string | null> = []
  if (withName) lines.push(fullName(a))
  if (withCompany) lines.push(a.company)
  lines.push(a.address1, a.address2)
  const locality = [a.city, a.provinceCode, a.zip].filter((x): x is string => x !== null && x.length > 0).join(" ")
  lines.push(locality.length > 0 ? locality : null, a.country)
  return lines.filter((x): x is string => x !== null && x.length > 0)
}
