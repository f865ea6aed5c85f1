// `edgesync customers assign-web-upload | link | unlink`: The Edge's "Customer › Find, check,
// Supervisor › Assign to Web Upload" from the command line (by ids, or the top N customers by lifetime
// spend, shown with a count and confirmed before anything changes), and correcting a link by hand.
import { Args, Command, Options, Prompt } from "@effect/cli"
import { BigDecimal, Console, Effect, Option } from "effect"
import { EdgeCustomers, type WebUploadCandidate, type WebUploadSelection } from "../../connectors/edge/EdgeCustomers.js"
import * as Help from "../../core/cli/Help.js"
import * as Table from "../../core/cli/Table.js"
import { UsageError } from "../../core/cli/UsageError.js"
import { Workspace } from "../../core/cli/Workspace.js"
import * as ManualLink from "../ManualLink.js"
import { syncOptions, withEdge, withEdgeAndShopify } from "./MissionServices.js"

/** `--ids 12,15 40`: customer ids separated by commas or spaces. */
export const parseIds = (text: string): Option.Option<ReadonlyArray<number>> => {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "")
  const ids = parts.map(Number)
  return parts.length > 0 && ids.every((n) => Number.isSafeInteger(n) && n > 0) ? Option.some(ids) : Option.none()
}

const selection = (ids: Option.Option<string>, top: Option.Option<number>): Effect.Effect<WebUploadSelection, UsageError> => {
  if (Option.isSome(ids) && Option.isSome(top)) {
    return Effect.fail(new UsageError({ reason: "Conflict", detail: "give either --ids or --top, not both" }))
  }
  if (Option.isSome(top)) {
    return top.value > 0
      ? Effect.succeed({ _tag: "TopSpenders", count: top.value })
      : Effect.fail(new UsageError({ reason: "BadOption", detail: `--top must be a positive number (got ${top.value})` }))
  }
  if (Option.isSome(ids)) {
    return Option.match(parseIds(ids.value), {
      onNone: () => Effect.fail(new UsageError({ reason: "BadOption", detail: `--ids "${ids.value}" is not a list of customer ids (12,15,40)` })),
      onSome: (list) => Effect.succeed({ _tag: "Ids", ids: list })
    })
  }
  return Effect.fail(new UsageError({ reason: "MissingTarget", detail: "say whom to assign: --ids 12,15,40 or --top 100 (by lifetime spend)" }))
}

const status = (c: WebUploadCandidate): string =>
  c.linked ? "already linked (skipped)" : c.alreadyFlagged ? "already assigned" : "will be assigned"

const assignWebUpload = Command.make("assign-web-upload", {
  ids: Options.text("ids").pipe(Options.optional, Options.withDescription("customer ids, comma separated (12,15,40)")),
  top: Options.integer("top").pipe(
    Options.optional,
    Options.withDescription("the N unlinked customers with the highest lifetime spend (what The Edge's help suggests targeting)")
  ),
  yes: Options.boolean("yes").pipe(Options.withAlias("y"), Options.withDescription("do not ask for confirmation (for scripts)"))
}, (args) =>
  Effect.gen(function*() {
    const chosen = yield* selection(args.ids, args.top)
    const { terminal } = yield* Workspace
    yield* withEdge(Effect.gen(function*() {
      const customers = yield* EdgeCustomers
      const preview = yield* customers.previewWebUpload(chosen)
      if (preview.missingIds.length > 0) yield* Console.log(`No Edge customer with id ${preview.missingIds.join(", ")}.`)
      const toFlag = preview.candidates.filter((c) => !c.linked && !c.alreadyFlagged)
      if (preview.candidates.length > 0) {
        yield* Console.log(Table.format(
          ["customer", "name", "email", "lifetime spend", ""],
          preview.candidates.map((c) => [String(c.customerId), c.name, c.email ?? "", BigDecimal.format(c.lifetimeSpend), status(c)])
        ))
      }
      if (toFlag.length === 0) {
        yield* Console.log("Nothing to assign: every chosen customer is already assigned or linked.")
        return
      }
      yield* Console.log(`\n${toFlag.length} customer${toFlag.length === 1 ? "" : "s"} will be assigned to web upload.`)
      if (!args.yes) {
        if (!terminal.interactive) {
          return yield* new UsageError({ reason: "BadOption", detail: "not a terminal: pass --yes to confirm" })
        }
        const go = yield* Prompt.run(Prompt.confirm({ message: `Assign ${toFlag.length} to web upload?`, initial: false }))
        if (!go) {
          yield* Console.log("Nothing changed.")
          return
        }
      }
      const result = yield* customers.assignWebUpload(chosen)
      yield* Console.log(
        `Assigned ${result.flagged} customer${result.flagged === 1 ? "" : "s"} to web upload. ` +
          "The next `edgesync run customers-to-shopify` (or `run all`) uploads them."
      )
    }))
  })).pipe(Command.withDescription(Help.doc(
    "Assigns Edge customers to web upload (The Edge's Assign to Web Upload): by ids, or the top N by lifetime spend. Shows who and how many, and asks before changing anything.",
    "Linked customers are left alone (they are already in Shopify). customers-to-shopify then creates them in Shopify, or links them to an existing Shopify customer with the same email or phone.",
    Help.examples("edgesync customers assign-web-upload --top 100", "edgesync customers assign-web-upload --ids 12,15,40 --yes")
  )))

