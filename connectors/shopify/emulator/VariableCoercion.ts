// Coerces a request's variables the way Shopify reports bad ones (FACTS §3, captured): a top-level
// INVALID_VARIABLE error per variable, "Variable $input of type CustomerInput! was provided invalid
// value for taxExemptions.0 (Expected "X" to be one of: …)", with the provided `value` and the
// `problems` list. Also enforces the one-of input CustomerIdentifierInput and the 250-item input
// array limit (MAX_INPUT_SIZE_EXCEEDED).
import {
  coerceInputValue,
  getNamedType,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type OperationDefinitionNode,
  print,
  typeFromAST,
  valueFromAST
} from "graphql"
import type { ShopifyError } from "./GraphqlErrors.js"

export const maxInputArray = 250

/** Input types where exactly one field must be given (Shopify's @oneOf inputs). */
const oneOfTypes: ReadonlySet<string> = new Set(["CustomerIdentifierInput"])

interface Problem {
  readonly path: ReadonlyArray<string | number>
  readonly explanation: string
}

const explain = (error: GraphQLError, invalidValue: unknown, type: GraphQLInputType | undefined): string => {
  const m = error.message
  if (/not to be null|was not provided/.test(m)) return "Expected value to not be null"
  const notDefined = /^Field "([^"]+)" is not defined by type "([^"]+)"/.exec(m)
  if (notDefined) return `Field is not defined on ${notDefined[2]}`
  const named = type === undefined ? undefined : getNamedType(type)
  if (named !== undefined && isEnumType(named) && /enum|Enum/.test(m)) {
    return `Expected ${JSON.stringify(invalidValue)} to be one of: ${named.getValues().map((v) => v.name).join(", ")}`
  }
  if (/cannot represent/.test(m) && named !== undefined) return `Could not coerce value ${JSON.stringify(invalidValue)} to ${named.name}`
  return m
}

/** Finds the input type at `path` inside `type`, to name enums and scalars in explanations. */
const typeAt = (type: GraphQLInputType, path: ReadonlyArray<string | number>): GraphQLInputType | undefined => {
  let t: GraphQLInputType | undefined = type
  for (const key of path) {
    if (t === undefined) return undefined
    const inner: GraphQLInputType = isNonNullType(t) ? t.ofType : t
    if (typeof key === "number") t = isListType(inner) ? inner.ofType : undefined
    else t = isInputObjectType(inner) ? inner.getFields()[key]?.type : undefined
  }
  return t
}

const oneOfProblems = (type: GraphQLInputType, value: unknown, path: ReadonlyArray<string | number>): ReadonlyArray<Problem> => {
  if (value === null || value === undefined) return []
  const inner = isNonNullType(type) ? type.ofType : type
  if (isListType(inner) && Array.isArray(value)) {
    return value.flatMap((v, i) => oneOfProblems(inner.ofType, v, [...path, i]))
  }
  if (!isInputObjectType(inner) || typeof value !== "object") return []
  const record = value as Readonly<Record<string, unknown>>
  const problems: Array<Problem> = []
  if (oneOfTypes.has(inner.name)) {
    const given = Object.keys(record).filter((k) => record[k] !== null && record[k] !== undefined).length
    if (given !== 1) {
      problems.push({ path, explanation: `'${inner.name}' requires exactly one argument, but ${given} were provided.` })
    }
  }
  for (const [key, field] of Object.entries(inner.getFields())) {
    problems.push(...oneOfProblems(field.type, record[key], [...path, key]))
  }
  return problems
}

/** The length of the longest array anywhere in `value`. */
export const largestArray = (value: unknown): number => {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(largestArray))
  if (typeof value === "object" && value !== null) return Math.max(0, ...Object.values(value).map(largestArray))
  return 0
}

export const inputSizeError = (size: number): ShopifyError => ({
  message: `The input array size of ${size} is greater than the maximum allowed of ${maxInputArray}.`,
  extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" }
})

export type Coerced =
  | { readonly _tag: "Ok"; readonly values: Readonly<Record<string, unknown>> }
  | { readonly _tag: "Invalid"; readonly errors: ReadonlyArray<ShopifyError> }

export const coerce = (
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  provided: Readonly<Record<string, unknown>>
): Coerced => {
  const values: Record<string, unknown> = {}
  const errors: Array<ShopifyError> = []
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined
    if (type === undefined) continue
    const typeText = print(def.type)
    const location = def.loc === undefined ? [] : [{ line: def.loc.startToken.line, column: def.loc.startToken.column }]
    const report = (value: unknown, problems: ReadonlyArray<Problem>) => {
      const detail = problems.length === 1 && problems[0]!.path.length === 0
        ? ""
        : ` for ${problems.map((p) => `${p.path.join(".")} (${p.explanation})`).join(", ")}`
      errors.push({
        message: `Variable $${name} of type ${typeText} was provided invalid value${detail}`,
        locations: location,
        extensions: { code: "INVALID_VARIABLE", value: value ?? null, problems }
      })
    }
    const has = Object.prototype.hasOwnProperty.call(provided, name)
    const value = provided[name]
    if (!has || value === undefined) {
      if (def.defaultValue !== undefined) values[name] = valueFromAST(def.defaultValue, type)
      else if (isNonNullType(type)) report(null, [{ path: [], explanation: "Expected value to not be null" }])
      continue
    }
    if (value === null) {
      if (isNonNullType(type)) report(null, [{ path: [], explanation: "Expected value to not be null" }])
      else values[name] = null
      continue
    }
    const problems: Array<Problem> = []
    const coerced = coerceInputValue(value, type, (path, invalidValue, error) => {
      problems.push({ path, explanation: explain(error, invalidValue, typeAt(type, path)) })
    })
    problems.push(...oneOfProblems(type, value, []))
    if (problems.length > 0) report(value, problems)
    else values[name] = coerced
  }
  return errors.length > 0 ? { _tag: "Invalid", errors } : { _tag: "Ok", values }
}
