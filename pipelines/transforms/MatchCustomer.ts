// Which Edge customer an imported web sale belongs to (`customerDownload`), decided from the sale's
// contact and the Edge customers a lookup found, with the reasons kept so a person can audit it.
//
// The rules, in order:
//  1. A Shopify customer already linked to an Edge customer goes to it, whatever the mode.
//  2. `create-new` never searches: a new Edge customer is created (and linked, when the order has a
//     Shopify customer, so that customer's next order finds the link).
//  3. An order with neither email nor phone creates a new Edge customer from its names and addresses.
//  4. `email` considers Edge customers whose email equals the order's; `phone-or-email` also those
//     with the order's phone in any of their three phone columns. Equality is exact after
//     normalization, decided by the Edge connector's CustomerLookup (its match keys: case and
//     surrounding spaces of an email, formatting of a phone): a candidate arrives with what it matched.
//     When the order has a Shopify customer, an Edge customer already linked to a different Shopify
//     customer is not a candidate: Shopify says they are different people (a household sharing a phone).
//  5. Several candidates: the one matching both email and phone, then one matching the email (an email
//     belongs to one person, a phone often to a household), then the most recently active (latest
//     sale, then latest edit), then the lowest customer id. The decision is marked ambiguous and lists
//     every candidate, best first.
//  6. No candidate: a new Edge customer is created from the order.
// A match to an existing customer is linked (`email` or `phone`) when the order has a Shopify customer.
// A batch decides as its orders would one at a time (sharedCustomers): the orders of one buyer, and an
// order that would have found a customer created for an earlier one, share it; the customers a batch
// needs are created together, in one transaction (EdgeCustomers.createCustomers).
import { Array as Arr, Effect, Either, Option, Order } from "effect"
import type { CountryCode } from "libphonenumber-js"
import * as CustomerLookup from "../../connectors/edge/CustomerLookup.js"
import type { EdgeDbError } from "../../connectors/edge/EdgeDbError.js"
import { EdgeCustomers } from "../../connectors/edge/EdgeCustomers.js"
import type { EdgeRecordError } from "../../connectors/edge/EdgeRecordError.js"
import * as MatchKey from "../../connectors/edge/MatchKey.js"
import type * as ShopifyOrder from "../../connectors/shopify/ShopifyOrder.js"
import * as Stage from "../../core/Stage.js"
import type { Outcome } from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import type { MatchedOrder } from "../MissionRecords.js"
import type { CustomerDownload, SyncOptions } from "../SyncOptions.js"
import * as OrderCustomer from "./OrderCustomer.js"

/** Who placed the order, as the order says. */
export interface OrderContact {
  /** The order's Shopify customer; none for a guest checkout. */
  readonly shopifyCustomerId: Option.Option<string>
  /** The Edge customer already linked to that Shopify customer, if any. */
  readonly linkedCustomerId: Option.Option<number>
  readonly email: Option.Option<string>
  readonly phone: Option.Option<string>
}

/** An Edge customer a lookup found by the order's email or phone, with what it matched. */
export interface Candidate {
  readonly customerId: number
  readonly byEmail: boolean
  readonly byPhone: boolean
  /** The customer's latest sale, if any. */
  readonly lastSaleAt: Option.Option<Date>
  /** The customer row's last edit (`updated_at` text as the database wrote it: it sorts as text). */
  readonly updatedAt: string
  /** The Shopify customer this Edge customer is already linked to, if any. */
  readonly linkedShopifyCustomerId: Option.Option<string>
}

export type MatchRule =
  | "link" // rule 1
  | "email-and-phone" // rule 4/5, matched on both
  | "email"
  | "phone"
  | "create-new" // rule 2
  | "no-contact" // rule 3
  | "no-match" // rule 6

export type LinkMethod = "email" | "phone" | "created"

export interface MatchDecision {
  readonly rule: MatchRule
  /** The Edge customer chosen; none when a new one is to be created. */
  readonly customerId: Option.Option<number>
  /** Every eligible candidate, best first (empty when nothing was searched or found). */
  readonly candidates: ReadonlyArray<number>
  /** More than one Edge customer could have been chosen. */
  readonly ambiguous: boolean
  /** The link to write between the order's Shopify customer and the Edge customer, if any. */
  readonly link: Option.Option<LinkMethod>
  /** One sentence a store owner can read. */
  readonly explanation: string
}

