// A bulk operation's status is a function of time on the emulator clock: CREATED, then RUNNING with a
// growing objectCount, then COMPLETED with a result URL (or FAILED with a partial one), EXPIRED once
// the result's lifetime has passed, CANCELING/CANCELED after bulkOperationCancel (FACTS §5.4). No
// background work is needed: every read computes where the operation is.
import type { BulkSettings } from "./RequestContext.js"
import type * as StoreModel from "./StoreModel.js"

export interface BulkView {
  readonly status: StoreModel.BulkStatus
  readonly objectCount: number
  readonly rootObjectCount: number
  readonly completedAt: number | null
  readonly fileSize: number | null
  readonly url: string | null
  readonly partialDataUrl: string | null
  readonly errorCode: string | null
}

const cancelMillis = 200

export const resultPath = (op: StoreModel.BulkOperation, partial: boolean) =>
  `/_emulator/bulk-results/${op.resultKey}${partial ? "-partial" : ""}.jsonl`

/** The first `fraction` of the result, cut at a line boundary (what a failed operation managed). */
export const partialResult = (op: StoreModel.BulkOperation, fraction: number): string => {
  const lines = op.result.text().split("\n").filter((l) => l.length > 0)
  const kept = lines.slice(0, Math.floor(lines.length * fraction))
  return kept.length === 0 ? "" : `${kept.join("\n")}\n`
}

export const view = (op: StoreModel.BulkOperation, now: number, settings: BulkSettings, baseUrl: string): BulkView => {
  const progress = (at: number) =>
    Math.max(0, Math.min(1, (at - op.startedAt) / Math.max(1, op.finishesAt - op.startedAt)))
  const none = { completedAt: null, fileSize: null, url: null, partialDataUrl: null, errorCode: null }
  // Shopify reports CREATED for a moment before RUNNING.
  const createdPhase = Math.min(1000, (op.finishesAt - op.startedAt) / 5)
  const result = op.result
  // A result still being written reports what is written so far; a finished one, its share by time.
  const objectsAt = (at: number) => result.done ? Math.floor(result.lines * progress(at)) : result.lines
  const rootsAt = (at: number) => result.done ? Math.floor(result.roots * progress(at)) : result.roots
  if (op.canceledAt !== null && (op.canceledAt < op.finishesAt || !result.done)) {
    const counted = objectsAt(op.canceledAt)
    const roots = rootsAt(op.canceledAt)
    return now < op.canceledAt + cancelMillis
      ? { ...none, status: "CANCELING", objectCount: counted, rootObjectCount: roots }
      : { ...none, status: "CANCELED", objectCount: counted, rootObjectCount: roots, completedAt: op.canceledAt + cancelMillis }
  }
  if (now < op.startedAt + createdPhase) return { ...none, status: "CREATED", objectCount: 0, rootObjectCount: 0 }
  if (now < op.finishesAt || !result.done) {
    return { ...none, status: "RUNNING", objectCount: objectsAt(now), rootObjectCount: rootsAt(now) }
  }
  if (op.failure !== null) {
    const partial = partialResult(op, op.failure.atFraction)
    const lines = partial.split("\n").filter((l) => l.length > 0).length
    return {
      ...none,
      status: "FAILED",
      objectCount: lines,
      rootObjectCount: Math.min(result.roots, lines),
      completedAt: op.finishesAt,
      errorCode: op.failure.errorCode,
      partialDataUrl: lines > 0 ? `${baseUrl}${resultPath(op, true)}` : null
    }
  }
  if (op.expired || now >= op.finishesAt + settings.resultTtlMillis) {
    return { ...none, status: "EXPIRED", objectCount: result.lines, rootObjectCount: result.roots, completedAt: op.finishesAt }
  }
  return {
    status: "COMPLETED",
    objectCount: result.lines,
    rootObjectCount: result.roots,
    completedAt: op.finishesAt,
    fileSize: result.lines === 0 ? null : result.bytes,
    url: result.lines === 0 ? null : `${baseUrl}${resultPath(op, false)}`,
    partialDataUrl: null,
    errorCode: null
  }
}

export const isRunning = (status: StoreModel.BulkStatus) =>
  status === "CREATED" || status === "RUNNING" || status === "CANCELING"
