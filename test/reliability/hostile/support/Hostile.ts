// Test support for the hostile-input corpus: white-box edits of the emulator's store (for records
// Shopify itself could send but its Admin API will not let a client create), reading back dead letters
// and sales, and the count identity every run must keep.
import { NodeContext } from "@effect/platform-node"
import { Effect, HashMap, Option, Ref } from "effect"
import { assert } from "vitest"
import * as OrderMath from "../../../../connectors/shopify/emulator/OrderMath.js"
import type { RunningEmulator } from "../../../../connectors/shopify/emulator/ShopifyEmulator.js"
import * as StoreModel from "../../../../connectors/shopify/emulator/StoreModel.js"
import * as Config from "../../../../core/Config.js"
import * as Registry from "../../../../core/Registry.js"
import * as Runner from "../../../../core/Runner.js"
import type { RunSummary } from "../../../../core/RunSummary.js"
import { type Mission, type MissionPipeline, registry } from "../../../mission/support/MissionHarness.js"

/** The numeric id of a GID (`gid://shopify/Order/123` → 123). */
export const idOf = (gid: string): number => Number(gid.slice(gid.lastIndexOf("/") + 1))

/**
 * Rewrites an order as the store holds it. `recompute` derives the totals again from the edited lines
 * (an order Shopify could hold); without it the totals stay as they were (an order whose totals do not
 * add up).
 */
export const editOrder = (
  emulator: RunningEmulator,
  gid: string,
  edit: (order: StoreModel.Order) => StoreModel.Order,
  options: { readonly recompute?: boolean } = {}
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const now = yield* emulator.state.clock.now
    yield* Ref.update(emulator.state.data, (data) => {
      const order = Option.getOrThrow(StoreModel.getOrder(data, idOf(gid)))
      const edited = edit(order)
      const { totals: _totals, ...rest } = edited
      return StoreModel.putOrder(data, options.recompute === false ? edited : OrderMath.withTotals(rest), now, 0)
    })
  })

/** Rewrites a customer as the store holds it (indexes follow). */
export const editCustomer = (
  emulator: RunningEmulator,
  gid: string,
  edit: (customer: StoreModel.Customer) => StoreModel.Customer
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const now = yield* emulator.state.clock.now
    yield* Ref.update(emulator.state.data, (data) =>
      StoreModel.putCustomer(data, edit(Option.getOrThrow(StoreModel.getCustomer(data, idOf(gid)))), now, 0))
  })

/** Deletes an order from the store outright (Shopify's orderDelete; the emulator has no mutation for it). */
export const deleteOrder = (emulator: RunningEmulator, gid: string): Effect.Effect<void> =>
  Ref.update(emulator.state.data, (data) => ({ ...data, version: data.version + 1, orders: HashMap.remove(data.orders, idOf(gid)) }))

/**
 * Stores a second entry holding the same order (same GID, same version) under another key, so that a
 * listing returns the order twice in one page, as Shopify does when a record moves while being paged.
 */
export const duplicateOrder = (emulator: RunningEmulator, gid: string): Effect.Effect<void> =>
  Ref.update(emulator.state.data, (data) => {
    const entry = Option.getOrThrow(HashMap.get(data.orders, idOf(gid)))
    // Ids grow by multiples of 32768 (StoreModel.allocateId): id + 1 is never another order's.
    return { ...data, version: data.version + 1, orders: HashMap.set(data.orders, idOf(gid) + 1, entry) }
  })

export interface DeadLetterRow {
  readonly id: number
  readonly pipeline: string
  readonly stage: string
  readonly record_key: string
  readonly error_tag: string
  readonly message: string
  readonly status: string
  readonly attempts: number
}

/** The dead letters of `pipeline` in the Edge database's state tables, oldest first. */
export const deadLetters = (m: Mission, pipeline: string): Effect.Effect<ReadonlyArray<DeadLetterRow>> =>
  m.sql<DeadLetterRow>(
    "SELECT id, pipeline, stage, record_key, error_tag, message, status, attempts FROM edgesync_dead_letters WHERE pipeline = ? ORDER BY id",
    [pipeline]
  ).pipe(Effect.map((rows) => rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }))))

/** The one dead letter whose record key contains `key` (an order or customer id). */
export const deadLetterFor = (letters: ReadonlyArray<DeadLetterRow>, key: string, label: string): DeadLetterRow => {
  const found = letters.filter((l) => l.record_key.includes(key))
  assert.strictEqual(found.length, 1, `${label}: one dead letter for ${key}, found ${JSON.stringify(found)}`)
  return found[0]!
}

export const noDeadLetterFor = (letters: ReadonlyArray<DeadLetterRow>, key: string, label: string): void => {
  const found = letters.filter((l) => l.record_key.includes(key))
  assert.deepStrictEqual(found, [], `${label}: no dead letter for ${key}`)
}

/** `read == written + skipped + deadLettered`: every record read is accounted for. */
export const accountedFor = (summary: RunSummary, label: string): void => {
  const c = summary.counts
  assert.strictEqual(c.read, c.written + c.skipped + c.deadLettered, `${label}: read == written + skipped + deadLettered (${JSON.stringify(c)})`)
  assert.strictEqual(summary.outcome, "succeeded", `${label}: outcome ${summary.outcome} ${Option.getOrElse(summary.error, () => "")}`)
}

/** Characters that break shells, SQL and naive CSV/JSON handling, in one string. */
export const metacharacters = `Robert'); DROP TABLE sales;-- "q" \`id\` $(rm -rf ~) & | ; < > \\ % _ * ?\t~ #{x} \${y} \r\n'--`

export const rtlAndEmoji = {
  first: "مريم",
  last: "כהן 💍👩🏽‍💻",
  title: "خاتم ذهب 💍 טבעת"
}

/**
 * `edgesync dead-letters retry <pipeline>` in-process, as the CLI runs it: the pipeline's stored dead
 * letters (the given ids, or every pending one) through its transforms and sink again.
 */
export const replay = (
  m: Mission,
  pipeline: MissionPipeline,
  ids: ReadonlyArray<number> | "all",
  sync: Readonly<Record<string, unknown>> = {}
): Effect.Effect<RunSummary, unknown> =>
  Effect.gen(function*() {
    const reg = yield* registry
    const found = Option.getOrThrow(Option.fromNullable(reg.pipelines.get(pipeline)))
    return yield* Registry.provide(reg, found)(
      Runner.replay(found, ids, { rawOptions: sync, dryRun: false, batchSize: 50 })
    ).pipe(
      Effect.provide(Config.layerFromObject({
        edge: { database: m.databaseUrl, changeSettleMillis: 0 },
        shopify: { store: m.emulator.url, accessToken: m.emulator.token },
        sync
      })),
      Effect.provide(NodeContext.layer)
    )
  })
