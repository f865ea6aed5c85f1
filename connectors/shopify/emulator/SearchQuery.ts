// Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax, FACTS §1.5) parsed into a
// small tree: terms `field:value` with the comparators `:`, `:<`, `:>`, `:<=`, `:>=`, quoted values
// ('…' or "…"), `*` wildcards, implicit AND between terms, `AND`/`OR`, parentheses, and `-` or `NOT`
// negation. Terms without a field are free-text ("default") searches.

export type Comparator = ":" | ":<" | ":>" | ":<=" | ":>="

export type Node =
  | { readonly _tag: "And"; readonly children: ReadonlyArray<Node> }
  | { readonly _tag: "Or"; readonly children: ReadonlyArray<Node> }
  | { readonly _tag: "Not"; readonly child: Node }
  | Term

export interface Term {
  readonly _tag: "Term"
  /** Lower-cased field name, or null for a free-text term. */
  readonly field: string | null
  readonly comparator: Comparator
  readonly value: string
  /** A quoted value is a phrase: exact rather than tokenised matching. */
  readonly quoted: boolean
}

export const matchAll: Node = { _tag: "And", children: [] }

type Token =
  | { readonly kind: "open" }
  | { readonly kind: "close" }
  | { readonly kind: "word"; readonly text: string; readonly negated: boolean }

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r"

/** Splits the query into parentheses and words; a word keeps its quotes so the parser can see them. */
const tokenize = (input: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < input.length) {
    const c = input[i]!
    if (isSpace(c)) {
      i++
      continue
    }
    if (c === "(") {
      tokens.push({ kind: "open" })
      i++
      continue
    }
    if (c === ")") {
      tokens.push({ kind: "close" })
      i++
      continue
    }
    let negated = false
    if (c === "-" && i + 1 < input.length && !isSpace(input[i + 1]!)) {
      negated = true
      i++
      if (input[i] === "(") {
        tokens.push({ kind: "word", text: "NOT", negated: false })
        continue
      }
    }
    let text = ""
    while (i < input.length && !isSpace(input[i]!) && input[i] !== "(" && input[i] !== ")") {
      const ch = input[i]!
      if (ch === "'" || ch === '"') {
        const end = input.indexOf(ch, i + 1)
        const stop = end === -1 ? input.length : end + 1
        text += input.slice(i, stop)
        i = stop
        continue
      }
      text += ch
      i++
      // `field: >=value` with a space after the colon (shopify.dev's own example) is one term.
      if (ch === ":" && i < input.length && isSpace(input[i]!)) {
        while (i < input.length && isSpace(input[i]!)) i++
      }
    }
    if (text.length > 0) tokens.push({ kind: "word", text, negated })
  }
  return tokens
}

const unquote = (value: string): { readonly value: string; readonly quoted: boolean } => {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]) {
    return { value: value.slice(1, -1), quoted: true }
  }
  return { value, quoted: false }
}

const termOf = (text: string): Term => {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*):(<=|>=|<|>)?(.*)$/s.exec(text)
  if (m === null) {
    const { value, quoted } = unquote(text)
    return { _tag: "Term", field: null, comparator: ":", value, quoted }
  }
  const { value, quoted } = unquote(m[3]!)
  return { _tag: "Term", field: m[1]!.toLowerCase(), comparator: `:${m[2] ?? ""}` as Comparator, value, quoted }
}

/**
 * Parses `query`. Malformed input never fails: like Shopify, unbalanced parentheses and dangling
 * connectives are tolerated.
 */
export const parse = (query: string | null | undefined): Node => {
  if (query === null || query === undefined || query.trim().length === 0) return matchAll
  const tokens = tokenize(query)
  let pos = 0

  const parseOr = (): Node => {
    const branches: Array<Node> = [parseAnd()]
    while (pos < tokens.length) {
      const t = tokens[pos]!
      if (t.kind === "word" && !t.negated && t.text === "OR") {
        pos++
        branches.push(parseAnd())
      } else break
    }
    return branches.length === 1 ? branches[0]! : { _tag: "Or", children: branches }
  }

  const parseAnd = (): Node => {
    const parts: Array<Node> = []
    while (pos < tokens.length) {
      const t = tokens[pos]!
      if (t.kind === "close") break
      if (t.kind === "word" && !t.negated && t.text === "OR") break
      if (t.kind === "word" && !t.negated && t.text === "AND") {
        pos++
        continue
      }
      const unary = parseUnary()
      if (unary !== undefined) parts.push(unary)
    }
    return parts.length === 1 ? parts[0]! : { _tag: "And", children: parts }
  }

  const parseUnary = (): Node | undefined => {
    const t = tokens[pos]!
    if (t.kind === "word" && !t.negated && t.text === "NOT") {
      pos++
      if (pos >= tokens.length) return undefined
      const inner = parseUnary()
      return inner === undefined ? undefined : { _tag: "Not", child: inner }
    }
    if (t.kind === "open") {
      pos++
      const inner = parseOr()
      if (pos < tokens.length && tokens[pos]!.kind === "close") pos++
      return inner
    }
    pos++
    if (t.kind === "close") return undefined
    const term = termOf(t.text)
    return t.negated ? { _tag: "Not", child: term } : term
  }

  const tree = parseOr()
  return pos < tokens.length ? { _tag: "And", children: [tree, parse(tokens.slice(pos).map(render).join(" "))] } : tree
}

const render = (t: Token): string => (t.kind === "open" ? "(" : t.kind === "close" ? "" : `${t.negated ? "-" : ""}${t.text}`)

/** Every term of the tree (for validating values before matching). */
export const terms = (node: Node): ReadonlyArray<Term> =>
  node._tag === "Term" ? [node] : node._tag === "Not" ? terms(node.child) : node.children.flatMap(terms)

/** Lower-case alphanumeric tokens, as Shopify's tokenised fields (email, default search) index them. */
export const tokens = (text: string): ReadonlyArray<string> => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0)
