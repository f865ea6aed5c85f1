// A private, throwaway MariaDB server for tests and benchmarks.
//
// It runs `mariadb-install-db` into a temp dir and starts `mariadbd --no-defaults` on a free loopback
// port, and stops it by its PID. Set EDGESYNC_TEST_MYSQL_URL (for example mysql://root@127.0.0.1:3306)
// to use an existing server instead.
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const installHint =
  "MariaDB is needed by the test suite. Install it (Debian: `apt-get install -y mariadb-server`, which " +
  "provides mariadbd and mariadb-install-db) or point EDGESYNC_TEST_MYSQL_URL at an existing server, " +
  "for example EDGESYNC_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306"

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const which = (command: string): string | undefined => {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", ...(process.env.PATH ?? "").split(":")]) {
    const candidate = join(dir, command)
    if (spawnSync("test", ["-x", candidate]).status === 0) return candidate
  }
  return undefined
}

const canConnect = async (port: number): Promise<boolean> => {
  const mysql = await import("mysql2/promise")
  try {
    const connection = await mysql.createConnection({ host: "127.0.0.1", port, user: "root" })
    await connection.end()
    return true
  } catch {
    return false
  }
}

export interface RunningMariaDb {
  /** `mysql://root@127.0.0.1:PORT`, without a database. */
  readonly url: string
  readonly stop: () => Promise<void>
  /**
   * Stops the server as an administrator would (SIGTERM: a clean shutdown that kills every connection and
   * rolls back open transactions), then starts it again on the same port and data. Only for a server this
   * module started (`own`): an EDGESYNC_TEST_MYSQL_URL server is not ours to restart.
   */
  readonly restart: () => Promise<void>
}

export interface PrivateMariaDbOptions {
  /** Start a server of our own even when EDGESYNC_TEST_MYSQL_URL names one (to restart it, to change globals). */
  readonly own?: boolean
}

/**
 * Starts a private MariaDB server (or returns the one named by EDGESYNC_TEST_MYSQL_URL, which is then
 * left running on stop).
 */
export const startPrivateMariaDb = async (options: PrivateMariaDbOptions = {}): Promise<RunningMariaDb> => {
  const existing = process.env.EDGESYNC_TEST_MYSQL_URL
  if (existing !== undefined && existing !== "" && options.own !== true) {
    return {
      url: existing.replace(/\/+$/, ""),
      stop: async () => {},
      restart: () => Promise.reject(new Error("EDGESYNC_TEST_MYSQL_URL names a server these tests did not start; it is not restarted"))
    }
  }
  const mariadbd = which("mariadbd")
  const installDb = which("mariadb-install-db")
  if (mariadbd === undefined || installDb === undefined) throw new Error(installHint)

  const dir = mkdtempSync(join(tmpdir(), "edgesync-mariadb-"))
  const datadir = join(dir, "data")
  // Each server gets its own tmpdir: servers started side by side in the shared /tmp have collided on
  // their temporary tables' file names during bootstrap.
  const serverTmp = join(dir, "tmp")
  mkdirSync(serverTmp)
  const install = spawnSync(installDb, [
    "--no-defaults",
    `--datadir=${datadir}`,
    `--tmpdir=${serverTmp}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    "--user=root"
  ], { encoding: "utf8" })
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`mariadb-install-db failed (exit ${install.status}): ${install.stderr}\n${installHint}`)
  }
  const port = await freePort()
  const pidFile = join(dir, "mariadbd.pid")
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(mariadbd, [
      "--no-defaults",
      "--user=root",
      `--datadir=${datadir}`,
      `--tmpdir=${serverTmp}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${join(dir, "mariadbd.sock")}`,
      `--pid-file=${pidFile}`,
      "--skip-log-bin",
      "--innodb-buffer-pool-size=256M",
      "--innodb-flush-log-at-trx-commit=2",
      "--max-connections=500",
      `--log-error=${join(dir, "error.log")}`
    ], { stdio: "ignore", detached: true })
    child.unref()
    const deadline = Date.now() + 30_000
    while (!(await canConnect(port))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        let log = ""
        try {
          log = readFileSync(join(dir, "error.log"), "utf8").slice(-2000)
        } catch { /* no log written */ }
        try {
          if (child.pid !== undefined) process.kill(child.pid, "SIGKILL")
        } catch { /* already gone */ }
        rmSync(dir, { recursive: true, force: true })
        throw new Error(`The private MariaDB server did not start on 127.0.0.1:${port}.\n${log}\n${installHint}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return child
  }
  const halt = async (child: ChildProcess) => {
    const pid = child.pid
    if (pid === undefined) return
    try {
      process.kill(pid, "SIGTERM")
    } catch { /* already gone */ }
    const stopBy = Date.now() + 15_000
    while (Date.now() < stopBy) {
      try {
        process.kill(pid, 0)
      } catch {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    try {
      process.kill(pid, "SIGKILL")
    } catch { /* stopped */ }
  }
  let running = await launch()
  const stop = async () => {
    await halt(running)
    rmSync(dir, { recursive: true, force: true })
  }
  const restart = async () => {
    await halt(running)
    running = await launch()
  }
  return { url: `mysql://root@127.0.0.1:${port}`, stop, restart }
}
