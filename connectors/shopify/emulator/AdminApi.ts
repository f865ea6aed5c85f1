// The Admin GraphQL endpoint, `POST /admin/api/{version}/graphql.json`, as Shopify answers it: 401 for
// a bad token, version fall-forward, injected faults, then parse and validation errors in Shopify's
// shape, INVALID_VARIABLE, MAX_INPUT_SIZE_EXCEEDED, MAX_COST_EXCEEDED over 1000 points, THROTTLED when
// the bucket cannot hold the requested cost, and otherwise the result with `extensions.cost`
// (FACTS §3, §4, §7). Each request runs atomically: a mutation's changes are committed at its end.
import {
  type DocumentNode,
  executeSync,
  type FragmentDefinitionNode,
  type GraphQLError,
  Kind,
  NoDeprecatedCustomRule,
  type OperationDefinitionNode,
  parse,
  validate
} from "graphql"
import { Effect, Ref } from "effect"
import { hooks as bulkHooks } from "./BulkQuery.js"
import { emulatorSchema } from "./EmulatorSchema.js"
import * as EmulatorState from "./EmulatorState.js"
import * as FaultSpec from "./FaultSpec.js"
import { GidLiteralsRule } from "./GidLiteralsRule.js"
import * as GraphqlErrors from "./GraphqlErrors.js"
import * as LeakyBucket from "./LeakyBucket.js"
import * as QueryCost from "./QueryCost.js"
import type { RequestContext } from "./RequestContext.js"
import { rootValue } from "./Resolvers.js"
import * as VariableCoercion from "./VariableCoercion.js"

export interface HttpRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

export type HttpOutcome =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
    /** Delay before answering (the `slow` fault). */
    readonly delayMillis: number
    /** Drop the connection instead of sending the answer (the `reset-after` fault). */
    readonly dropResponse: boolean
    /** A body too large for a string (a bulk result file), sent instead of `body`. */
    readonly stream?: { readonly open: () => import("node:stream").Readable; readonly length: number }
  }
  | { readonly _tag: "Reset" }

/** The API versions Shopify serves on 2026-11-26 (FACTS §7, §8.6). */
export const supportedVersions: ReadonlyArray<string> = ["2026-01", "2026-04", "2026-07", "2026-10", "2027-01", "unstable"]
const oldestVersion = "2026-01"

/** The version actually served: inaccessible old versions fall forward to the oldest one (FACTS §7). */
export const servedVersion = (requested: string): string | undefined => {
  if (supportedVersions.includes(requested)) return requested
  if (!/^\d{4}-\d{2}$/.test(requested)) return undefined
  return requested < oldestVersion ? oldestVersion : undefined
}

export const graphqlPath = /^\/admin\/api\/([^/]+)\/graphql\.json$/

const json = "application/json; charset=utf-8"

const respond = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpOutcome => ({
  _tag: "Respond",
  status,
  headers: { "content-type": json, ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
  delayMillis: 0,
  dropResponse: false
})

export const unauthorizedBody = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }

interface GraphqlBody {
  readonly query: string
  readonly variables: Readonly<Record<string, unknown>>
  readonly operationName: string | null
}

const readBody = (request: HttpRequest): GraphqlBody | undefined => {
  const type = (request.headers["content-type"] ?? "").toLowerCase()
  // Airbyte-style clients send the raw document as application/graphql (FACTS §5.6).
  if (type.startsWith("application/graphql")) return { query: request.body, variables: {}, operationName: null }
  try {
    const parsed: unknown = JSON.parse(request.body)
    if (typeof parsed !== "object" || parsed === null) return undefined
    const { query, variables, operationName } = parsed as Record<string, unknown>
    if (typeof query !== "string") return undefined
    return {
      query,
      variables: typeof variables === "object" && variables !== null ? variables as Record<string, unknown> : {},
      operationName: typeof operationName === "string" ? operationName : null
    }
  } catch {
    return undefined
  }
}

const faultOutcome = (fault: FaultSpec.Fault, version: string): HttpOutcome | undefined => {
  switch (fault.kind) {
    case "429": {
      const retry = FaultSpec.retryAfter(fault)
      return respond(429, { errors: "Exceeded the rate limit for this resource. Retry later." }, retry === null ? {} : { "retry-after": retry })
    }
    case "500":
      return respond(500, { errors: "Internal Server Error" })
    case "502":
      return {
        _tag: "Respond",
        status: 502,
        headers: { "content-type": "text/html" },
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        delayMillis: 0,
        dropResponse: false
      }
    case "503":
      return respond(503, { errors: "Service Unavailable" }, { "retry-after": "1" })
    case "reset":
      return { _tag: "Reset" }
    case "throttled":
      return undefined
    default:
      void version
      return undefined
  }
}

