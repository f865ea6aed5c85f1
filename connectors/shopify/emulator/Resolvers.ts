// The GraphQL root value: query and mutation fields resolved against the request's working copy of the
// shop data. Objects are returned as views whose function-valued properties take the field's
// arguments (graphql-js's default resolver calls them), so nested connections and derived money are
// computed only when selected.
import { GraphQLError } from "graphql"
import { HashMap, Option } from "effect"
import * as BulkOperationState from "./BulkOperationState.js"
import * as Connection from "./Connection.js"
import * as CustomerMutations from "./CustomerMutations.js"
import * as EmailAddress from "./EmailAddress.js"
import * as Gid from "./Gid.js"
import * as MailingAddressInput from "./MailingAddressInput.js"
import * as Money from "./Money.js"
import * as OrderMutations from "./OrderMutations.js"
import * as PhoneNumber from "./PhoneNumber.js"
import * as ProductCatalog from "./ProductCatalog.js"
import type { RequestContext } from "./RequestContext.js"
import * as SearchFilter from "./SearchFilter.js"
import * as SearchQuery from "./SearchQuery.js"
import * as SearchResources from "./SearchResources.js"
import * as StoreModel from "./StoreModel.js"

type Args = Readonly<Record<string, unknown>>
type View = object

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } })

const unwrapPage = <A>(page: Connection.Page<A> | Connection.ConnectionError): Connection.Page<A> => {
  if (page instanceof Connection.ConnectionError) throw badRequest(page.message)
  return page
}

/** A connection over an in-memory list kept in creation order (line items, addresses, …). */
const listConnection = <A extends { readonly id: number }, V>(
  items: ReadonlyArray<A>,
  args: Args,
  ctx: RequestContext,
  view: (a: A) => V
) => {
  const sorted = items.map((a) => ({ id: a.id, value: a.id, record: a }))
  return Connection.toConnection(unwrapPage(Connection.paginate(sorted, args as Connection.PageArgs, () => true, ctx.limits)), view)
}

const money = (amount: Money.Amount, currencyCode: string) => ({ amount, currencyCode })

/** A MoneyBag: shop and presentment money, built only when selected. */
class BagView {
  constructor(private readonly bag: Money.Bag, private readonly o: StoreModel.Order) {}
  get shopMoney() {
    return money(this.bag.shop, this.o.currency)
  }
  get presentmentMoney() {
    return money(this.bag.presentment, this.o.presentmentCurrency)
  }
}

const bagView = (bag: Money.Bag, o: StoreModel.Order) => new BagView(bag, o)

const userErrorView = (e: CustomerMutations.UserError) => ({ field: e.field, message: e.message, code: e.code ?? null })

// --- Addresses --------------------------------------------------------------------------------------

const addressView = (a: StoreModel.Address, gid: string | null): View => ({
  __typename: "MailingAddress",
  id: gid ?? Gid.make("MailingAddress", a.id),
  firstName: a.firstName,
  lastName: a.lastName,
  name: MailingAddressInput.fullName(a),
  company: a.company,
  address1: a.address1,
  address2: a.address2,
  city: a.city,
  province: a.province,
  provinceCode: a.provinceCode,
  country: a.country,
  countryCode: a.countryCode,
  countryCodeV2: a.countryCode,
  zip: a.zip,
  phone: a.phone,
  formattedArea: MailingAddressInput.formattedArea(a),
  formatted: (args: Args) => MailingAddressInput.formatted(a, args["withName"] === true, args["withCompany"] !== false),
  coordinatesValidated: false,
  latitude: null,
  longitude: null,
  timeZone: null
})

const customerAddressView = (a: StoreModel.Address) => addressView(a, Gid.customerAddress(a.id))

const orderAddressView = (a: StoreModel.Address | null, orderId: number, kind: number) =>
  a === null ? null : addressView(a, Gid.make("MailingAddress", orderId * 10 + kind))

// --- Customers --------------------------------------------------------------------------------------

const consentState = (state: string) => (state === "REDACTED" ? "NOT_SUBSCRIBED" : state)

const lifetime = (from: number, now: number): string => {
  const minutes = Math.max(0, Math.round((now - from) / 60000))
  if (minutes < 1) return "less than a minute"
  if (minutes < 45) return `${minutes} minute${minutes === 1 ? "" : "s"}`
  if (minutes < 90) return "about 1 hour"
  if (minutes < 1440) return `about ${Math.round(minutes / 60)} hours`
  if (minutes < 2520) return "1 day"
  if (minutes < 43200) return `${Math.round(minutes / 1440)} days`
  if (minutes < 86400) return "about 1 month"
  if (minutes < 525600) return `${Math.round(minutes / 43200)} months`
  const years = Math.floor(minutes / 525600)
  return years === 1 ? "about 1 year" : `about ${years} years`
}

