// Test support for the Shopify fault-parity suite: a "world" is one Edge database on the private MariaDB
// and one Shopify emulator (same seed in every world), with the three mission pipelines run in-process
// the way `edgesync run` runs them (PipelineRun.runOnce: config checked, `run` section applied, summary
// printed, failures mapped to an exit code). Two worlds arranged with the same data, one run fault-free
// and one with injected faults, must end in the same normalized state (`snapshot`).
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option, type Scope } from "effect"
import { fromUrl } from "../../../connectors/edge/EdgeConfig.js"
import { layer as edgeLayer } from "../../../connectors/edge/EdgeConnector.js"
import { EdgeDb } from "../../../connectors/edge/EdgeDb.js"
import { migrate } from "../../../connectors/edge/EdgeMigrate.js"
import * as ShopifyEmulator from "../../../connectors/shopify/emulator/ShopifyEmulator.js"
import * as ExitCode from "../../../core/cli/ExitCode.js"
import * as PipelineRun from "../../../core/cli/PipelineRun.js"
import * as Workspace from "../../../core/cli/Workspace.js"
import * as Config from "../../../core/Config.js"
import type { RunSummary } from "../../../core/RunSummary.js"
import { freshDatabase } from "../../support/MariaDb.js"
import { type MissionPipeline, registry } from "../../mission/support/MissionHarness.js"
import { adminClient, type AdminClient } from "../../mission/support/ShopifyStore.js"

/** What a run came to, as the CLI would report it. */
export type RunResult =
  | { readonly _tag: "Succeeded"; readonly summary: RunSummary; readonly exitCode: 0 }
  | { readonly _tag: "Failed"; readonly error: unknown; readonly message: string; readonly exitCode: number }

