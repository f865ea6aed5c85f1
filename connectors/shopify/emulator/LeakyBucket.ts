// The cost bucket Shopify meters every app/shop pair with (FACTS §4): it refills at the plan's restore
// rate up to its size; a request needs its requested cost available before it runs, and gets the
// difference between requested and actual cost back afterwards. Pure arithmetic over an explicit
// time, so tests drive it with a controlled clock.
import type { PlanLimits } from "./Plan.js"

export interface Bucket {
  readonly limits: PlanLimits
  /** Points available at `at`; fractional between whole refills. */
  readonly available: number
  readonly at: number
}

export const full = (limits: PlanLimits, now: number): Bucket => ({ limits, available: limits.maximumAvailable, at: now })

export const refill = (b: Bucket, now: number): Bucket => {
  const elapsed = Math.max(0, now - b.at) / 1000
  return { ...b, available: Math.min(b.limits.maximumAvailable, b.available + elapsed * b.limits.restoreRate), at: Math.max(now, b.at) }
}

export type Take =
  | { readonly _tag: "Taken"; readonly bucket: Bucket }
  | { readonly _tag: "Throttled"; readonly bucket: Bucket }

export const take = (b: Bucket, cost: number, now: number): Take => {
  const current = refill(b, now)
  return current.available >= cost
    ? { _tag: "Taken", bucket: { ...current, available: current.available - cost } }
    : { _tag: "Throttled", bucket: current }
}

export const give = (b: Bucket, points: number, now: number): Bucket => {
  const current = refill(b, now)
  return { ...current, available: Math.min(current.limits.maximumAvailable, current.available + points) }
}

/** Spends points regardless of balance, like a competing consumer of the same bucket would. */
export const drain = (b: Bucket, points: number, now: number): Bucket => {
  const current = refill(b, now)
  return { ...current, available: Math.max(0, current.available - points) }
}

export const throttleStatus = (b: Bucket) => ({
  maximumAvailable: b.limits.maximumAvailable,
  currentlyAvailable: Math.floor(b.available),
  restoreRate: b.limits.restoreRate
})
