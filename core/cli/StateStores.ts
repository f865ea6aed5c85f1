// Commands that read state (`status`, `dead-letters`) open only the state stores involved: pipelines
// are grouped by where their state lives (the default state database, or a connector's own database
// such as the Edge's), and each store is opened once for its group.
import { Effect, Either, Layer } from "effect"
import * as Registry from "../Registry.js"
import { StateStore } from "../StateStore.js"

export interface StoreGroup {
  /** "state" for the default state database, else the connector whose database holds the state. */
  readonly location: string
  readonly pipelines: ReadonlyArray<Registry.AnyPipeline>
  readonly layer: Layer.Layer<StateStore, Registry.LayerError, Registry.LayerContext>
}

export const groups = (
  registry: Registry.Registry,
  pipelines: ReadonlyArray<Registry.AnyPipeline>
): ReadonlyArray<StoreGroup> => {
  const byLocation = new Map<string, Array<Registry.AnyPipeline>>()
  for (const pipeline of pipelines) {
    const location = Registry.stateLocation(registry, pipeline)
    byLocation.set(location, [...(byLocation.get(location) ?? []), pipeline])
  }
  return [...byLocation.entries()].map(([location, members]) => ({
    location,
    pipelines: members,
    layer: Registry.stateStoreLayer(registry, members[0]!)
  }))
}

export const describeLocation = (group: StoreGroup): string =>
  group.location === "state" ? "the state database" : `the ${group.location} database`

/**
 * Runs `f` against each group's store. With `tolerant`, a store that cannot be opened (say, the Edge
 * database of a store that does not use it) is reported as a Left instead of failing the command; the
 * default state database must always open.
 */
export const forEach = <A, E>(
  groupsToVisit: ReadonlyArray<StoreGroup>,
  f: (group: StoreGroup) => Effect.Effect<A, E, StateStore>
): Effect.Effect<
  ReadonlyArray<{ readonly group: StoreGroup; readonly result: Either.Either<A, E | Registry.LayerError> }>,
  E | Registry.LayerError,
  Registry.LayerContext
> =>
  Effect.forEach(groupsToVisit, (group) => {
    const visited = Effect.provide(f(group), group.layer)
    return group.location === "state" || groupsToVisit.length === 1
      ? Effect.map(visited, (a) => ({ group, result: Either.right(a) }))
      : Effect.map(Effect.either(visited), (result) => ({ group, result }))
  })
