// The CLI's parts in process: argument decoding, the option listing read from Schemas, the progress
// line, exit codes, and `run` of a group of pipelines (the shape `run all` takes).
import { Command, ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, it } from "@effect/vitest"
import { Console, Duration, Effect, Either, LogLevel, Option, Redacted, Ref, Schema, TestClock } from "effect"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { assert } from "vitest"
import { FileConnector } from "../../connectors/file/FileConnector.js"
import * as Cli from "../../core/cli/Cli.js"
import { DurationFromHuman } from "../../core/cli/DurationOption.js"
import * as ExitCode from "../../core/cli/ExitCode.js"
import { OverrideFromText } from "../../core/cli/PipelineRun.js"
import * as ProgressDisplay from "../../core/cli/ProgressDisplay.js"
import * as SchemaDoc from "../../core/cli/SchemaDoc.js"
import { ConfigError, NotFound, RunFailed } from "../../core/EtlError.js"
import * as Registry from "../../core/Registry.js"
import { fileCsvToJsonl } from "../../pipelines/fileCsvToJsonl.js"
import { fileJsonlToCsv } from "../../pipelines/fileJsonlToCsv.js"

/** Runs `effect` with Console.log and Console.error captured. */
const captured = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const out = yield* Ref.make<ReadonlyArray<string>>([])
    const err = yield* Ref.make<ReadonlyArray<string>>([])
    const push = (ref: Ref.Ref<ReadonlyArray<string>>) => (...args: ReadonlyArray<unknown>) =>
      Ref.update(ref, (lines) => [...lines, args.map(String).join(" ")])
    const result = yield* Console.consoleWith((base) => Effect.withConsole(Effect.either(effect), { ...base, log: push(out), error: push(err) }))
    return { result, stdout: (yield* Ref.get(out)).join("\n"), stderr: (yield* Ref.get(err)).join("\n") }
  })

