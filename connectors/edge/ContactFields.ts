// The contact fields edgesync keeps in sync between an Edge customer and its Shopify customer, named
// after their Edge columns. The same shape is the `synced_snapshot` JSON of a link: the values both
// sides agreed on at the last sync, against which each side's changes are found.
import { Option, Schema } from "effect"
import * as StoredText from "./StoredText.js"

export const contactFieldNames = [
  "first_name",
  "last_name",
  "company",
  "email",
  "phone_cell",
  "phone_home",
  "phone_work",
  "address1",
  "address2",
  "city",
  "state",
  "postal_code",
  "country"
] as const

export const ContactFieldName = Schema.Literal(...contactFieldNames)
export type ContactFieldName = typeof ContactFieldName.Type

/** Column sizes of the reference schema (characters). */
export const columnSize: Readonly<Record<ContactFieldName, number>> = {
  first_name: 100,
  last_name: 100,
  company: 255,
  email: 255,
  phone_cell: 50,
  phone_home: 50,
  phone_work: 50,
  address1: 255,
  address2: 255,
  city: 100,
  state: 100,
  postal_code: 20,
  country: 2
}

// A missing key reads as null, so that snapshots written before a field existed still decode.
const Field = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })

export const ContactFields = Schema.Struct({
  first_name: Field,
  last_name: Field,
  company: Field,
  email: Field,
  phone_cell: Field,
  phone_home: Field,
  phone_work: Field,
  address1: Field,
  address2: Field,
  city: Field,
  state: Field,
  postal_code: Field,
  country: Field
}).annotations({ identifier: "ContactFields" })
export type ContactFields = typeof ContactFields.Type

/** A contact with every field empty. */
export const empty: ContactFields = {
  first_name: null,
  last_name: null,
  company: null,
  email: null,
  phone_cell: null,
  phone_home: null,
  phone_work: null,
  address1: null,
  address2: null,
  city: null,
  state: null,
  postal_code: null,
  country: null
}

/** The contact fields of a row that has them (and maybe more columns). */
export const pick = (row: { readonly [K in ContactFieldName]: string | null }): ContactFields => ({
  first_name: row.first_name,
  last_name: row.last_name,
  company: row.company,
  email: row.email,
  phone_cell: row.phone_cell,
  phone_home: row.phone_home,
  phone_work: row.phone_work,
  address1: row.address1,
  address2: row.address2,
  city: row.city,
  state: row.state,
  postal_code: row.postal_code,
  country: row.country
})

/**
 * Whether two stored values are the same value. NULL and '' are one value (Edge screens save an emptied
 * field either way); anything else compares verbatim, so a real edit is never hidden.
 */
export const sameValue = (a: string | null, b: string | null): boolean => (a ?? "") === (b ?? "")

/** The fields whose values differ between `current` and `base`, in field order. */
export const changedFields = (current: ContactFields, base: ContactFields): ReadonlyArray<ContactFieldName> =>
  contactFieldNames.filter((name) => !sameValue(current[name], base[name]))

/** The first field whose value cannot be stored in its column, with why. */
export const storageProblem = (fields: Partial<ContactFields>): Option.Option<{ readonly field: ContactFieldName; readonly problem: string }> => {
  for (const name of contactFieldNames) {
    const value = fields[name]
    if (value === undefined || value === null) continue
    const problem = StoredText.problem(value, columnSize[name])
    if (Option.isSome(problem)) return Option.some({ field: name, problem: problem.value })
  }
  return Option.none()
}

/** The snapshot column: JSON text of ContactFields (all keys written, nulls included). */
export const SnapshotJson = Schema.parseJson(ContactFields)
