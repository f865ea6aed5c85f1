// The `edge.database` URL (`mysql://user@host:3306/edge`, `sqlite:./edge.db`) decoded into where to
// connect. A password written into the URL is accepted but moved into a Redacted at once, and every
// description of the target leaves it out, so it never reaches a log line or an error message.
import { Either, Option, ParseResult, Redacted, Schema } from "effect"

export interface MysqlTarget {
  readonly _tag: "mysql"
  readonly host: string
  readonly port: number
  readonly user: string
  readonly database: string
  readonly password: Option.Option<Redacted.Redacted<string>>
}

export interface SqliteTarget {
  readonly _tag: "sqlite"
  /** A file path as written (relative paths are relative to the working directory), or `:memory:`. */
  readonly path: string
}

export type DatabaseTarget = MysqlTarget | SqliteTarget

const expected = "a database URL like mysql://user@host:3306/edge or sqlite:./edge.db"

export const parse = (raw: string): Either.Either<DatabaseTarget, string> => {
  const value = raw.trim()
  if (/^sqlite:/i.test(value)) {
    const rest = value.slice("sqlite:".length)
    const path = rest.startsWith("//") ? rest.slice(2) : rest
    if (path === "") return Either.left(`"${raw}" names no file: expected ${expected}`)
    return Either.right({ _tag: "sqlite", path })
  }
  if (!/^(mysql|mariadb):\/\//i.test(value)) {
    return Either.left(`"${describeRaw(raw)}" is neither mysql:// nor sqlite: : expected ${expected}`)
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return Either.left(`"${describeRaw(raw)}" is not a URL: expected ${expected}`)
  }
  const database = decodeURIComponent(url.pathname.replace(/^\/+/, ""))
  if (url.hostname === "") return Either.left(`"${describeRaw(raw)}" names no host: expected ${expected}`)
  if (database === "" || database.includes("/")) {
    return Either.left(`"${describeRaw(raw)}" names no database (the path after the host): expected ${expected}`)
  }
  const port = url.port === "" ? 3306 : Number(url.port)
  const password = url.password === "" ? Option.none() : Option.some(Redacted.make(decodeURIComponent(url.password)))
  return Either.right({
    _tag: "mysql",
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    user: url.username === "" ? "root" : decodeURIComponent(url.username),
    database,
    password
  })
}

// A URL that failed to parse may still carry a password: never echo that part.
const describeRaw = (raw: string): string => raw.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1:<redacted>@")

/** The target as people should see it: no password, ever. */
export const describe = (target: DatabaseTarget): string =>
  target._tag === "sqlite"
    ? `sqlite:${target.path}`
    : `mysql://${encodeURIComponent(target.user)}@${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}/${encodeURIComponent(target.database)}`

const Target = Schema.declare(
  (u: unknown): u is DatabaseTarget =>
    typeof u === "object" && u !== null && "_tag" in u && (u._tag === "mysql" || u._tag === "sqlite"),
  { identifier: "DatabaseTarget" }
)

/** `edge.database` / EDGE_DATABASE_URL. Encoding gives the URL back without its password. */
export const DatabaseUrl = Schema.transformOrFail(Schema.String, Target, {
  strict: true,
  decode: (raw, _, ast) =>
    Either.match(parse(raw), {
      onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, describeRaw(raw), message)),
      onRight: ParseResult.succeed
    }),
  encode: (target) => ParseResult.succeed(describe(target))
}).annotations({ identifier: "DatabaseUrl", description: expected })
