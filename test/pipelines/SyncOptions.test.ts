import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, Schema } from "effect"
import * as Config from "../../core/Config.js"
import { ConfigError } from "../../core/EtlError.js"
import * as SyncOptions from "../../pipelines/SyncOptions.js"

const decodeSchema = Schema.decodeUnknownEither(SyncOptions.SyncOptions)
/** The options as a run (and `run all`, and the operator commands) decodes its config section. */
const decodeConfig = (raw: unknown) => Config.decodeWith("sync", SyncOptions.SyncOptions, raw, [])

describe("SyncOptions", () => {
  it("defaults are exactly the issue's table", () => {
    assert.deepStrictEqual(SyncOptions.defaults, {
      syncCustomers: true,
      sendInviteOnUpload: false,
      customerDownload: "phone-or-email",
      bringSales: true,
      bringTaxes: true,
      webStore: 98,
      defaultCountry: "US",
      conflicts: "edge-wins"
    })
    assert.deepStrictEqual(Either.getOrThrow(decodeSchema({})), SyncOptions.defaults)
  })

  it("accepts the text forms that --option key=value produces", () => {
    const decoded = Either.getOrThrow(decodeSchema({ bringTaxes: "false", webStore: "7", sendInviteOnUpload: "true" }))
    assert.strictEqual(decoded.bringTaxes, false)
    assert.strictEqual(decoded.webStore, 7)
    assert.strictEqual(decoded.sendInviteOnUpload, true)
  })

  it.effect("rejects bad values, naming the key", () =>
    Effect.gen(function*() {
      for (
        const [raw, key] of [
          [{ customerDownload: "phone" }, "sync.customerDownload"],
          [{ conflicts: "last-wins" }, "sync.conflicts"],
          [{ webStore: 0 }, "sync.webStore"],
          [{ webStore: "9.5" }, "sync.webStore"],
          [{ defaultCountry: "USA" }, "sync.defaultCountry"],
          [{ bringTaxes: "no" }, "sync.bringTaxes"],
          [{ bringTax: false }, "sync.bringTax"]
        ] as const
      ) {
        const error = yield* Effect.flip(decodeConfig(raw))
        assert.instanceOf(error, ConfigError)
        assert.strictEqual(error.reason, "Invalid")
        assert.strictEqual(error.key, key, JSON.stringify(raw))
      }
    }))

  it.effect("refuses bringSales without syncCustomers, naming both options", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(decodeConfig({ syncCustomers: false }))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(decodeConfig({ syncCustomers: false }))
      assert.strictEqual(error.reason, "Invalid")
      // The filter's own message, at the option it is about (bringSales is on by default).
      assert.strictEqual(error.key, "sync.bringSales")
      assert.strictEqual(
        error.message,
        "Invalid configuration \"sync.bringSales\" (got true): expected bringSales requires syncCustomers " +
          "(an imported web sale links and updates its customer); turn syncCustomers on, or bringSales off"
      )
      // The Schema the runner decodes with refuses it too, with a message naming the options.
      const schemaError = decodeSchema({ syncCustomers: false })
      assert.isTrue(Either.isLeft(schemaError))
      if (Either.isLeft(schemaError)) assert.include(String(schemaError.left), "bringSales requires syncCustomers")
    }))

  it.effect("refuses sendInviteOnUpload without syncCustomers", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        decodeConfig({ syncCustomers: false, bringSales: false, sendInviteOnUpload: true })
      )
      assert.strictEqual(error.key, "sync.sendInviteOnUpload")
      assert.include(error.message, "sendInviteOnUpload requires syncCustomers")
    }))

  it("allows every consistent combination", () => {
    for (const syncCustomers of [true, false]) {
      for (const bringSales of [true, false]) {
        for (const sendInviteOnUpload of [true, false]) {
          const raw = { syncCustomers, bringSales, sendInviteOnUpload }
          const consistent = syncCustomers || (!bringSales && !sendInviteOnUpload)
          assert.strictEqual(Either.isRight(decodeSchema(raw)), consistent, JSON.stringify(raw))
        }
      }
    }
  })

  it("enables the pipelines in run-all order", () => {
    assert.deepStrictEqual(SyncOptions.enabledPipelines(SyncOptions.defaults), [
      "customers-to-shopify",
      "web-sales-to-edge",
      "customers-from-shopify"
    ])
    assert.deepStrictEqual(
      SyncOptions.enabledPipelines({ ...SyncOptions.defaults, bringSales: false }),
      ["customers-to-shopify", "customers-from-shopify"]
    )
    assert.deepStrictEqual(
      SyncOptions.enabledPipelines({ ...SyncOptions.defaults, bringSales: false, syncCustomers: false }),
      []
    )
  })
})
