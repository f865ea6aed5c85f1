// The emulated shop's own settings: currency, country (the phone-number default), primary locale,
// staff, and the switches a real shop has (legacy customer accounts for invites). Defaults follow the
// dev store the captures were recorded on (a Canadian shop in CAD).

export interface ShopSettings {
  readonly id: number
  readonly name: string
  readonly myshopifyDomain: string
  readonly email: string
  readonly currencyCode: string
  readonly countryCode: string
  readonly primaryLocale: string
  readonly ianaTimezone: string
  readonly timezoneAbbreviation: string
  readonly enabledPresentmentCurrencies: ReadonlyArray<string>
  /** Staff addresses; only these may be bcc'd on an account invite (captured). */
  readonly staffEmails: ReadonlyArray<string>
  /** Legacy customer accounts enabled: account invites can be sent. */
  readonly invitesEnabled: boolean
  /** `sourceName` of orders created through the API without one: the app's API client id. */
  readonly apiClientId: string
  readonly accessScopes: ReadonlyArray<string>
}

export const defaults: ShopSettings = {
  id: 92891250994,
  name: "Edge Emulator Jewelers",
  myshopifyDomain: "edge-emulator.myshopify.com",
  email: "owner@edge-emulator.example.com",
  currencyCode: "CAD",
  countryCode: "CA",
  primaryLocale: "en",
  ianaTimezone: "America/Toronto",
  timezoneAbbreviation: "EST",
  enabledPresentmentCurrencies: ["CAD", "USD", "EUR"],
  staffEmails: ["owner@edge-emulator.example.com"],
  invitesEnabled: true,
  apiClientId: "5966791",
  accessScopes: ["read_customers", "write_customers", "read_orders", "write_orders", "read_all_orders"]
}
