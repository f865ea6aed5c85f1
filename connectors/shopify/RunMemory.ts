// What a stage remembers about the records of a run while the run lasts: which creates it sent, which
// invites it asked for, so that a retried step does not send them again. A stage value outlives runs (a
// scheduled process runs the same pipeline value every cycle) and may serve runs at the same time (two
// pipelines, or tests, in one process), so entries are kept per run id, for the few most recent runs
// only, and within a run for a bounded number of records (more than the batches in flight need).

export interface RunMemory<V> {
  /** The entry of `key` in run `runId`, made by `make` on first use. */
  readonly entry: (runId: string, key: string, make: () => V) => V
}

export const make = <V>(options: { readonly runs: number; readonly perRun: number }): RunMemory<V> => {
  const byRun = new Map<string, Map<string, V>>()
  return {
    entry: (runId, key, make) => {
      let run = byRun.get(runId)
      if (run === undefined) {
        run = new Map()
        byRun.set(runId, run)
        // Maps iterate in insertion order: the first run is the oldest.
        if (byRun.size > options.runs) byRun.delete(byRun.keys().next().value!)
      }
      const existing = run.get(key)
      if (existing !== undefined) return existing
      const created = make()
      run.set(key, created)
      if (run.size > options.perRun) run.delete(run.keys().next().value!)
      return created
    }
  }
}
