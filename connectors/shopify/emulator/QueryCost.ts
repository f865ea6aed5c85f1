// Shopify's calculated query cost (FACTS §4), calibrated against the requestedQueryCost of the ~1,000
// recorded requests in ../shared/shopify/recorded:
//   - scalars and enums cost 0; objects of Node types cost 1, value objects (MoneyBag, PageInfo…) 0,
//     with Shopify's manual costs where the captures show them (defaultEmailAddress 1, Count 10,
//     Customer.defaultAddress 0); lists of objects cost 1 plus their children, once;
//   - a connection costs 2 + f(first) × (1 + node cost), where f grows sub-linearly with the page size
//     (captured: f(1)=1, f(2)=1, f(3)=2, f(5)=3, f(10)=4, f(20)=5, f(50)=7, f(250)=11), so
//     `products(first:250){nodes{id}}` costs 13 and a 250-customer page about 2 + 11 × node cost;
//   - a mutation costs 10 (refundCreate 20) plus its payload's nested objects (its own objects are free).
// The actual cost counts what came back: null objects are free and connections are charged for the
// nodes returned. The connector's own estimate (2 + first × node cost) is an upper bound of this.
import {
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLOutputType
} from "graphql"

export const singleQueryLimit = 1000
export const mutationCost = 10

const pageFactorPoints: ReadonlyArray<readonly [number, number]> = [
  [1, 1], [2, 1], [3, 2], [5, 3], [10, 4], [20, 5], [50, 7], [250, 11]
]

/** The sub-linear multiplier Shopify applies to a connection's node cost for a page of `n`. */
export const pageFactor = (n: number): number => {
  if (n <= 0) return 0
  const points = pageFactorPoints
  for (const [size, factor] of points) if (n === size) return factor
  const lastPoint = points[points.length - 1]!
  if (n > lastPoint[0]) return Math.ceil(lastPoint[1] * Math.sqrt(n / lastPoint[0]))
  for (let i = 1; i < points.length; i++) {
    const [a, fa] = points[i - 1]!
    const [b, fb] = points[i]!
    if (n < b) {
      const t = (Math.log(n) - Math.log(a)) / (Math.log(b) - Math.log(a))
      return Math.ceil(fa + (fb - fa) * t - 1e-9)
    }
  }
  return lastPoint[1]
}

/** Manual costs Shopify sets on specific object fields, as the captures show them. */
const fieldCosts: Readonly<Record<string, number>> = {
  "Customer.defaultAddress": 0,
  "Customer.defaultEmailAddress": 1,
  "Customer.defaultPhoneNumber": 1
}

const typeCosts: Readonly<Record<string, number>> = { Count: 10, ShopPlan: 1 }

/** Mutations with a manual cost other than 10 (refundCreate: 20, captured). */
const mutationCosts: Readonly<Record<string, number>> = { refundCreate: 20 }

const isNodeType = (t: GraphQLNamedType): boolean =>
  isObjectType(t) && t.getInterfaces().some((i) => i.name === "Node")

const objectCost = (parent: string, field: string, t: GraphQLNamedType): number =>
  fieldCosts[`${parent}.${field}`] ?? typeCosts[t.name] ?? (isNodeType(t) || isAbstractType(t) ? 1 : 0)

const isConnection = (t: GraphQLNamedType): t is GraphQLObjectType =>
  isObjectType(t) && t.name.endsWith("Connection") && "pageInfo" in t.getFields()

const isListOf = (t: GraphQLOutputType): boolean => isListType(isNonNullType(t) ? t.ofType : t)

interface Walk {
  readonly schema: GraphQLSchema
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>
  readonly variables: Readonly<Record<string, unknown>>
  /** Field lists per selection set and type, computed once per walk (a page repeats them per node). */
  readonly memo: Map<SelectionSetNode, Map<string, ReadonlyArray<FieldNode>>>
  /** What actualOfSet needs of a selection set on a type, worked out once per walk (see `planOf`). */
  readonly plans: Map<SelectionSetNode, Map<string, ReadonlyArray<CostedField>>>
}

