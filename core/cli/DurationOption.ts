// Durations as people type them on a command line: `15m`, `30s`, `1h30m`, `2h`, `500ms`, `1d`.
import { Duration, ParseResult, Schema } from "effect"

const unitMillis: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

const parse = (text: string): Duration.Duration | undefined => {
  const compact = text.trim().toLowerCase()
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(compact)) return undefined
  let total = 0
  for (const [, amount, , unit] of compact.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(amount) * unitMillis[unit!]!
  }
  return total > 0 ? Duration.millis(total) : undefined
}

/** Decodes `15m`-style text into a Duration. */
export const DurationFromHuman = Schema.transformOrFail(Schema.String, Schema.DurationFromSelf, {
  strict: true,
  decode: (text, _, ast) => {
    const duration = parse(text)
    return duration === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, text, `"${text}" is not a duration: expected for example 30s, 15m, 1h30m or 1d`))
      : ParseResult.succeed(duration)
  },
  encode: (duration) => ParseResult.succeed(`${Duration.toMillis(duration)}ms`)
}).annotations({ description: "a duration such as 30s, 15m, 1h30m or 1d" })
