// The raw Shopify Admin GraphQL client: transport through @shopify/admin-api-client, the shop's cost
// budget, retries, and decoding every response at the edge. Stages talk to Shopify only through it.
//
// Retries are all ours: the library's built-in retries are turned off because it reads a 429's
// seconds-valued Retry-After as milliseconds and never retries THROTTLED (FACTS §8.5).
import { createAdminApiClient } from "@shopify/admin-api-client"
import {
  Chunk,
  Context,
  Duration,
  Effect,
  Either,
  HashMap,
  Layer,
  Option,
  ParseResult,
  Random,
  Redacted,
  Ref,
  Schema,
  Stream
} from "effect"
import { ConfigError } from "../../core/EtlError.js"
import * as CostBucket from "./CostBucket.js"
import type { Operation } from "./Operation.js"
import * as QueryCost from "./QueryCost.js"
import { ShopifyBudgets } from "./ShopifyBudgets.js"
import * as Budgets from "./ShopifyBudgets.js"
import { planBucket, type ShopifyConfig } from "./ShopifyConfig.js"
import { ShopifyError } from "./ShopifyError.js"
import { Extensions, GraphQLErrorWire, type QueryCost as Cost } from "./wire/CostWire.js"

/** A decoded response with what Shopify said about its cost. */
export interface ShopifyResult<A> {
  readonly data: A
  readonly cost: Option.Option<Cost>
  readonly requestId: string | undefined
  /**
   * An earlier attempt of this request got no answer (a reset, a timeout, a 5xx) and was sent again: a
   * mutation may have taken effect before the answer that came back (which then says, for a create,
   * that the email is taken by the very customer the lost attempt made).
   */
  readonly uncertain: boolean
}

export interface ShopifyClientService {
  /** The store's origin (`https://my-shop.myshopify.com`), for messages; never the token. */
  readonly store: string
  readonly apiVersion: string
  /**
   * Sends an operation: waits for the shop's bucket, retries throttling and transient failures, and
   * decodes `data` with the operation's Schema. Mutations report their `userErrors` in `data`.
   */
  readonly request: <V, A>(
    operation: Operation<V, A>,
    variables: V,
    options?: RequestOptions
  ) => Effect.Effect<ShopifyResult<A>, ShopifyError>
  /** `request` without the cost details. */
  readonly execute: <V, A>(operation: Operation<V, A>, variables: V, options?: RequestOptions) => Effect.Effect<A, ShopifyError>
  /** Streams the lines of a bulk operation's JSONL result (a signed URL: no token is sent). */
  readonly downloadLines: (url: string) => Stream.Stream<string, ShopifyError>
  /** The shop's bucket as this process models it (tests and benchmarks read `throttled`). */
  readonly budget: Effect.Effect<CostBucket.BucketSnapshot>
}

export interface RequestOptions {
  /**
   * The requested cost the caller expects (a source that learned it from earlier pages); otherwise the
   * client uses what Shopify reported for the same operation and sizes, or its own estimate.
   */
  readonly cost?: number
  /**
   * Whether a mutation that got no answer is sent again (default true). Off for mutations that are not
   * idempotent and whose effect the caller can look up (an invite email): the request then fails with
   * its Transport error, and the caller checks what happened before deciding to send again.
   */
  readonly resendUncertain?: boolean
}

export class ShopifyClient extends Context.Tag("edgesync/ShopifyClient")<ShopifyClient, ShopifyClientService>() {}

/** How many THROTTLED / 429 answers one request waits out before failing as retriable. */
const maxThrottleRetries = 20

type RawResponse = Awaited<ReturnType<ReturnType<typeof createAdminApiClient>["request"]>>

/** What one attempt came to. */
type Attempt =
  | { readonly _tag: "Ok"; readonly data: unknown; readonly cost: Option.Option<Cost>; readonly requestId: string | undefined }
  | { readonly _tag: "Failed"; readonly error: ShopifyError; readonly cost: Option.Option<Cost> }

const decodeExtensions = Schema.decodeUnknownOption(Extensions)
const decodeGraphQLErrors = Schema.decodeUnknownOption(Schema.Array(GraphQLErrorWire))

const parseRetryAfter = (value: string | null | undefined): Duration.Duration | undefined => {
  if (value === null || value === undefined) return undefined
  const seconds = Number.parseFloat(value)
  // Shopify sends seconds, possibly fractional ("2.0"); the library would read it as milliseconds.
  return Number.isFinite(seconds) && seconds >= 0 ? Duration.millis(Math.ceil(seconds * 1000)) : undefined
}

/**
 * Splits text into its non-empty lines a chunk at a time (a bulk result runs to hundreds of megabytes;
 * Stream.splitLines looks at every character).
 */
