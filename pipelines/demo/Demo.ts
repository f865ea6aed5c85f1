// `edgesync demo`: the main job on the embedded default, with nothing else installed. It creates a
// SQLite Edge database seeded with a jewelry store's data, starts the Shopify emulator in this process
// with a store's worth of customers and orders (guest checkouts, tax-included orders, refunds, customers
// matching Edge by email, by phone, ambiguously, not at all), runs the mission pipelines twice the way
// `edgesync run all` does (the second cycle after a few profile edits on the site and a refund), and
// reports what happened in a store owner's terms, with where the database file is.
import { FileSystem, Path } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Clock, type Context, Effect, Layer, Option, Schema, type Scope } from "effect"
import { ContactConflicts, type RecordedContactConflict } from "../../connectors/edge/ContactConflicts.js"
import { EdgeConnector, type EdgeServices, layer as edgeLayer } from "../../connectors/edge/EdgeConnector.js"
import { fromUrl } from "../../connectors/edge/EdgeConfig.js"
import { EdgeCustomers } from "../../connectors/edge/EdgeCustomers.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import { migrate } from "../../connectors/edge/EdgeMigrate.js"
import * as MatchKey from "../../connectors/edge/MatchKey.js"
import { MatchDecisions, type RecordedMatchDecision } from "../../connectors/edge/MatchDecisions.js"
import * as Seed from "../../connectors/edge/Seed.js"
import * as ShopifyEmulator from "../../connectors/shopify/emulator/ShopifyEmulator.js"
import type { ShopifyClient } from "../../connectors/shopify/ShopifyClient.js"
import { ShopifyConfig } from "../../connectors/shopify/ShopifyConfig.js"
import { ShopifyConnector } from "../../connectors/shopify/ShopifyConnector.js"
import * as Config from "../../core/Config.js"
import * as Registry from "../../core/Registry.js"
import * as Runner from "../../core/Runner.js"
import type { RunSummary } from "../../core/RunSummary.js"
import * as SqlStateStore from "../../core/SqlStateStore.js"
import type { DeadLetter } from "../../core/StateStore.js"
import { customersFromShopify } from "../customersFromShopify.js"
import { customersToShopify } from "../customersToShopify.js"
import { enabledPipelines, type SyncOptions, SyncOptionFields } from "../SyncOptions.js"
import { webSalesToEdge } from "../webSalesToEdge.js"
import * as DemoQueries from "./DemoQueries.js"
import * as DemoShop from "./DemoShop.js"

export interface DemoOptions {
  /** Where the demo's files go (`edge.db`, `edgesync.config.json`); created if missing. */
  readonly dir: string
  readonly seed: number
  /** Edge customers seeded. */
  readonly edgeCustomers: number
  /** Shopify customers and orders seeded beyond the ones mirroring Edge customers. */
  readonly shopCustomers: number
  readonly shopOrders: number
}

export const defaults: Omit<DemoOptions, "dir"> = { seed: 42, edgeCustomers: 1_000, shopCustomers: 120, shopOrders: 240 }

/**
 * The options the demo runs with: a store whose Shopify collects and remits sales tax (so web sales come
 * in without it), and that invites customers it uploads to create their account.
 */
export const demoSync = { sendInviteOnUpload: true, bringTaxes: false } as const

export interface DemoReport {
  readonly databaseFile: string
  readonly configFile: string
  readonly elapsedMillis: number
  readonly edge: Seed.SeedSummary
  readonly shop: { readonly customers: number; readonly orders: number; readonly taxCents: bigint }
  readonly arranged: Arranged
  /** Each cycle's runs, in order. */
  readonly cycles: ReadonlyArray<ReadonlyArray<RunSummary>>
  readonly sales: ReadonlyArray<{ readonly status: string; readonly count: number; readonly totalCents: bigint; readonly stripped: number }>
  readonly links: ReadonlyArray<{ readonly method: string; readonly count: number; readonly invited: number }>
  readonly decisions: ReadonlyArray<{ readonly rule: string; readonly count: number; readonly ambiguous: number }>
  readonly ambiguous: ReadonlyArray<RecordedMatchDecision>
  readonly conflicts: ReadonlyArray<RecordedContactConflict>
  readonly invites: number
  readonly deadLetters: ReadonlyArray<DeadLetter>
  readonly edgeCustomersAfter: number
}

/** What the demo set up in the store on purpose, so the summary can name it. */
export interface Arranged {
  readonly byEmail: number
  readonly byPhone: number
  readonly households: number
  readonly guestsMatching: number
  readonly anonymous: number
  readonly assignedTopSpenders: number
  readonly profileEdits: number
  readonly refunds: number
}

