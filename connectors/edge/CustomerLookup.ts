// Finds Edge customers for a whole batch of incoming contacts at once: by normalized email and by E.164
// phone (every phone column), through the derived index of MatchKeyIndex, refreshed before each batch.
// Two indexed queries for the keys and one for the facts that rank the candidates, whatever the batch size.
import { Effect, Option } from "effect"
import type { CountryCode } from "libphonenumber-js"
import { type ContactFields, pick } from "./ContactFields.js"
import { type CustomerLinkInfo } from "./EdgeCustomer.js"
import { EdgeDb } from "./EdgeDb.js"
import type { EdgeDbError } from "./EdgeDbError.js"
import type { LinkMethod } from "./LinkMethod.js"
import * as MatchKey from "./MatchKey.js"
import * as MatchKeyIndex from "./MatchKeyIndex.js"
import * as CustomerStatements from "./sql/CustomerStatements.js"
import { decodeLinkInfo } from "./sql/LinkInfoColumns.js"
import * as LinkStatements from "./sql/LinkStatements.js"
import * as MatchKeyStatements from "./sql/MatchKeyStatements.js"

/** One incoming contact (a Shopify customer, or a guest checkout's email and phone). */
export interface LookupQuery {
  readonly email?: string | null | undefined
  readonly phone?: string | null | undefined
}

export interface Candidate {
  readonly customerId: number
  readonly byEmail: boolean
  readonly byPhone: boolean
  /** The latest sale date of the customer (any store), if it ever bought anything. */
  readonly lastSaleAt: Option.Option<Date>
  /** The customer row's `updated_at` text (database clock, full precision). */
  readonly updatedAt: string
  readonly fields: ContactFields
  readonly link: Option.Option<{ readonly shopifyCustomerId: string; readonly linkMethod: LinkMethod }>
}

export interface LookupResult {
  readonly emailKey: Option.Option<string>
  readonly phoneKey: Option.Option<string>
  /**
   * Every customer matching the email or the phone, best first: matching both before matching one,
   * then the most recently active (latest sale, then latest `updated_at`), then the lowest id. The
   * order is total, so the first candidate is a deterministic choice; more than one candidate means
   * the match is ambiguous and the decision should be recorded (MatchDecisions).
   */
  readonly candidates: ReadonlyArray<Candidate>
}

/** The ranking of `LookupResult.candidates`. */
export const compareCandidates = (a: Candidate, b: Candidate): number => {
  const both = (c: Candidate) => (c.byEmail && c.byPhone ? 1 : 0)
  if (both(a) !== both(b)) return both(b) - both(a)
  const sale = (c: Candidate) => Option.match(c.lastSaleAt, { onNone: () => -Infinity, onSome: (d) => d.getTime() })
  if (sale(a) !== sale(b)) return sale(b) - sale(a)
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1
  return a.customerId - b.customerId
}

/** A linked Edge customer as the contact merge needs it. */
export interface LinkedCustomer {
  readonly customerId: number
  readonly fields: ContactFields
  readonly link: CustomerLinkInfo
  /**
   * The customer row's `updated_at` text (database clock, full precision): when Edge last changed it,
   * which `conflicts: newest-wins` weighs against the Shopify customer's `updatedAt`.
   */
  readonly updatedAt: string
}

