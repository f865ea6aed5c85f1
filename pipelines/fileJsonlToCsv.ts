// `file-jsonl-to-csv`: exports JSON Lines records to a CSV file (one column per field).
import { Effect, Schema } from "effect"
import * as Pipeline from "../core/Pipeline.js"
import * as Stage from "../core/Stage.js"
import { csvSink } from "../connectors/file/CsvSink.js"
import { jsonLinesSource } from "../connectors/file/JsonLinesSource.js"
import { CsvRecord } from "../connectors/file/ParseCsvRows.js"
import { parseJsonLines } from "../connectors/file/ParseJsonLines.js"

const Options = Schema.Struct({
  input: Schema.String.pipe(Schema.nonEmptyString()).annotations({
    description: "the JSON Lines file to read (each line a JSON object of strings, numbers, booleans or nulls)"
  }),
  output: Schema.String.pipe(Schema.nonEmptyString()).annotations({
    description: "the CSV file to append to (created with a header row)"
  }),
  columns: Schema.optional(Schema.String).annotations({
    description: "comma-separated columns of a new CSV file (default: the fields of the first records)"
  })
})

/** A JSON object whose values fit in a CSV cell. */
const FlatObject = Schema.Record({
  key: Schema.String,
  value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)
}).annotations({ description: "a JSON object of strings, numbers, booleans or nulls" })
type FlatObject = typeof FlatObject.Type

/** Cells are text: numbers and booleans as JSON writes them, null as an empty cell. */
const toCells = Stage.transform<FlatObject, CsvRecord>({
  name: "file.to-csv-cells",
  description: "turns each value into cell text (null becomes an empty cell)",
  apply: (batch) =>
    Effect.succeed(batch.map((record) => {
      const cells: Record<string, string> = {}
      for (const [key, value] of Object.entries(record)) cells[key] = value === null ? "" : String(value)
      return Stage.emit(cells)
    }))
})

export const fileJsonlToCsv = Pipeline.make({
  name: "file-jsonl-to-csv",
  description: "Exports records from a JSON Lines file to a CSV file; resumes where the last run stopped.",
  options: Options,
  connectors: ["file"],
  build: (options) =>
    Pipeline.from(jsonLinesSource(options.input)).pipe(
      Pipeline.via(parseJsonLines(FlatObject, options.input)),
      Pipeline.via(toCells),
      Pipeline.to(csvSink({
        path: options.output,
        record: CsvRecord,
        columns: options.columns?.split(",").map((c) => c.trim()).filter((c) => c !== "")
      }))
    )
})
