// The config file section `run`: how the runner batches and retries, for every pipeline.
import { Duration, Effect, Schema } from "effect"
import * as Config from "../Config.js"
import type { ConfigError } from "../EtlError.js"
import type * as Runner from "../Runner.js"
import { DurationFromHuman } from "./DurationOption.js"

const PositiveInt = Schema.Int.pipe(Schema.positive()).annotations({ description: "a positive integer" })

export const RunSection = Schema.Struct({
  batchSize: Schema.optional(PositiveInt).annotations({ description: "records per batch (default 500)" }),
  batchWindow: Schema.optional(DurationFromHuman).annotations({
    description: "a partial batch is processed after this long without a full one (default 1s)"
  }),
  retry: Schema.optional(Schema.Struct({
    maxAttempts: Schema.optional(PositiveInt).annotations({ description: "attempts in total before a retriable error becomes fatal (default 5)" }),
    baseDelay: Schema.optional(DurationFromHuman).annotations({ description: "delay before the first retry (default 200ms)" }),
    maxDelay: Schema.optional(DurationFromHuman).annotations({ description: "longest delay between retries (default 30s)" })
  })).annotations({ description: "how retriable failures (throttling, timeouts) are retried" })
})
export type RunSection = typeof RunSection.Type

/** The runner options the `run` section sets. */
export type RunTuning = Pick<Runner.RunOptions, "batchSize" | "batchWindow" | "retry">

export const load: Effect.Effect<RunTuning, ConfigError, Config.ConfigSource> = Effect.map(
  Config.decodeSection("run", RunSection),
  (section) => ({
    batchSize: section.batchSize,
    batchWindow: section.batchWindow,
    retry: section.retry === undefined ? undefined : {
      ...(section.retry.maxAttempts === undefined ? {} : { maxAttempts: section.retry.maxAttempts }),
      ...(section.retry.baseDelay === undefined ? {} : { base: section.retry.baseDelay }),
      ...(section.retry.maxDelay === undefined ? {} : { maxDelay: section.retry.maxDelay })
    }
  })
)

export const describe = (tuning: RunTuning): string =>
  `batches of ${tuning.batchSize ?? "500"}` +
  (tuning.batchWindow === undefined ? "" : `, window ${Duration.format(Duration.decode(tuning.batchWindow))}`)
