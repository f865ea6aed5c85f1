// Issue 6 §5, over the real CLI: the Shopify access token and the database password never appear in
// any output (every command, succeeding and failing, at log level `all`, pretty and json), in the state
// tables or in the rows edgesync writes; files edgesync creates are readable by their owner only.
//
// The secrets are random and distinctive, so finding one (or its URL-encoded or base64 form, or its
// random core alone, which catches a clipped or re-encoded copy) anywhere is a leak, never a coincidence.
// The database password belongs to a MariaDB user made for the test, so every connection really uses it,
// given three ways: the config file's `edge.password`, EDGE_DATABASE_PASSWORD, and the URL form
// `mysql://user:PASSWORD@host/db`. Wrong secrets are distinctive too and must not leak either.
import { describe, it } from "@effect/vitest"
import { Effect, HashMap, Ref } from "effect"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { assert } from "vitest"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import { freshDatabase, serverUrl } from "../../support/MariaDb.js"
import * as Cli from "../support/CliChild.js"

const slow = 900_000

const hex = () => randomBytes(8).toString("hex")

interface Secret {
  readonly name: string
  readonly value: string
  /** The random part alone: a copy that was clipped, quoted or re-encoded still contains it. */
  readonly core: string
}

const secret = (name: string, make: (core: string) => string): Secret => {
  const core = hex()
  return { name, value: make(core), core }
}

// URL-special characters on purpose: the URL form must encode them and nothing may print either form.
const password = secret("database password", (core) => `h5:Pw/${core}@+%&`)
const wrongPassword = secret("wrong database password", (core) => `h5:Wrong/${core}@!`)
const token = secret("Shopify access token", (core) => `shpat_h5${core}0000000000000000`)
const wrongToken = secret("wrong Shopify access token", (core) => `shpat_h5wrong${core}00000000`)
const secrets = [password, wrongPassword, token, wrongToken]

const forms = (s: Secret): ReadonlyArray<string> => [
  s.value,
  encodeURIComponent(s.value),
  encodeURI(s.value),
  Buffer.from(s.value).toString("base64"),
  s.core
]

/** Every place a secret shows up in `text`, as "secret name (form) in where: …context…". */
const leaks = (where: string, text: string): ReadonlyArray<string> =>
  secrets.flatMap((s) =>
    forms(s).flatMap((form) => {
      const at = text.indexOf(form)
      return at < 0 ? [] : [`${s.name} (as ${JSON.stringify(form)}) in ${where}: …${text.slice(Math.max(0, at - 120), at + form.length + 40)}…`]
    })
  )

interface Logged {
  readonly label: string
  readonly result: Cli.Result
}