export const splitLines = <E>(text: Stream.Stream<string, E>): Stream.Stream<string, E> =>
  Stream.unwrap(Effect.map(Ref.make(""), (carry) =>
    Stream.concat(
      Stream.mapChunksEffect(text, (chunk) =>
        Ref.modify(carry, (rest) => {
          const parts = (rest + Chunk.join(chunk, "")).split("\n")
          const last = parts.pop() ?? ""
          return [Chunk.unsafeFromArray(parts.filter((line) => line.trim() !== "")), last]
        })),
      Stream.unwrap(Effect.map(Ref.get(carry), (rest) => rest.trim() === "" ? Stream.empty : Stream.make(rest)))
    )))

/**
 * Builds the client for one store. The shop's bucket comes from the process-wide registry, so every
 * client of the same shop shares it.
 */
export const make = (config: ShopifyConfig): Effect.Effect<ShopifyClientService, ConfigError, ShopifyBudgets> =>
  Effect.gen(function*() {
    const store = config.store.origin
    const token = Redacted.value(config.accessToken)
    // Secrets must never leave in a message, even one a library built from a request it echoed.
    const scrub = (text: string): string => text.split(token).join("[redacted]")

    // The GraphQL client always builds an https URL (FACTS §8.2); the emulator speaks http on loopback,
    // so the URL is rewritten back here. Bodies of non-2xx answers are drained so that the connection
    // returns to the pool (the library does not read them).
    const customFetchApi = async (url: string, init?: Parameters<typeof fetch>[1]): Promise<Response> => {
      const target = config.store.insecure ? url.replace(/^https:/, "http:") : url
      const response = await fetch(target, init)
      if (response.ok) return response
      const body = await response.text()
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
    }

    const versionWarnings: Array<string> = []
    const api = yield* Effect.try({
      try: () =>
        createAdminApiClient({
          storeDomain: config.store.domain,
          apiVersion: config.apiVersion,
          accessToken: token,
          retries: 0,
          userAgentPrefix: "edgesync",
          customFetchApi,
          logger: (log) => {
            if (log.type === "Unsupported_Api_Version") versionWarnings.push(config.apiVersion)
          }
        }),
      catch: (error) =>
        new ConfigError({
          reason: "Invalid",
          key: "shopify",
          value: store,
          expected: scrub(error instanceof Error ? error.message : String(error))
        })
    })
    if (versionWarnings.length > 0) {
      // The library's list is computed from today's date (FACTS §8.6); Shopify itself falls forward
      // to the oldest supported version rather than failing (FACTS §7).
      yield* Effect.logWarning(
        `Shopify API version ${config.apiVersion} is outside the versions currently supported; ` +
          `Shopify will answer with the oldest supported version instead.`
      )
    }

    const budgets = yield* ShopifyBudgets
    const bucket = yield* budgets.bucketFor(store, planBucket[config.plan])
    // The requested cost Shopify reported last time for each operation and page size: it replaces our
    // estimate, because Shopify sets manual costs on some fields (FACTS §4).
    const learned = yield* Ref.make(HashMap.empty<string, number>())

    const costKey = (operation: Operation<unknown, unknown>, variables: unknown): string => {
      const sizes = typeof variables === "object" && variables !== null
        ? Object.entries(variables).filter(([, v]) => typeof v === "number").sort(([a], [b]) => a.localeCompare(b))
        : []
      return `${operation.name}:${JSON.stringify(sizes)}`
    }

    const fail = (
      operation: string,
      reason: ShopifyError["reason"],
      detail: string,
      extra: Partial<{
        requestId: string
        status: number
        code: string
        retryAfterMillis: number
        userErrors: ShopifyError["userErrors"]
      }> = {}
    ): ShopifyError =>
      new ShopifyError({
        reason,
        operation,
        store,
        detail: scrub(detail),
        ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined))
      })

    const interpret = (operation: string, requested: number, response: RawResponse): Attempt => {
      const cost = Option.flatMap(decodeExtensions(response.extensions), (e) => Option.fromNullable(e.cost))
      const errors = response.errors
      const headers = response.headers ?? errors?.response?.headers
      const requestId = headers?.get("x-request-id") ?? undefined
      const ids = requestId === undefined ? {} : { requestId }
      if (errors === undefined) {
        return { _tag: "Ok", data: response.data, cost, requestId }
      }
      const status = errors.networkStatusCode
      if (status === undefined) {
        return { _tag: "Failed", cost, error: fail(operation, "Transport", errors.message ?? "network failure") }
      }
      if (status !== 200) {
        const statusText = `HTTP ${status}${errors.response?.statusText ? ` ${errors.response.statusText}` : ""}`
        if (status === 401) {
          return { _tag: "Failed", cost, error: fail(operation, "Unauthorized", statusText, { ...ids, status }) }
        }
        if (status === 403) {
          return {
            _tag: "Failed",
            cost,
            error: fail(operation, "AccessDenied", `${statusText}: the token or shop is not allowed`, { ...ids, status })
          }
        }
        if (status === 404) {
          return {
            _tag: "Failed",
            cost,
            error: fail(operation, "NotFound", `${statusText}: no Admin API at this store and API version`, {
              ...ids,
              status
            })
          }
        }
        if (status === 429) {
          const after = parseRetryAfter(errors.response?.headers.get("retry-after")) ?? Duration.seconds(1)
          return {
            _tag: "Failed",
            cost,
            error: fail(operation, "Throttled", `${statusText}: too many requests`, {
              ...ids,
              status,
              retryAfterMillis: Duration.toMillis(after)
            })
          }
        }
        if (status >= 500) {
          return { _tag: "Failed", cost, error: fail(operation, "Transport", statusText, { ...ids, status }) }
        }
        // 400, 402 (frozen shop), 423 (locked shop), ...: nothing a retry fixes (FACTS §3).
        return { _tag: "Failed", cost, error: fail(operation, "GraphQL", statusText, { ...ids, status }) }
      }
      const graphQLErrors = Option.getOrElse(decodeGraphQLErrors(errors.graphQLErrors ?? []), () => [])
      if (graphQLErrors.length === 0) {
        // A 200 without data or errors, or not JSON at all: a proxy or a truncated body.
        return { _tag: "Failed", cost, error: fail(operation, "Transport", errors.message ?? "malformed response", ids) }
      }
      const codes = graphQLErrors.map((e) => e.extensions?.code).filter((c): c is string => c !== undefined)
      const detail = graphQLErrors.map((e) => e.message).join("; ")
      if (codes.includes("THROTTLED")) {
        const wait = Option.match(Option.flatMap(cost, (c) => Option.fromNullable(c.throttleStatus)), {
          onNone: () => Duration.seconds(1),
          onSome: (s) => CostBucket.throttleWait(Option.getOrElse(Option.flatMap(cost, (c) => Option.fromNullable(c.requestedQueryCost)), () => requested), s)
        })
        return {
          _tag: "Failed",
          cost,
          error: fail(operation, "Throttled", detail, { ...ids, code: "THROTTLED", retryAfterMillis: Duration.toMillis(wait) })
        }
      }
      if (codes.includes("MAX_COST_EXCEEDED")) {
        return { _tag: "Failed", cost, error: fail(operation, "MaxCostExceeded", detail, { ...ids, code: "MAX_COST_EXCEEDED" }) }
      }
      if (codes.includes("ACCESS_DENIED")) {
        const required = graphQLErrors.map((e) => e.extensions?.requiredAccess).filter((r) => r !== undefined)
        return {
          _tag: "Failed",
          cost,
          error: fail(operation, "AccessDenied", required.length > 0 ? `${detail} (requires ${required.join(", ")})` : detail, {
            ...ids,
            code: "ACCESS_DENIED"
          })
        }
      }
      const code = codes[0]
      return { _tag: "Failed", cost, error: fail(operation, "GraphQL", detail, { ...ids, ...(code === undefined ? {} : { code }) }) }
    }

    const sendOnce = (operation: Operation<unknown, unknown>, variables: unknown, requested: number) =>
      Effect.tryPromise({
        try: (signal) =>
          api.request(operation.document, {
            variables: variables as Record<string, unknown>,
            signal
          }),
        catch: (error) => fail(operation.name, "Transport", error instanceof Error ? error.message : String(error))
      }).pipe(
        Effect.map((response) => interpret(operation.name, requested, response)),
        Effect.timeoutFail({
          duration: config.requestTimeout,
          onTimeout: () =>
            fail(operation.name, "Transport", `no answer within ${Duration.format(config.requestTimeout)}`)
        }),
        Effect.catchAll((error): Effect.Effect<Attempt> =>
          Effect.succeed({ _tag: "Failed", error, cost: Option.none() }))
      )

    const backoff = (attempt: number) =>
      Effect.map(Random.nextRange(0.5, 1), (jitter) =>
        Duration.millis(Math.round(Math.min(8000, 250 * 2 ** attempt) * jitter)))

    const isTransient = (e: ShopifyError) =>
      e.reason === "Transport" || e.reason === "GraphQL" && e.code === "INTERNAL_SERVER_ERROR"

    const request = <V, A>(
      operation: Operation<V, A>,
      variables: V,
      options: RequestOptions = {}
    ): Effect.Effect<ShopifyResult<A>, ShopifyError> =>
      Effect.gen(function*() {
        const op = operation as Operation<unknown, unknown>
        const key = costKey(op, variables)
        const estimate = QueryCost.estimate(op.document, (variables ?? {}) as Record<string, unknown>)
        const known = HashMap.get(yield* Ref.get(learned), key)
        const requested = options.cost ?? Option.getOrElse(known, () => estimate)
        if (requested > QueryCost.singleQueryLimit) {
          // Shopify would refuse it before running it (FACTS §4): the caller must use smaller pages.
          return yield* fail(
            op.name,
            "MaxCostExceeded",
            `estimated cost ${requested} exceeds the single query limit (${QueryCost.singleQueryLimit}); not sent`,
            { code: "MAX_COST_EXCEEDED" }
          )
        }
        let transient = 0
        let throttles = 0
        for (;;) {
          yield* bucket.acquire(requested)
          const attempt = yield* sendOnce(op, variables, requested)
          const status = Option.flatMap(attempt.cost, (c) => Option.fromNullable(c.throttleStatus))
          yield* bucket.settle(requested, status)
          const reported = Option.flatMap(attempt.cost, (c) => Option.fromNullable(c.requestedQueryCost))
          if (Option.isSome(reported)) yield* Ref.update(learned, HashMap.set(key, reported.value))
          if (attempt._tag === "Ok") {
            const decoded = Schema.decodeUnknownEither(op.response)(attempt.data)
            if (Either.isLeft(decoded)) {
              return yield* fail(
                op.name,
                "Decode",
                `unexpected response shape: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`,
                attempt.requestId === undefined ? {} : { requestId: attempt.requestId }
              )
            }
            return { data: decoded.right as A, cost: attempt.cost, requestId: attempt.requestId, uncertain: transient > 0 }
          }
          const error = attempt.error
          if (error.reason === "Throttled" && throttles < maxThrottleRetries) {
            throttles++
            const after = error.retryAfter ?? Duration.seconds(1)
            // THROTTLED: the settled model already makes the next acquire wait for the missing points;
            // a 429 carries only a delay, which holds every request of this shop.
            yield* bucket.throttled(error.code === "THROTTLED" ? Duration.zero : after)
            yield* Effect.logWarning(`Shopify throttled ${op.name}; waiting ${Duration.format(after)}`)
            if (error.code === "THROTTLED" && Option.isNone(status)) yield* Effect.sleep(after)
            continue
          }
          const resend = op.kind === "query" || options.resendUncertain !== false
          if (isTransient(error) && resend && transient < config.maxRetries) {
            const wait = yield* backoff(transient)
            transient++
            yield* Effect.logWarning(
              `Shopify ${op.name} failed (${error.detail}); retry ${transient}/${config.maxRetries} in ${Duration.format(wait)}`
            )
            yield* Effect.sleep(wait)
            continue
          }
          return yield* error
        }
      }).pipe(Effect.withSpan(`ShopifyClient.${operation.name}`), Effect.annotateLogs({ shopify: operation.name }))

    const downloadLines = (url: string): Stream.Stream<string, ShopifyError> => {
      const target = config.store.insecure ? url.replace(/^https:/, "http:") : url
      const failed = (detail: string) => fail("BulkDownload", "Transport", detail)
      return Stream.unwrap(
        Effect.tryPromise({
          try: (signal) => fetch(target, { signal }),
          catch: (error) => failed(error instanceof Error ? error.message : String(error))
        }).pipe(
          Effect.flatMap((response) =>
            response.ok && response.body !== null
              ? Effect.succeed(response.body)
              : Effect.zipRight(
                Effect.promise(() => response.text()),
                Effect.fail(failed(`HTTP ${response.status} ${response.statusText}`))
              )
          ),
          Effect.map((body) =>
            splitLines(
              Stream.fromReadableStream({
                evaluate: () => body,
                onError: (error) => failed(error instanceof Error ? error.message : String(error))
              }).pipe(Stream.decodeText())
            )
          )
        )
      )
    }

    return {
      store,
      apiVersion: config.apiVersion,
      request,
      execute: (operation, variables, options) => Effect.map(request(operation, variables, options), (r) => r.data),
      downloadLines,
      budget: bucket.snapshot
    } satisfies ShopifyClientService
  })

/** The client for `config`, sharing the process-wide budget of its shop. */
export const layer = (config: ShopifyConfig): Layer.Layer<ShopifyClient, ConfigError> =>
  Layer.effect(ShopifyClient, make(config)).pipe(Layer.provide(Budgets.layer))

/** The client with a budget of its own (tests that must not share a bucket). */
export const layerIsolated = (config: ShopifyConfig): Layer.Layer<ShopifyClient, ConfigError> =>
  Layer.effect(ShopifyClient, make(config)).pipe(Layer.provide(Budgets.layerIsolated))
