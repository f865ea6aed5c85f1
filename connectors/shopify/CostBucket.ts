// A model of Shopify's leaky bucket for one app on one shop (FACTS §4): points restore at `restoreRate`
// per second up to `maximum`; a query may start only when the bucket holds its requested cost.
//
// Every response reports the bucket as Shopify sees it (`throttleStatus`), and the model adopts that,
// minus what other requests of this process have reserved and not yet settled (they may not have been
// counted by Shopify yet; counting them twice only makes the model cautious). Requests wait in line
// (FIFO) until the model can hold their cost, so a process that is the bucket's only consumer never
// receives THROTTLED. All waiting goes through Effect's Clock, so TestClock drives it in tests.
import { Clock, Duration, Effect, Option, Ref } from "effect"
import type { ThrottleStatus } from "./wire/CostWire.js"

export interface BucketShape {
  readonly maximumAvailable: number
  readonly restoreRate: number
}

interface State {
  readonly maximum: number
  /** Points available at `at`, net of `inFlight`. */
  readonly available: number
  readonly restoreRate: number
  readonly at: number
  readonly inFlight: number
  /** A 429 asks everyone to stand back until then (epoch ms). */
  readonly pausedUntil: number
}

export interface BucketSnapshot {
  readonly maximum: number
  readonly available: number
  readonly restoreRate: number
  readonly inFlight: number
  /** Responses that reported a THROTTLED status or 429 (they should stay at 0 when only we consume). */
  readonly throttled: number
  /** Total time requests spent waiting for the bucket. */
  readonly waited: Duration.Duration
}

export interface CostBucket {
  /** Waits until the bucket can hold `cost`, then reserves it. */
  readonly acquire: (cost: number) => Effect.Effect<void>
  /** Settles a reservation with the bucket state the response reported (none when it reported none). */
  readonly settle: (reserved: number, status: Option.Option<ThrottleStatus>) => Effect.Effect<void>
  /** Records a THROTTLED answer or a 429, and stops every request until `after` has passed. */
  readonly throttled: (after: Duration.Duration) => Effect.Effect<void>
  readonly snapshot: Effect.Effect<BucketSnapshot>
}

const levelAt = (s: State, now: number): number =>
  Math.min(s.maximum - s.inFlight, s.available + Math.max(0, now - s.at) * s.restoreRate / 1000)

export const make = (shape: BucketShape): Effect.Effect<CostBucket> =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const state = yield* Ref.make<State>({
      maximum: shape.maximumAvailable,
      available: shape.maximumAvailable,
      restoreRate: shape.restoreRate,
      at: start,
      inFlight: 0,
      pausedUntil: 0
    })
    const throttledCount = yield* Ref.make(0)
    const waitedMillis = yield* Ref.make(0)
    // One waiter at a time, in arrival order: a large page is not starved by a stream of small queries.
    const line = yield* Effect.makeSemaphore(1)

    const tryReserve = (cost: number) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s): [number, State] => {
          if (now < s.pausedUntil) return [s.pausedUntil - now, s]
          const level = levelAt(s, now)
          // A cost above the bucket's size can never fit: wait for a full bucket instead.
          const need = Math.min(cost, s.maximum)
          if (level >= need) {
            return [0, { ...s, available: level - cost, at: now, inFlight: s.inFlight + cost }]
          }
          return [Math.ceil((need - level) * 1000 / s.restoreRate), s]
        }))

    const acquire = (cost: number): Effect.Effect<void> =>
      line.withPermits(1)(
        Effect.gen(function*() {
          for (;;) {
            const wait = yield* tryReserve(cost)
            if (wait <= 0) return
            yield* Ref.update(waitedMillis, (w) => w + wait)
            yield* Effect.sleep(Duration.millis(wait))
          }
        })
      )

    const settle = (reserved: number, status: Option.Option<ThrottleStatus>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(state, (s) => {
          const inFlight = Math.max(0, s.inFlight - reserved)
          if (Option.isNone(status)) {
            // Unknown whether Shopify charged it: keep the points spent (the cautious choice).
            return { ...s, available: levelAt(s, now), at: now, inFlight }
          }
          const reported = status.value
          return {
            ...s,
            maximum: reported.maximumAvailable,
            restoreRate: reported.restoreRate > 0 ? reported.restoreRate : s.restoreRate,
            available: Math.min(reported.currentlyAvailable, reported.maximumAvailable) - inFlight,
            at: now,
            inFlight
          }
        }))

    const throttled = (after: Duration.Duration) =>
      Effect.zipRight(
        Ref.update(throttledCount, (n) => n + 1),
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Ref.update(state, (s) => ({ ...s, pausedUntil: Math.max(s.pausedUntil, now + Duration.toMillis(after)) })))
      )

    const snapshot = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const s = yield* Ref.get(state)
      return {
        maximum: s.maximum,
        available: levelAt(s, now),
        restoreRate: s.restoreRate,
        inFlight: s.inFlight,
        throttled: yield* Ref.get(throttledCount),
        waited: Duration.millis(yield* Ref.get(waitedMillis))
      }
    })

    return { acquire, settle, throttled, snapshot }
  })

/**
 * How long Shopify says to wait after THROTTLED: the missing points over the restore rate
 * ((requested − currentlyAvailable) / restoreRate seconds, FACTS §4).
 */
export const throttleWait = (requested: number, status: ThrottleStatus): Duration.Duration =>
  Duration.millis(Math.max(0, Math.ceil((requested - status.currentlyAvailable) * 1000 / Math.max(1, status.restoreRate))))
