// Help text for commands: a summary paragraph, then examples and notes as their own paragraphs, so
// `edgesync <command> --help` teaches by example.
import { HelpDoc } from "@effect/cli"

export const doc = (summary: string, ...paragraphs: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([summary, ...paragraphs].map((text) => HelpDoc.p(text)))

export const examples = (...lines: ReadonlyArray<string>): string =>
  `Example${lines.length > 1 ? "s" : ""}:\n${lines.map((line) => `  ${line}`).join("\n")}`
