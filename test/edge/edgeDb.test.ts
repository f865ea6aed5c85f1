// The Edge database itself on MariaDB and SQLite: idempotent migrations with the contract's tables and
// columns, `updated_at` with sub-second precision that moves only on a real change, owner-only SQLite
// files, the `edge` config section with its environment overrides and a password that is never shown,
// and connection failures that say which server and what went wrong.
import { describe, it } from "@effect/vitest"
import { Context, Effect, Either, Layer, Option, Redacted } from "effect"
import { existsSync, statSync } from "node:fs"
import { join } from "node:path"
import { assert } from "vitest"
import * as Config from "../../core/Config.js"
import { describe as describeTarget } from "../../connectors/edge/DatabaseUrl.js"
import { EdgeConfig, fromUrl } from "../../connectors/edge/EdgeConfig.js"
import { EdgeConnector, layer } from "../../connectors/edge/EdgeConnector.js"
import { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import { migrate } from "../../connectors/edge/EdgeMigrate.js"
import { CustomerLookup } from "../../connectors/edge/CustomerLookup.js"
import * as Migrations from "../../connectors/edge/sql/Migrations.js"
import { serverUrl } from "../support/MariaDb.js"
import { backends, mariadb, tempDir, withEdge } from "./support/EdgeBackends.js"
import { edgeInsertCustomer, edgeUpdateCustomer, pause } from "./support/Fixtures.js"

const contract: Readonly<Record<string, ReadonlyArray<string>>> = {
  stores: ["store_no", "name", "kind", "licensed"],
  customers: [
    "customer_id", "first_name", "last_name", "company", "email", "phone_cell", "phone_home", "phone_work", "address1",
    "address2", "city", "state", "postal_code", "country", "notes", "web_upload", "created_at", "updated_at"
  ],
  customer_web_links: [
    "customer_id", "shopify_customer_id", "link_method", "linked_at", "invite_sent_at", "synced_snapshot", "last_pushed_at",
    "last_pulled_at"
  ],
  items: ["sku", "description", "price"],
  sales: [
    "sale_id", "store_no", "sale_no", "customer_id", "sale_date", "kind", "status", "currency", "subtotal", "discount",
    "shipping", "tax", "total", "tax_stripped", "shopify_order_id", "shopify_updated_at", "imported_at"
  ],
  sale_lines: ["sale_id", "line_no", "sku", "description", "quantity", "unit_price", "discount", "tax", "extended"],
  sale_tenders: ["sale_id", "seq", "tender", "amount"],
  sale_taxes: ["sale_id", "seq", "title", "rate", "amount"]
}

const updatedAt = (id: number) =>
  Effect.flatMap(EdgeDb, (db) =>
    db.sql.unsafe<{ u: string }>(`SELECT ${db.dialect.timestampText("updated_at")} AS u FROM customers WHERE customer_id = ?`, [id])
  ).pipe(Effect.orDie, Effect.map((rows) => rows[0]?.u ?? ""))

for (const backend of backends) {
  describe(`the Edge database on ${backend.name}`, () => {
    it.scopedLive("migrations create the contract's tables and columns and are idempotent (with the state store's)", () =>
      withEdge(backend, Effect.gen(function*() {
        const db = yield* EdgeDb
        for (const [table, columns] of Object.entries(contract)) {
          yield* db.sql.unsafe(`SELECT ${columns.join(", ")} FROM ${table} WHERE 1 = 0`).pipe(Effect.orDie)
        }
        yield* db.sql`SELECT COUNT(*) AS n FROM edgesync_checkpoints`.pipe(Effect.orDie)
        const again = yield* migrate
        assert.deepStrictEqual(again.applied, [], "nothing left to apply")
        const thrice = yield* migrate
        assert.deepStrictEqual(thrice.applied, [])
        assert.notInclude(again.target, "password")
      })))

    it.scopedLive("updated_at has sub-second precision and moves only when a column really changes", () =>
      withEdge(backend, Effect.gen(function*() {
        const id = yield* edgeInsertCustomer({ first_name: "Tess", email: "tess@example.com" })
        const created = yield* updatedAt(id)
        assert.match(created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3,6}$/)
        yield* pause(5)
        yield* edgeUpdateCustomer(id, { first_name: "Tess" })
        assert.strictEqual(yield* updatedAt(id), created, "an UPDATE that changes nothing leaves it")
        yield* edgeUpdateCustomer(id, { notes: "VIP" })
        const touched = yield* updatedAt(id)
        assert.isTrue(touched > created)
        yield* pause(5)
        yield* edgeUpdateCustomer(id, { first_name: "Tessa" })
        assert.isTrue((yield* updatedAt(id)) > touched)
      })))

    it.scopedLive("a statement on tables never migrated fails fatally and says to migrate", () =>
      Effect.gen(function*() {
        const url = yield* backend.url
        const config = yield* fromUrl(url)
        const error = yield* Effect.flip(
          Effect.scoped(Effect.gen(function*() {
            const context = yield* Layer.build(layer(config))
            const lookup = yield* Effect.provide(CustomerLookup, context)
            return yield* lookup.lookup([{ email: "a@example.com" }], { defaultCountry: "US" })
          }))
        )
        assert.strictEqual(error._tag, "EdgeDbError")
        assert.strictEqual(error.reason, "NotMigrated")
        assert.strictEqual(error.classification, "fatal")
        assert.match(error.message, /edgesync edge migrate/)
      }).pipe(Effect.orDie))

    it.scopedLive("migration 3 upgrades a database with links: they stay, and `manual` links are accepted", () =>
      Effect.gen(function*() {
        const config = yield* fromUrl(yield* backend.url, { changeSettleMillis: 0 })
        const context = yield* Layer.build(layer(config))
        const db = Context.get(context, EdgeDb)
        // The schema as it was before the `manual` link method, with a link in it.
        assert.strictEqual((yield* Migrations.apply(db.sql, db.dialect, 2)).length, 2)
        const id = yield* Effect.provide(edgeInsertCustomer({ first_name: "Ines", email: "ines@example.com" }), context)
        yield* db.sql.unsafe(
          "INSERT INTO customer_web_links (customer_id, shopify_customer_id, link_method, linked_at) VALUES (?, ?, 'email', '2026-01-02 03:04:05')",
          [id, "gid://shopify/Customer/1"]
        )
        const refusedBefore = yield* Effect.either(db.sql.unsafe("UPDATE customer_web_links SET link_method = 'manual'"))
        assert.isTrue(Either.isLeft(refusedBefore), "the old CHECK refuses manual")

        assert.deepStrictEqual((yield* Effect.provide(migrate, context)).applied, ["manual link method"])
        const rows = yield* db.sql.unsafe<{ customer_id: number; shopify_customer_id: string; link_method: string }>(
          "SELECT customer_id, shopify_customer_id, link_method FROM customer_web_links"
        )
        assert.deepStrictEqual(rows.map((r) => [Number(r.customer_id), r.shopify_customer_id, r.link_method]), [[id, "gid://shopify/Customer/1", "email"]])
        yield* db.sql.unsafe("UPDATE customer_web_links SET link_method = 'manual'")
        const refused = yield* Effect.either(db.sql.unsafe("UPDATE customer_web_links SET link_method = 'bogus'"))
        assert.isTrue(Either.isLeft(refused), "the CHECK still refuses unknown methods")
        // The shopify id stays unique after the rebuild.
        const other = yield* Effect.provide(edgeInsertCustomer({ first_name: "Other" }), context)
        const duplicate = yield* Effect.either(db.sql.unsafe(
          "INSERT INTO customer_web_links (customer_id, shopify_customer_id, link_method, linked_at) VALUES (?, ?, 'email', '2026-01-02 03:04:05')",
          [other, "gid://shopify/Customer/1"]
        ))
        assert.isTrue(Either.isLeft(duplicate))
        assert.deepStrictEqual((yield* Effect.provide(migrate, context)).applied, [])
      }).pipe(Effect.orDie))
  })
}

