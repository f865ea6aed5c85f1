// A small fixed jewelry catalog so that orderCreate can take `variantId` lines the way a real shop does
// (title, SKU and price come from the variant) and so seeded orders look like a jeweler's sales.
import * as Money from "./Money.js"

export interface Variant {
  readonly id: number
  readonly productId: number
  readonly productTitle: string
  readonly title: string
  readonly sku: string
  readonly price: Money.Amount
  readonly vendor: string
  readonly taxable: boolean
  readonly requiresShipping: boolean
}

const products: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, string]>]> = [
  ["Solitaire Diamond Ring", "Edge Fine Jewelry", [["6 / 14k White Gold", "1899.00"], ["7 / 14k White Gold", "1899.00"], ["6 / 18k Yellow Gold", "2299.00"]]],
  ["Classic Wedding Band", "Edge Fine Jewelry", [["Size 8", "549.00"], ["Size 10", "579.00"]]],
  ["Freshwater Pearl Necklace", "Oceanic", [["16 in", "249.00"], ["18 in", "279.00"]]],
  ["Sapphire Stud Earrings", "Edge Fine Jewelry", [["Default Title", "389.50"]]],
  ["Tennis Bracelet", "Brilliance Co", [["7 in", "1250.00"]]],
  ["Gold Hoop Earrings", "Aurum", [["Small", "189.99"], ["Large", "229.99"]]],
  ["Men's Steel Watch", "Chrono", [["Default Title", "649.00"]]],
  ["Emerald Pendant", "Edge Fine Jewelry", [["Default Title", "799.00"]]],
  ["Silver Charm Bracelet", "Sterling & Co", [["Default Title", "89.00"]]],
  ["Ring Sizing Service", "Edge Services", [["Default Title", "35.00"]]],
  ["Watch Battery Replacement", "Edge Services", [["Default Title", "12.50"]]],
  ["Jewelry Cleaning Kit", "Edge Services", [["Default Title", "19.95"]]]
]

const productBase = 8_240_113_549_330
const variantBase = 45_100_776_153_106

export const variants: ReadonlyArray<Variant> = products.flatMap(([title, vendor, vs], p) =>
  vs.map(([variantTitle, price], v) => ({
    id: variantBase + (p * 8 + v) * 32768,
    productId: productBase + p * 32768,
    productTitle: title,
    title: variantTitle,
    sku: `EDG-${String(p + 1).padStart(3, "0")}-${String(v + 1).padStart(2, "0")}`,
    price: Money.unsafeParse(price),
    vendor,
    taxable: !vendor.endsWith("Services") || title !== "Ring Sizing Service",
    requiresShipping: !vendor.endsWith("Services")
  }))
)

export const variantById = (id: number): Variant | undefined => variants.find((v) => v.id === id)

export const productTitle = (productId: number): string | undefined =>
  variants.find((v) => v.productId === productId)?.productTitle
