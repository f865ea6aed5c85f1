// Deterministic sample data for an Edge database: stores, items, customers typed the many ways staff
// type them, households and duplicates sharing phones and emails, and POS sales history. Pure: the same
// seed and sizes give the same rows, whatever the database.
import { timestamp } from "./sql/Dialect.js"
import type { SeedCustomerRow } from "./sql/CustomerStatements.js"
import type { ItemWrite } from "./sql/ItemStatements.js"
import type { LineWrite, SaleWrite, TenderWrite } from "./sql/SaleStatements.js"
import type { StoreWrite } from "./sql/StoreStatements.js"

/** A small, fast, seedable PRNG (mulberry32): good enough for sample data, identical on every platform. */
export const random = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const pickFrom = <A>(next: () => number, list: ReadonlyArray<A>): A => list[Math.floor(next() * list.length)]!
const chance = (next: () => number, p: number): boolean => next() < p

const firstNames = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
  "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa",
  "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven",
  "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
  "Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah", "José", "Zoë", "Renée", "François", "Søren",
  "Siobhán", "Mei", "Priya", "Ahmed", "Olga"
]
const lastNames = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
  "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
  "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "Müller", "Ørsted", "D'Angelo", "Kowalski"
]
const streets = [
  "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Washington Blvd", "Lake Shore Dr", "Park Ave",
  "Sunset Blvd", "Highland Ave", "Church St", "Mill Rd", "River Rd", "Hillcrest Dr"
]
interface Place {
  readonly city: string
  readonly state: string
  readonly postal: (next: () => number) => string
  readonly country: string
  readonly areaCodes: ReadonlyArray<string>
}
const digits = (next: () => number, n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join("")
const usPlaces: ReadonlyArray<Place> = [
  ["New York", "NY", "100", ["212", "646"]],
  ["Chicago", "IL", "606", ["312", "773"]],
  ["San Francisco", "CA", "941", ["415"]],
  ["Boston", "MA", "021", ["617"]],
  ["Houston", "TX", "770", ["713", "832"]],
  ["Springfield", "IL", "627", ["555"]],
  ["Denver", "CO", "802", ["303", "720"]],
  ["Atlanta", "GA", "303", ["404", "678"]]
].map(([city, state, zip, areaCodes]) => ({
  city: city as string,
  state: state as string,
  postal: (next: () => number) => `${zip as string}${digits(next, 2)}`,
  country: "US",
  areaCodes: areaCodes as ReadonlyArray<string>
}))
const caPlaces: ReadonlyArray<Place> = [
  { city: "Toronto", state: "ON", postal: (n) => `M5V ${digits(n, 1)}A${digits(n, 1)}`, country: "CA", areaCodes: ["416", "647"] },
  { city: "Montréal", state: "QC", postal: (n) => `H2X ${digits(n, 1)}Y${digits(n, 1)}`, country: "CA", areaCodes: ["514"] }
]
const gbPlaces: ReadonlyArray<Place> = [
  { city: "London", state: "", postal: (n) => `SW1A ${digits(n, 1)}AA`, country: "GB", areaCodes: ["20"] }
]
const emailDomains = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "comcast.net", "example.com"]
const storeNames = ["Main Street", "Riverside Mall", "Downtown", "Lakeside Plaza", "Airport", "Harbor Point", "Old Town", "Westfield"]
const categories = [
  ["RG", "Ring", 14_900, 899_900],
  ["NK", "Necklace", 7_900, 499_900],
  ["ER", "Earrings", 4_900, 299_900],
  ["BR", "Bracelet", 5_900, 399_900],
  ["WT", "Watch", 19_900, 999_900],
  ["PD", "Pendant", 6_900, 249_900]
] as const
const metals = ["14K Yellow Gold", "14K White Gold", "18K Rose Gold", "Sterling Silver", "Platinum"]
const stones = ["Diamond", "Sapphire", "Ruby", "Emerald", "Pearl", "Opal", "Tanzanite", "Aquamarine"]
const styles = ["Solitaire", "Halo", "Eternity", "Vintage", "Tennis", "Drop", "Stud", "Cluster", "Three-Stone"]
const tenders = ["cash", "visa", "mastercard", "amex", "discover", "check", "layaway"]

export interface SeedSizes {
  readonly seed: number
  /** Retail stores (numbered 1..n); web store 98 is always added, licensed. */
  readonly stores: number
  readonly items: number
  readonly customers: number
  readonly sales: number
  /** Share of customers flagged "Assign to Web Upload". */
  readonly webUploadShare: number
}

export const webStoreNo = 98

export const stores = (sizes: SeedSizes): ReadonlyArray<StoreWrite> => [
  ...Array.from({ length: sizes.stores }, (_, i): StoreWrite => ({
    store_no: i + 1,
    name: storeNames[i % storeNames.length]! + (i >= storeNames.length ? ` ${Math.floor(i / storeNames.length) + 1}` : ""),
    kind: "retail",
    licensed: 1
  })),
  { store_no: webStoreNo, name: "Web Store", kind: "web", licensed: 1 }
]

