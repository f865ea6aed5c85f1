// Relay connections the way Shopify pages them (FACTS §2.3, §3): `first`/`after` or `last`/`before`
// over a list sorted by (sort value, id), `reverse`, opaque base64-JSON cursors
// `{"last_id":…,"last_value":…}`, at most 250 nodes a page, and a pagination depth of 25,000 objects.
// Works on a sorted array without copying it, so a 50,000-order store pages in O(page) time.

export type SortValue = number | string | ReadonlyArray<string>

export interface SortedItem<A> {
  readonly id: number
  readonly value: SortValue
  readonly record: A
}

export interface PageArgs {
  readonly first?: number | null
  readonly after?: string | null
  readonly last?: number | null
  readonly before?: string | null
  readonly reverse?: boolean | null
}

export interface Limits {
  readonly maxPageSize: number
  readonly paginationLimit: number
  /** Bulk operations read whole connections: no page size required, no caps. */
  readonly unbounded: boolean
}

/** Remembers how many matching objects precede a position, so deep pages need not recount them. */
export interface DepthMemo {
  readonly get: (position: number) => number | undefined
  readonly set: (position: number, depth: number) => void
}

export interface Page<A> {
  readonly items: ReadonlyArray<SortedItem<A>>
  readonly hasNextPage: boolean
  readonly hasPreviousPage: boolean
}

/** A connection argument Shopify rejects with a BAD_REQUEST error on the field. */
export class ConnectionError {
  readonly _tag = "ConnectionError"
  constructor(readonly message: string) {}
}

export const compareValues = (a: SortValue, b: SortValue): number => {
  if (typeof a === "number" && typeof b === "number") return a - b
  const x = Array.isArray(a) ? a.join("\u0000") : String(a)
  const y = Array.isArray(b) ? b.join("\u0000") : String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

const compareItems = (a: { readonly value: SortValue; readonly id: number }, b: { readonly value: SortValue; readonly id: number }) => {
  const c = compareValues(a.value, b.value)
  return c !== 0 ? c : a.id - b.id
}

export const sortItems = <A>(items: Array<SortedItem<A>>): Array<SortedItem<A>> => items.sort(compareItems)

export const encodeCursor = (item: { readonly id: number; readonly value: SortValue }): string =>
  Buffer.from(JSON.stringify({ last_id: item.id, last_value: item.value }), "utf8").toString("base64")

export const decodeCursor = (cursor: string): { readonly id: number; readonly value: SortValue } | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"))
    if (typeof parsed !== "object" || parsed === null) return undefined
    const { last_id, last_value } = parsed as { last_id?: unknown; last_value?: unknown }
    const id = typeof last_id === "number" ? last_id : typeof last_id === "string" ? Number(last_id) : Number.NaN
    if (!Number.isFinite(id)) return undefined
    const value = typeof last_value === "number" || typeof last_value === "string" ||
        (Array.isArray(last_value) && last_value.every((v) => typeof v === "string"))
      ? last_value as SortValue
      : id
    return { id, value }
  } catch {
    return undefined
  }
}

