// Test support: the real Shopify Admin 2026-07 schema from ../shared/shopify (reference data that is
// never copied into the project), and `validateAgainstRealSchema`, which the connector's tests use to
// prove the GraphQL documents they send are valid on the real API, not just on the emulator.
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { buildSchema, type GraphQLSchema, parse, validate } from "graphql"

export const realSchemaPath: string = fileURLToPath(
  new URL("../../../../shared/shopify/admin-2026-07.graphql", import.meta.url)
)

export const sharedShopifyDir: string = fileURLToPath(new URL("../../../../shared/shopify/", import.meta.url))

const missingMessage = () =>
  `The real Shopify schema is missing at ${realSchemaPath}. It is reference data kept outside the project ` +
  `(../shared/shopify/admin-2026-07.graphql); restore it to run the schema-fidelity tests.`

// Building the 3.8 MB SDL takes about two seconds, so it is built once per test worker. A memo in test
// support only; library code keeps no module state.
const memo: { schema?: GraphQLSchema } = {}

/** The real schema; throws with a clear message when ../shared/shopify is not there. */
export const realSchema = (): GraphQLSchema => {
  if (memo.schema !== undefined) return memo.schema
  if (!existsSync(realSchemaPath)) throw new Error(missingMessage())
  memo.schema = buildSchema(readFileSync(realSchemaPath, "utf8"))
  return memo.schema
}

/**
 * Validates a GraphQL document against the real 2026-07 Admin schema: an empty array when Shopify
 * would accept it, else graphql-js's messages (syntax errors included).
 */
export const validateAgainstRealSchema = (document: string): ReadonlyArray<string> => {
  const schema = realSchema()
  let ast
  try {
    ast = parse(document)
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)]
  }
  return validate(schema, ast).map((e) => e.message)
}
