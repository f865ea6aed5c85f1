import { NodeContext } from "@effect/platform-node"
import { Effect } from "effect"
import * as Demo from "../../../pipelines/demo/Demo.ts"
import * as DemoReport from "../../../pipelines/demo/DemoReport.ts"

const main = Effect.scoped(Demo.run({ ...Demo.defaults, dir: "/tmp/mission/demo" })).pipe(
  Effect.map(DemoReport.format),
  Effect.tap((text) => Effect.sync(() => console.log(text))),
  Effect.provide(NodeContext.layer)
)
Effect.runPromise(main).catch((e) => { console.error("FAILED", e); process.exit(1) })
