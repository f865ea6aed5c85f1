// Fault injection for the Admin API endpoint, deterministic for a seed. The spec language (also shown
// by `edgesync shopify emulator --help`):
//
//   SPEC  := RULE ("," RULE)*
//   RULE  := KIND ":" RATE [":" PARAM]                         random: each request, with probability RATE
//          | KIND "x" COUNT "@" START ["/" EVERY] [":" PARAM]   burst: COUNT requests in a row from request
//                                                             number START (1-based), again every EVERY
//   KIND  := 429 | 500 | 502 | 503 | reset | reset-after | slow | throttled
//   PARAM := for slow, the delay in ms (default 2000); for 429, the Retry-After header value
//            (default 2.0, "none" to send no header)
//
// `reset` drops the connection before the request is handled; `reset-after` handles it (a mutation
// is applied) and then drops the connection, so the client never sees the answer; `throttled` answers
// HTTP 200 with Shopify's THROTTLED error. Examples: "429:0.05,reset:0.01", "503x3@10/100",
// "slow:0.2:1500".
import * as SeededRandom from "./SeededRandom.js"

export type FaultKind = "429" | "500" | "502" | "503" | "reset" | "reset-after" | "slow" | "throttled"

export const faultKinds: ReadonlyArray<FaultKind> = ["429", "500", "502", "503", "reset", "reset-after", "slow", "throttled"]

export type Rule =
  | { readonly _tag: "Random"; readonly kind: FaultKind; readonly rate: number; readonly param: string | null }
  | {
    readonly _tag: "Burst"
    readonly kind: FaultKind
    readonly count: number
    readonly start: number
    readonly every: number | null
    readonly param: string | null
  }

export class FaultSpecError {
  readonly _tag = "FaultSpecError"
  constructor(readonly spec: string, readonly detail: string) {}
  get message(): string {
    return `Invalid fault spec "${this.spec}": ${this.detail}`
  }
}

const isKind = (k: string): k is FaultKind => (faultKinds as ReadonlyArray<string>).includes(k)

export const parse = (spec: string): ReadonlyArray<Rule> | FaultSpecError => {
  const rules: Array<Rule> = []
  for (const raw of spec.split(",").map((r) => r.trim()).filter((r) => r.length > 0)) {
    const burst = /^([a-z0-9-]+)x(\d+)@(\d+)(?:\/(\d+))?(?::(.+))?$/.exec(raw)
    if (burst !== null) {
      const [, kind, count, start, every, param] = burst
      if (!isKind(kind!)) return new FaultSpecError(spec, `unknown fault kind "${kind}" (expected one of ${faultKinds.join(", ")})`)
      if (Number(count) < 1 || Number(start) < 1) return new FaultSpecError(spec, `burst "${raw}" needs COUNT and START of at least 1`)
      if (every !== undefined && Number(every) < Number(count)) {
        return new FaultSpecError(spec, `burst "${raw}" repeats every ${every} requests, fewer than its ${count} faults`)
      }
      rules.push({ _tag: "Burst", kind, count: Number(count), start: Number(start), every: every === undefined ? null : Number(every), param: param ?? null })
      continue
    }
    const random = /^([a-z0-9-]+):([0-9.]+)(?::(.+))?$/.exec(raw)
    if (random !== null) {
      const [, kind, rate, param] = random
      if (!isKind(kind!)) return new FaultSpecError(spec, `unknown fault kind "${kind}" (expected one of ${faultKinds.join(", ")})`)
      const r = Number(rate)
      if (!(r > 0 && r <= 1)) return new FaultSpecError(spec, `rate in "${raw}" must be in (0, 1]`)
      rules.push({ _tag: "Random", kind, rate: r, param: param ?? null })
      continue
    }
    return new FaultSpecError(spec, `cannot read rule "${raw}" (expected KIND:RATE[:PARAM] or KINDxCOUNT@START[/EVERY][:PARAM])`)
  }
  return rules
}

export interface Fault {
  readonly kind: FaultKind
  readonly param: string | null
}

const inBurst = (rule: Extract<Rule, { _tag: "Burst" }>, n: number): boolean => {
  if (n < rule.start) return false
  const offset = n - rule.start
  return rule.every === null ? offset < rule.count : offset % rule.every < rule.count
}

/**
 * The fault for request number `n` (1-based). Every random rule draws one number per request, so the
 * sequence of faults depends only on the seed and the order of requests.
 */
export const decide = (
  rules: ReadonlyArray<Rule>,
  n: number,
  random: SeededRandom.State
): readonly [Fault | null, SeededRandom.State] => {
  let state = random
  let fault: Fault | null = null
  for (const rule of rules) {
    if (rule._tag === "Burst") {
      if (fault === null && inBurst(rule, n)) fault = { kind: rule.kind, param: rule.param }
      continue
    }
    const [x, next] = SeededRandom.next(state)
    state = next
    if (fault === null && x < rule.rate) fault = { kind: rule.kind, param: rule.param }
  }
  return [fault, state]
}

export const slowMillis = (fault: Fault): number => {
  const n = Number(fault.param ?? "2000")
  return Number.isFinite(n) && n >= 0 ? n : 2000
}

export const retryAfter = (fault: Fault): string | null => (fault.param === "none" ? null : fault.param ?? "2.0")

export const render = (rules: ReadonlyArray<Rule>): string =>
  rules.map((r) =>
    r._tag === "Random"
      ? `${r.kind}:${r.rate}${r.param === null ? "" : `:${r.param}`}`
      : `${r.kind}x${r.count}@${r.start}${r.every === null ? "" : `/${r.every}`}${r.param === null ? "" : `:${r.param}`}`
  ).join(",")
