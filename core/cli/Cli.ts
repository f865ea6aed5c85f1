// The `edgesync` command line: the root command with the global options, the core commands, and the
// environment they run in. The composition root (pipelines/main.ts) assembles them with the connectors'
// own commands:
//
//   const cli = Cli.root.pipe(
//     Command.withSubcommands([...Cli.commands({ groups }), EdgeCommand, ...]),
//     Cli.provide({ registry, env: process.env, terminal }))
//   NodeRuntime.runMain(Cli.main(cli, process.argv), Cli.runMainOptions)
import { Command, Options } from "@effect/cli"
import type { FileSystem, Path } from "@effect/platform"
import type { Teardown } from "@effect/platform/Runtime"
import { Console, Effect, Either, Layer, Logger, LogLevel, Option } from "effect"
import * as Config from "../Config.js"
import type { ConfigError } from "../EtlError.js"
import type * as Registry from "../Registry.js"
import * as ConnectorsCommand from "./ConnectorsCommand.js"
import * as DeadLettersCommand from "./DeadLettersCommand.js"
import * as ExitCode from "./ExitCode.js"
import * as PipelinesCommand from "./PipelinesCommand.js"
import * as ResetCommand from "./ResetCommand.js"
import * as RunCommand from "./RunCommand.js"
import type { RunGroup } from "./RunGroup.js"
import * as StatusCommand from "./StatusCommand.js"
import { UsageError } from "./UsageError.js"
import * as Workspace from "./Workspace.js"
import * as Help from "./Help.js"

/** The global options every command accepts (before or after the subcommand). */
export interface GlobalFlags {
  readonly config: Option.Option<string>
  readonly logFormat: "pretty" | "json"
}

const globalFlags = {
  config: Options.text("config").pipe(
    Options.optional,
    Options.withDescription(`the config file (default: ${Config.defaultFileName} in the working directory, if present)`)
  ),
  logFormat: Options.choice("log-format", ["pretty", "json"]).pipe(
    Options.withDefault("pretty" as const),
    Options.withDescription("how log lines on stderr look: pretty for people, json for log collectors")
  )
}

export const root = Command.make("edgesync", globalFlags, () =>
  Console.log(
    "edgesync keeps The Edge point-of-sale database and a Shopify store in sync.\n" +
      "Try `edgesync pipelines` to see what can run, or `edgesync --help` for every command."
  )).pipe(Command.withDescription(Help.doc(
    "Runs ETL pipelines between The Edge, Shopify and files: resumable, batched, with dead letters.",
    "Commands (each has --help):\n" +
      "  pipelines     list the pipelines with their options\n" +
      "  connectors    list the connectors with their configuration and stages\n" +
      "  run           run a pipeline once, or on a schedule with --every\n" +
      "  status        checkpoints, dead letters and last runs\n" +
      "  dead-letters  list, show, retry or discard records that failed\n" +
      "  reset         forget a pipeline's checkpoint",
    "Global options: --config PATH (default ./edgesync.config.json), --log-format pretty|json, " +
      "--log-level debug|info|warning|error.",
    Help.examples(
      "edgesync pipelines",
      "edgesync run file-csv-to-jsonl --option input=customers.csv --option output=customers.jsonl",
      "edgesync status",
      "edgesync dead-letters list"
    ),
    "Exit codes: 0 success, 1 a run failed, 2 bad usage or configuration, 130 interrupted."
  )))

/** The core commands; `groups` adds names such as `all` that `run` accepts besides pipeline names. */
export const commands = (spec: { readonly groups?: ReadonlyArray<RunGroup> } = {}) => {
  const groups = spec.groups ?? []
  return [
    PipelinesCommand.make(groups),
    ConnectorsCommand.command,
    RunCommand.make(groups),
    StatusCommand.command,
    DeadLettersCommand.command,
    ResetCommand.command
  ] as const
}

const loggerLayer = (format: GlobalFlags["logFormat"], colors: boolean): Layer.Layer<never> =>
  Logger.replace(
    Logger.defaultLogger,
    format === "json"
      ? Logger.withConsoleError(Logger.jsonLogger)
      : Logger.prettyLogger({ stderr: true, colors, mode: "tty" })
  )

/**
 * Provides what every command needs, from the global flags: the config file (read once, with the
 * environment handed in by the entry point), the registry with the config's plugins, and the logger.
 */
export const provide = (spec: {
  readonly registry: Effect.Effect<Registry.Registry, Registry.RegistryError>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly terminal: Workspace.Terminal
  /** Config file sections read by commands beyond connectors' and pipelines' (any other is a typo). */
  readonly sections?: ReadonlyArray<string>
}) =>
<Name extends string, R, E, A extends GlobalFlags>(
  command: Command.Command<Name, R, E, A>
): Command.Command<
  Name,
  Exclude<R, Workspace.Workspace | Config.ConfigSource> | FileSystem.FileSystem | Path.Path,
  E | ConfigError | Registry.RegistryError,
  A
> =>
  Command.provide(command, (flags: A) => {
    const config = Config.layerFromFile(flags.config, spec.env)
    return Layer.mergeAll(
      loggerLayer(flags.logFormat, spec.terminal.interactive),
      Layer.provideMerge(Workspace.layer(spec.registry, spec.terminal, spec.sections), config)
    )
  })

const logLevels: ReadonlyArray<LogLevel.LogLevel> = LogLevel.allLevels

/**
 * Takes `--log-level LEVEL` (or `--log-level=LEVEL`) out of the arguments, wherever it stands.
 * @effect/cli's built-in handling re-parses the command line, which prints every usage error twice.
 */
export const extractLogLevel = (
  argv: ReadonlyArray<string>
): Either.Either<{ readonly argv: ReadonlyArray<string>; readonly level: Option.Option<LogLevel.LogLevel> }, UsageError> => {
  const rest: Array<string> = []
  let level: Option.Option<LogLevel.LogLevel> = Option.none()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    let value: string
    if (arg === "--log-level") value = argv[++i] ?? ""
    else if (arg.startsWith("--log-level=")) value = arg.slice("--log-level=".length)
    else {
      rest.push(arg)
      continue
    }
    const found = logLevels.find((l) => l._tag.toLowerCase() === value.toLowerCase())
    if (found === undefined) {
      return Either.left(new UsageError({
        reason: "BadOption",
        detail: `--log-level must be one of ${logLevels.map((l) => l._tag.toLowerCase()).join(", ")} (got "${value}")`
      }))
    }
    level = Option.some(found)
  }
  return Either.right({ argv: rest, level })
}

/** Runs the command line and turns its end into an ExitCode (see ExitCode.ts). */
export const main = <Name extends string, R, E, A>(
  command: Command.Command<Name, R, E, A>,
  argv: ReadonlyArray<string>,
  version = "0.1.0"
) =>
  ExitCode.report(Effect.gen(function*() {
    const { argv: rest, level } = yield* extractLogLevel(argv)
    const run = Command.run(command, { name: "edgesync", version })(rest)
    return yield* Option.match(level, { onNone: () => run, onSome: (l) => Logger.withMinimumLogLevel(run, l) })
  }))

/** Options for `NodeRuntime.runMain`: errors are reported by `main`, exit codes set by the teardown. */
export const runMainOptions: {
  readonly disableErrorReporting: true
  readonly disablePrettyLogger: true
  readonly teardown: Teardown
} = { disableErrorReporting: true, disablePrettyLogger: true, teardown: ExitCode.teardown }
