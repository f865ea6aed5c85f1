import * as v8 from "node:v8"
import { Chunk, Effect, Option, Stream, Logger, LogLevel, Schema } from "effect"
import * as MemoryStateStore from "./core/MemoryStateStore.js"
import * as Pipeline from "./core/Pipeline.js"
import * as Runner from "./core/Runner.js"
import * as Stage from "./core/Stage.js"
import * as Transform from "./core/Transform.js"
const customer = (i: number) => ({ id: i, name: `Customer ${i}`, email: `  Customer.${i}@Example.COM `, phone: `+1 (555) ${String(i % 1000).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`, totalCents: 1000 + (i % 50000) })
const N = 1_000_000
const batchSize = Number(process.argv[2] ?? 500)
const readAhead = Number(process.argv[3] ?? 1)
let bytes = 0
let produced = 0; let maxAhead = 0; let snap = false
const mkpage = (start: number, end: number) => { produced = end; if (false) { snap = true; console.log("snapshot", v8.writeHeapSnapshot("/tmp/proto/mid.heapsnapshot")) } const page = new Array(end - start); for (let i = start; i < end; i++) page[i - start] = { record: customer(i), cursor: i }; return page }
const src = Stream.unfoldChunk(0, (s) => s >= N ? Option.none() : Option.some([Chunk.unsafeFromArray(mkpage(s, s + 1000)), s + 1000] as const))
const source = Stage.source({ name: "s", description: "", record: Schema.Unknown, cursor: Schema.Number, key: (c: any) => String(c.id), read: () => src })
const w = Stage.written("x")
const sink = Stage.sink({ name: "k", description: "", write: (b: ReadonlyArray<any>) => Effect.sync(() => { const o = new Array(b.length); for (let i = 0; i < b.length; i++) { bytes += JSON.stringify(b[i]).length; o[i] = w } maxAhead = Math.max(maxAhead, produced - b[b.length-1].id); return o }) })
const p = Pipeline.make({ name: "p", description: "", options: Schema.Struct({}), connectors: [], build: () => Pipeline.from(source).pipe(Pipeline.via(Transform.map("a", (c: any) => ({ ...c, email: c.email.trim().toLowerCase() }))), Pipeline.to(sink)) })
const c0 = process.cpuUsage(); const t0 = performance.now()
await Effect.runPromise(Runner.run(p, { rawOptions: {}, dryRun: false, limit: Option.none(), batchSize, readAhead, batchWindow: process.argv[4] ?? "1 second" }).pipe(Effect.provide(MemoryStateStore.layer), Logger.withMinimumLogLevel(LogLevel.Warning)))
const c = process.cpuUsage(c0)
console.log(`maxAhead ${maxAhead} batch ${batchSize} readAhead ${readAhead} cpu ${((c.user + c.system) / 1e6).toFixed(2)} wall ${((performance.now() - t0) / 1000).toFixed(2)}`)
