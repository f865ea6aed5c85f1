// The crash-and-restart harness (issue 6 §1): runs a mission pipeline as the real CLI in a child process
// (`node bin/edgesync.js run <pipeline>`, config file in a temp dir), SIGKILLs it at randomized points,
// restarts it, and repeats until a run completes. The Shopify emulator and MariaDB live outside the child
// (in the test process and the test's private server), so they survive every kill as a real shop and a
// real database would.
//
// Two kinds of kill:
// - at a failpoint (core/FailPoint.ts): EDGESYNC_FAILPOINTS=name@n makes the child SIGKILL itself on the
//   n-th pass through a named place (mid-page, after the transforms, inside the sink's transaction, right
//   after its commit, ...): precise, so every dangerous window is hit on every run;
// - from outside at a random time after the run started reading: whatever the child was doing.
//
// Everything random comes from one seed, printed with every result and settable with
// EDGESYNC_CHAOS_SEED, so a failure replays (the kill plan replays exactly; the timing of outside kills is
// only as exact as the machine's scheduling).
import { Effect, Option } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import type { Name as FailPointName } from "../../../core/FailPoint.js"
import * as CliChild from "../support/CliChild.js"

const bin = path.resolve(import.meta.dirname, "../../../bin/edgesync.js")

// --- Settings from the environment (the test reads them; `npm run test:chaos` turns them up) -----------

const intFromEnv = (name: string, fallback: number): number => {
  const text = process.env[name]
  const n = text === undefined || text.trim() === "" ? NaN : Number(text)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

export interface ChaosSettings {
  /** The seed of the first randomized run; the next runs (EDGESYNC_CHAOS_RUNS) use seed + 1, + 2, ... */
  readonly seed: number
  /** Whether the seed was given (EDGESYNC_CHAOS_SEED) rather than drawn. */
  readonly seedGiven: boolean
  /** Randomized runs per pipeline. */
  readonly runs: number
  /** At least this many kills per run. */
  readonly kills: number
  /** Records in the initial data set; each wave adds about a quarter as many. */
  readonly records: number
  readonly batchSize: number
}

/** EDGESYNC_CHAOS_VERBOSE=1 prints every child run as it ends (for a run that seems stuck). */
const verbose = process.env["EDGESYNC_CHAOS_VERBOSE"] === "1"

export const settings = (): ChaosSettings => {
  const given = process.env["EDGESYNC_CHAOS_SEED"]
  const parsed = given === undefined || given.trim() === "" ? NaN : Number(given)
  const seedGiven = Number.isInteger(parsed) && parsed >= 0
  return {
    seed: seedGiven ? parsed : Math.floor(Math.random() * 1_000_000),
    seedGiven,
    runs: intFromEnv("EDGESYNC_CHAOS_RUNS", 1),
    kills: intFromEnv("EDGESYNC_CHAOS_KILLS", 20),
    records: intFromEnv("EDGESYNC_CHAOS_RECORDS", 40),
    batchSize: intFromEnv("EDGESYNC_CHAOS_BATCH_SIZE", 4)
  }
}

// --- A seeded generator (mulberry32): small, fast, and the same sequence for the same seed everywhere ----

export interface Rng {
  /** In [0, 1). */
  readonly next: () => number
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly shuffle: <A>(items: ReadonlyArray<A>) => ReadonlyArray<A>
}

export const rng = (seed: number): Rng => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    shuffle: (items) => {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    }
  }
}

// --- The child process -------------------------------------------------------------------------------

/** How one child run was asked to die. */
export type KillPlan =
  | { readonly _tag: "FailPoint"; readonly name: FailPointName; readonly at: number }
  | { readonly _tag: "Outside"; readonly afterMillis: number }
  | { readonly _tag: "None" }

export const describePlan = (plan: KillPlan): string =>
  plan._tag === "FailPoint" ? `${plan.name}@${plan.at}` : plan._tag === "Outside" ? `outside+${plan.afterMillis}ms` : "none"

