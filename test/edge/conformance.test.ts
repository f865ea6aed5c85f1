// The shared connector conformance suite on the Edge connector, its source and its sinks, on MariaDB and
// SQLite. Each test gets a fresh database prepared with the data the stage needs.
import { Effect, Layer } from "effect"
import { empty } from "../../connectors/edge/ContactFields.js"
import { customerContacts } from "../../connectors/edge/CustomerContacts.js"
import { customerLinks } from "../../connectors/edge/CustomerLinks.js"
import { customersToUpload, type UploadCursor } from "../../connectors/edge/CustomersToUpload.js"
import { fromUrl } from "../../connectors/edge/EdgeConfig.js"
import { EdgeConnector, type EdgeServices, layer } from "../../connectors/edge/EdgeConnector.js"
import { seed } from "../../connectors/edge/Seed.js"
import { webSales } from "../../connectors/edge/WebSales.js"
import * as conformance from "../support/conformance.js"
import { backends, edgeContext } from "./support/EdgeBackends.js"
import { edgeInsertCustomer, money, nasty, query, webSale } from "./support/Fixtures.js"

const compareCursor = (a: UploadCursor, b: UploadCursor) =>
  a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.customer_id - b.customer_id

/** A fresh, migrated database prepared by `setup`, as a layer of the Edge services. */
const prepared = <A>(backend: (typeof backends)[number], setup: Effect.Effect<A, unknown, EdgeServices>): Layer.Layer<EdgeServices> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const context = yield* edgeContext(backend)
    yield* Effect.orDie(Effect.provide(setup, context))
    return Layer.succeedContext(context)
  }))

/** A database whose tables were never created: every read fails. */
const unmigrated = (backend: (typeof backends)[number]): Layer.Layer<EdgeServices> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const url = yield* backend.url
    const config = yield* Effect.orDie(fromUrl(url))
    return layer(config).pipe(Layer.orDie)
  }))

const linkedCustomers = Effect.gen(function*() {
  const ids: Array<number> = []
  for (let i = 0; i < 3; i++) ids.push(yield* edgeInsertCustomer({ first_name: `C${i}`, email: `c${i}@example.com` }))
  return ids
})

const customerSnapshot = query(
  "SELECT c.customer_id, c.first_name, c.email, c.phone_cell, c.web_upload, l.shopify_customer_id, l.link_method, l.invite_sent_at, l.linked_at, l.synced_snapshot FROM customers c LEFT JOIN customer_web_links l ON l.customer_id = c.customer_id ORDER BY c.customer_id"
)

for (const backend of backends) {
  conformance.source({
    name: `source edge.customersToUpload conformance on ${backend.name}`,
    source: customersToUpload,
    layer: prepared(backend, seed({ seed: 11, customers: 300, sales: 0, items: 0, webUploadShare: 0.2 })),
    compareCursor,
    minimum: 20,
    failing: { source: customersToUpload, layer: unmigrated(backend) }
  })

  conformance.sink({
    name: `sink edge.webSales conformance on ${backend.name}`,
    sink: webSales,
    layer: prepared(backend, seed({ customers: 0, sales: 0, items: 0 })),
    records: [
      webSale({ shopify_order_id: "gid://shopify/Order/1" }),
      webSale({ shopify_order_id: "gid://shopify/Order/2", sale_no: nasty.slice(0, 60), total: money("0.01") }),
      webSale({ shopify_order_id: "gid://shopify/Order/3", status: "refunded", lines: [], taxes: [] })
    ],
    snapshot: query(
      "SELECT s.shopify_order_id, s.status, s.total, s.sale_no, s.imported_at, COUNT(l.line_no) AS line_count FROM sales s LEFT JOIN sale_lines l ON l.sale_id = s.sale_id GROUP BY s.sale_id, s.shopify_order_id, s.status, s.total, s.sale_no, s.imported_at ORDER BY s.shopify_order_id"
    )
  })

  conformance.sink({
    name: `sink edge.customerLinks conformance on ${backend.name}`,
    sink: customerLinks,
    layer: prepared(backend, linkedCustomers),
    records: [1, 2, 3].map((id) => ({
      customer_id: id,
      shopify_customer_id: `gid://shopify/Customer/${id}`,
      link_method: "upload" as const,
      snapshot: { ...empty, first_name: `C${id - 1}`, email: `c${id - 1}@example.com` },
      invite_sent_at: id === 1 ? new Date("2026-01-01T00:00:00Z") : null,
      pushed: false,
      pulled: false
    })),
    snapshot: customerSnapshot
  })

  conformance.sink({
    name: `sink edge.customerContacts conformance on ${backend.name}`,
    sink: customerContacts,
    layer: prepared(
      backend,
      Effect.gen(function*() {
        const ids = yield* linkedCustomers
        yield* customerLinks.write(
          ids.map((id) => ({
            customer_id: id,
            shopify_customer_id: `gid://shopify/Customer/${id}`,
            link_method: "email" as const,
            snapshot: { ...empty, first_name: `C${id - 1}`, email: `c${id - 1}@example.com` },
            invite_sent_at: null,
            pushed: false,
            pulled: false
          })),
          { pipeline: "setup", runId: "setup", stage: "setup", dryRun: false, commit: () => Effect.void }
        )
      })
    ),
    records: [1, 2, 3].map((id) => ({
      customer_id: id,
      changes: [{ field: "phone_cell" as const, value: `+1 555 010 000${id}`, expected: null }],
      snapshot: { ...empty, first_name: `C${id - 1}`, email: `c${id - 1}@example.com`, phone_cell: `+1 555 010 000${id}` }
    })),
    snapshot: customerSnapshot
  })
}

conformance.connector(
  EdgeConnector,
  { database: "mysql://edge@db.example.com:3306/edge", password: "s3cret-edge-pw", poolSize: 5, tls: { ca: "/etc/ssl/edge-ca.pem" } },
  {
    invalid: [
      { database: "ftp://db.example.com/edge" },
      { database: "mysql://edge@db.example.com" },
      { poolSize: 0 },
      { database: "sqlite:./edge.db", unknown: true }
    ],
    secrets: ["s3cret-edge-pw"]
  }
)
