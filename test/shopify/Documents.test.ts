// Every GraphQL document the connector sends validates against the real Shopify Admin schema 2026-07
// (../shared/shopify/admin-2026-07.graphql), and each costs what Shopify's rules say it does.
import { assert, describe, it } from "@effect/vitest"
import { buildSchema, type GraphQLSchema, parse, validate } from "graphql"
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import * as BulkDocuments from "../../connectors/shopify/documents/BulkDocuments.js"
import * as CustomerDocuments from "../../connectors/shopify/documents/CustomerDocuments.js"
import * as OrderDocuments from "../../connectors/shopify/documents/OrderDocuments.js"
import * as ShopDocuments from "../../connectors/shopify/documents/ShopDocuments.js"
import { isOperation } from "../../connectors/shopify/Operation.js"
import * as QueryCost from "../../connectors/shopify/QueryCost.js"

const schemaPath = resolve(process.cwd(), "../shared/shopify/admin-2026-07.graphql")

const realSchema = (): GraphQLSchema => {
  if (!existsSync(schemaPath)) {
    throw new Error(
      `The real Shopify Admin schema is missing: expected ${schemaPath} (the shared reference data beside the ` +
        `project). These tests cannot prove the documents valid without it.`
    )
  }
  return buildSchema(readFileSync(schemaPath, "utf8"))
}

const documents = (): ReadonlyArray<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  for (const module of [CustomerDocuments, OrderDocuments, BulkDocuments, ShopDocuments]) {
    for (const [name, value] of Object.entries(module)) {
      if (isOperation(value)) out.push([name, value.document])
    }
  }
  for (const bulk of [BulkDocuments.OrdersBulkQuery, BulkDocuments.CustomersBulkQuery]) {
    out.push([bulk.name, bulk.document("updated_at:>='2026-01-01T00:00:00Z' id:>5")])
  }
  return out
}

describe("GraphQL documents", () => {
  const schema = realSchema()
  const all = documents()

  it("finds every document module's operations", () => {
    assert.isAtLeast(all.length, 17)
  })

  for (const [name, document] of all) {
    it(`${name} validates against the real 2026-07 schema`, () => {
      const errors = validate(schema, parse(document))
      assert.deepStrictEqual(errors.map((e) => e.message), [])
    })
  }

  it("estimates the costs Shopify reported in the captures (FACTS §4)", () => {
    assert.strictEqual(QueryCost.estimate(`query { customers(first: 1, query: "x") { nodes { id } } }`), 3)
    assert.strictEqual(QueryCost.estimate(`query { products(first: 1) { edges { node { title } } } }`), 3)
    assert.strictEqual(QueryCost.estimate(`query { customer(id: "gid://shopify/Customer/1") { id state } }`), 1)
    assert.strictEqual(QueryCost.estimate(`query { productsCount { count precision } }`), 10)
    assert.strictEqual(QueryCost.estimate(`mutation { customerDelete(input: { id: "x" }) { deletedCustomerId userErrors { field message } } }`), 11)
  })

  it("sizes pages under the single query limit", () => {
    const orders = QueryCost.largestPage(OrderDocuments.OrdersUpdatedSince.document, { lineItems: 10 }, "first")
    assert.isAbove(orders, 0)
    assert.isAtMost(QueryCost.estimate(OrderDocuments.OrdersUpdatedSince.document, { first: orders, lineItems: 10 }), 1000)
    assert.isAbove(QueryCost.estimate(OrderDocuments.OrdersUpdatedSince.document, { first: orders + 1, lineItems: 10 }), 1000)
    const customers = QueryCost.largestPage(CustomerDocuments.CustomersUpdatedSince.document, {}, "first")
    assert.isAtMost(QueryCost.estimate(CustomerDocuments.CustomersUpdatedSince.document, { first: customers }), 1000)
  })
})
