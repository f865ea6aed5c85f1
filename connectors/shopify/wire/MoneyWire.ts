// Shopify money on the wire: `MoneyV2 { amount: Decimal (a string like "42.5"), currencyCode }` and the
// `MoneyBag` of shop and presentment money (FACTS §1.4, §2.2). Amounts decode straight to BigDecimal.
import { Schema } from "effect"

export const MoneyV2 = Schema.Struct({
  amount: Schema.BigDecimal,
  currencyCode: Schema.String
})
export type MoneyV2 = typeof MoneyV2.Type

/** A MoneyBag as the connector selects it: shop money only (`{ shopMoney { amount currencyCode } }`). */
export const ShopMoneyBag = Schema.Struct({ shopMoney: MoneyV2 })
export type ShopMoneyBag = typeof ShopMoneyBag.Type

/** The GraphQL selection matching ShopMoneyBag. */
export const shopMoneySelection = "{ shopMoney { amount currencyCode } }"

export const TaxLine = Schema.Struct({
  title: Schema.String,
  rate: Schema.NullOr(Schema.Number),
  ratePercentage: Schema.NullOr(Schema.Number),
  priceSet: ShopMoneyBag
})
export type TaxLine = typeof TaxLine.Type

export const taxLineSelection = `{ title rate ratePercentage priceSet ${shopMoneySelection} }`
