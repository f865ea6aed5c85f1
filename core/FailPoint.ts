// Failpoints (in the style of TiKV's fail-rs and FoundationDB's buggify): named places in the runner and
// the sinks where a crash test can make the process die, so that "killed between the sink's commit and
// the checkpoint" is a place a test can aim at, not a timing it has to be lucky with.
//
// In production nothing is configured and `hit` does nothing (the default service). Only the composition
// root (pipelines/main.ts) configures them, from the environment (EDGESYNC_FAILPOINTS), and it supplies
// what "trigger" means (there: SIGKILL the process itself). The crash harness lives in
// test/reliability/crash/.
import { Context, Effect, Either, Ref } from "effect"

/** The places the code calls `hit` with; a spec naming anything else is refused (a typo aims nowhere). */
export const names = [
  /** The runner received a chunk of source records (a page of a paged source). */
  "source.page",
  /** A batch went through its transforms (for customers-to-shopify: Shopify was written to), nothing stored yet. */
  "batch.transformed",
  /** Inside a transactional sink's transaction: its writes and the checkpoint are written, not yet committed. */
  "sink.in-transaction",
  /** A sink's write (and, for a transactional sink, the checkpoint) has committed; the runner has not seen it yet. */
  "sink.committed",
  /** The runner committed a batch's bookkeeping itself (non-transactional sinks, batches with nothing to write). */
  "checkpoint.saved",
  /** A batch is done (written, committed, released); the next has not started. */
  "batch.done",
  /** Shopify created or updated a customer (shopify.upsertCustomer), before anything stored the link. */
  "shopify.customer-written",
  /** Shopify sent an account invite (shopify.sendInvite), before anything stored that it was sent. */
  "shopify.invite-sent"
] as const
export type Name = (typeof names)[number]

export interface FailPointService {
  /** Counts a pass through `name`; triggers when a rule says this pass is the one. */
  readonly hit: (name: Name) => Effect.Effect<void>
}

/** A no-op unless a layer configures it, so library code calls it without requiring anything. */
export class FailPoint extends Context.Reference<FailPoint>()("edgesync/FailPoint", {
  defaultValue: (): FailPointService => ({ hit: () => Effect.void })
}) {}

/** Triggers on the `at`-th pass (1-based) through `name`. */
export interface Rule {
  readonly name: Name
  readonly at: number
}

/**
 * Parses `name@n[,name@n...]` (e.g. `sink.committed@3`): the n-th pass through each named point
 * triggers. An empty spec is no rules.
 */
export const parse = (spec: string): Either.Either<ReadonlyArray<Rule>, string> => {
  const rules: Array<Rule> = []
  for (const part of spec.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const match = /^([a-z.-]+)@([1-9][0-9]*)$/.exec(part)
    const name = match?.[1]
    if (match === null || name === undefined || !(names as ReadonlyArray<string>).includes(name)) {
      return Either.left(`"${part}" is not name@n with n >= 1 and name one of ${names.join(", ")}`)
    }
    rules.push({ name: name as Name, at: Number(match[2]) })
  }
  return Either.right(rules)
}

/** A service that runs `trigger` on the passes the rules name, counting passes per point. */
export const make = (rules: ReadonlyArray<Rule>, trigger: (rule: Rule) => Effect.Effect<void>): Effect.Effect<FailPointService> =>
  Effect.map(Ref.make(new Map<Name, number>()), (passes): FailPointService => ({
    hit: (name) =>
      rules.some((rule) => rule.name === name)
        ? Effect.flatMap(
          Ref.modify(passes, (counts) => {
            const n = (counts.get(name) ?? 0) + 1
            return [n, new Map(counts).set(name, n)] as const
          }),
          (n) => Effect.forEach(rules.filter((rule) => rule.name === name && rule.at === n), trigger, { discard: true })
        )
        : Effect.void
  }))

/** Passes through failpoint `name` (nothing happens unless a crash test configured it). */
export const hit = (name: Name): Effect.Effect<void> => Effect.flatMap(FailPoint, (service) => service.hit(name))