describe("SQLite files", () => {
  it.scopedLive("a new database file (and its WAL) is readable by its owner only", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = join(dir, "nested", "edge.db")
      yield* withEdge({ name: "sqlite", url: Effect.succeed(`sqlite:${file}`) }, Effect.gen(function*() {
        yield* edgeInsertCustomer({ first_name: "Perm" })
        assert.strictEqual(statSync(file).mode & 0o777, 0o600)
        if (existsSync(`${file}-wal`)) assert.strictEqual(statSync(`${file}-wal`).mode & 0o777, 0o600)
      }))
    }))
})

describe("the edge config section", () => {
  const decode = (file: Record<string, unknown>, env: Record<string, string> = {}) =>
    Config.decodeConnector(EdgeConnector).pipe(Effect.provide(Config.layerFromObject(file, env)))

  it.effect("decodes the section with defaults; the environment overrides the URL and the password", () =>
    Effect.gen(function*() {
      const defaults = yield* decode({})
      assert.strictEqual(describeTarget(defaults.database), "sqlite:./edge.db")
      assert.strictEqual(defaults.poolSize, 10)
      const config = yield* decode(
        { edge: { database: "mysql://edge@db.local:3306/edge", poolSize: 4, tls: { rejectUnauthorized: false } } },
        { EDGE_DATABASE_URL: "mysql://sync@db.example.com:3307/shop", EDGE_DATABASE_PASSWORD: "s3cr3t-pw" }
      )
      assert.strictEqual(describeTarget(config.database), "mysql://sync@db.example.com:3307/shop")
      assert.strictEqual(config.poolSize, 4)
      assert.isFalse(config.tls?.rejectUnauthorized)
      assert.isTrue(config.password !== undefined && Redacted.value(config.password) === "s3cr3t-pw")
      assert.notInclude(String(config.password), "s3cr3t-pw")
      assert.notInclude(JSON.stringify(config), "s3cr3t-pw")
    }))

  it.effect("a password written in the URL is kept out of every description", () =>
    Effect.gen(function*() {
      const config = yield* decode({ edge: { database: "mysql://edge:hunter2@db.local/edge" } })
      assert.strictEqual(describeTarget(config.database), "mysql://edge@db.local:3306/edge")
      assert.isTrue(config.database._tag === "mysql" && Option.isSome(config.database.password))
      assert.notInclude(JSON.stringify(config), "hunter2")
    }))

  it.effect("a bad value names the key and what was expected", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(decode({ edge: { database: "postgres://x@y/z" } }))
      assert.strictEqual(error._tag, "ConfigError")
      assert.match(error.message, /edge\.database/)
      assert.match(error.message, /mysql:\/\/user@host:3306\/edge or sqlite:\.\/edge\.db/)
      const typo = yield* Effect.flip(decode({ edge: { databse: "sqlite:x.db" } }))
      assert.match(typo.message, /databse/)
      const schema = yield* Effect.flip(Config.decodeSection("edge", EdgeConfig, {}).pipe(
        Effect.provide(Config.layerFromObject({ edge: { poolSize: 0 } }))
      ))
      assert.match(schema.message, /edge\.poolSize/)
    }))
})

