// The JSONL file of one bulk operation while it is written and after. A small result stays in memory;
// one that grows past `spillBytes` moves to a temporary file and keeps growing there, so a bulk
// operation over 200,000 orders costs the emulator disk, not heap (a JS string cannot even hold it).
// The file is unlinked as soon as it is opened and used through its descriptor only: however the
// emulator's process ends (even killed), nothing is left behind in the temporary directory.
// It is the one mutable thing a BulkOperation record points at: rendering continues in the background
// after bulkOperationRunQuery returns (BulkQuery.ts), and the operation's view reads how far it got.
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import type { Readable } from "node:stream"

/** Past this many bytes the result is written to a temporary file instead of memory. */
const spillBytes = 8 * 1024 * 1024

export class BulkResult {
  private pending: Array<string> = []
  private pendingBytes = 0
  private file: { readonly fd: number } | undefined
  private written = 0
  private lineCount = 0
  private rootCount = 0
  private finished = false
  private stopped = false
  private disposed = false

  constructor(private readonly registry: Registry) {
    registry.track(this)
  }

  /** JSONL lines written so far (all of them once `done`). */
  get lines(): number {
    return this.lineCount
  }
  get roots(): number {
    return this.rootCount
  }
  get bytes(): number {
    return this.written
  }
  /** Every line is written. */
  get done(): boolean {
    return this.finished
  }
  /** Cancelled or disposed before it was done: no more lines will come. */
  get halted(): boolean {
    return this.stopped || this.disposed
  }

  /** Appends lines (each without its newline) that hold `roots` root objects. */
  append(lines: ReadonlyArray<string>, roots: number): void {
    if (this.finished || this.halted) return
    this.rootCount += roots
    if (lines.length === 0) return
    const text = `${lines.join("\n")}\n`
    const size = Buffer.byteLength(text, "utf8")
    this.lineCount += lines.length
    this.written += size
    if (this.file !== undefined) {
      Fs.writeSync(this.file.fd, text)
      return
    }
    this.pending.push(text)
    this.pendingBytes += size
    if (this.pendingBytes > spillBytes) this.spill()
  }

  finish(): void {
    this.finished = true
  }

  /** bulkOperationCancel: stop writing. */
  stop(): void {
    this.stopped = true
  }

  /** The whole result as text (small results, and the partial file of a failed operation). */
  text(): string {
    if (this.file === undefined) return this.pending.join("")
    const buffer = Buffer.alloc(this.written)
    let read = 0
    while (read < this.written) {
      const n = Fs.readSync(this.file.fd, buffer, read, this.written - read, read)
      if (n === 0) break
      read += n
    }
    return buffer.subarray(0, read).toString("utf8")
  }

  /** The result as a byte stream, or its text when it is held in memory. */
  body(): { readonly _tag: "Text"; readonly text: string } | { readonly _tag: "Stream"; readonly open: () => Readable } {
    const file = this.file
    if (file === undefined) return { _tag: "Text", text: this.pending.join("") }
    const end = this.written - 1
    // Positional reads on the shared descriptor, which the stream must not close.
    return { _tag: "Stream", open: () => Fs.createReadStream("", { fd: file.fd, start: 0, end, autoClose: false }) }
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.pending = []
    if (this.file !== undefined) {
      try {
        Fs.closeSync(this.file.fd)
      } catch {
        // Already closed.
      }
    }
  }

  private spill(): void {
    const path = Path.join(Os.tmpdir(), `shopify-emulator-bulk-${process.pid}-${this.registry.nextNumber()}-${Date.now()}.jsonl`)
    const fd = Fs.openSync(path, "wx+", 0o600)
    Fs.unlinkSync(path)
    for (const text of this.pending) Fs.writeSync(fd, text)
    this.pending = []
    this.pendingBytes = 0
    this.file = { fd }
  }
}

/** The results of one emulator: their files are closed (and so freed) when it stops or is reset. */
export class Registry {
  private readonly results = new Set<BulkResult>()
  private counter = 0
  private closed = false

  track(result: BulkResult): void {
    if (this.closed) result.dispose()
    else this.results.add(result)
  }

  get isClosed(): boolean {
    return this.closed
  }

  nextNumber(): number {
    return ++this.counter
  }

  /** Drops every result (the shop was reset): their operations are gone with the data. */
  clear(): void {
    for (const result of this.results) result.dispose()
    this.results.clear()
  }

  close(): void {
    this.clear()
    this.closed = true
  }
}
