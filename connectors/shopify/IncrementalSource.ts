// How a Shopify source reads: a bulk backfill when the gap is large (or asked for), then pages by
// UPDATED_AT from the cursor. Orders and customers are both built from this.
import { Clock, Duration, Effect, Option, Ref, type Schema, Stream } from "effect"
import * as Stage from "../../core/Stage.js"
import * as BulkBackfill from "./BulkBackfill.js"
import * as PagedRead from "./PagedRead.js"
import type { ShopifyClient } from "./ShopifyClient.js"
import type { ShopifyError } from "./ShopifyError.js"
import * as SyncCursor from "./SyncCursor.js"

export interface SourceOptions {
  /** Records per page, at most 250; pages are made smaller when their cost would exceed 1000 points. */
  readonly pageSize?: number
  /** How far back each read starts again before the newest update it emitted (search-index lag). */
  readonly overlap?: Duration.DurationInput
  /** The most versions the cursor remembers inside the overlap window. */
  readonly maxSeen?: number
  /** Objects read by one search query before a new query starts (Shopify stops at 25,000). */
  readonly windowObjects?: number
  /** Always start with a bulk backfill when not already in one (`--backfill`). */
  readonly backfill?: boolean
  /** Start with a bulk backfill when at least this many records changed since the cursor. */
  readonly backfillThreshold?: number
  /** Extra search terms, ANDed to the date filter. */
  readonly filter?: string
  readonly bulkPollInterval?: Duration.DurationInput
  readonly bulkInProgressTimeout?: Duration.DurationInput
}

export interface Resource<A> {
  readonly paged: PagedRead.PagedResource<A>
  readonly bulk: BulkBackfill.BulkResource<A>
  /** Counts records matching `query`, up to `limit`; none when the shop cannot count. */
  readonly count: (query: string | null, limit: number) => Effect.Effect<Option.Option<number>, ShopifyError, ShopifyClient>
}

export const defaults = {
  pageSize: 250,
  overlap: Duration.minutes(5),
  maxSeen: 2_000,
  windowObjects: 20_000,
  backfillThreshold: 10_000
} as const

export const make = <A, I>(
  spec: {
    readonly name: string
    readonly description: string
    readonly record: Schema.Schema<A, I>
    readonly resource: Resource<A>
  },
  options: SourceOptions = {}
): Stage.Source<A, SyncCursor.SyncCursor, ShopifyError, ShopifyClient> => {
  const policy: SyncCursor.WindowPolicy = {
    overlapMillis: Duration.toMillis(Duration.decode(options.overlap ?? defaults.overlap)),
    maxSeen: options.maxSeen ?? defaults.maxSeen
  }
  const filter = Option.fromNullable(options.filter)
  const paged: PagedRead.PagedReadOptions = {
    pageSize: Math.max(1, Math.min(250, options.pageSize ?? defaults.pageSize)),
    windowObjects: options.windowObjects ?? defaults.windowObjects,
    policy,
    filter
  }
  const bulk: BulkBackfill.BulkOptions = {
    pollInterval: Duration.decode(options.bulkPollInterval ?? BulkBackfill.defaultBulkOptions.pollInterval),
    inProgressTimeout: Duration.decode(options.bulkInProgressTimeout ?? BulkBackfill.defaultBulkOptions.inProgressTimeout),
    policy,
    filter
  }
  const threshold = options.backfillThreshold ?? defaults.backfillThreshold

  const incremental = (from: Option.Option<SyncCursor.Incremental>, limit: Option.Option<number>) =>
    PagedRead.read(spec.resource.paged, paged, from, limit)

  const backfillThenIncremental = (
    start: SyncCursor.Backfill,
    limit: Option.Option<number>
  ): Stream.Stream<Stage.Sourced<A, SyncCursor.SyncCursor>, ShopifyError, ShopifyClient> =>
    Stream.unwrap(Effect.map(Ref.make(start), (last) =>
      Stream.concat(
        BulkBackfill.read(spec.resource.bulk, start, bulk).pipe(Stream.tap((s) => Ref.set(last, s.cursor))),
        // The incremental read continues where the backfill's last record left the cursor.
        Stream.unwrap(Effect.map(Ref.get(last), (end) => incremental(Option.some(SyncCursor.afterBackfill(end)), limit)))
      )))

  /** Whether the gap since `from` is large enough for a bulk backfill. */
  const gapIsLarge = (from: Option.Option<SyncCursor.Incremental>) =>
    Effect.gen(function*() {
      if (options.backfill === true) return true
      const query = [Option.map(SyncCursor.readFrom(from), SyncCursor.updatedSince), filter]
        .flatMap((o) => Option.toArray(o)).join(" ")
      const count = yield* spec.resource.count(query === "" ? null : query, threshold)
      return Option.isSome(count) && count.value >= threshold
    })

  return Stage.source({
    name: spec.name,
    description: spec.description,
    record: spec.record,
    cursor: SyncCursor.SyncCursor,
    key: spec.resource.paged.id,
    read: (cursor, ctx) =>
      Stream.unwrapScoped(
        Effect.gen(function*() {
          yield* Effect.annotateLogsScoped({ pipeline: ctx.pipeline, runId: ctx.runId, stage: ctx.stage })
          if (Option.isSome(cursor) && cursor.value._tag === "Backfill") {
            return backfillThenIncremental(cursor.value, ctx.limit)
          }
          const from = cursor as Option.Option<SyncCursor.Incremental>
          if (yield* gapIsLarge(from)) {
            const now = yield* Clock.currentTimeMillis
            return backfillThenIncremental(SyncCursor.startBackfill(now, from, policy), ctx.limit)
          }
          return incremental(from, ctx.limit) as Stream.Stream<Stage.Sourced<A, SyncCursor.SyncCursor>, ShopifyError, ShopifyClient>
        })
      ).pipe(
        Stream.mapError((e) => e.within({ pipeline: ctx.pipeline, stage: ctx.stage })),
        Stream.withSpan(spec.name)
      )
  })
}
