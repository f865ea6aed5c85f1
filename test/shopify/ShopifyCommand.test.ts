// `edgesync shopify check` against the emulator: a good configuration, a bad token, an unreachable
// store; the messages say what is wrong and never show the token.
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { vi } from "vitest"
import * as Config from "../../core/Config.js"
import { command } from "../../connectors/shopify/ShopifyCommand.js"
import { emulator } from "./ShopifyTestKit.js"

const runCheck = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const log = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => void out.push(args.join(" ")))
    const error = vi.spyOn(console, "error").mockImplementation((...args: Array<unknown>) => void out.push(args.join(" ")))
    const exit = yield* Effect.exit(
      Command.run(command, { name: "edgesync", version: "test" })(["node", "edgesync", "check"]).pipe(
        Effect.provide(Layer.mergeAll(NodeContext.layer, Config.layerFromObject({ shopify: { requestTimeout: 2000 } }, env)))
      )
    )
    log.mockRestore()
    error.mockRestore()
    return { exit, output: out.join("\n") }
  })

describe("edgesync shopify check", () => {
  it.scopedLive("confirms a working configuration with the shop, the bucket and the scopes", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const { exit, output } = yield* runCheck({ SHOPIFY_STORE: em.url, SHOPIFY_ACCESS_TOKEN: em.token })
      assert.isTrue(Exit.isSuccess(exit), output)
      assert.include(output, "Shopify configuration OK.")
      assert.include(output, "2000 points, restoring 100/s")
      assert.include(output, "ok      write_customers")
      assert.notInclude(output, em.token)
    }))

  it.scopedLive("says the token was refused, without showing it", () =>
    Effect.gen(function*() {
      const em = yield* emulator()
      const { exit, output } = yield* runCheck({ SHOPIFY_STORE: em.url, SHOPIFY_ACCESS_TOKEN: "shpat_wrong_0001" })
      assert.isTrue(Exit.isFailure(exit))
      assert.include(output, "refused the access token")
      assert.notInclude(output, "shpat_wrong_0001")
    }))

  it.scopedLive("says the store does not answer", () =>
    Effect.gen(function*() {
      const { exit, output } = yield* runCheck({ SHOPIFY_STORE: "http://127.0.0.1:1", SHOPIFY_ACCESS_TOKEN: "shpat_x" })
      assert.isTrue(Exit.isFailure(exit))
      assert.include(output, "did not answer")
    }))
})
