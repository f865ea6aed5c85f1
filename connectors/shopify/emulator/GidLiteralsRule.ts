// A validation rule Shopify applies before running anything: an ID argument written inline must be a
// global id, else "Invalid global id 'not-a-gid'" with code argumentLiteralsIncompatible, reported at
// the field, and no data (captured in bulk-operations-read-arg-validation.json). Variables are checked
// when resolved.
import { type FieldNode, getNamedType, GraphQLError, Kind, type ValidationRule } from "graphql"
import * as Gid from "./Gid.js"

export const GidLiteralsRule: ValidationRule = (context) => {
  const fields: Array<FieldNode> = []
  return {
    Field: {
      enter(node) {
        fields.push(node)
      },
      leave() {
        fields.pop()
      }
    },
    Argument(node) {
      const arg = context.getArgument()
      const field = fields[fields.length - 1]
      if (arg === null || arg === undefined || field === undefined || node.value.kind !== Kind.STRING) return
      if (getNamedType(arg.type).name !== "ID") return
      if (!Gid.isGid(node.value.value)) {
        // The path graphql-ruby reports ends at the argument; the location is the field's.
        context.reportError(new GraphQLError(`Invalid global id '${node.value.value}'`, { nodes: [field, node] }))
      }
    }
  }
}
