// The StateStore port kept in memory, for unit tests and benchmarks. It follows the same rules as the SQL
// store (atomic batch commits, the same lock takeover rule) but forgets everything with the process.
import { Clock, Effect, Layer, Option, Ref } from "effect"
import * as LockDecision from "./internal/lockDecision.js"
import type { Checkpoint, DeadLetter, DeadLetterStatus, Run, StateStoreService } from "./StateStore.js"
import { StateStore } from "./StateStore.js"

interface State {
  readonly checkpoints: ReadonlyMap<string, Checkpoint>
  readonly runs: ReadonlyMap<string, Run>
  readonly deadLetters: ReadonlyMap<number, DeadLetter>
  readonly nextDeadLetterId: number
  readonly locks: ReadonlyMap<string, LockDecision.HeldLock>
}

const empty: State = {
  checkpoints: new Map(),
  runs: new Map(),
  deadLetters: new Map(),
  nextDeadLetterId: 1,
  locks: new Map()
}

const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => new Map(map).set(key, value)
const withoutEntry = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  const copy = new Map(map)
  copy.delete(key)
  return copy
}

export const make: Effect.Effect<StateStoreService> = Effect.gen(function*() {
  // One Ref for all tables: every operation is a single atomic update, which is what makes
  // `commitBatch` all-or-nothing here.
  const state = yield* Ref.make(empty)
  const now = Clock.currentTimeMillis

  const service: StateStoreService = {
    migrate: Effect.void,

    checkpoint: (pipeline) => Effect.map(Ref.get(state), (s) => Option.fromNullable(s.checkpoints.get(pipeline))),
    checkpoints: Effect.map(Ref.get(state), (s) => [...s.checkpoints.values()]),

    commitBatch: (commit) =>
      Effect.flatMap(now, (at) =>
        Ref.update(state, (s) => {
          let checkpoints = s.checkpoints
          if (Option.isSome(commit.cursor)) {
            checkpoints = withEntry(checkpoints, commit.pipeline, {
              pipeline: commit.pipeline,
              cursor: commit.cursor.value,
              runId: commit.runId,
              updatedAt: new Date(at)
            })
          }
          let deadLetters = s.deadLetters
          let nextDeadLetterId = s.nextDeadLetterId
          const failedReplays = commit.failedReplays ?? []
          if (commit.deadLetters.length > 0 || commit.replayed.length > 0 || failedReplays.length > 0) {
            const copy = new Map(deadLetters)
            for (const letter of commit.deadLetters) {
              const pending = [...copy.values()].find((l) =>
                l.status === "pending" && l.pipeline === letter.pipeline && l.stage === letter.stage && l.recordKey === letter.recordKey &&
                l.record === letter.record
              )
              if (pending !== undefined) {
                copy.set(pending.id, { ...anotherAttempt(pending, letter, at), runId: letter.runId })
                continue
              }
              const id = nextDeadLetterId++
              copy.set(id, {
                ...letter,
                id,
                status: "pending",
                attempts: 1,
                createdAt: new Date(at),
                updatedAt: new Date(at)
              })
            }
            for (const id of commit.replayed) {
              const letter = copy.get(id)
              if (letter !== undefined) copy.set(id, { ...letter, status: "replayed", updatedAt: new Date(at) })
            }
            for (const failed of failedReplays) {
              const letter = copy.get(failed.id)
              if (letter !== undefined) copy.set(failed.id, anotherAttempt(letter, failed, at))
            }
            deadLetters = copy
          }
          const run = s.runs.get(commit.runId)
          const runs = run === undefined ? s.runs : withEntry(s.runs, commit.runId, { ...run, counts: commit.counts })
          return { ...s, checkpoints, deadLetters, nextDeadLetterId, runs }
        })
      ),

    resetCheckpoint: (pipeline) =>
      Ref.update(state, (s) => ({ ...s, checkpoints: withoutEntry(s.checkpoints, pipeline) })),

    startRun: (run) =>
      Ref.update(state, (s) => ({
        ...s,
        runs: withEntry(s.runs, run.runId, {
          runId: run.runId,
          pipeline: run.pipeline,
          startedAt: run.startedAt,
          endedAt: Option.none(),
          outcome: "running",
          dryRun: run.dryRun,
          counts: { read: 0, written: 0, skipped: 0, deadLettered: 0, retries: 0, actions: {} },
          error: Option.none()
        })
      })),

    finishRun: (finished) =>
      Ref.update(state, (s) => {
        const run = s.runs.get(finished.runId)
        if (run === undefined) return s
        return {
          ...s,
          runs: withEntry(s.runs, finished.runId, {
            ...run,
            endedAt: Option.some(finished.endedAt),
            outcome: finished.outcome,
            counts: finished.counts,
            error: finished.error
          })
        }
      }),

    runs: (filter) =>
      Effect.map(Ref.get(state), (s) =>
        [...s.runs.values()]
          .filter((run) => filter.pipeline === undefined || run.pipeline === filter.pipeline)
          .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
          .slice(0, filter.limit)),

    deadLetters: (filter) =>
      Effect.map(Ref.get(state), (s) => {
        const ids = filter.ids === undefined ? undefined : new Set(filter.ids)
        const matching = [...s.deadLetters.values()].filter((letter) =>
          (filter.pipeline === undefined || letter.pipeline === filter.pipeline) &&
          (filter.status === undefined || letter.status === filter.status) &&
          (ids === undefined || ids.has(letter.id))
        )
        return filter.limit === undefined ? matching : matching.slice(0, filter.limit)
      }),

    deadLetterCounts: Effect.map(Ref.get(state), (s) => {
      const counts = new Map<string, { pipeline: string; status: DeadLetterStatus; count: number }>()
      for (const letter of s.deadLetters.values()) {
        const key = `${letter.pipeline}\u0000${letter.status}`
        const entry = counts.get(key) ?? { pipeline: letter.pipeline, status: letter.status, count: 0 }
        counts.set(key, { ...entry, count: entry.count + 1 })
      }
      return [...counts.values()].sort((a, b) => a.pipeline.localeCompare(b.pipeline) || a.status.localeCompare(b.status))
    }),

    setDeadLetterStatus: (ids, status) =>
      Effect.flatMap(now, (at) =>
        Ref.update(state, (s) => {
          const copy = new Map(s.deadLetters)
          for (const id of ids) {
            const letter = copy.get(id)
            if (letter !== undefined) copy.set(id, { ...letter, status, updatedAt: new Date(at) })
          }
          return { ...s, deadLetters: copy }
        })
      ),

    // The decision needs an effect (the pid probe), so it is made first and then applied with a
    // compare-and-set: if the lock changed in between, decide again.
    acquireLock: (pipeline, owner, staleAfterMillis) =>
      Effect.gen(function*() {
        while (true) {
          const at = yield* now
          const before = (yield* Ref.get(state)).locks.get(pipeline)
          const decision = yield* LockDecision.decide(Option.fromNullable(before), owner, at, staleAfterMillis)
          if (decision._tag === "Held") return yield* Effect.fail(LockDecision.lockHeld(pipeline, decision.holder))
          if (decision._tag === "Orphaned") {
            yield* Effect.logWarning(
              `Taking over the lock of "${pipeline}" from ${LockDecision.describeOwner(decision.previous)}: ${decision.why}`
            )
          }
          const taken = yield* Ref.modify(state, (s): readonly [boolean, State] => {
            if (s.locks.get(pipeline) !== before) return [false, s]
            const acquiredAt = decision._tag === "Ours" && before !== undefined ? before.acquiredAt : at
            return [true, {
              ...s,
              locks: withEntry(s.locks, pipeline, { ...owner, acquiredAt, heartbeatAt: at })
            }]
          })
          if (taken) return
        }
      }),

    heartbeatLock: (pipeline, owner) =>
      Effect.flatMap(now, (at) =>
        Ref.update(state, (s) => {
          const held = s.locks.get(pipeline)
          if (held === undefined || held.runId !== owner.runId) return s
          return { ...s, locks: withEntry(s.locks, pipeline, { ...held, heartbeatAt: at }) }
        })
      ),

    releaseLock: (pipeline, owner) =>
      Ref.update(state, (s) => {
        const held = s.locks.get(pipeline)
        if (held === undefined || held.runId !== owner.runId) return s
        return { ...s, locks: withoutEntry(s.locks, pipeline) }
      })
  }
  return service
})

/** A fresh, empty in-memory state store. Each `Layer.build` gives a new one. */
export const layer: Layer.Layer<StateStore> = Layer.effect(StateStore, make)

/** A dead letter after one more failed attempt: the latest failure's stage, error and message. */
const anotherAttempt = (
  letter: DeadLetter,
  failure: { readonly stage: string; readonly errorTag: string; readonly message: string },
  at: number
): DeadLetter => ({
  ...letter,
  stage: failure.stage,
  errorTag: failure.errorTag,
  message: failure.message,
  attempts: letter.attempts + 1,
  updatedAt: new Date(at)
})