export const customerView = (c: StoreModel.Customer, ctx: RequestContext): View => {
  const data = () => ctx.state.data
  const orders = () => StoreModel.ordersOfCustomer(data(), c.id)
  const email = c.email
  const phone = c.phone
  return {
    __typename: "Customer",
    id: Gid.make("Customer", c.id),
    legacyResourceId: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: CustomerMutations.displayName(c),
    email,
    phone,
    defaultEmailAddress: email === null ? null : {
      emailAddress: email,
      marketingState: consentState(c.emailMarketing?.state ?? "NOT_SUBSCRIBED"),
      marketingOptInLevel: c.emailMarketing?.optInLevel ?? null,
      marketingUpdatedAt: c.emailMarketing?.updatedAt ?? null,
      marketingUnsubscribeUrl: `https://${ctx.shop.myshopifyDomain}/unsubscribe?c=${c.id}`,
      validFormat: EmailAddress.isValid(email)
    },
    defaultPhoneNumber: phone === null ? null : {
      phoneNumber: phone,
      marketingState: c.smsMarketing?.state ?? "NOT_SUBSCRIBED",
      marketingOptInLevel: c.smsMarketing?.optInLevel ?? null,
      marketingUpdatedAt: c.smsMarketing?.updatedAt ?? null,
      marketingCollectedFrom: c.smsMarketing?.collectedFrom ?? null
    },
    emailMarketingConsent: email === null || c.emailMarketing === null ? null : {
      marketingState: c.emailMarketing.state,
      marketingOptInLevel: c.emailMarketing.optInLevel,
      consentUpdatedAt: c.emailMarketing.updatedAt
    },
    smsMarketingConsent: phone === null || c.smsMarketing === null ? null : {
      marketingState: c.smsMarketing.state,
      marketingOptInLevel: c.smsMarketing.optInLevel ?? "SINGLE_OPT_IN",
      consentUpdatedAt: c.smsMarketing.updatedAt,
      consentCollectedFrom: c.smsMarketing.collectedFrom
    },
    defaultAddress: (() => {
      const a = CustomerMutations.defaultAddress(c)
      return a === null ? null : customerAddressView(a)
    })(),
    addresses: (args: Args) => {
      const first = typeof args["first"] === "number" ? args["first"] : 250
      return c.addresses.slice(0, Math.min(first, 250)).map(customerAddressView)
    },
    addressesV2: (args: Args) => listConnection(c.addresses, args, ctx, customerAddressView),
    tags: c.tags,
    note: c.note,
    state: c.state,
    locale: c.locale,
    verifiedEmail: c.verifiedEmail,
    validEmailAddress: email !== null && EmailAddress.isValid(email),
    taxExempt: c.taxExempt,
    taxExemptions: c.taxExemptions,
    multipassIdentifier: c.multipassIdentifier,
    dataSaleOptOut: false,
    numberOfOrders: () => orders().length,
    amountSpent: () => money(SearchResources.amountSpent(data(), c), ctx.shop.currencyCode),
    lastOrder: () => {
      const all = orders()
      const latest = all.reduce<StoreModel.Order | undefined>((best, o) => (best === undefined || o.createdAt >= best.createdAt ? o : best), undefined)
      return latest === undefined ? null : orderView(latest, ctx)
    },
    orders: (args: Args) => {
      const sortKey = String(args["sortKey"] ?? "ID")
      const node = SearchQuery.parse(args["query"] as string | null | undefined)
      const resource = SearchResources.orderResource(data())
      const sorted = Connection.sortItems(orders().map((o) => ({ id: o.id, value: SearchResources.orderSortValue(data(), sortKey, o), record: o })))
      const options = { now: ctx.now, dateGranularity: ctx.dateGranularity }
      const page = unwrapPage(Connection.paginate(sorted, args as Connection.PageArgs, SearchFilter.compile(resource, node, options), ctx.limits))
      return Connection.toConnection(page, (o) => orderView(o, ctx))
    },
    canDelete: () => orders().length === 0,
    lifetimeDuration: lifetime(c.createdAt, ctx.now),
    metafields: (args: Args) => {
      const ns = args["namespace"] as string | null | undefined
      const keys = args["keys"] as ReadonlyArray<string> | null | undefined
      const list = c.metafields.filter((m) => (ns ? m.namespace === ns : true) && (keys ? keys.includes(`${m.namespace}.${m.key}`) : true))
      return listConnection(list, args, ctx, (m) => ({ __typename: "Metafield", ...m, id: Gid.make("Metafield", m.id) }))
    },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt
  }
}

// --- Orders -----------------------------------------------------------------------------------------

const taxLineView = (t: StoreModel.TaxLine, o: StoreModel.Order) => ({
  title: t.title,
  rate: t.rate,
  ratePercentage: Math.round(t.rate * 100 * 1e6) / 1e6,
  priceSet: bagView(t.price, o),
  channelLiable: t.channelLiable,
  source: "Shopify"
})

const productOf = (l: StoreModel.LineItem): View | null => {
  if (l.variantId === null) return l.productId === null ? null : productView(l.productId, l.title, l.vendor)
  const known = ProductCatalog.variantById(l.variantId)
  return productView(known?.productId ?? l.productId ?? l.variantId + 1, known?.productTitle ?? l.title, known?.vendor ?? l.vendor)
}

const variantView = (l: StoreModel.LineItem): View | null => {
  if (l.variantId === null) return null
  const known = ProductCatalog.variantById(l.variantId)
  const productTitle = known?.productTitle ?? l.title
  return {
    __typename: "ProductVariant",
    id: Gid.make("ProductVariant", l.variantId),
    legacyResourceId: l.variantId,
    title: known?.title ?? l.variantTitle ?? "Default Title",
    displayName: `${productTitle} - ${known?.title ?? l.variantTitle ?? "Default Title"}`,
    sku: known?.sku ?? l.sku,
    price: known?.price ?? l.unitPrice.shop,
    product: productOf(l)
  }
}

