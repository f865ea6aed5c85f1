// `web-sales-to-edge`: Shopify orders since the checkpoint become Edge web sales, each matched to an
// Edge customer (customerDownload), its customer's contact merged (conflicts), tax stripped when
// Shopify collects it (bringTaxes), filed under the web store (webStore), and written with its link,
// contact update, conflicts and matching decision in the checkpoint's transaction.
import * as OrdersSource from "../connectors/shopify/OrdersSource.js"
import * as Pipeline from "../core/Pipeline.js"
import * as WebSaleImport from "./WebSaleImport.js"
import { SyncOptions } from "./SyncOptions.js"
import * as MatchCustomer from "./transforms/MatchCustomer.js"
import * as OrderToWebSale from "./transforms/OrderToWebSale.js"
import * as PullContacts from "./transforms/PullContacts.js"
import * as StripTaxes from "./transforms/StripTaxes.js"
import * as TagWebStore from "./transforms/TagWebStore.js"

export const webSalesToEdge = Pipeline.make({
  name: "web-sales-to-edge",
  description: "Shopify orders since the last run become Edge web sales: customers matched (customerDownload), contacts merged " +
    "(conflicts), tax kept or stripped (bringTaxes), filed under the web store (webStore); refunds and cancellations update them",
  options: SyncOptions,
  optionsSection: "sync",
  connectors: ["edge", "shopify"],
  build: (options) => {
    const sales = Pipeline.from(TagWebStore.requireWebStore(OrdersSource.ordersSource, options.webStore)).pipe(
      Pipeline.via(MatchCustomer.stage(options)),
      Pipeline.via(PullContacts.forOrders(options)),
      Pipeline.via(OrderToWebSale.stage(options))
    )
    const taxed = options.bringTaxes ? sales : sales.pipe(Pipeline.via(StripTaxes.stage))
    return taxed.pipe(
      Pipeline.via(TagWebStore.stage(options.webStore)),
      Pipeline.to(WebSaleImport.sink)
    )
  }
})
