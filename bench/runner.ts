// Benchmark: the runner's overhead. 1,000,000 records through an in-memory source, three transforms and
// an in-memory sink, batched, with a checkpoint per batch in the MemoryStateStore; and the same work as a
// plain hand-written loop in the same process. Reports records/s for both, their ratio (target >= 0.33)
// and the peak RSS of a process doing one such run (target < 250 MB).
//
// The work per record is what a small real pipeline does: build the record, normalise an email address,
// keep the digits of a phone number, add 8% to an amount in integer cents, and serialise the result for
// the "write". Both variants do exactly that; the difference is the framework.
import { Chunk, Effect, Logger, LogLevel, Option, Schema, Stream } from "effect"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as MemoryStateStore from "../core/MemoryStateStore.js"
import * as Pipeline from "../core/Pipeline.js"
import * as Runner from "../core/Runner.js"
import * as Stage from "../core/Stage.js"
import { StateStore } from "../core/StateStore.js"
import * as Transform from "../core/Transform.js"

// Optional arguments: record count, batch size, rounds; `--memory-only` is the child run that measures
// peak RSS (see `measureMemory`).
const args = process.argv.slice(2).filter((arg) => !arg.startsWith("--"))
const MEMORY_ONLY = process.argv.includes("--memory-only")
const RECORDS = Number(args[0] ?? 1_000_000)
const BATCH = Number(args[1] ?? 500)
const ROUNDS = Number(args[2] ?? 3)
const PAGE = 1000

const Customer = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  email: Schema.String,
  phone: Schema.String,
  totalCents: Schema.Number
})
type Customer = typeof Customer.Type

const customer = (i: number): Customer => ({
  id: i,
  name: `Customer ${i}`,
  email: `  Customer.${i}@Example.COM `,
  phone: `+1 (555) ${String(i % 1000).padStart(3, "0")}-${String(i % 10000).padStart(4, "0")}`,
  totalCents: 1000 + (i % 50000)
})
const normalizeEmail = (c: Customer): Customer => ({ ...c, email: c.email.trim().toLowerCase() })
const phoneDigits = (c: Customer): Customer => ({ ...c, phone: c.phone.replace(/\D/g, "") })
const addTax = (c: Customer): Customer => ({ ...c, totalCents: Math.round((c.totalCents * 108) / 100) })

/** What the sinks keep: bytes "written" and the last record, so memory stays flat for both variants. */
interface Written {
  bytes: number
  count: number
}

const plainLoop = (records: number, out: Written): void => {
  const checkpoints = new Map<string, string>()
  for (let i = 0; i < records; i++) {
    const c = addTax(phoneDigits(normalizeEmail(customer(i))))
    out.bytes += JSON.stringify(c).length
    out.count++
    if ((i + 1) % BATCH === 0 || i === records - 1) checkpoints.set("bench", JSON.stringify(i))
  }
}

const pipelineFor = (records: number, out: Written) => {
  const source = Stage.source({
    name: "bench-source",
    description: "generated customers",
    record: Customer,
    cursor: Schema.Number,
    key: (c: Customer) => String(c.id),
    read: (cursor) =>
      Stream.unfoldChunk(Option.match(cursor, { onNone: () => 0, onSome: (last) => last + 1 }), (start) => {
        if (start >= records) return Option.none()
        const end = Math.min(records, start + PAGE)
        const page = new Array<Stage.Sourced<Customer, number>>(end - start)
        for (let i = start; i < end; i++) page[i - start] = { record: customer(i), cursor: i }
        return Option.some([Chunk.unsafeFromArray(page), end] as const)
      })
  })
  const upserted = Stage.written("upserted")
  const sink = Stage.sink({
    name: "bench-sink",
    description: "serialises each record",
    write: (batch: ReadonlyArray<Customer>) =>
      Effect.sync(() => {
        const outcomes = new Array<Stage.SinkOutcome>(batch.length)
        for (let i = 0; i < batch.length; i++) {
          out.bytes += JSON.stringify(batch[i]).length
          out.count++
          outcomes[i] = upserted
        }
        return outcomes
      })
  })
  return Pipeline.make({
    name: "bench",
    description: "runner benchmark",
    options: Schema.Struct({}),
    connectors: [],
    build: () =>
      Pipeline.from(source).pipe(
        Pipeline.via(Transform.map("normalize-email", normalizeEmail)),
        Pipeline.via(Transform.map("phone-digits", phoneDigits)),
        Pipeline.via(Transform.map("add-tax", addTax)),
        Pipeline.to(sink)
      )
  })
}

