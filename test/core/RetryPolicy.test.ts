import { describe, it } from "@effect/vitest"
import { Duration } from "effect"
import { assert } from "vitest"
import * as RetryPolicy from "../../core/RetryPolicy.js"

describe("RetryPolicy.delay", () => {
  const policy = RetryPolicy.make({ base: Duration.millis(100), factor: 2, maxDelay: Duration.seconds(1), jitter: 0.2 })
  const ms = (attempt: number, random: number, retryAfter?: Duration.Duration) =>
    Duration.toMillis(RetryPolicy.delay(policy, attempt, random, retryAfter))

  it("grows exponentially, is capped, and jitters within bounds", () => {
    assert.deepStrictEqual([ms(1, 0.5), ms(2, 0.5), ms(3, 0.5), ms(10, 0.5)], [100, 200, 400, 1000])
    assert.strictEqual(ms(1, 0), 80)
    assert.strictEqual(ms(1, 0.999999), 120)
  })

  it("never retries sooner than a retry-after hint, even beyond the cap", () => {
    assert.strictEqual(ms(1, 0.5, Duration.seconds(5)), 5000)
    assert.strictEqual(ms(3, 0.5, Duration.millis(10)), 400)
  })
})
