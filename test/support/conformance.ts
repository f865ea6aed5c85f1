// The shared connector conformance suite: every connector's tests call it, so every source, sink and
// connector is held to the same promises the runner relies on (see core/Stage.ts).
//
// API (call at the top level of a test file; each call registers a `describe` block of tests):
//
//   conformance.source({
//     source,                 // the Stage.Source under test
//     layer,                  // Layer providing the source's services (built afresh per test)
//     compareCursor,          // (a, b) => negative | 0 | positive: the cursor order
//     limit?,                 // read at most this many records (default 500)
//     minimum?,               // the data must yield at least this many records (default 2)
//     static?,                // data does not change between reads (default true): re-reading from
//                             //   a saved cursor must then emit exactly the records that followed it
//     failing?,               // { source, layer }: the same source set up to fail (bad credentials,
//                             //   a refused connection); its error must be classified and carry the
//                             //   pipeline and stage (as fields `pipeline`/`stage` or in its message)
//     name?                   // the describe title (default "source <name>")
//   })
//   checks: records round-trip through the record Schema (encode, JSON, decode, encode gives the same
//   JSON); keys are unique and non-empty; cursors never move backwards and round-trip through the
//   cursor Schema; re-reading from a saved cursor emits no record (key and version) emitted before it.
//
//   conformance.sink({
//     sink, layer,
//     records,                // a sample batch the sink must accept
//     snapshot?,              // Effect reading back what the sink stored (for idempotency and plan)
//     name?
//   })
//   checks: one outcome per record, none rejected for the valid sample; a transactional sink calls
//   ctx.commit exactly once with its outcomes, a non-transactional one never; writing the same batch
//   twice leaves the same snapshot (idempotent); `plan`, when offered, writes nothing.
//
//   conformance.connector(connector, sampleConfig, { invalid?, secrets?, name? })
//   checks: the sample config decodes and each `invalid` one does not; environment overrides name
//   upper-case variables and config keys; stages have unique, non-empty names; the decoded config never
//   shows a secret (`secrets`) when printed, logged or JSON-encoded.
//
// The checks are also exported as effects (`checkSource`, `checkSink`, `checkConnector`) that fail with a
// ConformanceError, for tests that want to run them on their own.
import { describe, it } from "@effect/vitest"
import { Data, Effect, Either, Inspectable, Layer, Option, Ref, Schema, Stream } from "effect"
import { inspect } from "node:util"
import type { Connector } from "../../core/Connector.js"
import { isClassified } from "../../core/EtlError.js"
import type { Classified } from "../../core/EtlError.js"
import type { ReadContext, Sink, SinkContext, SinkOutcome, Source, Sourced, StageContext } from "../../core/Stage.js"

export class ConformanceError extends Data.TaggedError("ConformanceError")<{
  readonly subject: string
  readonly check: string
  readonly problem: string
}> {
  override get message(): string {
    return `${this.subject} fails "${this.check}": ${this.problem}`
  }
}

const fail = (subject: string, check: string, problem: string) => Effect.fail(new ConformanceError({ subject, check, problem }))

const pipeline = "conformance-pipeline"
const readContext = (stage: string, limit: number): ReadContext => ({
  pipeline,
  runId: "conformance-run",
  stage,
  dryRun: false,
  limit: Option.some(limit)
})

const describeError = (error: unknown): string =>
  isClassified(error) ? `${error._tag} (${error.classification}): ${error.message}` : String(error)

// --- Sources -----------------------------------------------------------------------------------------------

export interface SourceSpec<A, C, E extends Classified, R, AF, CF, EF extends Classified, RF> {
  readonly name?: string
  readonly source: Source<A, C, E, R>
  readonly layer: Layer.Layer<R, unknown>
  readonly compareCursor: (a: C, b: C) => number
  readonly limit?: number
  readonly minimum?: number
  readonly static?: boolean
  readonly failing?: { readonly source: Source<AF, CF, EF, RF>; readonly layer: Layer.Layer<RF, unknown> }
}

type SourceCheck = "records round-trip" | "keys" | "cursors" | "re-read" | "errors"

const readAll = <A, C, E extends Classified, R>(
  source: Source<A, C, E, R>,
  cursor: Option.Option<C>,
  limit: number
): Effect.Effect<ReadonlyArray<Sourced<A, C>>, ConformanceError, R> =>
  source.read(cursor, readContext(source.name, limit)).pipe(
    Stream.take(limit),
    Stream.runCollect,
    Effect.map((chunk) => [...chunk]),
    Effect.mapError((error) => new ConformanceError({ subject: source.name, check: "read", problem: `the read failed: ${describeError(error)}` }))
  )