// ---------------------------------------------------------------------------------------------------
// Orders that add up the way Shopify computes them (integer cents; tax per line, rounded half up).

interface Product {
  readonly sku: string | null
  readonly title: string
  readonly priceCents: bigint
}

const format = (cents: bigint): string => `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`

const taxOf = (amount: bigint, ratePermille: bigint, included: boolean): bigint =>
  included ? (amount * ratePermille + (1000n + ratePermille) / 2n) / (1000n + ratePermille) : (amount * ratePermille + 500n) / 1000n

const orderFor = (
  products: ReadonlyArray<Product>,
  pick: number,
  buyer: { readonly customerId?: string; readonly email?: string },
  included: boolean
): DemoShop.NewOrder => {
  const ratePermille = 63n // 6.3 %
  const chosen = [products[pick % products.length]!, ...(pick % 3 === 0 ? [products[(pick + 7) % products.length]!] : [])]
  const lines = chosen.map((p, i) => {
    const quantity = 1 + ((pick + i) % 2)
    const amount = BigInt(quantity) * p.priceCents
    return { product: p, quantity, amount, tax: taxOf(amount, ratePermille, included) }
  })
  const shipping = 995n
  const shippingTax = taxOf(shipping, ratePermille, included)
  const merchandise = lines.reduce((a, l) => a + l.amount, 0n)
  const tax = lines.reduce((a, l) => a + l.tax, 0n) + shippingTax
  const total = merchandise + shipping + (included ? 0n : tax)
  const rate = Number(ratePermille) / 1000
  return {
    ...buyer,
    taxesIncluded: included,
    lines: lines.map((l) => ({ sku: l.product.sku, title: l.product.title, quantity: l.quantity, price: format(l.product.priceCents), tax: [rate, format(l.tax)] as const })),
    shipping: { price: format(shipping), tax: [rate, format(shippingTax)] as const },
    gateway: pick % 4 === 0 ? "paypal" : "shopify_payments",
    paid: format(total)
  }
}

const toCents = (price: string | number): bigint => {
  const [whole = "0", fraction = ""] = String(price).split(".")
  return BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2))
}

// ---------------------------------------------------------------------------------------------------

const countryOf = (person: DemoQueries.Person) => Option.getOrElse(MatchKey.country(person.country), () => "US" as const)

/** Mirrors Edge customers in the shop and places their orders; returns what was arranged. */
const arrange = (
  options: DemoOptions
): Effect.Effect<{ readonly arranged: Arranged; readonly refundable: Option.Option<Refundable> }, unknown, EdgeServices | ShopifyClient> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    const customers = yield* EdgeCustomers
    const catalog = yield* DemoQueries.items(db, 40)
    const products: ReadonlyArray<Product> = [
      ...catalog.map((i) => ({ sku: i.sku, title: i.description, priceCents: toCents(i.price) })),
      { sku: null, title: "Engraving (custom)", priceCents: 2500n }
    ]
    let pick = options.seed

    // Customers who shop online under the email Edge has for them (typed differently).
    let byEmail = 0
    let refundable = Option.none<Refundable>()
    for (const person of yield* DemoQueries.uniqueEmails(db, 15)) {
      const email = person.email!.trim().toUpperCase()
      const id = yield* DemoShop.createCustomer({ firstName: person.first_name, lastName: person.last_name, email })
      if (Option.isNone(id)) continue
      byEmail++
      const order = orderFor(products, pick++, { customerId: id.value }, byEmail % 4 === 0)
      const placed = yield* DemoShop.placeOrder(order)
      if (Option.isNone(refundable) && Option.isSome(placed) && order.lines[0] !== undefined) {
        refundable = Option.some({ order: placed.value, amount: order.lines[0].price, gateway: order.gateway })
      }
    }

    // Customers who give only their phone online.
    let byPhone = 0
    for (const person of yield* DemoQueries.withCellPhones(db, 30)) {
      if (byPhone >= 8) break
      const phone = MatchKey.phone(person.phone_cell, countryOf(person))
      if (Option.isNone(phone)) continue
      const id = yield* DemoShop.createCustomer({ firstName: person.first_name, lastName: person.last_name, phone: phone.value })
      if (Option.isNone(id)) continue // Shopify refuses numbers that are not real (the 555 exchange)
      byPhone++
      yield* DemoShop.placeOrder(orderFor(products, pick++, { customerId: id.value }, false))
    }

    // Households sharing a home phone: the phone matches several Edge customers.
    let households = 0
    for (const shared of yield* DemoQueries.sharedHomePhones(db, 12)) {
      if (households >= 3) break
      const phone = MatchKey.phone(shared.phone_home, Option.getOrElse(MatchKey.country(shared.country), () => "US" as const))
      if (Option.isNone(phone)) continue
      // Someone of the household, giving only the family name and the home phone.
      const id = yield* DemoShop.createCustomer({ firstName: null, lastName: shared.last_name, phone: phone.value })
      if (Option.isNone(id)) continue
      households++
      yield* DemoShop.placeOrder(orderFor(products, pick++, { customerId: id.value }, false))
    }

    // Guest checkouts under an Edge customer's email, and one with neither email nor phone.
    let guestsMatching = 0
    for (const person of yield* DemoQueries.uniqueEmails(db, 18)) {
      if (guestsMatching >= 2) break
      const placed = yield* DemoShop.placeOrder(orderFor(products, pick++, { email: ` ${person.email!.trim()} ` }, false))
      if (Option.isSome(placed)) guestsMatching++
    }
    const anonymousOrder = orderFor(products, pick++, {}, false)
    const anonymous = Option.isSome(yield* DemoShop.placeOrder({
      ...anonymousOrder,
      billingAddress: { firstName: "Walk-in", lastName: "Buyer", address1: "12 Harbor Rd", city: "Salem", provinceCode: "MA", zip: "01970" }
    })) ? 1 : 0

    // Customers assigned to web upload: the seed's, plus the top spenders (The Edge's advice); one of
    // them already has a Shopify account (if the store's own customers do not already include one),
    // which must be linked rather than duplicated.
    const assigned = yield* customers.assignWebUpload({ _tag: "TopSpenders", count: 10 })
    for (const person of yield* DemoQueries.flaggedForUpload(db, 1)) {
      yield* DemoShop.createCustomer({ firstName: person.first_name, lastName: person.last_name, email: person.email })
    }
    return {
      arranged: {
        byEmail,
        byPhone,
        households,
        guestsMatching,
        anonymous,
        assignedTopSpenders: assigned.flagged,
        profileEdits: 0,
        refunds: 0
      },
      refundable
    }
  })

