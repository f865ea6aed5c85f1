// What text the Edge columns can hold verbatim: no NUL (SQLite and many Edge tools end strings there),
// only well-formed Unicode (utf8mb4 cannot store an unpaired surrogate; the driver would silently
// substitute it), and no more characters than the column has. A value that fails is refused, never cut.
import { Option } from "effect"

const anySurrogate = /[\uD800-\uDFFF]/
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why `value` cannot be stored in a column of `maxChars` characters, if it cannot. */
export const problem = (value: string, maxChars: number): Option.Option<string> => {
  if (value.includes("\u0000")) return Option.some("contains a NUL character")
  // The cheap test first: most text has no surrogate at all (no emoji or other astral characters).
  if (anySurrogate.test(value) && loneSurrogate.test(value)) return Option.some("contains an unpaired UTF-16 surrogate (not valid Unicode)")
  // MySQL counts VARCHAR length in characters (code points), as the string iterator does.
  if (value.length > maxChars) {
    const length = [...value].length
    if (length > maxChars) return Option.some(`is ${length} characters long; the column holds ${maxChars}`)
  }
  return Option.none()
}
