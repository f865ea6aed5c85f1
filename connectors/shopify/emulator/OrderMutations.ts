// orderCreate, orderCancel and refundCreate as pure functions over StoreData. Orders come into being
// only through orderCreate, as on Shopify (guest checkouts, linked customers, tax-included prices,
// discounts, multi-currency), and change only through orderCancel and refundCreate; every change
// bumps updatedAt and recomputes the money (OrderMath).
import { HashMap, Option } from "effect"
import * as CustomerMutations from "./CustomerMutations.js"
import * as CustomerTags from "./CustomerTags.js"
import * as EmailAddress from "./EmailAddress.js"
import * as Gid from "./Gid.js"
import * as MailingAddressInput from "./MailingAddressInput.js"
import * as Money from "./Money.js"
import * as OrderMath from "./OrderMath.js"
import * as ProductCatalog from "./ProductCatalog.js"
import * as StoreModel from "./StoreModel.js"

type UserError = CustomerMutations.UserError
type Context = CustomerMutations.Context
type Outcome<A> = CustomerMutations.Outcome<A>

interface MoneyInput {
  readonly amount: Money.Amount
  readonly currencyCode: string
}
interface MoneyBagInput {
  readonly shopMoney: MoneyInput
  readonly presentmentMoney?: MoneyInput | null
}
interface TaxLineInput {
  readonly title: string
  /** Shopify accepts a blank rate literal and reports TAX_LINE_RATE_MISSING (captured). */
  readonly rate: Money.Amount | ""
  readonly priceSet?: MoneyBagInput | null
  readonly channelLiable?: boolean | null
}

export interface OrderCreateInput {
  readonly billingAddress?: MailingAddressInput.Input | null
  readonly shippingAddress?: MailingAddressInput.Input | null
  readonly buyerAcceptsMarketing?: boolean | null
  readonly closedAt?: number | null
  readonly currency?: string | null
  readonly presentmentCurrency?: string | null
  readonly customAttributes?: ReadonlyArray<{ readonly key: string; readonly value: string }> | null
  readonly customerId?: string | null
  readonly customer?: {
    readonly toAssociate?: { readonly id?: string | null; readonly email?: string | null } | null
    readonly toUpsert?: {
      readonly id?: string | null
      readonly email?: string | null
      readonly firstName?: string | null
      readonly lastName?: string | null
      readonly note?: string | null
      readonly phone?: string | null
      readonly tags?: ReadonlyArray<string> | null
      readonly taxExempt?: boolean | null
    } | null
  } | null
  readonly discountCode?: {
    readonly itemFixedDiscountCode?: { readonly code: string; readonly amountSet?: MoneyBagInput | null } | null
    readonly itemPercentageDiscountCode?: { readonly code: string; readonly percentage?: number | null } | null
    readonly freeShippingDiscountCode?: { readonly code: string } | null
  } | null
  readonly email?: string | null
  readonly phone?: string | null
  readonly financialStatus?: string | null
  readonly fulfillmentStatus?: string | null
  readonly lineItems?: ReadonlyArray<{
    readonly title?: string | null
    readonly variantId?: string | null
    readonly productId?: string | null
    readonly variantTitle?: string | null
    readonly vendor?: string | null
    readonly sku?: string | null
    readonly quantity: number
    readonly priceSet?: MoneyBagInput | null
    readonly requiresShipping?: boolean | null
    readonly taxable?: boolean | null
    readonly giftCard?: boolean | null
    readonly taxLines?: ReadonlyArray<TaxLineInput> | null
    readonly properties?: ReadonlyArray<{ readonly name: string; readonly value: string }> | null
  }> | null
  readonly shippingLines?: ReadonlyArray<{
    readonly title: string
    readonly code?: string | null
    readonly source?: string | null
    readonly priceSet: MoneyBagInput
    readonly taxLines?: ReadonlyArray<TaxLineInput> | null
  }> | null
  readonly taxLines?: ReadonlyArray<TaxLineInput> | null
  readonly taxesIncluded?: boolean | null
  readonly test?: boolean | null
  readonly name?: string | null
  readonly note?: string | null
  readonly poNumber?: string | null
  readonly processedAt?: number | null
  readonly sourceName?: string | null
  readonly sourceIdentifier?: string | null
  readonly tags?: ReadonlyArray<string> | null
  readonly transactions?: ReadonlyArray<{
    readonly amountSet: MoneyBagInput
    readonly gateway?: string | null
    readonly kind?: string | null
    readonly status?: string | null
    readonly test?: boolean | null
    readonly processedAt?: number | null
  }> | null
}

