// Test support: the real @shopify/admin-api-client pointed at a running emulator. The GraphQL client
// always builds https URLs, so `customFetchApi` rewrites them to the emulator's http (FACTS §8.2).
import { createAdminApiClient } from "@shopify/admin-api-client"
import { Effect } from "effect"
import type { RunningEmulator } from "../../../connectors/shopify/emulator/ShopifyEmulator.js"

export type AdminClient = ReturnType<typeof createAdminApiClient>

export const adminClient = (emulator: Pick<RunningEmulator, "url" | "token">, options: { readonly token?: string; readonly apiVersion?: string; readonly retries?: number } = {}): AdminClient =>
  createAdminApiClient({
    storeDomain: emulator.url,
    apiVersion: options.apiVersion ?? "2026-07",
    accessToken: options.token ?? emulator.token,
    retries: options.retries ?? 0,
    customFetchApi: (url, init) => fetch(url.replace(/^https:/, "http:"), init)
  })

export interface GraphqlAnswer {
  readonly data?: Record<string, unknown> | undefined
  readonly errors?: {
    readonly networkStatusCode?: number | undefined
    readonly message?: string | undefined
    readonly graphQLErrors?: ReadonlyArray<unknown> | undefined
  } | undefined
  readonly extensions?: Record<string, unknown> | undefined
  readonly headers?: Headers | undefined
}

/** `client.request` as an Effect (the client only rejects for misuse, never for API errors). */
export const request = (client: AdminClient, query: string, variables?: Record<string, unknown>) =>
  Effect.promise(() => client.request(query, variables === undefined ? {} : { variables }) as Promise<GraphqlAnswer>)

/** POSTs raw JSON to the emulator, for answers the client does not surface (status, body, headers). */
export const rawPost = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body)
    })
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  })
