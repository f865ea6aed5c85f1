// Drives TestClock forward while an effect runs, so backoff sleeps elapse without real waiting.
import { Effect, Fiber, Option, TestClock } from "effect"
import type { Duration } from "effect"

/** Runs `effect`, advancing the TestClock by `step` whenever it is waiting, until it completes. */
export const withTestClock = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.DurationInput = "1 second") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    while (true) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return yield* done.value
      yield* TestClock.adjust(step)
      // Real I/O (SQL) proceeds on the event loop, not on the test clock: give it a moment.
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1)))
    }
  })