export interface OrderResult {
  readonly order: StoreModel.Order | null
  readonly userErrors: ReadonlyArray<UserError>
}

const err = (field: ReadonlyArray<string> | null, message: string, code: string): UserError => ({ field, message, code })

/** Converts shop money to presentment money with the rate the order's own prices imply. */
interface Conversion {
  readonly bag: (input: MoneyBagInput) => Money.Bag
  readonly fromShop: (shop: Money.Amount) => Money.Bag
}

const conversionFor = (input: OrderCreateInput, currency: string, presentment: string): Conversion => {
  const ps = Money.currencyScale(presentment)
  let rate: Money.Amount | undefined
  if (presentment !== currency) {
    const sample = [
      ...(input.lineItems ?? []).map((l) => l.priceSet),
      ...(input.transactions ?? []).map((t) => t.amountSet),
      ...(input.shippingLines ?? []).map((s) => s.priceSet)
    ].find((p) => p?.presentmentMoney !== null && p?.presentmentMoney !== undefined && Money.isPositive(p.shopMoney.amount))
    if (sample?.presentmentMoney) rate = Money.divide(sample.presentmentMoney.amount, sample.shopMoney.amount, 8)
  }
  const fromShop = (shop: Money.Amount): Money.Bag => ({
    shop,
    presentment: presentment === currency ? shop : rate === undefined ? shop : Money.roundTo(Money.multiply(shop, rate), ps)
  })
  return {
    fromShop,
    bag: (b) => b.presentmentMoney === null || b.presentmentMoney === undefined
      ? fromShop(b.shopMoney.amount)
      : { shop: b.shopMoney.amount, presentment: b.presentmentMoney.amount }
  }
}

const rateNumber = (rate: Money.Amount): number => Number(Money.format(rate))

/** Splits `total` over `weights` in proportion, the last share taking the rounding remainder. */
const allocate = (total: Money.Bag, weights: ReadonlyArray<Money.Bag>, ss: number, ps: number): ReadonlyArray<Money.Bag> => {
  const sum = Money.bagSum(weights)
  if (weights.length === 0) return []
  if (!Money.isPositive(sum.shop)) return weights.map((_, i) => (i === weights.length - 1 ? total : Money.bagZero))
  let remaining = total
  return weights.map((w, i) => {
    if (i === weights.length - 1) return remaining
    const part = {
      shop: Money.divide(Money.multiply(total.shop, w.shop), sum.shop, ss),
      presentment: Money.isPositive(sum.presentment)
        ? Money.divide(Money.multiply(total.presentment, w.presentment), sum.presentment, ps)
        : Money.zero
    }
    remaining = Money.bagSubtract(remaining, part)
    return part
  })
}

const findCustomer = (data: StoreModel.StoreData, gid: string | null | undefined, email: string | null | undefined) => {
  if (gid !== null && gid !== undefined) {
    return Option.flatMap(Gid.idOf(gid, "Customer"), (id) => StoreModel.getCustomer(data, id))
  }
  if (email !== null && email !== undefined) {
    return Option.flatMap(HashMap.get(data.emailIndex, EmailAddress.normalize(email)), (id) => StoreModel.getCustomer(data, id))
  }
  return Option.none()
}

