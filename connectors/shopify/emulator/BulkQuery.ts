// bulkOperationRunQuery and bulkOperationCancel (FACTS §5): the bulk query is checked with Shopify's
// own rules and messages (captured in bulk-operation-run-query-validators.json), run against the data
// as it is when the operation starts, without page sizes or cost limits (a large shop slice by slice,
// partly in the background, into a BulkResult), and flattened into JSONL:
// one line per node, nested connection nodes on their own lines with `__parentId`, "/" escaped as
// "\/" the way Shopify's Ruby JSON writes it. The concurrency limit answers OPERATION_IN_PROGRESS.
import {
  type DocumentNode,
  execute,
  type FieldNode,
  getNamedType,
  type GraphQLNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate
} from "graphql"
import { createHash } from "node:crypto"
import { Option } from "effect"
import * as BulkOperationState from "./BulkOperationState.js"
import { BulkResult, type Registry as BulkResultRegistry } from "./BulkResult.js"
import { emulatorSchema } from "./EmulatorSchema.js"
import * as Gid from "./Gid.js"
import * as GraphqlErrors from "./GraphqlErrors.js"
import type { BulkCancelResult, BulkHooks, BulkRunResult, RequestContext } from "./RequestContext.js"
import { rootValue } from "./Resolvers.js"
import * as StoreModel from "./StoreModel.js"

type UserError = BulkRunResult["userErrors"][number]
const invalid = (message: string): UserError => ({ field: ["query"], message, code: "INVALID" })

const isConnectionType = (t: GraphQLNamedType) => isObjectType(t) && t.name.endsWith("Connection") && "pageInfo" in t.getFields()

interface ConnectionInfo {
  readonly field: FieldNode
  readonly key: string
  readonly depth: number
  readonly viaNodes: boolean
  readonly parentHasId: boolean
  readonly parentName: string | null
  readonly withinList: boolean
}

/** Walks the query and lists its connections with what the bulk rules need to know about them. */
const connections = (op: OperationDefinitionNode): ReadonlyArray<ConnectionInfo> => {
  const found: Array<ConnectionInfo> = []
  const walk = (set: SelectionSetNode, type: GraphQLNamedType, depth: number, parent: { hasId: boolean; name: string | null }, withinList: boolean) => {
    if (!isObjectType(type)) return
    for (const sel of set.selections) {
      if (sel.kind !== Kind.FIELD || sel.selectionSet === undefined) continue
      const def = type.getFields()[sel.name.value]
      if (def === undefined) continue
      const named = getNamedType(def.type)
      const key = sel.alias?.value ?? sel.name.value
      if (isConnectionType(named) && isObjectType(named)) {
        const viaNodes = sel.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "nodes")
        found.push({ field: sel, key, depth: depth + 1, viaNodes, parentHasId: parent.hasId, parentName: parent.name, withinList })
        const edges = sel.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "edges")
        const node = edges?.selectionSet?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node")
        const nodeType = getNamedType(named.getFields()["nodes"]!.type)
        if (node?.selectionSet !== undefined) {
          const hasId = node.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "id" && s.alias === undefined)
          walk(node.selectionSet, nodeType, depth + 1, { hasId, name: key }, false)
        }
        continue
      }
      const list = isListType(isNonNullType(def.type) ? def.type.ofType : def.type)
      walk(sel.selectionSet, named, depth, parent, withinList || list)
    }
  }
  walk(op.selectionSet, emulatorSchema.getQueryType()!, 0, { hasId: true, name: null }, false)
  return found
}

