// Estimates a GraphQL document's requested cost the way Shopify calculates it before running it
// (FACTS §4): scalars and enums 0, objects 1, connections 2 + first × node cost, mutations 10. The
// estimate decides how long to wait for the bucket and how large a page may be; the client corrects it
// with the requestedQueryCost each response reports (Shopify sets manual costs on some fields).
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type ValueNode
} from "graphql"

/** Shopify refuses any single query whose requested cost exceeds this, whatever the plan (FACTS §4). */
export const singleQueryLimit = 1000

export const mutationCost = 10

type Variables = Readonly<Record<string, unknown>>

interface Walk {
  readonly variables: Variables
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>
}

const sizeOf = (value: ValueNode, walk: Walk): number | undefined => {
  if (value.kind === Kind.INT) return Number(value.value)
  if (value.kind === Kind.VARIABLE) {
    const v = walk.variables[value.name.value]
    return typeof v === "number" ? v : undefined
  }
  return undefined
}

const pageSize = (field: FieldNode, walk: Walk): number | undefined => {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value === "first" || arg.name.value === "last") {
      // A variable left unset means the server default; Shopify requires first/last on connections,
      // so count it as the maximum page to stay on the safe side.
      return sizeOf(arg.value, walk) ?? 250
    }
  }
  return undefined
}

const childFields = (set: SelectionSetNode, walk: Walk): ReadonlyArray<FieldNode> => {
  const out: Array<FieldNode> = []
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s)
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...childFields(s.selectionSet, walk))
    else {
      const fragment = walk.fragments.get(s.name.value)
      if (fragment !== undefined) out.push(...childFields(fragment.selectionSet, walk))
    }
  }
  return out
}

// Interfaces and unions cost the most expensive of their possible selections: inline fragments on
// different types are alternatives, so they are combined by max rather than sum.
const selectionCost = (set: SelectionSetNode, walk: Walk): number => {
  let plain = 0
  let alternatives = 0
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) plain += fieldCost(s, walk)
    else if (s.kind === Kind.INLINE_FRAGMENT) {
      const c = selectionCost(s.selectionSet, walk)
      if (s.typeCondition === undefined) plain += c
      else alternatives = Math.max(alternatives, c)
    } else {
      const fragment = walk.fragments.get(s.name.value)
      if (fragment !== undefined) alternatives = Math.max(alternatives, selectionCost(fragment.selectionSet, walk))
    }
  }
  return plain + alternatives
}

const isConnection = (set: SelectionSetNode, walk: Walk): boolean =>
  childFields(set, walk).some((f) => f.name.value === "edges" || f.name.value === "nodes" || f.name.value === "pageInfo")

/** The cost of one node of a connection: the most expensive of `nodes` and `edges { node }`. */
const nodeCost = (set: SelectionSetNode, walk: Walk): number => {
  let cost = 0
  for (const f of childFields(set, walk)) {
    if (f.selectionSet === undefined) continue
    if (f.name.value === "nodes") cost = Math.max(cost, 1 + selectionCost(f.selectionSet, walk))
    if (f.name.value === "edges") {
      for (const e of childFields(f.selectionSet, walk)) {
        if (e.name.value === "node" && e.selectionSet !== undefined) {
          cost = Math.max(cost, 1 + selectionCost(e.selectionSet, walk))
        }
      }
    }
  }
  return Math.max(cost, 1)
}

// Shopify sets manual costs on some fields; the counts (`customersCount`, `ordersCount`, ...) cost 10
// (captured: `productsCount { count precision }` requested 10, FACTS §4).
const manualCost = (field: FieldNode): number | undefined =>
  /^[a-z]+Count$/.test(field.name.value) && field.selectionSet !== undefined ? 10 : undefined

const fieldCost = (field: FieldNode, walk: Walk): number => {
  if (field.selectionSet === undefined) return 0
  const manual = manualCost(field)
  if (manual !== undefined) return manual
  const size = pageSize(field, walk)
  if (size === undefined) return 1 + selectionCost(field.selectionSet, walk)
  if (isConnection(field.selectionSet, walk)) return 2 + size * nodeCost(field.selectionSet, walk)
  // A sized plain list (Order.transactions(first:)): every element is an object.
  return size * (1 + selectionCost(field.selectionSet, walk))
}

const operationOf = (document: DocumentNode): OperationDefinitionNode | undefined =>
  document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)

/** The requested cost Shopify would compute for `document` with `variables` (an upper estimate). */
export const estimateParsed = (document: DocumentNode, variables: Variables = {}): number => {
  const operation = operationOf(document)
  if (operation === undefined) return 0
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d])
  )
  const walk: Walk = { variables, fragments }
  if (operation.operation !== "mutation") return selectionCost(operation.selectionSet, walk)
  // A mutation field costs 10 plus what its payload selects beyond the payload object itself.
  let total = 0
  for (const f of childFields(operation.selectionSet, walk)) {
    total += mutationCost + (f.selectionSet === undefined ? 0 : selectionCost(f.selectionSet, walk))
  }
  return total
}

export const parseDocument = (document: string): DocumentNode => parse(document, { noLocation: true })

export const estimate = (document: string | DocumentNode, variables: Variables = {}): number =>
  estimateParsed(typeof document === "string" ? parseDocument(document) : document, variables)

/**
 * The largest value of the page-size variable `variable` (at most `max`) that keeps the estimated cost
 * within `limit`: how the connector splits a query that would exceed the single-query limit into
 * smaller pages instead of sending it. Returns 0 when even one item is over the limit.
 */
export const largestPage = (
  document: string | DocumentNode,
  variables: Variables,
  variable: string,
  max = 250,
  limit = singleQueryLimit
): number => {
  const doc = typeof document === "string" ? parseDocument(document) : document
  const cost = (n: number) => estimateParsed(doc, { ...variables, [variable]: n })
  if (cost(1) > limit) return 0
  let lo = 1
  let hi = max
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (cost(mid) <= limit) lo = mid
    else hi = mid - 1
  }
  return lo
}
