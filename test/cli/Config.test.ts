// The config file and environment: reading, decoding with overrides, errors that name the key, the
// value and the expectation, and secrets that never show.
import { NodeContext } from "@effect/platform-node"
import { describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { inspect } from "node:util"
import { assert } from "vitest"
import * as Config from "../../core/Config.js"
import * as Connector from "../../core/Connector.js"
import type { ConfigError } from "../../core/EtlError.js"

const tempDir = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-config-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

const Shop = Schema.Struct({
  store: Schema.String,
  port: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 65535)), { default: () => 443 }),
  mode: Schema.optionalWith(Schema.Literal("live", "test"), { default: () => "live" as const }),
  accessToken: Schema.Redacted(Schema.String.pipe(Schema.startsWith("shpat_"))),
  password: Schema.optional(Schema.String),
  limits: Schema.optional(Schema.Struct({ perSecond: Schema.Number }))
})

const shopConnector = Connector.make({
  name: "shop",
  description: "a test connector",
  config: Shop,
  environment: { SHOP_TOKEN: "accessToken", SHOP_PORT: "port", SHOP_RATE: "limits.perSecond" },
  layer: () => Layer.empty,
  stages: []
})

const decode = (file: Record<string, unknown>, env: Record<string, string> = {}) =>
  Effect.either(Config.decodeConnector(shopConnector).pipe(Effect.provide(Config.layerFromObject(file, env))))

const failure = (result: Either.Either<unknown, ConfigError>): ConfigError => {
  if (Either.isRight(result)) throw new Error("expected a ConfigError, the config decoded")
  return result.left
}

