// CSV records as RFC 4180 writes them: comma-separated fields, double quotes around fields that hold
// a comma, a quote or a line break, a quote inside a quoted field doubled.
import { Either } from "effect"

/** Splits one record's text (its terminator removed) into fields, or says why it is not valid CSV. */
export const parseRecord = (text: string): Either.Either<ReadonlyArray<string>, string> => {
  const fields: Array<string> = []
  let i = 0
  const n = text.length
  while (true) {
    if (text[i] === "\"") {
      let value = ""
      i++
      while (true) {
        const close = text.indexOf("\"", i)
        if (close === -1) return Either.left(`field ${fields.length + 1} opens a quote that is never closed`)
        value += text.slice(i, close)
        if (text[close + 1] === "\"") {
          value += "\""
          i = close + 2
          continue
        }
        i = close + 1
        break
      }
      fields.push(value)
      if (i === n) return Either.right(fields)
      if (text[i] !== ",") {
        return Either.left(`field ${fields.length} has text after its closing quote (a quote inside a field must be doubled)`)
      }
      i++
    } else {
      const comma = text.indexOf(",", i)
      const value = comma === -1 ? text.slice(i) : text.slice(i, comma)
      if (value.includes("\"")) {
        return Either.left(`field ${fields.length + 1} has a quote but is not quoted (quote the whole field and double the quote)`)
      }
      fields.push(value)
      if (comma === -1) return Either.right(fields)
      i = comma + 1
    }
  }
}

const needsQuotes = /[",\r\n]|^\s|\s$/

/** Formats one field, quoting it only when it must be. */
export const formatField = (value: string): string =>
  needsQuotes.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

/** Formats one record with the RFC 4180 terminator (CRLF). */
export const formatRecord = (fields: ReadonlyArray<string>): string => `${fields.map(formatField).join(",")}\r\n`
