// What the mission's commands run with: the Edge services (and for some the Shopify client) of the
// configured database and store, read through the core Config module like any run, and the decoded
// `sync` options.
import { Effect, Layer } from "effect"
import { EdgeConnector, layer as edgeLayer } from "../../connectors/edge/EdgeConnector.js"
import { ShopifyConnector } from "../../connectors/shopify/ShopifyConnector.js"
import * as Config from "../../core/Config.js"
import * as SyncOptions from "../SyncOptions.js"

/** Runs `effect` with the Edge services of the configured database (opened for its length). */
export const withEdge = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Config.decodeConnector(EdgeConnector), (config) => Effect.provide(effect, edgeLayer(config)))

/** Runs `effect` with the Edge services and the Shopify client of the configured store. */
export const withEdgeAndShopify = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(
    Effect.all([Config.decodeConnector(EdgeConnector), Config.decodeConnector(ShopifyConnector)]),
    ([edge, shopify]) => Effect.provide(effect, Layer.merge(edgeLayer(edge), ShopifyConnector.layer(shopify)))
  )

/**
 * The `sync` options of the config file (defaults where absent), decoded exactly as a run of a mission
 * pipeline decodes them: a contradiction fails with the Schema filter's message, which names the options.
 */
export const syncOptions = Config.decodeSection("sync", SyncOptions.SyncOptions)
