// Progress of a long run on stderr: on a terminal one line redrawn in place (at most ten times a
// second), elsewhere nothing but the runner's own log lines, so redirected output stays clean.
import { Clock, Effect, Ref } from "effect"
import * as Progress from "../Progress.js"

export interface ProgressDisplay {
  readonly onProgress: ((progress: Progress.Progress) => Effect.Effect<void>) | undefined
  /** Erases the line before the summary is printed. */
  readonly clear: Effect.Effect<void>
}

const clearLine = "\r\x1b[2K"

export const make = (
  interactive: boolean,
  write: (text: string) => Effect.Effect<void>
): Effect.Effect<ProgressDisplay> =>
  Effect.gen(function*() {
    if (!interactive) return { onProgress: undefined, clear: Effect.void }
    const lastDrawn = yield* Ref.make(0)
    const drawn = yield* Ref.make(false)
    return {
      onProgress: (progress) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const last = yield* Ref.get(lastDrawn)
          if (now - last < 100) return
          yield* Ref.set(lastDrawn, now)
          yield* Ref.set(drawn, true)
          yield* write(`${clearLine}${progress.pipeline}: ${Progress.format(progress)}`)
        }),
      clear: Effect.flatMap(Ref.get(drawn), (was) => (was ? write(clearLine) : Effect.void))
    }
  })
