// `customers-to-shopify`: Edge customers assigned to web upload, and linked customers whose contacts
// changed in Edge, go to Shopify (created, or updated with only what changed in Edge); an upload that
// meets an existing Shopify customer is linked to it, not duplicated; customers created from an upload
// get Shopify's invite once (sendInviteOnUpload); links, and what Edge takes back, are written back.
import * as CustomersToUpload from "../connectors/edge/CustomersToUpload.js"
import * as SendInvite from "../connectors/shopify/SendInvite.js"
import * as UpsertCustomer from "../connectors/shopify/UpsertCustomer.js"
import * as Pipeline from "../core/Pipeline.js"
import * as Carry from "./Carry.js"
import * as CustomerWrites from "./CustomerWrites.js"
import { SyncOptions } from "./SyncOptions.js"
import * as PlanPush from "./transforms/PlanPush.js"

export const customersToShopify = Pipeline.make({
  name: "customers-to-shopify",
  description: "Edge customers assigned to web upload, and linked customers changed in Edge, go to Shopify (only the fields " +
    "changed in Edge); existing Shopify customers are linked, not duplicated; invites once (sendInviteOnUpload); links written back",
  options: SyncOptions,
  optionsSection: "sync",
  connectors: ["edge", "shopify"],
  build: (options) =>
    Pipeline.from(CustomersToUpload.customersToUpload).pipe(
      Pipeline.via(PlanPush.plan(options)),
      Pipeline.via(Carry.through(UpsertCustomer.upsertCustomerStage, {
        select: (plan: PlanPush.PushPlan) => plan.upsert,
        combine: (plan, result): PlanPush.Pushed => ({ ...plan, result })
      })),
      Pipeline.via(PlanPush.settle(options)),
      Pipeline.via(Carry.through(UpsertCustomer.upsertCustomerStage, {
        select: (settled: PlanPush.Settled) => settled.followUp,
        combine: (settled, followUpResult): PlanPush.Settled => ({ ...settled, followUpResult })
      })),
      Pipeline.via(Carry.through(SendInvite.sendInviteStage, {
        select: PlanPush.inviteFor(options),
        combine: (settled, invite): PlanPush.Invited => ({ ...settled, invite })
      })),
      Pipeline.via(PlanPush.linkBack(options)),
      Pipeline.to(CustomerWrites.sink)
    )
})

