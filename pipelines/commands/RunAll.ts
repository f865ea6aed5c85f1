// `edgesync run all [--every 15m]`: the mission pipelines the `sync` options enable, in the order The
// Edge's own service works (push Edge's customers, import web sales, pull Shopify's customer edits),
// one cycle at a time; the core `run` command drives the cycles and survives a failed one.
import { Effect } from "effect"
import type { RunGroup } from "../../core/cli/RunGroup.js"
import { enabledPipelines } from "../SyncOptions.js"
import { syncOptions } from "./MissionServices.js"

export const all: RunGroup = {
  name: "all",
  description: "customers-to-shopify, web-sales-to-edge, customers-from-shopify in turn (those the sync options enable)",
  pipelines: Effect.map(syncOptions, enabledPipelines)
}
