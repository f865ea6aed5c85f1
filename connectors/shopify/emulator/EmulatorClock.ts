// The emulator's notion of time: the system clock, or a manual clock that tests move forward
// explicitly (bucket refill, search-index lag, bulk operation progress, timestamps). Independent of
// Effect's Clock service on purpose: a test's TestClock must not freeze a server other code talks to.
import { Effect, Ref } from "effect"

export interface EmulatorClock {
  readonly now: Effect.Effect<number>
  /** Moves a manual clock forward; fails on the system clock. */
  readonly advance: (millis: number) => Effect.Effect<void, ClockNotManual>
  readonly manual: boolean
}

export class ClockNotManual {
  readonly _tag = "ClockNotManual"
  readonly message = "The emulator runs on the system clock; start it with a manual clock to move time by hand."
}

export const system: EmulatorClock = {
  now: Effect.sync(() => Date.now()),
  advance: () => Effect.fail(new ClockNotManual()),
  manual: false
}

/** A clock that starts at `startMillis` and only moves when told to. */
export const manual = (startMillis: number): Effect.Effect<EmulatorClock> =>
  Effect.map(Ref.make(startMillis), (time) => ({
    now: Ref.get(time),
    advance: (millis: number) => Ref.update(time, (t) => t + Math.max(0, millis)),
    manual: true
  }))