/** Shopify's checks on a bulk query, in the order its errors come back. */
export const check = (query: string): { readonly document: DocumentNode; readonly op: OperationDefinitionNode } | ReadonlyArray<UserError> => {
  let document: DocumentNode
  try {
    document = parse(query)
  } catch (e) {
    const message = e instanceof Error ? GraphqlErrors.parseError(query, e as never).message.replace(/ at \[\d+, \d+\]$/, "") : "syntax error"
    return [invalid(`Invalid bulk query: ${message}`)]
  }
  const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
  if (op === undefined) return [invalid("Bulk queries must contain at least one connection.")]
  if (op.operation !== "query") return [invalid("Invalid operation type. Only `query` operations are supported.")]
  const errors: Array<UserError> = []
  const validation = validate(emulatorSchema, document)
  if (validation.length > 0) return validation.map((v) => invalid(`Invalid bulk query: ${GraphqlErrors.validationError(document, v).message}`))
  if (op.selectionSet.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === "node" || s.name.value === "nodes"))) {
    errors.push(invalid("Bulk queries cannot contain a top level `node` field."))
  }
  const found = connections(op)
  if (found.length === 0) errors.push(invalid("Bulk queries must contain at least one connection."))
  if (found.length > 5) errors.push(invalid("Bulk queries cannot contain more than 5 connections."))
  if (found.some((c) => c.depth > 2)) errors.push(invalid("Bulk queries cannot contain connections with a nesting depth greater than 2."))
  const viaNodes = found.filter((c) => c.viaNodes)
  if (viaNodes.length > 0) {
    const example = viaNodes[0]!.key
    errors.push(invalid(
      `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${example} { edges { node {'. ` +
        `Selecting via 'nodes' is not supported. Invalid connection fields: ${viaNodes.map((c) => `'${c.key}'`).join(", ")}.`
    ))
  }
  if (found.some((c) => c.withinList)) errors.push(invalid("Queries that contain a connection field within a list field are not currently supported."))
  const orphans = [...new Set(found.filter((c) => !c.parentHasId && c.parentName !== null).map((c) => c.parentName!))]
  if (orphans.length > 0) {
    errors.push(invalid(
      "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. " +
        `Connection fields without 'id': ${orphans.join(", ")}.`
    ))
  }
  return errors.length > 0 ? errors : { document, op }
}

type Json = Record<string, unknown>

const nodeTypeOf = (connection: GraphQLNamedType): GraphQLNamedType =>
  isObjectType(connection) ? getNamedType(connection.getFields()["nodes"]!.type) : connection

/** Ruby's JSON escapes "/"; Shopify's JSONL files show it (FACTS §5.5). */
const line = (value: Json): string => JSON.stringify(value).replace(/\//g, "\\/")

/** The connection fields selected directly in `set`. */
const connectionKeys = (set: SelectionSetNode, type: GraphQLNamedType): ReadonlyArray<{ key: string; field: FieldNode; type: GraphQLNamedType }> => {
  if (!isObjectType(type)) return []
  const keys: Array<{ key: string; field: FieldNode; type: GraphQLNamedType }> = []
  for (const s of set.selections) {
    if (s.kind !== Kind.FIELD) continue
    const def = type.getFields()[s.name.value]
    if (def !== undefined && isConnectionType(getNamedType(def.type))) {
      keys.push({ key: s.alias?.value ?? s.name.value, field: s, type: getNamedType(def.type) })
    }
  }
  return keys
}

/** Flattens the query's result into JSONL lines, children after their parent. */
const flatten = (
  data: Json,
  op: OperationDefinitionNode,
  groupObjects: boolean
): { readonly lines: ReadonlyArray<string>; readonly roots: number } => {
  const out: Array<string> = []
  let roots = 0
  const nodesOf = (value: unknown): ReadonlyArray<Json> => {
    const edges = (value as { edges?: ReadonlyArray<{ node?: Json }> } | null)?.edges ?? []
    return edges.map((e) => e.node).filter((n): n is Json => n !== undefined && n !== null)
  }
  const nodeSelection = (field: FieldNode): SelectionSetNode | undefined => {
    const edges = field.selectionSet?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "edges")
    return edges?.selectionSet?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node")?.selectionSet
  }
  // Emits a node and returns the lines of its nested connections (written after it).
  const emit = (node: Json, set: SelectionSetNode | undefined, type: GraphQLNamedType, parentId: string | null, sink: Array<string>): Array<string> => {
    const nested = set === undefined ? [] : connectionKeys(set, type)
    const own: Json = {}
    for (const [k, v] of Object.entries(node)) if (!nested.some((n) => n.key === k)) own[k] = v
    if (parentId !== null) own["__parentId"] = parentId
    sink.push(line(own))
    const children: Array<string> = []
    for (const n of nested) {
      const childType = nodeTypeOf(n.type)
      for (const child of nodesOf(node[n.key])) {
        const grand = emit(child, nodeSelection(n.field), childType, typeof node["id"] === "string" ? node["id"] : null, children)
        children.push(...grand)
      }
    }
    return children
  }
  for (const root of connectionKeys(op.selectionSet, emulatorSchema.getQueryType()!)) {
    const nodeType = nodeTypeOf(root.type)
    const nodes = nodesOf(data[root.key])
    const chunk = groupObjects ? 1 : 100
    for (let i = 0; i < nodes.length; i += chunk) {
      const pending: Array<string> = []
      for (const node of nodes.slice(i, i + chunk)) {
        roots++
        pending.push(...emit(node, nodeSelection(root.field), nodeType, null, out))
      }
      out.push(...pending)
    }
  }
  return { lines: out, roots }
}