/** Prices in cents, by item index. */
export const items = (sizes: SeedSizes): ReadonlyArray<ItemWrite & { readonly cents: number }> => {
  const next = random(sizes.seed * 7919 + 1)
  return Array.from({ length: sizes.items }, (_, i) => {
    const [code, noun, min, max] = pickFrom(next, categories)
    const cents = Math.round((min + next() * (max - min)) / 100) * 100 - 1 // prices end in .99
    return {
      sku: `${code}-${String(10_001 + i)}`,
      description: `${pickFrom(next, metals)} ${pickFrom(next, stones)} ${pickFrom(next, styles)} ${noun}`,
      price: centsText(cents),
      cents
    }
  })
}

export const centsText = (cents: number): string => {
  const sign = cents < 0 ? "-" : ""
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

// Subscriber numbers from the customer index through an affine permutation: every generated number is
// distinct, so customers share a phone only where the seed means them to (households, duplicates).
const lineNumber = (i: number): string => String((i * 7_919 + 1_234_567) % 10_000_000).padStart(7, "0")

/** The ways staff type a phone. */
const formatPhone = (next: () => number, area: string, line: string, country: string): string => {
  const [a, b] = [line.slice(0, 3), line.slice(3)]
  if (country === "GB") return pickFrom(next, [`+44 ${area} ${a}${b.slice(0, 1)} ${b.slice(1)}`, `0${area} ${a}${b.slice(0, 1)} ${b.slice(1)}`])
  const formats = [
    `(${area}) ${a}-${b}`,
    `${area}.${a}.${b}`,
    `+1 ${area} ${a} ${b}`,
    `${area}-${a}-${b}`,
    `${area}${a}${b}`,
    `1-${area}-${a}-${b}`,
    `(${area})${a}-${b}`,
    `${area}-${a}-${b} ext. ${1 + Math.floor(next() * 300)}`,
    `${area} ${a} ${b} x${10 + Math.floor(next() * 90)}`,
    `${a}-${b}` // no area code: matches nothing
  ]
  const weights = [24, 14, 10, 18, 8, 4, 4, 6, 4, 8]
  let roll = next() * weights.reduce((s, w) => s + w, 0)
  for (let i = 0; i < formats.length; i++) {
    roll -= weights[i]!
    if (roll < 0) return formats[i]!
  }
  return formats[0]!
}

const strayEmail = (next: () => number, email: string): string => {
  const roll = next()
  if (roll < 0.08) return email.replace(/^./, (c) => c.toUpperCase()).replace(/@(.)/, (_, c: string) => `@${c.toUpperCase()}`)
  if (roll < 0.12) return ` ${email} `
  if (roll < 0.15) return email.toUpperCase()
  if (roll < 0.17) return `${email} `
  return email
}

const ascii = (text: string) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z]/g, "").toLowerCase()

export interface CustomerSeedStats {
  households: number
  duplicates: number
  flagged: number
}

/**
 * Customers `from` (0-based, inclusive) to `to` (exclusive), with ids `firstId + i`. Generation for
 * index i depends only on the seed and i, so chunks can be generated independently.
 */
export const customers = (
  sizes: SeedSizes,
  firstId: number,
  from: number,
  to: number,
  now: Date,
  stats: CustomerSeedStats
): ReadonlyArray<SeedCustomerRow> => {
  const rows: Array<SeedCustomerRow> = []
  const fiveYears = 5 * 365 * 86_400_000
  const built = new Map<number, SeedCustomerRow>()
  const build = (i: number): SeedCustomerRow => {
    const cached = built.get(i)
    if (cached !== undefined) return cached
    const next = random(sizes.seed * 1_000_003 + i * 2_654_435_761)
    const roll = next()
    const place = roll < 0.9 ? pickFrom(next, usPlaces) : roll < 0.96 ? pickFrom(next, caPlaces) : pickFrom(next, gbPlaces)
    const first = pickFrom(next, firstNames)
    const last = pickFrom(next, lastNames)
    const area = pickFrom(next, place.areaCodes)
    const email = chance(next, 0.92)
      ? strayEmail(next, `${ascii(first)}.${ascii(last)}${i}@${pickFrom(next, emailDomains)}`)
      : null
    const created = new Date(now.getTime() - 30 * 86_400_000 - Math.floor(next() * fiveYears))
    const updated = new Date(created.getTime() + Math.floor(next() * (now.getTime() - 86_400_000 - created.getTime())))
    const row: SeedCustomerRow = {
      customer_id: firstId + i,
      first_name: first,
      last_name: last,
      company: chance(next, 0.05) ? `${last} & Co.` : null,
      email,
      phone_cell: chance(next, 0.8) ? formatPhone(next, area, lineNumber(3 * i), place.country) : null,
      phone_home: chance(next, 0.35) ? formatPhone(next, area, lineNumber(3 * i + 1), place.country) : null,
      phone_work: chance(next, 0.12) ? formatPhone(next, pickFrom(next, place.areaCodes), lineNumber(3 * i + 2), place.country) : null,
      address1: `${1 + Math.floor(next() * 9_899)} ${pickFrom(next, streets)}`,
      address2: chance(next, 0.1) ? `Apt ${1 + Math.floor(next() * 40)}` : null,
      city: place.city,
      state: place.state === "" ? null : place.state,
      postal_code: place.postal(next),
      country: chance(next, 0.97) ? place.country : null,
      notes: chance(next, 0.1) ? pickFrom(next, ["Ring size 6", "Prefers white gold", "Anniversary in June", "VIP", "Call before delivery"]) : null,
      web_upload: chance(next, sizes.webUploadShare) ? 1 : 0,
      created_at: timestamp(created),
      updated_at: timestamp(updated)
    }
    built.set(i, row)
    return row
  }
  for (let i = from; i < to; i++) {
    let row = build(i)
    const next = random(sizes.seed * 31 + i)
    const roll = next()
    if (i > 0 && roll < 0.06) {
      // A household: same last name, address and home phone as an earlier customer.
      const other = build(Math.max(0, i - 1 - Math.floor(next() * Math.min(i, 50))))
      row = {
        ...row,
        last_name: other.last_name,
        address1: other.address1,
        address2: other.address2,
        city: other.city,
        state: other.state,
        postal_code: other.postal_code,
        country: other.country,
        phone_home: other.phone_home ?? other.phone_cell
      }
      stats.households++
    } else if (i > 0 && roll < 0.08) {
      // A duplicate: the same person entered again, email and cell typed differently.
      const other = build(Math.max(0, i - 1 - Math.floor(next() * Math.min(i, 500))))
      row = {
        ...row,
        first_name: other.first_name,
        last_name: other.last_name,
        email: other.email === null ? null : strayEmail(next, other.email.trim().toLowerCase()),
        phone_cell: other.phone_cell === null ? row.phone_cell : other.phone_cell.replace(/[().\s-]/g, "").replace(/^1(?=\d{10}$)/, ""),
        country: other.country
      }
      stats.duplicates++
    }
    if (row.web_upload === 1) stats.flagged++
    rows.push(row)
  }
  return rows
}

