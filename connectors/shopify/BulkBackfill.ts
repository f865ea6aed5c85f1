// Catching up a large gap through a bulk query operation (FACTS §5): start it (waiting out another one
// in progress), poll it to completion, stream its JSONL result, and emit records with Backfill cursors so
// that a crash resumes after the last emitted id instead of starting over.
import { Chunk, Clock, Duration, Effect, Option, Ref, Schema, Stream } from "effect"
import type { Sourced } from "../../core/Stage.js"
import { BulkCancel, BulkPoll, type BulkQuery, BulkRunQuery } from "./documents/BulkDocuments.js"
import { ShopifyClient } from "./ShopifyClient.js"
import { ShopifyError } from "./ShopifyError.js"
import * as SyncCursor from "./SyncCursor.js"
import { UserError } from "./UserError.js"
import type { BulkOperation } from "./wire/BulkWire.js"

export interface BulkResource<A> {
  readonly query: BulkQuery
  /** Turns the result's lines into records (rebuilding nested lines from `__parentId`). */
  readonly assemble: (lines: Stream.Stream<string, ShopifyError>, store: string) => Stream.Stream<A, ShopifyError>
  readonly id: (record: A) => string
  /** The numeric id: the bulk query runs in id order, and a resumed backfill asks for larger ids. */
  readonly legacyId: (record: A) => string
  readonly updatedAt: (record: A) => Date
}

export interface BulkOptions {
  /** Time between polls of a running operation. */
  readonly pollInterval: Duration.Duration
  /** How long to wait for another bulk query of this app to finish before giving up (retriable). */
  readonly inProgressTimeout: Duration.Duration
  readonly policy: SyncCursor.WindowPolicy
  readonly filter: Option.Option<string>
}

export const defaultBulkOptions = {
  pollInterval: Duration.seconds(2),
  inProgressTimeout: Duration.minutes(10)
} as const

const operationName = "BulkBackfill"

const bulkError = (store: string, reason: ShopifyError["reason"], detail: string, code?: string) =>
  new ShopifyError({ reason, operation: operationName, store, detail, ...(code === undefined ? {} : { code }) })

/** The search of a backfill: everything up to `upTo`, after `lastId`, since the start cursor's window. */
export const search = (cursor: SyncCursor.Backfill, since: Option.Option<string>, filter: Option.Option<string>): string =>
  [
    Option.map(since, SyncCursor.updatedSince),
    Option.some(`updated_at:<='${cursor.upTo}'`),
    cursor.lastId === "0" ? Option.none() : Option.some(`id:>${cursor.lastId}`),
    filter
  ].flatMap((o) => Option.toArray(o)).join(" ")

/** Starts the operation; another bulk query of this app in flight is waited out (FACTS §5.3, §5.4). */
const start = (query: string, options: BulkOptions) =>
  Effect.gen(function*() {
    const client = yield* ShopifyClient
    const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(options.inProgressTimeout)
    for (;;) {
      const result = (yield* client.execute(BulkRunQuery, { query })).bulkOperationRunQuery
      if (result.bulkOperation !== null && result.userErrors.length === 0) return result.bulkOperation
      const inProgress = result.userErrors.some((e) =>
        e.code === "OPERATION_IN_PROGRESS" || /already in progress/i.test(e.message)
      )
      if (inProgress && (yield* Clock.currentTimeMillis) < deadline) {
        yield* Effect.logInfo("Another bulk query of this app is running on the shop; waiting for it to finish")
        yield* Effect.sleep(options.pollInterval)
        continue
      }
      return yield* new ShopifyError({
        reason: inProgress ? "Throttled" : "UserErrors",
        operation: "BulkRunQuery",
        store: client.store,
        detail: inProgress ? "another bulk query kept running past the wait limit" : "the bulk query was refused",
        userErrors: result.userErrors.map((e) => new UserError({ field: e.field, message: e.message, code: e.code })),
        ...(inProgress ? { retryAfterMillis: Duration.toMillis(options.pollInterval) } : {})
      })
    }
  })

/** Polls until the operation is finished; a failed or expired operation is reported as such. */
const awaitCompletion = (operation: BulkOperation, options: BulkOptions) =>
  Effect.gen(function*() {
    const client = yield* ShopifyClient
    let current = operation
    for (;;) {
      switch (current.status) {
        case "COMPLETED":
          return current
        case "FAILED":
          return yield* bulkError(
            client.store,
            current.errorCode === "ACCESS_DENIED" ? "AccessDenied" : "Transport",
            `bulk operation ${current.id} failed (${current.errorCode ?? "no error code"})`,
            current.errorCode ?? undefined
          )
        case "EXPIRED":
        case "CANCELED":
          // Somebody cancelled it, or its result is gone: running the backfill again is the remedy.
          return yield* bulkError(client.store, "Transport", `bulk operation ${current.id} is ${current.status}`)
        default:
          yield* Effect.sleep(options.pollInterval)
      }
      const polled = (yield* client.execute(BulkPoll, { id: current.id })).bulkOperation
      if (polled === null) {
        return yield* bulkError(client.store, "NotFound", `bulk operation ${current.id} no longer exists`)
      }
      current = polled
    }
  })

