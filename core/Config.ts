// The configuration file and the environment, decoded with Schema into the values connectors and
// pipelines are built from.
//
// The file (`edgesync.config.json` in the working directory unless `--config` names another) is read
// once by the composition root into a `ConfigSource`, together with the environment it was handed
// (library code never reads `process.env`). Each consumer then decodes its own section with its own
// Schema: a connector its section (plus the environment variables it declares), a pipeline its options
// (plus `--option key=value`). A value that does not decode fails before anything runs with a
// `ConfigError` naming the key path, the value (secrets shown as `<redacted>`) and what was expected.
import { FileSystem, Path } from "@effect/platform"
import { Context, Effect, Layer, Option, ParseResult, Schema, SchemaAST } from "effect"
import type { Connector } from "./Connector.js"
import { ConfigError, type Classified } from "./EtlError.js"

/** The config file looked for in the working directory when `--config` is not given. */
export const defaultFileName = "edgesync.config.json"

export interface ConfigSourceService {
  /** The absolute path of the config file that was read, if any. */
  readonly path: Option.Option<string>
  /** The file's top-level object (empty when there is no file). */
  readonly file: Readonly<Record<string, unknown>>
  /** The environment, as handed in by the CLI entry. */
  readonly env: Readonly<Record<string, string | undefined>>
}

export class ConfigSource extends Context.Tag("edgesync/ConfigSource")<ConfigSource, ConfigSourceService>() {}

/** Where a value that overrides the file came from, so that an error can say where to fix it. */
export interface Override {
  /** The key inside the section, dotted for nested keys (`database.password`). */
  readonly key: string
  readonly value: string
  /** For example "environment variable SHOPIFY_ACCESS_TOKEN" or "--option input". */
  readonly origin: string
}

// ---------------------------------------------------------------------------------------------------
// Reading the file

/**
 * Reads the config file. With `path` none, `edgesync.config.json` in the working directory is read if
 * it exists (no file means all defaults); a `path` that does not exist is an error.
 */
export const load = (
  path: Option.Option<string>,
  env: Readonly<Record<string, string | undefined>>
): Effect.Effect<ConfigSourceService, ConfigError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const file = paths.resolve(Option.getOrElse(path, () => defaultFileName))
    const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    if (!exists) {
      if (Option.isSome(path)) {
        return yield* new ConfigError({
          reason: "Unreadable",
          key: file,
          expected: "--config names a file that does not exist"
        })
      }
      return { path: Option.none(), file: {}, env }
    }
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((e) => new ConfigError({ reason: "Unreadable", key: file, expected: e.message }))
    )
    return { path: Option.some(file), file: yield* parseJson(file, text), env }
  })

export const layerFromFile = (
  path: Option.Option<string>,
  env: Readonly<Record<string, string | undefined>>
): Layer.Layer<ConfigSource, ConfigError, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(ConfigSource, load(path, env))

/** A config source from values in memory (tests, and tools that build a config themselves). */
export const layerFromObject = (
  file: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = {},
  path: Option.Option<string> = Option.none()
): Layer.Layer<ConfigSource> => Layer.succeed(ConfigSource, { path, file, env })

/** The directory relative paths in the config file are resolved against (the file's, else the working one). */
export const baseDirectory: Effect.Effect<string, never, ConfigSource | Path.Path> = Effect.gen(function*() {
  const source = yield* ConfigSource
  const paths = yield* Path.Path
  return Option.match(source.path, { onNone: () => paths.resolve("."), onSome: (file) => paths.dirname(file) })
})

const parseJson = (file: string, text: string): Effect.Effect<Record<string, unknown>, ConfigError> =>
  Effect.gen(function*() {
    // A byte order mark is legal at the start of a UTF-8 file but not in JSON.
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    const parsed = yield* Effect.try({
      try: (): unknown => JSON.parse(body),
      catch: (e) => {
        const detail = e instanceof Error ? e.message : String(e)
        const { line, column } = positionOf(body, detail)
        return new ConfigError({
          reason: "Unreadable",
          key: file,
          expected: `malformed JSON at line ${line}, column ${column}: ${detail.replace(/ in JSON at position \d+.*$/, "")}`
        })
      }
    })
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return yield* new ConfigError({
        reason: "Invalid",
        key: file,
        value: describeValue(parsed),
        expected: "a JSON object with one key per section (\"edge\", \"shopify\", \"state\", ...)"
      })
    }
    return parsed as Record<string, unknown>
  })