interface Scored {
  readonly candidate: Candidate
  readonly byEmail: boolean
  readonly byPhone: boolean
}

const tier = (s: Scored): number => (s.byEmail && s.byPhone ? 0 : s.byEmail ? 1 : 2)

/** Best first: both identifiers, then email, then latest sale, then latest edit, then lowest id. */
const ranking: Order.Order<Scored> = Order.combineAll([
  Order.mapInput(Order.number, tier),
  Order.mapInput(Order.reverse(Option.getOrder(Order.Date)), (s: Scored) => s.candidate.lastSaleAt),
  Order.mapInput(Order.reverse(Order.string), (s: Scored) => s.candidate.updatedAt),
  Order.mapInput(Order.number, (s: Scored) => s.candidate.customerId)
])

const createNew = (
  contact: OrderContact,
  rule: "create-new" | "no-contact" | "no-match",
  explanation: string
): MatchDecision => ({
  rule,
  customerId: Option.none(),
  candidates: [],
  ambiguous: false,
  link: Option.isSome(contact.shopifyCustomerId) ? Option.some("created") : Option.none(),
  explanation
})

/**
 * Decides the Edge customer for an order from the candidates a lookup found for its contact (in any
 * order). `contact.email` and `contact.phone` are none when the order has none that can be matched on
 * (no normalized key).
 */
export const decide = (
  mode: CustomerDownload,
  contact: OrderContact,
  candidates: ReadonlyArray<Candidate>
): MatchDecision => {
  if (Option.isSome(contact.linkedCustomerId)) {
    return {
      rule: "link",
      customerId: contact.linkedCustomerId,
      candidates: [],
      ambiguous: false,
      link: Option.none(),
      explanation: `Shopify customer already linked to Edge customer ${contact.linkedCustomerId.value}`
    }
  }
  if (mode === "create-new") {
    return createNew(contact, "create-new", "customerDownload is create-new: a new Edge customer is created")
  }
  const byPhoneToo = mode === "phone-or-email"
  if (Option.isNone(contact.email) && (!byPhoneToo || Option.isNone(contact.phone))) {
    return createNew(
      contact,
      "no-contact",
      mode === "email"
        ? "the order has no email: a new Edge customer is created from its names and addresses"
        : "the order has neither email nor phone: a new Edge customer is created from its names and addresses"
    )
  }

  const shopifyCustomerId = contact.shopifyCustomerId
  const seen = new Set<number>()
  const scored: Array<Scored> = []
  let excluded = 0
  for (const candidate of candidates) {
    if (seen.has(candidate.customerId)) continue
    const byEmail = candidate.byEmail
    const byPhone = byPhoneToo && candidate.byPhone
    if (!byEmail && !byPhone) continue
    seen.add(candidate.customerId)
    const linkedElsewhere = Option.isSome(shopifyCustomerId) &&
      Option.exists(candidate.linkedShopifyCustomerId, (id) => id !== shopifyCustomerId.value)
    if (linkedElsewhere) {
      excluded++
      continue
    }
    scored.push({ candidate, byEmail, byPhone })
  }

  const ranked = Arr.sort(scored, ranking)
  const best = ranked[0]
  if (best === undefined) {
    const note = excluded > 0 ? ` (${excluded} already linked to another Shopify customer)` : ""
    return createNew(contact, "no-match", `no Edge customer has this ${mode === "email" ? "email" : "email or phone"}${note}: a new Edge customer is created`)
  }
  const rule: MatchRule = tier(best) === 0 ? "email-and-phone" : tier(best) === 1 ? "email" : "phone"
  const ambiguous = ranked.length > 1
  const by = rule === "email-and-phone" ? "email and phone" : rule
  const explanation = ambiguous
    ? `${ranked.length} Edge customers match; chose ${best.candidate.customerId} (${by}` +
      (ranked[1] !== undefined && tier(ranked[1]) === tier(best) ? ", most recently active, then lowest id)" : ")")
    : `matched Edge customer ${best.candidate.customerId} by ${by}`
  return {
    rule,
    customerId: Option.some(best.candidate.customerId),
    candidates: ranked.map((s) => s.candidate.customerId),
    ambiguous,
    link: Option.isSome(contact.shopifyCustomerId)
      ? Option.some(rule === "phone" ? "phone" : "email")
      : Option.none(),
    explanation
  }
}

// ---------------------------------------------------------------------------------------------------
// The stage: `mission.matchCustomer` over a batch of Shopify orders.