/**
 * Runs the backfill from `cursor` and emits its records, leaving out versions emitted before the
 * backfill started (the cursor's `since`).
 */
export const read = <A>(
  resource: BulkResource<A>,
  cursor: SyncCursor.Backfill,
  options: BulkOptions
): Stream.Stream<Sourced<A, SyncCursor.Backfill>, ShopifyError, ShopifyClient> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const client = yield* ShopifyClient
      const since = SyncCursor.backfillSince(cursor)
      const query = resource.query.document(search(cursor, Option.map(since, (s) => s.windowStart), options.filter))
      const started = yield* start(query, options)
      yield* Effect.logInfo(`Bulk backfill ${started.id} started (records updated up to ${cursor.upTo})`)
      // An interrupted run cancels its operation, so that the next run is not kept waiting behind it.
      const done = yield* awaitCompletion(started, options).pipe(
        Effect.onInterrupt(() =>
          client.execute(BulkCancel, { id: started.id }).pipe(
            Effect.tap(() => Effect.logInfo(`Bulk backfill ${started.id} cancelled`)),
            Effect.catchAll((error) => Effect.logWarning(`Could not cancel bulk operation ${started.id}: ${error.message}`))
          )
        )
      )
      yield* Effect.logInfo(`Bulk backfill ${done.id} completed: ${done.rootObjectCount} records`)
      const records = done.url === null ? Stream.empty : resource.assemble(client.downloadLines(done.url), client.store)
      return records.pipe(
        Stream.mapAccum(cursor, (current, record): readonly [SyncCursor.Backfill, Option.Option<Sourced<A, SyncCursor.Backfill>>] => {
          const id = resource.id(record)
          const updatedAt = resource.updatedAt(record)
          if (!SyncCursor.isNew(since, id, updatedAt)) {
            return [current, Option.none()]
          }
          const next = SyncCursor.advanceBackfill(current, id, resource.legacyId(record), updatedAt, options.policy)
          return [next, Option.some({ record, cursor: next })]
        }),
        Stream.filterMap((o) => o)
      )
    })
  )

/** Decodes one parsed line with the wire Schema of what it should be. */
export const decodeLine = <A, I>(schema: Schema.Schema<A, I>, store: string) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (json: unknown): Effect.Effect<A, ShopifyError> => {
    const decoded = decode(json)
    return decoded._tag === "Right"
      ? Effect.succeed(decoded.right)
      : Effect.fail(bulkError(store, "Decode", `unexpected bulk result line: ${JSON.stringify(json).slice(0, 160)}`))
  }
}

const Parent = Schema.Struct({ __parentId: Schema.String })
const Identified = Schema.Struct({ id: Schema.String })
const parentOf = Schema.decodeUnknownOption(Parent)
const idOf = Schema.decodeUnknownOption(Identified)

/** A root line of the result with the lines nested under it. */
export interface BulkGroup {
  readonly root: unknown
  readonly children: ReadonlyArray<unknown>
}

interface Pending {
  readonly root: unknown
  readonly key: string
  readonly children: Array<unknown>
}

/**
 * Groups the result's lines by root: a root line (no `__parentId`) followed by its children. The run
 * asks for `groupObjects: true`; a child separated from its root fails rather than being misfiled.
 * Lines are handled a chunk at a time in plain code: a bulk result has hundreds of thousands of them.
 */
export const groupLines = (store: string) => (lines: Stream.Stream<string, ShopifyError>): Stream.Stream<BulkGroup, ShopifyError> =>
  Stream.unwrap(Effect.map(Ref.make<Pending | null>(null), (pending) => {
    const group = (chunk: Chunk.Chunk<string>) =>
      Effect.flatMap(Ref.get(pending), (carried) => {
        let current = carried
        const done: Array<BulkGroup> = []
        for (const line of chunk) {
          let json: unknown
          try {
            // Shopify escapes "/" as "\/" (FACTS §5.5), which JSON.parse reads as it is.
            json = JSON.parse(line)
          } catch {
            return Effect.fail(bulkError(store, "Decode", `a bulk result line is not JSON: ${line.slice(0, 120)}`))
          }
          const parent = parentOf(json)
          if (Option.isNone(parent)) {
            if (current !== null) done.push({ root: current.root, children: current.children })
            current = { root: json, key: Option.getOrElse(Option.map(idOf(json), (r) => r.id), () => ""), children: [] }
          } else if (current !== null && current.key === parent.value.__parentId) {
            current.children.push(json)
          } else {
            return Effect.fail(
              bulkError(store, "Decode", `bulk result lines of ${parent.value.__parentId} are not grouped after their parent`)
            )
          }
        }
        return Effect.as(Ref.set(pending, current), Chunk.unsafeFromArray(done))
      })
    return Stream.concat(
      Stream.mapChunksEffect(lines, group),
      Stream.unwrap(Effect.map(Ref.get(pending), (last) =>
        last === null ? Stream.empty : Stream.make<Array<BulkGroup>>({ root: last.root, children: last.children })))
    )
  }))