// JSON.parse reports a character offset ("at position 42"), or nothing when the input ends early;
// people think in lines and columns.
const positionOf = (text: string, detail: string): { readonly line: number; readonly column: number } => {
  const match = /position (\d+)/.exec(detail)
  const offset = match === null ? text.length : Math.min(Number(match[1]), text.length)
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  const column = offset - before.lastIndexOf("\n")
  return { line, column }
}

// ---------------------------------------------------------------------------------------------------
// Decoding sections

/**
 * Decodes the config file section `section` with `schema`, after applying the environment variables in
 * `environment` (`{ VARIABLE: "key" }`, one key each). Unknown keys are an error (they are typos).
 */
export const decodeSection = <A, I>(
  section: string,
  schema: Schema.Schema<A, I>,
  environment: Readonly<Record<string, string>> = {}
): Effect.Effect<A, ConfigError, ConfigSource> =>
  Effect.gen(function*() {
    const source = yield* ConfigSource
    const overrides: Array<Override> = []
    for (const [variable, key] of Object.entries(environment)) {
      const value = source.env[variable]
      if (value !== undefined && value !== "") {
        overrides.push({ key, value, origin: `environment variable ${variable}` })
      }
    }
    return yield* decodeWith(section, schema, source.file[section], overrides)
  })

/** Decodes a connector's config: its section, with its declared environment overrides. */
export const decodeConnector = <C, S, E extends Classified>(
  connector: Connector<C, S, E>
): Effect.Effect<C, ConfigError, ConfigSource> =>
  decodeSection(connector.name, connector.config, connector.environment)

/**
 * Decodes `base` (a section's value, possibly absent) with `overrides` applied over it. The key path
 * in errors starts with `section`.
 */
export const decodeWith = <A, I>(
  section: string,
  schema: Schema.Schema<A, I>,
  base: unknown,
  overrides: ReadonlyArray<Override>
): Effect.Effect<A, ConfigError> =>
  Effect.gen(function*() {
    if (base !== undefined && (typeof base !== "object" || base === null || Array.isArray(base))) {
      if (overrides.length > 0 || !acceptsNonObject(schema)) {
        return yield* new ConfigError({
          reason: "Invalid",
          key: section,
          value: describeValue(base),
          expected: "an object"
        })
      }
    }
    // An absent section is an empty object for struct Schemas (all defaults), absent for the others.
    const merged = overrides.length > 0
      ? applyOverrides(schema, base, overrides)
      : base === undefined && !acceptsNonObject(schema)
      ? {}
      : base
    return yield* Schema.decodeUnknown(schema, { errors: "first", onExcessProperty: "error" })(merged).pipe(
      Effect.mapError((error) => toConfigError(section, schema, error.issue, overrides))
    )
  })

const acceptsNonObject = <A, I>(schema: Schema.Schema<A, I>): boolean =>
  !SchemaAST.isTypeLiteral(SchemaAST.encodedAST(schema.ast))

/**
 * Merges string overrides into a section's value. A string is kept as a string where the encoded
 * Schema accepts one at that key; elsewhere it is read as JSON (`true`, `12`, `["a"]`), so that
 * `--option limit=5` and `EDGE_PORT=3306` reach a number-typed key as numbers.
 */
export const applyOverrides = <A, I>(
  schema: Schema.Schema<A, I>,
  base: unknown,
  overrides: ReadonlyArray<Override>
): Record<string, unknown> => {
  const root: Record<string, unknown> = isRecord(base) ? structuredClone(base) : {}
  const encoded = SchemaAST.encodedAST(schema.ast)
  for (const override of overrides) {
    const keys = override.key.split(".")
    let target = root
    for (const key of keys.slice(0, -1)) {
      const next = target[key]
      target = target[key] = isRecord(next) ? next : {}
    }
    const propertyAst = astAt(encoded, keys)
    target[keys[keys.length - 1]!] = coerce(propertyAst, override.value)
  }
  return root
}