const resultKeyOf = (id: number, query: string) => createHash("sha256").update(`${id}:${query}`).digest("hex").slice(0, 32)

/** Root objects rendered per execution: a multiple of 100, so ungrouped chunks of children line up. */
const rootsPerSlice = 500
/** Root objects rendered within bulkOperationRunQuery itself; the rest is rendered in the background. */
const rootsUpFront = 2_000

/**
 * Renders the query's result slice by slice into `result`. A query with a single root connection and no
 * paging arguments of its own is executed `rootsPerSlice` root objects at a time (a cursor carried from
 * one slice to the next), so neither the execution tree nor the file of a large shop is ever whole in
 * memory; any other query is executed at once. Returns the first slice's error, if it failed.
 */
const renderer = (
  ctx: RequestContext,
  document: DocumentNode,
  op: OperationDefinitionNode,
  groupObjects: boolean,
  result: BulkResult
) => {
  const roots = connectionKeys(op.selectionSet, emulatorSchema.getQueryType()!)
  const rootFields = op.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD)
  const pagingArgs = ["first", "last", "after", "before"]
  const sliced = roots.length === 1 && rootFields.length === 1 &&
    !(roots[0]!.field.arguments ?? []).some((a) => pagingArgs.includes(a.name.value))
  const rootName = roots[0]?.field.name.value
  let after: string | null = null
  let finished = false
  type Resolver = (args: Record<string, unknown>, context: RequestContext, info: unknown) => unknown
  const resolvers = rootValue as unknown as Record<string, Resolver>
  const slicedRoot = sliced && rootName !== undefined
    ? {
      ...rootValue,
      [rootName]: (args: Record<string, unknown>, context: RequestContext, info: unknown) => {
        const connection = resolvers[rootName]!({ ...args, first: rootsPerSlice, after }, context, info) as {
          readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null }
        }
        after = connection.pageInfo.endCursor
        finished = !connection.pageInfo.hasNextPage || after === null
        return connection
      }
    }
    : rootValue
  /** Renders the next slice; an error message if its execution failed. */
  const step = (): string | undefined => {
    const executed = execute({ schema: emulatorSchema, document, rootValue: slicedRoot, contextValue: ctx })
    if (executed instanceof Promise || executed.errors !== undefined || executed.data === null || executed.data === undefined) {
      finished = true
      return executed instanceof Promise ? "asynchronous execution" : executed.errors?.[0]?.message ?? "no data"
    }
    const { lines, roots: count } = flatten(executed.data as Json, op, groupObjects)
    result.append(lines, count)
    if (!sliced) finished = true
    return undefined
  }
  return { step, isFinished: () => finished }
}

