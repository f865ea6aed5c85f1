// The emulator's own schema: a hand-written subset of the Shopify Admin GraphQL API 2026-07 covering
// what the sync uses (customers, orders, refunds, bulk operations, shop). Every type, field, argument
// and enum value here exists in the real schema with the same type; the schema-subset test proves it
// against ../shared/shopify/admin-2026-07.graphql. Anything not declared here is an `undefinedField`
// error, exactly as an unknown field is on Shopify.
import { countryCodes, currencyCodes, taxExemptions } from "./EnumValues.js"

const connection = (name: string, node: string): string => `
type ${name}Connection {
  edges: [${name}Edge!]!
  nodes: [${node}!]!
  pageInfo: PageInfo!
}
type ${name}Edge {
  cursor: String!
  node: ${node}!
}`

export const sdl = `
schema {
  query: QueryRoot
  mutation: Mutation
}

scalar DateTime
scalar Decimal
scalar UnsignedInt64
scalar URL
scalar Money
scalar JSON

interface Node {
  id: ID!
}

interface DisplayableError {
  field: [String!]
  message: String!
}

type QueryRoot {
  customer(id: ID!): Customer
  customerByIdentifier(identifier: CustomerIdentifierInput!): Customer
  customers(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean = false
    sortKey: CustomerSortKeys = ID
    query: String
  ): CustomerConnection!
  customersCount(query: String, limit: Int = 10000): Count
  order(id: ID!): Order
  orders(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean = false
    sortKey: OrderSortKeys = PROCESSED_AT
    query: String
    savedSearchId: ID
  ): OrderConnection!
  ordersCount(query: String, savedSearchId: ID, limit: Int = 10000): Count
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  bulkOperation(id: ID!): BulkOperation
  bulkOperations(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean = false
    sortKey: BulkOperationsSortKeys = CREATED_AT
    query: String
  ): BulkOperationConnection!
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
    @deprecated(reason: "Use \`bulkOperations\` with status filter instead.")
  shop: Shop!
  currentAppInstallation: AppInstallation!
}

type Mutation {
  customerCreate(input: CustomerInput!): CustomerCreatePayload
  customerUpdate(input: CustomerInput!): CustomerUpdatePayload
  customerSet(input: CustomerSetInput!, identifier: CustomerSetIdentifiers): CustomerSetPayload
  customerDelete(input: CustomerDeleteInput!): CustomerDeletePayload
  customerSendAccountInviteEmail(customerId: ID!, email: EmailInput): CustomerSendAccountInviteEmailPayload
  orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput): OrderCreatePayload
  orderCancel(
    orderId: ID!
    refund: Boolean @deprecated(reason: "Use \`refundMethod\` instead.")
    refundMethod: OrderCancelRefundMethodInput
    restock: Boolean!
    reason: OrderCancelReason!
    notifyCustomer: Boolean = false
    staffNote: String = null
  ): OrderCancelPayload
  refundCreate(input: RefundInput!): RefundCreatePayload
  bulkOperationRunQuery(query: String!, groupObjects: Boolean! = false): BulkOperationRunQueryPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type Count {
  count: Int!
  precision: CountPrecision!
}

enum CountPrecision {
  EXACT
  AT_LEAST
}

type MoneyV2 {
  amount: Decimal!
  currencyCode: CurrencyCode!
}

type MoneyBag {
  presentmentMoney: MoneyV2!
  shopMoney: MoneyV2!
}

type Attribute {
  key: String!
  value: String
}

type Shop implements Node {
  contactEmail: String!
  currencyCode: CurrencyCode!
  email: String!
  enabledPresentmentCurrencies: [CurrencyCode!]!
  ianaTimezone: String!
  id: ID!
  myshopifyDomain: String!
  name: String!
  plan: ShopPlan!
  primaryDomain: Domain!
  taxesIncluded: Boolean!
  timezoneAbbreviation: String!
  url: URL!
}

type ShopPlan {
  displayName: String! @deprecated(reason: "Use \`publicDisplayName\` instead.")
  partnerDevelopment: Boolean!
  publicDisplayName: String!
  shopifyPlus: Boolean!
}

type Domain implements Node {
  host: String!
  id: ID!
  url: URL!
}

type AppInstallation implements Node {
  accessScopes: [AccessScope!]!
  id: ID!
}

type AccessScope {
  description: String!
  handle: String!
}

type Customer implements Node {
  addresses(first: Int): [MailingAddress!]!
    @deprecated(reason: "Limited to 250 addresses. Use \`addressesV2\` for paginated access to all addresses.")
  addressesV2(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): MailingAddressConnection!
  amountSpent: MoneyV2!
  canDelete: Boolean!
  createdAt: DateTime!
  dataSaleOptOut: Boolean!
  defaultAddress: MailingAddress
  defaultEmailAddress: CustomerEmailAddress
  defaultPhoneNumber: CustomerPhoneNumber
  displayName: String!
  email: String @deprecated(reason: "Use \`defaultEmailAddress.emailAddress\` instead.")
  emailMarketingConsent: CustomerEmailMarketingConsentState
    @deprecated(reason: "Use \`defaultEmailAddress.marketingState\`, \`defaultEmailAddress.marketingOptInLevel\`, \`defaultEmailAddress.marketingUpdatedAt\`, and \`defaultEmailAddress.sourceLocation\` instead.")
  firstName: String
  id: ID!
  lastName: String
  lastOrder: Order
  legacyResourceId: UnsignedInt64!
  lifetimeDuration: String!
  locale: String!
  metafields(
    namespace: String
    keys: [String!]
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean = false
  ): MetafieldConnection!
  multipassIdentifier: String
  note: String
  numberOfOrders: UnsignedInt64!
  orders(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean = false
    sortKey: OrderSortKeys = ID
    query: String
  ): OrderConnection!
  phone: String @deprecated(reason: "Use \`defaultPhoneNumber.phoneNumber\` instead.")
  smsMarketingConsent: CustomerSmsMarketingConsentState
    @deprecated(reason: "Use \`defaultPhoneNumber.marketingState\`, \`defaultPhoneNumber.marketingOptInLevel\`, \`defaultPhoneNumber.marketingUpdatedAt\`, \`defaultPhoneNumber.marketingCollectedFrom\`, and \`defaultPhoneNumber.sourceLocation\` instead.")
  state: CustomerState!
  tags: [String!]!
  taxExempt: Boolean!
  taxExemptions: [TaxExemption!]!
  updatedAt: DateTime!
  validEmailAddress: Boolean! @deprecated(reason: "Use \`defaultEmailAddress.validFormat\` instead.")
  verifiedEmail: Boolean!
}

type CustomerEmailAddress {
  emailAddress: String!
  marketingOptInLevel: CustomerMarketingOptInLevel
  marketingState: CustomerEmailAddressMarketingState!
  marketingUnsubscribeUrl: URL!
  marketingUpdatedAt: DateTime
  validFormat: Boolean!
}

type CustomerPhoneNumber {
  marketingCollectedFrom: CustomerConsentCollectedFrom
    @deprecated(reason: "Use \`smsMarketingConsent.collectedFrom\` instead.")
  marketingOptInLevel: CustomerMarketingOptInLevel @deprecated(reason: "Use \`smsMarketingConsent.optInLevel\` instead.")
  marketingState: CustomerSmsMarketingState! @deprecated(reason: "Use \`smsMarketingConsent.state\` instead.")
  marketingUpdatedAt: DateTime @deprecated(reason: "Use \`smsMarketingConsent.updatedAt\` instead.")
  phoneNumber: String!
}

type CustomerEmailMarketingConsentState {
  consentUpdatedAt: DateTime
  marketingOptInLevel: CustomerMarketingOptInLevel
  marketingState: CustomerEmailMarketingState!
}

type CustomerSmsMarketingConsentState {
  consentCollectedFrom: CustomerConsentCollectedFrom
  consentUpdatedAt: DateTime
  marketingOptInLevel: CustomerMarketingOptInLevel!
  marketingState: CustomerSmsMarketingState!
}

type MailingAddress implements Node {
  address1: String
  address2: String
  city: String
  company: String
  coordinatesValidated: Boolean!
  country: String
  countryCode: String @deprecated(reason: "Use \`countryCodeV2\` instead.")
  countryCodeV2: CountryCode
  firstName: String
  formatted(withName: Boolean = false, withCompany: Boolean = true): [String!]!
  formattedArea: String
  id: ID!
  lastName: String
  latitude: Float
  longitude: Float
  name: String
  phone: String
  province: String
  provinceCode: String
  timeZone: String
  zip: String
}

type Metafield implements Node {
  id: ID!
  key: String!
  namespace: String!
  type: String!
  value: String!
}

type Order implements Node {
  billingAddress: MailingAddress
  billingAddressMatchesShippingAddress: Boolean!
  canMarkAsPaid: Boolean!
  cancelReason: OrderCancelReason
  cancellation: OrderCancellation
  cancelledAt: DateTime
  capturable: Boolean!
  closed: Boolean!
  closedAt: DateTime
  confirmed: Boolean!
  createdAt: DateTime!
  currencyCode: CurrencyCode!
  currentShippingPriceSet: MoneyBag!
  currentSubtotalLineItemsQuantity: Int!
  currentSubtotalPriceSet: MoneyBag!
  currentTaxLines: [TaxLine!]!
  currentTotalDiscountsSet: MoneyBag!
  currentTotalPriceSet: MoneyBag!
  currentTotalTaxSet: MoneyBag!
  customAttributes: [Attribute!]!
  customer: Customer
  customerAcceptsMarketing: Boolean!
  discountCode: String
  discountCodes: [String!]!
  displayAddress: MailingAddress
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  edited: Boolean!
  email: String
  fulfillable: Boolean!
  fullyPaid: Boolean!
  id: ID!
  legacyResourceId: UnsignedInt64!
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
  name: String!
  netPaymentSet: MoneyBag!
  note: String
  number: Int!
  originalTotalPriceSet: MoneyBag!
  paymentGatewayNames: [String!]!
  phone: String
  poNumber: String
  presentmentCurrencyCode: CurrencyCode!
  processedAt: DateTime!
  refundable: Boolean!
  refunds(first: Int): [Refund!]!
  requiresShipping: Boolean!
  shippingAddress: MailingAddress
  shippingLine: ShippingLine
  shippingLines(
    includeRemovals: Boolean = false
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean = false
  ): ShippingLineConnection!
  sourceIdentifier: String
  sourceName: String
  subtotalLineItemsQuantity: Int!
  subtotalPrice: Money @deprecated(reason: "Use \`subtotalPriceSet\` instead.")
  subtotalPriceSet: MoneyBag
  tags: [String!]!
  taxExempt: Boolean!
  taxLines: [TaxLine!]!
  taxesIncluded: Boolean!
  test: Boolean!
  totalCapturableSet: MoneyBag!
  totalDiscounts: Money @deprecated(reason: "Use \`totalDiscountsSet\` instead.")
  totalDiscountsSet: MoneyBag
  totalOutstandingSet: MoneyBag!
  totalPrice: Money! @deprecated(reason: "Use \`totalPriceSet\` instead.")
  totalPriceSet: MoneyBag!
  totalReceivedSet: MoneyBag!
  totalRefundedSet: MoneyBag!
  totalRefundedShippingSet: MoneyBag!
  totalShippingPriceSet: MoneyBag!
  totalTax: Money @deprecated(reason: "Use \`totalTaxSet\` instead.")
  totalTaxSet: MoneyBag
  totalTipReceivedSet: MoneyBag!
  transactions(first: Int, capturable: Boolean, manuallyResolvable: Boolean): [OrderTransaction!]!
  unpaid: Boolean!
  updatedAt: DateTime!
}

type OrderCancellation {
  staffNote: String
}

type LineItem implements Node {
  currentQuantity: Int!
  customAttributes: [Attribute!]!
  discountedTotalSet(withCodeDiscounts: Boolean = false): MoneyBag!
  discountedUnitPriceAfterAllDiscountsSet: MoneyBag!
  discountedUnitPriceSet: MoneyBag!
  id: ID!
  isGiftCard: Boolean!
  name: String!
  nonFulfillableQuantity: Int!
  originalTotalSet: MoneyBag!
  originalUnitPriceSet: MoneyBag!
  product: Product
  quantity: Int!
  refundableQuantity: Int!
  requiresShipping: Boolean!
  restockable: Boolean!
  sku: String
  taxLines(first: Int): [TaxLine!]!
  taxable: Boolean!
  title: String!
  totalDiscountSet: MoneyBag!
  unfulfilledQuantity: Int!
  variant: ProductVariant
  variantTitle: String
  vendor: String
}

type ShippingLine {
  carrierIdentifier: String
  code: String
  currentDiscountedPriceSet: MoneyBag!
  custom: Boolean!
  discountedPriceSet: MoneyBag!
  id: ID
  isRemoved: Boolean!
  originalPriceSet: MoneyBag!
  phone: String
  source: String
  taxLines: [TaxLine!]!
  title: String!
}

type TaxLine {
  channelLiable: Boolean
  priceSet: MoneyBag!
  rate: Float
  ratePercentage: Float
  source: String
  title: String!
}

type OrderTransaction implements Node {
  amountSet: MoneyBag!
  createdAt: DateTime!
  formattedGateway: String
  gateway: String
  id: ID!
  kind: OrderTransactionKind!
  manualPaymentGateway: Boolean!
  order: Order
  parentTransaction: OrderTransaction
  paymentId: String
  processedAt: DateTime
  status: OrderTransactionStatus!
  test: Boolean!
}

type Refund implements Node {
  createdAt: DateTime
  id: ID!
  legacyResourceId: UnsignedInt64!
  note: String
  order: Order!
  processedAt: DateTime!
  refundLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundLineItemConnection!
  totalRefundedSet: MoneyBag!
  transactions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): OrderTransactionConnection!
  updatedAt: DateTime!
}

type RefundLineItem {
  id: ID
  lineItem: LineItem!
  priceSet: MoneyBag!
  quantity: Int!
  restockType: RefundLineItemRestockType!
  restocked: Boolean!
  subtotalSet: MoneyBag!
  totalTaxSet: MoneyBag!
}

type ProductVariant implements Node {
  displayName: String!
  id: ID!
  legacyResourceId: UnsignedInt64!
  price: Money!
  product: Product!
  sku: String
  title: String!
}

type Product implements Node {
  handle: String!
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  vendor: String!
}

type Job {
  done: Boolean!
  id: ID!
}

type BulkOperation implements Node {
  completedAt: DateTime
  createdAt: DateTime!
  errorCode: BulkOperationErrorCode
  fileSize: UnsignedInt64
  id: ID!
  objectCount: UnsignedInt64!
  partialDataUrl: URL
  query: String!
  rootObjectCount: UnsignedInt64!
  status: BulkOperationStatus!
  type: BulkOperationType!
  url: URL
}

${connection("Customer", "Customer")}
${connection("MailingAddress", "MailingAddress")}
${connection("Order", "Order")}
${connection("LineItem", "LineItem")}
${connection("ShippingLine", "ShippingLine")}
${connection("RefundLineItem", "RefundLineItem")}
${connection("OrderTransaction", "OrderTransaction")}
${connection("Metafield", "Metafield")}
${connection("BulkOperation", "BulkOperation")}

type UserError implements DisplayableError {
  field: [String!]
  message: String!
}

type CustomerSetUserError implements DisplayableError {
  code: CustomerSetUserErrorCode
  field: [String!]
  message: String!
}

type CustomerSendAccountInviteEmailUserError implements DisplayableError {
  code: CustomerSendAccountInviteEmailUserErrorCode
  field: [String!]
  message: String!
}

type OrderCreateUserError implements DisplayableError {
  code: OrderCreateUserErrorCode
  field: [String!]
  message: String!
}

type OrderCancelUserError implements DisplayableError {
  code: OrderCancelUserErrorCode
  field: [String!]
  message: String!
}

type BulkOperationUserError implements DisplayableError {
  code: BulkOperationUserErrorCode
  field: [String!]
  message: String!
}

type CustomerCreatePayload {
  customer: Customer
  userErrors: [UserError!]!
}

type CustomerUpdatePayload {
  customer: Customer
  userErrors: [UserError!]!
}

type CustomerSetPayload {
  customer: Customer
  userErrors: [CustomerSetUserError!]!
}

type CustomerDeletePayload {
  deletedCustomerId: ID
  shop: Shop!
  userErrors: [UserError!]!
}

type CustomerSendAccountInviteEmailPayload {
  customer: Customer
  userErrors: [CustomerSendAccountInviteEmailUserError!]!
}

type OrderCreatePayload {
  order: Order
  userErrors: [OrderCreateUserError!]!
}

type OrderCancelPayload {
  job: Job
  orderCancelUserErrors: [OrderCancelUserError!]!
  userErrors: [UserError!]! @deprecated(reason: "Use \`orderCancelUserErrors\` instead.")
}

type RefundCreatePayload {
  order: Order
  refund: Refund
  userErrors: [UserError!]!
}

type BulkOperationRunQueryPayload {
  bulkOperation: BulkOperation
  userErrors: [BulkOperationUserError!]!
}

type BulkOperationCancelPayload {
  bulkOperation: BulkOperation
  userErrors: [UserError!]!
}

input CustomerIdentifierInput {
  id: ID
  customId: UniqueMetafieldValueInput
  emailAddress: String
  phoneNumber: String
}

input UniqueMetafieldValueInput {
  namespace: String
  key: String!
  value: String!
}

input CustomerInput {
  addresses: [MailingAddressInput!]
    @deprecated(reason: "Use the dedicated address mutations (customerAddressCreate, customerAddressUpdate, customerAddressDelete) instead.")
  email: String
  firstName: String
  id: ID
  lastName: String
  locale: String
  metafields: [MetafieldInput!]
  note: String
  phone: String
  tags: [String!]
  emailMarketingConsent: CustomerEmailMarketingConsentInput
  smsMarketingConsent: CustomerSmsMarketingConsentInput
  taxExempt: Boolean
  taxExemptions: [TaxExemption!]
  multipassIdentifier: String
}

input CustomerSetInput {
  addresses: [MailingAddressInput!]
  email: String
  firstName: String
  id: ID @deprecated(reason: "To update a customer use \`identifier\` argument instead.")
  lastName: String
  locale: String
  note: String
  phone: String
  tags: [String!]
  taxExempt: Boolean
  taxExemptions: [TaxExemption!]
}

input CustomerSetIdentifiers {
  id: ID
  email: String
  phone: String
  customId: UniqueMetafieldValueInput
}

input CustomerDeleteInput {
  id: ID!
}

input MailingAddressInput {
  address1: String
  address2: String
  city: String
  company: String
  country: String @deprecated(reason: "Use \`countryCode\` instead.")
  countryCode: CountryCode
  firstName: String
  id: ID @deprecated(reason: "Not needed for 90% of mutations, and provided separately where it is needed.")
  lastName: String
  phone: String
  province: String @deprecated(reason: "Use \`provinceCode\` instead.")
  provinceCode: String
  zip: String
}

input MetafieldInput {
  id: ID
  namespace: String
  key: String
  value: String
  type: String
}

input EmailInput {
  subject: String
  to: String
  from: String
  body: String
  bcc: [String!]
  customMessage: String
}

input CustomerEmailMarketingConsentInput {
  marketingOptInLevel: CustomerMarketingOptInLevel
  marketingState: CustomerEmailMarketingState!
  consentUpdatedAt: DateTime
  sourceLocationId: ID
}

input CustomerSmsMarketingConsentInput {
  marketingOptInLevel: CustomerMarketingOptInLevel
  marketingState: CustomerSmsMarketingState!
  consentUpdatedAt: DateTime
  sourceLocationId: ID
}

input OrderCreateOrderInput {
  billingAddress: MailingAddressInput
  buyerAcceptsMarketing: Boolean = null
  closedAt: DateTime
  currency: CurrencyCode
  customAttributes: [OrderCreateCustomAttributeInput!]
  customerId: ID @deprecated(reason: "This is replaced by the \`customer\` field in a future version.")
  customer: OrderCreateCustomerInput
  discountCode: OrderCreateDiscountCodeInput
  email: String
  financialStatus: OrderCreateFinancialStatus
  fulfillmentStatus: OrderCreateFulfillmentStatus
  lineItems: [OrderCreateLineItemInput!]
  metafields: [MetafieldInput!]
  name: String
  note: String
  phone: String
  poNumber: String
  presentmentCurrency: CurrencyCode
  processedAt: DateTime
  shippingAddress: MailingAddressInput
  shippingLines: [OrderCreateShippingLineInput!]
  sourceIdentifier: String
  sourceName: String
  tags: [String!]
  taxesIncluded: Boolean = false
  taxLines: [OrderCreateTaxLineInput!]
  test: Boolean = false
  transactions: [OrderCreateOrderTransactionInput!]
}

input OrderCreateCustomAttributeInput {
  key: String!
  value: String!
}

input OrderCreateLineItemPropertyInput {
  name: String!
  value: String!
}

input OrderCreateLineItemInput {
  giftCard: Boolean = false
  priceSet: MoneyBagInput
  productId: ID
  properties: [OrderCreateLineItemPropertyInput!]
  quantity: Int!
  requiresShipping: Boolean = false
  sku: String
  taxLines: [OrderCreateTaxLineInput!]
  taxable: Boolean = true
  title: String
  variantId: ID
  variantTitle: String
  vendor: String
}

input OrderCreateShippingLineInput {
  code: String
  priceSet: MoneyBagInput!
  source: String
  taxLines: [OrderCreateTaxLineInput!]
  title: String!
}

input OrderCreateTaxLineInput {
  channelLiable: Boolean = false
  priceSet: MoneyBagInput
  rate: Decimal!
  title: String!
}

input MoneyBagInput {
  shopMoney: MoneyInput!
  presentmentMoney: MoneyInput
}

input MoneyInput {
  amount: Decimal!
  currencyCode: CurrencyCode!
}

input OrderCreateOrderTransactionInput {
  amountSet: MoneyBagInput!
  authorizationCode: String
  gateway: String
  kind: OrderTransactionKind = SALE
  processedAt: DateTime
  status: OrderTransactionStatus = SUCCESS
  test: Boolean = false
}

input OrderCreateDiscountCodeInput {
  itemPercentageDiscountCode: OrderCreatePercentageDiscountCodeAttributesInput
  itemFixedDiscountCode: OrderCreateFixedDiscountCodeAttributesInput
  freeShippingDiscountCode: OrderCreateFreeShippingDiscountCodeAttributesInput
}

input OrderCreateFixedDiscountCodeAttributesInput {
  code: String!
  amountSet: MoneyBagInput
}

input OrderCreatePercentageDiscountCodeAttributesInput {
  code: String!
  percentage: Float
}

input OrderCreateFreeShippingDiscountCodeAttributesInput {
  code: String!
}

input OrderCreateCustomerInput {
  toAssociate: OrderCreateAssociateCustomerAttributesInput
  toUpsert: OrderCreateUpsertCustomerAttributesInput
}

input OrderCreateAssociateCustomerAttributesInput {
  id: ID
  email: String
}

input OrderCreateUpsertCustomerAttributesInput {
  email: String
  firstName: String
  id: ID
  lastName: String
  note: String
  phone: String
  tags: [String!]
  taxExempt: Boolean
}

input OrderCreateOptionsInput {
  inventoryBehaviour: OrderCreateInputsInventoryBehavior = BYPASS
  sendReceipt: Boolean = false
  sendFulfillmentReceipt: Boolean = false
}

input OrderCancelRefundMethodInput {
  originalPaymentMethodsRefund: Boolean
}

input RefundInput {
  currency: CurrencyCode
  orderId: ID!
  note: String
  notify: Boolean
  shipping: ShippingRefundInput
  processedAt: DateTime
  refundLineItems: [RefundLineItemInput!]
  transactions: [OrderTransactionInput!]
  allowOverRefunding: Boolean = false
}

input RefundLineItemInput {
  lineItemId: ID!
  quantity: Int!
  restockType: RefundLineItemRestockType
  locationId: ID
}

input ShippingRefundInput {
  amount: Money
  fullRefund: Boolean
}

input OrderTransactionInput {
  amount: Money!
  gateway: String!
  kind: OrderTransactionKind!
  orderId: ID!
  parentId: ID
}

enum CustomerState {
  DECLINED
  DISABLED
  ENABLED
  INVITED
}

enum CustomerSortKeys {
  CREATED_AT
  ID
  LOCATION
  NAME
  RELEVANCE
  UPDATED_AT
}

enum OrderSortKeys {
  CREATED_AT
  CURRENT_TOTAL_PRICE
  CUSTOMER_NAME
  DESTINATION
  FINANCIAL_STATUS
  FULFILLMENT_STATUS
  ID
  ORDER_NUMBER
  PO_NUMBER
  PROCESSED_AT
  RELEVANCE
  TOTAL_ITEMS_QUANTITY
  TOTAL_PRICE
  UPDATED_AT
}

enum BulkOperationsSortKeys {
  COMPLETED_AT
  CREATED_AT
}

enum CustomerEmailMarketingState {
  NOT_SUBSCRIBED
  PENDING
  SUBSCRIBED
  UNSUBSCRIBED
  REDACTED
  INVALID
}

enum CustomerEmailAddressMarketingState {
  INVALID
  NOT_SUBSCRIBED
  PENDING
  SUBSCRIBED
  UNSUBSCRIBED
}

enum CustomerMarketingOptInLevel {
  SINGLE_OPT_IN
  CONFIRMED_OPT_IN
  UNKNOWN
}

enum CustomerSmsMarketingState {
  NOT_SUBSCRIBED
  PENDING
  SUBSCRIBED
  UNSUBSCRIBED
  REDACTED
}

enum CustomerConsentCollectedFrom {
  SHOPIFY
  OTHER
}

enum OrderDisplayFinancialStatus {
  PENDING
  AUTHORIZED
  PARTIALLY_PAID
  PARTIALLY_REFUNDED
  VOIDED
  PAID
  REFUNDED
  EXPIRED
}

enum OrderDisplayFulfillmentStatus {
  UNFULFILLED
  PARTIALLY_FULFILLED
  FULFILLED
  RESTOCKED
  PENDING_FULFILLMENT
  OPEN
  IN_PROGRESS
  ON_HOLD
  SCHEDULED
  REQUEST_DECLINED
}

enum OrderTransactionKind {
  SALE
  CAPTURE
  AUTHORIZATION
  VOID
  REFUND
  CHANGE
  EMV_AUTHORIZATION
  SUGGESTED_REFUND
}

enum OrderTransactionStatus {
  SUCCESS
  FAILURE
  PENDING
  ERROR
  AWAITING_RESPONSE
  UNKNOWN
}

enum OrderCancelReason {
  CUSTOMER
  DECLINED
  FRAUD
  INVENTORY
  STAFF
  OTHER
}

enum OrderCreateFinancialStatus {
  PENDING
  AUTHORIZED
  PARTIALLY_PAID
  PAID
  PARTIALLY_REFUNDED
  REFUNDED
  VOIDED
  EXPIRED
}

enum OrderCreateFulfillmentStatus {
  FULFILLED
  PARTIAL
  RESTOCKED
}

enum OrderCreateInputsInventoryBehavior {
  BYPASS
  DECREMENT_IGNORING_POLICY
  DECREMENT_OBEYING_POLICY
}

enum RefundLineItemRestockType {
  RETURN
  CANCEL
  LEGACY_RESTOCK
  NO_RESTOCK
}

enum BulkOperationStatus {
  CANCELED
  CANCELING
  COMPLETED
  CREATED
  EXPIRED
  FAILED
  RUNNING
}

enum BulkOperationType {
  QUERY
  MUTATION
}

enum BulkOperationErrorCode {
  ACCESS_DENIED
  INTERNAL_SERVER_ERROR
  TIMEOUT
}

enum BulkOperationUserErrorCode {
  OPERATION_IN_PROGRESS
  INVALID
  LIMIT_REACHED
}

enum CustomerSetUserErrorCode {
  INVALID
  INCLUSION
  TAKEN
  TOO_LONG
  TOO_SHORT
  PRESENT
  BLANK
  ID_NOT_ALLOWED
  MISSING_FIELD_REQUIRED
  INPUT_MISMATCH
  NOT_FOUND
  METAFIELD_MISMATCH
}

enum CustomerSendAccountInviteEmailUserErrorCode {
  INVALID
}

enum OrderCreateUserErrorCode {
  INVALID
  FULFILLMENT_SERVICE_INVALID
  INVENTORY_CLAIM_FAILED
  PROCESSED_AT_INVALID
  TAX_LINE_RATE_MISSING
  REDUNDANT_CUSTOMER_FIELDS
  SHOP_DORMANT
}

enum OrderCancelUserErrorCode {
  NO_REFUND_PERMISSION
  NOT_FOUND
  INVALID
  INTERNAL_ERROR
}

enum CountryCode {
  ${countryCodes.join("\n  ")}
}

enum TaxExemption {
  ${taxExemptions.join("\n  ")}
}

enum CurrencyCode {
  ${currencyCodes.join("\n  ")}
}
`
