// Turns JSON Lines into the pipeline's records: each line is parsed as JSON and decoded with the
// pipeline's Schema. A line that is not JSON or does not fit the Schema is rejected (dead-lettered as
// the text it was) and the run goes on.
import { Effect, Either, Schema } from "effect"
import * as Stage from "../../core/Stage.js"
import { FileError } from "./FileError.js"
import { describeIssue } from "./internal/describeIssue.js"
import type { JsonLine } from "./JsonLinesSource.js"

export const parseJsonLines = <A, I>(
  schema: Schema.Schema<A, I>,
  path: string
): Stage.Transform<JsonLine, A> => {
  const decode = Schema.decodeUnknownEither(schema)
  const malformed = (line: number, detail: string) =>
    Stage.reject(new FileError({ reason: "Malformed", path, line, detail }))
  return Stage.transform({
    name: "file.parse-jsonl",
    description: "parses each line as JSON and checks it against the record Schema",
    apply: (batch) =>
      Effect.succeed(batch.map((line): Stage.Outcome<A> => {
        if (line.malformed !== undefined) return malformed(line.line, line.malformed)
        let json: unknown
        try {
          json = JSON.parse(line.text)
        } catch (e) {
          return malformed(line.line, `not valid JSON (${e instanceof Error ? e.message : String(e)})`)
        }
        return Either.match(decode(json), {
          onLeft: (error) => malformed(line.line, describeIssue(error.issue)),
          onRight: (record) => Stage.emit(record)
        })
      }))
  })
}
