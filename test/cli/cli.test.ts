// The `edgesync` command end to end, as a user types it: `node bin/edgesync.js ...` in a fresh working
// directory with its own config file, checking output and exit codes.
import { describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { assert } from "vitest"

const bin = path.resolve(import.meta.dirname, "../../bin/edgesync.js")
const plugin = path.resolve(import.meta.dirname, "../plugin/greeter.ts")

interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

// The children get a clean environment: nothing of the developer's EDGESYNC_* or connector settings.
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_|GREETER_)/.test(key))
)

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")

const running = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  spawn(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] })

const collect = (child: ReturnType<typeof running>, onOutput?: (stdout: string, stderr: string) => void) =>
  Effect.async<Result>((resume) => {
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      onOutput?.(stdout, stderr)
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
      onOutput?.(stdout, stderr)
    })
    child.on("close", (code) => resume(Effect.succeed({ code, stdout: plain(stdout), stderr: plain(stderr) })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** Runs `edgesync ARGS` in `cwd` to completion (spawned when the effect runs, not when it is built). */
const edgesync = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.suspend(() => collect(running(cwd, ["--log-level", "warning", ...args], env)))

const workDir = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-cli-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

const write = (dir: string, name: string, content: string | object) =>
  Effect.promise(() => fs.writeFile(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2)))
const read = (dir: string, name: string) => Effect.promise(() => fs.readFile(path.join(dir, name), "utf8").catch(() => ""))

const expectCode = (result: Result, code: number, what: string) =>
  assert.strictEqual(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)

// Each command is a fresh Node process compiling TypeScript through tsx: seconds each, more on a busy machine.
const slow = 600_000

// The tests use separate working directories, so they run side by side: most of their time is process start-up.
describe.concurrent("edgesync CLI", () => {
  it.scoped("--help teaches every command, with examples", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      const [root, run] = yield* Effect.all([
        edgesync(dir, ["--help"]),
        edgesync(dir, ["dead-letters", "--help"])
      ], { concurrency: "unbounded" })
      expectCode(root, 0, "--help")
      for (const text of ["pipelines", "connectors", "run", "status", "dead-letters", "reset", "--config", "--log-format", "Examples:", "Exit codes"]) {
        assert.include(root.stdout, text)
      }
      for (const text of ["run [--dry-run] [--limit integer] [--every text] --option text... [--wait] <pipeline>", "status [--runs integer] [<pipeline>]"]) {
        assert.include(root.stdout, text)
      }
      expectCode(run, 0, "dead-letters --help")
      for (const text of ["list     list dead letters", "retry    push dead letters through the pipeline again", "edgesync dead-letters show --id 3"]) {
        assert.include(run.stdout, text)
      }
    }), slow)

  it.scoped("runs a file pipeline: dry run, limit, status, and dead letters listed, shown and discarded", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      yield* write(dir, "customers.csv", "id,name,email\r\n1,Ann,ann@example.com\r\n2,\"Lee, Bo\",bo@example.com\r\n3,broken\r\n4,Zoë,zoe@example.com\r\n")
      yield* write(dir, "edgesync.config.json", { "file-csv-to-jsonl": { input: "customers.csv", output: "customers.jsonl" } })

      const dry = yield* edgesync(dir, ["run", "file-csv-to-jsonl", "--dry-run"])
      expectCode(dry, 0, "dry run")
      assert.include(dry.stdout, "(dry run, nothing written)")
      assert.include(dry.stdout, "read 4, would write 3, skipped 0, dead-lettered 1")
      assert.include(dry.stdout, "line 5: appended")
      assert.include(dry.stdout, "would dead-letter:")
      assert.strictEqual(yield* read(dir, "customers.jsonl"), "")

      const limited = yield* edgesync(dir, ["run", "file-csv-to-jsonl", "--limit", "2"])
      expectCode(limited, 0, "run --limit 2")
      assert.include(limited.stdout, "read 2, written 2")
      const rest = yield* edgesync(dir, ["run", "file-csv-to-jsonl", "--log-format", "json", "--log-level", "info"])
      expectCode(rest, 0, "run")
      assert.include(rest.stdout, "read 2, written 1, skipped 0, dead-lettered 1")
      assert.include(rest.stdout, "see them with: edgesync dead-letters list file-csv-to-jsonl")
      const logLines = rest.stderr.trim().split("\n").map((line) => JSON.parse(line) as { readonly message: unknown; readonly logLevel: string })
      assert.isTrue(logLines.some((l) => String(l.message).startsWith("Resuming file.csv-source")), rest.stderr)
      const records = (yield* read(dir, "customers.jsonl")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>)
      assert.deepStrictEqual(records.map((r) => r.name), ["Ann", "Lee, Bo", "Zoë"])

      const list = yield* edgesync(dir, ["dead-letters", "list"])
      expectCode(list, 0, "dead-letters list")
      assert.match(list.stdout, /1 +file-csv-to-jsonl +pending +file\.parse-csv +line 4 +FileError/)
      const show = yield* edgesync(dir, ["dead-letters", "show", "--id", "1"])
      expectCode(show, 0, "dead-letters show")
      assert.include(show.stdout, "the row has 2 fields, the header has 3")
      assert.include(show.stdout, "\"broken\"")
      const discard = yield* edgesync(dir, ["dead-letters", "discard", "file-csv-to-jsonl", "--id", "1"])
      expectCode(discard, 0, "dead-letters discard")
      assert.include(discard.stdout, "Discarded 1 dead letter of file-csv-to-jsonl.")

      const status = yield* edgesync(dir, ["status", "file-csv-to-jsonl"])
      expectCode(status, 0, "status")
      assert.include(status.stdout, "dead letters: 0 pending, 0 replayed, 1 discarded")
      assert.match(status.stdout, /checkpoint: +\{"file":".*customers\.csv","offset":\d+,"line":6\}/)
      assert.match(status.stdout, /succeeded [\d.]+s  read 2, written 1, skipped 0, dead-lettered 1 \[appended 1\]/)
      assert.include(status.stdout, "(dry run)")
    }), slow)

  it.scoped("a plugin named in the config file is listed and runs; a refused record, once fixed, lands once on retry", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      yield* write(dir, "people.jsonl", "{\"id\":\"1\",\"name\":\"Ann\"}\n{\"id\":\"2\",\"name\":\"Carol\"}\n{\"id\":\"3\",\"name\":\"Bob\"}\n")
      const config = (refuse: ReadonlyArray<string>) => ({
        plugins: [path.relative(dir, plugin)],
        greeter: { output: "greetings.txt", refuse },
        "greet-people": { input: "people.jsonl" }
      })
      yield* write(dir, "edgesync.config.json", config(["Carol"]))

      const [pipelines, connectors] = yield* Effect.all([edgesync(dir, ["pipelines"]), edgesync(dir, ["connectors"])], { concurrency: "unbounded" })
      expectCode(pipelines, 0, "pipelines")
      assert.include(pipelines.stdout, "input   string, required. the CSV file to read")
      assert.include(pipelines.stdout, "greet-people (plugin ")
      assert.include(pipelines.stdout, "connectors: file, greeter")
      expectCode(connectors, 0, "connectors")
      assert.include(connectors.stdout, "GREETER_GREETING -> greeter.greeting")
      assert.include(connectors.stdout, "refuse    list of string, default []. names the greeter refuses to greet")

      const run = yield* edgesync(dir, ["run", "greet-people"], { GREETER_GREETING: "Hi" })
      expectCode(run, 0, "run greet-people")
      assert.include(run.stdout, "read 3, written 2, skipped 0, dead-lettered 1")
      assert.strictEqual(yield* read(dir, "greetings.txt"), "Hi, Ann!\nHi, Bob!\n")
      yield* write(dir, "edgesync.config.json", config([]))
      const retry = yield* edgesync(dir, ["dead-letters", "retry", "greet-people"])
      expectCode(retry, 0, "retry")
      assert.include(retry.stdout, "read 1, written 1, skipped 0, dead-lettered 0")
      const again = yield* edgesync(dir, ["dead-letters", "retry", "greet-people"])
      expectCode(again, 0, "second retry")
      assert.include(again.stdout, "read 0, written 0")
      assert.strictEqual(yield* read(dir, "greetings.txt"), "Hi, Ann!\nHi, Bob!\nHello, Carol!\n")
      const status = yield* edgesync(dir, ["status", "greet-people"])
      assert.include(status.stdout, "dead letters: 0 pending, 1 replayed, 0 discarded")
      assert.include(status.stdout, "read 3, written 2, skipped 0, dead-lettered 1 [greeted 2]")
    }), slow)

  it.scoped("bad usage and bad configuration exit 2 with a message naming the problem", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      const badValue = path.join(dir, "bad-value")
      const malformed = path.join(dir, "malformed")
      const secret = path.join(dir, "secret")
      for (const sub of [badValue, malformed, secret]) yield* Effect.promise(() => fs.mkdir(sub))
      yield* write(badValue, "edgesync.config.json", { file: { directory: 42 } })
      yield* write(malformed, "edgesync.config.json", "{\n  \"file\": {\n    \"directory\": \".\",\n  }\n}\n")
      yield* write(secret, "edgesync.config.json", { state: { database: "postgres://admin:hunter2@db/state" } })
      const options = ["--option", "input=a.csv", "--option", "output=b.jsonl"]
      const [value, json, missing, unknown, usage, option, database] = yield* Effect.all([
        edgesync(badValue, ["run", "file-csv-to-jsonl", ...options]),
        edgesync(malformed, ["pipelines"]),
        edgesync(dir, ["--config", "nowhere.json", "pipelines"]),
        edgesync(dir, ["run", "no-such-pipeline"]),
        edgesync(dir, ["run", "file-csv-to-jsonl", "--limit", "many"]),
        edgesync(dir, ["run", "file-csv-to-jsonl", ...options, "--option", "colour=blue"]),
        edgesync(secret, ["status"])
      ], { concurrency: 3 })
      expectCode(value, 2, "bad value")
      assert.include(value.stderr, "Invalid configuration \"file.directory\" (got 42): expected a string")
      expectCode(json, 2, "malformed JSON")
      assert.include(json.stderr, "edgesync.config.json: malformed JSON at line 4, column 3")
      expectCode(missing, 2, "missing --config file")
      assert.include(missing.stderr, "nowhere.json: --config names a file that does not exist")
      expectCode(unknown, 2, "unknown pipeline")
      assert.include(unknown.stderr, "No pipeline named \"no-such-pipeline\". Known: file-jsonl-to-csv, file-csv-to-jsonl")
      expectCode(usage, 2, "bad flag value")
      assert.include(usage.stderr, "many")
      expectCode(option, 2, "unknown option")
      assert.include(option.stderr, "\"file-csv-to-jsonl.colour\" (got unknown key \"colour\"): expected one of the known keys: input, output")
      expectCode(database, 2, "bad state database")
      assert.include(database.stderr, "state.database")
      assert.notInclude(database.stderr + database.stdout, "hunter2")
    }), slow)

  it.scoped("--every keeps running through a failed run until SIGINT, which exits 130 with a clear message", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      yield* write(dir, "edgesync.config.json", { "file-jsonl-to-csv": { input: "later.jsonl", output: "out.csv" } })
      const child = running(dir, ["--log-level", "warning", "run", "file-jsonl-to-csv", "--every", "1s"])
      let stopped = false
      const result = yield* collect(child, (_, stderr) => {
        // Two failed runs (the input does not exist yet) prove the schedule survives a failure.
        if (!stopped && (stderr.match(/does not exist \(the schedule goes on\)/g) ?? []).length >= 2) {
          stopped = true
          child.kill("SIGINT")
        }
      })
      expectCode(result, 130, "interrupted schedule")
      assert.include(result.stdout, "Running file-jsonl-to-csv every 1s until stopped (Ctrl-C).")
      assert.include(result.stdout, "Next run of file-jsonl-to-csv at")
      assert.include(result.stderr, "edgesync: interrupted")
    }), slow)
})
