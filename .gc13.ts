import { Chunk, Effect, Option, Stream } from "effect"
const customer = (i: number) => ({ id: i, name: `Customer ${i}`, email: `  Customer.${i}@Example.COM `, phone: `+1 (555) ${String(i % 1000).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`, totalCents: 1000 + (i % 50000) })
const N = 1_000_000
const P = 1000
const mode = process.argv[2]
let bytes = 0
const mkpage = (start: number, end: number) => { const page = new Array(end - start); for (let i = start; i < end; i++) page[i - start] = { record: customer(i), cursor: i }; return page }
const work = (b: ReadonlyArray<any>) => { for (const x of b) bytes += JSON.stringify(x.record).length; if (process.argv[3] === "clear") (b as any[]).fill(undefined) }
const gen = () => Effect.gen(function*() { for (let s = 0; s < N; s += P) { const p = mkpage(s, s + P); yield* Effect.sync(() => work(p)) } })
const streams: Record<string, () => Stream.Stream<any>> = {
  unfoldChunk: () => Stream.unfoldChunk(0, (s) => s >= N ? Option.none() : Option.some([Chunk.unsafeFromArray(mkpage(s, s + P)), s + P] as const)),
  paginateChunk: () => Stream.paginateChunk(0, (s) => [Chunk.unsafeFromArray(mkpage(s, s + P)), s + P < N ? Option.some(s + P) : Option.none()]),
  paginateChunkEffect: () => Stream.paginateChunkEffect(0, (s) => Effect.sync(() => [Chunk.unsafeFromArray(mkpage(s, s + P)), s + P < N ? Option.some(s + P) : Option.none()] as const)),
  repeatEffectChunkOption: () => Stream.suspend(() => { let s = 0; return Stream.repeatEffectChunkOption(Effect.suspend(() => { if (s >= N) return Effect.fail(Option.none()); const c = Chunk.unsafeFromArray(mkpage(s, s + P)); s += P; return Effect.succeed(c) })) }),
  range: () => Stream.range(0, N / P - 1).pipe(Stream.mapConcatChunk((k) => Chunk.unsafeFromArray(mkpage(k * P, k * P + P)))),
}
const c0 = process.cpuUsage()
await Effect.runPromise(mode === "gen" ? gen() : Stream.runForEachChunk(streams[mode]!(), (c) => Effect.sync(() => work(Chunk.toReadonlyArray(c)))))
const c = process.cpuUsage(c0); console.log(mode, "cpu", ((c.user + c.system) / 1e6).toFixed(2))
