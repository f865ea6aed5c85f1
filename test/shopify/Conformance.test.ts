// The shared connector conformance suite on the Shopify connector and both of its sources, each read
// from a freshly seeded emulator over real HTTP.
import { Effect, Layer } from "effect"
import { customers } from "../../connectors/shopify/CustomersSource.js"
import * as ShopifyEmulator from "../../connectors/shopify/emulator/ShopifyEmulator.js"
import { orders } from "../../connectors/shopify/OrdersSource.js"
import { ShopifyConnector } from "../../connectors/shopify/ShopifyConnector.js"
import * as SyncCursor from "../../connectors/shopify/SyncCursor.js"
import * as conformance from "../support/conformance.js"
import { clientLayer, type ClientOverrides } from "./ShopifyTestKit.js"

const seeded = (overrides: ClientOverrides = {}) =>
  Layer.unwrapScoped(Effect.map(
    Effect.orDie(ShopifyEmulator.start({ seedCustomers: 30, seedOrders: 40 })),
    (em) => clientLayer(em, overrides)
  ))

conformance.source({
  source: orders({ pageSize: 9 }),
  layer: seeded(),
  compareCursor: SyncCursor.compare,
  minimum: 40,
  failing: { source: orders(), layer: seeded({ token: "shpat_not_the_token" }) }
})

conformance.source({
  source: customers({ pageSize: 7 }),
  layer: seeded(),
  compareCursor: SyncCursor.compare,
  minimum: 30,
  failing: { source: customers(), layer: seeded({ token: "shpat_not_the_token" }) }
})

conformance.source({
  name: "source shopify.customers conformance, through a bulk backfill",
  source: customers({ backfill: true, bulkPollInterval: "50 millis" }),
  layer: seeded(),
  compareCursor: SyncCursor.compare,
  minimum: 30
})

conformance.connector(
  ShopifyConnector,
  { store: "my-shop.myshopify.com", accessToken: "shpat_sample_secret_123", apiVersion: "2026-07", requestTimeout: "20 seconds" },
  {
    invalid: [
      { store: "https://example.com", accessToken: "x" },
      { store: "my-shop.myshopify.com" },
      { store: "my-shop.myshopify.com", accessToken: "x", apiVersion: "2026-05" },
      { store: "http://10.0.0.1:8080", accessToken: "x" }
    ],
    secrets: ["shpat_sample_secret_123"]
  }
)