const encodedJson = <A>(schema: Schema.Schema<A, unknown>, value: A): Either.Either<string, string> =>
  Either.map(
    Either.mapLeft(Schema.encodeEither(schema)(value), (error) => error.message),
    (encoded) => JSON.stringify(encoded)
  )

/** Runs one check of the source suite (every check when `only` is omitted). */
export const checkSource = <A, C, E extends Classified, R, AF = A, CF = C, EF extends Classified = E, RF = R>(
  spec: SourceSpec<A, C, E, R, AF, CF, EF, RF>,
  only?: SourceCheck
): Effect.Effect<void, ConformanceError, R> =>
  Effect.gen(function*() {
    const { source } = spec
    const subject = `source ${source.name}`
    const limit = spec.limit ?? 500
    const first = yield* readAll(source, Option.none(), limit)
    if (first.length < (spec.minimum ?? 2)) {
      return yield* fail(subject, "read", `expected at least ${spec.minimum ?? 2} records, got ${first.length}`)
    }
    const keyOf = (sourced: Sourced<A, C>) => source.key(sourced.record)
    const versions = new Array<string>(first.length)

    if (only === undefined || only === "records round-trip" || only === "re-read") {
      for (let i = 0; i < first.length; i++) {
        const record = first[i]!.record
        const encoded = encodedJson(source.record, record)
        if (Either.isLeft(encoded)) {
          return yield* fail(subject, "records round-trip", `record ${keyOf(first[i]!)} does not encode: ${encoded.left}`)
        }
        const decoded = Schema.decodeUnknownEither(source.record)(JSON.parse(encoded.right))
        if (Either.isLeft(decoded)) {
          return yield* fail(subject, "records round-trip", `record ${keyOf(first[i]!)} does not decode from its own encoding: ${decoded.left.message}`)
        }
        const again = encodedJson(source.record, decoded.right)
        if (Either.isLeft(again) || again.right !== encoded.right) {
          return yield* fail(subject, "records round-trip", `record ${keyOf(first[i]!)} changes on a round trip: ${encoded.right} became ${Either.getOrElse(again, (e) => e)}`)
        }
        versions[i] = encoded.right
      }
    }

    if (only === undefined || only === "keys") {
      const seen = new Set<string>()
      for (const sourced of first) {
        const key = keyOf(sourced)
        if (typeof key !== "string" || key.trim() === "") return yield* fail(subject, "keys", `a record has an empty key: ${JSON.stringify(key)}`)
        if (seen.has(key)) return yield* fail(subject, "keys", `key ${key} is emitted twice in one read`)
        seen.add(key)
      }
    }

    if (only === undefined || only === "cursors") {
      for (let i = 0; i < first.length; i++) {
        const cursor = first[i]!.cursor
        if (i > 0 && spec.compareCursor(first[i - 1]!.cursor, cursor) > 0) {
          return yield* fail(subject, "cursors", `the cursor moves backwards at record ${keyOf(first[i]!)} (position ${i})`)
        }
        const encoded = encodedJson(source.cursor, cursor)
        const decoded = Either.flatMap(encoded, (json) =>
          Either.mapLeft(Schema.decodeUnknownEither(source.cursor)(JSON.parse(json)), (e) => e.message))
        if (Either.isLeft(decoded) || spec.compareCursor(decoded.right, cursor) !== 0) {
          return yield* fail(subject, "cursors", `the cursor of record ${keyOf(first[i]!)} does not survive being stored: ${Either.isLeft(decoded) ? decoded.left : "it decodes to another position"}`)
        }
      }
    }

    if (only === undefined || only === "re-read") {
      const k = Math.floor(first.length / 2) - 1
      const saved = first[k]!.cursor
      const before = new Set(first.slice(0, k + 1).map((sourced, i) => `${keyOf(sourced)}\u0000${versions[i]}`))
      const rest = yield* readAll(source, Option.some(saved), limit)
      for (const sourced of rest) {
        const version = encodedJson(source.record, sourced.record)
        if (Either.isRight(version) && before.has(`${keyOf(sourced)}\u0000${version.right}`)) {
          return yield* fail(subject, "re-read", `re-reading after the cursor of ${keyOf(first[k]!)} emits ${keyOf(sourced)} again, which came before it`)
        }
        if (spec.compareCursor(sourced.cursor, saved) < 0) {
          return yield* fail(subject, "re-read", `re-reading after a saved cursor emits ${keyOf(sourced)} with a cursor before it`)
        }
      }
      if (spec.static ?? true) {
        const expected = first.slice(k + 1).map(keyOf)
        const got = rest.slice(0, expected.length).map(keyOf)
        if (JSON.stringify(expected) !== JSON.stringify(got)) {
          return yield* fail(subject, "re-read", `re-reading after the cursor of ${keyOf(first[k]!)} should emit ${expected.slice(0, 3).join(", ")}… but emits ${got.slice(0, 3).join(", ")}…`)
        }
      }
    }
  })

