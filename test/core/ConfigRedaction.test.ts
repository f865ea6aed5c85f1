// A config value that fails to decode is shown in the error, but never a password inside a URL.
import { describe, it } from "@effect/vitest"
import { assert } from "vitest"
import { describeValue } from "../../core/Config.js"

describe("Config error values", () => {
  it("mask the password of a connection URL and keep the rest", () => {
    const shown = describeValue("mysql://edge:s3cret-Pa55@db.example:3306/edge")
    assert.notInclude(shown, "s3cret-Pa55")
    assert.include(shown, "mysql://edge:<redacted>@db.example:3306/edge")
  })
  it("leave URLs without a password as they are", () => {
    assert.strictEqual(describeValue("mysql://root@127.0.0.1/edge"), JSON.stringify("mysql://root@127.0.0.1/edge"))
    assert.strictEqual(describeValue("sqlite:./edge.db"), JSON.stringify("sqlite:./edge.db"))
  })
})