const productView = (id: number, title: string, vendor: string | null): View => ({
  __typename: "Product",
  id: Gid.make("Product", id),
  legacyResourceId: id,
  title,
  handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""),
  vendor: vendor ?? ""
})

/** A line item as GraphQL sees it (a class for the same reason as OrderView). */
class LineItemView {
  constructor(private readonly l: StoreModel.LineItem, private readonly o: StoreModel.Order) {}
  private get originalTotal(): Money.Bag {
    const o = this.o
    return Money.bagScale(this.l.unitPrice, Money.fromInteger(this.l.quantity), Money.currencyScale(o.currency), Money.currencyScale(o.presentmentCurrency))
  }
  private get discountedTotal(): Money.Bag {
    return Money.isZero(this.l.discount.shop) ? this.originalTotal : Money.bagSubtract(this.originalTotal, this.l.discount)
  }
  private perUnit(bag: Money.Bag): Money.Bag {
    const q = Money.fromInteger(this.l.quantity)
    return {
      shop: Money.divide(bag.shop, q, Money.currencyScale(this.o.currency)),
      presentment: Money.divide(bag.presentment, q, Money.currencyScale(this.o.presentmentCurrency))
    }
  }
  private get current() {
    return this.l.quantity - this.l.refundedQuantity
  }
  get __typename() {
    return "LineItem"
  }
  get id() {
    return Gid.make("LineItem", this.l.id)
  }
  get title() {
    return this.l.title
  }
  get name() {
    return this.l.variantTitle === null ? this.l.title : `${this.l.title} - ${this.l.variantTitle}`
  }
  get variantTitle() {
    return this.l.variantTitle
  }
  get sku() {
    return this.l.sku
  }
  get vendor() {
    return this.l.vendor
  }
  get quantity() {
    return this.l.quantity
  }
  get currentQuantity() {
    return this.o.cancelledAt === null ? this.current : 0
  }
  get refundableQuantity() {
    return this.current
  }
  get unfulfilledQuantity() {
    return this.o.fulfillmentStatus === "FULFILLED" || this.o.cancelledAt !== null ? 0 : this.current
  }
  get nonFulfillableQuantity() {
    return this.l.refundedQuantity
  }
  get taxable() {
    return this.l.taxable
  }
  get requiresShipping() {
    return this.l.requiresShipping
  }
  get restockable() {
    return this.current > 0
  }
  get isGiftCard() {
    return this.l.giftCard
  }
  get customAttributes() {
    return this.l.customAttributes
  }
  get originalUnitPriceSet() {
    return bagView(this.l.unitPrice, this.o)
  }
  get originalTotalSet() {
    return bagView(this.originalTotal, this.o)
  }
  // Line-level (code) discounts count here, as Shopify's order-create captures show.
  get discountedUnitPriceSet() {
    return bagView(this.perUnit(this.discountedTotal), this.o)
  }
  get discountedUnitPriceAfterAllDiscountsSet() {
    return bagView(this.perUnit(this.discountedTotal), this.o)
  }
  discountedTotalSet() {
    return bagView(this.discountedTotal, this.o)
  }
  get totalDiscountSet() {
    return bagView(this.l.discount, this.o)
  }
  taxLines(args: Args) {
    const first = typeof args["first"] === "number" ? args["first"] : undefined
    return this.l.taxLines.slice(0, first).map((t) => taxLineView(t, this.o))
  }
  get variant() {
    return variantView(this.l)
  }
  get product() {
    return productOf(this.l)
  }
}

const lineItemView = (l: StoreModel.LineItem, o: StoreModel.Order): View => new LineItemView(l, o)

const shippingLineView = (s: StoreModel.ShippingLine, o: StoreModel.Order): View => {
  const discounted = Money.bagSubtract(s.price, s.discount)
  return {
    id: Gid.make("ShippingLine", s.id),
    title: s.title,
    code: s.code,
    source: s.source,
    carrierIdentifier: null,
    phone: null,
    custom: true,
    isRemoved: false,
    originalPriceSet: bagView(s.price, o),
    discountedPriceSet: bagView(discounted, o),
    currentDiscountedPriceSet: bagView(o.cancelledAt === null ? discounted : Money.bagZero, o),
    taxLines: s.taxLines.map((t) => taxLineView(t, o))
  }
}

const transactionView = (t: StoreModel.Transaction, o: StoreModel.Order, ctx: RequestContext): View => ({
  __typename: "OrderTransaction",
  id: Gid.make("OrderTransaction", t.id),
  kind: t.kind,
  status: t.status,
  gateway: t.gateway,
  formattedGateway: t.gateway === "manual" ? "Manual" : t.gateway,
  manualPaymentGateway: t.gateway === "manual",
  test: t.test,
  paymentId: `c${o.id}.${o.transactions.indexOf(t) + 1}`,
  amountSet: bagView(t.amount, o),
  processedAt: t.processedAt,
  createdAt: t.createdAt,
  order: () => orderView(currentOrder(o, ctx), ctx),
  parentTransaction: () => {
    const parent = t.parentId === null ? undefined : o.transactions.find((p) => p.id === t.parentId)
    return parent === undefined ? null : transactionView(parent, o, ctx)
  }
})

