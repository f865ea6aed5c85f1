// Proves the emulator's schema is a strict subset of the real Shopify Admin 2026-07 schema: every type,
// field, argument (with its type and default) and enum value the emulator declares exists on Shopify
// with the same type. Fails with a clear message when ../shared/shopify is missing.
import { assert, describe, it } from "@effect/vitest"
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType
} from "graphql"
import { emulatorSchema } from "../../../connectors/shopify/emulator/EmulatorSchema.js"
import { realSchema, validateAgainstRealSchema } from "./RealSchema.js"

const kindOf = (t: GraphQLNamedType): string =>
  isObjectType(t) ? "object" : isInterfaceType(t) ? "interface" : isInputObjectType(t) ? "input" :
  isEnumType(t) ? "enum" : isUnionType(t) ? "union" : isScalarType(t) ? "scalar" : "unknown"

const sameDefault = (a: GraphQLArgument | GraphQLInputField, b: GraphQLArgument | GraphQLInputField): boolean =>
  JSON.stringify(a.defaultValue ?? null) === JSON.stringify(b.defaultValue ?? null)

const compareSchemas = (): ReadonlyArray<string> => {
  const mine = emulatorSchema
  const real = realSchema()
  const problems: Array<string> = []
  if (mine.getQueryType()?.name !== real.getQueryType()?.name) problems.push("query root name differs")
  if (mine.getMutationType()?.name !== real.getMutationType()?.name) problems.push("mutation root name differs")
  for (const type of Object.values(mine.getTypeMap())) {
    if (type.name.startsWith("__")) continue
    const other = real.getType(type.name)
    if (other === undefined || other === null) {
      problems.push(`type ${type.name} does not exist in the real schema`)
      continue
    }
    if (kindOf(type) !== kindOf(other)) {
      problems.push(`type ${type.name} is a ${kindOf(type)} here but a ${kindOf(other)} on Shopify`)
      continue
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
      const realInterfaces = new Set(other.getInterfaces().map((i) => i.name))
      for (const i of type.getInterfaces()) {
        if (!realInterfaces.has(i.name)) problems.push(`${type.name} implements ${i.name}, which it does not on Shopify`)
      }
      const realFields = other.getFields()
      for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
        const rf = realFields[field.name]
        if (rf === undefined) {
          problems.push(`field ${type.name}.${field.name} does not exist on Shopify`)
          continue
        }
        if (String(field.type) !== String(rf.type)) {
          problems.push(`field ${type.name}.${field.name} is ${String(field.type)} here but ${String(rf.type)} on Shopify`)
        }
        for (const arg of field.args) {
          const ra = rf.args.find((a) => a.name === arg.name)
          if (ra === undefined) problems.push(`argument ${type.name}.${field.name}(${arg.name}) does not exist on Shopify`)
          else {
            if (String(arg.type) !== String(ra.type)) {
              problems.push(`argument ${type.name}.${field.name}(${arg.name}) is ${String(arg.type)} here but ${String(ra.type)} on Shopify`)
            }
            if (!sameDefault(arg, ra)) problems.push(`argument ${type.name}.${field.name}(${arg.name}) has a different default`)
          }
        }
      }
    }
    if (isInputObjectType(type) && isInputObjectType(other)) {
      const realFields = other.getFields()
      for (const field of Object.values(type.getFields())) {
        const rf = realFields[field.name]
        if (rf === undefined) problems.push(`input field ${type.name}.${field.name} does not exist on Shopify`)
        else {
          if (String(field.type) !== String(rf.type)) {
            problems.push(`input field ${type.name}.${field.name} is ${String(field.type)} here but ${String(rf.type)} on Shopify`)
          }
          if (!sameDefault(field, rf)) problems.push(`input field ${type.name}.${field.name} has a different default`)
        }
      }
    }
    if (isEnumType(type) && isEnumType(other)) {
      const realValues = new Set(other.getValues().map((v) => v.name))
      for (const v of type.getValues()) {
        if (!realValues.has(v.name)) problems.push(`enum value ${type.name}.${v.name} does not exist on Shopify`)
      }
    }
    if (isUnionType(type) && isUnionType(other)) {
      const realMembers = new Set(other.getTypes().map((t) => t.name))
      for (const m of type.getTypes()) if (!realMembers.has(m.name)) problems.push(`union ${type.name} member ${m.name} is not on Shopify`)
    }
  }
  return problems
}

describe("emulator schema", () => {
  it("is a subset of the real Shopify Admin 2026-07 schema (types, fields, arguments, enum values)", () => {
    const problems = compareSchemas()
    assert.deepStrictEqual(problems, [], problems.join("\n"))
  })

  it("declares the roots and types the sync relies on", () => {
    const query = emulatorSchema.getQueryType()!.getFields()
    for (const name of ["customer", "customers", "customerByIdentifier", "order", "orders", "bulkOperation", "currentBulkOperation", "shop"]) {
      assert.isDefined(query[name], `QueryRoot.${name}`)
    }
    const mutation = emulatorSchema.getMutationType()!.getFields()
    for (const name of ["customerCreate", "customerUpdate", "customerSet", "customerDelete", "customerSendAccountInviteEmail", "orderCreate", "orderCancel", "refundCreate", "bulkOperationRunQuery"]) {
      assert.isDefined(mutation[name], `Mutation.${name}`)
    }
  })

  it("validateAgainstRealSchema accepts FACTS §2.1's orders query and rejects an unknown field", () => {
    const ok = validateAgainstRealSchema(`query { orders(first: 1, sortKey: UPDATED_AT) { nodes { id updatedAt totalPriceSet { shopMoney { amount currencyCode } } } } }`)
    assert.deepStrictEqual(ok, [])
    const bad = validateAgainstRealSchema(`query { orders(first: 1) { nodes { id definitelyNotAnOrderField } } }`)
    assert.strictEqual(bad.length, 1)
    assert.match(bad[0]!, /definitelyNotAnOrderField/)
  })
})