/** Index of the first item greater than `key` in ascending order. */
const upperBound = <A>(sorted: ReadonlyArray<SortedItem<A>>, key: { readonly value: SortValue; readonly id: number }): number => {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareItems(sorted[mid]!, key) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first item not less than `key` in ascending order. */
const lowerBound = <A>(sorted: ReadonlyArray<SortedItem<A>>, key: { readonly value: SortValue; readonly id: number }): number => {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareItems(sorted[mid]!, key) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

const badCursor = () => new ConnectionError("Invalid cursor")

export const paginate = <A>(
  sorted: ReadonlyArray<SortedItem<A>>,
  args: PageArgs,
  keep: (a: A) => boolean,
  limits: Limits,
  depthMemo?: DepthMemo
): Page<A> | ConnectionError => {
  const first = args.first ?? null
  const last = args.last ?? null
  if (!limits.unbounded) {
    if (first === null && last === null) return new ConnectionError("you must provide one of first or last")
    if (first !== null && last !== null) return new ConnectionError("providing both first and last is not supported")
  }
  // Over-large pages are cut to the maximum, as graphql-ruby's max_page_size does (FACTS §9.1).
  const take = limits.unbounded && first === null && last === null
    ? Number.POSITIVE_INFINITY
    : Math.max(0, Math.min(first ?? last ?? 0, limits.unbounded ? Number.POSITIVE_INFINITY : limits.maxPageSize))
  const reverse = args.reverse === true
  // Work in "view" positions: 0..n-1 in the requested order.
  const n = sorted.length
  const at = (p: number) => sorted[reverse ? n - 1 - p : p]!
  // The window [lo, hi) of view positions strictly between `after` and `before`.
  let lo = 0
  let hi = n
  if (args.after !== null && args.after !== undefined) {
    const key = decodeCursor(args.after)
    if (key === undefined) return badCursor()
    lo = reverse ? n - lowerBound(sorted, key) : upperBound(sorted, key)
  }
  if (args.before !== null && args.before !== undefined) {
    const key = decodeCursor(args.before)
    if (key === undefined) return badCursor()
    hi = reverse ? n - upperBound(sorted, key) : lowerBound(sorted, key)
  }
  const anyMatch = (from: number, to: number, step: 1 | -1) => {
    for (let p = from; step === 1 ? p < to : p > to; p += step) if (keep(at(p).record)) return true
    return false
  }
  const picked: Array<SortedItem<A>> = []
  let lastPicked = lo - 1
  let hasNextPage = false
  let hasPreviousPage = false
  if (last === null || (limits.unbounded && first !== null)) {
    let p = lo
    for (; p < hi && picked.length < take; p++) {
      const item = at(p)
      if (keep(item.record)) {
        picked.push(item)
        lastPicked = p
      }
    }
    hasNextPage = anyMatch(p, hi, 1)
    hasPreviousPage = lo > 0 && anyMatch(lo - 1, -1, -1)
  } else {
    let p = hi - 1
    for (; p >= lo && picked.length < take; p--) {
      const item = at(p)
      if (keep(item.record)) picked.push(item)
    }
    picked.reverse()
    hasPreviousPage = anyMatch(p, lo - 1, -1)
    hasNextPage = hi < n && anyMatch(hi, n, 1)
  }
  if (!limits.unbounded && picked.length > 0) {
    // Pagination depth (FACTS §3): objects before this page in the direction of travel.
    const fromStart = last === null
    const edge = fromStart ? lo : n - hi
    let depth = depthMemo?.get(edge) ?? -1
    if (depth < 0) {
      depth = 0
      if (fromStart) {
        for (let p = 0; p < lo && depth < limits.paginationLimit; p++) if (keep(at(p).record)) depth++
      } else {
        for (let p = n - 1; p >= hi && depth < limits.paginationLimit; p--) if (keep(at(p).record)) depth++
      }
    }
    if (fromStart && depthMemo !== undefined) depthMemo.set(lastPicked + 1, depth + picked.length)
    if (depth >= limits.paginationLimit) {
      return new ConnectionError(
        `Pagination depth exceeded: a connection can only be paginated through its first ${limits.paginationLimit} objects. ` +
          "Narrow the results with a query filter (for example on updated_at)."
      )
    }
    const room = limits.paginationLimit - depth
    if (picked.length > room) {
      const kept = fromStart ? picked.slice(0, room) : picked.slice(picked.length - room)
      return { items: kept, hasNextPage: fromStart ? true : hasNextPage, hasPreviousPage: fromStart ? hasPreviousPage : true }
    }
  }
  return { items: picked, hasNextPage, hasPreviousPage }
}

/** Connection shape for graphql: nodes, edges with cursors, pageInfo. */
export const toConnection = <A, V>(page: Page<A>, view: (a: A) => V) => {
  const edges = page.items.map((item) => ({ cursor: encodeCursor(item), node: view(item.record) }))
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null
    }
  }
}
