// The checkpoint of the Shopify sources, and the rule that decides whether a record read again is new.
//
// Shopify's `updated_at` search filter is inclusive, coarse (maybe whole days) and served by a search
// index that lags writes (FACTS §1.5), so a read starts a little before the checkpoint and meets records
// it has already emitted, and a record written just before the checkpoint may only become visible
// after it. The cursor therefore remembers, besides the newest `updatedAt` emitted, the versions
// (id + updatedAt) it emitted inside an overlap window before it: a record inside the window is new
// exactly when its version is not remembered, a record older than the window was emitted already.
// Nothing is missed (unless it stays invisible longer than the window) and no version is emitted twice.
import { Option, Schema } from "effect"

/** One remembered version. `at` is the ISO second (`2026-06-22T08:02:42Z`). */
export const SeenVersion = Schema.Struct({ id: Schema.String, at: Schema.String })
export type SeenVersion = typeof SeenVersion.Type

export const Incremental = Schema.TaggedStruct("Incremental", {
  /** The newest updatedAt emitted (ISO second). */
  updatedAt: Schema.String,
  /** Records updated before this are all emitted; the read starts here. */
  windowStart: Schema.String,
  /** Versions emitted with updatedAt >= windowStart. */
  seen: Schema.Array(SeenVersion)
})
export type Incremental = typeof Incremental.Type

/**
 * A bulk backfill in progress: every record with updatedAt <= upTo and an id up to `lastId` (numeric,
 * the bulk query runs in id order) was emitted; `seen` holds those inside the overlap window before
 * `upTo`, so that the incremental read that follows does not emit them again.
 */
export const Backfill = Schema.TaggedStruct("Backfill", {
  upTo: Schema.String,
  lastId: Schema.String,
  windowStart: Schema.String,
  seen: Schema.Array(SeenVersion),
  /** The incremental position the backfill started from (none on a first read): older versions were emitted. */
  since: Schema.NullOr(Schema.Struct({ windowStart: Schema.String, seen: Schema.Array(SeenVersion) }))
})
export type Backfill = typeof Backfill.Type

export const SyncCursor = Schema.Union(Incremental, Backfill).annotations({ identifier: "ShopifySyncCursor" })
export type SyncCursor = typeof SyncCursor.Type

export interface WindowPolicy {
  /** How far before the newest emitted update a read starts again (covers search-index lag). */
  readonly overlapMillis: number
  /** At most this many remembered versions; past it the window shrinks (never below the newest second). */
  readonly maxSeen: number
}

export const defaultPolicy: WindowPolicy = { overlapMillis: 5 * 60_000, maxSeen: 2_000 }

/** ISO at second precision, the way Shopify writes DateTime (FACTS §1.4) and compares in search. */
export const isoSecond = (date: Date | number): string =>
  new Date(Math.floor((typeof date === "number" ? date : date.getTime()) / 1000) * 1000).toISOString().replace(
    /\.\d{3}Z$/,
    "Z"
  )

const millis = (iso: string): number => Date.parse(iso)

/** The lower bound of the next read (none: from the beginning). */
export const readFrom = (cursor: Option.Option<Incremental>): Option.Option<string> =>
  Option.map(cursor, (c) => c.windowStart)

/** Whether a record read again is a version not emitted yet. */
export const isNew = (cursor: Option.Option<{ readonly windowStart: string; readonly seen: ReadonlyArray<SeenVersion> }>, id: string, updatedAt: Date): boolean => {
  if (Option.isNone(cursor)) return true
  const at = isoSecond(updatedAt)
  if (at < cursor.value.windowStart) return false
  return !cursor.value.seen.some((s) => s.at === at && s.id === id)
}

/**
 * Remembers `versions` and trims the window. The window start never moves back; it moves forward to
 * `newest - overlap`, and further when more than `maxSeen` versions would be kept (dropping whole
 * seconds, oldest first, but never the newest second, whose ids must all be kept).
 */
