// Deterministic seed data for a jeweler's shop: customers through customerCreate and orders through
// orderCreate (then some refunded with refundCreate and some cancelled with orderCancel), exactly the
// code paths the GraphQL mutations use, so seeded money is Shopify-consistent. Records are spread over
// the past (customers over a year, orders over 90 days) as a store with history would have them.
import * as CustomerMutations from "./CustomerMutations.js"
import * as Gid from "./Gid.js"
import * as Money from "./Money.js"
import * as OrderMutations from "./OrderMutations.js"
import * as ProductCatalog from "./ProductCatalog.js"
import * as SeededRandom from "./SeededRandom.js"
import type { ShopSettings } from "./ShopSettings.js"
import * as StoreModel from "./StoreModel.js"
import { HashMap, Option } from "effect"

const firstNames = [
  "Olivia", "Liam", "Emma", "Noah", "Charlotte", "Oliver", "Amelia", "Elijah", "Sophia", "Lucas", "Mia", "Mateo",
  "Isabella", "Levi", "Evelyn", "Ethan", "Harper", "James", "Luna", "Benjamin", "Chloé", "Zoë", "Siobhan", "Raj",
  "Mei", "Kwame", "Aarav", "Fatima", "Jean-Luc", "Nadia"
]
const lastNames = [
  "Smith", "Tremblay", "Martin", "Roy", "Gagnon", "Lee", "Wilson", "Johnson", "MacDonald", "Taylor", "Brown",
  "Campbell", "Anderson", "Côté", "O'Brien", "Nguyen", "Patel", "Singh", "Chen", "García", "Dubois", "Kowalski",
  "Murphy", "Wong", "Bouchard"
]
const places: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ["Toronto", "ON", "CA", "M5H 2N2", "416"], ["Ottawa", "ON", "CA", "K1P 1J1", "613"], ["Montreal", "QC", "CA", "H2Y 1C6", "514"],
  ["Vancouver", "BC", "CA", "V6B 1A1", "604"], ["Calgary", "AB", "CA", "T2P 1J9", "403"], ["Halifax", "NS", "CA", "B3J 1S9", "902"],
  ["Seattle", "WA", "US", "98104", "206"], ["Buffalo", "NY", "US", "14202", "716"], ["Chicago", "IL", "US", "60601", "312"],
  ["Boston", "MA", "US", "02108", "617"]
]
const streets = ["King St W", "Queen St E", "Main St", "Rue Sainte-Catherine", "Granville St", "Elm Ave", "Bay St", "Oak Dr"]
const tagPool = ["VIP", "wholesale", "newsletter", "repair-client", "engagement", "anniversary", "walk-in", "web"]
const taxes: Readonly<Record<string, readonly [string, string]>> = {
  ON: ["HST", "0.13"], QC: ["GST", "0.05"], BC: ["GST", "0.05"], AB: ["GST", "0.05"], NS: ["HST", "0.15"],
  WA: ["WA State Tax", "0.065"], NY: ["NY State Tax", "0.04"], IL: ["IL State Tax", "0.0625"], MA: ["MA State Tax", "0.0625"]
}

const dayMs = 86_400_000

export interface SeedResult {
  readonly data: StoreModel.StoreData
  readonly customers: number
  readonly orders: number
}

/** NANP numbers that libphonenumber (and so Shopify) accepts: real area code, exchange 2xx–9xx. */
const phoneFor = (areaCode: string, draw: SeededRandom.Draw): string =>
  `+1${areaCode}${draw.int(2, 9)}${draw.int(0, 9)}${draw.int(0, 9)}${String(draw.int(0, 9999)).padStart(4, "0")}`

