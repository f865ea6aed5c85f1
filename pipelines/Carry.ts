// Runs a connector's transform on a part of each record and puts its result back beside the record, so
// that what the pipeline knows about a record (the Edge customer behind a Shopify write, the snapshot
// to store) travels past a stage that only knows its own input and output types.
//
// The inner stage keeps its semantics: its notes are kept, a record it drops or rejects is dropped or
// rejected, and its errors fail the batch as they would on their own. Records for which `select` gives
// nothing skip the inner stage and go on with `combine(record, none)`.
import { Effect, Option } from "effect"
import type { Classified } from "../core/EtlError.js"
import type { Outcome, StageContext, Transform } from "../core/Stage.js"
import * as Stage from "../core/Stage.js"
import { MissionError } from "./MissionError.js"

export const through = <A, In, Out, B, E extends Classified, R>(
  inner: Transform<In, Out, E, R>,
  spec: {
    /** The part of the record the inner stage takes, or none to pass it by. */
    readonly select: (record: A) => Option.Option<In>
    /** The record that goes on, from the record and the inner stage's output for it (none when passed by). */
    readonly combine: (record: A, output: Option.Option<Out>) => B
  }
): Transform<A, B, E | MissionError, R> =>
  Stage.transform({
    name: inner.name,
    description: inner.description,
    apply: (batch: ReadonlyArray<A>, ctx: StageContext) =>
      Effect.gen(function*() {
        const selected = batch.map(spec.select)
        const inputs: Array<In> = []
        for (const s of selected) if (Option.isSome(s)) inputs.push(s.value)
        const innerOutcomes = inputs.length === 0 ? [] : yield* inner.apply(inputs, { ...ctx, stage: inner.name })
        if (innerOutcomes.length !== inputs.length) {
          return yield* new MissionError({
            reason: "StageContract",
            stage: inner.name,
            key: `a batch of ${inputs.length}`,
            detail: `it returned ${innerOutcomes.length} outcomes for ${inputs.length} records (one per record is required)`
          })
        }
        let next = 0
        return batch.map((record, i): Outcome<B> => {
          if (Option.isNone(selected[i]!)) return Stage.emit(spec.combine(record, Option.none()))
          const outcome = innerOutcomes[next++]
          if (outcome === undefined) return Stage.drop("unreachable: outcome counts were checked")
          switch (outcome._tag) {
            case "Emit":
              return Stage.emitAll(outcome.records.map((out) => spec.combine(record, Option.some(out))), ...outcome.notes)
            case "Drop":
            case "Reject":
              return outcome
          }
        })
      })
  })