describe("Config", () => {
  it.effect("decodes a section with defaults, and environment overrides win over the file", () =>
    Effect.gen(function*() {
      const result = yield* decode(
        { shop: { store: "a", accessToken: "shpat_file", port: 8443 } },
        { SHOP_TOKEN: "shpat_env", SHOP_PORT: "9443", SHOP_RATE: "2.5" }
      )
      assert.isTrue(Either.isRight(result))
      if (Either.isRight(result)) {
        assert.strictEqual(result.right.port, 9443)
        assert.strictEqual(result.right.mode, "live")
        assert.strictEqual(Redacted.value(result.right.accessToken), "shpat_env")
        assert.deepStrictEqual(result.right.limits, { perSecond: 2.5 })
      }
    }))

  it.effect("a string override stays a string where the Schema takes a string", () =>
    Effect.gen(function*() {
      const result = yield* decode({ shop: { store: "a", accessToken: "shpat_x" } }, { SHOP_TOKEN: "shpat_123" })
      assert.strictEqual(Either.map(result, (c) => Redacted.value(c.accessToken)).pipe(Either.getOrThrow), "shpat_123")
    }))

  it.effect("a bad value names the key path, the value and what was expected", () =>
    Effect.gen(function*() {
      const port = failure(yield* decode({ shop: { store: "a", accessToken: "shpat_x", port: 70000 } }))
      assert.strictEqual(port.key, "shop.port")
      assert.strictEqual(port.value, "70000")
      assert.match(port.message, /Invalid configuration "shop\.port" \(got 70000\): expected .*65535/)

      const mode = failure(yield* decode({ shop: { store: "a", accessToken: "shpat_x", mode: "staging" } }))
      assert.strictEqual(mode.message, "Invalid configuration \"shop.mode\" (got \"staging\"): expected \"live\" or \"test\"")

      const nested = failure(yield* decode({ shop: { store: "a", accessToken: "shpat_x", limits: { perSecond: "fast" } } }))
      assert.strictEqual(nested.key, "shop.limits.perSecond")
      assert.include(nested.message, "expected a number")
    }))

  it.effect("a missing key and an unknown key are named; an unknown key lists the known ones", () =>
    Effect.gen(function*() {
      const missing = failure(yield* decode({ shop: { accessToken: "shpat_x" } }))
      assert.strictEqual(missing.reason, "Missing")
      assert.strictEqual(missing.message, "Missing configuration \"shop.store\": expected a string")
      const typo = failure(yield* decode({ shop: { store: "a", accessToken: "shpat_x", prot: 1 } }))
      assert.strictEqual(typo.key, "shop.prot")
      assert.include(typo.message, "unknown key \"prot\"")
      assert.include(typo.message, "known keys: store, port, mode, accessToken, password, limits")
    }))

  it.effect("a value from the environment says so", () =>
    Effect.gen(function*() {
      const error = failure(yield* decode({ shop: { store: "a", accessToken: "shpat_x" } }, { SHOP_PORT: "eighty" }))
      assert.strictEqual(error.key, "shop.port")
      assert.include(error.message, "got \"eighty\"")
      assert.include(error.message, "environment variable SHOP_PORT")
    }))

  it.effect("secrets never show: not in errors, not when the decoded config is printed", () =>
    Effect.gen(function*() {
      const badToken = failure(yield* decode({ shop: { store: "a", accessToken: "sk_live_SECRET" } }))
      assert.strictEqual(badToken.key, "shop.accessToken")
      assert.strictEqual(badToken.value, "<redacted>")
      assert.notInclude(badToken.message, "SECRET")
      // A key that looks secret is redacted even if its Schema forgot Redacted.
      const badPassword = failure(yield* decode({ shop: { store: "a", accessToken: "shpat_x", password: 12345 } }))
      assert.strictEqual(badPassword.value, "<redacted>")
      assert.notInclude(badPassword.message, "12345")

      const ok = yield* decode({ shop: { store: "a", accessToken: "shpat_SECRET" } })
      const config = Either.getOrThrow(ok)
      for (const shown of [String(config.accessToken), JSON.stringify(config), inspect(config, { depth: 5 })]) {
        assert.notInclude(shown, "SECRET")
      }
    }))

  it.effect("a rule between keys (a Schema filter) keeps its own message and the key it names", () =>
    Effect.gen(function*() {
      // Like the sync options' "bringSales requires syncCustomers": a filter over the whole section.
      const Window = Schema.Struct({
        from: Schema.Number,
        to: Schema.optionalWith(Schema.Number, { default: () => 10 })
      }).pipe(
        Schema.filter((w) => w.from <= w.to || { path: ["to"], message: "to must not be before from; raise to, or lower from" }),
        Schema.annotations({ title: "a window" })
      )
      const error = failure(yield* Effect.either(Config.decodeWith("window", Window, { from: 12 }, [])))
      assert.strictEqual(error.key, "window.to")
      assert.strictEqual(
        error.message,
        "Invalid configuration \"window.to\" (got 10): expected to must not be before from; raise to, or lower from"
      )
      // A plain message without a path names the section.
      const Plain = Schema.Struct({ a: Schema.Number }).pipe(Schema.filter((v) => v.a > 0 || "a must be positive"))
      const plain = failure(yield* Effect.either(Config.decodeWith("plain", Plain, { a: -1 }, [])))
      assert.strictEqual(plain.key, "plain")
      assert.include(plain.message, "expected a must be positive")
    }))

  it.effect("a section that is not an object is an error naming the section", () =>
    Effect.gen(function*() {
      const error = failure(yield* decode({ shop: "store-a" }))
      assert.strictEqual(error.message, "Invalid configuration \"shop\" (got \"store-a\"): expected an object")
    }))

  it.scoped("reads the default file if present, else uses defaults; --config must exist", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const none = yield* Config.load(Option.none(), {}).pipe(Effect.provide(NodeContext.layer), Effect.either)
      assert.isTrue(Either.isRight(none))

      const missing = path.join(dir, "nope.json")
      const error = failure(yield* Config.load(Option.some(missing), {}).pipe(Effect.provide(NodeContext.layer), Effect.either))
      assert.strictEqual(error.reason, "Unreadable")
      assert.include(error.message, missing)
      assert.include(error.message, "does not exist")

      const file = path.join(dir, "edgesync.config.json")
      yield* Effect.promise(() => fs.writeFile(file, "\uFEFF{ \"shop\": { \"store\": \"a\" } }"))
      const loaded = yield* Config.load(Option.some(file), { A: "1" }).pipe(Effect.provide(NodeContext.layer))
      assert.deepStrictEqual(loaded.file, { shop: { store: "a" } })
      assert.deepStrictEqual(loaded.path, Option.some(file))
      assert.strictEqual(loaded.env.A, "1")
    }))

  it.scoped("malformed JSON names the file, the line and the column", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "bad.json")
      yield* Effect.promise(() => fs.writeFile(file, "{\n  \"shop\": {\n    \"store\": \"a\",\n  }\n}\n"))
      const error = failure(yield* Config.load(Option.some(file), {}).pipe(Effect.provide(NodeContext.layer), Effect.either))
      assert.include(error.message, file)
      assert.include(error.message, "malformed JSON at line 4, column 3")

      yield* Effect.promise(() => fs.writeFile(file, "[1, 2]"))
      const notObject = failure(yield* Config.load(Option.some(file), {}).pipe(Effect.provide(NodeContext.layer), Effect.either))
      assert.include(notObject.message, "expected a JSON object")
    }))

  it("applyOverrides sets nested keys and reads JSON only where a string is not accepted", () => {
    const merged = Config.applyOverrides(Shop, { store: "a", limits: { perSecond: 1 } }, [
      { key: "port", value: "8080", origin: "test" },
      { key: "store", value: "123", origin: "test" },
      { key: "limits.perSecond", value: "3", origin: "test" }
    ])
    assert.deepStrictEqual(merged, { store: "123", port: 8080, limits: { perSecond: 3 } })
    assert.isTrue(Config.hasKey(Shop, "limits.perSecond"))
    assert.isFalse(Config.hasKey(Shop, "limits.burst"))
  })
})
