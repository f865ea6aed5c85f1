// Shopify's error shapes (FACTS §3, captured in graphql-base-validation-unhappy-paths.json): Shopify
// runs graphql-ruby, so graphql-js's parse and validation errors are rewritten into graphql-ruby's
// wording, `path` ("query OpName", field, …) and `extensions.code` (PARSE_ERROR, undefinedField,
// selectionMismatch, argumentNotAccepted, missingRequiredArguments, …).
import {
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  visit
} from "graphql"

export interface ShopifyError {
  readonly message: string
  readonly locations?: ReadonlyArray<{ readonly line: number; readonly column: number }>
  readonly path?: ReadonlyArray<string | number>
  readonly extensions?: Readonly<Record<string, unknown>>
}

const tokenDescription = (kind: TokenKind, value: string | undefined): string => {
  switch (kind) {
    case TokenKind.EOF:
      return "end of file"
    case TokenKind.NAME:
      return `IDENTIFIER ("${value}")`
    case TokenKind.INT:
      return `INT ("${value}")`
    case TokenKind.FLOAT:
      return `FLOAT ("${value}")`
    case TokenKind.STRING:
    case TokenKind.BLOCK_STRING:
      return `STRING ("${value}")`
    default:
      return `${kind}`
  }
}

/**
 * "syntax error, unexpected end of file at [3, 5]": graphql-ruby reports the location of the last
 * token it read, not of the end of the input.
 */
export const parseError = (query: string, error: GraphQLError): ShopifyError => {
  const at = error.locations?.[0] ?? { line: 1, column: 1 }
  let previous = { line: at.line, column: at.column }
  let unexpected = "end of file"
  try {
    const lexer = new Lexer(new Source(query))
    let token = lexer.advance()
    while (token.kind !== TokenKind.EOF) {
      if (token.line > at.line || (token.line === at.line && token.column >= at.column)) break
      previous = { line: token.line, column: token.column }
      token = lexer.advance()
    }
    unexpected = tokenDescription(token.kind, token.value)
    if (token.kind !== TokenKind.EOF) previous = { line: token.line, column: token.column }
  } catch {
    // A lexical error (bad character, unterminated string): report where graphql-js saw it.
    unexpected = error.message.replace(/^Syntax Error: /, "")
  }
  return {
    message: `syntax error, unexpected ${unexpected} at [${previous.line}, ${previous.column}]`,
    locations: [previous],
    extensions: { code: "PARSE_ERROR" }
  }
}

/** graphql-ruby's `path` for a node: the operation ("query Name") then the response keys down to it. */
const pathTo = (document: DocumentNode, target: ASTNode): ReadonlyArray<string> | undefined => {
  let found: ReadonlyArray<string> | undefined
  const stack: Array<string> = []
  visit(document, {
    OperationDefinition: {
      enter(node) {
        stack.push(node.name ? `${node.operation} ${node.name.value}` : node.operation)
        if (node === target) found = [...stack]
      },
      leave() {
        stack.pop()
      }
    },
    FragmentDefinition: {
      enter(node) {
        stack.push(`fragment ${node.name.value}`)
      },
      leave() {
        stack.pop()
      }
    },
    Field: {
      enter(node) {
        stack.push(node.alias?.value ?? node.name.value)
        if (node === target) found = [...stack]
      },
      leave() {
        stack.pop()
      }
    },
    Argument: {
      enter(node) {
        if (node === target) found = [...stack, node.name.value]
      }
    }
  })
  return found
}

const quoted = /"([^"]+)"/g
const names = (message: string): ReadonlyArray<string> => [...message.matchAll(quoted)].map((m) => m[1]!)

const base = (error: GraphQLError): Pick<ShopifyError, "locations"> =>
  error.locations === undefined ? {} : { locations: error.locations.map((l) => ({ line: l.line, column: l.column })) }

const variableDeclaring = (document: DocumentNode, node: ASTNode | undefined): string | undefined => {
  let found: string | undefined
  if (node === undefined) return undefined
  visit(document, {
    VariableDefinition(def) {
      let inner = def.type
      while (inner.kind !== Kind.NAMED_TYPE) inner = inner.type
      if (inner === node) found = def.variable.name.value
    }
  })
  return found
}

const argumentHolding = (document: DocumentNode, node: ASTNode | undefined): string | undefined => {
  let found: string | undefined
  if (node === undefined) return undefined
  visit(document, {
    Argument(arg) {
      if (arg.value === node) found = arg.name.value
    },
    ObjectField(field) {
      if (field.value === node) found = field.name.value
    }
  })
  return found
}

