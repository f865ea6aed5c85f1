// Hostile configuration and state through the real CLI (issue 6 §3): broken config files exit 2 with a
// message naming the problem, before anything runs; a checkpoint that no longer decodes fails the run
// (exit 1) naming the pipeline and the command that fixes it, and after `edgesync reset` the pipeline
// runs again without doubling anything.
import { describe, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { assert } from "vitest"
import * as H from "../../mission/support/MissionHarness.js"
import * as Store from "../../mission/support/ShopifyStore.js"
import * as X from "./support/Hostile.js"

const bin = path.resolve(import.meta.dirname, "../../../bin/edgesync.js")

interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

// A clean environment: nothing of the developer's edgesync or connector settings.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_)/.test(key)))

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")

/** Runs `edgesync ARGS` in `cwd` to completion. */
const edgesync = (cwd: string, args: ReadonlyArray<string>) =>
  Effect.async<Result>((resume) => {
    const child = spawn(process.execPath, [bin, "--log-level", "warning", ...args], { cwd, env: baseEnv, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.on("close", (code) => resume(Effect.succeed({ code, stdout: plain(stdout), stderr: plain(stderr) })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const workDir = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-hostile-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

const expectCode = (result: Result, code: number, what: string) =>
  assert.strictEqual(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)

interface ConfigCase {
  readonly name: string
  /** The config file's bytes. */
  readonly content: string | Buffer
  /** Words the message must have (what is wrong, and where). */
  readonly says: ReadonlyArray<string>
}

// The pipeline's own options are valid in every case, so the hostile part is all that is wrong.
const options = { "file-csv-to-jsonl": { input: "in.csv", output: "out.jsonl" } }
const withOptions = (config: object) => JSON.stringify({ ...options, ...config })

const configCases: ReadonlyArray<ConfigCase> = [
  { name: "a truncated file", content: "{\n  \"run\": { \"batchSize\": 20", says: ["edgesync.config.json", "malformed JSON", "line 2"] },
  { name: "not JSON at all (binary)", content: Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x00]), says: ["edgesync.config.json", "malformed JSON"] },
  { name: "a JSON array instead of an object", content: "[1, 2, 3]", says: ["edgesync.config.json"] },
  { name: "a section of the wrong type", content: withOptions({ run: "fast" }), says: ["run", "fast"] },
  { name: "a negative batch size", content: withOptions({ run: { batchSize: -5 } }), says: ["run.batchSize", "-5"] },
  { name: "a misspelt section", content: withOptions({ shopfiy: { store: "x" } }), says: ["shopfiy"] },
  { name: "a sync option of the wrong type", content: JSON.stringify({ sync: { webStore: "ninety-eight" } }), says: ["webStore", "ninety-eight"] }
]

// Each command is a fresh Node process compiling TypeScript through tsx: seconds each on a busy machine.
const slow = 300_000

// The tests use separate working directories and databases, so they run side by side: most of their time
// is process start-up.
describe.concurrent("edgesync CLI: hostile configuration and state", () => {
  it.scoped("every broken config file exits 2 with a message naming the problem; nothing runs", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      const results = yield* Effect.forEach(configCases, (c, i) =>
        Effect.gen(function*() {
          const sub = path.join(dir, `case${i}`)
          yield* Effect.promise(() => fs.mkdir(sub))
          yield* Effect.promise(() => fs.writeFile(path.join(sub, "edgesync.config.json"), c.content))
          // A mission pipeline for the sync option, a file pipeline for the rest: neither may start.
          const pipeline = c.name.startsWith("a sync option") ? "web-sales-to-edge" : "file-csv-to-jsonl"
          return [c, sub, yield* edgesync(sub, ["run", pipeline])] as const
        }), { concurrency: 4 })
      for (const [c, sub, result] of results) {
        expectCode(result, 2, c.name)
        for (const words of c.says) assert.include(result.stderr, words, `${c.name}: ${result.stderr}`)
        assert.notInclude(result.stderr, "    at ", `${c.name}: no stack trace`)
        // Nothing ran: no state store was created.
        const entries = yield* Effect.promise(() => fs.readdir(sub))
        assert.deepStrictEqual(entries, ["edgesync.config.json"], `${c.name}: nothing written`)
      }
    }), slow)

  it.scoped("a checkpoint that does not decode fails the run naming the pipeline and `edgesync reset`; after the reset nothing is doubled", () =>
    Effect.gen(function*() {
      const dir = yield* workDir
      yield* Effect.promise(() => fs.writeFile(path.join(dir, "people.csv"), "id,name\n1,Ann\n2,Bo\n"))
      yield* Effect.promise(() =>
        fs.writeFile(path.join(dir, "edgesync.config.json"), JSON.stringify({ "file-csv-to-jsonl": { input: "people.csv", output: "people.jsonl" } }))
      )
      expectCode(yield* edgesync(dir, ["run", "file-csv-to-jsonl"]), 0, "first run")
      // The checkpoint row as a crash, a hand edit or an older version could leave it.
      const db = new Database(path.join(dir, ".edgesync", "state.db"))
      const changed = db.prepare("UPDATE edgesync_checkpoints SET cursor_json = ? WHERE pipeline = ?").run("{\"offset\": \"not-a-number\", \u0000", "file-csv-to-jsonl")
      db.close()
      assert.strictEqual(changed.changes, 1)

      const broken = yield* edgesync(dir, ["run", "file-csv-to-jsonl"])
      expectCode(broken, 1, "run on a corrupt checkpoint")
      const said = broken.stdout + broken.stderr
      // It names the pipeline, what is wrong, the command that fixes it, and what re-reading means here.
      for (const words of ["file-csv-to-jsonl", "checkpoint", "edgesync reset file-csv-to-jsonl", "appends those records again"]) {
        assert.include(said, words)
      }
      assert.notInclude(said, "    at ", "no stack trace")
      assert.strictEqual(yield* Effect.promise(() => fs.readFile(path.join(dir, "people.jsonl"), "utf8")), "{\"id\":\"1\",\"name\":\"Ann\"}\n{\"id\":\"2\",\"name\":\"Bo\"}\n", "output untouched")

      expectCode(yield* edgesync(dir, ["reset", "file-csv-to-jsonl"]), 0, "reset")
      // The file sink appends (the message said so): start from a clean output, as the README's reset says.
      yield* Effect.promise(() => fs.rm(path.join(dir, "people.jsonl")))
      expectCode(yield* edgesync(dir, ["run", "file-csv-to-jsonl"]), 0, "run after reset")
      assert.strictEqual(yield* Effect.promise(() => fs.readFile(path.join(dir, "people.jsonl"), "utf8")), "{\"id\":\"1\",\"name\":\"Ann\"}\n{\"id\":\"2\",\"name\":\"Bo\"}\n")
      expectCode(yield* edgesync(dir, ["run", "file-csv-to-jsonl"]), 0, "run again")
      assert.strictEqual(yield* Effect.promise(() => fs.readFile(path.join(dir, "people.jsonl"), "utf8")), "{\"id\":\"1\",\"name\":\"Ann\"}\n{\"id\":\"2\",\"name\":\"Bo\"}\n", "nothing doubled")
    }), slow)

  it.scopedLive("`dead-letters list` and `show` give the reason; `dead-letters retry` after the fix lands the order once", () =>
    Effect.gen(function*() {
      const m = yield* H.mission(yield* H.mariadbUrl)
      const dir = yield* workDir
      yield* Effect.promise(() =>
        fs.writeFile(
          path.join(dir, "edgesync.config.json"),
          JSON.stringify({ edge: { database: m.databaseUrl, changeSettleMillis: 0 }, shopify: { store: m.emulator.url, accessToken: m.emulator.token } })
        )
      )
      const buyer = yield* Store.createCustomer(m.admin, { firstName: "F".repeat(120), lastName: "Long", email: "long.cli@example.com" })
      const order = yield* Store.createOrder(m.admin, { customerId: buyer, lines: [{ sku: "RING-1", title: "Ring", quantity: 1, price: "10.00" }] })
      const run = yield* Effect.orDie(m.run("web-sales-to-edge"))
      X.accountedFor(run, "run")
      const letter = X.deadLetterFor(yield* X.deadLetters(m, "web-sales-to-edge"), order.id, "long name")

      const [list, show] = yield* Effect.all([
        edgesync(dir, ["dead-letters", "list", "web-sales-to-edge"]),
        edgesync(dir, ["dead-letters", "show", "--id", String(letter.id)])
      ], { concurrency: 2 })
      expectCode(list, 0, "list")
      expectCode(show, 0, "show")
      // The whole order GID and the start of the reason, on one line.
      assert.match(list.stdout, new RegExp(`${order.id}\\s+EdgeRecordError\\s+1\\s+edge.customers refused .*first_name is 120 characters long`))
      assert.include(show.stdout, "first_name is 120 characters long; the column holds 100")
      assert.include(show.stdout, order.id)

      yield* H.insertCustomer(m, { first_name: "Fran", last_name: "Long", email: "long.cli@example.com" })
      const retry = yield* edgesync(dir, ["dead-letters", "retry", "web-sales-to-edge"])
      expectCode(retry, 0, "retry")
      const after = yield* X.deadLetters(m, "web-sales-to-edge")
      assert.deepStrictEqual(after.map((l) => l.status), ["replayed"])
      const again = yield* X.replay(m, "web-sales-to-edge", "all")
      X.accountedFor(again, "second retry")
      assert.strictEqual(again.counts.read, 0, "nothing pending")
      const sales = yield* m.sql<{ readonly n: number }>("SELECT COUNT(*) AS n FROM sales WHERE shopify_order_id = ?", [order.id])
      assert.strictEqual(Number(sales[0]?.n), 1, "landed once")
    }), slow)
})