export type ChildResult = CliChild.Result

// The runner logs this when it starts reading its source; outside kills are timed from it, so that they
// land in the run rather than in the CLI's start-up.
const readingStarted = /Reading .* from the beginning|Resuming /

/** Runs `edgesync run <pipeline>` in `cwd` under `plan`, to its end (exit or SIGKILL). */
export const runChild = (cwd: string, pipeline: string, plan: KillPlan): Effect.Effect<ChildResult> =>
  Effect.async<ChildResult>((resume) => {
    const env: Record<string, string | undefined> = { ...CliChild.baseEnv }
    if (plan._tag === "FailPoint") env["EDGESYNC_FAILPOINTS"] = `${plan.name}@${plan.at}`
    const child = spawn(process.execPath, [bin, "--log-level", "info", "run", pipeline], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let timer: NodeJS.Timeout | undefined
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
      if (plan._tag === "Outside" && timer === undefined && readingStarted.test(stderr)) {
        timer = setTimeout(() => child.kill("SIGKILL"), plan.afterMillis)
      }
    })
    child.on("close", (code, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      resume(Effect.succeed({ code, signal, stdout, stderr }))
    })
    return Effect.sync(() => {
      if (timer !== undefined) clearTimeout(timer)
      child.kill("SIGKILL")
    })
  })

/** A temp working directory with `edgesync.config.json`, removed afterwards. */
export const workDir = (config: object) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await fs.mkdtemp(path.join(tmpdir(), "edgesync-crash-"))
      await fs.writeFile(path.join(dir, "edgesync.config.json"), JSON.stringify(config, null, 2))
      return dir
    }),
    (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
  )

// --- The loop ----------------------------------------------------------------------------------------

export interface ChaosSpec {
  readonly pipeline: string
  readonly cwd: string
  readonly seed: number
  readonly kills: number
  /** The failpoints worth aiming at for this pipeline, with the largest pass number to draw. */
  readonly points: ReadonlyArray<readonly [FailPointName, number]>
  /** Reads the pipeline's checkpoint (after every kill), to check it never moves backwards. */
  readonly checkpoint: Effect.Effect<Option.Option<string>>
  /** `before` <= `after` in the source's cursor order (both decoded checkpoints). */
  readonly notBefore: (after: string, before: string) => boolean
  /**
   * Adds `records` more records of work for the next runs (new orders, customers, changes): a wave when a
   * run completed before enough kills were made, a top-up after each kill, so that the kills land in
   * runs that have work to do.
   */
  readonly addWave: (records: number) => Effect.Effect<void>
  readonly waveSize: number
  readonly topUpSize: number
  /** Prints progress lines (the seed first). */
  readonly log: (line: string) => void
}

export interface ChaosReport {
  readonly seed: number
  readonly kills: number
  readonly byPlan: Readonly<Record<string, number>>
  readonly runs: number
  readonly waves: number
  readonly checkpoints: ReadonlyArray<string>
}

/** A line that names the seed and how to replay it, for logs and assertion messages. */
export const replayHint = (pipeline: string, seed: number) =>
  `${pipeline} seed=${seed} (replay: EDGESYNC_CHAOS_SEED=${seed} npx vitest run test/reliability/crash)`

/**
 * Kills and restarts the pipeline until at least `kills` kills have landed, then lets one run complete.
 * Fails (with the seed in the message) when a run ends any other way than success or SIGKILL, or the
 * checkpoint moves backwards.
 */