/** Whether a struct Schema has a (dotted) key, so an override can be offered only to the Schemas that take it. */
export const hasKey = <A, I>(schema: Schema.Schema<A, I>, key: string): boolean =>
  Option.isSome(astAt(SchemaAST.encodedAST(schema.ast), key.split(".")))

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const coerce = (ast: Option.Option<SchemaAST.AST>, raw: string): unknown => {
  if (Option.isSome(ast) && Schema.is(Schema.make(ast.value))(raw)) return raw
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

/** The AST of the property at `path` inside a struct AST (through unions and suspensions). */
const astAt = (ast: SchemaAST.AST, path: ReadonlyArray<string>): Option.Option<SchemaAST.AST> => {
  if (path.length === 0) return Option.some(ast)
  const [head, ...rest] = path
  for (const candidate of members(ast)) {
    if (SchemaAST.isTypeLiteral(candidate)) {
      const property = candidate.propertySignatures.find((p) => p.name === head)
      if (property !== undefined) return astAt(property.type, rest)
      const index = candidate.indexSignatures[0]
      if (index !== undefined) return astAt(index.type, rest)
    }
  }
  return Option.none()
}

const members = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> => {
  switch (ast._tag) {
    case "Union":
      return ast.types.flatMap(members)
    case "Suspend":
      return members(ast.f())
    case "Refinement":
      return members(ast.from)
    case "Transformation":
      return members(ast.from)
    default:
      return [ast]
  }
}

/** The keys a struct AST (or a union of them) accepts, for "no such key" errors. */
const knownKeys = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  members(ast).flatMap((m) =>
    SchemaAST.isTypeLiteral(m) ? m.propertySignatures.map((p) => String(p.name)) : []
  )

// ---------------------------------------------------------------------------------------------------
// Errors people can act on

// Secret-looking keys are redacted even when their Schema forgot `Redacted`: belt and braces.
const secretKeyPattern = /pass(word)?|secret|token|api[-_]?key|credential|private/i

/**
 * Turns a decoding issue into a ConfigError naming the key path (`section.key.sub`), the value as
 * found (`<redacted>` for secrets) and what the Schema expected.
 */
export const toConfigError = <A, I>(
  section: string,
  schema: Schema.Schema<A, I>,
  issue: ParseResult.ParseIssue,
  overrides: ReadonlyArray<Override> = []
): ConfigError => {
  const found = firstProblem(issue, [], false)
  const keyPath = found.path.map(String)
  const key = formatKeyPath(section, found.path)
  const override = overrides.find((o) => o.key === keyPath.join("."))
  const secret = found.secret || found.path.some((p) => secretKeyPattern.test(String(p)))
  // A Schema's own message may quote the value it refused (a URL with its password): masked too.
  let expected = maskUrlPasswords(found.expected)
  if (found.kind === "Unexpected") {
    const parent = astAt(SchemaAST.encodedAST(schema.ast), keyPath.slice(0, -1))
    const known = Option.match(parent, { onNone: () => [], onSome: knownKeys })
    expected = known.length > 0 ? `one of the known keys: ${known.join(", ")}` : "no key by this name"
  }
  if (override !== undefined) expected = `${expected} (the value comes from ${override.origin})`
  if (found.kind === "Missing") return new ConfigError({ reason: "Missing", key, expected })
  return new ConfigError({
    reason: "Invalid",
    key,
    value: secret ? "<redacted>" : found.kind === "Unexpected" ? `unknown key "${keyPath[keyPath.length - 1]}"` : describeValue(found.actual),
    expected
  })
}

const formatKeyPath = (section: string, path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
    section
  )

/** A value as it appears in an error: JSON, shortened. */
export const describeValue = (value: unknown): string => {
  let text: string
  try {
    text = value === undefined ? "undefined" : JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  text = maskUrlPasswords(text)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

// A connection URL may carry a password (`mysql://user:secret@host/db`); a message that shows the
// value it could not decode must not show that part of it.
const maskUrlPasswords = (text: string): string => text.replace(/(\w+:\/\/[^:/@\s"]*):[^@\s"]*@/g, "$1:<redacted>@")

interface Problem {
  readonly kind: "Missing" | "Invalid" | "Unexpected"
  readonly path: ReadonlyArray<PropertyKey>
  readonly actual: unknown
  readonly expected: string
  readonly secret: boolean
}

const isRedactedAst = (ast: SchemaAST.AST): boolean =>
  SchemaAST.getTypeConstructorAnnotation(ast).pipe(
    Option.exists((annotation) => annotation._tag === "effect/Redacted")
  )

/** The value at `path` inside `value` (the value itself for an empty path). */
const valueAt = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((at, key) => (typeof at === "object" && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined), value)

// Walks to the first leaf of the issue tree: that is where the value and the expectation meet.
const firstProblem = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, secret: boolean): Problem => {
  switch (issue._tag) {
    case "Pointer":
      return firstProblem(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])], secret)
    case "Missing":
      return { kind: "Missing", path, actual: undefined, expected: issue.message ?? expectation(issue.ast.type), secret }
    case "Unexpected":
      return { kind: "Unexpected", path, actual: issue.actual, expected: issue.message ?? "no such key", secret }
    case "Type":
      return {
        kind: "Invalid",
        path,
        actual: issue.actual,
        expected: issue.message ?? expectation(issue.ast),
        secret: secret || isRedactedAst(issue.ast)
      }
    case "Forbidden":
      return { kind: "Invalid", path, actual: issue.actual, expected: issue.message ?? expectation(issue.ast), secret }
    case "Refinement":
      if (issue.kind === "From") return firstProblem(issue.issue, path, secret)
      // A filter that returns `{ path, message }` issues (a rule between several keys, such as
      // "bringSales requires syncCustomers") says itself where and why: keep its key and its message
      // rather than the whole section and the Schema's title.
      if (issue.issue._tag !== "Type") {
        const inner = firstProblem(issue.issue, path, secret)
        // The filter's issues carry the decoded section (defaults applied); show the value at the key.
        return { ...inner, actual: valueAt(inner.actual, inner.path.slice(path.length)) }
      }
      return {
        kind: "Invalid",
        path,
        actual: issue.actual,
        expected: issue.issue._tag === "Type" && issue.issue.message !== undefined
          ? issue.issue.message
          : expectation(issue.ast),
        secret
      }
    case "Transformation": {
      const isSecret = secret || isRedactedAst(issue.ast.to)
      if (issue.kind === "Transformation") {
        const inner = firstProblem(issue.issue, path, isSecret)
        // A transformation that failed says itself how to show the value it refused (a URL without
        // its credentials, say): that is shown rather than the raw input.
        const actual = issue.issue._tag === "Type" ? issue.issue.actual : issue.actual
        return { ...inner, actual, expected: issue.issue._tag === "Type" && issue.issue.message !== undefined ? issue.issue.message : expectation(issue.ast.to) }
      }
      return firstProblem(issue.issue, path, isSecret)
    }
    case "Composite": {
      const all = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
      if (SchemaAST.isUnion(issue.ast)) {
        // An optional value that is present but wrong: what matters is why the non-undefined member failed.
        const issues = all.filter((i) => !(i._tag === "Type" && i.ast._tag === "UndefinedKeyword"))
        if (issues.length === 1 && issues[0]!._tag !== "Type") return firstProblem(issues[0]!, path, secret)
        // A member that matched by shape and failed inside explains best; failing that, say what the
        // union accepts, not what its first member wanted.
        const inside = issues.find((i) => i._tag === "Pointer")
        return inside === undefined
          ? { kind: "Invalid", path, actual: issue.actual, expected: expectation(issue.ast), secret }
          : firstProblem(inside, path, secret)
      }
      return firstProblem(all[0]!, path, secret)
    }
  }
}

/** What a Schema accepts, in words where it has them. */
export const expectation = (ast: SchemaAST.AST): string => {
  const annotated = SchemaAST.getDescriptionAnnotation(ast).pipe(
    Option.orElse(() => SchemaAST.getTitleAnnotation(ast)),
    Option.orElse(() => SchemaAST.getIdentifierAnnotation(ast))
  )
  if (Option.isSome(annotated)) return annotated.value
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures.length > 0
        ? `an object with keys ${ast.propertySignatures.map((p) => String(p.name)).join(", ")}`
        : "an object"
    case "TupleType":
      return "a list"
    case "Union": {
      // An optional key's type is a union with undefined; "or undefined" helps nobody writing JSON.
      const members = ast.types.filter((t) => t._tag !== "UndefinedKeyword")
      return (members.length > 0 ? members : ast.types).map(expectation).join(" or ")
    }
    case "Refinement":
      return expectation(ast.from)
    case "Transformation":
      return expectation(ast.from)
    case "Suspend":
      return expectation(ast.f())
    case "StringKeyword":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "true or false"
    default:
      return String(ast)
  }
}
