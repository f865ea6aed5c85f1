// `file-csv-to-jsonl`: imports a CSV file's rows as JSON Lines records (column name to cell text).
import { Schema } from "effect"
import * as Pipeline from "../core/Pipeline.js"
import { CsvRecord, parseCsvRows } from "../connectors/file/ParseCsvRows.js"
import { csvSource } from "../connectors/file/CsvSource.js"
import { jsonLinesSink } from "../connectors/file/JsonLinesSink.js"

const Options = Schema.Struct({
  input: Schema.String.pipe(Schema.nonEmptyString()).annotations({
    description: "the CSV file to read (a header row, then one record per row)"
  }),
  output: Schema.String.pipe(Schema.nonEmptyString()).annotations({
    description: "the JSON Lines file to append to"
  })
})

export const fileCsvToJsonl = Pipeline.make({
  name: "file-csv-to-jsonl",
  description: "Imports the rows of a CSV file into a JSON Lines file; resumes where the last run stopped.",
  options: Options,
  connectors: ["file"],
  build: (options) =>
    Pipeline.from(csvSource(options.input)).pipe(
      Pipeline.via(parseCsvRows(CsvRecord, options.input)),
      Pipeline.to(jsonLinesSink({ path: options.output, record: CsvRecord }))
    )
})
