// A sink that appends records to a JSON Lines file, one JSON object per line.
//
// Delivery is at-least-once: a batch is appended and synced before the runner commits its checkpoint,
// so a crash between the two appends that batch again on the next run. Readers that need exactly-once
// deduplicate on the record key.
import type { FileSystem, Path } from "@effect/platform"
import { Effect, Either, Schema } from "effect"
import * as Stage from "../../core/Stage.js"
import type { FileDirectory } from "./FileDirectory.js"
import { FileError } from "./FileError.js"
import { append } from "./internal/FileAppender.js"
import { resolve } from "./internal/FileReader.js"
import { describeIssue } from "./internal/describeIssue.js"

export const jsonLinesSink = <A, I>(spec: {
  readonly path: string
  readonly record: Schema.Schema<A, I>
}): Stage.Sink<A, FileError, FileSystem.FileSystem | Path.Path | FileDirectory> => {
  const encode = Schema.encodeEither(spec.record)
  const lines = (batch: ReadonlyArray<A>) =>
    batch.map((record) =>
      Either.match(encode(record), {
        onLeft: (error) => Either.left(describeIssue(error.issue)),
        onRight: (encoded) => Either.right(`${JSON.stringify(encoded)}\n`)
      })
    )
  const outcomes = (file: string, encoded: ReadonlyArray<Either.Either<string, string>>) =>
    encoded.map((line) =>
      Either.match(line, {
        onLeft: (detail) => Stage.rejected(new FileError({ reason: "Malformed", path: file, detail: `cannot write the record: ${detail}` })),
        onRight: () => Stage.written("appended")
      })
    )
  return Stage.sink({
    name: "file.jsonl-sink",
    description: `appends JSON Lines to ${spec.path}`,
    write: (batch, ctx) =>
      Effect.gen(function*() {
        const file = yield* resolve(spec.path)
        const encoded = lines(batch)
        const text = encoded.flatMap((line) => Either.isRight(line) ? [line.right] : []).join("")
        if (text !== "") yield* append(file, text)
        return outcomes(file, encoded)
      }).pipe(Effect.mapError((e) => e.inStage(ctx))),
    plan: (batch) => Effect.map(resolve(spec.path), (file) => outcomes(file, lines(batch)))
  })
}