const throttledBody = (requested: number, bucket: LeakyBucket.Bucket) => ({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
  extensions: {
    cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: LeakyBucket.throttleStatus(bucket) }
  }
})

const maxCostBody = (cost: number) => ({
  errors: [{
    message: `Query cost is ${cost}, which exceeds the single query max cost limit (${QueryCost.singleQueryLimit}).\n\n` +
      "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
      "cost of a query is calculated.\n\n" +
      "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
      "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
    extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: QueryCost.singleQueryLimit, documentation: "https://shopify.dev/api/usage/limits#rate-limits" }
  }]
})

const executionError = (e: GraphQLError) => ({
  message: e.message,
  ...(e.locations === undefined ? {} : { locations: e.locations }),
  ...(e.path === undefined ? {} : { path: e.path }),
  extensions: e.extensions && Object.keys(e.extensions).length > 0 ? e.extensions : { code: "INTERNAL_SERVER_ERROR" }
})

const rootFields = (op: OperationDefinitionNode): ReadonlyArray<string> =>
  op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))

/** Handles one request to the Admin API path. */
export const handle = (state: EmulatorState.EmulatorState, request: HttpRequest, version: string): Effect.Effect<HttpOutcome> =>
  Effect.gen(function*() {
    const served = servedVersion(version)
    yield* Ref.update(state.counters, (c) => ({ ...c, requests: c.requests + 1 }))
    if (served === undefined) return respond(404, { errors: "Not Found" })
    const versionHeader = { "x-shopify-api-version": served }
    if (request.method !== "POST") return respond(405, { errors: "Method Not Allowed" }, versionHeader)
    if (request.headers["x-shopify-access-token"] !== state.token) {
      yield* Ref.update(state.counters, (c) => ({ ...c, unauthorized: c.unauthorized + 1, statuses: EmulatorState.bump(c.statuses, "401") }))
      return respond(401, unauthorizedBody)
    }
    const settings = yield* Ref.get(state.settings)
    const fault = yield* Ref.modify(state.faults, (f): readonly [FaultSpec.Fault | null, EmulatorState.FaultState] => {
      const n = f.requestNumber + 1
      const [decided, random] = FaultSpec.decide(settings.faults, n, f.random)
      return [decided, { random, requestNumber: n }]
    })
    if (fault !== null) {
      yield* Ref.update(state.counters, (c) => ({ ...c, faults: EmulatorState.bump(c.faults, fault.kind) }))
      const early = faultOutcome(fault, served)
      if (early !== undefined) {
        if (early._tag === "Respond") {
          yield* Ref.update(state.counters, (c) => ({ ...c, statuses: EmulatorState.bump(c.statuses, String(early.status)) }))
        }
        return early
      }
    }
    const body = readBody(request)
    if (body === undefined) return respond(400, { errors: "Bad Request" }, versionHeader)
    const outcome = yield* state.lock.withPermits(1)(graphql(state, settings, body, fault))
    const headers = { ...versionHeader, ...(outcome._tag === "Respond" ? outcome.headers : {}) }
    if (outcome._tag === "Respond") {
      yield* Ref.update(state.counters, (c) => ({ ...c, statuses: EmulatorState.bump(c.statuses, String(outcome.status)) }))
      return {
        ...outcome,
        headers,
        delayMillis: fault?.kind === "slow" ? FaultSpec.slowMillis(fault) : 0,
        dropResponse: fault?.kind === "reset-after"
      }
    }
    return outcome
  })

