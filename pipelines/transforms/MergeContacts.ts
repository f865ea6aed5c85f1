// The three-way merge of a linked customer's contact fields: Edge's values, Shopify's values and the
// snapshot both sides agreed on at the last sync decide, field by field, which side takes what.
//
// Per field, after normalization (Normalize.ts: a formatting-only difference is not a change):
//  - changed on neither side: nothing to do;
//  - changed only in Shopify: Edge takes Shopify's value;
//  - changed only in Edge: Edge keeps its value and Shopify is to take it;
//  - changed on both to the same value: nothing to do (they converged);
//  - changed on both to different values: a conflict, settled by `conflicts`:
//      edge-wins / shopify-wins, or newest-wins by the change times of the two records (Edge's row
//      `updated_at`, Shopify's `updatedAt`); a tie, or a side whose time is unknown, goes to Edge, the
//      system of record.
// With no snapshot yet (a link made by matching) every field counts as changed on whichever side has a
// value: one side blank takes the other's value, and two different values are a recorded conflict.
import { Option } from "effect"
import type { ConflictPolicy } from "../SyncOptions.js"
import * as Normalize from "./Normalize.js"

export type FieldValue = string | null

export type Contact<K extends string> = { readonly [F in K]: FieldValue }

export interface Conflict<K extends string> {
  readonly field: K
  readonly base: FieldValue
  readonly edge: FieldValue
  readonly shopify: FieldValue
  readonly winner: "edge" | "shopify"
  readonly policy: ConflictPolicy
}

export interface MergeInput<K extends string> {
  /** How each field is compared. Its keys are the fields merged. */
  readonly kinds: { readonly [F in K]: Normalize.FieldKind }
  readonly policy: ConflictPolicy
  readonly defaultCountry: string
  readonly snapshot: Option.Option<Contact<K>>
  readonly edge: Contact<K>
  readonly shopify: Contact<K>
  readonly edgeChangedAt: Option.Option<Date>
  readonly shopifyChangedAt: Option.Option<Date>
}

export interface Merged<K extends string> {
  /** The value of every field once both sides have taken their changes. */
  readonly merged: Contact<K>
  /** Fields Edge must take (Shopify's value). */
  readonly toEdge: Partial<Contact<K>>
  /** Fields Shopify must take (Edge's value). */
  readonly toShopify: Partial<Contact<K>>
  readonly conflicts: ReadonlyArray<Conflict<K>>
}

const same = (kind: Normalize.FieldKind, country: string, a: FieldValue, b: FieldValue): boolean =>
  Option.getEquivalence((x: string, y: string) => x === y)(
    Normalize.comparable(kind, a, country),
    Normalize.comparable(kind, b, country)
  )

const conflictWinner = (
  policy: ConflictPolicy,
  edgeChangedAt: Option.Option<Date>,
  shopifyChangedAt: Option.Option<Date>
): "edge" | "shopify" => {
  switch (policy) {
    case "edge-wins":
      return "edge"
    case "shopify-wins":
      return "shopify"
    case "newest-wins":
      return Option.isSome(shopifyChangedAt) &&
          (Option.isNone(edgeChangedAt) ? false : shopifyChangedAt.value.getTime() > edgeChangedAt.value.getTime())
        ? "shopify"
        : "edge"
  }
}

export const merge = <K extends string>(input: MergeInput<K>): Merged<K> => {
  const fields = Object.keys(input.kinds) as Array<K>
  const merged: Partial<Record<K, FieldValue>> = {}
  const toEdge: Partial<Record<K, FieldValue>> = {}
  const toShopify: Partial<Record<K, FieldValue>> = {}
  const conflicts: Array<Conflict<K>> = []
  for (const field of fields) {
    const kind = input.kinds[field]
    const edge = input.edge[field]
    const shopify = input.shopify[field]
    const base = Option.match(input.snapshot, { onNone: () => null, onSome: (s) => s[field] })
    const edgeChanged = !same(kind, input.defaultCountry, edge, base)
    const shopifyChanged = !same(kind, input.defaultCountry, shopify, base)
    if (!shopifyChanged || same(kind, input.defaultCountry, edge, shopify)) {
      // Unchanged, changed only in Edge, or converged: Edge's value stands (its own formatting kept).
      merged[field] = edge
      if (edgeChanged && !same(kind, input.defaultCountry, edge, shopify)) toShopify[field] = edge
    } else if (!edgeChanged) {
      merged[field] = shopify
      toEdge[field] = shopify
    } else {
      const winner = conflictWinner(input.policy, input.edgeChangedAt, input.shopifyChangedAt)
      conflicts.push({ field, base, edge, shopify, winner, policy: input.policy })
      if (winner === "edge") {
        merged[field] = edge
        toShopify[field] = edge
      } else {
        merged[field] = shopify
        toEdge[field] = shopify
      }
    }
  }
  return { merged: merged as Contact<K>, toEdge, toShopify, conflicts }
}

/** True when the merge asks neither side to change. */
export const isNoop = <K extends string>(result: Merged<K>): boolean =>
  Object.keys(result.toEdge).length === 0 && Object.keys(result.toShopify).length === 0
