import { Chunk, Effect, Option, Stream, Logger, LogLevel, Schema } from "effect"
import { batchWithin } from "./core/internal/batchWithin.js"
import * as MemoryStateStore from "./core/MemoryStateStore.js"
import * as Pipeline from "./core/Pipeline.js"
import * as Runner from "./core/Runner.js"
import * as Stage from "./core/Stage.js"
import * as Transform from "./core/Transform.js"
const customer = (i: number) => ({ id: i, name: `Customer ${i}`, email: `  Customer.${i}@Example.COM `, phone: `+1 (555) ${String(i % 1000).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`, totalCents: 1000 + (i % 50000) })
const N = 1_000_000
const mode = process.argv[2]
let bytes = 0
const mkpage = (start: number, end: number) => { const page = new Array(end - start); for (let i = start; i < end; i++) page[i - start] = { record: customer(i), cursor: i }; return page }
const src = Stream.unfoldChunk(0, (s) => s >= N ? Option.none() : Option.some([Chunk.unsafeFromArray(mkpage(s, s + 1000)), s + 1000] as const))
const work = (b: ReadonlyArray<any>) => { for (const x of b) bytes += JSON.stringify(x.record ?? x).length }
if (mode === "batch") await Effect.runPromise(Stream.runForEach(batchWithin(src, { size: 500, window: "1 second" as any, readAhead: 1 }), (b) => Effect.sync(() => work(b))))
if (mode === "grouped") await Effect.runPromise(Stream.runForEach(Stream.rechunk(src, 500).pipe(Stream.chunks), (b) => Effect.sync(() => work(Chunk.toReadonlyArray(b)))))
if (mode === "runner" || mode === "runner-maps") {
  const source = Stage.source({ name: "s", description: "", record: Schema.Unknown, cursor: Schema.Number, key: (c: any) => String(c.id), read: () => src })
  const sink = Stage.sink({ name: "k", description: "", write: (b: ReadonlyArray<any>) => Effect.sync(() => { work(b); return b.map(() => Stage.written("x")) }) })
  const id = (x: any) => x
  const p = Pipeline.make({ name: "p", description: "", options: Schema.Struct({}), connectors: [], build: () => mode === "runner" ? Pipeline.from(source).pipe(Pipeline.to(sink)) : Pipeline.from(source).pipe(Pipeline.via(Transform.map("a", id)), Pipeline.to(sink)) })
  await Effect.runPromise(Runner.run(p, { rawOptions: {}, dryRun: false, limit: Option.none() }).pipe(Effect.provide(MemoryStateStore.layer), Logger.withMinimumLogLevel(LogLevel.Warning)))
}