const guestOrigin = (order: ShopifyOrder.ShopifyOrder, email: Option.Option<string>, phone: Option.Option<string>): string =>
  // A guest has no Shopify customer to be idempotent on: the same email (else phone) makes the same
  // customer across retries and within a batch; an order with neither has only itself.
  Option.match(Option.orElse(Option.map(email, (e) => `email:${e}`), () => Option.map(phone, (p) => `phone:${p}`)), {
    onNone: () => order.id,
    onSome: (key) => `guest:${key}`
  })

const editedAt = (text: string): Option.Option<Date> => {
  const date = new Date(`${text.replace(" ", "T")}Z`)
  return Number.isNaN(date.getTime()) ? Option.none() : Option.some(date)
}

const fromLookup = (c: CustomerLookup.Candidate): Candidate => ({
  customerId: c.customerId,
  byEmail: c.byEmail,
  byPhone: c.byPhone,
  lastSaleAt: c.lastSaleAt,
  updatedAt: c.updatedAt,
  linkedShopifyCustomerId: Option.map(c.link, (l) => l.shopifyCustomerId)
})

/** The notes a decision adds to the run's counts (`match:email`, `match:ambiguous`, ...). */
export const notesOf = (decision: MatchDecision): ReadonlyArray<string> => [
  `match:${decision.rule}`,
  ...(decision.ambiguous ? ["match:ambiguous"] : [])
]


interface Decided {
  readonly order: ShopifyOrder.ShopifyOrder
  /** Who placed it: the Shopify customer GID, or a guest's origin (see guestOrigin). */
  readonly buyer: string
  /** The order's match keys (none when it has none, or nothing was searched). */
  readonly email: Option.Option<string>
  readonly phone: Option.Option<string>
  readonly candidates: ReadonlyArray<CustomerLookup.Candidate>
  readonly decision: MatchDecision
}

/** An order of the batch that goes to the customer chosen or created for an earlier one. */
export interface SameCustomer {
  /** The index of that earlier order in the batch. */
  readonly index: number
  /** Why: the same buyer, or (for a customer being created) the same email or phone. */
  readonly by: "buyer" | "email" | "phone"
}

/** What `sharedCustomers` needs of each order of a batch, in batch order. */
export interface BatchOrder {
  readonly buyer: string
  readonly shopifyCustomerId: Option.Option<string>
  readonly email: Option.Option<string>
  readonly phone: Option.Option<string>
  /** The decision calls for a new customer. */
  readonly creates: boolean
  /** The rule that decided (only `no-match` creations were searched for). */
  readonly rule: MatchRule
}

/**
 * Which orders of a batch share the customer of an earlier order, so that a batch decides as the same
 * orders would one at a time (whatever the batch size):
 *  - every order of one buyer (a Shopify customer, or a guest's origin) goes where its first went;
 *  - an order whose search found no Edge customer (`no-match`) would, one at a time, have found a
 *    customer created for an earlier order of the batch with its email (or, in `phone-or-email`, its
 *    phone): it joins the first such creation, unless that customer is to be linked to another
 *    Shopify customer (Shopify says they are different people, as in rule 4).
 * Deterministic: batch order decides, never timing.
 */
export const sharedCustomers = (
  mode: CustomerDownload,
  orders: ReadonlyArray<BatchOrder>
): ReadonlyArray<SameCustomer | undefined> => {
  interface Creation {
    readonly index: number
    readonly email: Option.Option<string>
    readonly phone: Option.Option<string>
    /** The Shopify customer the created customer will be linked to, once one of its orders has one. */
    shopifyCustomerId: Option.Option<string>
  }
  const byBuyer = new Map<string, { readonly index: number; readonly creation: Creation | undefined }>()
  const creations: Array<Creation> = []
  const same = (a: Option.Option<string>, b: Option.Option<string>) => Option.isSome(a) && Option.isSome(b) && a.value === b.value
  return orders.map((order, i): SameCustomer | undefined => {
    const first = byBuyer.get(order.buyer)
    if (first !== undefined) return { index: first.index, by: "buyer" }
    if (!order.creates) {
      byBuyer.set(order.buyer, { index: i, creation: undefined })
      return undefined
    }
    if (order.rule === "no-match") {
      for (const creation of creations) {
        const by = same(order.email, creation.email)
          ? "email" as const
          : mode === "phone-or-email" && same(order.phone, creation.phone)
          ? "phone" as const
          : undefined
        if (by === undefined) continue
        if (Option.isSome(order.shopifyCustomerId) && Option.isSome(creation.shopifyCustomerId)) continue
        if (Option.isSome(order.shopifyCustomerId)) creation.shopifyCustomerId = order.shopifyCustomerId
        // The buyer's later orders follow this one (matched, and linked by this key), not the creation.
        byBuyer.set(order.buyer, { index: i, creation })
        return { index: creation.index, by }
      }
    }
    const creation: Creation = { index: i, email: order.email, phone: order.phone, shopifyCustomerId: order.shopifyCustomerId }
    creations.push(creation)
    byBuyer.set(order.buyer, { index: i, creation })
    return undefined
  })
}