const link = Command.make("link", {
  customer: Args.integer({ name: "edge-customer-id" }).pipe(Args.withDescription("the Edge customer id")),
  shopify: Args.text({ name: "shopify-customer-gid" }).pipe(Args.withDescription("gid://shopify/Customer/…"))
}, (args) =>
  Effect.gen(function*() {
    if (!args.shopify.startsWith("gid://shopify/Customer/")) {
      return yield* new UsageError({ reason: "BadOption", detail: `"${args.shopify}" is not a Shopify customer GID (gid://shopify/Customer/123)` })
    }
    const options = yield* syncOptions
    const result = yield* withEdgeAndShopify(ManualLink.link(args.customer, args.shopify, options))
    const o = result.outcome
    if (o._tag === "Rejected") {
      yield* Console.log(`Not linked: ${o.error.message}`)
      return
    }
    yield* Console.log(`Edge customer ${args.customer} ${o._tag === "Written" ? o.action : "kept"}: ${args.shopify}.`)
    if (result.sentToShopify.length > 0) yield* Console.log(`  Shopify took: ${result.sentToShopify.join(", ")}`)
    if (result.takenByEdge.length > 0) yield* Console.log(`  Edge took: ${result.takenByEdge.join(", ")}`)
    if (result.conflicts.length > 0) yield* Console.log(`  conflicts (${options.conflicts}): ${result.conflicts.join(", ")}`)
  })).pipe(Command.withDescription(Help.doc(
    "Links an Edge customer to a Shopify customer by hand, and syncs the pair once (blanks filled from the other side, differences by the conflicts option). The link's method is manual, and the decision is recorded (edgesync matches shows it, rule manual).",
    Help.examples("edgesync customers link 1042 gid://shopify/Customer/7001")
  )))

const unlink = Command.make("unlink", {
  customers: Args.integer({ name: "edge-customer-id" }).pipe(Args.repeated, Args.withDescription("Edge customer ids"))
}, (args) =>
  withEdge(Effect.gen(function*() {
    if (args.customers.length === 0) {
      return yield* new UsageError({ reason: "MissingTarget", detail: "name the Edge customers to unlink" })
    }
    const removed = yield* ManualLink.unlink(args.customers)
    yield* Console.log(
      removed === 0
        ? "None of them was linked."
        : `Unlinked ${removed} customer${removed === 1 ? "" : "s"} (they stay in Edge and in Shopify; the next web sale matches again).`
    )
  }))).pipe(Command.withDescription(Help.doc(
    "Removes the link between Edge customers and their Shopify customers; nothing else changes. The decision is recorded.",
    Help.examples("edgesync customers unlink 1042")
  )))

export const command = Command.make("customers").pipe(
  Command.withDescription("Edge customers and Shopify: assign to web upload, link or unlink by hand"),
  Command.withSubcommands([assignWebUpload, link, unlink])
)