export class CustomerLookup extends Effect.Service<CustomerLookup>()("edgesync/edge/CustomerLookup", {
  effect: Effect.gen(function*() {
    const db = yield* EdgeDb

    /**
     * Looks up every query of the batch, results in query order. `defaultCountry` is the country of
     * phones typed without one (the `sync.defaultCountry` option).
     */
    const lookup = Effect.fn("CustomerLookup.lookup")(function*(
      queries: ReadonlyArray<LookupQuery>,
      options: { readonly defaultCountry: CountryCode }
    ) {
      yield* MatchKeyIndex.refresh(db, options.defaultCountry)
      const keyed = queries.map((query) => ({
        email: MatchKey.email(query.email),
        phone: MatchKey.phone(query.phone, options.defaultCountry)
      }))
      const emailKeys = [...new Set(keyed.flatMap((k) => Option.toArray(k.email)))]
      const phoneKeys = [...new Set(keyed.flatMap((k) => Option.toArray(k.phone)))]
      const byKey = new Map<string, Array<number>>()
      for (const row of [
        ...(yield* MatchKeyStatements.find(db, "email", emailKeys)),
        ...(yield* MatchKeyStatements.find(db, "phone", phoneKeys))
      ]) {
        const id = `${row.kind}:${row.match_key}`
        byKey.set(id, [...(byKey.get(id) ?? []), row.customer_id])
      }
      const ids = [...new Set([...byKey.values()].flat())]
      const facts = new Map((yield* MatchKeyStatements.candidates(db, ids)).map((row) => [row.customer_id, row]))
      return keyed.map(({ email, phone }): LookupResult => {
        const emailIds = new Set(Option.match(email, { onNone: () => [], onSome: (k) => byKey.get(`email:${k}`) ?? [] }))
        const phoneIds = new Set(Option.match(phone, { onNone: () => [], onSome: (k) => byKey.get(`phone:${k}`) ?? [] }))
        const candidates: Array<Candidate> = []
        for (const id of new Set([...emailIds, ...phoneIds])) {
          const row = facts.get(id)
          // Keys of a customer deleted from Edge linger until the next rebuild; they never match.
          if (row === undefined) continue
          candidates.push({
            customerId: id,
            byEmail: emailIds.has(id),
            byPhone: phoneIds.has(id),
            lastSaleAt: Option.map(Option.fromNullable(row.last_sale_at), (text) => new Date(`${text.replace(" ", "T")}Z`)),
            updatedAt: row.updated_at,
            fields: pick(row),
            link: row.shopify_customer_id === null || row.link_method === null
              ? Option.none()
              : Option.some({ shopifyCustomerId: row.shopify_customer_id, linkMethod: row.link_method })
          })
        }
        candidates.sort(compareCandidates)
        return { emailKey: email, phoneKey: phone, candidates }
      })
    })

    /** Edge customers already linked to these Shopify customers, by Shopify GID. */
    const linkedByShopifyIds = Effect.fn("CustomerLookup.linkedByShopifyIds")(function*(gids: ReadonlyArray<string>) {
      const links = yield* LinkStatements.byShopifyIds(db, [...new Set(gids)])
      const contacts = new Map(
        (yield* CustomerStatements.contactsByIds(db, links.map((l) => l.customer_id))).map((row) => [row.customer_id, row])
      )
      const found = new Map<string, LinkedCustomer>()
      for (const row of links) {
        const contact = contacts.get(row.customer_id)
        const link = yield* decodeLinkInfo(row, "lookup.linkedByShopifyIds", db.target)
        if (contact !== undefined && Option.isSome(link)) {
          found.set(row.shopify_customer_id, { customerId: row.customer_id, fields: pick(contact), link: link.value, updatedAt: contact.updated_at })
        }
      }
      return found as ReadonlyMap<string, LinkedCustomer>
    })

    /** The same, by Edge customer id. */
    const linkedByCustomerIds = Effect.fn("CustomerLookup.linkedByCustomerIds")(function*(ids: ReadonlyArray<number>) {
      const links = yield* LinkStatements.byCustomerIds(db, [...new Set(ids)])
      const contacts = new Map(
        (yield* CustomerStatements.contactsByIds(db, links.map((l) => l.customer_id))).map((row) => [row.customer_id, row])
      )
      const found = new Map<number, LinkedCustomer>()
      for (const row of links) {
        const contact = contacts.get(row.customer_id)
        const link = yield* decodeLinkInfo(row, "lookup.linkedByCustomerIds", db.target)
        if (contact !== undefined && Option.isSome(link)) {
          found.set(row.customer_id, { customerId: row.customer_id, fields: pick(contact), link: link.value, updatedAt: contact.updated_at })
        }
      }
      return found as ReadonlyMap<number, LinkedCustomer>
    })

    return {
      lookup,
      linkedByShopifyIds,
      linkedByCustomerIds,
      /** Brings the match-key index up to date now (lookups do it themselves). */
      refreshIndex: (defaultCountry: CountryCode): Effect.Effect<void, EdgeDbError> => MatchKeyIndex.refresh(db, defaultCountry),
      /** Rebuilds the match-key index from scratch (`edgesync edge reindex`). */
      rebuildIndex: (defaultCountry: CountryCode): Effect.Effect<void, EdgeDbError> => MatchKeyIndex.rebuild(db, defaultCountry)
    } as const
  })
}) {}
