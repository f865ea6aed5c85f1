// The derived index `edgesync_customer_match_keys(kind, match_key, customer_id)`: every Edge customer's
// normalized email and the E.164 form of each of its three phones, so that a whole batch of lookups is
// two indexed queries.
//
// Edge edits customers behind our back, so the index is refreshed before each lookup batch: customers
// whose `updated_at` is at or after the previous refresh's start minus a lookback (for edits that
// committed late), plus customers with an id above the highest one indexed (rows inserted with an old
// `updated_at`), have their keys derived again; only customers whose keys changed are rewritten.
// Customers edgesync writes itself are re-keyed in the same transaction. A deleted customer's keys stay
// until the next rebuild but never match: lookups join `customers`. Keys depend on the default country
// (phones typed without one); a lookup with another country rebuilds the index.
//
// A customer's own `country` (when it is a supported code) is the default for its phones, so a London
// customer's `020 7946 0958` is +442079460958 whatever the store's default country.
import { Effect, Option, Schedule } from "effect"
import type { CountryCode } from "libphonenumber-js"
import type { EdgeDbService } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import * as MatchKey from "./MatchKey.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import * as MatchKeyStatements from "./sql/MatchKeyStatements.js"

type KeyRow = MatchKeyStatements.KeyRow

// Module-level rather than a closure per customer: this runs 100,000 times in a rebuild.
const addKey = (keys: Array<KeyRow>, kind: MatchKey.MatchKind, key: Option.Option<string>, customerId: number): void => {
  if (Option.isNone(key)) return
  for (const k of keys) if (k.kind === kind && k.match_key === key.value) return
  keys.push({ kind, match_key: key.value, customer_id: customerId })
}

/** The keys of one customer (no duplicates: a number typed in two columns is one key). */
export const keysOf = (row: MatchKeyStatements.SourceRow, defaultCountry: CountryCode): ReadonlyArray<KeyRow> => {
  const keys: Array<KeyRow> = []
  addKey(keys, "email", MatchKey.email(row.email), row.customer_id)
  const country = Option.getOrElse(MatchKey.country(row.country), () => defaultCountry)
  addKey(keys, "phone", MatchKey.phone(row.phone_cell, country), row.customer_id)
  addKey(keys, "phone", MatchKey.phone(row.phone_home, country), row.customer_id)
  addKey(keys, "phone", MatchKey.phone(row.phone_work, country), row.customer_id)
  return keys
}

const signature = (keys: ReadonlyArray<KeyRow>): string =>
  keys.map((k) => `${k.kind}:${k.match_key}`).sort().join("\n")

/** Derives the keys of these customers again and rewrites those whose keys changed. */
const rekey = (
  db: EdgeDbService,
  rows: ReadonlyArray<MatchKeyStatements.SourceRow>,
  defaultCountry: CountryCode
): Effect.Effect<void, EdgeDbError> =>
  Effect.gen(function*() {
    if (rows.length === 0) return
    const ids = rows.map((row) => row.customer_id)
    const existing = new Map<number, Array<KeyRow>>()
    for (const key of yield* MatchKeyStatements.keysOf(db, ids)) {
      const list = existing.get(key.customer_id) ?? []
      list.push(key)
      existing.set(key.customer_id, list)
    }
    const stale: Array<number> = []
    const fresh: Array<KeyRow> = []
    for (const row of rows) {
      const keys = keysOf(row, defaultCountry)
      if (signature(keys) !== signature(existing.get(row.customer_id) ?? [])) {
        stale.push(row.customer_id)
        fresh.push(...keys)
      }
    }
    yield* MatchKeyStatements.deleteKeysOf(db, stale)
    yield* MatchKeyStatements.insertKeys(db, fresh)
  })

// Two processes maintaining the index at once (a scheduled run's lookup and `edge reindex`, or two
// first lookups both building it) can deadlock on its rows. The server rolled the loser's transaction
// back whole, so running it again is safe; callers outside the runner (commands) have no retry of their
// own, so the index maintenance retries a few times itself before reporting the database busy.
const retryWhenBusy = <A>(effect: Effect.Effect<A, EdgeDbError>): Effect.Effect<A, EdgeDbError> =>
  Effect.retry(effect, {
    while: (error) => error.reason === "Busy",
    schedule: Schedule.intersect(Schedule.jittered(Schedule.exponential("50 millis")), Schedule.recurs(5))
  })

/** Rebuilds the whole index for `defaultCountry`. */
export const rebuild = (db: EdgeDbService, defaultCountry: CountryCode): Effect.Effect<void, EdgeDbError> =>
  retryWhenBusy(db.transaction(
    "matchKeys.rebuild",
    Effect.gen(function*() {
      const from = yield* CustomerStatements.horizon(db, db.settings.matchKeyLookbackMillis)
      yield* MatchKeyStatements.deleteAll(db)
      let afterId = 0
      for (;;) {
        const page = yield* MatchKeyStatements.sourcePage(db, afterId, 5_000)
        if (page.length === 0) break
        yield* MatchKeyStatements.insertKeys(db, page.flatMap((row) => keysOf(row, defaultCountry)))
        afterId = page[page.length - 1]!.customer_id
      }
      yield* MatchKeyStatements.saveState(db, { default_country: defaultCountry, refreshed_from: from, max_customer_id: afterId })
    })
  ))

/** Brings the index up to date with Edge (see the module comment); rebuilds it when never built or built for another country. */
export const refresh = (db: EdgeDbService, defaultCountry: CountryCode): Effect.Effect<void, EdgeDbError> =>
  retryWhenBusy(Effect.gen(function*() {
    const state = yield* MatchKeyStatements.state(db)
    if (Option.isNone(state) || state.value.default_country !== defaultCountry) return yield* rebuild(db, defaultCountry)
    const previous = state.value
    yield* db.transaction(
      "matchKeys.refresh",
      Effect.gen(function*() {
        const from = yield* CustomerStatements.horizon(db, db.settings.matchKeyLookbackMillis)
        const changed = yield* MatchKeyStatements.changedSince(db, previous.refreshed_from, previous.max_customer_id)
        yield* rekey(db, changed, defaultCountry)
        const maxId = changed.reduce((max, row) => Math.max(max, row.customer_id), previous.max_customer_id)
        yield* MatchKeyStatements.saveState(db, { default_country: defaultCountry, refreshed_from: from, max_customer_id: maxId })
      })
    )
  }))

/**
 * Re-keys customers edgesync has just written (call it inside the same transaction). Nothing to do
 * before the index is first built: the first lookup builds it from the table.
 */
export const rekeyCustomers = (db: EdgeDbService, ids: ReadonlyArray<number>): Effect.Effect<void, EdgeDbError> =>
  Effect.gen(function*() {
    if (ids.length === 0) return
    const state = yield* MatchKeyStatements.state(db)
    if (Option.isNone(state)) return
    const country = Option.getOrElse(MatchKey.country(state.value.default_country), (): CountryCode => "US")
    yield* rekey(db, yield* MatchKeyStatements.sourceByIds(db, ids), country)
  })
