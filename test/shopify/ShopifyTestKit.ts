// Test support for the Shopify connector: an emulator on loopback and the connector's real client
// (over @shopify/admin-api-client and real HTTP) pointed at it, with a budget of its own.
import { Chunk, Duration, Effect, Either, Layer, Option, Redacted, type Scope, Stream } from "effect"
import * as ShopifyEmulator from "../../connectors/shopify/emulator/ShopifyEmulator.js"
import * as ShopifyClient from "../../connectors/shopify/ShopifyClient.js"
import { parseStore, type Plan, ShopifyConfig } from "../../connectors/shopify/ShopifyConfig.js"
import type { Classified } from "../../core/EtlError.js"
import type * as Stage from "../../core/Stage.js"

export interface ClientOverrides {
  readonly token?: string
  readonly plan?: Plan
  readonly maxRetries?: number
  readonly requestTimeout?: Duration.Duration
}

export const configFor = (
  emulator: Pick<ShopifyEmulator.RunningEmulator, "url" | "token">,
  overrides: ClientOverrides = {}
): ShopifyConfig =>
  ShopifyConfig.make({
    store: Either.getOrThrow(parseStore(emulator.url)),
    apiVersion: "2026-07",
    accessToken: Redacted.make(overrides.token ?? emulator.token),
    requestTimeout: overrides.requestTimeout ?? Duration.seconds(10),
    plan: overrides.plan ?? "standard",
    maxRetries: overrides.maxRetries ?? 5
  })

/** The connector's client for `emulator`, with a budget no other test shares. */
export const clientLayer = (
  emulator: Pick<ShopifyEmulator.RunningEmulator, "url" | "token">,
  overrides: ClientOverrides = {}
): Layer.Layer<ShopifyClient.ShopifyClient> => Layer.orDie(ShopifyClient.layerIsolated(configFor(emulator, overrides)))

/** Starts an emulator for the test's scope (dies if it cannot start: nothing to test then). */
export const emulator = (
  options: ShopifyEmulator.StartOptions = {}
): Effect.Effect<ShopifyEmulator.RunningEmulator, never, Scope.Scope> => Effect.orDie(ShopifyEmulator.start(options))

export const readContext = (overrides: Partial<Stage.ReadContext> = {}): Stage.ReadContext => ({
  pipeline: "test-pipeline",
  runId: "run-1",
  stage: "source",
  dryRun: false,
  limit: Option.none(),
  ...overrides
})

export const stageContext = (overrides: Partial<Stage.StageContext> = {}): Stage.StageContext => ({
  pipeline: "test-pipeline",
  runId: "run-1",
  stage: "transform",
  dryRun: false,
  ...overrides
})

/** Reads a source to its end from `cursor`: the records, their cursors, and where the next read starts. */
export const drain = <A, C, E extends Classified, R>(
  source: Stage.Source<A, C, E, R>,
  cursor: Option.Option<C>,
  ctx: Stage.ReadContext = readContext()
) =>
  Effect.map(Stream.runCollect(source.read(cursor, ctx)), (chunk) => {
    const items = Chunk.toReadonlyArray(chunk)
    const last = items[items.length - 1]
    return {
      records: items.map((i) => i.record),
      cursors: items.map((i) => i.cursor),
      next: last === undefined ? cursor : Option.some(last.cursor)
    }
  })
