// Evaluates a parsed search query against records, with the field semantics Shopify documents for
// customers and orders (FACTS §1.5, §2.2): case-insensitive text, tokenised email, tags, numeric and
// id ranges, and dates. Date filters are inclusive and coarse: `updated_at:>T` also returns records at
// T itself, an equality matches the whole day, and with `dateGranularity: "day"` every bound widens to
// whole days, so a filter may return more than asked but never less. Unknown fields are ignored, as
// Shopify ignores them.
import * as SearchQuery from "./SearchQuery.js"

export type FieldSpec<A> =
  | { readonly kind: "text"; readonly get: (a: A) => ReadonlyArray<string | null> }
  | { readonly kind: "tokenized"; readonly get: (a: A) => string | null }
  | { readonly kind: "time"; readonly get: (a: A) => number | null }
  | { readonly kind: "number"; readonly get: (a: A) => number | null }
  | { readonly kind: "boolean"; readonly get: (a: A) => boolean }
  | { readonly kind: "tags"; readonly get: (a: A) => ReadonlyArray<string>; readonly negate: boolean }
  | { readonly kind: "custom"; readonly match: (a: A, term: SearchQuery.Term) => boolean }

export interface Resource<A> {
  readonly fields: Readonly<Record<string, FieldSpec<A>>>
  /** Words a free-text term is matched against. */
  readonly freeText: (a: A) => ReadonlyArray<string>
}

export type DateGranularity = "second" | "day"

export interface Options {
  readonly now: number
  readonly dateGranularity: DateGranularity
}

/** A filter value Shopify rejects with a BAD_REQUEST error (captured wording). */
export class InvalidFilter {
  readonly _tag = "InvalidFilter"
  constructor(readonly message: string) {}
}

const dayMs = 86_400_000

interface Span {
  readonly start: number
  readonly end: number
}

/** The time span a filter value names: a second, a day, a month or a year (UTC). */
export const parseTime = (raw: string, now: number): Span | undefined => {
  const value = raw.trim()
  if (value.toLowerCase() === "now") return { start: now, end: now + 1000 }
  let m = /^(\d{4})$/.exec(value)
  if (m !== null) {
    const y = Number(m[1])
    return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) }
  }
  m = /^(\d{4})-(\d{2})$/.exec(value)
  if (m !== null) {
    const y = Number(m[1])
    const mo = Number(m[2]) - 1
    return { start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1) }
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (m !== null) {
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
    return Number.isNaN(start) ? undefined : { start, end: start + dayMs }
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return undefined
  const millis = Date.parse(value)
  if (Number.isNaN(millis)) return undefined
  const second = Math.floor(millis / 1000) * 1000
  return { start: second, end: second + 1000 }
}

const floorDay = (t: number) => Math.floor(t / dayMs) * dayMs
const ceilDay = (t: number) => Math.ceil(t / dayMs) * dayMs

/** A date term compiled to a test on epoch ms; the value is parsed once, not per record. */
const compileTime = (term: SearchQuery.Term, o: Options): ((value: number | null) => boolean) => {
  if (term.value === "*") return (value) => value !== null
  const span = parseTime(term.value, o.now)
  if (span === undefined) return () => false
  const day = o.dateGranularity === "day"
  switch (term.comparator) {
    case ":": {
      // "matching a whole day" (the schema's description of updated_at).
      const from = floorDay(span.start)
      const to = Math.max(ceilDay(span.end), from + dayMs)
      return (value) => value !== null && value >= from && value < to
    }
    case ":>":
    case ":>=": {
      const from = day ? floorDay(span.start) : span.start
      return (value) => value !== null && value >= from
    }
    case ":<":
    case ":<=": {
      const to = day ? ceilDay(span.end) : span.end
      return (value) => value !== null && value < to
    }
  }
}

const compareNumbers = (value: number, comparator: SearchQuery.Comparator, target: number): boolean => {
  switch (comparator) {
    case ":":
      return value === target
    case ":>":
      return value > target
    case ":>=":
      return value >= target
    case ":<":
      return value < target
    case ":<=":
      return value <= target
  }
}

const wildcard = (pattern: string, text: string): boolean => {
  const p = pattern.toLowerCase()
  const t = text.toLowerCase()
  return p.endsWith("*") ? t.startsWith(p.slice(0, -1)) : t === p
}

const matchText = (values: ReadonlyArray<string | null>, term: SearchQuery.Term): boolean => {
  const present = values.filter((v): v is string => v !== null && v.length > 0)
  if (term.value === "*") return present.length > 0
  return present.some((v) => wildcard(term.value, v))
}

/**
 * Email is a tokenised field (FACTS §1.5): unquoted `email:bo.wang@example.com` matches any address
 * holding those words (so also wang.bo@example.com); a quoted value is an exact, case-insensitive match.
 */
