// The emulator's executable GraphQL schema: the SDL subset (EmulatorSdl) built with graphql-js, with
// Shopify's scalar formats: DateTime as "2026-06-22T08:02:42Z" (second precision, UTC), Decimal as
// "42.5", the deprecated Money scalar as "42.50", UnsignedInt64 as a JSON string (FACTS §1.4).
import { buildSchema, GraphQLError, type GraphQLScalarType, type GraphQLSchema, Kind, type ValueNode } from "graphql"
import { BigDecimal, Option } from "effect"
import { sdl } from "./EmulatorSdl.js"
import * as Money from "./Money.js"

export const formatDateTime = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

const parseDateTime = (value: unknown): number => {
  if (typeof value !== "string") throw new GraphQLError(`DateTime must be a string`)
  const millis = Date.parse(value)
  if (Number.isNaN(millis)) throw new GraphQLError(`Invalid DateTime: ${value}`)
  return millis
}

const literal = (ast: ValueNode): unknown =>
  ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT
    ? (ast.kind === Kind.STRING ? ast.value : Number(ast.value))
    : ast.kind === Kind.NULL
    ? null
    : undefined

const parseDecimal = (value: unknown): Money.Amount | "" => {
  // Shopify takes a blank Decimal literal and reports it as a missing value downstream (captured
  // TAX_LINE_RATE_MISSING), so "" passes through.
  if (value === "") return ""
  const parsed = Money.parse(value)
  if (Option.isNone(parsed)) throw new GraphQLError(`Could not coerce value ${JSON.stringify(value)} to Decimal`)
  return parsed.value
}

const serializeDecimal = (value: unknown): string =>
  BigDecimal.isBigDecimal(value) ? Money.format(value) : typeof value === "string" ? value : String(value)

const configure = (schema: GraphQLSchema, name: string, spec: Pick<GraphQLScalarType, "serialize" | "parseValue" | "parseLiteral">) => {
  const type = schema.getType(name) as GraphQLScalarType
  type.serialize = spec.serialize
  type.parseValue = spec.parseValue
  type.parseLiteral = spec.parseLiteral
}

const build = (): GraphQLSchema => {
  const schema = buildSchema(sdl)
  configure(schema, "DateTime", {
    serialize: (v) => (typeof v === "number" ? formatDateTime(v) : String(v)),
    parseValue: parseDateTime,
    parseLiteral: (ast) => parseDateTime(literal(ast))
  })
  configure(schema, "Decimal", {
    serialize: serializeDecimal,
    parseValue: parseDecimal,
    parseLiteral: (ast) => parseDecimal(literal(ast))
  })
  configure(schema, "Money", {
    serialize: (v) => (BigDecimal.isBigDecimal(v) ? Money.formatFixed2(v) : String(v)),
    parseValue: parseDecimal,
    parseLiteral: (ast) => parseDecimal(literal(ast))
  })
  configure(schema, "UnsignedInt64", {
    serialize: (v) => String(v),
    parseValue: (v) => {
      const text = typeof v === "number" || typeof v === "string" ? String(v) : ""
      if (!/^\d+$/.test(text)) throw new GraphQLError(`Could not coerce value ${JSON.stringify(v)} to UnsignedInt64`)
      return Number(text)
    },
    parseLiteral: (ast) => Number(literal(ast))
  })
  configure(schema, "URL", { serialize: String, parseValue: (v) => String(v), parseLiteral: (ast) => literal(ast) })
  configure(schema, "JSON", { serialize: (v) => v, parseValue: (v) => v, parseLiteral: (ast) => literal(ast) })
  return schema
}

/** Built once: the schema is an immutable value shared by every emulator instance. */
export const emulatorSchema: GraphQLSchema = build()
