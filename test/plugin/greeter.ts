// An edgesync plugin: the `greeter` connector and the `greet-people` pipeline. README.md's "Writing a
// connector" shows this file verbatim (a test keeps the two identical), and the CLI tests load it
// through a config file's `plugins` list, list it and run it.
import { Context, Effect, Layer, Schema } from "effect"
import { appendFile } from "node:fs/promises"
import { jsonLinesSource } from "../../connectors/file/JsonLinesSource.js"
import { parseJsonLines } from "../../connectors/file/ParseJsonLines.js"
import * as Connector from "../../core/Connector.js"
import type { Classification } from "../../core/EtlError.js"
import * as Pipeline from "../../core/Pipeline.js"
import * as Registry from "../../core/Registry.js"
import * as Stage from "../../core/Stage.js"

// 1. The config: the config file section "greeter", decoded before anything runs.
const GreeterConfig = Schema.Struct({
  output: Schema.String.annotations({ description: "the file greetings are appended to" }),
  greeting: Schema.optionalWith(Schema.String, { default: () => "Hello" }),
  refuse: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }).annotations({
    description: "names the greeter refuses to greet"
  })
})

// 2. The errors, each classified: the runner dead-letters "record" errors and stops on "fatal" ones.
class GreeterError extends Schema.TaggedError<GreeterError>()("GreeterError", {
  reason: Schema.Literal("Refused", "Unwritable"),
  name: Schema.String,
  detail: Schema.String
}) {
  get classification(): Classification {
    return this.reason === "Refused" ? "record" : "fatal"
  }
  override get message(): string {
    return this.reason === "Refused" ? `the greeter refuses to greet ${this.name}` : `cannot write greetings: ${this.detail}`
  }
}

// 3. The service the stages use, built from the config when a run starts.
class Greeter extends Context.Tag("greeter/Greeter")<Greeter, {
  readonly refuses: (name: string) => boolean
  readonly write: (lines: ReadonlyArray<string>) => Effect.Effect<void, GreeterError>
  readonly greeting: string
}>() {}

// 4. A stage: a sink that writes a batch and says what it did with each record.
const Person = Schema.Struct({ id: Schema.String, name: Schema.String })
type Person = typeof Person.Type

export const greet = Stage.sink({
  name: "greeter.greet",
  description: "greets each person on a line of the output file",
  write: (people: ReadonlyArray<Person>) =>
    Effect.gen(function*() {
      const greeter = yield* Greeter
      const welcome = people.filter((p) => !greeter.refuses(p.name))
      yield* greeter.write(welcome.map((p) => `${greeter.greeting}, ${p.name}!`))
      return people.map((p) =>
        greeter.refuses(p.name)
          ? Stage.rejected(new GreeterError({ reason: "Refused", name: p.name, detail: "on the refuse list" }))
          : Stage.written("greeted")
      )
    })
})

// 5. The connector: its name, config, environment overrides, the layer built from its config, its stages.
export const GreeterConnector = Connector.make({
  name: "greeter",
  description: "writes greetings to a file",
  config: GreeterConfig,
  environment: { GREETER_GREETING: "greeting" },
  layer: (config) =>
    Layer.succeed(Greeter, {
      greeting: config.greeting,
      refuses: (name) => config.refuse.includes(name),
      write: (lines) =>
        Effect.tryPromise({
          try: () => appendFile(config.output, lines.map((line) => `${line}\n`).join("")),
          catch: (e) => new GreeterError({ reason: "Unwritable", name: "", detail: String(e) })
        })
    }),
  stages: [{ kind: "sink", name: "greeter.greet", description: "greets each person" }]
})

// 6. A pipeline: the built-in file source, a parse step, and the greeter's sink.
export const greetPeople = Pipeline.make({
  name: "greet-people",
  description: "Greets everyone listed in a JSON Lines file of {id, name} records.",
  options: Schema.Struct({ input: Schema.String.annotations({ description: "the JSON Lines file to read" }) }),
  connectors: ["file", "greeter"],
  build: (options) =>
    Pipeline.from(jsonLinesSource(options.input)).pipe(
      Pipeline.via(parseJsonLines(Person, options.input)),
      Pipeline.to(greet)
    )
})

// 7. The plugin: what a config file's "plugins" list loads.
export default Registry.plugin({ connectors: [GreeterConnector], pipelines: [greetPeople] })