/** An order placed by the demo that a customer returns an item of between the cycles. */
interface Refundable {
  readonly order: DemoShop.PlacedOrder
  /** One unit of its first line. */
  readonly amount: string
  readonly gateway: string
}

/** Between the cycles: a few customers edit their profile on the site (one while staff edit Edge), an order is refunded. */
const betweenCycles = (
  decisions: ReadonlyArray<RecordedMatchDecision>,
  refundable: Option.Option<Refundable>
): Effect.Effect<{ readonly profileEdits: number; readonly refunds: number }, unknown, EdgeServices | ShopifyClient> =>
  Effect.gen(function*() {
    const db = yield* EdgeDb
    const linked = decisions.filter((d) => d.rule === "email" && d.shopifyCustomerId !== null && d.edgeCustomerId !== null).slice(0, 3)
    let profileEdits = 0
    for (const [i, d] of linked.entries()) {
      if (i === 0) {
        // The same field changed on both sides since the last sync: a conflict (`conflicts`, edge-wins).
        yield* DemoQueries.setCity(db, d.edgeCustomerId!, "Marblehead")
        yield* DemoShop.editProfile(d.shopifyCustomerId!, { city: "Swampscott" })
      } else {
        yield* DemoShop.editProfile(d.shopifyCustomerId!, { lastName: `Newname-${i}` })
      }
      profileEdits++
    }
    const refunds = Option.isSome(refundable)
      ? ((yield* DemoShop.refundOne(refundable.value.order, refundable.value.amount, refundable.value.gateway)) ? 1 : 0)
      : 0
    return { profileEdits, refunds }
  })

// ---------------------------------------------------------------------------------------------------

const pipelines = [customersToShopify, webSalesToEdge, customersFromShopify] as const

const registry = Registry.make({
  connectors: { edge: EdgeConnector, shopify: ShopifyConnector } as const,
  pipelines: [...pipelines]
})

/** One `run all` cycle: the enabled pipelines in turn, a failed one reported and the next still run. */
const cycle = (file: Readonly<Record<string, unknown>>, sync: SyncOptions) =>
  Effect.gen(function*() {
    const reg = yield* registry
    const summaries: Array<RunSummary> = []
    for (const name of enabledPipelines(sync)) {
      const pipeline = reg.pipelines.get(name)
      if (pipeline === undefined) continue
      const summary = yield* Registry.provide(reg, pipeline)(Runner.run(pipeline, {
        rawOptions: file["sync"],
        dryRun: false,
        limit: Option.none(),
        batchWindow: "20 millis"
      })).pipe(Effect.provide(Config.layerFromObject(file)), Effect.either)
      if (summary._tag === "Right") summaries.push(summary.right)
      else yield* Effect.logWarning(`${name} failed: ${String((summary.left as { readonly message?: unknown }).message ?? summary.left)}`)
    }
    return summaries
  })