export const seedCustomers = (
  data: StoreModel.StoreData,
  count: number,
  seed: number,
  shop: ShopSettings,
  now: number
): SeedResult => {
  const draw = SeededRandom.draw(SeededRandom.make(seed * 7919 + HashMap.size(data.customers)))
  let next = data
  let created = 0
  const start = now - 365 * dayMs
  for (let i = 0; i < count; i++) {
    const at = StoreModel.truncateToSecond(start + Math.floor(((i + 1) / (count + 1)) * 365 * dayMs) - draw.int(0, 3600) * 1000)
    const first = draw.pick(firstNames)
    const last = draw.pick(lastNames)
    const place = draw.pick(places)
    const suffix = HashMap.size(next.customers) + 1
    const ascii = (s: string) => s.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase()
    const hasEmail = draw.chance(0.95)
    const hasPhone = !hasEmail || draw.chance(0.6)
    const input: CustomerMutations.CustomerInput = {
      firstName: first,
      lastName: last,
      ...(hasEmail ? { email: `${ascii(first)}.${ascii(last)}${suffix}@example.com` } : {}),
      ...(hasPhone ? { phone: phoneFor(place[4], draw) } : {}),
      tags: draw.chance(0.4) ? [draw.pick(tagPool), ...(draw.chance(0.3) ? [draw.pick(tagPool)] : [])] : [],
      ...(draw.chance(0.15) ? { note: "Prefers white gold; ring size 6." } : {}),
      addresses: draw.chance(0.75)
        ? [{
          firstName: first,
          lastName: last,
          address1: `${draw.int(1, 999)} ${draw.pick(streets)}`,
          city: place[0],
          provinceCode: place[1],
          countryCode: place[2],
          zip: place[3]
        }]
        : []
    }
    let outcome = CustomerMutations.customerCreate(next, input, { now: at, lagMillis: 0, shop })
    if (outcome.value.customer === null) {
      // A rare phone collision: keep the customer, without the phone.
      const { phone: _phone, ...rest } = input
      outcome = CustomerMutations.customerCreate(next, rest, { now: at, lagMillis: 0, shop })
    }
    if (outcome.value.customer !== null) {
      next = outcome.data
      created++
    }
  }
  return { data: next, customers: created, orders: 0 }
}

const money = (amount: Money.Amount, currencyCode: string) => ({ amount, currencyCode })