export interface SeedSale {
  readonly sale: SaleWrite & { readonly sale_id: number }
  readonly lines: ReadonlyArray<LineWrite>
  readonly tenders: ReadonlyArray<TenderWrite>
}

/**
 * POS sales `from` to `to` (exclusive) with ids `firstSaleId + i`. Some customers buy often (the
 * customer is drawn with a skew), so "top N by lifetime spend" means something. Amounts are integer
 * cents until they become text: exact by construction (8.25 % tax, rounded half up per line).
 */
export const sales = (
  sizes: SeedSizes,
  catalog: ReadonlyArray<ItemWrite & { readonly cents: number }>,
  firstCustomerId: number,
  firstSaleId: number,
  from: number,
  to: number,
  now: Date
): ReadonlyArray<SeedSale> => {
  const out: Array<SeedSale> = []
  const threeYears = 3 * 365 * 86_400_000
  for (let i = from; i < to; i++) {
    const next = random(sizes.seed * 2_147_483 + i * 97 + 13)
    const saleId = firstSaleId + i
    const customer = sizes.customers === 0 || chance(next, 0.1)
      ? null
      : firstCustomerId + Math.floor(sizes.customers * next() ** 2.2)
    const lineCount = 1 + Math.floor(next() * 3)
    const lines: Array<LineWrite> = []
    let subtotal = 0
    let tax = 0
    let discounts = 0
    for (let n = 0; n < lineCount && catalog.length > 0; n++) {
      const item = pickFrom(next, catalog)
      const quantity = chance(next, 0.85) ? 1 : 2
      const discount = chance(next, 0.2) ? Math.round(item.cents * quantity / 10) : 0
      const extended = item.cents * quantity - discount
      const lineTax = Math.floor((extended * 825 + 5_000) / 10_000)
      subtotal += extended
      tax += lineTax
      discounts += discount
      lines.push({
        sale_id: saleId,
        line_no: n + 1,
        sku: item.sku,
        description: item.description,
        quantity,
        unit_price: centsText(item.cents),
        discount: centsText(discount),
        tax: centsText(lineTax),
        extended: centsText(extended)
      })
    }
    const statusRoll = next()
    const status = statusRoll < 0.93 ? "paid" : statusRoll < 0.97 ? "refunded" : statusRoll < 0.99 ? "partially_refunded" : "void"
    const total = subtotal + tax
    out.push({
      sale: {
        sale_id: saleId,
        store_no: 1 + Math.floor(next() * Math.max(1, sizes.stores)),
        sale_no: `P${String(saleId).padStart(7, "0")}`,
        customer_id: customer,
        sale_date: timestamp(new Date(now.getTime() - 86_400_000 - Math.floor(next() * threeYears))),
        kind: "pos",
        status,
        currency: "USD",
        subtotal: centsText(subtotal),
        discount: centsText(discounts),
        shipping: "0.00",
        tax: centsText(tax),
        total: centsText(total),
        tax_stripped: 0,
        shopify_order_id: null,
        shopify_updated_at: null,
        imported_at: null
      },
      lines,
      tenders: [{ sale_id: saleId, seq: 1, tender: pickFrom(next, tenders), amount: centsText(total) }]
    })
  }
  return out
}
