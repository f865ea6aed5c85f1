// Whether a pipeline lock may be taken, shared by every StateStore implementation so they all follow
// the same rule: take a free lock, re-take our own, take over a stale or orphaned one, never a live one.
import { Effect, Option } from "effect"
import { LockHeld } from "../EtlError.js"
import type { LockOwner } from "../StateStore.js"

export interface HeldLock {
  readonly host: string
  readonly pid: number
  readonly runId: string
  readonly acquiredAt: number
  readonly heartbeatAt: number
}

export type LockDecision =
  | { readonly _tag: "Free" }
  | { readonly _tag: "Ours" }
  /** The holder stopped heartbeating, or its process on this host is gone: the lock may be taken over. */
  | { readonly _tag: "Orphaned"; readonly previous: HeldLock; readonly why: string }
  | { readonly _tag: "Held"; readonly holder: HeldLock }

/**
 * Whether process `pid` exists on this host. `kill(pid, 0)` sends nothing; it fails with ESRCH when no
 * such process exists and with EPERM when it exists but belongs to another user (alive).
 */
export const processAlive = (pid: number): Effect.Effect<boolean> =>
  Effect.sync(() => {
    try {
      process.kill(pid, 0)
      return true
    } catch (error) {
      return !(typeof error === "object" && error !== null && "code" in error && error.code === "ESRCH")
    }
  })

export const decide = (
  held: Option.Option<HeldLock>,
  owner: LockOwner,
  now: number,
  staleAfterMillis: number
): Effect.Effect<LockDecision> => {
  if (Option.isNone(held)) return Effect.succeed({ _tag: "Free" })
  const holder = held.value
  if (holder.runId === owner.runId && holder.host === owner.host && holder.pid === owner.pid) {
    return Effect.succeed({ _tag: "Ours" })
  }
  const silentFor = now - holder.heartbeatAt
  if (silentFor > staleAfterMillis) {
    return Effect.succeed({
      _tag: "Orphaned",
      previous: holder,
      why: `no heartbeat for ${Math.round(silentFor / 1000)}s (stale after ${Math.round(staleAfterMillis / 1000)}s)`
    })
  }
  if (holder.host !== owner.host) return Effect.succeed({ _tag: "Held", holder })
  return Effect.map(processAlive(holder.pid), (alive): LockDecision =>
    alive
      ? { _tag: "Held", holder }
      : { _tag: "Orphaned", previous: holder, why: `process ${holder.pid} on ${holder.host} is gone` })
}

export const describeOwner = (lock: { readonly host: string; readonly pid: number; readonly runId: string }): string =>
  `${lock.host} pid ${lock.pid} (run ${lock.runId})`

export const lockHeld = (pipeline: string, holder: HeldLock): LockHeld =>
  new LockHeld({ pipeline, owner: describeOwner(holder), since: new Date(holder.acquiredAt).toISOString() })
