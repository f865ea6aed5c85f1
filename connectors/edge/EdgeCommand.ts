// `edgesync edge migrate | seed | reindex`: the Edge database's own commands. Each handler reads the
// `edge` config section (with EDGE_DATABASE_URL / EDGE_DATABASE_PASSWORD) through the core Config module
// and opens the database for the length of the command. Nothing here prints a password.
import { Command, Options } from "@effect/cli"
import { Console, Duration, Effect } from "effect"
import { isSupportedCountry } from "libphonenumber-js"
import * as Config from "../../core/Config.js"
import { ConfigError } from "../../core/EtlError.js"
import { CustomerLookup } from "./CustomerLookup.js"
import { EdgeConnector, type EdgeServices, layer } from "./EdgeConnector.js"
import { migrate } from "./EdgeMigrate.js"
import { defaults, seed } from "./Seed.js"

/** Runs `effect` with the Edge services of the configured database. */
const withEdge = <A, E>(effect: Effect.Effect<A, E, EdgeServices>) =>
  Effect.flatMap(Config.decodeConnector(EdgeConnector), (config) => Effect.provide(effect, layer(config)))

const migrateCommand = Command.make("migrate", {}, () =>
  withEdge(Effect.gen(function*() {
    const summary = yield* migrate
    yield* Console.log(
      summary.applied.length === 0
        ? `${summary.target}: schema is up to date`
        : `${summary.target}: applied ${summary.applied.map((name) => `"${name}"`).join(", ")}`
    )
  }))).pipe(Command.withDescription("Create or upgrade the Edge reference tables and edgesync's state tables (idempotent)"))

const count = (name: string, fallback: number, description: string) =>
  Options.integer(name).pipe(Options.withDefault(fallback), Options.withDescription(description))

const seedCommand = Command.make("seed", {
  seed: count("seed", defaults.seed, "Random seed: the same seed gives the same data"),
  customers: count("customers", defaults.customers, "Number of customers"),
  stores: count("stores", defaults.stores, "Number of retail stores (web store 98 is always added)"),
  items: count("items", defaults.items, "Number of items"),
  sales: count("sales", defaults.sales, "Number of POS sales (history for lifetime spend)"),
  webUploadShare: Options.float("web-upload-share").pipe(
    Options.withDefault(defaults.webUploadShare),
    Options.withDescription("Share of customers flagged Assign to Web Upload (0..1)")
  ),
  reset: Options.boolean("reset").pipe(Options.withDescription("Delete the existing Edge data first"))
}, (options) =>
  withEdge(Effect.gen(function*() {
    yield* migrate
    const [elapsed, summary] = yield* Effect.timed(seed(options))
    const seconds = (Duration.toMillis(elapsed) / 1000).toFixed(1)
    yield* Console.log(
      [
        `Seeded in ${seconds} s (seed ${options.seed}):`,
        `  ${summary.stores} stores (web store ${summary.webStore}, licensed), ${summary.items} items`,
        `  ${summary.customers} customers: ${summary.households} in households, ${summary.duplicates} duplicates, ` +
        `${summary.flaggedForWebUpload} assigned to web upload`,
        `  ${summary.sales} POS sales with ${summary.saleLines} lines`
      ].join("\n")
    )
  }))).pipe(Command.withDescription("Fill an empty Edge database with realistic, deterministic sample data"))

const reindexCommand = Command.make("reindex", {
  defaultCountry: Options.text("default-country").pipe(
    Options.withDefault("US"),
    Options.withDescription("Country of phone numbers typed without a country code")
  )
}, ({ defaultCountry }) =>
  Effect.gen(function*() {
    const country = defaultCountry.toUpperCase()
    if (!isSupportedCountry(country)) {
      return yield* new ConfigError({
        reason: "Invalid",
        key: "--default-country",
        value: defaultCountry,
        expected: "an ISO 3166 alpha-2 country code such as US"
      })
    }
    yield* withEdge(Effect.gen(function*() {
      const lookup = yield* CustomerLookup
      yield* lookup.rebuildIndex(country)
      yield* Console.log("Rebuilt the customer match keys")
    }))
  })).pipe(Command.withDescription("Rebuild the customer match-key index (email and E.164 phone keys) from scratch"))

export const EdgeCommand = Command.make("edge").pipe(
  Command.withDescription("The Edge database: migrate, seed, reindex"),
  Command.withSubcommands([migrateCommand, seedCommand, reindexCommand])
)
