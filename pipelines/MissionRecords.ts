// The records the mission pipelines pass between their stages: a Shopify order on its way to becoming
// an Edge web sale (matched to a customer, its contacts merged, its sale made), and the customer writes
// that travel with it or on their own (a link, a contact update, conflicts, a matching decision).
import type { Option } from "effect"
import type { ContactConflict } from "../connectors/edge/ContactConflicts.js"
import type { ContactFields } from "../connectors/edge/ContactFields.js"
import type { ContactUpdate } from "../connectors/edge/ContactUpdate.js"
import type { CustomerLink } from "../connectors/edge/CustomerLink.js"
import type { CustomerLinkInfo } from "../connectors/edge/EdgeCustomer.js"
import type { MatchDecision as RecordedDecision } from "../connectors/edge/MatchDecisions.js"
import type { WebSale } from "../connectors/edge/WebSale.js"
import type { ShopifyOrder } from "../connectors/shopify/ShopifyOrder.js"
import type { MatchDecision } from "./transforms/MatchCustomer.js"

/** The Edge customer an order goes to. */
export interface ChosenCustomer {
  /** None only in a dry run, for a customer that would be created. */
  readonly customerId: Option.Option<number>
  /** edgesync creates (created) this customer for the order. */
  readonly created: boolean
  /** The customer's contact fields in Edge (for a new one: what it is created with). */
  readonly fields: ContactFields
  /** Its link to the order's Shopify customer, when it was already linked (rule `link`). */
  readonly link: Option.Option<CustomerLinkInfo>
  /** When the Edge row last changed (for `conflicts: newest-wins`). */
  readonly changedAt: Option.Option<Date>
}

export interface MatchedOrder {
  readonly order: ShopifyOrder
  readonly decision: MatchDecision
  readonly customer: ChosenCustomer
}

/** The customer-side writes of one record, all in the sink's transaction. */
export interface CustomerWrites {
  /** A link to write (a new match, a created customer, an upload). */
  readonly link: Option.Option<CustomerLink>
  /** Contact values to apply to a linked Edge customer, with its new snapshot. */
  readonly contact: Option.Option<ContactUpdate>
  readonly conflicts: ReadonlyArray<ContactConflict>
  readonly decision: Option.Option<RecordedDecision>
}

export interface PlannedOrder extends MatchedOrder {
  readonly writes: CustomerWrites
}

export interface OrderImport extends PlannedOrder {
  readonly sale: WebSale
}

/** A customer-side record on its own (customers-to-shopify, customers-from-shopify). */
export interface CustomerSync extends CustomerWrites {
  /** The record's key for outcomes and dead letters (the Edge customer id or the Shopify GID). */
  readonly key: string
}
