// The incremental read shared by the Shopify sources: pages sorted by UPDATED_AT from the cursor's
// window, sized under the single-query cost limit, restarted past the pagination ceiling, emitting only
// versions the cursor has not seen (see SyncCursor).
import { Chunk, Effect, Option, Stream } from "effect"
import type { Sourced } from "../../core/Stage.js"
import * as QueryCost from "./QueryCost.js"
import type { ShopifyClient } from "./ShopifyClient.js"
import type { ShopifyError } from "./ShopifyError.js"
import * as SyncCursor from "./SyncCursor.js"

export interface Page<A> {
  readonly records: ReadonlyArray<A>
  readonly hasNextPage: boolean
  readonly endCursor: string | null
  /** What Shopify said the page cost before running it. */
  readonly requestedCost: Option.Option<number>
}

/** What the paged read needs to know about one resource (orders, customers). */
export interface PagedResource<A> {
  /** Fetches one page sorted by UPDATED_AT; `cost` is the requested cost the caller expects. */
  readonly fetchPage: (args: {
    readonly first: number
    readonly after: string | null
    readonly query: string | null
    readonly cost: number
  }) => Effect.Effect<Page<A>, ShopifyError, ShopifyClient>
  /** Our own estimate of a page of `first` records. */
  readonly estimate: (first: number) => number
  readonly id: (record: A) => string
  readonly updatedAt: (record: A) => Date
}

export interface PagedReadOptions {
  /** At most this many records per page (Shopify's cap is 250, FACTS §3). */
  readonly pageSize: number
  /**
   * A search query returns at most 25,000 objects (FACTS §3): after this many, the read starts a new
   * query from the newest update read so far.
   */
  readonly windowObjects: number
  readonly policy: SyncCursor.WindowPolicy
  /** More search terms ANDed to the date filter (e.g. `test:false`). */
  readonly filter: Option.Option<string>
}

interface State {
  readonly cursor: Option.Option<SyncCursor.Incremental>
  readonly after: string | null
  readonly lowerBound: Option.Option<string>
  readonly readInQuery: number
  readonly first: number
  /** Learned from Shopify's requested cost: what one more record adds to a page. */
  readonly perRecord: Option.Option<number>
  readonly lastRead: Option.Option<string>
}

const overhead = 2

const pageFits = (first: number, perRecord: number) => overhead + first * perRecord <= QueryCost.singleQueryLimit

/** The largest page under the cost limit, by what Shopify reported or by our estimate. */
const sizePage = <A>(resource: PagedResource<A>, state: State, cap: number): { readonly first: number; readonly cost: number } => {
  let first = Math.max(1, Math.min(cap, state.first))
  if (Option.isSome(state.perRecord)) {
    const per = state.perRecord.value
    while (first > 1 && !pageFits(first, per)) first--
    return { first, cost: Math.ceil(overhead + first * per) }
  }
  while (first > 1 && resource.estimate(first) > QueryCost.singleQueryLimit) first--
  return { first, cost: resource.estimate(first) }
}

const query = (lowerBound: Option.Option<string>, filter: Option.Option<string>): string | null => {
  const terms = [Option.map(lowerBound, SyncCursor.updatedSince), filter].flatMap((o) => Option.toArray(o))
  return terms.length === 0 ? null : terms.join(" ")
}

/**
 * Reads every record updated since `start` (everything when none), in UPDATED_AT order, each with the
 * cursor just after it. `limit` only sizes the first page; the runner stops consuming when it has enough.
 */
export const read = <A>(
  resource: PagedResource<A>,
  options: PagedReadOptions,
  start: Option.Option<SyncCursor.Incremental>,
  limit: Option.Option<number>
): Stream.Stream<Sourced<A, SyncCursor.Incremental>, ShopifyError, ShopifyClient> => {
  const initial: State = {
    cursor: start,
    after: null,
    lowerBound: SyncCursor.readFrom(start),
    readInQuery: 0,
    first: Math.min(options.pageSize, Option.getOrElse(limit, () => options.pageSize)),
    perRecord: Option.none(),
    lastRead: Option.none()
  }

  const fetch = (state: State): Effect.Effect<readonly [Page<A>, State], ShopifyError, ShopifyClient> =>
    Effect.gen(function*() {
      const { cost, first } = sizePage(resource, state, options.pageSize)
      const attempt = yield* resource.fetchPage({
        first,
        after: state.after,
        query: query(state.lowerBound, options.filter),
        cost
      }).pipe(Effect.either)
      if (attempt._tag === "Left") {
        const error = attempt.left
        // Shopify refused the page as too expensive: never send it again, halve it (FACTS §4).
        if (error.reason === "MaxCostExceeded" && first > 1) {
          return yield* fetch({ ...state, first: Math.floor(first / 2), perRecord: Option.none() })
        }
        return yield* Effect.fail(error)
      }
      const page = attempt.right
      const perRecord = Option.map(page.requestedCost, (requested) => Math.max(0.5, (requested - overhead) / first))
      return [page, { ...state, first: options.pageSize, perRecord: Option.orElse(perRecord, () => state.perRecord) }] as const
    })

  return Stream.paginateChunkEffect(initial, (state) =>
    Effect.map(fetch(state), ([page, next]) => {
      let cursor = next.cursor
      const out: Array<Sourced<A, SyncCursor.Incremental>> = []
      let lastRead = next.lastRead
      for (const record of page.records) {
        const id = resource.id(record)
        const updatedAt = resource.updatedAt(record)
        lastRead = Option.some(SyncCursor.isoSecond(updatedAt))
        if (!SyncCursor.isNew(cursor, id, updatedAt)) continue
        const after = SyncCursor.advance(cursor, id, updatedAt, options.policy)
        cursor = Option.some(after)
        out.push({ record, cursor: after })
      }
      const readInQuery = next.readInQuery + page.records.length
      let following: Option.Option<State> = Option.none()
      if (page.hasNextPage) {
        const restartFrom = lastRead
        const restart = readInQuery + options.pageSize > options.windowObjects && Option.isSome(restartFrom) &&
          !Option.getEquivalence((a: string, b: string) => a === b)(restartFrom, next.lowerBound)
        following = Option.some(
          restart
            ? { ...next, cursor, lastRead, after: null, lowerBound: restartFrom, readInQuery: 0 }
            : { ...next, cursor, lastRead, after: page.endCursor, readInQuery }
        )
      }
      return [Chunk.unsafeFromArray(out), following] as const
    }))
}