/** Checks that the failing source's error is classified and names the pipeline and the stage. */
export const checkSourceError = <AF, CF, EF extends Classified, RF>(
  failing: Source<AF, CF, EF, RF>
): Effect.Effect<void, ConformanceError, RF> =>
  Effect.gen(function*() {
    const subject = `source ${failing.name}`
    const ctx = readContext(failing.name, 10)
    const result = yield* Effect.either(Stream.runDrain(Stream.take(failing.read(Option.none(), ctx), 10)))
    if (Either.isRight(result)) return yield* fail(subject, "errors", "the failing set-up read without an error")
    const error: unknown = result.left
    if (!isClassified(error)) return yield* fail(subject, "errors", `the error is not classified: ${String(error)}`)
    const fields = error as unknown as { readonly pipeline?: unknown; readonly stage?: unknown }
    const carries = (field: unknown, value: string) => field === value || error.message.includes(value)
    if (!carries(fields.pipeline, ctx.pipeline)) {
      return yield* fail(subject, "errors", `the error does not name the pipeline "${ctx.pipeline}": ${describeError(error)}`)
    }
    if (!carries(fields.stage, ctx.stage)) {
      return yield* fail(subject, "errors", `the error does not name the stage "${ctx.stage}": ${describeError(error)}`)
    }
  })

export const source = <A, C, E extends Classified, R, AF = A, CF = C, EF extends Classified = E, RF = R>(
  spec: SourceSpec<A, C, E, R, AF, CF, EF, RF>
): void => {
  describe(spec.name ?? `source ${spec.source.name} conformance`, () => {
    const run = (check: SourceCheck) => () => Effect.provide(checkSource(spec, check), spec.layer)
    it.scopedLive("records round-trip through the record Schema", run("records round-trip"))
    it.scopedLive("keys are unique and non-empty", run("keys"))
    it.scopedLive("cursors never move backwards and survive being stored", run("cursors"))
    it.scopedLive("re-reading from a saved cursor emits nothing emitted before it", run("re-read"))
    const failing = spec.failing
    if (failing !== undefined) {
      it.scopedLive("errors are classified and carry the pipeline and stage", () =>
        Effect.provide(checkSourceError(failing.source), failing.layer))
    }
  })
}

// --- Sinks ---------------------------------------------------------------------------------------------

export interface SinkSpec<A, E extends Classified, R> {
  readonly name?: string
  readonly sink: Sink<A, E, R>
  readonly layer: Layer.Layer<R, unknown>
  readonly records: ReadonlyArray<A>
  readonly snapshot?: Effect.Effect<unknown, unknown, R>
}

type SinkCheck = "outcomes" | "idempotent" | "plan"

export const checkSink = <A, E extends Classified, R>(
  spec: SinkSpec<A, E, R>,
  only?: SinkCheck
): Effect.Effect<void, ConformanceError, R> =>
  Effect.gen(function*() {
    const { sink } = spec
    const subject = `sink ${sink.name}`
    const stageCtx: StageContext = { pipeline, runId: "conformance-run", stage: sink.name, dryRun: false }
    const snapshot = spec.snapshot === undefined
      ? Effect.succeed(Option.none<string>())
      : spec.snapshot.pipe(
        Effect.map((value) => Option.some(JSON.stringify(value))),
        Effect.mapError((error) => new ConformanceError({ subject, check: "snapshot", problem: String(error) }))
      )
    const write = Effect.gen(function*() {
      const commits = yield* Ref.make<ReadonlyArray<ReadonlyArray<SinkOutcome>>>([])
      const ctx: SinkContext = { ...stageCtx, commit: (outcomes) => Ref.update(commits, (all) => [...all, outcomes]) }
      const outcomes = yield* sink.write(spec.records, ctx).pipe(
        Effect.mapError((error) => new ConformanceError({ subject, check: "write", problem: `the write failed: ${describeError(error)}` }))
      )
      return { outcomes, commits: yield* Ref.get(commits) }
    })

    if (only === undefined || only === "outcomes") {
      const { commits, outcomes } = yield* write
      if (outcomes.length !== spec.records.length) {
        return yield* fail(subject, "outcomes", `returned ${outcomes.length} outcomes for ${spec.records.length} records`)
      }
      const rejected = outcomes.find((outcome) => outcome._tag === "Rejected")
      if (rejected !== undefined && rejected._tag === "Rejected") {
        return yield* fail(subject, "outcomes", `rejected a record of the valid sample: ${describeError(rejected.error)}`)
      }
      if (sink.transactional && (commits.length !== 1 || JSON.stringify(commits[0]) !== JSON.stringify(outcomes))) {
        return yield* fail(subject, "outcomes", `a transactional sink calls ctx.commit once with its outcomes; it called it ${commits.length} time(s)`)
      }
      if (!sink.transactional && commits.length > 0) {
        return yield* fail(subject, "outcomes", "a non-transactional sink must not call ctx.commit (the runner commits after it)")
      }
    }

    if (only === undefined || only === "idempotent") {
      yield* write
      const once = yield* snapshot
      yield* write
      const twice = yield* snapshot
      if (Option.isSome(once) && Option.isSome(twice) && once.value !== twice.value) {
        return yield* fail(subject, "idempotent", `writing the same batch twice changed what is stored:\n${once.value}\n${twice.value}`)
      }
    }

    if ((only === undefined || only === "plan") && sink.plan !== undefined) {
      const beforePlan = yield* snapshot
      const planned = yield* sink.plan(spec.records, { ...stageCtx, dryRun: true }).pipe(
        Effect.mapError((error) => new ConformanceError({ subject, check: "plan", problem: `plan failed: ${describeError(error)}` }))
      )
      if (planned.length !== spec.records.length) {
        return yield* fail(subject, "plan", `planned ${planned.length} outcomes for ${spec.records.length} records`)
      }
      const afterPlan = yield* snapshot
      if (Option.isSome(beforePlan) && Option.isSome(afterPlan) && beforePlan.value !== afterPlan.value) {
        return yield* fail(subject, "plan", "plan changed what is stored")
      }
    }
  })

