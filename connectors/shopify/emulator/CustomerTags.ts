// Tag normalisation as Shopify applies it (FACTS §1.4, captured): each entry may hold several
// comma-separated tags, tags are trimmed, blanks dropped, de-duplicated case-insensitively (first
// spelling wins) and sorted case-insensitively.

export const maxTagLength = 255
export const maxTags = 250

export const normalize = (input: ReadonlyArray<string>): ReadonlyArray<string> => {
  const seen = new Map<string, string>()
  for (const entry of input) {
    for (const part of entry.split(",")) {
      const tag = part.trim()
      if (tag.length === 0) continue
      const key = tag.toLowerCase()
      if (!seen.has(key)) seen.set(key, tag)
    }
  }
  return [...seen.values()].sort(compare)
}

/** Case-insensitive order, as Shopify lists tags ("alpha", "spaced tag", "Zulu"). */
export const compare = (a: string, b: string): number => {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0
}
