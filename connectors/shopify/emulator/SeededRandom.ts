// A small deterministic pseudo-random generator (mulberry32) as an immutable state value, so the
// emulator's ids, seeded data and fault decisions repeat exactly for a given seed.

export interface State {
  readonly seed: number
}

export const make = (seed: number): State => ({ seed: seed >>> 0 })

/** A float in [0, 1) and the next state. */
export const next = (state: State): readonly [number, State] => {
  let t = (state.seed + 0x6d2b79f5) >>> 0
  const nextSeed = t
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296
  return [value, { seed: nextSeed }]
}

/** An integer in [min, max] inclusive. */
export const intBetween = (state: State, min: number, max: number): readonly [number, State] => {
  const [f, after] = next(state)
  return [min + Math.floor(f * (max - min + 1)), after]
}

export const pick = <A>(state: State, items: ReadonlyArray<A>): readonly [A, State] => {
  const [i, after] = intBetween(state, 0, items.length - 1)
  return [items[i]!, after]
}

/** A stateful cursor over the generator for code that draws many numbers in a row (seeding). */
export interface Draw {
  readonly float: () => number
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly chance: (p: number) => boolean
  readonly state: () => State
}

export const draw = (initial: State): Draw => {
  // The cursor is local to one seeding run; the resulting state is handed back through `state()`.
  const cursor = { current: initial }
  const float = () => {
    const [f, after] = next(cursor.current)
    cursor.current = after
    return f
  }
  return {
    float,
    int: (min, max) => min + Math.floor(float() * (max - min + 1)),
    pick: (items) => items[Math.floor(float() * items.length)]!,
    chance: (p) => float() < p,
    state: () => cursor.current
  }
}