const chosenCandidate = (d: Decided) =>
  Option.flatMap(d.decision.customerId, (id) => Option.fromNullable(d.candidates.find((c) => c.customerId === id)))

const isExisting = (d: Decided, link: Option.Option<CustomerLookup.LinkedCustomer>): boolean =>
  (d.decision.rule === "link" && Option.isSome(link)) || Option.isSome(chosenCandidate(d))

/** The order with its chosen customer: linked, matched, or created (`created` none in a dry run). */
const assemble = (
  d: Decided,
  link: Option.Option<CustomerLookup.LinkedCustomer>,
  created: Either.Either<number, EdgeRecordError> | undefined
): Outcome<MatchedOrder> => {
  const notes = notesOf(d.decision)
  if (d.decision.rule === "link" && Option.isSome(link)) {
    return Stage.emit<MatchedOrder>({
      order: d.order,
      decision: d.decision,
      customer: {
        customerId: Option.some(link.value.customerId),
        created: false,
        fields: link.value.fields,
        link: Option.some(link.value.link),
        changedAt: editedAt(link.value.updatedAt)
      }
    }, ...notes)
  }
  const candidate = chosenCandidate(d)
  if (Option.isSome(candidate)) {
    return Stage.emit<MatchedOrder>({
      order: d.order,
      decision: d.decision,
      customer: {
        customerId: Option.some(candidate.value.customerId),
        created: false,
        fields: candidate.value.fields,
        link: Option.none(),
        changedAt: editedAt(candidate.value.updatedAt)
      }
    }, ...notes)
  }
  // A customer Edge cannot store (a name too long for its column) fails that order alone.
  if (created !== undefined && Either.isLeft(created)) return Stage.reject(created.left)
  return Stage.emit<MatchedOrder>({
    order: d.order,
    decision: d.decision,
    customer: {
      customerId: created === undefined ? Option.none() : Option.some(created.right),
      created: true,
      fields: OrderCustomer.newCustomer(d.order),
      link: Option.none(),
      changedAt: Option.none()
    }
  }, ...notes)
}

/**
 * `mission.matchCustomer`: decides each order's Edge customer (two lookups per batch: links, then
 * email and phone keys), and creates the customers the decisions call for (not in a dry run; creation
 * is idempotent by origin, so a retried batch finds the customer it created).
 */
