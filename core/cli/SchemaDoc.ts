// Describes the fields of a struct Schema for people: name, type, default or "required", description.
// `edgesync pipelines` and `edgesync connectors` list options and config keys with it, so the listing
// is read from the same Schema that decodes the values and cannot drift from it.
import { Option, Redacted, Schema, SchemaAST } from "effect"

export interface FieldDoc {
  readonly name: string
  readonly type: string
  readonly required: boolean
  /** The default, JSON-encoded (secrets as <redacted>), when the field has one. */
  readonly default: Option.Option<string>
  readonly description: Option.Option<string>
  readonly secret: boolean
}

const isRedacted = (ast: SchemaAST.AST): boolean =>
  SchemaAST.getTypeConstructorAnnotation(ast).pipe(Option.exists((a) => a._tag === "effect/Redacted"))

const isSecret = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "Transformation":
      return isRedacted(ast.to) || isSecret(ast.from) || isSecret(ast.to)
    case "Union":
      return ast.types.some(isSecret)
    case "Refinement":
      return isSecret(ast.from)
    default:
      return isRedacted(ast)
  }
}

/** A type in the words of a config file: `string`, `number`, `"a" | "b"`, `list of string`. */
export const typeName = (ast: SchemaAST.AST): string => {
  switch (ast._tag) {
    case "StringKeyword":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "Literal":
      return JSON.stringify(ast.literal)
    case "Refinement":
      return SchemaAST.getIdentifierAnnotation(ast).pipe(
        Option.filter((id) => /^(Int|NonNegativeInt|PositiveInt)$/.test(id)),
        Option.map(() => "integer"),
        Option.getOrElse(() => typeName(ast.from))
      )
    case "Transformation":
      return typeName(ast.from)
    case "Suspend":
      return typeName(ast.f())
    case "Union": {
      const members = ast.types.filter((t) => t._tag !== "UndefinedKeyword")
      return members.map(typeName).join(" | ")
    }
    case "TupleType":
      return ast.rest.length > 0 ? `list of ${typeName(ast.rest[0]!.type)}` : "list"
    case "TypeLiteral":
      return ast.indexSignatures.length > 0 && ast.propertySignatures.length === 0
        ? `map of ${typeName(ast.indexSignatures[0]!.type)}`
        : "object"
    default:
      return String(ast)
  }
}

// Keywords carry generic descriptions ("a string") that say nothing the type column does not.
const genericDescriptions = new Set(
  [SchemaAST.stringKeyword, SchemaAST.numberKeyword, SchemaAST.booleanKeyword, SchemaAST.unknownKeyword]
    .flatMap((ast) => Option.toArray(SchemaAST.getDescriptionAnnotation(ast)))
    .concat(Option.toArray(SchemaAST.getDescriptionAnnotation(Schema.RedactedFromSelf(Schema.String).ast)))
)

const descriptionOf = (...asts: ReadonlyArray<SchemaAST.Annotated | undefined>): Option.Option<string> => {
  for (const ast of asts) {
    if (ast === undefined) continue
    const found = SchemaAST.getDescriptionAnnotation(ast)
    if (Option.isSome(found) && !genericDescriptions.has(found.value)) return found
  }
  return Option.none()
}

const formatDefault = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

// Defaults are held decoded; people write the encoded form (a database URL, not the struct it parses to).
const encodeDefault = (property: SchemaAST.AST, value: unknown): string => {
  if (Redacted.isRedacted(value)) return "<redacted>"
  return formatDefault(Option.getOrElse(Schema.encodeUnknownOption(Schema.make(property))(value), () => value))
}

/** The struct inside a Schema: itself, or under a class, a filter or a transformation of the whole. */
const structOf = (ast: SchemaAST.AST): SchemaAST.AST | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast
    case "Transformation":
      return ast.transformation._tag === "TypeLiteralTransformation" ? ast : structOf(ast.from)
    case "Refinement":
      return structOf(ast.from)
    case "Suspend":
      return structOf(ast.f())
    default:
      return undefined
  }
}

/** The fields of a struct Schema (or of a struct with defaults, or a class); none for other Schemas. */
export const fields = <A, I, R>(schema: Schema.Schema<A, I, R>): ReadonlyArray<FieldDoc> => {
  const ast = structOf(schema.ast)
  if (ast === undefined) return []
  const from = SchemaAST.isTransformation(ast) ? ast.from : ast
  const to = SchemaAST.isTransformation(ast) ? ast.to : ast
  if (!SchemaAST.isTypeLiteral(from)) return []
  const transformations = SchemaAST.isTransformation(ast) && ast.transformation._tag === "TypeLiteralTransformation"
    ? ast.transformation.propertySignatureTransformations
    : []
  return from.propertySignatures.map((property): FieldDoc => {
    const typeSide = SchemaAST.isTypeLiteral(to) ? to.propertySignatures.find((p) => p.name === property.name) : undefined
    const transformation = transformations.find((t) => t.from === property.name)
    const defaultValue = transformation === undefined ? Option.none() : transformation.decode(Option.none())
    return {
      name: String(property.name),
      type: typeName(property.type),
      required: !property.isOptional,
      default: Option.map(defaultValue, (value) => encodeDefault(property.type, value)),
      description: descriptionOf(typeSide, property, property.type),
      secret: isSecret(property.type) || (typeSide !== undefined && isSecret(typeSide.type))
    }
  })
}

/** One line per field: `name  type  (default x | required)  description`. */
export const formatFields = (docs: ReadonlyArray<FieldDoc>, indent: string): ReadonlyArray<string> => {
  if (docs.length === 0) return [`${indent}(none)`]
  const width = Math.max(...docs.map((d) => d.name.length))
  return docs.map((d) => {
    const status = Option.match(d.default, {
      onSome: (value) => `default ${value}`,
      onNone: () => d.required ? "required" : "optional"
    })
    const description = Option.match(d.description, { onNone: () => "", onSome: (text) => ` ${text}` })
    return `${indent}${d.name.padEnd(width)}  ${d.type}${d.secret ? " (secret)" : ""}, ${status}.${description}`
  })
}
