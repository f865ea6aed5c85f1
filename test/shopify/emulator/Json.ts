// Test support: reading answers and captures without `any`. `at(value, "data.customers.nodes.0.id")`
// walks objects and arrays and returns unknown; the typed getters fail the test with the path when the
// value is not what was expected.
export const at = (value: unknown, path: string): unknown =>
  path.length === 0
    ? value
    : path.split(".").reduce<unknown>(
      (v, key) => (v === null || typeof v !== "object" ? undefined : (v as Record<string, unknown>)[key]),
      value
    )

const fail = (path: string, expected: string, value: unknown): never => {
  throw new Error(`Expected ${expected} at "${path}", got ${JSON.stringify(value)?.slice(0, 300)}`)
}

export const str = (value: unknown, path = ""): string => {
  const v = at(value, path)
  return typeof v === "string" ? v : fail(path, "a string", v)
}

export const num = (value: unknown, path = ""): number => {
  const v = at(value, path)
  return typeof v === "number" ? v : fail(path, "a number", v)
}

export const arr = (value: unknown, path = ""): ReadonlyArray<unknown> => {
  const v = at(value, path)
  return Array.isArray(v) ? v : fail(path, "an array", v)
}

export const obj = (value: unknown, path = ""): Readonly<Record<string, unknown>> => {
  const v = at(value, path)
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : fail(path, "an object", v)
}