export const trim = (
  newest: string,
  windowStart: string,
  seen: ReadonlyArray<SeenVersion>,
  policy: WindowPolicy
): { readonly windowStart: string; readonly seen: ReadonlyArray<SeenVersion> } => {
  // ISO seconds have a fixed width, so they compare as strings: no date parsing per remembered entry.
  const closing = isoSecond(millis(newest) - policy.overlapMillis)
  let start = windowStart > closing ? windowStart : closing
  let kept = seen.every((s) => s.at >= start) ? seen : seen.filter((s) => s.at >= start)
  while (kept.length > policy.maxSeen) {
    let oldest = newest
    for (const s of kept) if (s.at < oldest) oldest = s.at
    if (oldest >= newest) break
    start = isoSecond(millis(oldest) + 1000)
    kept = kept.filter((s) => s.at >= start)
  }
  return { windowStart: start, seen: kept }
}

/** The cursor after emitting a record with `id` updated at `updatedAt`. */
export const advance = (
  cursor: Option.Option<Incremental>,
  id: string,
  updatedAt: Date,
  policy: WindowPolicy
): Incremental => {
  const at = isoSecond(updatedAt)
  // A first read starts from the beginning: its window opens at the epoch and closes in behind it.
  const previous = Option.getOrElse(cursor, () => Incremental.make({ updatedAt: at, windowStart: isoSecond(0), seen: [] }))
  const newest = at > previous.updatedAt ? at : previous.updatedAt
  const trimmed = trim(newest, previous.windowStart, [...previous.seen, { id, at }], policy)
  return Incremental.make({ updatedAt: newest, windowStart: trimmed.windowStart, seen: trimmed.seen })
}

/** The cursor after emitting a record of a backfill. */
export const advanceBackfill = (
  cursor: Backfill,
  id: string,
  legacyId: string,
  updatedAt: Date,
  policy: WindowPolicy
): Backfill => {
  const at = isoSecond(updatedAt)
  // Only versions inside the window before `upTo` matter to the incremental read that follows.
  const seen = at >= cursor.windowStart ? [...cursor.seen, { id, at }] : cursor.seen
  const trimmed = trim(cursor.upTo, cursor.windowStart, seen, policy)
  return Backfill.make({ ...cursor, lastId: legacyId, windowStart: trimmed.windowStart, seen: trimmed.seen })
}

/** A backfill of everything updated up to `now`, continuing from `since` (none: from the beginning). */
export const startBackfill = (now: number, since: Option.Option<Incremental>, policy: WindowPolicy): Backfill => {
  const upTo = isoSecond(now)
  const windowStart = isoSecond(now - policy.overlapMillis)
  return Backfill.make({
    upTo,
    lastId: "0",
    windowStart,
    seen: [],
    since: Option.match(since, {
      onNone: () => null,
      onSome: (c) => ({ windowStart: c.windowStart, seen: c.seen })
    })
  })
}

/** Where the incremental read continues once a backfill has emitted everything up to `upTo`. */
export const afterBackfill = (cursor: Backfill): Incremental => {
  // Versions the backfill skipped because they were emitted before it are still emitted.
  const earlier = (cursor.since?.seen ?? []).filter((s) => s.at >= cursor.windowStart)
  const seen = [...earlier, ...cursor.seen.filter((s) => !earlier.some((e) => e.id === s.id && e.at === s.at))]
  return Incremental.make({ updatedAt: cursor.upTo, windowStart: cursor.windowStart, seen })
}

/** The versions a backfill must not emit again: those emitted before it started. */
export const backfillSince = (cursor: Backfill): Option.Option<{ readonly windowStart: string; readonly seen: ReadonlyArray<SeenVersion> }> =>
  Option.fromNullable(cursor.since)

/** The search filter for records updated at or after `from` (quoted, as dates must be: FACTS §1.5). */
export const updatedSince = (from: string): string => `updated_at:>='${from}'`

/**
 * A total order on cursors, for checking that a source's cursor never moves back: a backfill comes
 * before any incremental position; backfills compare by id, incremental reads by newest update, then
 * by how much of the window they have emitted.
 */
export const compare = (a: SyncCursor, b: SyncCursor): -1 | 0 | 1 => {
  const sign = (n: number): -1 | 0 | 1 => n < 0 ? -1 : n > 0 ? 1 : 0
  if (a._tag === "Backfill" && b._tag === "Backfill") {
    return sign(Number(BigInt(a.lastId) - BigInt(b.lastId)))
  }
  if (a._tag === "Backfill") return -1
  if (b._tag === "Backfill") return 1
  const byTime = sign(millis(a.updatedAt) - millis(b.updatedAt))
  if (byTime !== 0) return byTime
  return sign(millis(a.windowStart) - millis(b.windowStart))
}
