// A GraphQL operation the connector sends: its document, the type of its variables and the Schema that
// decodes its `data` at the edge. Documents live in documents/, one module per resource.
import type { Schema } from "effect"

export interface Operation<V, A> {
  /** The operation name in the document; also the span and error `operation`. */
  readonly name: string
  readonly kind: "query" | "mutation"
  readonly document: string
  /** Decodes the response's `data` object. */
  readonly response: Schema.Schema<A, unknown>
  /** Phantom: the variables this document takes. */
  readonly _V?: (variables: V) => void
}

// The encoded side is widened to `unknown` because the client only ever decodes untyped JSON with it.
const make = <V>(kind: "query" | "mutation") =>
<A, I>(name: string, document: string, response: Schema.Schema<A, I>): Operation<V, A> => ({
  name,
  kind,
  document,
  response: response as unknown as Schema.Schema<A, unknown>
})

/** Declares a query: `Operation.query<{ first: number }>()("Name", doc, Response)`. */
export const query = <V>() => make<V>("query")
/** Declares a mutation; Shopify charges a mutation 10 points plus its selection (FACTS §4). */
export const mutation = <V>() => make<V>("mutation")

export const isOperation = (u: unknown): u is Operation<unknown, unknown> =>
  typeof u === "object" && u !== null && "document" in u && "kind" in u && "response" in u &&
  typeof (u as { document: unknown }).document === "string"
