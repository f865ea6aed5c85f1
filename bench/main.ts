// Runs every benchmark (bench/*.ts except this file), each in its own child process so that one's memory
// and JIT state cannot colour another's figures, and prints one table of all their `BENCH {...}` lines.
//
//   npx tsx bench/main.ts            all benchmarks
//   npx tsx bench/main.ts runner     only those whose file name contains "runner"
//   --timeout=MINUTES                 stop a benchmark that runs longer (default 45)
//
// A benchmark that crashes, times out or prints a malformed BENCH line is reported and the others still
// run; the exit code is then 1. Targets that are not met are shown in the table but are not failures:
// benchmarks measure, they do not assert.
import { Either, Schema } from "effect"
import { spawn } from "node:child_process"
import { readdirSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const BenchLine = Schema.Struct({
  name: Schema.String,
  value: Schema.Number,
  unit: Schema.String,
  ratio: Schema.NullOr(Schema.Number),
  target: Schema.String,
  met: Schema.NullOr(Schema.Boolean)
})
type BenchLine = typeof BenchLine.Type

interface Outcome {
  readonly script: string
  readonly lines: ReadonlyArray<BenchLine>
  readonly problems: ReadonlyArray<string>
  readonly seconds: number
}

const here = dirname(fileURLToPath(import.meta.url))
const timeoutArg = process.argv.find((arg) => arg.startsWith("--timeout="))
const timeoutMillis = (timeoutArg === undefined ? 45 : Number(timeoutArg.slice("--timeout=".length))) * 60 * 1000

const runScript = (file: string): Promise<Outcome> =>
  new Promise((resolve) => {
    const script = basename(file, ".ts")
    const started = performance.now()
    const lines: Array<BenchLine> = []
    const problems: Array<string> = []
    // `node --import tsx` is what `npx tsx` runs, without npx's own start-up in every measurement.
    const child = spawn(process.execPath, ["--import", "tsx", file], {
      cwd: join(here, ".."),
      stdio: ["ignore", "pipe", "pipe"]
    })
    const timer = setTimeout(() => {
      problems.push(`timed out after ${timeoutMillis / 60000} minutes`)
      child.kill("SIGKILL")
    }, timeoutMillis)
    let pending = ""
    const onLine = (line: string) => {
      if (!line.startsWith("BENCH ")) {
        if (line.trim() !== "") console.log(`  [${script}] ${line}`)
        return
      }
      const parsed = Either.flatMap(
        Either.try(() => JSON.parse(line.slice(6)) as unknown),
        (json) => Schema.decodeUnknownEither(BenchLine)(json)
      )
      if (Either.isRight(parsed)) lines.push(parsed.right)
      else problems.push(`malformed line: ${line}`)
    }
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (data: string) => {
      pending += data
      const parts = pending.split("\n")
      pending = parts.pop() ?? ""
      parts.forEach(onLine)
    })
    child.stderr.setEncoding("utf8")
    child.stderr.on("data", (data: string) => {
      for (const line of data.split("\n")) if (line.trim() !== "") console.error(`  [${script}] ${line}`)
    })
    child.on("error", (error) => problems.push(`could not start: ${error.message}`))
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      if (pending !== "") onLine(pending)
      if (code !== 0) problems.push(signal !== null ? `killed by ${signal}` : `exited with code ${code}`)
      if (code === 0 && lines.length === 0) problems.push("printed no BENCH line")
      resolve({ script, lines, problems, seconds: (performance.now() - started) / 1000 })
    })
  })

const table = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n")
}

const main = async () => {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith("--"))
  const scripts = readdirSync(here)
    .filter((file) => file.endsWith(".ts") && file !== "main.ts" && !file.endsWith(".d.ts"))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort()
  if (scripts.length === 0) {
    console.error(`No benchmark matches ${filters.join(", ")}.`)
    process.exitCode = 1
    return
  }
  const outcomes: Array<Outcome> = []
  for (const file of scripts) {
    console.log(`bench/${file}`)
    const outcome = await runScript(join(here, file))
    console.log(`  (${outcome.seconds.toFixed(1)}s)`)
    outcomes.push(outcome)
  }

  const rows: Array<ReadonlyArray<string>> = [["benchmark", "value", "unit", "ratio", "target", "met"]]
  for (const outcome of outcomes) {
    for (const line of outcome.lines) {
      rows.push([
        line.name,
        line.value.toLocaleString("en-US"),
        line.unit,
        line.ratio === null ? "" : line.ratio.toFixed(2),
        line.target,
        line.met === null ? "" : line.met ? "yes" : "NO"
      ])
    }
    for (const problem of outcome.problems) rows.push([`${outcome.script} (script)`, "", "", "", problem, "FAILED"])
  }
  console.log("")
  console.log(table(rows))
  const failed = outcomes.filter((outcome) => outcome.problems.length > 0)
  const unmet = outcomes.flatMap((outcome) => outcome.lines).filter((line) => line.met === false)
  console.log("")
  console.log(
    `${outcomes.length} benchmark script(s), ${failed.length} failed; ` +
      `${unmet.length} figure(s) below target${unmet.length > 0 ? `: ${unmet.map((line) => line.name).join(", ")}` : ""}.`
  )
  if (failed.length > 0) process.exitCode = 1
}

await main()
