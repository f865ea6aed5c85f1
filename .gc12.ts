import { Chunk, Effect, Option, Stream } from "effect"
const customer = (i: number) => ({ id: i, name: `Customer ${i}`, email: `  Customer.${i}@Example.COM `, phone: `+1 (555) ${String(i % 1000).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`, totalCents: 1000 + (i % 50000) })
const N = 1_000_000
const P = Number(process.argv[3] ?? 1000)
const mode = process.argv[2]
let bytes = 0
const mkpage = (start: number, end: number) => { const page = new Array(end - start); for (let i = start; i < end; i++) page[i - start] = { record: customer(i), cursor: i }; return page }
const work = (b: ReadonlyArray<any>) => { for (const x of b) bytes += JSON.stringify(x.record).length }
const c0 = process.cpuUsage()
if (mode === "stream") await Effect.runPromise(Stream.runForEachChunk(Stream.unfoldChunk(0, (s) => s >= N ? Option.none() : Option.some([Chunk.unsafeFromArray(mkpage(s, s + P)), s + P] as const)), (c) => Effect.sync(() => work(Chunk.toReadonlyArray(c)))))
if (mode === "gen") await Effect.runPromise(Effect.gen(function*() { for (let s = 0; s < N; s += P) { const p = mkpage(s, s + P); yield* Effect.sync(() => work(p)) } }))
if (mode === "genyield") await Effect.runPromise(Effect.gen(function*() { for (let s = 0; s < N; s += P) { const p = mkpage(s, s + P); yield* Effect.yieldNow(); yield* Effect.sync(() => work(p)) } }))
const c = process.cpuUsage(c0); console.log(mode, P, "cpu", ((c.user + c.system) / 1e6).toFixed(2))
