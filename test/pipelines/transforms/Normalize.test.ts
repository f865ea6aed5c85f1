import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import * as Normalize from "../../../pipelines/transforms/Normalize.js"

describe("Normalize", () => {
  it("emails: case and surrounding whitespace only", () => {
    assert.deepStrictEqual(Normalize.email("  Jane.Doe@Example.COM\t"), Option.some("jane.doe@example.com"))
    assert.deepStrictEqual(Normalize.email("   "), Option.none())
    assert.deepStrictEqual(Normalize.email(null), Option.none())
    assert.notDeepEqual(Normalize.email("jane doe@x.com"), Normalize.email("janedoe@x.com"))
  })

  it("phones: E.164 from the ways staff type them, extensions dropped", () => {
    for (const typed of ["(555) 123-4567", "555.123.4567", "+1 555 123 4567", "555-123-4567 x12", "1-555-123-4567", "+1 (555) 123-4567 ext 9"]) {
      assert.deepStrictEqual(Normalize.phone(typed, "US"), Option.some("+15551234567"), typed)
    }
    assert.deepStrictEqual(Normalize.phone("020 7946 0958", "GB"), Option.some("+442079460958"))
  })

  it("phones: not a possible number is none (never a partial match)", () => {
    for (const typed of ["123-4567", "555-123-45678", "call me", "", "   "]) {
      assert.deepStrictEqual(Normalize.phone(typed, "US"), Option.none(), typed)
    }
  })

  it("comparable forms per field kind", () => {
    assert.deepStrictEqual(Normalize.comparable("code", " on ", "US"), Option.some("ON"))
    assert.deepStrictEqual(Normalize.comparable("text", "  Mary   Ann ", "US"), Option.some("Mary Ann"))
    assert.deepStrictEqual(Normalize.comparable("phone", "123-4567", "US"), Normalize.comparable("phone", "123 4567", "US"))
    assert.deepStrictEqual(Normalize.comparable("text", "", "US"), Option.none())
  })
})
