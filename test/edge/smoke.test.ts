import { describe, it } from "@effect/vitest"
import { Effect, Option, Stream, Chunk } from "effect"
import { assert } from "vitest"
import { customersToUpload } from "../../connectors/edge/CustomersToUpload.js"
import { seed } from "../../connectors/edge/Seed.js"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import { backends, withEdge } from "./support/EdgeBackends.js"

describe.each(backends)("smoke $name", (backend) => {
  it.scopedLive("seeds and reads", () =>
    withEdge(backend, Effect.gen(function*() {
      const summary = yield* seed({ customers: 500, sales: 500 })
      console.log(summary)
      const records = yield* Stream.runCollect(customersToUpload.read(Option.none(), { pipeline: "p", runId: "r", stage: "s", dryRun: false, limit: Option.none() }))
      console.log(Chunk.size(records), Chunk.toReadonlyArray(records).slice(0, 2))
      const lookup = yield* CustomerLookup
      const res = yield* lookup.lookup([{ email: "JAMES.SMITH1@gmail.com", phone: "(212) 555-1234" }], { defaultCountry: "US" })
      console.log(JSON.stringify(res))
      assert.isTrue(summary.customers === 500)
    })))
})