const fieldsOf = (set: SelectionSetNode, type: GraphQLNamedType, walk: Walk): ReadonlyArray<FieldNode> => {
  let byType = walk.memo.get(set)
  if (byType === undefined) {
    byType = new Map()
    walk.memo.set(set, byType)
  }
  let fields = byType.get(type.name)
  if (fields === undefined) {
    fields = collectFields(set, type, walk)
    byType.set(type.name, fields)
  }
  return fields
}

/** The fields selected on `type`, through fragments whose type condition applies to it. */
const collectFields = (set: SelectionSetNode, type: GraphQLNamedType, walk: Walk, out: Array<FieldNode> = []): Array<FieldNode> => {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s)
    else {
      const frag = s.kind === Kind.INLINE_FRAGMENT ? s : walk.fragments.get(s.name.value)
      if (frag === undefined) continue
      const condition = frag.typeCondition?.name.value
      const applies = condition === undefined || condition === type.name ||
        (isObjectType(type) && type.getInterfaces().some((i) => i.name === condition))
      if (applies) collectFields(frag.selectionSet, type, walk, out)
    }
  }
  return out
}

const intArg = (field: FieldNode, name: string, walk: Walk): number | undefined => {
  const arg = field.arguments?.find((a) => a.name.value === name)
  if (arg === undefined) return undefined
  if (arg.value.kind === Kind.INT) return Number(arg.value.value)
  if (arg.value.kind === Kind.VARIABLE) {
    const v = walk.variables[arg.value.name.value]
    return typeof v === "number" ? v : undefined
  }
  return undefined
}

