// A Shopify token pasted into the store URL (as its user, its password, or around a mistyped URL) is
// refused with a message that quotes the URL without it: through the config file, the check command's
// decoder, and the Schema. The CLI-wide scan (secrets.test.ts) found this leak; these pin each path.
import { describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { assert } from "vitest"
import { decodeStore, parseStore, ShopifyConfig, Store } from "../../../connectors/shopify/ShopifyConfig.js"
import * as Config from "../../../core/Config.js"

const token = "shpat_pasted0123456789abcdef0123456789"

const written = [
  `http://shop:${token}@127.0.0.1:8123`,
  `http://${token}@127.0.0.1:8123`,
  `https://admin:${token}@my-shop.myshopify.com`,
  `https://admin:${token}@my-shop.myshopify.com/admin/api`,
  `${token}@my-shop.myshopify.com`,
  `https://x:${token}/oops@my-shop.myshopify.com`,
  `ftp://a:${token}@my-shop.myshopify.com`
]

describe("a store URL carrying credentials", () => {
  for (const store of written) {
    it.effect(`is refused without quoting them: ${store.replace(token, "TOKEN")}`, () =>
      Effect.gen(function*() {
        const parsed = parseStore(store)
        assert.isTrue(Either.isLeft(parsed))
        if (Either.isLeft(parsed)) {
          assert.notInclude(parsed.left, token)
          assert.include(parsed.left, "<redacted>@")
        }
        const checked = decodeStore(store)
        assert.isTrue(Either.isLeft(checked))
        if (Either.isLeft(checked)) assert.notInclude(checked.left.message, token)
        const decoded = Schema.decodeUnknownEither(Store)(store)
        assert.isTrue(Either.isLeft(decoded))
        if (Either.isLeft(decoded)) assert.notInclude(String(decoded.left), token)
        const fromFile = yield* Effect.flip(Config.decodeWith("shopify", ShopifyConfig, { store, accessToken: token }, []))
        assert.notInclude(fromFile.message, token)
        assert.include(fromFile.message, "shopify.store")
      }))
  }

  it("a store without credentials is quoted as written", () => {
    const parsed = parseStore("http://example.com:8123")
    assert.deepStrictEqual(parsed, Either.left("\"http://example.com:8123\" uses plain http on a non-loopback host: only the emulator on 127.0.0.1 may use http"))
  })
})