const refundView = (r: StoreModel.Refund, o: StoreModel.Order, ctx: RequestContext): View => ({
  __typename: "Refund",
  id: Gid.make("Refund", r.id),
  legacyResourceId: r.id,
  note: r.note,
  createdAt: r.createdAt,
  updatedAt: r.createdAt,
  processedAt: r.processedAt,
  totalRefundedSet: bagView(r.totalRefunded, o),
  order: () => orderView(currentOrder(o, ctx), ctx),
  refundLineItems: (args: Args) =>
    listConnection(r.lineItems, args, ctx, (rl) => {
      const line = o.lineItems.find((l) => l.id === rl.lineItemId)!
      return {
        id: Gid.make("RefundLineItem", rl.id),
        quantity: rl.quantity,
        restockType: rl.restockType,
        restocked: rl.restocked,
        priceSet: bagView(rl.price, o),
        // Captured: a NO_RESTOCK refund line reports a zero subtotal (refund-create-full-parity.json).
        subtotalSet: bagView(rl.restockType === "NO_RESTOCK" ? Money.bagZero : rl.subtotal, o),
        totalTaxSet: bagView(rl.totalTax, o),
        lineItem: lineItemView(line, o)
      }
    }),
  transactions: (args: Args) =>
    listConnection(o.transactions.filter((t) => r.transactionIds.includes(t.id)), args, ctx, (t) => transactionView(t, o, ctx))
})

const currentOrder = (o: StoreModel.Order, ctx: RequestContext): StoreModel.Order =>
  Option.getOrElse(StoreModel.getOrder(ctx.state.data, o.id), () => o)

/**
 * An order as GraphQL sees it. A class with getters rather than an object literal: a page of 250
 * orders builds 250 of these, and only the fields a query selects are ever computed.
 */
