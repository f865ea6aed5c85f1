// `edgesync shopify check`: verifies the Shopify configuration against the store (reachable, token
// accepted, the scopes the pipelines need); `edgesync shopify emulator` runs the local Admin API emulator.
import { Command } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as Config from "../../core/Config.js"
import { ShopCheck } from "./documents/ShopDocuments.js"
import { emulatorCommand } from "./emulator/EmulatorCommand.js"
import * as Client from "./ShopifyClient.js"
import { ShopifyConfig } from "./ShopifyConfig.js"
import { ShopifyConnector } from "./ShopifyConnector.js"
import type { ShopifyError } from "./ShopifyError.js"
import { ScopesMissing } from "./ScopesMissing.js"

/** The scopes the edgesync pipelines use, and what each is for. */
export const requiredScopes: ReadonlyArray<readonly [scope: string, purpose: string]> = [
  ["read_customers", "read customers (customers-from-shopify, linking)"],
  ["write_customers", "create and update customers, send invites (customers-to-shopify)"],
  ["read_orders", "read orders (web-sales-to-edge)"]
]

/** A write scope implies its read scope on Shopify. */
export const grants = (granted: ReadonlyArray<string>, scope: string): boolean =>
  granted.includes(scope) || scope.startsWith("read_") && granted.includes(`write_${scope.slice("read_".length)}`)

const hint = (error: ShopifyError): string => {
  switch (error.reason) {
    case "Unauthorized":
      return "The store answered, but refused the access token: set SHOPIFY_ACCESS_TOKEN (or shopify.accessToken) " +
        "to the Admin API token of the app installed on this store."
    case "Transport":
      return `The store did not answer: check SHOPIFY_STORE (or shopify.store) and the network.`
    case "NotFound":
      return "Nothing answers at this store and API version: check the store domain and shopify.apiVersion."
    case "AccessDenied":
      return "The token works but lacks access: grant the app the scopes listed below and reinstall it."
    default:
      return "The store answered with an error."
  }
}

export const check = Command.make("check", {}, () =>
  Effect.gen(function*() {
    const configured = yield* Config.decodeConnector(ShopifyConnector)
    // One retry is enough to tell a flaky network from a wrong address, and keeps the check quick.
    const config = ShopifyConfig.make({ ...configured, maxRetries: Math.min(configured.maxRetries, 1) })
    yield* Console.log(`Store:       ${config.store.origin}`)
    yield* Console.log(`API version: ${config.apiVersion}`)
    const result = yield* Effect.flatMap(Client.ShopifyClient, (client) => client.request(ShopCheck, {})).pipe(
      Effect.provide(Client.layer(config)),
      Effect.tapError((error) => error._tag === "ShopifyError" ? Console.error(`Check failed. ${hint(error)}`) : Effect.void)
    )
    const { currentAppInstallation, shop } = result.data
    yield* Console.log(`Shop:        ${shop.name} (${shop.myshopifyDomain}), currency ${shop.currencyCode}, ${shop.ianaTimezone}`)
    yield* Console.log(`Plan:        ${shop.plan.publicDisplayName}${shop.plan.shopifyPlus ? " (Shopify Plus)" : ""}`)
    const bucket = Option.flatMap(result.cost, (c) => Option.fromNullable(c.throttleStatus))
    if (Option.isSome(bucket)) {
      yield* Console.log(
        `Rate limit:  ${bucket.value.maximumAvailable} points, restoring ${bucket.value.restoreRate}/s ` +
          `(${bucket.value.currentlyAvailable} available now)`
      )
    }
    const granted = currentAppInstallation.accessScopes.map((s) => s.handle)
    yield* Console.log(`Token:       accepted; scopes ${granted.length === 0 ? "(none)" : granted.join(", ")}`)
    const missing = requiredScopes.filter(([scope]) => !grants(granted, scope))
    for (const [scope, purpose] of requiredScopes) {
      yield* Console.log(`  ${grants(granted, scope) ? "ok     " : "MISSING"} ${scope}: ${purpose}`)
    }
    if (!grants(granted, "read_all_orders")) {
      yield* Console.log(
        "  note    read_all_orders not granted: Shopify shows only the last 60 days of orders (enough for ongoing sync)."
      )
    }
    if (missing.length > 0) {
      yield* Console.error(`Check failed: the token lacks ${missing.map(([s]) => s).join(", ")}.`)
      return yield* Effect.fail(new ScopesMissing({ scopes: missing.map(([s]) => s) }))
    }
    yield* Console.log("Shopify configuration OK.")
  })).pipe(Command.withDescription(
    "Verify the Shopify configuration: the store answers, the access token is accepted, and the app has the " +
      "scopes the pipelines need.\n\nExample: SHOPIFY_STORE=my-shop.myshopify.com SHOPIFY_ACCESS_TOKEN=shpat_... edgesync shopify check"
  ))

export const command = Command.make("shopify").pipe(
  Command.withDescription("Shopify connector tools: check a store configuration, run the local emulator."),
  Command.withSubcommands([check, emulatorCommand])
)
