// The demo's summary as a store owner reads it: customers uploaded and linked, invites, web sales
// imported with their totals, tax left to Shopify, how customers were matched, conflicts, dead letters,
// and where the database is.
import type { RunSummary } from "../../core/RunSummary.js"
import type { DemoReport } from "./Demo.js"

const money = (cents: bigint): string => {
  const abs = cents < 0n ? -cents : cents
  const dollars = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  return `${cents < 0n ? "-" : ""}$${dollars}.${(abs % 100n).toString().padStart(2, "0")}`
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`

const action = (summaries: ReadonlyArray<RunSummary>, pipeline: string, name: string): number =>
  summaries.filter((s) => s.pipeline === pipeline).reduce((sum, s) => sum + (s.counts.actions[name] ?? 0), 0)

const ruleNames: Readonly<Record<string, string>> = {
  link: "already linked",
  email: "matched by email",
  "email-and-phone": "matched by email and phone",
  phone: "matched by phone",
  "no-match": "new customers created (no match)",
  "no-contact": "new customers created (no email or phone on the order)",
  "create-new": "new customers created (create-new)"
}

export const format = (r: DemoReport): string => {
  const all = r.cycles.flat()
  const lines: Array<string> = []
  const add = (text = "") => lines.push(text)
  add("edgesync demo: The Edge (SQLite) and a Shopify store (emulated in this process)")
  add()
  add(`Your Edge database: ${plural(r.edge.customers, "customer")} (${r.edge.households} in households, ${r.edge.duplicates} duplicates), ` +
    `${r.edge.stores} stores and web store ${r.edge.webStore}, ${plural(r.edge.sales, "past sale")}.`)
  add(`Your Shopify store: ${plural(r.shop.customers, "customer")}, ${plural(r.shop.orders, "order")} ` +
    `(guest checkouts, tax-included prices, refunds and cancellations among them).`)
  add(`Set up for the demo: ${r.arranged.byEmail} shoppers use the email Edge has for them, ${r.arranged.byPhone} only their phone, ` +
    `${r.arranged.households} share a household phone, ${r.arranged.guestsMatching} check out as guests, ${r.arranged.anonymous} leaves no contact; ` +
    `${r.arranged.assignedTopSpenders} top spenders assigned to web upload.`)
  add()

  const uploaded = action(all, "customers-to-shopify", "created")
  const linkedExisting = action(all, "customers-to-shopify", "linked-existing")
  add("Customers sent to Shopify (customers-to-shopify)")
  add(`  ${plural(uploaded, "customer")} created in Shopify from "Assign to Web Upload"; ${linkedExisting} already there, linked instead of duplicated.`)
  const noEmail = action(all, "customers-to-shopify", "no-email")
  add(`  ${plural(r.invites, "account invite")} sent (sendInviteOnUpload), each customer invited once` +
    `${noEmail > 0 ? `; ${noEmail} without an email could not be invited` : ""}.`)
  add(`  ${plural(action(all, "customers-to-shopify", "push:update"), "update")} sent to Shopify for customers changed in Edge: only the changed fields.`)
  add()

  const imported = r.sales.reduce((n, s) => n + s.count, 0)
  const total = r.sales.reduce((n, s) => n + s.totalCents, 0n)
  const stripped = r.sales.reduce((n, s) => n + s.stripped, 0)
  const byStatus = r.sales.map((s) => `${s.count} ${s.status.replace("_", " ")}`).join(", ")
  add("Web sales brought into Edge (web-sales-to-edge)")
  add(`  ${plural(imported, "web sale")} filed under store ${r.edge.webStore}, totalling ${money(total)} (${byStatus}).`)
  add(`  Tax: left out of ${plural(stripped, "sale")} (bringTaxes is off: Shopify collects and remits it, ${money(r.shop.taxCents)} this period).`)
  add(`  A return after import (${plural(r.arranged.refunds, "refund")}) updated ${plural(action(r.cycles[1] ?? [], "web-sales-to-edge", "updated"), "sale")} in place, not duplicated.`)
  add("  Who bought it:")
  const order = Object.keys(ruleNames)
  const decisions = [...r.decisions].sort((a, b) => (order.indexOf(a.rule) + 1 || 99) - (order.indexOf(b.rule) + 1 || 99))
  for (const d of decisions) add(`    ${String(d.count).padStart(5)}  ${ruleNames[d.rule] ?? d.rule}${d.ambiguous > 0 ? ` (${d.ambiguous} ambiguous)` : ""}`)
  if (r.ambiguous.length > 0) {
    add("  Ambiguous matches (several Edge customers fit; the best was chosen and the choice recorded):")
    for (const d of r.ambiguous.slice(0, 5)) add(`    ${d.note ?? ""}`)
  }
  add(`  Edge now has ${plural(r.edgeCustomersAfter, "customer")}; links: ${r.links.map((l) => `${l.count} by ${l.method}`).join(", ")}.`)
  add()

  add("Customers' own details from Shopify (customers-from-shopify)")
  add(`  First sync: ${plural(action(r.cycles[0] ?? [], "customers-from-shopify", "contact:updated"), "newly linked customer")} completed in Edge from their Shopify profile.`)
  const later = action(r.cycles[1] ?? [], "customers-from-shopify", "contact:updated") + action(r.cycles[1] ?? [], "customers-to-shopify", "contact:updated")
  add(`  Then ${plural(r.arranged.profileEdits, "customer")} edited their profile on the site: ${plural(later, "customer")} updated in Edge ` +
    `(by whichever pipeline met the change first), nothing Edge changed overwritten.`)
  if (r.conflicts.length === 0) add("  No conflicts.")
  for (const c of r.conflicts.slice(0, 5)) {
    add(`  Conflict on customer ${c.customerId}'s ${c.field}: Edge "${c.edge ?? ""}", Shopify "${c.shopify ?? ""}": kept "${c.chosen ?? ""}" (${c.resolution}).`)
  }
  add()

  if (r.deadLetters.length === 0) add("Nothing failed: no dead letters.")
  else {
    add(`${plural(r.deadLetters.length, "record")} could not be synced (dead letters; see \`edgesync dead-letters list\`):`)
    for (const d of r.deadLetters.slice(0, 5)) add(`  ${d.pipeline} ${d.recordKey}: ${d.message}`)
  }
  add()
  add(`Done in ${(r.elapsedMillis / 1000).toFixed(1)} s. The Edge database is ${r.databaseFile}`)
  add(`  look inside:  sqlite3 ${r.databaseFile} "SELECT sale_no, status, total FROM sales WHERE kind = 'web' LIMIT 10"`)
  add(`  decisions:    npx edgesync --config ${r.configFile} matches --ambiguous`)
  add(`  run history:  npx edgesync --config ${r.configFile} status`)
  return lines.join("\n")
}
