// A record-level decoding problem in one line a person can act on: where in the record, and what.
import { ParseResult } from "effect"

export const describeIssue = (issue: ParseResult.ParseIssue): string => {
  const [first] = ParseResult.ArrayFormatter.formatIssueSync(issue)
  if (first === undefined) return ParseResult.TreeFormatter.formatIssueSync(issue)
  const where = first.path.length === 0 ? "" : `field ${first.path.map(String).join(".")}: `
  return `${where}${first.message}`
}
