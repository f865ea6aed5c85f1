// RFC 4180 fields: parsing and formatting agree, and malformed records say what is wrong.
import { describe, it } from "@effect/vitest"
import { Either } from "effect"
import { assert } from "vitest"
import * as Csv from "../../connectors/file/Csv.js"

const parse = (text: string) => Either.getOrThrow(Csv.parseRecord(text))
const problem = (text: string) => Either.match(Csv.parseRecord(text), { onLeft: (p) => p, onRight: () => "parsed" })

describe("Csv", () => {
  it("splits plain and quoted fields, with doubled quotes, commas and line breaks inside quotes", () => {
    assert.deepStrictEqual(parse("a,b,c"), ["a", "b", "c"])
    assert.deepStrictEqual(parse("\"a,1\",\"say \"\"hi\"\"\",\"two\nlines\""), ["a,1", "say \"hi\"", "two\nlines"])
    assert.deepStrictEqual(parse(",,"), ["", "", ""])
    assert.deepStrictEqual(parse("\"\""), [""])
    assert.deepStrictEqual(parse("Zoë,東京,😀"), ["Zoë", "東京", "😀"])
  })

  it("formats fields so that parsing gives them back", () => {
    const fields = ["plain", "with,comma", "with \"quote\"", "line\r\nbreak", " padded ", "", "Zoë 😀"]
    const line = Csv.formatRecord(fields)
    assert.isTrue(line.endsWith("\r\n"))
    assert.deepStrictEqual(parse(line.slice(0, -2)), fields)
    assert.strictEqual(Csv.formatField("plain"), "plain")
    assert.strictEqual(Csv.formatField("a\"b"), "\"a\"\"b\"")
  })

  it("names what is malformed", () => {
    assert.include(problem("a,\"open"), "never closed")
    assert.include(problem("\"a\"b,c"), "after its closing quote")
    assert.include(problem("a,b\"c"), "not quoted")
  })
})
