// A named sequence of pipelines that `edgesync run NAME` runs one after another, each cycle, like
// `run all` (added by the composition root; the core defines none).
import type { Effect } from "effect"
import type { ConfigSource } from "../Config.js"
import type { ConfigError } from "../EtlError.js"

export interface RunGroup {
  readonly name: string
  readonly description: string
  /** The pipelines to run, in order; may depend on the configuration (options that switch pipelines off). */
  readonly pipelines: Effect.Effect<ReadonlyArray<string>, ConfigError, ConfigSource>
}
