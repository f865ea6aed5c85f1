// The built-in `shopify` connector: the Shopify Admin GraphQL API through one paced, retrying client per
// shop, with sources for orders and customers and stages that write customers and send invites.
import * as Connector from "../../core/Connector.js"
import * as ShopifyClient from "./ShopifyClient.js"
import { environment, ShopifyConfig } from "./ShopifyConfig.js"

export const ShopifyConnector = Connector.make({
  name: "shopify",
  description: "Shopify Admin GraphQL API: orders and customers in, customers and invites out, paced by the shop's cost budget",
  config: ShopifyConfig,
  environment,
  layer: ShopifyClient.layer,
  stages: [
    {
      kind: "source",
      name: "shopify.orders",
      description: "orders updated since the last run, with everything a web sale needs (OrdersSource.orders)"
    },
    {
      kind: "source",
      name: "shopify.customers",
      description: "customers updated since the last run (CustomersSource.customers)"
    },
    {
      kind: "transform",
      name: "shopify.upsertCustomer",
      description: "creates or updates customers, links to existing ones by email or phone (UpsertCustomer.upsertCustomer)"
    },
    {
      kind: "transform",
      name: "shopify.sendInvite",
      description: "sends the customer account invite and reports the outcome (SendInvite.sendInvite)"
    }
  ]
})
