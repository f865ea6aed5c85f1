// Country and province names for address normalisation: Shopify reads back `countryCode: "CA",
// provinceCode: "ON"` as country "Canada", province "Ontario" and formattedArea "Ottawa ON, Canada"
// (FACTS §1.4). Country names come from the ICU data in Node; provinces are listed for the countries
// the emulator seeds (Canada, United States).

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" })

export const countryName = (code: string): string | undefined => {
  try {
    const name = regionNames.of(code.toUpperCase())
    return name === undefined || name === code.toUpperCase() ? undefined : name
  } catch {
    return undefined
  }
}

const canada: Readonly<Record<string, string>> = {
  AB: "Alberta", BC: "British Columbia", MB: "Manitoba", NB: "New Brunswick", NL: "Newfoundland and Labrador",
  NS: "Nova Scotia", NT: "Northwest Territories", NU: "Nunavut", ON: "Ontario", PE: "Prince Edward Island",
  QC: "Quebec", SK: "Saskatchewan", YT: "Yukon"
}

const unitedStates: Readonly<Record<string, string>> = {
  AL: "Alabama", AK: "Alaska", AZ: "Arizona", AR: "Arkansas", CA: "California", CO: "Colorado",
  CT: "Connecticut", DE: "Delaware", DC: "District of Columbia", FL: "Florida", GA: "Georgia", HI: "Hawaii",
  ID: "Idaho", IL: "Illinois", IN: "Indiana", IA: "Iowa", KS: "Kansas", KY: "Kentucky", LA: "Louisiana",
  ME: "Maine", MD: "Maryland", MA: "Massachusetts", MI: "Michigan", MN: "Minnesota", MS: "Mississippi",
  MO: "Missouri", MT: "Montana", NE: "Nebraska", NV: "Nevada", NH: "New Hampshire", NJ: "New Jersey",
  NM: "New Mexico", NY: "New York", NC: "North Carolina", ND: "North Dakota", OH: "Ohio", OK: "Oklahoma",
  OR: "Oregon", PA: "Pennsylvania", RI: "Rhode Island", SC: "South Carolina", SD: "South Dakota",
  TN: "Tennessee", TX: "Texas", UT: "Utah", VT: "Vermont", VA: "Virginia", WA: "Washington",
  WV: "West Virginia", WI: "Wisconsin", WY: "Wyoming", PR: "Puerto Rico", GU: "Guam", VI: "Virgin Islands",
  AS: "American Samoa", MP: "Northern Mariana Islands", AA: "Armed Forces Americas", AE: "Armed Forces Europe",
  AP: "Armed Forces Pacific"
}

const provincesByCountry: Readonly<Record<string, Readonly<Record<string, string>>>> = { CA: canada, US: unitedStates }

export const hasProvinces = (countryCode: string): boolean => countryCode in provincesByCountry

export const provinceName = (countryCode: string, provinceCode: string): string | undefined =>
  provincesByCountry[countryCode]?.[provinceCode.toUpperCase()]

/** The code for a province given by name or code (the deprecated `province` input takes names). */
export const provinceCodeOf = (countryCode: string, nameOrCode: string): string | undefined => {
  const table = provincesByCountry[countryCode]
  if (table === undefined) return undefined
  const upper = nameOrCode.trim().toUpperCase()
  if (upper in table) return upper
  for (const [code, name] of Object.entries(table)) if (name.toUpperCase() === upper) return code
  return undefined
}

/** The code for a country given by its English name or code (the deprecated `country` input). */
export const countryCodeOf = (nameOrCode: string, knownCodes: ReadonlyArray<string>): string | undefined => {
  const trimmed = nameOrCode.trim()
  const upper = trimmed.toUpperCase()
  if (upper.length === 2 && knownCodes.includes(upper)) return upper
  for (const code of knownCodes) if (countryName(code)?.toUpperCase() === upper) return code
  return undefined
}
