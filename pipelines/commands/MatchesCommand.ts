// `edgesync matches [--ambiguous] [--since WHEN] [--order GID] [--customer ID] [--limit N]`: the
// recorded customer-matching decisions (which Shopify customer or order went to which Edge customer, by
// what rule, among which candidates), newest first, so a person can audit them and correct a link with
// `edgesync customers link|unlink`.
import { Command, Options } from "@effect/cli"
import { Clock, Console, Duration, Effect, Option } from "effect"
import { MatchDecisions, type RecordedMatchDecision } from "../../connectors/edge/MatchDecisions.js"
import * as Help from "../../core/cli/Help.js"
import * as Table from "../../core/cli/Table.js"
import { UsageError } from "../../core/cli/UsageError.js"
import { withEdge } from "./MissionServices.js"

/** `--since`: a date or time (`2026-05-01`, `2026-05-01T12:00:00Z`) or an age (`7d`, `24h`, `30m`). */
export const parseSince = (text: string, now: Date): Option.Option<Date> => {
  const age = /^(\d+)\s*(d|h|m)$/i.exec(text.trim())
  if (age !== null) {
    const amount = Number(age[1])
    const unit = age[2]!.toLowerCase()
    const millis = Duration.toMillis(unit === "d" ? Duration.days(amount) : unit === "h" ? Duration.hours(amount) : Duration.minutes(amount))
    return Option.some(new Date(now.getTime() - millis))
  }
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text.trim())
  return Number.isNaN(date.getTime()) ? Option.none() : Option.some(date)
}

const options = {
  ambiguous: Options.boolean("ambiguous").pipe(Options.withDescription("only decisions where several Edge customers matched")),
  since: Options.text("since").pipe(
    Options.optional,
    Options.withDescription("only decisions made since a date (2026-05-01) or an age (7d, 24h, 30m)")
  ),
  order: Options.text("order").pipe(Options.optional, Options.withDescription("only the decision for this Shopify order GID")),
  customer: Options.integer("customer").pipe(Options.optional, Options.withDescription("only decisions that chose this Edge customer")),
  limit: Options.integer("limit").pipe(Options.withDefault(50), Options.withDescription("at most this many, newest first"))
}

const row = (d: RecordedMatchDecision): ReadonlyArray<string> => [
  Table.timestamp(d.decidedAt),
  d.shopifyOrderId ?? d.shopifyCustomerId ?? "",
  d.edgeCustomerId === null ? "(none)" : String(d.edgeCustomerId),
  d.rule,
  d.ambiguous ? `yes: ${d.candidates.join(", ")}` : d.candidates.join(", "),
  Table.clip(d.note ?? "", 100)
]

export const command = Command.make("matches", options, (args) =>
  Effect.gen(function*() {
    const now = new Date(yield* Clock.currentTimeMillis)
    const since = yield* Option.match(args.since, {
      onNone: () => Effect.succeed(Option.none<Date>()),
      onSome: (text) =>
        Option.match(parseSince(text, now), {
          onNone: () => Effect.fail(new UsageError({ reason: "BadOption", detail: `--since "${text}" is neither a date (2026-05-01) nor an age (7d, 24h)` })),
          onSome: (date) => Effect.succeed(Option.some(date))
        })
    })
    const decisions = yield* withEdge(Effect.flatMap(MatchDecisions, (m) =>
      m.list({
        ambiguousOnly: args.ambiguous,
        since: Option.getOrUndefined(since),
        shopifyOrderId: Option.getOrUndefined(args.order),
        edgeCustomerId: Option.getOrUndefined(args.customer),
        limit: args.limit
      })))
    if (decisions.length === 0) {
      yield* Console.log(args.ambiguous ? "No ambiguous matching decisions recorded." : "No matching decisions recorded.")
      return
    }
    yield* Console.log(Table.format(["decided", "Shopify order / customer", "Edge customer", "rule", "ambiguous / candidates", "why"], decisions.map(row)))
    yield* Console.log(
      `\n${decisions.length} decision${decisions.length === 1 ? "" : "s"}. Correct a link with ` +
        "`edgesync customers link EDGE_ID SHOPIFY_CUSTOMER_GID` or `edgesync customers unlink EDGE_ID`."
    )
  })).pipe(Command.withDescription(Help.doc(
    "Lists the recorded customer-matching decisions, newest first: which Shopify order or customer went to which Edge customer, by what rule.",
    "Rules: link (already linked), email, phone, email-and-phone, create-new, no-match (a customer was created), no-contact (the order had neither email nor phone), upload (an uploaded customer already existed in Shopify), manual (linked by hand with `edgesync customers link`), unlinked (unlinked by hand).",
    Help.examples("edgesync matches --ambiguous", "edgesync matches --since 7d", "edgesync matches --order gid://shopify/Order/1001")
  )))