const matchTokenized = (value: string | null, term: SearchQuery.Term): boolean => {
  if (term.value === "*") return value !== null && value.length > 0
  if (value === null) return false
  if (term.quoted) return value.toLowerCase() === term.value.toLowerCase()
  const have = new Set(SearchQuery.tokens(value))
  const want = SearchQuery.tokens(term.value.replace(/\*$/, ""))
  if (term.value.endsWith("*") && want.length > 0) {
    const last = want[want.length - 1]!
    return want.slice(0, -1).every((t) => have.has(t)) && [...have].some((h) => h.startsWith(last))
  }
  return want.length > 0 && want.every((t) => have.has(t))
}

const matchTags = (tags: ReadonlyArray<string>, term: SearchQuery.Term): boolean => {
  const wanted = term.value.split(",").map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0)
  const have = tags.map((t) => t.toLowerCase())
  return wanted.some((w) => (w.endsWith("*") ? have.some((h) => h.startsWith(w.slice(0, -1))) : have.includes(w)))
}

const matchFreeText = (words: ReadonlyArray<string>, term: SearchQuery.Term): boolean => {
  const have = words.flatMap((w) => SearchQuery.tokens(w))
  const want = SearchQuery.tokens(term.value)
  if (want.length === 0) return true
  if (term.quoted) {
    const phrase = want.join(" ")
    return words.some((w) => SearchQuery.tokens(w).join(" ").includes(phrase))
  }
  // Each word matches as a prefix, the way a storefront-style search box does.
  return want.every((w) => have.some((h) => h.startsWith(w)))
}

const compileTerm = <A>(resource: Resource<A>, term: SearchQuery.Term, o: Options): ((a: A) => boolean) => {
  if (term.field === null) return (a) => matchFreeText(resource.freeText(a), term)
  const spec = resource.fields[term.field]
  if (spec === undefined) return () => true
  switch (spec.kind) {
    case "text":
      return (a) => matchText(spec.get(a), term)
    case "tokenized":
      return (a) => matchTokenized(spec.get(a), term)
    case "time": {
      const test = compileTime(term, o)
      return (a) => test(spec.get(a))
    }
    case "number": {
      const target = Number(term.value)
      return (a) => {
        const v = spec.get(a)
        return term.value === "*" ? v !== null : v !== null && compareNumbers(v, term.comparator, target)
      }
    }
    case "boolean": {
      const wanted = term.value.toLowerCase() === "true"
      return (a) => spec.get(a) === wanted
    }
    case "tags":
      return (a) => (spec.negate ? !matchTags(spec.get(a), term) : matchTags(spec.get(a), term))
    case "custom":
      return (a) => spec.match(a, term)
  }
}

/** Rejects values Shopify refuses (a date filter that is not a date), before anything is read. */
export const validate = <A>(resource: Resource<A>, node: SearchQuery.Node, now: number): InvalidFilter | undefined => {
  for (const term of SearchQuery.terms(node)) {
    if (term.field === null) continue
    const spec = resource.fields[term.field]
    if (spec?.kind === "time" && term.value !== "*" && parseTime(term.value, now) === undefined) {
      return new InvalidFilter(`Invalid timestamp for query filter \`${term.field}\`.`)
    }
    if (spec?.kind === "number" && term.value !== "*" && !Number.isFinite(Number(term.value))) {
      return new InvalidFilter(`Invalid value for query filter \`${term.field}\`.`)
    }
  }
  return undefined
}

/** Compiles the query into a predicate; values are parsed once per query, not once per record. */
export const compile = <A>(resource: Resource<A>, node: SearchQuery.Node, o: Options): ((a: A) => boolean) => {
  switch (node._tag) {
    case "And": {
      const parts = node.children.map((c) => compile(resource, c, o))
      return parts.length === 0 ? () => true : (a) => parts.every((p) => p(a))
    }
    case "Or": {
      const parts = node.children.map((c) => compile(resource, c, o))
      return (a) => parts.some((p) => p(a))
    }
    case "Not": {
      const inner = compile(resource, node.child, o)
      return (a) => !inner(a)
    }
    case "Term":
      return compileTerm(resource, node, o)
  }
}

export const matches = <A>(resource: Resource<A>, node: SearchQuery.Node, a: A, o: Options): boolean => compile(resource, node, o)(a)

/** Numeric value of an `id` filter: a legacy id or a full gid. */
export const idValue = (value: string): number => {
  const m = /(\d+)$/.exec(value)
  return m === null ? Number.NaN : Number(m[1])
}

export const compareId = (id: number, term: SearchQuery.Term): boolean => compareNumbers(id, term.comparator, idValue(term.value))
