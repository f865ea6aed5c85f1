// Test support (H5, shared by test/reliability/concurrency and test/reliability/secrets): the real
// `edgesync` command as child processes (`node bin/edgesync.js ...`, a clean environment, its own working
// directory and config file), against a fresh MariaDB database of the test server, migrated and given the
// stores web sales need, and the Shopify emulator running in the test process.
import { type Duration, Effect, Layer, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fromUrl } from "../../../connectors/edge/EdgeConfig.js"
import { layer as edgeLayer } from "../../../connectors/edge/EdgeConnector.js"
import { migrate } from "../../../connectors/edge/EdgeMigrate.js"

const bin = path.resolve(import.meta.dirname, "../../../bin/edgesync.js")

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** The children's environment: nothing of the developer's EDGESYNC_*, connector or MySQL settings. */
export const baseEnv: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_|GREETER_|MYSQL)/.test(key))
)

// eslint-disable-next-line no-control-regex
export const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")

export interface Child {
  readonly process: ChildProcess
  /** The output so far (colour codes removed). */
  readonly output: () => { readonly stdout: string; readonly stderr: string }
  /** Resolves when the process has exited and its pipes are closed. */
  readonly done: Effect.Effect<Result>
}

/**
 * Starts `edgesync ARGS` in `cwd` when the effect runs. The process is SIGKILLed when the scope closes
 * if it is still running, so a failing test leaves nothing behind.
 */
export const start = (
  cwd: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {}
): Effect.Effect<Child, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
      child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
      const closed = new Promise<Result>((resolve) =>
        child.on("close", (code, signal) => resolve({ code, signal, stdout: plain(stdout), stderr: plain(stderr) }))
      )
      return {
        process: child,
        output: () => ({ stdout: plain(stdout), stderr: plain(stderr) }),
        done: Effect.promise(() => closed)
      } satisfies Child
    }),
    (child) => Effect.sync(() => void (child.process.exitCode === null && child.process.signalCode === null && child.process.kill("SIGKILL")))
  )

/** Runs `edgesync ARGS` in `cwd` to completion. */
export const run = (cwd: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
  Effect.scoped(Effect.flatMap(start(cwd, args, env), (child) => child.done))

const poll = <E, R>(check: Effect.Effect<boolean, E, R>): Effect.Effect<void, E, R> =>
  Effect.flatMap(check, (ok) => (ok ? Effect.void : Effect.zipRight(Effect.sleep("100 millis"), poll(check))))

/**
 * Polls `check` every 100 ms until it yields true. After `patience` (default 90 s: generous, for a busy
 * machine; this bounds a hang, it is not a timing assertion) the test fails with `describe()`, which
 * should say what was awaited and what the processes printed.
 */
export const until = <E, R>(
  check: Effect.Effect<boolean, E, R>,
  describe: () => string = () => "a condition",
  patience: Duration.DurationInput = "90 seconds"
): Effect.Effect<void, never, R> =>
  poll(check).pipe(
    Effect.timeoutFail({ duration: patience, onTimeout: () => new Error(`gave up waiting for ${describe()}`) }),
    Effect.orDie
  )

/** Waits until the child's stdout or stderr matches, or fails the test if it exits first. */
export const untilOutput = (child: Child, pattern: RegExp) =>
  until(
    Effect.suspend(() => {
    const { stdout, stderr } = child.output()
    if (pattern.test(stdout) || pattern.test(stderr)) return Effect.succeed(true)
    if (child.process.exitCode !== null) {
      return Effect.dieMessage(`edgesync exited ${child.process.exitCode} before printing ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`)
    }
    return Effect.succeed(false)
  }),
    () => `${pattern} from edgesync ${child.process.spawnargs.slice(2).join(" ")}\nstdout: ${child.output().stdout}\nstderr: ${child.output().stderr}`
  )

export const describeResult = (what: string, result: Result) =>
  `${what}: exit ${result.code}${result.signal === null ? "" : ` (${result.signal})`}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`

/** A temporary working directory, removed with its scope. */
export const workDir: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-rel-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

export const writeConfig = (dir: string, config: object, name = "edgesync.config.json") =>
  Effect.promise(() => fs.writeFile(path.join(dir, name), JSON.stringify(config, null, 2)))

/** A mysql2 connection (the test's own, for arranging and checking), closed with its scope. */
export const connection = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const mysql = await import("mysql2/promise")
      const u = new URL(url)
      const database = decodeURIComponent(u.pathname.replace(/^\/+/, ""))
      return mysql.createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username || "root"),
        password: decodeURIComponent(u.password),
        ...(database === "" ? {} : { database })
      })
    }),
    (c) => Effect.promise(() => c.end())
  )

export type Connection = Effect.Effect.Success<ReturnType<typeof connection>>

export const query = <A = Record<string, unknown>>(c: Connection, text: string, params: ReadonlyArray<unknown> = []) =>
  Effect.promise(() => c.query(text, params as Array<unknown>)).pipe(Effect.map(([rows]) => rows as unknown as ReadonlyArray<A>))

/** Migrates the Edge database at `url` (edge tables and edgesync's state tables) and adds retail store 1 and licensed web store 98. */
export const prepareEdge = (url: string) =>
  Effect.scoped(Effect.gen(function*() {
    const config = yield* fromUrl(url, { changeSettleMillis: 0 })
    const edge = yield* Layer.build(edgeLayer(config))
    yield* Effect.provide(migrate, edge)
    const c = yield* connection(url)
    yield* query(c, "INSERT INTO stores (store_no, name, kind, licensed) VALUES (1, 'Main Street', 'retail', 1), (98, 'Web store', 'web', 1)")
  })).pipe(Effect.orDie)