export const orderCreate = (data: StoreModel.StoreData, input: OrderCreateInput, ctx: Context): Outcome<OrderResult> => {
  const fail = (errors: ReadonlyArray<UserError>): Outcome<OrderResult> => ({ data, value: { order: null, userErrors: errors } })
  const now = StoreModel.truncateToSecond(ctx.now)
  const lineInputs = input.lineItems ?? []
  if (lineInputs.length === 0) return fail([err(["order", "lineItems"], "Line items must have at least one line item", "INVALID")])
  if (input.processedAt !== null && input.processedAt !== undefined && input.processedAt > ctx.now) {
    return fail([err(["order", "processedAt"], "Processed at can't be in the future", "PROCESSED_AT_INVALID")])
  }
  if (input.customerId !== null && input.customerId !== undefined && input.customer !== null && input.customer !== undefined) {
    return fail([err(["order"], "Only one of customerId or customer may be given", "REDUNDANT_CUSTOMER_FIELDS")])
  }
  const errors: Array<UserError> = []
  const taxLineCheck = (lines: ReadonlyArray<TaxLineInput> | null | undefined, path: ReadonlyArray<string>) =>
    (lines ?? []).forEach((t, i) => {
      if (t.rate === "") errors.push(err([...path, "taxLines", String(i), "rate"], "Rate can't be blank", "TAX_LINE_RATE_MISSING"))
    })
  lineInputs.forEach((l, i) => {
    const path = ["order", "lineItems", String(i)]
    const variant = l.variantId ? Option.getOrUndefined(Gid.idOf(l.variantId, "ProductVariant")) : undefined
    const known = variant === undefined ? undefined : ProductCatalog.variantById(variant)
    if (l.quantity < 1) errors.push(err([...path, "quantity"], "Quantity must be greater than or equal to 1", "INVALID"))
    if (l.variantId && variant === undefined) errors.push(err([...path, "variantId"], "Variant is invalid", "INVALID"))
    // Variants outside the emulator's catalog are taken at the price given (the captures reference
    // variants of the dev stores they were recorded on).
    if (known === undefined && !l.priceSet) {
      errors.push(err([...path, l.variantId ? "variantId" : "priceSet"], l.variantId ? "Variant is invalid" : "Price can't be blank", "INVALID"))
    }
    if (known === undefined && !l.title && !l.variantId) errors.push(err([...path, "title"], "Title can't be blank", "INVALID"))
    taxLineCheck(l.taxLines, path)
  })
  ;(input.shippingLines ?? []).forEach((s, i) => taxLineCheck(s.taxLines, ["order", "shippingLines", String(i)]))
  taxLineCheck(input.taxLines, ["order"])
  if (errors.length > 0) return fail(errors)

  const currency = input.currency ?? ctx.shop.currencyCode
  const presentmentCurrency = input.presentmentCurrency ?? currency
  const ss = Money.currencyScale(currency)
  const ps = Money.currencyScale(presentmentCurrency)
  const conv = conversionFor(input, currency, presentmentCurrency)
  let next = data

  // The buyer: associated by id or email, upserted, or none (a guest checkout).
  let customerId: number | null = null
  const associate = input.customer?.toAssociate
  const upsert = input.customer?.toUpsert
  if (input.customerId) {
    const c = findCustomer(next, input.customerId, undefined)
    if (Option.isNone(c)) return fail([err(["order", "customerId"], "Customer does not exist", "INVALID")])
    customerId = c.value.id
  } else if (associate) {
    const c = findCustomer(next, associate.id, associate.email)
    if (Option.isNone(c)) return fail([err(["order", "customer", "toAssociate"], "Customer does not exist", "INVALID")])
    customerId = c.value.id
  } else if (upsert) {
    const existing = findCustomer(next, upsert.id, upsert.email)
    const { id: _id, ...fields } = upsert
    const outcome = Option.isSome(existing)
      ? CustomerMutations.customerUpdate(next, { ...fields, id: Gid.make("Customer", existing.value.id) }, ctx)
      : CustomerMutations.customerCreate(next, fields, ctx)
    if (outcome.value.customer === null) {
      return fail(outcome.value.userErrors.map((e) => err(["order", "customer", "toUpsert", ...(e.field ?? [])], e.message, "INVALID")))
    }
    next = outcome.data
    customerId = outcome.value.customer.id
  }

  const taxLinesFrom = (lines: ReadonlyArray<TaxLineInput> | null | undefined, base: Money.Bag): ReadonlyArray<StoreModel.TaxLine> =>
    (lines ?? []).map((t) => {
      const rate = t.rate as Money.Amount
      return {
        title: t.title,
        rate: rateNumber(rate),
        channelLiable: t.channelLiable ?? false,
        price: t.priceSet ? conv.bag(t.priceSet) : Money.bagScale(base, rate, ss, ps)
      }
    })

  // Lines before discounts.
  const drafts = lineInputs.map((l) => {
    const variantId = l.variantId ? Option.getOrUndefined(Gid.idOf(l.variantId, "ProductVariant")) ?? null : null
    const known = variantId === null ? undefined : ProductCatalog.variantById(variantId)
    const unitPrice = l.priceSet ? conv.bag(l.priceSet) : conv.fromShop(known!.price)
    return { l, variantId, known, unitPrice, total: Money.bagScale(unitPrice, Money.fromInteger(l.quantity), ss, ps) }
  })

  // Discounts: a fixed amount spread over the lines, a percentage of each line, or free shipping.
  const code = input.discountCode
  let lineDiscounts: ReadonlyArray<Money.Bag> = drafts.map(() => Money.bagZero)
  const discountCodes: Array<string> = []
  if (code?.itemFixedDiscountCode) {
    const fixed = code.itemFixedDiscountCode
    discountCodes.push(fixed.code)
    const amount = fixed.amountSet ? conv.bag(fixed.amountSet) : Money.bagZero
    const subtotal = Money.bagSum(drafts.map((d) => d.total))
    const capped = Money.greaterThan(amount.shop, subtotal.shop) ? subtotal : amount
    lineDiscounts = allocate(capped, drafts.map((d) => d.total), ss, ps)
  } else if (code?.itemPercentageDiscountCode) {
    const pct = code.itemPercentageDiscountCode
    discountCodes.push(pct.code)
    const factor = Money.divide(Money.unsafeParse(String(pct.percentage ?? 0)), Money.fromInteger(100), 6)
    lineDiscounts = drafts.map((d) => Money.bagScale(d.total, factor, ss, ps))
  }
  const freeShipping = code?.freeShippingDiscountCode
  if (freeShipping) discountCodes.push(freeShipping.code)

  const [lineIds, afterLines] = StoreModel.allocateIds(next, "lineItem", drafts.length)
  next = afterLines
  const lineItems: ReadonlyArray<StoreModel.LineItem> = drafts.map((d, i) => {
    const discount = lineDiscounts[i]!
    const title = d.l.title ?? d.known?.productTitle ?? "Custom item"
    return {
      id: lineIds[i]!,
      title,
      variantTitle: d.l.variantTitle ?? (d.known && d.known.title !== "Default Title" ? d.known.title : null),
      sku: d.l.sku ?? d.known?.sku ?? null,
      vendor: d.l.vendor ?? d.known?.vendor ?? null,
      quantity: d.l.quantity,
      refundedQuantity: 0,
      unitPrice: d.unitPrice,
      discount,
      taxLines: taxLinesFrom(d.l.taxLines, Money.bagSubtract(d.total, discount)),
      taxable: d.l.taxable ?? d.known?.taxable ?? true,
      requiresShipping: d.l.requiresShipping ?? d.known?.requiresShipping ?? false,
      giftCard: d.l.giftCard ?? false,
      variantId: d.variantId,
      productId: d.known?.productId ??
        (d.l.productId ? Option.getOrNull(Gid.idOf(d.l.productId, "Product")) : d.variantId === null ? null : d.variantId + 1),
      customAttributes: (d.l.properties ?? []).map((p) => ({ key: p.name, value: p.value }))
    }
  })

  const shippingInputs = input.shippingLines ?? []
  const [shippingIds, afterShipping] = StoreModel.allocateIds(next, "shippingLine", shippingInputs.length)
  next = afterShipping
  const shippingLines: ReadonlyArray<StoreModel.ShippingLine> = shippingInputs.map((s, i) => {
    const price = conv.bag(s.priceSet)
    return {
      id: shippingIds[i]!,
      title: s.title,
      code: s.code ?? null,
      source: s.source ?? null,
      price,
      discount: freeShipping ? price : Money.bagZero,
      taxLines: taxLinesFrom(s.taxLines, price)
    }
  })

  const lineSubtotal = Money.bagSubtract(Money.bagSum(drafts.map((d) => d.total)), Money.bagSum(lineDiscounts))
  const orderTaxLines = taxLinesFrom(input.taxLines, lineSubtotal)

  // Payments: as given; a declared PAID or AUTHORIZED order without any records the whole amount.
  const provisional = OrderMath.computeTotals({
    ...baseOrder(0, 0, now),
    currency,
    presentmentCurrency,
    taxesIncluded: input.taxesIncluded ?? false,
    lineItems,
    shippingLines,
    orderTaxLines
  })
  const txInputs = [...(input.transactions ?? [])]
  const declared = input.financialStatus ?? null
  const syntheticKind = txInputs.length === 0 && declared === "PAID"
    ? "SALE"
    : txInputs.length === 0 && declared === "AUTHORIZED"
    ? "AUTHORIZATION"
    : undefined
  const [txIds, afterTx] = StoreModel.allocateIds(next, "transaction", txInputs.length + (syntheticKind ? 1 : 0))
  next = afterTx
  const processedAt = StoreModel.truncateToSecond(input.processedAt ?? ctx.now)
  const transactions: Array<StoreModel.Transaction> = txInputs.map((t, i) => ({
    id: txIds[i]!,
    kind: (t.kind ?? "SALE") as StoreModel.TransactionKind,
    status: (t.status ?? "SUCCESS") as StoreModel.TransactionStatus,
    gateway: t.gateway ?? "manual",
    amount: conv.bag(t.amountSet),
    test: t.test ?? false,
    parentId: null,
    processedAt: StoreModel.truncateToSecond(t.processedAt ?? processedAt),
    createdAt: now
  }))
  if (syntheticKind) {
    transactions.push({
      id: txIds[txIds.length - 1]!,
      kind: syntheticKind,
      status: "SUCCESS",
      gateway: "manual",
      amount: provisional.totalPrice,
      test: input.test ?? false,
      parentId: null,
      processedAt,
      createdAt: now
    })
  }

  const [orderId, afterOrder] = StoreModel.allocateId(next, "order")
  next = afterOrder
  const number = next.nextOrderNumber
  const order = OrderMath.withTotals({
    ...baseOrder(orderId, number, now),
    name: input.name ?? `#${number}`,
    email: input.email ? EmailAddress.normalize(input.email) : null,
    phone: MailingAddressInput.clean(input.phone),
    customerId,
    note: input.note ?? null,
    tags: CustomerTags.normalize(input.tags ?? []),
    customAttributes: (input.customAttributes ?? []).map((a) => ({ key: a.key, value: a.value })),
    test: input.test ?? false,
    sourceName: input.sourceName ?? ctx.shop.apiClientId,
    sourceIdentifier: input.sourceIdentifier ?? null,
    poNumber: input.poNumber ?? null,
    currency,
    presentmentCurrency,
    taxesIncluded: input.taxesIncluded ?? false,
    buyerAcceptsMarketing: input.buyerAcceptsMarketing ?? false,
    processedAt,
    closedAt: input.closedAt ? StoreModel.truncateToSecond(input.closedAt) : null,
    billingAddress: input.billingAddress ? MailingAddressInput.toAddress(0, input.billingAddress) : null,
    shippingAddress: input.shippingAddress ? MailingAddressInput.toAddress(0, input.shippingAddress) : null,
    lineItems,
    shippingLines,
    orderTaxLines,
    discountCodes,
    transactions,
    declaredFinancialStatus: declared,
    fulfillmentStatus: input.fulfillmentStatus === "FULFILLED"
      ? "FULFILLED"
      : input.fulfillmentStatus === "PARTIAL"
      ? "PARTIALLY_FULFILLED"
      : input.fulfillmentStatus === "RESTOCKED"
      ? "RESTOCKED"
      : "UNFULFILLED"
  })
  next = { ...StoreModel.putOrder(next, order, now, ctx.lagMillis), nextOrderNumber: number + 1 }
  next = touchCustomer(next, customerId, ctx)
  return { data: next, value: { order, userErrors: [] } }
}