/** Shopify's key order: message, locations, path, extensions. */
const ordered = (e: ShopifyError): ShopifyError => ({
  message: e.message,
  ...(e.locations === undefined ? {} : { locations: e.locations }),
  ...(e.path === undefined ? {} : { path: e.path }),
  ...(e.extensions === undefined ? {} : { extensions: e.extensions })
})

/** Rewrites one graphql-js validation error into Shopify's shape. */
export const validationError = (document: DocumentNode, error: GraphQLError): ShopifyError => ordered(rewrite(document, error))

const rewrite = (document: DocumentNode, error: GraphQLError): ShopifyError => {
  const m = error.message
  const node = error.nodes?.[0]
  const path = node === undefined ? undefined : pathTo(document, node)
  const withPath = (e: ShopifyError): ShopifyError => (path === undefined ? e : { ...e, path })
  const n = names(m)
  if (m.startsWith("Invalid global id ")) {
    const argument = error.nodes?.[1]
    const argumentPath = argument === undefined ? path : pathTo(document, argument)
    return {
      message: m,
      ...(error.locations?.[0] === undefined ? {} : { locations: [{ line: error.locations[0].line, column: error.locations[0].column }] }),
      ...(argumentPath === undefined ? {} : { path: argumentPath }),
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" }
    }
  }
  if (m.startsWith("Cannot query field")) {
    const [fieldName, typeName] = n
    return withPath({
      ...base(error),
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: "undefinedField", typeName, fieldName }
    })
  }
  if (/must have a selection of subfields/.test(m)) {
    const [fieldName, typeName] = n
    const named = (typeName ?? "").replace(/[[\]!]/g, "")
    return withPath({
      ...base(error),
      message: `Field must have selections (field '${fieldName}' returns ${named} but has no selections. Did you mean '${fieldName} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${fieldName}'`, typeName: named }
    })
  }
  if (/must not have a selection since type/.test(m)) {
    const [fieldName, typeName] = n
    const named = (typeName ?? "").replace(/[[\]!]/g, "")
    const selected = node?.kind === Kind.FIELD && node.selectionSet
      ? node.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : "...")).join(", ")
      : ""
    return withPath({
      ...base(error),
      message: `Selections can't be made on scalars (field '${fieldName}' returns ${named} but has selections [${selected}])`,
      extensions: { code: "selectionMismatch", nodeName: `field '${fieldName}'`, typeName: named }
    })
  }
  if (m.startsWith("Unknown argument")) {
    const [argumentName, coordinate] = n
    const fieldName = (coordinate ?? "").split(".").pop() ?? ""
    return withPath({
      ...base(error),
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      extensions: { code: "argumentNotAccepted", name: fieldName, typeName: "Field", argumentName }
    })
  }
  if (/argument ".*" of type ".*" is required, but it was not provided/.test(m)) {
    const [fieldName, argumentName] = n
    return withPath({
      ...base(error),
      message: `Field '${fieldName}' is missing required arguments: ${argumentName}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: fieldName, arguments: argumentName }
    })
  }
  if (m.startsWith("Unknown type")) {
    const [typeName] = n
    const variable = variableDeclaring(document, node)
    return withPath({
      ...base(error),
      message: `${typeName} isn't a defined input type${variable === undefined ? "" : ` (on $${variable})`}`,
      extensions: { code: "variableRequiresValidType", typeName, ...(variable === undefined ? {} : { variableName: variable }) }
    })
  }
  if (/is never used/.test(m)) {
    const variableName = (n[0] ?? "").replace(/^\$/, "")
    const operation = n[1]
    return withPath({
      ...base(error),
      message: `Variable $${variableName} is declared by ${operation ?? "anonymous query"} but not used`,
      extensions: { code: "variableNotUsed", variableName }
    })
  }
  if (/is not defined/.test(m) && m.startsWith("Variable")) {
    const variableName = (n[0] ?? "").replace(/^\$/, "")
    const operation = n[1]
    return withPath({
      ...base(error),
      message: `Variable $${variableName} is used by ${operation ?? "anonymous query"} but not declared`,
      extensions: { code: "variableNotDefined", variableName }
    })
  }
  if (/used in position expecting type/.test(m)) {
    const [variable, varType, expected] = n
    const argument = argumentHolding(document, node)
    return withPath({
      ...base(error),
      message: `Type mismatch on variable ${variable} and argument ${argument ?? ""} (${varType} / ${expected})`,
      extensions: { code: "variableMismatch", variableName: (variable ?? "").replace(/^\$/, ""), typeName: varType }
    })
  }
  if (/cannot represent|Expected value of type|does not exist in ".*" enum/.test(m)) {
    return withPath({
      ...base(error),
      message: `Argument has an invalid value. ${m}`,
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" }
    })
  }
  return withPath({ ...base(error), message: m, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })
}
