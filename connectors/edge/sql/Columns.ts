// Decoding Edge rows where they enter: the column shapes the two drivers hand back (mysql2: BIGINT as
// number or string, DECIMAL as string, booleans as 0/1; better-sqlite3: integers, text), turned into
// the values the connector works with. A row that does not decode means the tables are not what the
// connector was written for: a fatal EdgeDbError naming the statement.
import { Effect, ParseResult, Schema } from "effect"
import { EdgeDbError } from "../EdgeDbError.js"

/** An integer column (mysql2 returns BIGINT beyond 2^53 as text; ids never get there). */
export const IntColumn = Schema.Union(Schema.Number, Schema.NumberFromString).pipe(Schema.int())

/** A BOOLEAN (TINYINT(1)) or SQLite 0/1 column. */
export const BoolColumn = Schema.transform(Schema.Union(Schema.Number, Schema.Boolean), Schema.Boolean, {
  strict: true,
  decode: (value) => value === true || (typeof value === "number" && value !== 0),
  encode: (value) => (value ? 1 : 0)
})

/** Timestamp text as `Dialect.timestampText` gives it, for timestamps edgesync wrote in UTC. */
export const UtcTimestampColumn = Schema.transformOrFail(Schema.String, Schema.DateFromSelf, {
  strict: true,
  decode: (text, _, ast) => {
    const date = new Date(`${text.trim().replace(" ", "T")}Z`)
    return Number.isNaN(date.getTime())
      ? ParseResult.fail(new ParseResult.Type(ast, text, `not a timestamp: ${JSON.stringify(text)}`))
      : ParseResult.succeed(date)
  },
  encode: (date) => ParseResult.succeed(date.toISOString().replace("T", " ").replace("Z", ""))
})

export const NullableText = Schema.NullOr(Schema.String)

/** Decodes the rows of `operation` with `row`, or fails naming the statement and the first problem. */
export const decodeRows = <A, I>(row: Schema.Schema<A, I>, operation: string, target: string) => {
  const decode = Schema.decodeUnknown(Schema.Array(row), { errors: "first" })
  return (rows: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<A>, EdgeDbError> =>
    decode(rows).pipe(
      Effect.mapError((error) =>
        new EdgeDbError({
          reason: "Failed",
          operation,
          target,
          detail: `unexpected row shape (are these the Edge reference tables?): ${ParseResult.TreeFormatter.formatErrorSync(error)}`
        })
      )
    )
}