export const stage = (options: SyncOptions) =>
  Transform.batch<
    ShopifyOrder.ShopifyOrder,
    MatchedOrder,
    EdgeDbError,
    CustomerLookup.CustomerLookup | EdgeCustomers
  >(
    "mission.matchCustomer",
    (batch, ctx) =>
      Effect.gen(function*() {
        const lookup = yield* CustomerLookup.CustomerLookup
        const customers = yield* EdgeCustomers
        const country = options.defaultCountry as CountryCode
        const linked = yield* lookup.linkedByShopifyIds(batch.flatMap((o) => (o.customer === null ? [] : [o.customer.id])))
        const linkOf = (order: ShopifyOrder.ShopifyOrder) =>
          order.customer === null ? Option.none() : Option.fromNullable(linked.get(order.customer.id))
        const contacts = batch.map((order) =>
          OrderCustomer.contact(order, Option.map(linkOf(order), (l) => l.customerId))
        )
        const unlinked = batch.flatMap((_, i) => (Option.isNone(contacts[i]!.linkedCustomerId) ? [i] : []))
        const found = options.customerDownload === "create-new" ? [] : yield* lookup.lookup(
          unlinked.map((i) => ({ email: Option.getOrNull(contacts[i]!.email), phone: Option.getOrNull(contacts[i]!.phone) })),
          { defaultCountry: country }
        )
        const resultOf = new Map(unlinked.flatMap((i, n) => (found[n] === undefined ? [] : [[i, found[n]!] as const])))

        // Decide every order first (pure), then which orders share a customer (sharedCustomers): the
        // links and the new customers of a batch are only written with the batch.
        const decided: ReadonlyArray<Decided> = batch.map((order, i) => {
          const raw = contacts[i]!
          const result = resultOf.get(i)
          const email = result === undefined ? Option.flatMap(raw.email, MatchKey.email) : result.emailKey
          const phone = result === undefined ? Option.flatMap(raw.phone, (p) => MatchKey.phone(p, country)) : result.phoneKey
          const candidates = result === undefined ? [] : result.candidates
          return {
            order,
            buyer: order.customer === null ? guestOrigin(order, email, phone) : order.customer.id,
            email,
            phone,
            candidates,
            decision: decide(options.customerDownload, { ...raw, email, phone }, candidates.map(fromLookup))
          }
        })
        const sameAs = sharedCustomers(options.customerDownload, decided.map((d) => ({
          buyer: d.buyer,
          shopifyCustomerId: Option.fromNullable(d.order.customer?.id),
          email: d.email,
          phone: d.phone,
          creates: !isExisting(d, linkOf(d.order)),
          rule: d.decision.rule
        })))

        // Then create the customers the decisions call for, one per buyer, all in one transaction
        // (idempotent by origin, so a retried batch finds the customers it created). Not in a dry run.
        // One transaction per batch, never several side by side: concurrent creations deadlock on
        // InnoDB's locks of the match-key index. A batch that still meets a deadlock (another process
        // writing customers) was rolled back whole and is run again, as InnoDB advises.
        const toCreate = decided.filter((d, i) => sameAs[i] === undefined && !isExisting(d, linkOf(d.order)))
        const created = new Map<string, Either.Either<number, EdgeRecordError>>()
        if (!ctx.dryRun && toCreate.length > 0) {
          const results = yield* customers.createCustomers(toCreate.map((d) => ({
            fields: OrderCustomer.newCustomer(d.order),
            origin: d.buyer,
            notes: `Created by edgesync from Shopify order ${d.order.name}`
          }))).pipe(Effect.retry({ times: 5, while: (e) => e.reason === "Busy" }))
          toCreate.forEach((d, i) => created.set(d.buyer, Either.map(results[i]!, (c) => c.customerId)))
        }

        const chosen: Array<Outcome<MatchedOrder>> = []
        for (const [i, d] of decided.entries()) {
          const shared = sameAs[i]
          const earlier = shared === undefined ? undefined : chosen[shared.index]
          if (shared !== undefined && earlier !== undefined) {
            const record = earlier._tag === "Emit" ? earlier.records[0] : undefined
            if (record === undefined) {
              chosen.push(earlier)
              continue
            }
            if (shared.by === "buyer") {
              chosen.push(Stage.emit({ ...record, order: d.order }, ...notesOf(record.decision)))
              continue
            }
            // Matched, as it would have been one order at a time, to the customer created for an
            // earlier order: linked by that key when the order has a Shopify customer, and merged like
            // any first match (the new customer's blanks take the Shopify customer's values).
            const by = shared.by
            const decision: MatchDecision = {
              rule: by,
              customerId: record.customer.customerId,
              candidates: Option.toArray(record.customer.customerId),
              ambiguous: false,
              link: d.order.customer === null ? Option.none() : Option.some(by),
              explanation: `matched by ${by} the Edge customer created for order ${record.order.name} of this batch`
            }
            chosen.push(Stage.emit<MatchedOrder>({
              order: d.order,
              decision,
              customer: { ...record.customer, created: false, link: Option.none(), changedAt: Option.none() }
            }, ...notesOf(decision)))
            continue
          }
          const outcome = assemble(d, linkOf(d.order), created.get(d.buyer))
          chosen.push(outcome)
          // A dry run's plan lists the ambiguous matches (a real run records them: `edgesync matches`).
          if (ctx.dryRun && d.decision.ambiguous) yield* Effect.logInfo(`ambiguous match: ${d.order.name}: ${d.decision.explanation}`)
        }
        return chosen
      }),
    {
      description: "mission.matchCustomer: finds each order's Edge customer (link, then email/phone per customerDownload), " +
        "creates one when none matches, and records why"
    }
  )
