// Test support for replaying real Shopify captures (../shared/shopify/recorded) against the emulator:
// loading them (failing clearly when the reference data is absent), rebuilding a request document from
// a captured response's shape when the capture did not keep its document, and masking what differs
// between any two shops (ids, timestamps, cursors, order numbers, the bucket's current level) so the
// rest (shape, values, user errors, error codes, costs) can be compared exactly.
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { sharedShopifyDir } from "./RealSchema.js"

export const recordedDir = join(sharedShopifyDir, "recorded")

type Json = unknown

/** A capture file, by its path under recorded/ ("<store>/<version>/<domain>/<file>.json"). */
export const loadCapture = (relative: string): unknown => {
  const path = join(recordedDir, relative)
  if (!existsSync(path)) {
    throw new Error(
      `Missing Shopify capture ${path}. The recorded captures are reference data kept outside the project ` +
        "(../shared/shopify/recorded); restore them to run the parity tests."
    )
  }
  return JSON.parse(readFileSync(path, "utf8")) as unknown
}

/** Sub-selections for object fields that came back null, where the shape alone cannot tell them. */
const nullObjectSelections: Readonly<Record<string, string>> = {
  defaultPhoneNumber: "{ phoneNumber }",
  defaultEmailAddress: "{ emailAddress }",
  defaultAddress: "{ id }",
  emailMarketingConsent: "{ marketingState }",
  smsMarketingConsent: "{ marketingState }",
  customer: "{ id }",
  lastOrder: "{ id }",
  billingAddress: "{ id }",
  shippingAddress: "{ id }"
}

/** The selection set a response value implies: objects select their keys, lists merge their items. */
export const selectionOf = (value: Json): string => {
  const merged = mergeShapes(value)
  return render(merged)
}

type Shape = { readonly [key: string]: Shape } | null

const mergeShapes = (value: Json): Shape => {
  if (Array.isArray(value)) {
    let out: Record<string, Shape> | null = null
    for (const item of value) {
      const s = mergeShapes(item)
      if (s !== null) out = { ...(out ?? {}), ...mergeInto(out ?? {}, s) }
    }
    return out
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, Shape> = {}
    for (const [k, v] of Object.entries(value)) out[k] = mergeShapes(v)
    return out
  }
  return null
}

const mergeInto = (a: Record<string, Shape>, b: Record<string, Shape>): Record<string, Shape> => {
  const out: Record<string, Shape> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const existing = out[k]
    out[k] = existing && v ? mergeInto(existing as Record<string, Shape>, v as Record<string, Shape>) : (v ?? existing ?? null)
  }
  return out
}

const render = (shape: Shape): string => {
  if (shape === null) return ""
  const parts = Object.entries(shape).map(([k, v]) =>
    v === null ? (k in nullObjectSelections ? `${k} ${nullObjectSelections[k]}` : k) : `${k} ${render(v)}`
  )
  return `{ ${parts.join(" ")} }`
}

const gidPattern = /^gid:\/\/shopify\/([A-Za-z]+)\/\d+(\?.*)?$/
const timePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const volatileKeys = new Set(["cursor", "startCursor", "endCursor", "legacyResourceId", "currentlyAvailable", "url", "partialDataUrl"])

/** Replaces what legitimately differs between two shops with markers, keeping everything else. */
export const mask = (value: Json, key?: string): Json => {
  if (Array.isArray(value)) return value.map((v) => mask(v))
  if (typeof value === "object" && value !== null) {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) out[k] = mask(v, k)
    return out
  }
  if (typeof value === "string") {
    if (key !== undefined && volatileKeys.has(key)) return `<${key}>`
    const gid = gidPattern.exec(value)
    if (gid !== null) return `gid://shopify/${gid[1]}/<id>${gid[2] ?? ""}`
    if (timePattern.test(value)) return "<DateTime>"
    if (key === "name" && /^#\d+$/.test(value)) return "#<number>"
    if (key === "id" && /^gid:\/\/shopify\/Job\//.test(value)) return "<job>"
    if (key === "message" && /gid:\/\/shopify\/BulkOperation\/\d+/.test(value)) {
      return value.replace(/gid:\/\/shopify\/BulkOperation\/\d+/g, "gid://shopify/BulkOperation/<id>")
    }
    return value
  }
  if (typeof value === "number" && key !== undefined && volatileKeys.has(key)) return `<${key}>`
  return value
}

/** The parts of a GraphQL answer a connector depends on: data, errors, cost. */
export const answerOf = (payload: { readonly data?: unknown; readonly errors?: unknown; readonly extensions?: unknown }) => {
  const cost = (payload.extensions as { cost?: unknown } | undefined)?.cost
  return {
    ...(payload.data === undefined ? {} : { data: payload.data }),
    ...(payload.errors === undefined ? {} : { errors: payload.errors }),
    ...(cost === undefined ? {} : { cost })
  }
}

/** Replaces every occurrence of the captured shop's ids with the emulator's (in variables). */
export const rewriteIds = (value: Json, ids: ReadonlyMap<string, string>): Json => {
  if (typeof value === "string") return ids.get(value) ?? value
  if (Array.isArray(value)) return value.map((v) => rewriteIds(v, ids))
  if (typeof value === "object" && value !== null) {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) out[k] = rewriteIds(v, ids)
    return out
  }
  return value
}