const baseOrder = (id: number, number: number, now: number): Omit<StoreModel.Order, "totals"> => ({
  id,
  number,
  name: `#${number}`,
  email: null,
  phone: null,
  customerId: null,
  note: null,
  tags: [],
  customAttributes: [],
  test: false,
  sourceName: null,
  sourceIdentifier: null,
  poNumber: null,
  currency: "USD",
  presentmentCurrency: "USD",
  taxesIncluded: false,
  buyerAcceptsMarketing: false,
  processedAt: now,
  createdAt: now,
  updatedAt: now,
  closedAt: null,
  cancelledAt: null,
  cancelReason: null,
  cancellationNote: null,
  billingAddress: null,
  shippingAddress: null,
  lineItems: [],
  shippingLines: [],
  orderTaxLines: [],
  discountCodes: [],
  transactions: [],
  refunds: [],
  declaredFinancialStatus: null,
  fulfillmentStatus: "UNFULFILLED"
})

/** A customer's order count and amount spent changed: their record's updatedAt moves too. */
const touchCustomer = (data: StoreModel.StoreData, customerId: number | null, ctx: Context): StoreModel.StoreData => {
  if (customerId === null) return data
  const c = StoreModel.getCustomer(data, customerId)
  if (Option.isNone(c)) return data
  const now = StoreModel.truncateToSecond(ctx.now)
  return StoreModel.putCustomer(data, { ...c.value, updatedAt: Math.max(now, c.value.updatedAt) }, now, ctx.lagMillis)
}