class OrderView {
  constructor(private readonly o: StoreModel.Order, private readonly ctx: RequestContext) {}
  private get t() {
    return this.o.totals
  }
  private bag(b: Money.Bag) {
    return bagView(b, this.o)
  }
  get __typename() {
    return "Order"
  }
  get id() {
    return Gid.make("Order", this.o.id)
  }
  get legacyResourceId() {
    return this.o.id
  }
  get name() {
    return this.o.name
  }
  get number() {
    return this.o.number
  }
  get email() {
    return this.o.email
  }
  get phone() {
    return this.o.phone
  }
  get note() {
    return this.o.note
  }
  get tags() {
    return this.o.tags
  }
  get customAttributes() {
    return this.o.customAttributes
  }
  get test() {
    return this.o.test
  }
  get sourceName() {
    return this.o.sourceName
  }
  get sourceIdentifier() {
    return this.o.sourceIdentifier
  }
  get poNumber() {
    return this.o.poNumber
  }
  get confirmed() {
    return true
  }
  get edited() {
    return false
  }
  get createdAt() {
    return this.o.createdAt
  }
  get updatedAt() {
    return this.o.updatedAt
  }
  get processedAt() {
    return this.o.processedAt
  }
  get closed() {
    return this.o.closedAt !== null
  }
  get closedAt() {
    return this.o.closedAt
  }
  get cancelledAt() {
    return this.o.cancelledAt
  }
  get cancelReason() {
    return this.o.cancelReason
  }
  get cancellation() {
    return this.o.cancelledAt === null ? null : { staffNote: this.o.cancellationNote }
  }
  customer() {
    if (this.o.customerId === null) return null
    const c = StoreModel.getCustomer(this.ctx.state.data, this.o.customerId)
    return Option.isSome(c) ? customerView(c.value, this.ctx) : null
  }
  get customerAcceptsMarketing() {
    return this.o.buyerAcceptsMarketing
  }
  get currencyCode() {
    return this.o.currency
  }
  get presentmentCurrencyCode() {
    return this.o.presentmentCurrency
  }
  get taxesIncluded() {
    return this.o.taxesIncluded
  }
  get taxExempt() {
    return false
  }
  get displayFinancialStatus() {
    return this.t.financialStatus
  }
  get displayFulfillmentStatus() {
    return this.o.fulfillmentStatus
  }
  get fulfillable() {
    return this.o.cancelledAt === null && this.o.fulfillmentStatus !== "FULFILLED" && this.t.currentItemCount > 0
  }
  get requiresShipping() {
    return this.o.lineItems.some((l) => l.requiresShipping)
  }
  get paymentGatewayNames() {
    return SearchResources.gatewayNames(this.o)
  }
  get discountCode() {
    return this.o.discountCodes[0] ?? null
  }
  get discountCodes() {
    return this.o.discountCodes
  }
  get capturable() {
    return Money.isPositive(this.t.capturable.shop)
  }
  get canMarkAsPaid() {
    return this.o.cancelledAt === null && Money.isPositive(this.t.outstanding.shop)
  }
  get fullyPaid() {
    const t = this.t
    return Money.isZero(t.outstanding.shop) && Money.isPositive(t.received.shop)
  }
  get unpaid() {
    return Money.isZero(this.t.received.shop)
  }
  get refundable() {
    return Money.isPositive(this.t.netPayment.shop)
  }
  get subtotalLineItemsQuantity() {
    return this.t.itemCount
  }
  get currentSubtotalLineItemsQuantity() {
    return this.t.currentItemCount
  }
  get subtotalPriceSet() {
    return this.bag(this.t.subtotal)
  }
  get subtotalPrice() {
    return this.t.subtotal.shop
  }
  get currentSubtotalPriceSet() {
    return this.bag(this.t.currentSubtotal)
  }
  get totalShippingPriceSet() {
    return this.bag(this.t.totalShipping)
  }
  get currentShippingPriceSet() {
    return this.bag(this.t.currentShipping)
  }
  get totalTaxSet() {
    return this.bag(this.t.totalTax)
  }
  get totalTax() {
    return this.t.totalTax.shop
  }
  get currentTotalTaxSet() {
    return this.bag(this.t.currentTax)
  }
  get totalDiscountsSet() {
    return this.bag(this.t.totalDiscounts)
  }
  get totalDiscounts() {
    return this.t.totalDiscounts.shop
  }
  get currentTotalDiscountsSet() {
    return this.bag(this.t.currentDiscounts)
  }
  get totalPriceSet() {
    return this.bag(this.t.totalPrice)
  }
  get totalPrice() {
    return this.t.totalPrice.shop
  }
  get originalTotalPriceSet() {
    return this.bag(this.t.totalPrice)
  }
  get currentTotalPriceSet() {
    return this.bag(this.t.currentTotal)
  }
  get totalOutstandingSet() {
    return this.bag(this.t.outstanding)
  }
  get totalReceivedSet() {
    return this.bag(this.t.received)
  }
  get totalRefundedSet() {
    return this.bag(this.t.refunded)
  }
  get totalRefundedShippingSet() {
    return this.bag(this.t.refundedShipping)
  }
  get totalCapturableSet() {
    return this.bag(this.t.capturable)
  }
  get netPaymentSet() {
    return this.bag(this.t.netPayment)
  }
  get totalTipReceivedSet() {
    return this.bag(Money.bagZero)
  }
  get taxLines() {
    return this.t.taxLines.map((x) => taxLineView(x, this.o))
  }
  get currentTaxLines() {
    return this.t.currentTaxLines.map((x) => taxLineView(x, this.o))
  }
  get billingAddress() {
    return orderAddressView(this.o.billingAddress, this.o.id, 1)
  }
  get shippingAddress() {
    return orderAddressView(this.o.shippingAddress, this.o.id, 2)
  }
  get displayAddress() {
    const o = this.o
    return orderAddressView(o.billingAddress ?? o.shippingAddress, o.id, o.billingAddress === null ? 2 : 1)
  }
  get billingAddressMatchesShippingAddress() {
    return JSON.stringify({ ...this.o.billingAddress, id: 0 }) === JSON.stringify({ ...this.o.shippingAddress, id: 0 })
  }
  get shippingLine() {
    const first = this.o.shippingLines[0]
    return first === undefined ? null : shippingLineView(first, this.o)
  }
  shippingLines(args: Args) {
    return listConnection(this.o.shippingLines, args, this.ctx, (s) => shippingLineView(s, this.o))
  }
  lineItems(args: Args) {
    return listConnection(this.o.lineItems, args, this.ctx, (l) => lineItemView(l, this.o))
  }
  transactions(args: Args) {
    let list = this.o.transactions
    if (args["capturable"] === true) list = list.filter((x) => x.kind === "AUTHORIZATION")
    const first = typeof args["first"] === "number" ? args["first"] : undefined
    return list.slice(0, first).map((x) => transactionView(x, this.o, this.ctx))
  }
  refunds(args: Args) {
    const first = typeof args["first"] === "number" ? args["first"] : undefined
    return this.o.refunds.slice(0, first).map((r) => refundView(r, this.o, this.ctx))
  }
}

export const orderView = (o: StoreModel.Order, ctx: RequestContext): OrderView => new OrderView(o, ctx)

// --- Bulk operations and shop -----------------------------------------------------------------------

export const bulkOperationView = (op: StoreModel.BulkOperation, ctx: RequestContext): View => {
  const v = BulkOperationState.view(op, ctx.now, ctx.bulkSettings, ctx.baseUrl)
  return {
    __typename: "BulkOperation",
    id: Gid.make("BulkOperation", op.id),
    type: "QUERY",
    query: op.query,
    createdAt: op.createdAt,
    status: v.status,
    errorCode: v.errorCode,
    completedAt: v.completedAt,
    objectCount: v.objectCount,
    rootObjectCount: v.rootObjectCount,
    fileSize: v.fileSize,
    url: v.url,
    partialDataUrl: v.partialDataUrl
  }
}

