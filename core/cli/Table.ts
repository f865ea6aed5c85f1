// Plain-text tables and timestamps for command output: aligned columns, no colours, so the output reads
// the same in a terminal, a log file and a test.

/** Aligns rows under headers; the last column is not padded. */
export const format = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd()
  return [line(headers), ...rows.map(line)].join("\n")
}

/** `2025-11-26 21:00:01Z`. */
export const timestamp = (date: Date): string => `${date.toISOString().slice(0, 19).replace("T", " ")}Z`

/** Shortens text for a table cell. */
export const clip = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, " ")
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat
}