const removeIfPresent = (fs: FileSystem.FileSystem, file: string) =>
  Effect.flatMap(fs.exists(file), (exists) => (exists ? fs.remove(file) : Effect.void))

/** The whole demo; the emulator and the databases close with the scope. */
export const run = (
  options: DemoOptions
): Effect.Effect<DemoReport, unknown, FileSystem.FileSystem | Path.Path | Scope.Scope> =>
  Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.resolve(options.dir)
    yield* fs.makeDirectory(dir, { recursive: true })
    const databaseFile = path.join(dir, "edge.db")
    for (const suffix of ["", "-wal", "-shm", "-journal"]) yield* removeIfPresent(fs, `${databaseFile}${suffix}`)
    const url = `sqlite:${databaseFile}`

    const emulator = yield* ShopifyEmulator.start({
      seed: options.seed,
      plan: "plus",
      seedCustomers: options.shopCustomers,
      seedOrders: options.shopOrders
    })
    const shopifyConfig = yield* Schema.decodeUnknown(ShopifyConfig)({ store: emulator.url, accessToken: emulator.token, plan: "plus" })
    const sync = Schema.decodeUnknownSync(SyncOptionFields)(demoSync)
    const file = {
      edge: { database: url, changeSettleMillis: 0 },
      shopify: { store: emulator.url, accessToken: emulator.token, plan: "plus" },
      sync: demoSync
    }

    // Set the scene with the databases open, then close them before the pipelines open their own.
    const withServices = <A>(effect: Effect.Effect<A, unknown, EdgeServices | ShopifyClient>) =>
      Effect.scoped(Effect.gen(function*() {
        const edgeConfig = yield* fromUrl(url, { changeSettleMillis: 0 })
        const context: Context.Context<EdgeServices | ShopifyClient> = yield* Layer.build(
          Layer.merge(edgeLayer(edgeConfig), ShopifyConnector.layer(shopifyConfig))
        )
        return yield* Effect.provide(effect, context)
      }))

    const edge = yield* withServices(Effect.zipRight(migrate, Seed.seed({
      seed: options.seed,
      customers: options.edgeCustomers,
      sales: options.edgeCustomers * 2,
      webUploadShare: 0.01
    })))
    const { arranged, refundable } = yield* withServices(arrange(options))

    const first = yield* cycle(file, sync)
    const between = yield* withServices(Effect.flatMap(MatchDecisions, (m) => m.list({ limit: 1_000 })).pipe(
      Effect.flatMap((decisions) => betweenCycles(decisions, refundable))
    ))
    const second = yield* cycle(file, sync)

    const report = yield* withServices(Effect.gen(function*() {
      const db = yield* EdgeDb
      const sql = yield* SqlClient.SqlClient
      const store = yield* SqlStateStore.make.pipe(Effect.provideService(SqlClient.SqlClient, sql))
      return {
        sales: (yield* DemoQueries.webSalesByStatus(db, sync.webStore)).map((r) => ({
          status: r.status,
          count: r.n,
          totalCents: BigInt(r.total_cents),
          stripped: r.stripped
        })),
        links: (yield* DemoQueries.linksByMethod(db)).map((r) => ({ method: r.link_method, count: r.n, invited: r.invited })),
        decisions: (yield* DemoQueries.decisionsByRule(db)).map((r) => ({ rule: r.match_rule, count: r.n, ambiguous: r.ambiguous })),
        ambiguous: yield* Effect.flatMap(MatchDecisions, (m) => m.list({ ambiguousOnly: true, limit: 20 })),
        conflicts: yield* Effect.flatMap(ContactConflicts, (c) => c.list({ limit: 20 })),
        deadLetters: yield* store.deadLetters({ status: "pending", limit: 20 }),
        edgeCustomersAfter: yield* DemoQueries.customerCount(db)
      }
    }))
    const orders = yield* emulator.control.orders
    const configFile = path.join(dir, "edgesync.config.json")
    yield* fs.writeFileString(configFile, JSON.stringify({
      edge: { database: `sqlite:${databaseFile}` },
      sync: demoSync
    }, null, 2) + "\n")
    return {
      databaseFile,
      configFile,
      elapsedMillis: (yield* Clock.currentTimeMillis) - started,
      edge,
      shop: {
        customers: (yield* emulator.control.customers).length,
        orders: orders.length,
        taxCents: orders.reduce((sum, o) => sum + toCents(o.totalTax), 0n)
      },
      arranged: { ...arranged, ...between },
      cycles: [first, second],
      ...report,
      invites: (yield* emulator.control.invites).length
    }
  })
