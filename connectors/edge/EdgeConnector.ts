// The Edge connector: everything edgesync knows about The Edge's database, as one value for the
// registry. Its layer opens the database and offers the services the Edge stages and the mission
// pipelines use; its state store is the core SqlStateStore on the same SqlClient, so that
// `edge.webSales` (and the other Edge sinks) commit the runner's checkpoint in their own transaction.
import type { SqlClient } from "@effect/sql"
import { Layer } from "effect"
import * as Connector from "../../core/Connector.js"
import * as SqlStateStore from "../../core/SqlStateStore.js"
import { ContactConflicts } from "./ContactConflicts.js"
import { CustomerLookup } from "./CustomerLookup.js"
import { EdgeConfig } from "./EdgeConfig.js"
import { EdgeCustomers } from "./EdgeCustomers.js"
import * as EdgeDb from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import { MatchDecisions } from "./MatchDecisions.js"

/** What the Edge connector's layer provides. */
export type EdgeServices =
  | EdgeDb.EdgeDb
  | SqlClient.SqlClient
  | CustomerLookup
  | EdgeCustomers
  | MatchDecisions
  | ContactConflicts

/** Opens the Edge database once and builds every Edge service on it. */
export const layer = (config: EdgeConfig): Layer.Layer<EdgeServices, EdgeDbError> =>
  Layer.mergeAll(CustomerLookup.Default, EdgeCustomers.Default, MatchDecisions.Default, ContactConflicts.Default).pipe(
    Layer.provideMerge(EdgeDb.layer(config))
  )

export const EdgeConnector = Connector.make({
  name: "edge",
  description: "The Edge point-of-sale database (MySQL/MariaDB, or SQLite for demos): customers, links, web sales",
  config: EdgeConfig,
  environment: { EDGE_DATABASE_URL: "database", EDGE_DATABASE_PASSWORD: "password" },
  layer,
  stateStore: SqlStateStore.layer,
  stages: [
    {
      kind: "source",
      name: "edge.customersToUpload",
      description: "Customers assigned to web upload and not linked, and linked customers whose contact fields changed in Edge"
    },
    {
      kind: "sink",
      name: "edge.customerLinks",
      description: "Writes links to Shopify customers (method, snapshot, invite time); clears the web-upload flag"
    },
    {
      kind: "sink",
      name: "edge.customerContacts",
      description: "Applies contact values decided from Shopify to linked customers and updates their snapshot"
    },
    {
      kind: "sink",
      name: "edge.webSales",
      description: "Writes Shopify orders as web sales (lines, tenders, taxes), idempotent, checkpoint in the same transaction"
    }
  ]
})