export const chaos = (spec: ChaosSpec): Effect.Effect<ChaosReport, Error> =>
  Effect.gen(function*() {
    // Each pipeline draws its own sequence from the seed, so that one seed does not give all three the
    // same kill plan.
    let salt = 0
    for (const c of spec.pipeline) salt = (Math.imul(salt, 31) + c.charCodeAt(0)) >>> 0
    const random = rng(spec.seed ^ salt)
    const hint = replayHint(spec.pipeline, spec.seed)
    spec.log(`[crash] ${hint}`)
    // The failpoints in a shuffled round-robin, so that every one is aimed at in every run; one kill in
    // four comes from outside at a random time instead.
    let queue: Array<readonly [FailPointName, number]> = []
    const nextPlan = (): KillPlan => {
      if (random.next() < 0.25) return { _tag: "Outside", afterMillis: random.int(0, 300) }
      if (queue.length === 0) queue = [...random.shuffle(spec.points)]
      const [name, max] = queue.shift()!
      return { _tag: "FailPoint", name, at: random.int(1, max) }
    }
    const byPlan: Record<string, number> = {}
    const checkpoints: Array<string> = []
    const trace: Array<string> = []
    let kills = 0
    let runs = 0
    let waves = 0
    let last = yield* spec.checkpoint
    const maxRuns = spec.kills * 4 + 20
    for (;;) {
      runs++
      if (runs > maxRuns) return yield* Effect.fail(new Error(`${hint}: no completed run after ${maxRuns} runs`))
      const plan: KillPlan = kills >= spec.kills ? { _tag: "None" } : nextPlan()
      const started = Date.now()
      const result = yield* runChild(spec.cwd, spec.pipeline, plan)
      trace.push(`${describePlan(plan)}:${result.signal === "SIGKILL" ? "killed" : `exit ${result.code}`}(${Date.now() - started}ms)`)
      if (verbose) spec.log(`[crash] ${spec.pipeline} seed=${spec.seed} run ${runs}: ${trace[trace.length - 1]}`)
      if (result.signal === "SIGKILL") {
        kills++
        const key = plan._tag === "FailPoint" ? plan.name : plan._tag
        byPlan[key] = (byPlan[key] ?? 0) + 1
        const now = yield* spec.checkpoint
        if (Option.isSome(last) && Option.isNone(now)) {
          return yield* Effect.fail(new Error(`${hint}: the checkpoint disappeared after kill ${kills} (${describePlan(plan)})`))
        }
        if (Option.isSome(last) && Option.isSome(now) && !spec.notBefore(now.value, last.value)) {
          return yield* Effect.fail(new Error(
            `${hint}: the checkpoint moved backwards after kill ${kills} (${describePlan(plan)}): ${last.value} -> ${now.value}`
          ))
        }
        if (Option.isSome(now)) checkpoints.push(now.value)
        last = now
        if (kills < spec.kills) yield* spec.addWave(spec.topUpSize)
        continue
      }
      if (result.code !== 0) {
        return yield* Effect.fail(new Error(
          `${hint}: run ${runs} (${describePlan(plan)}) ended with code ${result.code} signal ${result.signal}\n` +
            `runs so far: ${trace.join(" ")}\n` +
            `stdout: ${result.stdout}\nstderr: ${result.stderr.slice(-4000)}`
        ))
      }
      const now = yield* spec.checkpoint
      if (Option.isSome(last) && Option.isSome(now) && !spec.notBefore(now.value, last.value)) {
        return yield* Effect.fail(new Error(`${hint}: the checkpoint moved backwards in completed run ${runs}: ${last.value} -> ${now.value}`))
      }
      last = now
      if (kills >= spec.kills) break
      // Completed before enough kills: give the next runs something to do.
      waves++
      yield* spec.addWave(spec.waveSize)
    }
    const report: ChaosReport = { seed: spec.seed, kills, byPlan, runs, waves, checkpoints }
    spec.log(`[crash] ${spec.pipeline} seed=${spec.seed}: ${kills} kills in ${runs} runs, ${waves} waves of new data; ` +
      `kills by point: ${JSON.stringify(byPlan)}\n[crash]   runs: ${trace.join(" ")}`)
    return report
  })
