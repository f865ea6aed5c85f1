// Storage faults on a SQLite Edge database, through the real CLI: the database on a read-only file
// system, and on a full disk. Each is a fatal error (exit code 1) whose message says what happened and
// what to do; nothing is half-written; once the cause is fixed the next run completes.
//
// The faults are real ones, not emulated: the database is copied onto a small tmpfs mounted in a private
// mount namespace (`unshare --mount`, or `unshare --user --map-root-user --mount` when not root, so no
// privilege is needed and nothing leaks to the host), which is then remounted read-only or filled to
// the last block. Permissions (chmod 0444) would not do: root ignores them.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { EdgeDb, layerUrl } from "../../../connectors/edge/EdgeDb.js"
import { migrate } from "../../../connectors/edge/EdgeMigrate.js"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import type * as H from "../../mission/support/MissionHarness.js"
import { adminClient } from "../../mission/support/ShopifyStore.js"
import * as F from "./support/DbFaults.js"

const bin = path.resolve(import.meta.dirname, "../../../bin/edgesync.js")

/** Runs `effect` with the Edge services on `url`, closed afterwards (so the CLI has the file to itself). */
const withEdge = <A, E, R>(url: string, effect: Effect.Effect<A, E, R>) =>
  Effect.scoped(Effect.flatMap(Layer.build(layerUrl(url, { changeSettleMillis: 0 })), (edge) => Effect.provide(effect, edge)))

const sqlOf = (url: string): H.Mission["sql"] => (text, params = []) =>
  withEdge(url, Effect.flatMap(EdgeDb, (db) => db.sql.unsafe(text, params))).pipe(Effect.orDie) as never

interface Phase {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * In a private mount namespace: a `size` tmpfs on `dir/mnt` holding a copy of `dir/edge.db`; `fault`
 * (shell) breaks it, `edgesync run web-sales-to-edge` runs; `repair` fixes it, the run again; the
 * database is copied back to `dir/after.db`. The CLI's environment is a clean one.
 */
const inNamespace = (dir: string, size: string, fault: string, repair: string) =>
  Effect.gen(function*() {
    const run = (phase: string) =>
      `"${process.execPath}" "${bin}" --log-level warning run ${F.pipeline} > "${dir}/${phase}.out" 2> "${dir}/${phase}.err"; ` +
      `echo $? > "${dir}/${phase}.code"`
    const script = [
      "set -u",
      `mount -t tmpfs -o size=${size},mode=0700 tmpfs "${dir}/mnt"`,
      `cp "${dir}"/edge.db* "${dir}/mnt/"`,
      fault,
      run("first"),
      `for f in "${dir}"/mnt/edge.db*; do cp "$f" "${dir}/mid$(basename "$f" | sed 's/^edge//')"; done`,
      repair,
      run("second"),
      `for f in "${dir}"/mnt/edge.db*; do cp "$f" "${dir}/after$(basename "$f" | sed 's/^edge//')"; done`
    ].join("\n")
    const root = process.getuid?.() === 0
    const args = [...(root ? [] : ["--user", "--map-root-user"]), "--mount", "sh", "-c", script]
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(EDGESYNC_|SHOPIFY_|EDGE_)/.test(key)))
    yield* Effect.async<void, Error>((resume) => {
      execFile("unshare", args, { cwd: dir, env }, (error, _stdout, stderr) =>
        resume(error === null ? Effect.void : Effect.fail(new Error(`unshare failed (a private mount namespace is needed): ${stderr}`))))
    })
    const phase = (name: string) =>
      Effect.promise(async (): Promise<Phase> => ({
        code: Number((await fs.readFile(path.join(dir, `${name}.code`), "utf8")).trim()),
        stdout: await fs.readFile(path.join(dir, `${name}.out`), "utf8"),
        stderr: await fs.readFile(path.join(dir, `${name}.err`), "utf8")
      }))
    return { first: yield* phase("first"), second: yield* phase("second") }
  })