const findOrder = (data: StoreModel.StoreData, gid: string): StoreModel.Order | undefined =>
  Option.getOrUndefined(Option.flatMap(Gid.idOf(gid, "Order"), (id) => StoreModel.getOrder(data, id)))

// --- orderCancel ------------------------------------------------------------------------------------

export interface CancelInput {
  readonly orderId: string
  readonly refund?: boolean | null
  readonly refundMethod?: { readonly originalPaymentMethodsRefund?: boolean | null } | null
  readonly restock: boolean
  readonly reason: string
  readonly notifyCustomer?: boolean | null
  readonly staffNote?: string | null
}

export interface CancelResult {
  readonly jobId: number | null
  readonly userErrors: ReadonlyArray<UserError>
}

export const orderCancel = (data: StoreModel.StoreData, input: CancelInput, ctx: Context): Outcome<CancelResult> => {
  const fail = (e: UserError): Outcome<CancelResult> => ({ data, value: { jobId: null, userErrors: [e] } })
  const order = findOrder(data, input.orderId)
  if (order === undefined) return fail(err(["orderId"], "Order does not exist", "NOT_FOUND"))
  if ((input.staffNote?.length ?? 0) > 255) {
    return fail(err(["staffNote"], "Staff note is too long. Maximum length is 255 characters.", "INVALID"))
  }
  if (input.refund !== null && input.refund !== undefined && input.refundMethod !== null && input.refundMethod !== undefined) {
    return fail(err(["refund"], "Only one of the arguments `refund` or `refund_method` is allowed.", "INVALID"))
  }
  if (order.cancelledAt !== null) return fail(err(["orderId"], "Cannot cancel an order that has already been canceled", "INVALID"))
  const now = StoreModel.truncateToSecond(ctx.now)
  let next = data
  // A merchant cancelling a paid order refunds it to the original payment method unless told not to.
  const refundIt = input.refund ?? input.refundMethod?.originalPaymentMethodsRefund ?? true
  let transactions = [...order.transactions]
  let refunds = [...order.refunds]
  let lineItems = order.lineItems
  if (refundIt && Money.isPositive(order.totals.netPayment.shop)) {
    const parent = order.transactions.find((t) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE"))
    const [txId, afterTx] = StoreModel.allocateId(next, "transaction")
    next = afterTx
    const [rid, afterRefund] = StoreModel.allocateId(next, "refund")
    next = afterRefund
    const amount = order.totals.netPayment
    transactions.push({
      id: txId,
      kind: "REFUND",
      status: "SUCCESS",
      gateway: parent?.gateway ?? "manual",
      amount,
      test: order.test,
      parentId: parent?.id ?? null,
      processedAt: now,
      createdAt: now
    })
    const [rliIds, afterRli] = StoreModel.allocateIds(next, "refundLineItem", order.lineItems.length)
    next = afterRli
    const refundLines = order.lineItems
      .map((l, i) => ({ l, id: rliIds[i]!, q: l.quantity - l.refundedQuantity }))
      .filter((x) => x.q > 0)
      .map(({ l, id, q }) => {
        const value = OrderMath.lineRefundValue(order, l, q)
        return {
          id,
          lineItemId: l.id,
          quantity: q,
          restockType: input.restock ? "CANCEL" : "NO_RESTOCK",
          restocked: input.restock,
          price: l.unitPrice,
          subtotal: value.subtotal,
          totalTax: value.tax
        }
      })
    lineItems = order.lineItems.map((l) => ({ ...l, refundedQuantity: l.quantity }))
    refunds.push({
      id: rid,
      note: input.staffNote ?? null,
      createdAt: now,
      processedAt: now,
      lineItems: refundLines,
      transactionIds: [txId],
      shipping: Money.bagSubtract(order.totals.totalShipping, order.totals.refundedShipping),
      totalRefunded: amount
    })
  }
  // Open authorisations are voided.
  for (const auth of order.transactions.filter((t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS")) {
    if (!order.transactions.some((t) => t.parentId === auth.id && (t.kind === "VOID" || t.kind === "CAPTURE"))) {
      const [vid, after] = StoreModel.allocateId(next, "transaction")
      next = after
      transactions.push({ ...auth, id: vid, kind: "VOID", parentId: auth.id, processedAt: now, createdAt: now })
    }
  }
  transactions = transactions.slice()
  refunds = refunds.slice()
  const cancelled = OrderMath.withTotals({
    ...order,
    lineItems,
    transactions,
    refunds,
    cancelledAt: now,
    cancelReason: input.reason,
    cancellationNote: input.staffNote ?? null,
    closedAt: order.closedAt ?? now,
    updatedAt: now
  })
  const [jobId, afterJob] = StoreModel.allocateId(next, "job")
  next = StoreModel.putOrder(afterJob, cancelled, now, ctx.lagMillis)
  next = touchCustomer(next, order.customerId, ctx)
  return { data: next, value: { jobId, userErrors: [] } }
}

// --- refundCreate -----------------------------------------------------------------------------------

export interface RefundInput {
  readonly orderId: string
  readonly currency?: string | null
  readonly note?: string | null
  readonly notify?: boolean | null
  readonly processedAt?: number | null
  readonly shipping?: { readonly amount?: Money.Amount | null; readonly fullRefund?: boolean | null } | null
  readonly refundLineItems?: ReadonlyArray<{
    readonly lineItemId: string
    readonly quantity: number
    readonly restockType?: string | null
    readonly locationId?: string | null
  }> | null
  readonly transactions?: ReadonlyArray<{
    readonly amount: Money.Amount
    readonly gateway: string
    readonly kind: string
    readonly orderId: string
    readonly parentId?: string | null
  }> | null
  readonly allowOverRefunding?: boolean | null
}

export interface RefundResult {
  readonly order: StoreModel.Order | null
  readonly refund: StoreModel.Refund | null
  readonly userErrors: ReadonlyArray<UserError>
}

const currencySymbols: Readonly<Record<string, string>> = { EUR: "€", GBP: "£", JPY: "¥", INR: "₹", KRW: "₩" }
const moneyText = (amount: Money.Amount, currency: string) => `${currencySymbols[currency] ?? "$"}${Money.formatFixed2(amount)}`

export const refundCreate = (data: StoreModel.StoreData, input: RefundInput, ctx: Context): Outcome<RefundResult> => {
  const order = findOrder(data, input.orderId)
  if (order === undefined) {
    return { data, value: { order: null, refund: null, userErrors: [{ field: ["orderId"], message: "Order does not exist" }] } }
  }
  const fail = (errors: ReadonlyArray<UserError>): Outcome<RefundResult> => ({ data, value: { order, refund: null, userErrors: errors } })
  const inPresentment = input.currency !== null && input.currency !== undefined && input.currency !== order.currency &&
    input.currency === order.presentmentCurrency
  const ss = Money.currencyScale(order.currency)
  const ps = Money.currencyScale(order.presentmentCurrency)
  // The order's own exchange rate (presentment per shop unit) converts refund amounts.
  const total = order.totals.totalPrice
  const rate = Money.isPositive(total.shop) ? Money.divide(total.presentment, total.shop, 8) : Money.unsafeParse("1")
  const toBag = (amount: Money.Amount): Money.Bag =>
    inPresentment
      ? { shop: Money.isPositive(rate) ? Money.divide(amount, rate, ss) : amount, presentment: amount }
      : { shop: amount, presentment: Money.roundTo(Money.multiply(amount, rate), ps) }

  const errors: Array<UserError> = []
  const lineRefunds: Array<{ readonly line: StoreModel.LineItem; readonly quantity: number; readonly restockType: string }> = []
  ;(input.refundLineItems ?? []).forEach((r, i) => {
    const id = Option.getOrUndefined(Gid.idOf(r.lineItemId, "LineItem"))
    const line = order.lineItems.find((l) => l.id === id)
    if (line === undefined) {
      errors.push({ field: ["refundLineItems", String(i), "lineItemId"], message: "Line item does not exist" })
      return
    }
    const already = lineRefunds.filter((x) => x.line.id === line.id).reduce((n, x) => n + x.quantity, 0)
    if (r.quantity > line.quantity - line.refundedQuantity - already) {
      errors.push({ field: ["refundLineItems", String(i), "quantity"], message: "Quantity cannot refund more items than were purchased" })
      return
    }
    lineRefunds.push({ line, quantity: r.quantity, restockType: r.restockType ?? "NO_RESTOCK" })
  })
  if (errors.length > 0) return fail(errors)

  const remainingShipping = Money.bagSubtract(
    Money.bagSubtract(order.totals.totalShipping, Money.bagSum(order.shippingLines.map((s) => s.discount))),
    order.totals.refundedShipping
  )
  let shipping = Money.bagZero
  if (input.shipping?.fullRefund) shipping = Money.bagClampAtZero(remainingShipping)
  else if (input.shipping?.amount !== null && input.shipping?.amount !== undefined) {
    shipping = toBag(input.shipping.amount)
    if (Money.greaterThan(shipping.shop, remainingShipping.shop)) {
      return fail([{ field: ["shipping", "amount"], message: "Shipping refund amount is greater than the refundable shipping amount" }])
    }
  }

  const txInputs = input.transactions ?? []
  for (const [i, t] of txInputs.entries()) {
    if (t.kind !== "REFUND") {
      errors.push({ field: ["transactions", String(i), "kind"], message: "Kind is invalid" })
    }
  }
  if (errors.length > 0) return fail(errors)
  const refundAmounts = txInputs.map((t) => toBag(t.amount))
  const requested = Money.bagSum(refundAmounts)
  const net = order.totals.netPayment
  // Over-refunds are refused even with allowOverRefunding (captured).
  if (Money.greaterThan(requested.shop, net.shop)) {
    const shown = inPresentment ? requested.presentment : requested.shop
    const available = inPresentment ? net.presentment : net.shop
    const currency = inPresentment ? order.presentmentCurrency : order.currency
    return fail([{
      field: null,
      message: `Refund amount ${moneyText(shown, currency)} is greater than net payment received ${moneyText(available, currency)}`
    }])
  }

  const now = StoreModel.truncateToSecond(ctx.now)
  let next = data
  const [txIds, afterTx] = StoreModel.allocateIds(next, "transaction", txInputs.length)
  next = afterTx
  const newTransactions: ReadonlyArray<StoreModel.Transaction> = txInputs.map((t, i) => ({
    id: txIds[i]!,
    kind: "REFUND",
    status: "SUCCESS",
    gateway: t.gateway,
    amount: refundAmounts[i]!,
    test: order.test,
    parentId: t.parentId ? Option.getOrNull(Gid.idOf(t.parentId, "OrderTransaction")) : null,
    processedAt: StoreModel.truncateToSecond(input.processedAt ?? ctx.now),
    createdAt: now
  }))
  const [rliIds, afterRli] = StoreModel.allocateIds(next, "refundLineItem", lineRefunds.length)
  next = afterRli
  const refundLines: ReadonlyArray<StoreModel.RefundLineItem> = lineRefunds.map((r, i) => {
    const value = OrderMath.lineRefundValue(order, r.line, r.quantity)
    return {
      id: rliIds[i]!,
      lineItemId: r.line.id,
      quantity: r.quantity,
      restockType: r.restockType,
      restocked: r.restockType !== "NO_RESTOCK",
      price: r.line.unitPrice,
      subtotal: value.subtotal,
      totalTax: value.tax
    }
  })
  const [refundId, afterRefund] = StoreModel.allocateId(next, "refund")
  next = afterRefund
  const refund: StoreModel.Refund = {
    id: refundId,
    note: input.note ?? null,
    createdAt: now,
    processedAt: StoreModel.truncateToSecond(input.processedAt ?? ctx.now),
    lineItems: refundLines,
    transactionIds: txIds,
    shipping,
    totalRefunded: requested
  }
  const updated = OrderMath.withTotals({
    ...order,
    lineItems: order.lineItems.map((l) => {
      const q = lineRefunds.filter((r) => r.line.id === l.id).reduce((n, r) => n + r.quantity, 0)
      return q === 0 ? l : { ...l, refundedQuantity: l.refundedQuantity + q }
    }),
    transactions: [...order.transactions, ...newTransactions],
    refunds: [...order.refunds, refund],
    updatedAt: now
  })
  next = StoreModel.putOrder(next, updated, now, ctx.lagMillis)
  next = touchCustomer(next, order.customerId, ctx)
  return { data: next, value: { order: updated, refund, userErrors: [] } }
}