export const seedOrders = (
  data: StoreModel.StoreData,
  count: number,
  seed: number,
  shop: ShopSettings,
  now: number
): SeedResult => {
  const draw = SeededRandom.draw(SeededRandom.make(seed * 104729 + HashMap.size(data.orders)))
  const customerIds = [...HashMap.keys(data.customers)].sort((a, b) => a - b)
  let next = data
  let created = 0
  const span = 90 * dayMs
  const start = now - span
  const ss = Money.currencyScale(shop.currencyCode)
  for (let i = 0; i < count; i++) {
    const at = StoreModel.truncateToSecond(start + Math.floor(((i + 1) / (count + 1)) * span))
    const ctx = { now: at, lagMillis: 0, shop }
    const guest = customerIds.length === 0 || draw.chance(0.25)
    // A buyer who already had an account when the order was placed.
    const candidate = guest ? undefined : Option.getOrUndefined(StoreModel.getCustomer(next, draw.pick(customerIds)))
    const customer = candidate !== undefined && candidate.createdAt <= at ? candidate : undefined
    const place = draw.pick(places)
    const taxesIncluded = draw.chance(0.1)
    const foreign = draw.chance(0.1)
    const presentment = foreign ? (shop.currencyCode === "USD" ? "CAD" : "USD") : shop.currencyCode
    const rate = foreign ? Money.unsafeParse(shop.currencyCode === "USD" ? "1.36" : "0.73") : Money.unsafeParse("1")
    const bag = (shopAmount: Money.Amount) => ({
      shopMoney: money(shopAmount, shop.currencyCode),
      presentmentMoney: money(Money.roundTo(Money.multiply(shopAmount, rate), Money.currencyScale(presentment)), presentment)
    })
    const tax = taxes[place[1]]
    const taxRate = tax === undefined ? undefined : Money.unsafeParse(tax[1])
    // Tax on a price: added on top, or the part already inside a tax-included price.
    const taxOn = (base: Money.Amount): Money.Amount => {
      if (taxRate === undefined) return Money.zero
      return taxesIncluded
        ? Money.roundTo(Money.subtract(base, Money.divide(base, Money.add(Money.unsafeParse("1"), taxRate), 6)), ss)
        : Money.roundTo(Money.multiply(base, taxRate), ss)
    }
    const lineCount = draw.int(1, 3)
    let goods = Money.zero
    const lineItems = Array.from({ length: lineCount }, () => {
      const variant = draw.pick(ProductCatalog.variants)
      const quantity = draw.chance(0.85) ? 1 : 2
      const total = Money.multiply(variant.price, Money.fromInteger(quantity))
      goods = Money.add(goods, total)
      return {
        variantId: Gid.make("ProductVariant", variant.id),
        title: variant.productTitle,
        quantity,
        sku: variant.sku,
        priceSet: bag(variant.price),
        taxable: variant.taxable,
        requiresShipping: variant.requiresShipping,
        taxLines: variant.taxable && tax !== undefined
          ? [{ title: tax[0], rate: taxRate!, priceSet: bag(taxOn(total)) }]
          : []
      }
    })
    const shipped = draw.chance(0.7)
    const shippingPrice = Money.unsafeParse(Money.greaterThan(goods, Money.unsafeParse("500")) ? "0.00" : draw.pick(["9.95", "14.95", "24.00"]))
    const discount = draw.chance(0.15) ? Money.roundTo(Money.multiply(goods, Money.unsafeParse("0.1")), ss) : undefined
    const shippingTax = shipped && tax !== undefined ? taxOn(shippingPrice) : Money.zero
    const lineTax = Money.sum(lineItems.flatMap((l) => l.taxLines.map((t) => t.priceSet.shopMoney.amount)))
    const total = Money.add(
      Money.add(Money.subtract(goods, discount ?? Money.zero), shipped ? shippingPrice : Money.zero),
      taxesIncluded ? Money.zero : Money.add(lineTax, shippingTax)
    )
    const payment = draw.float()
    const address = {
      firstName: customer?.firstName ?? draw.pick(firstNames),
      lastName: customer?.lastName ?? draw.pick(lastNames),
      address1: `${draw.int(1, 999)} ${draw.pick(streets)}`,
      city: place[0],
      provinceCode: place[1],
      countryCode: place[2],
      zip: place[3]
    }
    const input: OrderMutations.OrderCreateInput = {
      email: customer?.email ?? `guest${i + 1}.${seed}@example.com`,
      ...(customer === undefined ? {} : { customerId: Gid.make("Customer", customer.id) }),
      currency: shop.currencyCode,
      presentmentCurrency: presentment,
      taxesIncluded,
      sourceName: draw.chance(0.8) ? "web" : "pos",
      processedAt: at,
      tags: draw.chance(0.2) ? ["web-store"] : [],
      lineItems,
      billingAddress: address,
      ...(shipped
        ? {
          shippingAddress: address,
          shippingLines: [{
            title: "Insured Shipping",
            code: "INSURED",
            source: "shopify",
            priceSet: bag(shippingPrice),
            taxLines: tax === undefined ? [] : [{ title: tax[0], rate: taxRate!, priceSet: bag(shippingTax) }]
          }]
        }
        : {}),
      ...(discount === undefined ? {} : { discountCode: { itemFixedDiscountCode: { code: "SPARKLE10", amountSet: bag(discount) } } }),
      transactions: payment < 0.8
        ? [{ kind: "SALE", status: "SUCCESS", gateway: draw.chance(0.7) ? "shopify_payments" : "manual", amountSet: bag(total) }]
        : payment < 0.85
        ? [{ kind: "AUTHORIZATION", status: "SUCCESS", gateway: "shopify_payments", amountSet: bag(total) }]
        : payment < 0.9
        ? [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amountSet: bag(Money.roundTo(Money.multiply(total, Money.unsafeParse("0.5")), ss)) }]
        : [],
      ...(payment >= 0.9 ? { financialStatus: "PENDING" } : {})
    }
    const outcome = OrderMutations.orderCreate(next, input, ctx)
    if (outcome.value.order === null) continue
    next = outcome.data
    created++
    const order = outcome.value.order
    const later = Math.min(now, at + draw.int(1, 72) * 3600_000)
    if (payment < 0.8 && draw.chance(0.1)) {
      // A return: the first line refunded, money back to the card.
      const line = order.lineItems[0]!
      const full = order.lineItems.length === 1 && line.quantity === 1
      const value = full ? order.totals.netPayment.shop : Money.min(order.totals.netPayment.shop, Money.multiply(line.unitPrice.shop, Money.fromInteger(1)))
      const refunded = OrderMutations.refundCreate(next, {
        orderId: Gid.make("Order", order.id),
        note: "Customer return",
        refundLineItems: [{ lineItemId: Gid.make("LineItem", line.id), quantity: 1, restockType: "RETURN" }],
        ...(full ? { shipping: { fullRefund: true } } : {}),
        transactions: [{
          amount: value,
          gateway: order.transactions[0]!.gateway,
          kind: "REFUND",
          orderId: Gid.make("Order", order.id),
          parentId: Gid.make("OrderTransaction", order.transactions[0]!.id)
        }]
      }, { ...ctx, now: later })
      next = refunded.data
    } else if (draw.chance(0.04)) {
      next = OrderMutations.orderCancel(next, {
        orderId: Gid.make("Order", order.id),
        restock: true,
        reason: draw.pick(["CUSTOMER", "INVENTORY", "OTHER"])
      }, { ...ctx, now: later }).data
    }
  }
  return { data: next, customers: 0, orders: created }
}