/** A SQLite Edge database at `dir/edge.db` (migrated, web store 98) and orders in a running emulator. */
const arrange = Effect.gen(function*() {
  const dir = yield* F.workDir
  yield* Effect.promise(() => fs.mkdir(path.join(dir, "mnt")))
  const emulator = yield* ShopifyEmulator.start({ seed: 7 })
  const url = `sqlite:${path.join(dir, "edge.db")}`
  yield* withEdge(url, Effect.gen(function*() {
    yield* migrate
    const db = yield* EdgeDb
    yield* db.sql.unsafe("INSERT INTO stores (store_no, name, kind, licensed) VALUES (1, 'Main Street', 'retail', 1), (98, 'Web store', 'web', 1)")
  })).pipe(Effect.orDie)
  const orders = yield* F.arrangeOrders({ admin: adminClient(emulator) }, 6)
  yield* F.writeConfig(dir, {
    edge: { database: `sqlite:${path.join(dir, "mnt", "edge.db")}`, changeSettleMillis: 0 },
    shopify: { store: emulator.url, accessToken: emulator.token }
  })
  return { dir, orders }
})

const show = (p: Phase) => `exit ${p.code}\nstdout: ${p.stdout}\nstderr: ${p.stderr}`

// Independent tests (own directory, emulator and mount namespace each): side by side, most of their time
// is CLI start-up.
describe.concurrent("db faults: SQLite storage", () => {
  it.scopedLive("a read-only database is fatal (exit 1) and says to make it writable; the next run completes", () =>
    Effect.gen(function*() {
      const { dir, orders } = yield* arrange
      const { first, second } = yield* inNamespace(dir, "16m", `mount -o remount,ro "${dir}/mnt"`, `mount -o remount,rw "${dir}/mnt"`)
      assert.strictEqual(first.code, 1, show(first))
      assert.match(first.stderr, /read-only/, show(first))
      assert.match(first.stderr, /writable/, show(first))
      assert.strictEqual(second.code, 0, show(second))
      yield* F.assertLedger({ sql: sqlOf(`sqlite:${path.join(dir, "after.db")}`) }, orders)
    }), 120_000)

  // A disk already full when the run starts (the database cannot even open its WAL index), and one that
  // fills during the run (96 KiB left: the run opens, then a write or its COMMIT fails).
  for (const [when, reservePages] of [["before the run", 0], ["during the run", 24]] as const) {
    it.scopedLive(`a disk full ${when} is fatal (exit 1) and says to free space; nothing half-written; the next run completes`, () =>
      Effect.gen(function*() {
        const { dir, orders } = yield* arrange
        const reserve = `"${dir}/mnt/reserve"`
        const filler = `"${dir}/mnt/filler"`
        const { first, second } = yield* inNamespace(
          dir,
          "16m",
          [
            `dd if=/dev/zero of=${reserve} bs=4096 count=${reservePages} 2>/dev/null`,
            `dd if=/dev/zero of=${filler} bs=4096 2>/dev/null`,
            `rm -f ${reserve}`
          ].join("\n"),
          `rm -f ${filler}`
        )
        assert.strictEqual(first.code, 1, show(first))
        // Before the run nothing can open the database; during the run, the run started and failed.
        if (reservePages > 0) assert.match(first.stdout, /Run \S+ failed/, show(first))
        assert.match(first.stderr, /out of space|is full/, show(first))
        assert.match(first.stderr, /[Ff]ree (disk )?space/, show(first))
        // What the failed run left: whole sales or none.
        yield* F.assertWhole({ sql: sqlOf(`sqlite:${path.join(dir, "mid.db")}`) })
        assert.strictEqual(second.code, 0, show(second))
        yield* F.assertLedger({ sql: sqlOf(`sqlite:${path.join(dir, "after.db")}`) }, orders)
      }), 120_000)
  }
})
