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
  detail: Schema.String
}) {
  get classification(): Classification {
    return this.reason === "Malformed" || this.reason === "ColumnMismatch" ? "record" : "fatal"
  }
  override get message(): string {
    const where = this.line === undefined ? this.path : `${this.path} line ${this.line}`
    switch (this.reason) {
      case "NotFound":
        return `${this.path} does not exist${this.detail === "" ? "" : `: ${this.detail}`}`
      case "CursorBeyondEnd":
        return `${this.path} is shorter than the saved checkpoint (${this.detail}): it was truncated or replaced. ` +
          `Run \`edgesync reset <pipeline>\` to read it again from the start.`
      default:
        return `${where}: ${this.detail}`
    }
  }
}
