// The process-wide registry of cost buckets, one per shop: every pipeline and every client built in this
// process for the same shop shares one budget, because Shopify counts one bucket per app and shop.
import { Context, Effect, HashMap, Layer, Option, Ref } from "effect"
import { globalValue } from "effect/GlobalValue"
import * as CostBucket from "./CostBucket.js"

export interface ShopifyBudgetsService {
  /** The shop's bucket, created with `shape` the first time the shop is seen. */
  readonly bucketFor: (shop: string, shape: CostBucket.BucketShape) => Effect.Effect<CostBucket.CostBucket>
}

export class ShopifyBudgets extends Context.Tag("edgesync/ShopifyBudgets")<ShopifyBudgets, ShopifyBudgetsService>() {}

interface Registry {
  readonly buckets: Ref.Ref<HashMap.HashMap<string, CostBucket.CostBucket>>
  readonly lock: Effect.Semaphore
}

const registryService = (registry: Registry): ShopifyBudgetsService => ({
  bucketFor: (shop, shape) =>
    registry.lock.withPermits(1)(
      Effect.gen(function*() {
        const existing = HashMap.get(yield* Ref.get(registry.buckets), shop)
        if (Option.isSome(existing)) return existing.value
        const bucket = yield* CostBucket.make(shape)
        yield* Ref.update(registry.buckets, HashMap.set(shop, bucket))
        return bucket
      })
    )
})

// The composition root may build the Shopify layer once per pipeline; the budget must still be one per
// shop for the whole process, so the registry is a global value (Effect's own mechanism for
// process-wide singletons) rather than state of one layer instance.
const processRegistry = globalValue(Symbol.for("edgesync/ShopifyBudgets"), (): Registry => ({
  buckets: Ref.unsafeMake(HashMap.empty<string, CostBucket.CostBucket>()),
  lock: Effect.unsafeMakeSemaphore(1)
}))

/** The process-wide registry: what the connector's layer uses. */
export const layer: Layer.Layer<ShopifyBudgets> = Layer.succeed(ShopifyBudgets, registryService(processRegistry))

/** A registry of its own (tests that must not share a bucket with anything else). */
export const layerIsolated: Layer.Layer<ShopifyBudgets> = Layer.effect(
  ShopifyBudgets,
  Effect.sync(() =>
    registryService({
      buckets: Ref.unsafeMake(HashMap.empty<string, CostBucket.CostBucket>()),
      lock: Effect.unsafeMakeSemaphore(1)
    })
  )
)