describe("connection failures", () => {
  const failure = (url: string, section: Record<string, unknown> = {}) =>
    Effect.gen(function*() {
      const config = yield* fromUrl(url, section)
      return yield* Effect.flip(Effect.scoped(Layer.build(layer(config))))
    }).pipe(Effect.orDie)

  it.scopedLive("an unreachable server is named by host and port (retriable)", () =>
    Effect.gen(function*() {
      const error = yield* failure("mysql://edge@127.0.0.1:1/edge", { connectTimeoutMillis: 2_000 })
      assert.strictEqual(error.reason, "Unreachable")
      assert.strictEqual(error.classification, "retriable")
      assert.include(error.message, "127.0.0.1:1")
    }))

  it.scopedLive("refused credentials are named, and the password is never shown", () =>
    Effect.gen(function*() {
      const server = new URL(serverUrl())
      const error = yield* failure(`mysql://nobody@${server.host}/mysql`, { password: "pa55-word-xyz" })
      assert.strictEqual(error.reason, "AccessDenied")
      assert.strictEqual(error.classification, "fatal")
      assert.include(error.message, `${server.hostname}:${server.port}`)
      assert.include(error.message, "EDGE_DATABASE_PASSWORD")
      assert.notInclude(error.message, "pa55-word-xyz")
    }))

  it.scopedLive("a TLS file that cannot be read is named", () =>
    Effect.gen(function*() {
      const server = new URL(serverUrl())
      const error = yield* failure(`mysql://root@${server.host}/mysql`, { tls: { ca: "/nonexistent/edge-ca.pem" } })
      assert.strictEqual(error.reason, "Unopenable")
      assert.include(error.message, "edge.tls.ca")
      assert.include(error.message, "/nonexistent/edge-ca.pem")
    }))

  it.scopedLive("a database that does not exist is named", () =>
    Effect.gen(function*() {
      const server = new URL(serverUrl())
      const error = yield* failure(`mysql://root@${server.host}/no_such_edge_db`)
      assert.strictEqual(error.reason, "UnknownDatabase")
      assert.include(error.message, "no_such_edge_db")
    }))

  it.scopedLive("MariaDB gets the same migrations through the connector layer", () =>
    withEdge(mariadb, Effect.map(EdgeDb, (db) => assert.strictEqual(db.dialect.name, "mysql"))))
})
