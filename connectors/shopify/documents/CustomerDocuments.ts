// The GraphQL documents for customers: the incremental read, lookups, and the mutations the stages use
// (FACTS §1.5, §1.6). Every one is validated against the real 2026-07 schema by the tests.
import { Schema } from "effect"
import * as Operation from "../Operation.js"
import { CustomerNode, customerSelection, PageInfo, UserErrorWire } from "../wire/CustomerWire.js"

export interface CustomersPageVariables {
  readonly first: number
  readonly after?: string | null
  readonly query?: string | null
}

export const CustomersUpdatedSince = Operation.query<CustomersPageVariables>()(
  "CustomersUpdatedSince",
  `query CustomersUpdatedSince($first: Int!, $after: String, $query: String) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes ${customerSelection}
    pageInfo { hasNextPage endCursor }
  }
}`,
  Schema.Struct({ customers: Schema.Struct({ nodes: Schema.Array(CustomerNode), pageInfo: PageInfo }) })
)

export const CustomerById = Operation.query<{ readonly id: string }>()(
  "CustomerById",
  `query CustomerById($id: ID!) {
  customer(id: $id) ${customerSelection}
}`,
  Schema.Struct({ customer: Schema.NullOr(CustomerNode) })
)

export interface CustomerIdentifierVariables {
  readonly identifier: { readonly emailAddress: string } | { readonly phoneNumber: string } | { readonly id: string }
}

// A miss is `null` without an error; the lookup is immediate, unlike search (FACTS §1.5).
export const CustomerByIdentifier = Operation.query<CustomerIdentifierVariables>()(
  "CustomerByIdentifier",
  `query CustomerByIdentifier($identifier: CustomerIdentifierInput!) {
  customerByIdentifier(identifier: $identifier) ${customerSelection}
}`,
  Schema.Struct({ customerByIdentifier: Schema.NullOr(CustomerNode) })
)

/** The part of `CustomerInput` the connector sends (FACTS §1.6). Absent keys are left unchanged. */
export interface CustomerInput {
  readonly id?: string
  readonly firstName?: string | null
  readonly lastName?: string | null
  readonly email?: string | null
  readonly phone?: string | null
  readonly note?: string | null
  readonly tags?: ReadonlyArray<string>
  readonly addresses?: ReadonlyArray<MailingAddressInput>
}

export interface MailingAddressInput {
  readonly firstName?: string | null
  readonly lastName?: string | null
  readonly company?: string | null
  readonly address1?: string | null
  readonly address2?: string | null
  readonly city?: string | null
  readonly provinceCode?: string | null
  readonly countryCode?: string | null
  readonly zip?: string | null
  readonly phone?: string | null
}

const CustomerPayload = Schema.Struct({
  customer: Schema.NullOr(CustomerNode),
  userErrors: Schema.Array(UserErrorWire)
})
export type CustomerPayload = typeof CustomerPayload.Type

// `UserError` has no `code` on these payloads: selecting it is a validation error (FACTS §1.6, §3).
export const CustomerCreate = Operation.mutation<{ readonly input: CustomerInput }>()(
  "CustomerCreate",
  `mutation CustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) {
    customer ${customerSelection}
    userErrors { field message }
  }
}`,
  Schema.Struct({ customerCreate: CustomerPayload })
)

export const CustomerUpdate = Operation.mutation<{ readonly input: CustomerInput }>()(
  "CustomerUpdate",
  `mutation CustomerUpdate($input: CustomerInput!) {
  customerUpdate(input: $input) {
    customer ${customerSelection}
    userErrors { field message }
  }
}`,
  Schema.Struct({ customerUpdate: CustomerPayload })
)

export const CustomerSendInvite = Operation.mutation<{ readonly customerId: string }>()(
  "CustomerSendInvite",
  `mutation CustomerSendInvite($customerId: ID!) {
  customerSendAccountInviteEmail(customerId: $customerId) {
    customer { id state }
    userErrors { field message code }
  }
}`,
  Schema.Struct({
    customerSendAccountInviteEmail: Schema.Struct({
      customer: Schema.NullOr(Schema.Struct({ id: Schema.String, state: Schema.String })),
      userErrors: Schema.Array(Schema.Struct({
        field: Schema.NullOr(Schema.Array(Schema.String)),
        message: Schema.String,
        code: Schema.NullOr(Schema.String)
      }))
    })
  })
)
