// `customers-from-shopify`: Shopify customers changed since the checkpoint (Shopify tells nobody when a
// customer edits their profile, so we poll), merged into their linked Edge customers by the three-way
// merge; unlinked Shopify customers are not imported.
import * as CustomersSource from "../connectors/shopify/CustomersSource.js"
import * as Pipeline from "../core/Pipeline.js"
import * as CustomerWrites from "./CustomerWrites.js"
import { SyncOptions } from "./SyncOptions.js"
import * as PullContacts from "./transforms/PullContacts.js"

export const customersFromShopify = Pipeline.make({
  name: "customers-from-shopify",
  description: "Shopify customers changed since the last run update their linked Edge customers (three-way merge, per " +
    "conflicts); unlinked Shopify customers are not imported",
  options: SyncOptions,
  optionsSection: "sync",
  connectors: ["edge", "shopify"],
  build: (options) =>
    Pipeline.from(CustomersSource.customersSource).pipe(
      Pipeline.via(PullContacts.forCustomers(options)),
      Pipeline.to(CustomerWrites.sink)
    )
})
