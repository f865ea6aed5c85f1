// Bulk operations on the wire: the operation object and its statuses (FACTS §5.2).
import { Schema } from "effect"

export const BulkOperationStatus = Schema.Literal(
  "CANCELED",
  "CANCELING",
  "COMPLETED",
  "CREATED",
  "EXPIRED",
  "FAILED",
  "RUNNING"
)
export type BulkOperationStatus = typeof BulkOperationStatus.Type

export const BulkOperation = Schema.Struct({
  id: Schema.String,
  status: BulkOperationStatus,
  errorCode: Schema.NullOr(Schema.String),
  createdAt: Schema.Date,
  completedAt: Schema.NullOr(Schema.Date),
  // UnsignedInt64 travels as a JSON string (FACTS §1.4).
  objectCount: Schema.String,
  rootObjectCount: Schema.String,
  fileSize: Schema.NullOr(Schema.String),
  url: Schema.NullOr(Schema.String),
  partialDataUrl: Schema.NullOr(Schema.String)
})
export type BulkOperation = typeof BulkOperation.Type

export const bulkOperationSelection =
  "{ id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl }"

export const BulkUserError = Schema.Struct({
  field: Schema.NullOr(Schema.Array(Schema.String)),
  message: Schema.String,
  code: Schema.NullOr(Schema.String)
})
