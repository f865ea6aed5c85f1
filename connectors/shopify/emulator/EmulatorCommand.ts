// `edgesync shopify emulator`: runs the Shopify Admin API emulator until stopped (Ctrl-C) and prints
// the store URL and token as shell-exportable lines, so a user can paste them and point edgesync at it.
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as FaultSpec from "./FaultSpec.js"
import * as ShopifyEmulator from "./ShopifyEmulator.js"

const faultHelp = [
  "Inject faults into Admin API requests, deterministic for --seed.",
  "SPEC is a comma-separated list of rules:",
  "  KIND:RATE[:PARAM]                 each request fails with probability RATE (0 < RATE <= 1)",
  "  KINDxCOUNT@START[/EVERY][:PARAM]  COUNT requests in a row from request number START, again every EVERY",
  `KIND is one of ${FaultSpec.faultKinds.join(", ")}:`,
  "  429/500/502/503 answer that HTTP status (429 with Retry-After: PARAM, default 2.0, or none),",
  "  reset drops the connection before handling, reset-after after handling (the mutation is applied),",
  "  slow delays the answer by PARAM ms (default 2000), throttled answers Shopify's THROTTLED error.",
  "Examples: 429:0.05,reset:0.01   503x3@10/100   slow:0.2:1500"
].join("\n")

const port = Options.integer("port").pipe(
  Options.withDefault(0),
  Options.withDescription("TCP port on 127.0.0.1 (0 picks a free port)")
)
const plan = Options.choice("plan", ["standard", "advanced", "plus", "enterprise"] as const).pipe(
  Options.withDefault("standard" as const),
  Options.withDescription("Rate-limit plan: standard 100/s (bucket 2000), advanced 200/s, plus 1000/s, enterprise 2000/s")
)
const seedOrders = Options.integer("seed-orders").pipe(
  Options.withDefault(0),
  Options.withDescription("Orders to create at start through orderCreate (guest checkouts, refunds, cancellations included)")
)
const seedCustomers = Options.integer("seed-customers").pipe(
  Options.withDefault(0),
  Options.withDescription("Customers to create at start through customerCreate")
)
const faults = Options.text("faults").pipe(Options.optional, Options.withDescription(faultHelp))
const token = Options.text("token").pipe(
  Options.optional,
  Options.withDescription("Access token the emulator accepts (default: one derived from --seed)")
)
const seed = Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("Seed for ids, seeded data and faults"))
const searchLag = Options.integer("search-lag").pipe(
  Options.withDefault(0),
  Options.withDescription("Milliseconds before a write shows in customers(query:)/orders(query:) searches")
)

export const emulatorCommand = Command.make(
  "emulator",
  { port, plan, seedOrders, seedCustomers, faults, token, seed, searchLag },
  (o) =>
    Effect.scoped(
      Effect.gen(function*() {
        const running = yield* ShopifyEmulator.start({
          port: o.port,
          plan: o.plan,
          seed: o.seed,
          searchLagMillis: o.searchLag,
          seedCustomers: o.seedCustomers,
          seedOrders: o.seedOrders,
          ...(Option.isSome(o.faults) ? { faults: o.faults.value } : {}),
          ...(Option.isSome(o.token) ? { token: o.token.value } : {})
        })
        yield* Console.log(`SHOPIFY_STORE=${running.url}`)
        yield* Console.log(`SHOPIFY_ACCESS_TOKEN=${running.token}`)
        yield* Console.error(
          `Shopify emulator on ${running.graphqlUrl} (plan ${o.plan}); control API under ${running.url}/_emulator/. Ctrl-C stops it.`
        )
        return yield* Effect.never
      })
    )
).pipe(Command.withDescription("Run the Shopify Admin GraphQL API emulator on loopback until stopped"))