const shopView = (ctx: RequestContext): View => ({
  __typename: "Shop",
  id: Gid.make("Shop", ctx.shop.id),
  name: ctx.shop.name,
  email: ctx.shop.email,
  contactEmail: ctx.shop.email,
  myshopifyDomain: ctx.shop.myshopifyDomain,
  currencyCode: ctx.shop.currencyCode,
  enabledPresentmentCurrencies: ctx.shop.enabledPresentmentCurrencies,
  ianaTimezone: ctx.shop.ianaTimezone,
  timezoneAbbreviation: ctx.shop.timezoneAbbreviation,
  taxesIncluded: false,
  url: `https://${ctx.shop.myshopifyDomain}`,
  primaryDomain: {
    __typename: "Domain",
    id: Gid.make("Domain", ctx.shop.id + 1),
    host: ctx.shop.myshopifyDomain,
    url: `https://${ctx.shop.myshopifyDomain}`
  },
  plan: { displayName: "Developer Preview", publicDisplayName: "Developer Preview", partnerDevelopment: true, shopifyPlus: false }
})

// --- Root fields --------------------------------------------------------------------------------------

/** Resolves a gid argument: null for an unknown record, an error for a gid of another type (captured). */
const lookup = <A>(gid: string, type: Gid.ResourceType, get: (id: number) => Option.Option<A>): A | null => {
  const parsed = Gid.parse(gid)
  if (Option.isNone(parsed)) throw new GraphQLError(`Invalid global id '${gid}'`, { extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" } })
  if (parsed.value.type !== type) throw new GraphQLError(`Invalid id: ${gid}`, { extensions: { code: "RESOURCE_NOT_FOUND" } })
  return Option.getOrNull(get(parsed.value.id))
}

const searchConnection = <A extends { readonly id: number }>(
  ctx: RequestContext,
  args: Args,
  collection: "customers" | "orders",
  entries: () => Iterable<StoreModel.Indexed<A>>,
  resource: SearchFilter.Resource<A>,
  sortValue: (key: string, a: A) => Connection.SortValue,
  defaultSort: string,
  view: (a: A) => View,
  current: (id: number) => A | undefined
) => {
  const sortKey = String(args["sortKey"] ?? defaultSort)
  const queryText = args["query"] as string | null | undefined
  const node = SearchQuery.parse(queryText)
  const invalid = SearchFilter.validate(resource, node, ctx.now)
  if (invalid !== undefined) throw badRequest(invalid.message)
  // A search goes through the index, which lags behind writes (FACTS §1.5); a plain listing does not.
  const searching = queryText !== null && queryText !== undefined && queryText.trim().length > 0 && ctx.lagMillis > 0
  const build = () => {
    const items: Array<Connection.SortedItem<A>> = []
    for (const entry of entries()) {
      const version = searching ? StoreModel.indexedVersion(entry, ctx.now, ctx.lagMillis) : Option.some(entry.current)
      if (Option.isSome(version)) items.push({ id: version.value.id, value: sortValue(sortKey, version.value), record: version.value })
    }
    return Connection.sortItems(items)
  }
  const sorted = searching ? build() : ctx.sortCache.sorted(`${collection}:${sortKey}`, ctx.state.data.version, build)
  const options = { now: ctx.now, dateGranularity: ctx.dateGranularity }
  const keep = node === SearchQuery.matchAll ? () => true : SearchFilter.compile(resource, node, options)
  const depths = ctx.sortCache.depths(`${collection}:${sortKey}:${args["reverse"] === true}:${queryText ?? ""}:${ctx.state.data.version}`)
  const page = unwrapPage(Connection.paginate(sorted, args as Connection.PageArgs, keep, ctx.limits, searching ? undefined : depths))
  return Connection.toConnection(page, (a) => view(current(a.id) ?? a))
}

const countOf = <A>(ctx: RequestContext, args: Args, entries: Iterable<StoreModel.Indexed<A>>, resource: SearchFilter.Resource<A>) => {
  const node = SearchQuery.parse(args["query"] as string | null | undefined)
  const invalid = SearchFilter.validate(resource, node, ctx.now)
  if (invalid !== undefined) throw badRequest(invalid.message)
  const limit = typeof args["limit"] === "number" ? args["limit"] : null
  const options = { now: ctx.now, dateGranularity: ctx.dateGranularity }
  let count = 0
  const keep = SearchFilter.compile(resource, node, options)
  for (const e of entries) {
    if (keep(e.current)) {
      count++
      if (limit !== null && count > limit) return { count: limit, precision: "AT_LEAST" }
    }
  }
  return { count, precision: "EXACT" }
}

const identifierKeys = ["id", "customId", "emailAddress", "phoneNumber"] as const

export const rootValue = {
  customer: (args: Args, ctx: RequestContext) => {
    const c = lookup(String(args["id"]), "Customer", (id) => StoreModel.getCustomer(ctx.state.data, id))
    return c === null ? null : customerView(c, ctx)
  },
  customerByIdentifier: (args: Args, ctx: RequestContext) => {
    const identifier = args["identifier"] as Readonly<Record<string, unknown>>
    const given = identifierKeys.filter((k) => identifier[k] !== undefined && identifier[k] !== null)
    if (given.length !== 1) {
      throw new GraphQLError(`'CustomerIdentifierInput' requires exactly one argument, but ${given.length} were provided.`, {
        extensions: { code: "INVALID_FIELD_ARGUMENTS" }
      })
    }
    const data = ctx.state.data
    const byIndex = (index: HashMap.HashMap<string, number>, key: string) =>
      Option.getOrNull(Option.flatMap(HashMap.get(index, key), (id) => StoreModel.getCustomer(data, id)))
    let found: StoreModel.Customer | null = null
    switch (given[0]) {
      case "customId":
        throw new GraphQLError("Metafield definition of type 'id' is required when using custom ids.", { extensions: { code: "NOT_FOUND" } })
      case "id": {
        const parsed = Gid.idOf(String(identifier["id"]), "Customer")
        found = Option.isNone(parsed) ? null : Option.getOrNull(StoreModel.getCustomer(data, parsed.value))
        break
      }
      case "emailAddress":
        found = byIndex(data.emailIndex, EmailAddress.normalize(String(identifier["emailAddress"])))
        break
      case "phoneNumber": {
        const raw = String(identifier["phoneNumber"])
        found = byIndex(data.phoneIndex, Option.getOrElse(PhoneNumber.normalize(raw, ctx.shop.countryCode), () => raw.trim()))
        break
      }
    }
    return found === null ? null : customerView(found, ctx)
  },
  customers: (args: Args, ctx: RequestContext) =>
    searchConnection(
      ctx,
      args,
      "customers",
      () => HashMap.values(ctx.state.data.customers),
      SearchResources.customerResource(ctx.state.data, ctx.shop.countryCode),
      SearchResources.customerSortValue,
      "ID",
      (c) => customerView(c, ctx),
      (id) => Option.getOrUndefined(StoreModel.getCustomer(ctx.state.data, id))
    ),
  customersCount: (args: Args, ctx: RequestContext) =>
    countOf(ctx, args, HashMap.values(ctx.state.data.customers), SearchResources.customerResource(ctx.state.data, ctx.shop.countryCode)),
  order: (args: Args, ctx: RequestContext) => {
    const o = lookup(String(args["id"]), "Order", (id) => StoreModel.getOrder(ctx.state.data, id))
    return o === null ? null : orderView(o, ctx)
  },
  orders: (args: Args, ctx: RequestContext) =>
    searchConnection(
      ctx,
      args,
      "orders",
      () => HashMap.values(ctx.state.data.orders),
      SearchResources.orderResource(ctx.state.data),
      (key, o) => SearchResources.orderSortValue(ctx.state.data, key, o),
      "PROCESSED_AT",
      (o) => orderView(o, ctx),
      (id) => Option.getOrUndefined(StoreModel.getOrder(ctx.state.data, id))
    ),
  ordersCount: (args: Args, ctx: RequestContext) =>
    countOf(ctx, args, HashMap.values(ctx.state.data.orders), SearchResources.orderResource(ctx.state.data)),
  node: (args: Args, ctx: RequestContext) => nodeOf(String(args["id"]), ctx),
  nodes: (args: Args, ctx: RequestContext) => (args["ids"] as ReadonlyArray<string>).map((id) => nodeOf(id, ctx)),
  bulkOperation: (args: Args, ctx: RequestContext) => {
    const op = lookup(String(args["id"]), "BulkOperation", (id) =>
      Option.fromNullable(ctx.state.data.bulkOperations.find((b) => b.id === id)))
    return op === null ? null : bulkOperationView(op, ctx)
  },
  bulkOperations: (args: Args, ctx: RequestContext) => {
    const sortKey = String(args["sortKey"] ?? "CREATED_AT")
    const node = SearchQuery.parse(args["query"] as string | null | undefined)
    for (const t of SearchQuery.terms(node)) {
      if (t.field === "created_at" && t.value !== "*" && SearchFilter.parseTime(t.value, ctx.now) === undefined) {
        throw badRequest("Invalid timestamp for query filter `created_at`.")
      }
    }
    const views = ctx.state.data.bulkOperations.map((op) => ({ op, v: BulkOperationState.view(op, ctx.now, ctx.bulkSettings, ctx.baseUrl) }))
    const sorted = Connection.sortItems(views.map((x) => ({
      id: x.op.id,
      value: sortKey === "COMPLETED_AT" ? x.v.completedAt ?? 0 : x.op.createdAt,
      record: x
    })))
    const keep = (x: (typeof views)[number]) =>
      SearchQuery.terms(node).every((t) =>
        t.field === "status" ? x.v.status.toLowerCase() === t.value.toLowerCase()
        : t.field === "operation_type" ? t.value.toLowerCase() === "query"
        : t.field === "id" ? SearchFilter.compareId(x.op.id, t)
        : true
      )
    const page = unwrapPage(Connection.paginate(sorted, args as Connection.PageArgs, keep, ctx.limits))
    return Connection.toConnection(page, (x) => bulkOperationView(x.op, ctx))
  },
  currentBulkOperation: (args: Args, ctx: RequestContext) => {
    if (args["type"] === "MUTATION") return null
    const ops = ctx.state.data.bulkOperations
    const latest = ops[ops.length - 1]
    return latest === undefined ? null : bulkOperationView(latest, ctx)
  },
  shop: (_args: Args, ctx: RequestContext) => shopView(ctx),
  currentAppInstallation: (_args: Args, ctx: RequestContext) => ({
    __typename: "AppInstallation",
    id: Gid.make("AppInstallation", 1001),
    accessScopes: ctx.shop.accessScopes.map((handle) => ({ handle, description: `Access to ${handle.replace(/_/g, " ")}` }))
  }),

  // --- Mutations ------------------------------------------------------------------------------------

  customerCreate: (args: Args, ctx: RequestContext) =>
    customerPayload(ctx, CustomerMutations.customerCreate(ctx.state.data, args["input"] as CustomerMutations.CustomerInput, mutationContext(ctx))),
  customerUpdate: (args: Args, ctx: RequestContext) =>
    customerPayload(ctx, CustomerMutations.customerUpdate(ctx.state.data, args["input"] as CustomerMutations.CustomerInput, mutationContext(ctx))),
  customerSet: (args: Args, ctx: RequestContext) => {
    try {
      return customerPayload(
        ctx,
        CustomerMutations.customerSet(
          ctx.state.data,
          args["input"] as CustomerMutations.CustomerInput,
          args["identifier"] as CustomerMutations.CustomerSetIdentifiers | null | undefined,
          mutationContext(ctx)
        )
      )
    } catch (e) {
      if (e instanceof CustomerMutations.TopLevelError) throw new GraphQLError(e.message, { extensions: { code: e.code } })
      throw e
    }
  },
  customerDelete: (args: Args, ctx: RequestContext) => {
    const input = args["input"] as { readonly id: string }
    const outcome = CustomerMutations.customerDelete(ctx.state.data, input.id)
    ctx.state.data = outcome.data
    return { deletedCustomerId: outcome.value.deletedCustomerId, shop: shopView(ctx), userErrors: outcome.value.userErrors.map(userErrorView) }
  },
  customerSendAccountInviteEmail: (args: Args, ctx: RequestContext) =>
    customerPayload(
      ctx,
      CustomerMutations.customerSendAccountInviteEmail(
        ctx.state.data,
        String(args["customerId"]),
        args["email"] as CustomerMutations.EmailInput | null | undefined,
        mutationContext(ctx)
      )
    ),
  orderCreate: (args: Args, ctx: RequestContext) => {
    const outcome = OrderMutations.orderCreate(ctx.state.data, args["order"] as OrderMutations.OrderCreateInput, mutationContext(ctx))
    ctx.state.data = outcome.data
    return {
      order: outcome.value.order === null ? null : orderView(outcome.value.order, ctx),
      userErrors: outcome.value.userErrors.map(userErrorView)
    }
  },
  orderCancel: (args: Args, ctx: RequestContext) => {
    const outcome = OrderMutations.orderCancel(ctx.state.data, args as unknown as OrderMutations.CancelInput, mutationContext(ctx))
    ctx.state.data = outcome.data
    const errors = outcome.value.userErrors
    return {
      job: outcome.value.jobId === null ? null : { id: `gid://shopify/Job/${jobUuid(outcome.value.jobId)}`, done: false },
      orderCancelUserErrors: errors.map(userErrorView),
      userErrors: errors.map((e) => ({ field: e.field, message: e.message }))
    }
  },
  refundCreate: (args: Args, ctx: RequestContext) => {
    const outcome = OrderMutations.refundCreate(ctx.state.data, args["input"] as OrderMutations.RefundInput, mutationContext(ctx))
    ctx.state.data = outcome.data
    const { order, refund, userErrors } = outcome.value
    return {
      order: order === null ? null : orderView(order, ctx),
      refund: refund === null || order === null ? null : refundView(refund, order, ctx),
      userErrors: userErrors.map(userErrorView)
    }
  },
  bulkOperationRunQuery: (args: Args, ctx: RequestContext) => {
    const result = ctx.bulk.run(ctx, String(args["query"]), args["groupObjects"] === true)
    return {
      bulkOperation: result.operation === null ? null : bulkOperationView(result.operation, ctx),
      userErrors: result.userErrors
    }
  },
  bulkOperationCancel: (args: Args, ctx: RequestContext) => {
    const result = ctx.bulk.cancel(ctx, String(args["id"]))
    return {
      bulkOperation: result.operation === null ? null : bulkOperationView(result.operation, ctx),
      userErrors: result.userErrors
    }
  }
}

const mutationContext = (ctx: RequestContext): CustomerMutations.Context => ({ now: ctx.now, lagMillis: ctx.lagMillis, shop: ctx.shop })

const customerPayload = (ctx: RequestContext, outcome: CustomerMutations.Outcome<CustomerMutations.CustomerResult>) => {
  ctx.state.data = outcome.data
  return {
    customer: outcome.value.customer === null ? null : customerView(outcome.value.customer, ctx),
    userErrors: outcome.value.userErrors.map(userErrorView)
  }
}

const jobUuid = (n: number): string => {
  const hex = n.toString(16).padStart(12, "0")
  return `00000000-0000-4000-8000-${hex.slice(-12)}`
}

const nodeOf = (gid: string, ctx: RequestContext): View | null => {
  const parsed = Gid.parse(gid)
  if (Option.isNone(parsed)) return null
  const data = ctx.state.data
  switch (parsed.value.type) {
    case "Customer":
      return Option.match(StoreModel.getCustomer(data, parsed.value.id), { onNone: () => null, onSome: (c) => customerView(c, ctx) })
    case "Order":
      return Option.match(StoreModel.getOrder(data, parsed.value.id), { onNone: () => null, onSome: (o) => orderView(o, ctx) })
    case "BulkOperation": {
      const op = data.bulkOperations.find((b) => b.id === parsed.value.id)
      return op === undefined ? null : bulkOperationView(op, ctx)
    }
    default:
      return null
  }
}
