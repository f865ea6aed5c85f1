// Shopify global ids ("gid://shopify/Customer/10820376822066"): parsing, printing and the legacy
// numeric id that `legacyResourceId` exposes (FACTS §1.4).
import { Option } from "effect"

export type ResourceType =
  | "Customer"
  | "Order"
  | "LineItem"
  | "MailingAddress"
  | "OrderTransaction"
  | "Refund"
  | "RefundLineItem"
  | "BulkOperation"
  | "ProductVariant"
  | "Product"
  | "Shop"
  | "Job"
  | "AppInstallation"
  | "Domain"
  | "ShippingLine"
  | "Metafield"

export const make = (type: ResourceType, id: number | string): string => `gid://shopify/${type}/${id}`

/** Customer addresses carry a model suffix in real responses (FACTS §1.4). */
export const customerAddress = (id: number): string =>
  `gid://shopify/MailingAddress/${id}?model_name=CustomerAddress`

export interface Parsed {
  readonly type: string
  readonly id: number
}

const pattern = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/

export const parse = (gid: string): Option.Option<Parsed> => {
  const m = pattern.exec(gid)
  if (m === null) return Option.none()
  const id = Number(m[2])
  return Number.isSafeInteger(id) ? Option.some({ type: m[1]!, id }) : Option.none()
}

/** The numeric id when `gid` names a resource of `type`. */
export const idOf = (gid: string, type: ResourceType): Option.Option<number> =>
  Option.flatMap(parse(gid), (p) => (p.type === type ? Option.some(p.id) : Option.none()))

export const isGid = (value: string): boolean => pattern.test(value)