describe.concurrent("secrets never leak (real CLI)", () => {
  it.scopedLive("every command, in both log formats at level all, with good and bad secrets: no token or password in output or tables", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase("secrets")
      const database = new URL(url).pathname.slice(1)
      const server = new URL(serverUrl())
      const user = `h5_${hex().slice(0, 8)}`
      const admin = yield* Cli.connection(serverUrl())
      for (const host of ["%", "localhost", "127.0.0.1"]) {
        yield* Cli.query(admin, "CREATE USER ?@? IDENTIFIED BY ?", [user, host, password.value])
        yield* Cli.query(admin, `GRANT ALL PRIVILEGES ON \`${database}\`.* TO ?@?`, [user, host])
      }
      yield* Effect.addFinalizer(() =>
        Effect.forEach(["%", "localhost", "127.0.0.1"], (host) => Cli.query(admin, "DROP USER IF EXISTS ?@?", [user, host]))
      )

      const emulator = yield* ShopifyEmulator.start({ seed: 23, token: token.value, seedCustomers: 12, seedOrders: 15 }).pipe(Effect.orDie)
      const hostPort = `${server.hostname}:${server.port}`
      const plainUrl = `mysql://${user}@${hostPort}/${database}`
      const common = {
        run: { batchSize: 10, batchWindow: "20ms" },
        sync: { sendInviteOnUpload: true }
      }
      const edge = { changeSettleMillis: 0 }
      const shopify = { store: emulator.url, maxRetries: 2 }

      // Workspaces: the same store and database reached with the secrets given in different ways.
      const workspace = (config: object) =>
        Effect.gen(function*() {
          const dir = yield* Cli.workDir
          yield* Cli.writeConfig(dir, config)
          return dir
        })
      const inFile = yield* workspace({
        ...common,
        edge: { ...edge, database: plainUrl, password: password.value },
        shopify: { ...shopify, accessToken: token.value }
      })
      const inEnv = yield* workspace({ ...common, edge, shopify })
      const envSecrets = { EDGE_DATABASE_URL: plainUrl, EDGE_DATABASE_PASSWORD: password.value, SHOPIFY_ACCESS_TOKEN: token.value }
      const inUrl = yield* workspace({
        ...common,
        edge: { ...edge, database: `mysql://${user}:${encodeURIComponent(password.value)}@${hostPort}/${database}` },
        shopify
      })
      const urlEnv = { SHOPIFY_ACCESS_TOKEN: token.value }
      const badToken = yield* workspace({
        ...common,
        edge: { ...edge, database: plainUrl, password: password.value },
        shopify: { ...shopify, accessToken: wrongToken.value }
      })
      const badPassword = yield* workspace({
        ...common,
        edge: { ...edge, database: plainUrl, password: wrongPassword.value },
        shopify: { ...shopify, accessToken: token.value }
      })
      const badPasswordInUrl = yield* workspace({
        ...common,
        edge: { ...edge, database: `mysql://${user}:${encodeURIComponent(wrongPassword.value)}@${hostPort}/${database}` },
        shopify: { ...shopify, accessToken: token.value }
      })

      const logged: Array<Logged> = []
      const formats = ["pretty", "json"] as const
      /** Runs `edgesync ARGS` at log level all in `format`, keeps its output for the leak scan. */
      const cli = (label: string, dir: string, format: "pretty" | "json", args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
        Effect.map(Cli.run(dir, ["--log-level", "all", "--log-format", format, ...args], env), (result) => {
          logged.push({ label: `${label} [${format}]`, result })
          return result
        })
      const both = (label: string, dir: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
        Effect.all(formats.map((f) => cli(label, dir, f, args, env)), { concurrency: 2 })
      const expectCode = (result: Cli.Result, code: number, what: string) =>
        assert.strictEqual(result.code, code, Cli.describeResult(what, result))

      // 1. Set up through the CLI itself: migrate (again: idempotent), seed (again: refused, not empty).
      expectCode(yield* cli("edge migrate", inFile, "pretty", ["edge", "migrate"]), 0, "edge migrate")
      expectCode(yield* cli("edge migrate again", inEnv, "json", ["edge", "migrate"], envSecrets), 0, "edge migrate again")
      const seeded = yield* cli("edge seed", inUrl, "pretty", ["edge", "seed", "--seed", "5", "--customers", "40", "--sales", "30", "--web-upload-share", "0.2"], urlEnv)
      expectCode(seeded, 0, "edge seed")
      yield* cli("edge seed again", inFile, "json", ["edge", "seed", "--seed", "5", "--customers", "40"])
      const db = yield* Cli.connection(url)
      // A customer Shopify refuses (a malformed email): a dead letter to list and show.
      yield* Cli.query(db, "INSERT INTO customers (first_name, last_name, email, web_upload) VALUES ('Refused', 'Email', 'not an email', 1)")

      // 2. Everything that reads, plans or fails, side by side.
      const runs = ["customers-to-shopify", "web-sales-to-edge", "customers-from-shopify", "all"]
      const [checks, failures] = yield* Effect.all([
        Effect.all([
          both("pipelines", inFile, ["pipelines"]),
          both("connectors", inEnv, ["connectors"], envSecrets),
          both("shopify check", inFile, ["shopify", "check"]),
          both("status", inUrl, ["status"], urlEnv),
          both("edge reindex", inEnv, ["edge", "reindex"], envSecrets),
          ...runs.map((p) => both(`run ${p} --dry-run`, inFile, ["run", p, "--dry-run"]))
        ], { concurrency: 2 }),
        Effect.all([
          cli("run web-sales-to-edge with a wrong token", badToken, "json", ["run", "web-sales-to-edge"]),
          cli("shopify check with a wrong token", badToken, "pretty", ["shopify", "check"]),
          cli("run customers-to-shopify with a wrong password", badPassword, "pretty", ["run", "customers-to-shopify"]),
          cli("status with a wrong password", badPassword, "json", ["status"]),
          cli("run all with a wrong password in the URL", badPasswordInUrl, "pretty", ["run", "all"]),
          cli("edge migrate with a wrong password in the URL", badPasswordInUrl, "json", ["edge", "migrate"]),
          cli("run all with a wrong token", badToken, "pretty", ["run", "all"]),
          cli("edge migrate with a wrong password", badPassword, "pretty", ["edge", "migrate"])
        ], { concurrency: 2 })
      ], { concurrency: 2 })
      for (const [result] of checks) expectCode(result!, 0, "reading commands and dry runs")
      const [wrongTokenRun, wrongTokenCheck, wrongPasswordRun, wrongPasswordStatus] = failures
      expectCode(wrongTokenRun!, 1, "run with a wrong token")
      expectCode(wrongTokenCheck!, 1, "shopify check with a wrong token")
      expectCode(wrongPasswordRun!, 1, "run with a wrong password")
      assert.match(wrongPasswordRun!.stderr, /denied|password|authenticat/i, "the failure says what is wrong")
      expectCode(wrongPasswordStatus!, 0, "status with a wrong password (it reports each state store it cannot open)")
      assert.include(wrongPasswordStatus!.stdout, "cannot open the edge database")
      assert.include(wrongPasswordStatus!.stdout, "refused the credentials")
      const counters = yield* Ref.get(emulator.state.counters)
      assert.isAbove(counters.unauthorized, 0, "the emulator refused the wrong token with 401")

      // 3. Real runs, each way of giving the secrets; --wait queues them behind each other's locks.
      const [toShopify, sales, fromShopify] = yield* Effect.all([
        cli("run customers-to-shopify", inFile, "pretty", ["run", "customers-to-shopify", "--wait"]),
        cli("run web-sales-to-edge", inEnv, "json", ["run", "web-sales-to-edge", "--wait"], envSecrets),
        cli("run customers-from-shopify", inUrl, "pretty", ["run", "customers-from-shopify", "--wait"], urlEnv)
      ], { concurrency: 3 })
      expectCode(toShopify!, 0, "run customers-to-shopify")
      assert.include(toShopify!.stdout, "dead-lettered 1", "the refused customer is dead-lettered")
      expectCode(sales!, 0, "run web-sales-to-edge")
      assert.include(sales!.stdout, "read 15, written 15")
      expectCode(fromShopify!, 0, "run customers-from-shopify")
      yield* Effect.all([
        cli("run all", inUrl, "json", ["run", "all", "--wait"], urlEnv),
        cli("run all", inFile, "pretty", ["run", "all", "--wait"])
      ], { concurrency: 2 })

      // 4. The operator commands over what the runs recorded.
      const letters = yield* Cli.query<{ readonly id: number }>(db, "SELECT id FROM edgesync_dead_letters ORDER BY id")
      assert.isAbove(letters.length, 0, "a dead letter to show")
      const uploaded = yield* Cli.query<{ readonly customer_id: number; readonly shopify_customer_id: string }>(
        db,
        "SELECT customer_id, shopify_customer_id FROM customer_web_links ORDER BY customer_id LIMIT 1"
      )
      const plainCustomer = yield* Cli.query<{ readonly customer_id: number }>(
        db,
        "SELECT customer_id FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM customer_web_links) ORDER BY customer_id LIMIT 2"
      )
      const linked = uploaded[0]!
      yield* Effect.all([
        both("status after runs", inFile, ["status", "--runs", "20"]),
        both("dead-letters list", inEnv, ["dead-letters", "list", "--status", "all"], envSecrets),
        both("dead-letters show", inUrl, ["dead-letters", "show", "--id", String(letters[0]!.id)], urlEnv),
        both("matches", inFile, ["matches", "--limit", "50"]),
        cli("dead-letters retry", inFile, "json", ["dead-letters", "retry", "customers-to-shopify", "--wait"]),
        cli("customers assign-web-upload --ids", inFile, "pretty", ["customers", "assign-web-upload", "--ids", String(plainCustomer[0]!.customer_id), "--yes"]),
        cli("customers assign-web-upload --top", inEnv, "json", ["customers", "assign-web-upload", "--top", "2", "--yes"], envSecrets),
        cli("customers unlink", inUrl, "json", ["customers", "unlink", String(linked.customer_id)], urlEnv),
        cli("customers link (a GID Shopify does not have)", inFile, "pretty", ["customers", "link", String(plainCustomer[1]!.customer_id), "gid://shopify/Customer/1"])
      ], { concurrency: 4 })
      yield* Effect.all([
        cli("customers link", inFile, "json", ["customers", "link", String(linked.customer_id), linked.shopify_customer_id]),
        cli("matches --ambiguous", inEnv, "pretty", ["matches", "--ambiguous", "--since", "1d"], envSecrets)
      ], { concurrency: 2 })

      // 5. Crash output: a run killed mid-transaction, one stopped by SIGTERM, one against a failing store.
      const blocker = yield* Cli.connection(url)
      yield* Cli.query(db, "UPDATE customers SET web_upload = 1 WHERE customer_id IN (SELECT customer_id FROM (SELECT customer_id FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM customer_web_links) ORDER BY customer_id LIMIT 5) x)")
      yield* Cli.query(blocker, "LOCK TABLES customer_web_links WRITE")
      const killed = yield* Cli.start(inFile, ["--log-level", "all", "--log-format", "json", "run", "customers-to-shopify"])
      yield* Cli.until(
        Effect.map(
          Cli.query<{ readonly pid: number }>(db, "SELECT pid FROM edgesync_locks WHERE pipeline = 'customers-to-shopify'"),
          (rows) => rows[0]?.pid === killed.process.pid
        ),
        () => `the lock of customers-to-shopify\n${JSON.stringify(killed.output())}`
      )
      const terminated = yield* Cli.start(inEnv, ["--log-level", "all", "--log-format", "pretty", "run", "customers-to-shopify", "--wait"], envSecrets)
      yield* Cli.untilOutput(terminated, /Waiting for it to be released/)
      killed.process.kill("SIGKILL")
      terminated.process.kill("SIGTERM")
      const [killedResult, terminatedResult] = [yield* killed.done, yield* terminated.done]
      logged.push({ label: "run SIGKILLed mid-run [json]", result: killedResult })
      logged.push({ label: "run --wait stopped by SIGTERM [pretty]", result: terminatedResult })
      assert.strictEqual(killedResult.signal, "SIGKILL")
      expectCode(terminatedResult, 130, "a run stopped by SIGTERM")
      yield* Cli.query(blocker, "UNLOCK TABLES")
      yield* emulator.control.setFaults("500:1").pipe(Effect.orDie)
      const failing = yield* cli("run customers-from-shopify against a failing store", inFile, "pretty", ["run", "customers-from-shopify"])
      yield* emulator.control.clearFaults.pipe(Effect.orDie)
      yield* emulator.control.setFaults("reset:1").pipe(Effect.orDie)
      const resets = yield* cli("run web-sales-to-edge against a store that drops connections", inUrl, "json", ["run", "web-sales-to-edge"], urlEnv)
      yield* emulator.control.clearFaults.pipe(Effect.orDie)
      expectCode(failing, 1, "run against a failing store")
      expectCode(resets, 1, "run against a store that drops connections")

      // 6. Configuration errors that carry the secret values.
      const configError = (label: string, config: string | object, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
        Effect.gen(function*() {
          const dir = yield* Cli.workDir
          yield* Effect.promise(() =>
            fs.writeFile(path.join(dir, "edgesync.config.json"), typeof config === "string" ? config : JSON.stringify(config, null, 2))
          )
          return { label, result: yield* cli(label, dir, "pretty", args, env) }
        })
      const configErrors = yield* Effect.all([
        configError("a database URL with a password and no database", { edge: { database: `mysql://${user}:${encodeURIComponent(password.value)}@${hostPort}` } }, ["run", "web-sales-to-edge"]),
        configError("a database URL with a password and no host", { edge: { database: `mysql://${user}:${encodeURIComponent(password.value)}@/db` } }, ["edge", "reindex"]),
        configError("a password of the wrong type", { edge: { database: plainUrl, password: [password.value] } }, ["edge", "migrate"]),
        configError("an unknown key beside the password", { edge: { database: plainUrl, password: password.value, paswd: password.value } }, ["run", "all"]),
        configError("an unknown key beside the token", { shopify: { store: emulator.url, accessToken: token.value, acessToken: token.value } }, ["shopify", "check"]),
        configError("a token of the wrong type", { shopify: { store: emulator.url, accessToken: { value: token.value } } }, ["shopify", "check"]),
        configError("a store URL carrying the token", { shopify: { store: `http://shop:${token.value}@127.0.0.1:${emulator.port}`, accessToken: token.value } }, ["shopify", "check"]),
        configError("a store URL whose user is the token", { shopify: { store: `http://${token.value}@127.0.0.1:${emulator.port}` } }, ["run", "web-sales-to-edge"], {
          SHOPIFY_ACCESS_TOKEN: token.value
        }),
        configError("malformed JSON next to the token", `{\n  "shopify": {\n    "accessToken": "${token.value}",\n  }\n}\n`, ["pipelines"]),
        configError("EDGE_DATABASE_URL with a password and no database", {}, ["run", "customers-to-shopify"], {
          EDGE_DATABASE_URL: `mysql://${user}:${encodeURIComponent(password.value)}@${hostPort}`
        }),
        configError("a state database URL with a password and a bad port", { state: { database: `mysql://${user}:${encodeURIComponent(password.value)}@${server.hostname}:notaport/state` } }, ["status"]),
        configError("a bad pool size beside the password, from the environment", { edge: { poolSize: "many" } }, ["run", "web-sales-to-edge"], {
          EDGE_DATABASE_PASSWORD: password.value,
          EDGE_DATABASE_URL: plainUrl
        })
      ], { concurrency: 4 })

      // The scan: every output, every edgesync_* table, and the text of the rows edgesync writes.
      const found: Array<string> = []
      for (const { label, result } of logged) {
        found.push(...leaks(`${label} stdout`, result.stdout), ...leaks(`${label} stderr`, result.stderr))
      }
      const tables = yield* Cli.query<{ readonly name: string }>(
        db,
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name"
      )
      const stateTables = tables.map((t) => t.name).filter((name) => name.startsWith("edgesync_"))
      for (const table of ["edgesync_runs", "edgesync_dead_letters", "edgesync_checkpoints", "edgesync_locks", "edgesync_match_decisions"]) {
        assert.include(stateTables, table)
      }
      for (const table of [...stateTables, "customers", "customer_web_links", "sales", "sale_lines", "sale_tenders", "stores"]) {
        const rows = yield* Cli.query(db, `SELECT * FROM \`${table}\``)
        found.push(...leaks(`table ${table}`, JSON.stringify(rows)))
      }
      const runRows = yield* Cli.query<{ readonly error_message: string | null }>(db, "SELECT error_message FROM edgesync_runs WHERE error_message IS NOT NULL")
      assert.isAbove(runRows.length, 0, "failed runs recorded their errors (and those were scanned)")
      assert.deepStrictEqual(found, [], `secrets leaked:\n${found.join("\n\n")}`)
      for (const { label, result } of configErrors) expectCode(result, 2, label)
      assert.isAbove(logged.length, 60)
      assert.isAbove(HashMap.size((yield* Ref.get(emulator.state.data)).customers), 12, "customers-to-shopify created customers with the token")
    }), slow)

  it.scopedLive("the SQLite files edgesync creates, and their directories, are readable by their owner only", () =>
    Effect.gen(function*() {
      const dir = yield* Cli.workDir
      yield* Effect.promise(() => fs.writeFile(path.join(dir, "people.csv"), "id,name\n1,Ann\n2,Bo\n"))
      yield* Cli.writeConfig(dir, {
        state: { database: "sqlite:./private/state/edgesync-state.db" },
        edge: { database: "sqlite:./edge-data/edge.db" },
        "file-csv-to-jsonl": { input: "people.csv", output: "people.jsonl" }
      })
      const [run, migrate] = yield* Effect.all([
        Cli.run(dir, ["--log-level", "warning", "run", "file-csv-to-jsonl"]),
        Cli.run(dir, ["--log-level", "warning", "edge", "migrate"])
      ], { concurrency: 2 })
      assert.strictEqual(run.code, 0, Cli.describeResult("run", run))
      assert.strictEqual(migrate.code, 0, Cli.describeResult("edge migrate", migrate))
      const mode = (p: string) => Effect.promise(() => fs.stat(path.join(dir, p))).pipe(Effect.map((s) => (s.mode & 0o777).toString(8)))
      const files = yield* Effect.promise(async () => [
        ...(await fs.readdir(path.join(dir, "private/state"))).map((f) => `private/state/${f}`),
        ...(await fs.readdir(path.join(dir, "edge-data"))).map((f) => `edge-data/${f}`)
      ])
      assert.includeMembers(files, ["private/state/edgesync-state.db", "edge-data/edge.db"])
      for (const file of files) assert.strictEqual(yield* mode(file), "600", `${file} is created 0600`)
      for (const directory of ["private", "private/state", "edge-data"]) {
        assert.strictEqual(yield* mode(directory), "700", `${directory}/ is created 0700`)
      }
    }), slow)
})
