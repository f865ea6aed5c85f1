// The file connector's failures, each classified so the runner knows whether the run can go on.
import { Schema } from "effect"
import type { Classification } from "../../core/EtlError.js"

export class FileError extends Schema.TaggedError<FileError>()("FileError", {
  reason: Schema.Literal(
    /** The file does not exist. */
    "NotFound",
    /** The file exists but cannot be read (permissions, I/O error). */
    "Unreadable",
    /** The file cannot be written (permissions, full disk, read-only file system). */
    "Unwritable",
    /** One record is not valid (bad JSON, bad CSV quoting, not UTF-8, fails the record Schema). */
    "Malformed",
    /** One record's fields do not fit the CSV file's columns. */
    "ColumnMismatch",
    /** The CSV header row is missing or unusable, so no row of the file can be read. */
    "BadHeader",
    /** One record is longer than the connector's bound (often an unterminated CSV quote). */
    "RecordTooLong",
    /** The saved cursor lies past the end of the file: the file was truncated or replaced. */
    "CursorBeyondEnd"
  ),
  path: Schema.String,
  /** The line the record starts on, when the failure concerns one record. */
  line: Schema.optional(Schema.Number),
  detail: Schema.String,
  /** The pipeline and stage that hit a whole-file failure (record failures are filed under their stage). */
  pipeline: Schema.optional(Schema.String),
  stage: Schema.optional(Schema.String)
}) {
  /** The same error, naming the pipeline and stage it happened in. */
  inStage(context: { readonly pipeline: string; readonly stage: string }): FileError {
    return new FileError({ ...this, pipeline: context.pipeline, stage: context.stage })
  }

  get classification(): Classification {
    return this.reason === "Malformed" || this.reason === "ColumnMismatch" ? "record" : "fatal"
  }
  override get message(): string {
    const where = this.line === undefined ? this.path : `${this.path} line ${this.line}`
    const context = this.stage === undefined ? "" : `${this.stage} of ${this.pipeline ?? "?"}: `
    switch (this.reason) {
      case "NotFound":
        return `${context}${this.path} does not exist`
      case "CursorBeyondEnd":
        return `${context}${this.path} is shorter than the saved checkpoint (${this.detail}): it was truncated or ` +
          `replaced. Run \`edgesync reset ${this.pipeline ?? "<pipeline>"}\` to read it again from the start.`
      default:
        return `${context}${where}: ${this.detail}`
    }
  }
}
