// The `shopify` config section: store values, defaults, environment overrides and clear errors.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Either, Redacted } from "effect"
import * as Config from "../../core/Config.js"
import { parseStore } from "../../connectors/shopify/ShopifyConfig.js"
import { ShopifyConnector } from "../../connectors/shopify/ShopifyConnector.js"

describe("ShopifyConfig", () => {
  it("reads shop domains and loopback emulator URLs", () => {
    assert.deepStrictEqual(Either.getOrThrow(parseStore("my-shop.myshopify.com")), {
      origin: "https://my-shop.myshopify.com",
      domain: "my-shop.myshopify.com",
      insecure: false
    })
    assert.strictEqual(Either.getOrThrow(parseStore("my-shop")).origin, "https://my-shop.myshopify.com")
    assert.strictEqual(Either.getOrThrow(parseStore("https://my-shop.myshopify.com/")).domain, "my-shop.myshopify.com")
    assert.deepStrictEqual(Either.getOrThrow(parseStore("http://127.0.0.1:4567")), {
      origin: "http://127.0.0.1:4567",
      domain: "127.0.0.1:4567",
      insecure: true
    })
  })

  it("refuses stores that are not a shop or the emulator", () => {
    for (const bad of ["", "http://example.com:80", "https://example.com", "ftp://x.myshopify.com", "my shop", "https://a.myshopify.com/admin", "http://127.0.0.1"]) {
      assert.isTrue(Either.isLeft(parseStore(bad)), bad)
    }
  })

  it.effect("decodes the section with the environment overriding it, secrets redacted", () =>
    Effect.gen(function*() {
      const config = yield* Config.decodeConnector(ShopifyConnector).pipe(
        Effect.provide(Config.layerFromObject(
          { shopify: { store: "file-shop.myshopify.com", accessToken: "from-file", requestTimeout: "5 seconds" } },
          { SHOPIFY_STORE: "http://127.0.0.1:9999", SHOPIFY_ACCESS_TOKEN: "shpat_env_secret" }
        ))
      )
      assert.strictEqual(config.store.origin, "http://127.0.0.1:9999")
      assert.strictEqual(Redacted.value(config.accessToken), "shpat_env_secret")
      assert.strictEqual(config.apiVersion, "2026-07")
      assert.strictEqual(Duration.toMillis(config.requestTimeout), 5000)
      assert.strictEqual(config.plan, "standard")
      assert.notInclude(String(config.accessToken), "shpat_env_secret")
    }))

  it.effect("names a bad store in a ConfigError", () =>
    Effect.gen(function*() {
      const error = yield* Config.decodeConnector(ShopifyConnector).pipe(
        Effect.provide(Config.layerFromObject({ shopify: { store: "https://example.com", accessToken: "x" } })),
        Effect.flip
      )
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.message, "store")
      assert.include(error.message, "myshopify.com")
    }))

  it.effect("says a missing token is missing", () =>
    Effect.gen(function*() {
      const error = yield* Config.decodeConnector(ShopifyConnector).pipe(
        Effect.provide(Config.layerFromObject({ shopify: { store: "my-shop" } })),
        Effect.flip
      )
      assert.include(error.message, "accessToken")
    }))
})