describe("CLI parts", () => {
  it("takes --log-level out of the arguments wherever it stands, and refuses an unknown level", () => {
    const parsed = Either.getOrThrow(Cli.extractLogLevel(["node", "edgesync", "run", "x", "--log-level", "debug", "--dry-run"]))
    assert.deepStrictEqual(parsed.argv, ["node", "edgesync", "run", "x", "--dry-run"])
    assert.deepStrictEqual(parsed.level, Option.some(LogLevel.Debug))
    assert.deepStrictEqual(Either.getOrThrow(Cli.extractLogLevel(["--log-level=warning"])).level, Option.some(LogLevel.Warning))
    const bad = Cli.extractLogLevel(["--log-level", "loud"])
    assert.isTrue(Either.isLeft(bad))
    if (Either.isLeft(bad)) assert.include(bad.left.message, "--log-level must be one of all, trace, debug, info, warning, error, fatal, none (got \"loud\")")
  })

  it("decodes --option key=value and durations such as 15m, and names what is wrong", () => {
    assert.deepStrictEqual(Schema.decodeSync(OverrideFromText)("input=a=b.csv"), { key: "input", value: "a=b.csv", origin: "--option input" })
    assert.include(Either.getLeft(Schema.decodeEither(OverrideFromText)("input")).pipe(Option.getOrThrow).message, "is not key=value")
    assert.strictEqual(Duration.toMillis(Schema.decodeSync(DurationFromHuman)("15m")), 900_000)
    assert.strictEqual(Duration.toMillis(Schema.decodeSync(DurationFromHuman)("1h30m")), 5_400_000)
    assert.strictEqual(Duration.toMillis(Schema.decodeSync(DurationFromHuman)("500ms")), 500)
    assert.include(Either.getLeft(Schema.decodeEither(DurationFromHuman)("soon")).pipe(Option.getOrThrow).message, "\"soon\" is not a duration")
  })

  it("lists a Schema's fields with types, defaults (encoded, secrets redacted) and descriptions", () => {
    class Settings extends Schema.Class<Settings>("Settings")({
      url: Schema.String.annotations({ description: "where it lives" }),
      mode: Schema.optionalWith(Schema.Literal("a", "b"), { default: () => "a" as const }),
      size: Schema.optionalWith(Schema.Int, { default: () => 3 }).annotations({ description: "how many" }),
      token: Schema.optionalWith(Schema.Redacted(Schema.String), { default: () => Redacted.make("s3cret") }),
      at: Schema.optionalWith(Schema.DateFromString, { default: () => new Date("2025-01-02T00:00:00.000Z") }),
      tags: Schema.optional(Schema.Array(Schema.String))
    }) {}
    const lines = SchemaDoc.formatFields(SchemaDoc.fields(Settings), "")
    assert.deepStrictEqual(lines, [
      "url    string, required. where it lives",
      "mode   \"a\" | \"b\", default \"a\".",
      "size   integer, default 3. how many",
      "token  string (secret), default <redacted>.",
      "at     string, default \"2025-01-02T00:00:00.000Z\".",
      "tags   list of string, optional."
    ])
  })

  it.effect("draws progress in place on a terminal at most ten times a second, and clears it", () =>
    Effect.gen(function*() {
      const written = yield* Ref.make<ReadonlyArray<string>>([])
      const display = yield* ProgressDisplay.make(true, (text) => Ref.update(written, (all) => [...all, text]))
      const progress = { pipeline: "p", runId: "r", dryRun: false, batches: 1, read: 1000, written: 990, skipped: 0, deadLettered: 10, retries: 0, elapsed: Duration.seconds(2) }
      yield* TestClock.adjust("1 second")
      yield* display.onProgress!(progress)
      yield* display.onProgress!({ ...progress, read: 1500 })
      yield* TestClock.adjust("200 millis")
      yield* display.onProgress!({ ...progress, read: 2000 })
      yield* display.clear
      const lines = yield* Ref.get(written)
      assert.strictEqual(lines.length, 3)
      assert.strictEqual(lines[0], "\r\x1b[2Kp: read 1000 · written 990 · skipped 0 · dead-lettered 10 · 500/s")
      assert.include(lines[1]!, "read 2000")
      assert.strictEqual(lines[2], "\r\x1b[2K")
      const quiet = yield* ProgressDisplay.make(false, () => Effect.die("never"))
      assert.isUndefined(quiet.onProgress)
    }))

  it("maps errors to exit codes: usage and configuration 2, failed runs 1", () => {
    assert.strictEqual(ExitCode.codeOf(new ConfigError({ reason: "Invalid", key: "k", expected: "x" })), 2)
    assert.strictEqual(ExitCode.codeOf(new NotFound({ kind: "pipeline", name: "p", known: [] })), 2)
    assert.strictEqual(ExitCode.codeOf(ValidationError.invalidValue({ _tag: "Empty" })), 2)
    assert.strictEqual(ExitCode.codeOf(new RunFailed({ pipeline: "p", runId: "r", stage: "s", errorTag: "E", detail: "d" })), 1)
  })

  it.scoped("`run GROUP` runs the group's pipelines in turn; a failed one does not stop the next; exit code 1", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-group-"))),
        (d) => Effect.promise(() => fs.rm(d, { recursive: true, force: true }))
      )
      const config = path.join(dir, "edgesync.config.json")
      yield* Effect.promise(() => fs.writeFile(path.join(dir, "in.csv"), "id,name\n1,Ann\n"))
      yield* Effect.promise(() => fs.writeFile(config, JSON.stringify({
        file: { directory: dir },
        "file-jsonl-to-csv": { input: "missing.jsonl", output: "never.csv" },
        "file-csv-to-jsonl": { input: "in.csv", output: "out.jsonl" }
      })))
      const group = {
        name: "both",
        description: "the two file pipelines",
        pipelines: Effect.succeed(["file-jsonl-to-csv", "file-csv-to-jsonl"])
      }
      const cli = Cli.root.pipe(
        Command.withSubcommands([...Cli.commands({ groups: [group] })]),
        Cli.provide({
          registry: Registry.make({ connectors: { file: FileConnector }, pipelines: [fileJsonlToCsv, fileCsvToJsonl] }),
          env: {},
          terminal: { interactive: false, write: () => Effect.void }
        })
      )
      const { result, stdout, stderr } = yield* captured(
        Cli.main(cli, ["node", "edgesync", "--config", config, "--log-level", "none", "run", "both"]).pipe(Effect.provide(NodeContext.layer))
      )
      assert.deepStrictEqual(result, Either.left(new ExitCode.ExitCode({ code: 1 })))
      assert.include(stderr, "edgesync: file-jsonl-to-csv:")
      assert.include(stderr, "missing.jsonl does not exist")
      assert.include(stderr, "1 of 2 pipelines of \"both\" failed")
      assert.include(stdout, "file-csv-to-jsonl run")
      assert.strictEqual(yield* Effect.promise(() => fs.readFile(path.join(dir, "out.jsonl"), "utf8")), "{\"id\":\"1\",\"name\":\"Ann\"}\n")

      const listed = yield* captured(
        Cli.main(cli, ["node", "edgesync", "--config", config, "pipelines"]).pipe(Effect.provide(NodeContext.layer))
      )
      assert.include(listed.stdout, "both (runs several pipelines in turn)\n  the two file pipelines\n  runs: file-jsonl-to-csv, file-csv-to-jsonl")

      const unknownOption = yield* captured(
        Cli.main(cli, ["node", "edgesync", "--config", config, "run", "both", "--option", "colour=blue"]).pipe(Effect.provide(NodeContext.layer))
      )
      assert.deepStrictEqual(unknownOption.result, Either.left(new ExitCode.ExitCode({ code: 2 })))
      assert.include(unknownOption.stderr, "no pipeline of \"both\" has the option \"colour\"")

      // A section nothing reads is a typo, named with the sections that exist; `$schema` and `//` keys are fine.
      yield* Effect.promise(() => fs.writeFile(config, JSON.stringify({ $schema: "x", "// note": "y", fiel: { directory: dir } })))
      const typo = yield* captured(
        Cli.main(cli, ["node", "edgesync", "--config", config, "pipelines"]).pipe(Effect.provide(NodeContext.layer))
      )
      assert.deepStrictEqual(typo.result, Either.left(new ExitCode.ExitCode({ code: 2 })))
      assert.include(typo.stderr, "Invalid configuration \"fiel\" (got unknown section \"fiel\"): expected one of the sections state, run, plugins, file, file-jsonl-to-csv, file-csv-to-jsonl")
    }))
})