const fieldDef = (type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined =>
  isObjectType(type) ? type.getFields()[name] : undefined

const possibleTypes = (schema: GraphQLSchema, t: GraphQLNamedType): ReadonlyArray<GraphQLNamedType> =>
  isAbstractType(t) ? schema.getPossibleTypes(t) : [t]

/** The node selection of a connection: `nodes { … }` and `edges { node { … } }` together. */
const nodeSelections = (field: FieldNode, connection: GraphQLObjectType, walk: Walk) => {
  const nodeType = getNamedType(connection.getFields()["nodes"]?.type ?? connection.getFields()["edges"]!.type)
  const sets: Array<SelectionSetNode> = []
  for (const f of fieldsOf(field.selectionSet!, connection, walk)) {
    if (f.name.value === "nodes" && f.selectionSet) sets.push(f.selectionSet)
    if (f.name.value === "edges" && f.selectionSet) {
      const edgeType = getNamedType(connection.getFields()["edges"]!.type)
      for (const e of fieldsOf(f.selectionSet, edgeType, walk)) if (e.name.value === "node" && e.selectionSet) sets.push(e.selectionSet)
    }
  }
  return { nodeType, sets }
}

const requestedOfSet = (set: SelectionSetNode, type: GraphQLNamedType, walk: Walk, payload: boolean): number => {
  let total = 0
  for (const field of fieldsOf(set, type, walk)) {
    if (field.name.value.startsWith("__")) continue
    const def = fieldDef(type, field.name.value)
    if (def === undefined || field.selectionSet === undefined) continue
    const named = getNamedType(def.type)
    if (isLeafType(named)) continue
    if (isConnection(named)) {
      const n = intArg(field, "first", walk) ?? intArg(field, "last", walk) ?? 0
      const { nodeType, sets } = nodeSelections(field, named, walk)
      const child = Math.max(0, ...sets.map((s) => maxOverTypes(s, nodeType, walk)))
      total += 2 + pageFactor(n) * (1 + child)
      continue
    }
    const inner = maxOverTypes(field.selectionSet, named, walk)
    const own = payload ? 0 : isListOf(def.type) ? 1 : objectCost(type.name, field.name.value, named)
    total += own + inner
  }
  return total
}

const maxOverTypes = (set: SelectionSetNode, type: GraphQLNamedType, walk: Walk): number =>
  Math.max(0, ...possibleTypes(walk.schema, type).map((t) => requestedOfSet(set, t, walk, false)))

const rootType = (schema: GraphQLSchema, op: OperationDefinitionNode): GraphQLObjectType =>
  (op.operation === "mutation" ? schema.getMutationType() : schema.getQueryType())!

/** The cost Shopify reserves before running the operation. */
export const requested = (
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>
): number => {
  const walk: Walk = { schema, fragments, variables, memo: new Map(), plans: new Map() }
  const root = rootType(schema, op)
  if (op.operation !== "mutation") return requestedOfSet(op.selectionSet, root, walk, false)
  let total = 0
  for (const field of fieldsOf(op.selectionSet, root, walk)) {
    const def = fieldDef(root, field.name.value)
    if (def === undefined) continue
    const named = getNamedType(def.type)
    total += (mutationCosts[field.name.value] ?? mutationCost) +
      (field.selectionSet && !isLeafType(named) ? requestedOfSet(field.selectionSet, named, walk, true) : 0)
  }
  return total
}

// --- Actual cost ------------------------------------------------------------------------------------

const responseKey = (f: FieldNode) => f.alias?.value ?? f.name.value

const typeOfValue = (schema: GraphQLSchema, declared: GraphQLNamedType, value: unknown): GraphQLNamedType => {
  if (!isAbstractType(declared) || typeof value !== "object" || value === null) return declared
  const name = (value as { __typename?: unknown }).__typename
  const t = typeof name === "string" ? schema.getType(name) : undefined
  return t ?? declared
}

/**
 * A selected field that can cost something (an object, a list of objects or a connection), with what
 * costing it needs resolved in advance: a page of 250 orders repeats the same selection 250 times, and
 * looking up field definitions and types for every node was most of the work.
 */
interface CostedField {
  readonly key: string
  readonly field: FieldNode
  readonly named: GraphQLNamedType
  /** Its own cost when it is not in a mutation payload (a list 1, an object its type's cost). */
  readonly own: number
  readonly connection: ConnectionPlan | undefined
}

interface ConnectionPlan {
  readonly nodeType: GraphQLNamedType
  readonly sets: ReadonlyArray<SelectionSetNode>
  /** Response keys of `nodes { … }` selections. */
  readonly nodesKeys: ReadonlyArray<string>
  /** Response keys of `edges { … }` selections, each with the keys of its `node { … }` selections. */
  readonly edges: ReadonlyArray<{ readonly key: string; readonly nodeKeys: ReadonlyArray<string> }>
  /** The first `nodes` and the first `edges` selected, whose lengths give the returned count. */
  readonly countKeys: ReadonlyArray<string>
}

const planOf = (set: SelectionSetNode, type: GraphQLNamedType, walk: Walk): ReadonlyArray<CostedField> => {
  let byType = walk.plans.get(set)
  if (byType === undefined) {
    byType = new Map()
    walk.plans.set(set, byType)
  }
  const cached = byType.get(type.name)
  if (cached !== undefined) return cached
  const plan: Array<CostedField> = []
  for (const field of fieldsOf(set, type, walk)) {
    if (field.name.value.startsWith("__")) continue
    const def = fieldDef(type, field.name.value)
    if (def === undefined || field.selectionSet === undefined) continue
    const named = getNamedType(def.type)
    if (isLeafType(named)) continue
    const own = isListOf(def.type) ? 1 : objectCost(type.name, field.name.value, named)
    plan.push({ key: responseKey(field), field, named, own, connection: isConnection(named) ? connectionPlan(field, named, walk) : undefined })
  }
  byType.set(type.name, plan)
  return plan
}

const connectionPlan = (field: FieldNode, named: GraphQLObjectType, walk: Walk): ConnectionPlan => {
  const { nodeType, sets } = nodeSelections(field, named, walk)
  const selected = fieldsOf(field.selectionSet!, named, walk)
  const edgeType = getNamedType(named.getFields()["edges"]!.type)
  const nodesKeys: Array<string> = []
  const edges: Array<{ readonly key: string; readonly nodeKeys: ReadonlyArray<string> }> = []
  for (const f of selected) {
    if (f.selectionSet === undefined) continue
    if (f.name.value === "nodes") nodesKeys.push(responseKey(f))
    if (f.name.value === "edges") {
      const nodeKeys = fieldsOf(f.selectionSet, edgeType, walk).filter((ef) => ef.name.value === "node").map(responseKey)
      edges.push({ key: responseKey(f), nodeKeys })
    }
  }
  const countKeys = ["nodes", "edges"].flatMap((k) => {
    const f = selected.find((x) => x.name.value === k)
    return f === undefined ? [] : [responseKey(f)]
  })
  return { nodeType, sets, nodesKeys, edges, countKeys }
}

const actualOfSet = (set: SelectionSetNode, type: GraphQLNamedType, value: Readonly<Record<string, unknown>>, walk: Walk, payload: boolean): number => {
  let total = 0
  for (const costed of planOf(set, type, walk)) {
    const v = value[costed.key]
    const connection = costed.connection
    if (v === null || v === undefined) {
      // A selected object that came back null is still charged its own cost (captured:
      // defaultPhoneNumber: null costs 1), but not its children; a connection lost to an error
      // costs its base 2 (captured on bulkOperations without first/last).
      if (connection !== undefined) total += 2
      else if (!payload) total += costed.own
      continue
    }
    if (connection !== undefined) {
      const conn = v as Readonly<Record<string, unknown>>
      let child = 0
      const visit = (node: Readonly<Record<string, unknown>>) => {
        const nodeType = typeOfValue(walk.schema, connection.nodeType, node)
        for (const s of connection.sets) child = Math.max(child, actualOfSet(s, nodeType, node, walk, false))
      }
      for (const key of connection.nodesKeys) {
        const part = conn[key]
        if (Array.isArray(part)) for (const node of part as ReadonlyArray<Record<string, unknown>>) visit(node)
      }
      for (const edge of connection.edges) {
        const part = conn[edge.key]
        if (!Array.isArray(part)) continue
        for (const e of part as ReadonlyArray<Record<string, unknown>>) {
          for (const nodeKey of edge.nodeKeys) if (e[nodeKey]) visit(e[nodeKey] as Record<string, unknown>)
        }
      }
      let count = 0
      for (const key of connection.countKeys) {
        const part = conn[key]
        if (Array.isArray(part)) count = Math.max(count, part.length)
      }
      total += 2 + pageFactor(count) * (1 + child)
      continue
    }
    const items = Array.isArray(v) ? v as ReadonlyArray<unknown> : [v]
    let inner = 0
    for (const item of items) {
      if (typeof item === "object" && item !== null) {
        inner = Math.max(inner, actualOfSet(costed.field.selectionSet!, typeOfValue(walk.schema, costed.named, item), item as Record<string, unknown>, walk, false))
      }
    }
    total += (payload ? 0 : costed.own) + inner
  }
  return total
}

/** The cost of what was actually returned; never more than what was requested. */
export const actual = (
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  data: Readonly<Record<string, unknown>> | null | undefined,
  requestedCost: number
): number => {
  const walk: Walk = { schema, fragments, variables, memo: new Map(), plans: new Map() }
  if (data === null || data === undefined) {
    return op.operation === "mutation"
      ? Math.min(requestedCost, mutationCost)
      : Math.min(requestedCost, actualOfSet(op.selectionSet, rootType(schema, op), {}, walk, false))
  }
  const root = rootType(schema, op)
  if (op.operation !== "mutation") return Math.min(requestedCost, actualOfSet(op.selectionSet, root, data, walk, false))
  let total = 0
  for (const field of fieldsOf(op.selectionSet, root, walk)) {
    const def = fieldDef(root, field.name.value)
    const v = data[responseKey(field)]
    total += mutationCosts[field.name.value] ?? mutationCost
    if (def !== undefined && field.selectionSet && typeof v === "object" && v !== null) {
      total += actualOfSet(field.selectionSet, getNamedType(def.type), v as Record<string, unknown>, walk, true)
    }
  }
  return Math.min(requestedCost, total)
}