const graphql = (
  state: EmulatorState.EmulatorState,
  settings: EmulatorState.Settings,
  body: GraphqlBody,
  fault: FaultSpec.Fault | null
): Effect.Effect<HttpOutcome> =>
  Effect.gen(function*() {
    const now = yield* state.clock.now
    const validationFailure = (errors: ReadonlyArray<unknown>) =>
      Effect.as(
        Ref.update(state.counters, (c) => ({ ...c, validationErrors: c.validationErrors + 1 })),
        respond(200, { errors })
      )
    const cached = state.documents.get(body.query)
    let document: DocumentNode
    let deprecated: boolean
    if (cached !== undefined) {
      if (cached.errors.length > 0) return yield* validationFailure(cached.errors)
      document = cached.document
      deprecated = cached.deprecated
    } else {
      try {
        document = parse(body.query)
      } catch (e) {
        return yield* validationFailure([GraphqlErrors.parseError(body.query, e as GraphQLError)])
      }
      const parsed = document
      const graphqlErrors = validate(emulatorSchema, parsed)
      const invalid = (graphqlErrors.length > 0 ? graphqlErrors : validate(emulatorSchema, parsed, [GidLiteralsRule]))
        .map((e) => GraphqlErrors.validationError(parsed, e))
      deprecated = invalid.length === 0 && validate(emulatorSchema, parsed, [NoDeprecatedCustomRule]).length > 0
      state.documents.set(body.query, { document: parsed, errors: invalid, deprecated })
      if (invalid.length > 0) return yield* validationFailure(invalid)
    }
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    const op = body.operationName === null
      ? (operations.length === 1 ? operations[0] : undefined)
      : operations.find((o) => o.name?.value === body.operationName)
    if (op === undefined) {
      return yield* validationFailure([{
        message: body.operationName === null ? "An operation name is required" : `No operation named "${body.operationName}"`,
        extensions: { code: "OPERATION_NAME_REQUIRED" }
      }])
    }
    const coerced = VariableCoercion.coerce(emulatorSchema, op, body.variables)
    if (coerced._tag === "Invalid") return yield* validationFailure(coerced.errors)
    const largest = Math.max(VariableCoercion.largestArray(coerced.values), literalArraySize(op))
    if (largest > VariableCoercion.maxInputArray) return yield* validationFailure([VariableCoercion.inputSizeError(largest)])

    const fragments = new Map<string, FragmentDefinitionNode>()
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
    const requested = QueryCost.requested(emulatorSchema, op, fragments, coerced.values)
    if (requested > QueryCost.singleQueryLimit) {
      yield* Ref.update(state.counters, (c) => ({ ...c, maxCostExceeded: c.maxCostExceeded + 1 }))
      return respond(200, maxCostBody(requested))
    }
    const taken = fault?.kind === "throttled"
      ? { _tag: "Throttled" as const, bucket: LeakyBucket.refill(yield* Ref.get(state.bucket), now) }
      : yield* Ref.modify(state.bucket, (b): readonly [LeakyBucket.Take, LeakyBucket.Bucket] => {
        const t = LeakyBucket.take(b, requested, now)
        return [t, t.bucket]
      })
    if (taken._tag === "Throttled") {
      yield* Ref.update(state.counters, (c) => ({ ...c, throttled: c.throttled + 1 }))
      return respond(200, throttledBody(requested, taken.bucket))
    }

    const baseUrl = yield* Ref.get(state.baseUrl)
    const working = { data: yield* Ref.get(state.data) }
    const ctx: RequestContext = {
      state: working,
      now,
      lagMillis: settings.searchLagMillis,
      dateGranularity: settings.dateGranularity,
      shop: settings.shop,
      limits: state.limits(settings),
      sortCache: state.sortCache,
      bulkResults: state.bulkResults,
      bulk: bulkHooks,
      baseUrl,
      bulkSettings: settings.bulk
    }
    const result = executeSync({
      schema: emulatorSchema,
      document,
      rootValue,
      contextValue: ctx,
      // The raw values: graphql-js coerces them itself, and they were checked above (Shopify's shape).
      variableValues: body.variables,
      ...(body.operationName === null ? {} : { operationName: body.operationName })
    })
    if (op.operation === "mutation") yield* Ref.set(state.data, working.data)
    const data = (result.data ?? null) as Record<string, unknown> | null
    const actual = QueryCost.actual(emulatorSchema, op, fragments, coerced.values, data, requested)
    const bucket = yield* Ref.updateAndGet(state.bucket, (b) => LeakyBucket.give(b, requested - actual, now))
    yield* Ref.update(state.counters, (c) => ({
      ...c,
      executed: c.executed + 1,
      requestedCost: c.requestedCost + requested,
      costSpent: c.costSpent + actual,
      operations: rootFields(op).reduce((acc, name) => EmulatorState.bump(acc, name), c.operations)
    }))
    const response = {
      ...(result.errors === undefined ? {} : { errors: result.errors.map(executionError) }),
      data,
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: LeakyBucket.throttleStatus(bucket) } }
    }
    return respond(
      200,
      response,
      deprecated ? { "x-shopify-api-deprecated-reason": "https://shopify.dev/api/usage/versioning#deprecation-practices" } : {}
    )
  })

/** The longest array written inline in the operation's arguments. */
const literalArraySize = (op: OperationDefinitionNode): number => {
  let largest = 0
  const visitValue = (v: import("graphql").ValueNode): void => {
    if (v.kind === Kind.LIST) {
      largest = Math.max(largest, v.values.length)
      v.values.forEach(visitValue)
    } else if (v.kind === Kind.OBJECT) v.fields.forEach((f) => visitValue(f.value))
  }
  const visitSet = (set: import("graphql").SelectionSetNode): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        s.arguments?.forEach((a) => visitValue(a.value))
        if (s.selectionSet) visitSet(s.selectionSet)
      } else if (s.kind === Kind.INLINE_FRAGMENT) visitSet(s.selectionSet)
    }
  }
  visitSet(op.selectionSet)
  return largest
}
