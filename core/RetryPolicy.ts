// How the runner backs off and how long it keeps trying when a stage fails with a retriable error.
//
// The delay before attempt n+1 is `base * factor^(n-1)`, capped at `maxDelay`, then spread by a random
// jitter so that many runs hitting the same throttled remote do not retry in lock-step. A `retryAfter`
// hint on the error (an HTTP Retry-After, Shopify's throttle arithmetic) is honoured: the runner never
// retries sooner than the remote asked, even beyond `maxDelay`.
import { Duration } from "effect"

export interface RetryPolicy {
  /** Attempts in total, the first one included; after the last one fails the error becomes fatal. */
  readonly maxAttempts: number
  readonly base: Duration.Duration
  readonly factor: number
  readonly maxDelay: Duration.Duration
  /** 0 disables jitter; 0.2 spreads each delay uniformly over ±20%. */
  readonly jitter: number
}

export const defaults: RetryPolicy = {
  maxAttempts: 5,
  base: Duration.millis(200),
  factor: 2,
  maxDelay: Duration.seconds(30),
  jitter: 0.2
}

export const make = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...defaults, ...overrides })

/**
 * The delay before the next attempt, after `attempt` (1-based) failed. `random` is a number in [0, 1)
 * (the runner passes Effect's `Random` so tests are deterministic).
 */
export const delay = (
  policy: RetryPolicy,
  attempt: number,
  random: number,
  retryAfter: Duration.Duration | undefined
): Duration.Duration => {
  const exponential = Duration.toMillis(policy.base) * Math.pow(policy.factor, Math.max(0, attempt - 1))
  const capped = Math.min(exponential, Duration.toMillis(policy.maxDelay))
  const jittered = capped * (1 + policy.jitter * (2 * random - 1))
  const hinted = retryAfter === undefined ? 0 : Duration.toMillis(retryAfter)
  return Duration.millis(Math.max(0, Math.round(Math.max(jittered, hinted))))
}
