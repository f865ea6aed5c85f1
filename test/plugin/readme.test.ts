// README.md's "Writing a connector" shows test/plugin/greeter.ts verbatim; this keeps the two identical,
// so the example people copy is the one the other tests compile, load and run.
import { describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { assert } from "vitest"
import * as conformance from "../support/conformance.js"
import plugin, { greetPeople, GreeterConnector } from "./greeter.js"

const root = path.resolve(import.meta.dirname, "../..")

describe("the README's plugin example", () => {
  it("is test/plugin/greeter.ts, character for character", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const section = readme.slice(readme.indexOf("## Writing a connector"))
    const match = /```ts\n([\s\S]*?)```/.exec(section)
    assert.isNotNull(match, "README.md has no ```ts block under \"## Writing a connector\"")
    assert.strictEqual(match![1], fs.readFileSync(path.join(root, "test/plugin/greeter.ts"), "utf8"))
  })

  it("default-exports the plugin with its connector and pipeline", () => {
    assert.deepStrictEqual(plugin.connectors?.map((c) => c.name), [GreeterConnector.name])
    assert.deepStrictEqual(plugin.pipelines?.map((p) => p.name), [greetPeople.name])
    assert.deepStrictEqual(greetPeople.connectors, ["file", "greeter"])
  })
})

conformance.connector(GreeterConnector, { output: "greetings.txt", refuse: ["Carol"] }, {
  invalid: [{}, { output: 42 }, { output: "x", refuse: "Carol" }]
})