const runFramework = (records: number, out: Written) =>
  Effect.gen(function*() {
    const summary = yield* Runner.run(pipelineFor(records, out), {
      rawOptions: {},
      dryRun: false,
      limit: Option.none(),
      batchSize: BATCH
    })
    const checkpoint = yield* (yield* StateStore).checkpoint("bench")
    return { summary, checkpoint }
    // The run's own info lines are noise in a benchmark's output.
  }).pipe(Effect.provide(MemoryStateStore.layer), Logger.withMinimumLogLevel(LogLevel.Warning))

const time = async (f: () => Promise<void> | void): Promise<number> => {
  const start = performance.now()
  await f()
  return (performance.now() - start) / 1000
}

/**
 * Peak RSS of a fresh process that moves the records through the runner once: the runner's own memory,
 * not inflated by the plain loop and the repeated rounds of the speed comparison in this process.
 */
const measureMemory = (): number => {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), String(RECORDS), String(BATCH), "1", "--memory-only"],
    { encoding: "utf8" }
  )
  const line = child.stdout.split("\n").find((l) => l.startsWith("PEAK_RSS_MB "))
  if (child.status !== 0 || line === undefined) {
    throw new Error(`the memory run failed (exit ${child.status}): ${child.stderr.slice(-2000)}`)
  }
  return Number(line.slice("PEAK_RSS_MB ".length))
}

const memoryOnly = async () => {
  const out: Written = { bytes: 0, count: 0 }
  await Effect.runPromise(runFramework(RECORDS, out))
  if (out.count !== RECORDS) throw new Error(`wrote ${out.count} of ${RECORDS}`)
  console.log(`PEAK_RSS_MB ${process.resourceUsage().maxRSS / 1024}`)
}

const main = async () => {
  // Warm both paths up so the JIT has compiled them before they are timed.
  const warm = Math.min(RECORDS, 100_000)
  plainLoop(warm, { bytes: 0, count: 0 })
  await Effect.runPromise(runFramework(warm, { bytes: 0, count: 0 }))

  // The two variants run alternately and each keeps its best time: the machine may be busy with other
  // work, and the fastest of a few runs is the closest to what the code itself costs.
  let plainSeconds = Number.POSITIVE_INFINITY
  let frameworkSeconds = Number.POSITIVE_INFINITY
  let checkpoint = ""
  for (let round = 0; round < ROUNDS; round++) {
    const plain: Written = { bytes: 0, count: 0 }
    plainSeconds = Math.min(plainSeconds, await time(() => plainLoop(RECORDS, plain)))
    const framed: Written = { bytes: 0, count: 0 }
    frameworkSeconds = Math.min(
      frameworkSeconds,
      await time(async () => {
        const result = await Effect.runPromise(runFramework(RECORDS, framed))
        checkpoint = Option.match(result.checkpoint, { onNone: () => "none", onSome: (c) => c.cursor })
        if (result.summary.counts.written !== RECORDS) throw new Error(`wrote ${result.summary.counts.written} of ${RECORDS}`)
      })
    )
    if (framed.bytes !== plain.bytes || framed.count !== plain.count) {
      throw new Error(`the two variants did different work: ${framed.count}/${framed.bytes} vs ${plain.count}/${plain.bytes}`)
    }
  }
  const plainRate = RECORDS / plainSeconds
  const frameworkRate = RECORDS / frameworkSeconds
  const ratio = frameworkRate / plainRate
  const peakMb = measureMemory()

  const ratioMet = ratio >= 0.33
  const rssMet = peakMb < 250
  const rate = (n: number) => Math.round(n).toLocaleString("en-US")
  console.log(`runner: ${RECORDS} records, batches of ${BATCH}, source -> 3 transforms -> sink, MemoryStateStore (best of ${ROUNDS})`)
  console.log(`  plain loop : ${rate(plainRate)} records/s (${plainSeconds.toFixed(2)}s)`)
  console.log(`  runner     : ${rate(frameworkRate)} records/s (${frameworkSeconds.toFixed(2)}s), last checkpoint ${checkpoint}`)
  console.log(`  ratio      : ${ratio.toFixed(2)} (target >= 0.33: ${ratioMet ? "met" : "NOT met"})`)
  console.log(`  peak RSS   : ${peakMb.toFixed(0)} MB for one run in a fresh process (target < 250 MB: ${rssMet ? "met" : "NOT met"})`)
  const line = (name: string, value: number, unit: string, ratioValue: number | null, target: string, met: boolean | null) =>
    console.log(`BENCH ${JSON.stringify({ name, value, unit, ratio: ratioValue, target, met })}`)
  line("runner.plain-loop", Math.round(plainRate), "records/s", null, "baseline", null)
  line("runner.throughput", Math.round(frameworkRate), "records/s", Number(ratio.toFixed(3)), "ratio >= 0.33 vs plain loop", ratioMet)
  line("runner.peak-rss", Math.round(peakMb), "MB", null, "< 250 MB", rssMet)
}

await (MEMORY_ONLY ? memoryOnly() : main())