export const sink = <A, E extends Classified, R>(spec: SinkSpec<A, E, R>): void => {
  describe(spec.name ?? `sink ${spec.sink.name} conformance`, () => {
    const run = (check: SinkCheck) => () => Effect.provide(checkSink(spec, check), spec.layer)
    it.scopedLive("returns one outcome per record and commits as its kind requires", run("outcomes"))
    it.scopedLive("writing the same batch twice is idempotent", run("idempotent"))
    if (spec.sink.plan !== undefined) it.scopedLive("plan writes nothing", run("plan"))
  })
}

// --- Connectors ------------------------------------------------------------------------------------------

export interface ConnectorOptions {
  readonly name?: string
  /** Configs that must not decode. */
  readonly invalid?: ReadonlyArray<unknown>
  /** Secret values present in the sample config that must never show when the config is printed. */
  readonly secrets?: ReadonlyArray<string>
}

export const checkConnector = <Config, Services, E extends Classified>(
  connector: Connector<Config, Services, E>,
  sampleConfig: unknown,
  options: ConnectorOptions = {}
): Effect.Effect<void, ConformanceError> =>
  Effect.gen(function*() {
    const subject = `connector ${connector.name}`
    if (!/^[a-z][a-z0-9-]*$/.test(connector.name)) {
      return yield* fail(subject, "name", "the name is used in config sections and commands: lower-case letters, digits and dashes")
    }
    if (connector.description.trim() === "") return yield* fail(subject, "description", "the description is empty")
    const decoded = Schema.decodeUnknownEither(connector.config)(sampleConfig)
    if (Either.isLeft(decoded)) return yield* fail(subject, "config", `the sample config does not decode: ${decoded.left.message}`)
    for (const invalid of options.invalid ?? []) {
      if (Either.isRight(Schema.decodeUnknownEither(connector.config)(invalid))) {
        return yield* fail(subject, "config", `an invalid config decodes: ${JSON.stringify(invalid)}`)
      }
    }
    for (const [variable, key] of Object.entries(connector.environment)) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(variable) || key.trim() === "") {
        return yield* fail(subject, "environment", `override ${variable} -> ${JSON.stringify(key)} must map an upper-case variable to a config key`)
      }
    }
    const names = connector.stages.map((stage) => stage.name)
    if (names.some((name) => name.trim() === "") || new Set(names).size !== names.length) {
      return yield* fail(subject, "stages", `stage names must be unique and non-empty: ${names.join(", ")}`)
    }
    const shown = [
      String(decoded.right),
      JSON.stringify(decoded.right) ?? "",
      inspect(decoded.right, { depth: 10 }),
      Inspectable.format(decoded.right)
    ].join("\n")
    for (const secret of options.secrets ?? []) {
      if (secret !== "" && shown.includes(secret)) {
        return yield* fail(subject, "secrets", "a secret of the sample config shows when the decoded config is printed (use Schema.Redacted)")
      }
    }
  })

export const connector = <Config, Services, E extends Classified>(
  value: Connector<Config, Services, E>,
  sampleConfig: unknown,
  options: ConnectorOptions = {}
): void => {
  describe(options.name ?? `connector ${value.name} conformance`, () => {
    it.effect("declares a valid name, config, environment overrides and stages, and hides its secrets", () =>
      checkConnector(value, sampleConfig, options))
  })
}

/** The layer for a source or sink that needs no services. */
export const noServices: Layer.Layer<never> = Layer.empty