export interface World {
  readonly emulator: ShopifyEmulator.RunningEmulator
  readonly admin: AdminClient
  readonly sql: <A = Record<string, unknown>>(text: string, params?: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<A>>
  /** One `edgesync run <pipeline>` with the world's config file (plus `sync` options). */
  readonly run: (pipeline: MissionPipeline, sync?: Readonly<Record<string, unknown>>) => Effect.Effect<RunResult>
}

/**
 * Short delays, so that faults cost milliseconds: the client retries a request twice (after about
 * 250 and 500 ms) before the runner's retries (the `run` section, 20 to 200 ms apart) take over.
 */
export const tuning = {
  shopify: { maxRetries: 2, requestTimeout: "2 seconds", plan: "enterprise" },
  run: { batchSize: 10, batchWindow: "10ms", retry: { maxAttempts: 5, baseDelay: "20ms", maxDelay: "200ms" } }
} as const

/**
 * A fresh Edge database (stores 1 and web store 98) and a fresh emulator (seed 7, the enterprise plan),
 * no faults yet.
 */
export const world = (options: { readonly shopify?: Readonly<Record<string, unknown>> } = {}): Effect.Effect<World, never, Scope.Scope> =>
  Effect.gen(function*() {
    const url = yield* freshDatabase("faults")
    // The largest plan's bucket refills fastest: a failed page's points, which the client counts as spent
    // since it cannot know, come back in a fraction of a second instead of seconds.
    const emulator = yield* ShopifyEmulator.start({ seed: 7, plan: "enterprise" })
    const edge = yield* Layer.build(edgeLayer(yield* fromUrl(url, { changeSettleMillis: 0 })))
    yield* Effect.provide(migrate, edge)
    const sql: World["sql"] = <A,>(text: string, params: ReadonlyArray<unknown> = []) =>
      Effect.flatMap(Effect.provide(EdgeDb, edge), (d) => d.sql.unsafe<A & object>(text, params)).pipe(Effect.orDie) as Effect.Effect<ReadonlyArray<A>>
    yield* sql("INSERT INTO stores (store_no, name, kind, licensed) VALUES (1, 'Main Street', 'retail', 1), (98, 'Web store', 'web', 1)")
    const reg = yield* Effect.orDie(registry)
    const file = {
      edge: { database: url, changeSettleMillis: 0 },
      shopify: { store: emulator.url, accessToken: emulator.token, ...tuning.shopify, ...options.shopify },
      run: tuning.run
    }
    const terminal: Workspace.Terminal = { interactive: false, write: () => Effect.void }
    const run: World["run"] = (name, sync = {}) => {
      const pipeline = Option.getOrThrow(Option.fromNullable(reg.pipelines.get(name)))
      return PipelineRun.runOnce(pipeline, { dryRun: false, limit: Option.none(), overrides: [], wait: false }).pipe(
        Effect.provide(Workspace.layer(Effect.succeed(reg), terminal)),
        Effect.provide(Config.layerFromObject({ ...file, sync })),
        Effect.provide(NodeContext.layer),
        Effect.match({
          onSuccess: (summary): RunResult => ({ _tag: "Succeeded", summary, exitCode: 0 }),
          onFailure: (error): RunResult => ({
            _tag: "Failed",
            error,
            // What `edgesync` prints on stderr before exiting (ExitCode.report).
            message: error instanceof Error ? error.message : String(error),
            exitCode: ExitCode.codeOf(error)
          })
        })
      )
    }
    return { emulator, admin: adminClient(emulator), sql, run }
  }).pipe(Effect.orDie)

/** Inserts an Edge customer as staff would. */
export const insertCustomer = (w: World, row: Readonly<Record<string, string | boolean | null>>): Effect.Effect<void> => {
  const columns = Object.keys(row)
  const values = Object.values(row).map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v))
  return Effect.asVoid(w.sql(`INSERT INTO customers (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, values))
}

/** Runs a pipeline that must succeed; its summary. */
export const succeed = (w: World, pipeline: MissionPipeline, sync?: Readonly<Record<string, unknown>>) =>
  Effect.flatMap(w.run(pipeline, sync), (result) =>
    result._tag === "Succeeded"
      ? Effect.succeed(result.summary)
      : Effect.dieMessage(`${pipeline} failed (exit ${result.exitCode}): ${result.message}`))

/** Runs `effect` with `spec` injected on every Admin API request, and the faults cleared afterwards. */
export const withFaults = <A, E, R>(w: World, spec: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.orDie(w.emulator.control.setFaults(spec)),
    () => effect,
    () => Effect.orDie(w.emulator.control.clearFaults)
  )

/** How many faults the emulator injected, by kind (to show a run really met them). */
export const faultsInjected = (w: World) =>
  Effect.map(Effect.orDie(w.emulator.control.counters), (c) => c.faults)

// --- The normalized end state ---------------------------------------------------------------------

interface CustomerRow {
  readonly customer_id: number | string
  readonly first_name: string | null
  readonly last_name: string | null
  readonly email: string | null
  readonly phone_cell: string | null
  readonly [column: string]: unknown
}

const contactColumns = [
  "first_name", "last_name", "company", "email", "phone_cell", "phone_home", "phone_work", "address1", "address2", "city",
  "state", "postal_code", "country", "notes", "web_upload"
] as const

/** A person's stable name across worlds (ids are generated and may differ). */
const labelOf = (c: { readonly email?: string | null; readonly phone?: string | null; readonly first?: string | null; readonly last?: string | null }) =>
  c.email ?? c.phone ?? `${c.first ?? ""} ${c.last ?? ""}`.trim()

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/**
 * Everything the pipelines write, with generated ids replaced by the natural keys they stand for and
 * timestamps reduced to whether they are set: Edge customers, links (method, snapshot, invite), web
 * sales with lines, taxes and tenders, matching decisions and conflicts, dead letters; Shopify
 * customers and invites.
 */
export const snapshot = (w: World) =>
  Effect.gen(function*() {
    const customers = yield* w.sql<CustomerRow>(`SELECT customer_id, ${contactColumns.join(", ")} FROM customers`)
    const edgeLabel = new Map(customers.map((c) => [String(c.customer_id), labelOf({ email: c.email, phone: c.phone_cell, first: c.first_name, last: c.last_name })]))
    const edgeOf = (id: unknown) => (id === null || id === undefined ? null : edgeLabel.get(String(id)) ?? `missing Edge customer ${String(id)}`)

    const shopifyCustomers = yield* Effect.orDie(w.emulator.control.customers)
    const shopifyLabel = new Map(shopifyCustomers.map((c) => [c.id, labelOf({ email: c.email, phone: c.phone, first: c.firstName, last: c.lastName })]))
    const shopifyOf = (gid: unknown) => (gid === null || gid === undefined ? null : shopifyLabel.get(String(gid)) ?? `missing Shopify customer ${String(gid)}`)
    const orders = yield* Effect.orDie(w.emulator.control.orders)
    const orderName = new Map(orders.map((o) => [o.id, o.name]))

    const links = yield* w.sql<Record<string, unknown>>(
      "SELECT customer_id, shopify_customer_id, link_method, invite_sent_at, synced_snapshot, last_pushed_at, last_pulled_at FROM customer_web_links"
    )
    const sales = yield* w.sql<Record<string, unknown>>(
      `SELECT sale_id, store_no, sale_no, customer_id, sale_date, kind, status, currency, subtotal, discount, shipping, tax, total,
              tax_stripped, shopify_order_id, shopify_updated_at FROM sales`
    )
    const lines = yield* w.sql<Record<string, unknown>>("SELECT * FROM sale_lines ORDER BY sale_id, line_no")
    const taxes = yield* w.sql<Record<string, unknown>>("SELECT * FROM sale_taxes ORDER BY sale_id, seq")
    const tenders = yield* w.sql<Record<string, unknown>>("SELECT * FROM sale_tenders ORDER BY sale_id, seq")
    const decisions = yield* w.sql<Record<string, unknown>>(
      "SELECT decision_key, shopify_customer_id, shopify_order_id, edge_customer_id FROM edgesync_match_decisions"
    )
    const conflicts = yield* w.sql<Record<string, unknown>>(
      "SELECT customer_id, field_name, edge_value, shopify_value, chosen_value FROM edgesync_contact_conflicts"
    )
    const deadLetters = yield* w.sql<Record<string, unknown>>("SELECT pipeline, stage, status FROM edgesync_dead_letters")
    const invites = yield* Effect.orDie(w.emulator.control.invites)

    const of = (saleId: unknown, rows: ReadonlyArray<Record<string, unknown>>, drop: ReadonlyArray<string>) =>
      rows.filter((r) => String(r.sale_id) === String(saleId)).map((r) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => k !== "sale_id" && !drop.includes(k)).map(([k, v]) => [k, text(v)])))
    const sorted = <A,>(rows: ReadonlyArray<A>) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))

    return {
      edge: {
        customers: sorted(customers.map((c) => Object.fromEntries(contactColumns.map((k) => [k, text(c[k])])))),
        links: sorted(links.map((l) => ({
          customer: edgeOf(l.customer_id),
          shopifyCustomer: shopifyOf(l.shopify_customer_id),
          method: l.link_method,
          invited: l.invite_sent_at !== null,
          snapshot: typeof l.synced_snapshot === "string" ? JSON.parse(l.synced_snapshot) : l.synced_snapshot,
          pushed: l.last_pushed_at !== null,
          pulled: l.last_pulled_at !== null
        }))),
        sales: sorted(sales.map((s) => ({
          ...Object.fromEntries(Object.entries(s).filter(([k]) => !["sale_id", "customer_id", "shopify_order_id", "sale_date", "shopify_updated_at"].includes(k)).map(([k, v]) => [k, text(v)])),
          customer: edgeOf(s.customer_id),
          order: s.shopify_order_id === null ? null : orderName.get(String(s.shopify_order_id)) ?? "unknown order",
          lines: of(s.sale_id, lines, []),
          taxes: of(s.sale_id, taxes, []),
          tenders: of(s.sale_id, tenders, [])
        }))),
        decisions: sorted(decisions.map((d) => ({
          // Which customer each decision settled on must agree; the rule it records need not: a buyer's
          // second order finds the link (or the customer) the first one made, unless both were matched
          // before the first batch committed (the runner reads ahead while it writes), by timing alone.
          edge: edgeOf(d.edge_customer_id),
          shopify: shopifyOf(d.shopify_customer_id),
          order: d.shopify_order_id === null ? null : orderName.get(String(d.shopify_order_id)) ?? "unknown order",
          key: String(d.decision_key).replace(/\d+/g, "#")
        }))),
        conflicts: sorted(conflicts.map((c) => ({ ...c, customer_id: edgeOf(c.customer_id) }))),
        deadLetters: sorted(deadLetters)
      },
      shopify: {
        customers: sorted(shopifyCustomers.map((c) => ({
          firstName: c.firstName,
          lastName: c.lastName,
          email: c.email,
          phone: c.phone,
          state: c.state,
          tags: [...c.tags].sort(),
          note: c.note,
          addresses: c.addresses.map(({ id: _id, ...a }) => a),
          numberOfOrders: c.numberOfOrders
        }))),
        invites: sorted(invites.map((i) => ({ customer: shopifyOf(i.customerId), to: i.to, subject: i.subject })))
      }
    }
  })

export type Snapshot = Effect.Effect.Success<ReturnType<typeof snapshot>>
