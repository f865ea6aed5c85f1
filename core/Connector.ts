// The plugin contract: what a connector declares so the framework can configure, build and list it.
//
// A connector is one value: a name, a config Schema (decoded from the config file section of the same
// name, with the environment variables in `environment` overriding single keys), the layer built from
// that config, and the stages it offers. Nothing registers itself by being imported: the composition
// root lists connectors in an explicit record (see Registry.ts).
import type { Layer, Schema } from "effect"
import type { Classified } from "./EtlError.js"
import type { StateStore } from "./StateStore.js"

/** What `edgesync` lists about a stage. The stages themselves are exported by the connector's modules. */
export interface StageInfo {
  readonly kind: "source" | "transform" | "sink"
  readonly name: string
  readonly description: string
}

export interface Connector<Config, Services, E extends Classified = Classified> {
  readonly _tag: "Connector"
  readonly name: string
  readonly description: string
  /** Decodes the config file section `name` merged with the environment overrides. */
  readonly config: Schema.Schema<Config, unknown>
  /**
   * Environment variables that override one config key each, as `{ VARIABLE: "key" }` (for example
   * `{ SHOPIFY_ACCESS_TOKEN: "accessToken" }`). Secrets belong here rather than in files.
   */
  readonly environment: Readonly<Record<string, string>>
  /** Builds the connector's services from its decoded config; scoped resources close with the run. */
  readonly layer: (config: Config) => Layer.Layer<Services, E>
  /**
   * When set, the state store lives in this connector's own database, so that its transactional sinks
   * commit checkpoints in the same transaction as their writes. The composition root uses it whenever a
   * pipeline uses this connector.
   */
  readonly stateStore?: Layer.Layer<StateStore, E, Services>
  readonly stages: ReadonlyArray<StageInfo>
}

// The encoded side of the config Schema is widened to `unknown`: the framework only decodes unknown
// input (the merged config file section and environment) with it, for which the widening is sound.
export const make = <Config, ConfigI, Services, E extends Classified = Classified>(spec: {
  readonly name: string
  readonly description: string
  readonly config: Schema.Schema<Config, ConfigI>
  readonly environment?: Readonly<Record<string, string>>
  readonly layer: (config: Config) => Layer.Layer<Services, E>
  readonly stateStore?: Layer.Layer<StateStore, E, Services>
  readonly stages: ReadonlyArray<StageInfo>
}): Connector<Config, Services, E> => ({
  _tag: "Connector",
  name: spec.name,
  description: spec.description,
  config: spec.config as unknown as Schema.Schema<Config, unknown>,
  environment: spec.environment ?? {},
  layer: spec.layer,
  ...(spec.stateStore === undefined ? {} : { stateStore: spec.stateStore }),
  stages: spec.stages
})
