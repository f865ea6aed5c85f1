// What the mission benchmarks (bench/mission.ts, bench/resources.ts) share: a fresh Edge database
// seeded with customers, the Shopify emulator in a child process of its own (its store of orders is not
// the pipeline's memory), and one `web-sales-to-edge` run in a child process of its own
// (bench/support/pipelineChild.ts), whose peak memory is then the pipeline's alone.
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { fromUrl } from "../../connectors/edge/EdgeConfig.js"
import { layer as edgeLayer } from "../../connectors/edge/EdgeConnector.js"
import { migrate } from "../../connectors/edge/EdgeMigrate.js"
import { seed } from "../../connectors/edge/Seed.js"
import type * as ShopifyEmulator from "../../connectors/shopify/emulator/ShopifyEmulator.js"

export const root = fileURLToPath(new URL("../..", import.meta.url))

/** Prints one line for bench/main.ts's table. */
export const bench = (name: string, value: number, unit: string, ratio: number | null, target: string, met: boolean | null) =>
  console.log(`BENCH ${JSON.stringify({
    name,
    value: Math.round(value * 100) / 100,
    unit,
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
    target,
    met
  })}`)

export const adminQuery = async <A = unknown>(serverUrl: string, sql: string): Promise<A> => {
  const mysql = await import("mysql2/promise")
  const url = new URL(serverUrl)
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || "root"),
    password: decodeURIComponent(url.password)
  })
  try {
    const [rows] = await connection.query(sql)
    return rows as A
  } finally {
    await connection.end()
  }
}

/** A new database on the server, with the Edge tables and `customers` Edge customers; its URL. */
export const edgeDatabase = (serverUrl: string, name: string, customers: number) =>
  Effect.gen(function*() {
    yield* Effect.promise(() => adminQuery(serverUrl, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`))
    const url = `${serverUrl}/${name}`
    const started = performance.now()
    const seeded = yield* Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(edgeLayer(yield* fromUrl(url, { changeSettleMillis: 0 })))
      return yield* Effect.provide(Effect.zipRight(migrate, seed({ seed: 3, customers, sales: 10_000, webUploadShare: 0 })), context)
    }))
    return { url, customers: seeded.customers, seedSeconds: (performance.now() - started) / 1000 }
  })

export interface EmulatorProcess {
  readonly url: string
  readonly token: string
  readonly child: ChildProcess
  readonly seedSeconds: number
}

/** The emulator in a child process, seeded there; stopped with the scope. */
export const emulatorProcess = (options: ShopifyEmulator.StartOptions) =>
  Effect.acquireRelease(
    Effect.async<EmulatorProcess, Error>((resume) => {
      const started = performance.now()
      const module = pathToFileURL(join(root, "connectors/shopify/emulator/ShopifyEmulator.ts")).href
      const script = `import { Effect } from "effect"
import * as ShopifyEmulator from ${JSON.stringify(module)}
Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const em = yield* ShopifyEmulator.start(${JSON.stringify(options)})
  console.log(JSON.stringify({ url: em.url, token: em.token }))
  yield* Effect.never
})))`
      // A store of 200,000 orders holds over a gigabyte; a larger young generation lets the garbage of
      // each rendered page die young instead of being promoted into (and marked with) that gigabyte.
      const flags = ["--max-old-space-size=8192", "--max-semi-space-size=64"]
      const child = spawn(process.execPath, [...flags, "--import", "tsx", "--input-type=module", "-e", script], {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"]
      })
      let buffer = ""
      let done = false
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString()
        const line = buffer.split("\n").find((l) => l.startsWith("{"))
        if (line !== undefined && !done) {
          done = true
          const ready = JSON.parse(line) as { readonly url: string; readonly token: string }
          resume(Effect.succeed({ ...ready, child, seedSeconds: (performance.now() - started) / 1000 }))
        }
      })
      child.on("exit", (code) => {
        if (!done) resume(Effect.fail(new Error(`the emulator process exited (${code})`)))
      })
    }),
    ({ child }) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill()
      })
  )

/** What bench/support/pipelineChild.ts reports for one run. */
export interface PipelineRun {
  readonly read: number
  readonly written: number
  readonly deadLettered: number
  readonly seconds: number
  /** Highest RSS and V8 heap in use sampled during the run (every 25 ms), MB. */
  readonly peakRssMb: number
  readonly peakHeapMb: number
  /** Highest heap in use right after a full GC (sampled every 2 s): what the run holds on to, MB. */
  readonly peakLiveHeapMb: number
  /** The child process's own maximum RSS (the kernel's figure, whole process lifetime), MB. */
  readonly maxRssMb: number
  readonly baselineRssMb: number
}

/** Runs `web-sales-to-edge` once in a fresh process against the database and the emulator. */
export const runPipeline = (config: { readonly database: string; readonly store: string; readonly token: string; readonly batchSize: number }) =>
  Effect.async<PipelineRun, Error>((resume) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", join(root, "bench/support/pipelineChild.ts"), JSON.stringify(config)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (err += chunk.toString()))
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "))
      if (code !== 0 || line === undefined) {
        resume(Effect.fail(new Error(`the pipeline process failed (exit ${code}): ${(err || out).slice(-3000)}`)))
      } else {
        resume(Effect.succeed(JSON.parse(line.slice("RESULT ".length)) as PipelineRun))
      }
    })
    return Effect.sync(() => void child.kill("SIGKILL"))
  })

/** Runs a benchmark script's main effect (scoped, with Node's services, warnings and worse logged); exit 1 on failure. */
export const runBenchMain = <A, E>(main: Effect.Effect<A, E, Scope.Scope | NodeContext.NodeContext>): void => {
  Effect.runPromise(
    Effect.scoped(main).pipe(
      Effect.provide(NodeContext.layer),
      Logger.withMinimumLogLevel(LogLevel.Warning)
    )
  ).catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
