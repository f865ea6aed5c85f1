// Everything the mission adds to edgesync, as one record for the composition root: the three pipelines,
// the `run all` group, and the operator commands (customers, matches, demo).
import * as CustomersCommand from "./commands/CustomersCommand.js"
import * as DemoCommand from "./commands/DemoCommand.js"
import * as MatchesCommand from "./commands/MatchesCommand.js"
import * as RunAll from "./commands/RunAll.js"
import { customersFromShopify } from "./customersFromShopify.js"
import { customersToShopify } from "./customersToShopify.js"
import { webSalesToEdge } from "./webSalesToEdge.js"

export const Mission = {
  /** In the order `run all` runs them. */
  pipelines: [customersToShopify, webSalesToEdge, customersFromShopify],
  groups: [RunAll.all],
  commands: [CustomersCommand.command, MatchesCommand.command, DemoCommand.command]
} as const
