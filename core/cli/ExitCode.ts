// How a command's end becomes the process's exit code, and the one place errors are shown to people.
//
// 0: success. 1: the run failed (a fatal stage error, a held lock, the state store). 2: bad usage or
// configuration (unknown pipeline, bad config value, bad flag), which @effect/cli's own usage errors
// join. 130: interrupted by SIGINT or SIGTERM (the run is recorded as interrupted).
import { ValidationError } from "@effect/cli"
import type { Teardown } from "@effect/platform/Runtime"
import { Cause, Console, Data, Effect, Exit, Option } from "effect"
import { isClassified } from "../EtlError.js"

/** The command has ended with this code; whatever explains it has been printed. */
export class ExitCode extends Data.TaggedError("ExitCode")<{ readonly code: number }> {}

export const usage = 2
export const failure = 1
export const interrupted = 130

const usageTags = new Set(["ConfigError", "NotFound", "RegistryError", "UsageError"])

/** The exit code an error stands for. */
export const codeOf = (error: unknown): number => {
  if (ValidationError.isValidationError(error)) return usage
  if (typeof error === "object" && error !== null && "_tag" in error && usageTags.has(String(error._tag))) return usage
  return failure
}

const describe = (error: unknown): string =>
  isClassified(error) || error instanceof Error ? error.message : String(error)

/**
 * Prints what went wrong (once, on stderr) and fails with the matching ExitCode. @effect/cli has
 * already printed its own usage errors with the help text.
 */
export const report = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, ExitCode, R> =>
  effect.pipe(
    Effect.catchAll((error) => {
      if (error instanceof ExitCode) return Effect.fail(error)
      const code = codeOf(error)
      const print = ValidationError.isValidationError(error)
        ? Effect.void
        : Console.error(`edgesync: ${describe(error)}`)
      return Effect.zipRight(print, Effect.fail(new ExitCode({ code })))
    }),
    Effect.catchAllDefect((defect) =>
      Effect.zipRight(
        Console.error(`edgesync: unexpected failure (a bug; please report it):\n${Cause.pretty(Cause.die(defect))}`),
        Effect.fail(new ExitCode({ code: failure }))
      )
    ),
    Effect.onInterrupt(() =>
      Console.error(
        "\nedgesync: interrupted; stopped cleanly. Work already committed is kept; an unfinished run is recorded as interrupted."
      )
    )
  )

/** For `NodeRuntime.runMain`: exit with the ExitCode's code, 130 when interrupted, 0 on success. */
export const teardown: Teardown = (exit, onExit) => {
  if (Exit.isSuccess(exit)) return onExit(0)
  if (Cause.isInterruptedOnly(exit.cause)) return onExit(interrupted)
  const code = Cause.failureOption(exit.cause).pipe(
    Option.flatMap((e: unknown) => e instanceof ExitCode ? Option.some(e.code) : Option.none()),
    Option.getOrElse(() => failure)
  )
  onExit(code)
}