/** Keeps rendering a large result between requests, one slice per turn of the event loop. */
const continueInBackground = (render: ReturnType<typeof renderer>, result: BulkResult, registry: BulkResultRegistry) => {
  const turn = () => {
    if (result.halted || registry.isClosed) return
    try {
      render.step()
    } catch {
      // The result file could not be written (a full disk): end the file where it is rather than
      // take the emulator down from a timer callback.
      result.finish()
      return
    }
    if (render.isFinished()) result.finish()
    else setImmediate(turn)
  }
  setImmediate(turn)
}

export const hooks: BulkHooks = {
  run: (ctx: RequestContext, query: string, groupObjects: boolean): BulkRunResult => {
    const data = ctx.state.data
    const running = data.bulkOperations.filter((op) =>
      BulkOperationState.isRunning(BulkOperationState.view(op, ctx.now, ctx.bulkSettings, ctx.baseUrl).status)
    )
    if (running.length >= ctx.bulkSettings.concurrency) {
      return {
        operation: null,
        userErrors: [{
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${running.map((op) => Gid.make("BulkOperation", op.id)).join(", ")}.`,
          code: "OPERATION_IN_PROGRESS"
        }]
      }
    }
    if (Buffer.byteLength(query, "utf8") > 65535) {
      return { operation: null, userErrors: [invalid(`Query is too large (${Buffer.byteLength(query, "utf8")} bytes; maximum is 65535 bytes)`)] }
    }
    const checked = check(query)
    if (Array.isArray(checked)) return { operation: null, userErrors: checked }
    const { document } = checked as { readonly document: DocumentNode; readonly op: OperationDefinitionNode }
    const op = (checked as { readonly op: OperationDefinitionNode }).op
    // The data as it is now: a snapshot (StoreData is immutable), however long the rendering takes.
    const bulkCtx: RequestContext = {
      ...ctx,
      state: { data },
      limits: { ...ctx.limits, unbounded: true }
    }
    const result = new BulkResult(ctx.bulkResults)
    const render = renderer(bulkCtx, document, op, groupObjects, result)
    const failed = render.step()
    if (failed !== undefined) {
      result.dispose()
      return { operation: null, userErrors: [invalid(`Invalid bulk query: ${failed}`)] }
    }
    while (!render.isFinished() && result.roots < rootsUpFront) render.step()
    if (render.isFinished()) result.finish()
    else continueInBackground(render, result, ctx.bulkResults)
    const [id, afterId] = StoreModel.allocateId(data, "bulkOperation")
    const createdAt = StoreModel.truncateToSecond(ctx.now)
    const operation: StoreModel.BulkOperation = {
      id,
      query,
      groupObjects,
      createdAt,
      startedAt: ctx.now,
      finishesAt: ctx.now + ctx.bulkSettings.durationMillis,
      result,
      resultKey: resultKeyOf(id, query),
      failure: afterId.bulkFailNext,
      canceledAt: null,
      expired: false
    }
    ctx.state.data = { ...afterId, version: afterId.version + 1, bulkFailNext: null, bulkOperations: [...afterId.bulkOperations, operation] }
    return { operation, userErrors: [] }
  },
  cancel: (ctx: RequestContext, gid: string): BulkCancelResult => {
    const id = Option.getOrUndefined(Gid.idOf(gid, "BulkOperation"))
    const op = ctx.state.data.bulkOperations.find((b) => b.id === id)
    if (op === undefined) return { operation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] }
    const status = BulkOperationState.view(op, ctx.now, ctx.bulkSettings, ctx.baseUrl).status
    if (status === "CANCELING") return { operation: op, userErrors: [{ field: null, message: "Cancellation is already in progress" }] }
    if (!BulkOperationState.isRunning(status)) {
      return { operation: op, userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${status.toLowerCase()}` }] }
    }
    op.result.stop()
    const canceled: StoreModel.BulkOperation = { ...op, canceledAt: ctx.now }
    ctx.state.data = {
      ...ctx.state.data,
      version: ctx.state.data.version + 1,
      bulkOperations: ctx.state.data.bulkOperations.map((b) => (b.id === op.id ? canceled : b))
    }
    return { operation: canceled, userErrors: [] }
  }
}
