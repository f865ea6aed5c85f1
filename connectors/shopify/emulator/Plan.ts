// Shopify's rate-limit plans (FACTS §4): the leaky bucket's restore rate and size per plan. Bucket
// sizes are 20 × the restore rate as observed in real responses (Enterprise's 40000 is inferred).
import { Schema } from "effect"

export const PlanName = Schema.Literal("standard", "advanced", "plus", "enterprise")
export type PlanName = typeof PlanName.Type

export interface PlanLimits {
  readonly name: PlanName | "custom"
  /** Points restored per second. */
  readonly restoreRate: number
  /** Bucket size: the most a burst can spend. */
  readonly maximumAvailable: number
}

export const plans: Readonly<Record<PlanName, PlanLimits>> = {
  standard: { name: "standard", restoreRate: 100, maximumAvailable: 2000 },
  advanced: { name: "advanced", restoreRate: 200, maximumAvailable: 4000 },
  plus: { name: "plus", restoreRate: 1000, maximumAvailable: 20000 },
  enterprise: { name: "enterprise", restoreRate: 2000, maximumAvailable: 40000 }
}

export const custom = (restoreRate: number, maximumAvailable: number): PlanLimits => ({ name: "custom", restoreRate, maximumAvailable })
