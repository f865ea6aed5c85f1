// The Edge reference schema and edgesync's own Edge-side tables, as numbered migrations for MySQL/MariaDB
// and SQLite. Table and column names of the Edge tables are a contract (issue 3 §1); types are MySQL's
// with SQLite equivalents. Every statement is idempotent (IF NOT EXISTS) because MySQL commits DDL
// implicitly: a migration interrupted half way is simply run again.
//
// SQLite has no exact decimal type: money columns are TEXT holding canonical two-decimal strings
// ("12.30"), written and read only through Money.ts; timestamps are TEXT `YYYY-MM-DD HH:MM:SS.fff`
// (UTC for the ones edgesync writes), which sorts like the time it names.
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { Dialect } from "./Dialect.js"

export interface Migration {
  readonly id: number
  readonly name: string
  readonly mysql: ReadonlyArray<string>
  readonly sqlite: ReadonlyArray<string>
}

const mysqlTable = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
// Keys compared byte for byte (GIDs, normalized match keys): a case-insensitive collation would make
// `gid://shopify/Customer/1` and its upper-case twin one key, and ignore trailing spaces.
const exact = "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

const contactColumnsSqlite = [
  "first_name", "last_name", "company", "email", "phone_cell", "phone_home", "phone_work",
  "address1", "address2", "city", "state", "postal_code", "country", "notes", "web_upload", "created_at"
]

const referenceSchema: Migration = {
  id: 1,
  name: "edge reference schema",
  mysql: [
    `CREATE TABLE IF NOT EXISTS stores (
      store_no INT NOT NULL PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      kind VARCHAR(10) NOT NULL DEFAULT 'retail',
      licensed BOOLEAN NOT NULL DEFAULT FALSE,
      CONSTRAINT stores_kind CHECK (kind IN ('retail', 'web'))
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS customers (
      customer_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      first_name VARCHAR(100) NULL,
      last_name VARCHAR(100) NULL,
      company VARCHAR(255) NULL,
      email VARCHAR(255) NULL,
      phone_cell VARCHAR(50) NULL,
      phone_home VARCHAR(50) NULL,
      phone_work VARCHAR(50) NULL,
      address1 VARCHAR(255) NULL,
      address2 VARCHAR(255) NULL,
      city VARCHAR(100) NULL,
      state VARCHAR(100) NULL,
      postal_code VARCHAR(20) NULL,
      country VARCHAR(2) NULL,
      notes TEXT NULL,
      web_upload BOOLEAN NOT NULL DEFAULT FALSE,
      created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
      updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
      KEY customers_updated (updated_at, customer_id),
      KEY customers_web_upload (web_upload)
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS customer_web_links (
      customer_id BIGINT NOT NULL PRIMARY KEY,
      shopify_customer_id VARCHAR(255) ${exact} NOT NULL,
      link_method VARCHAR(10) NOT NULL,
      linked_at DATETIME(6) NOT NULL,
      invite_sent_at DATETIME(6) NULL,
      synced_snapshot JSON NULL,
      last_pushed_at DATETIME(6) NULL,
      last_pulled_at DATETIME(6) NULL,
      UNIQUE KEY customer_web_links_shopify (shopify_customer_id),
      CONSTRAINT customer_web_links_method CHECK (link_method IN ('upload', 'email', 'phone', 'created'))
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS items (
      sku VARCHAR(64) NOT NULL PRIMARY KEY,
      description VARCHAR(255) NOT NULL,
      price DECIMAL(12,2) NOT NULL
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS sales (
      sale_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      store_no INT NOT NULL,
      sale_no VARCHAR(64) NOT NULL,
      customer_id BIGINT NULL,
      sale_date DATETIME(6) NOT NULL,
      kind VARCHAR(8) NOT NULL,
      status VARCHAR(20) NOT NULL,
      currency CHAR(3) NOT NULL,
      subtotal DECIMAL(12,2) NOT NULL,
      discount DECIMAL(12,2) NOT NULL,
      shipping DECIMAL(12,2) NOT NULL,
      tax DECIMAL(12,2) NOT NULL,
      total DECIMAL(12,2) NOT NULL,
      tax_stripped BOOLEAN NOT NULL DEFAULT FALSE,
      shopify_order_id VARCHAR(255) ${exact} NULL,
      shopify_updated_at DATETIME(6) NULL,
      imported_at DATETIME(6) NULL,
      UNIQUE KEY sales_shopify_order (shopify_order_id),
      KEY sales_customer (customer_id, sale_date),
      KEY sales_store (store_no, sale_date),
      CONSTRAINT sales_kind CHECK (kind IN ('pos', 'web')),
      CONSTRAINT sales_status CHECK (status IN ('open', 'paid', 'partially_refunded', 'refunded', 'void'))
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS sale_lines (
      sale_id BIGINT NOT NULL,
      line_no INT NOT NULL,
      sku VARCHAR(64) NULL,
      description VARCHAR(255) NOT NULL,
      quantity INT NOT NULL,
      unit_price DECIMAL(12,2) NOT NULL,
      discount DECIMAL(12,2) NOT NULL,
      tax DECIMAL(12,2) NOT NULL,
      extended DECIMAL(12,2) NOT NULL,
      PRIMARY KEY (sale_id, line_no)
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS sale_tenders (
      sale_id BIGINT NOT NULL,
      seq INT NOT NULL,
      tender VARCHAR(100) NOT NULL,
      amount DECIMAL(12,2) NOT NULL,
      PRIMARY KEY (sale_id, seq)
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS sale_taxes (
      sale_id BIGINT NOT NULL,
      seq INT NOT NULL,
      title VARCHAR(100) NOT NULL,
      rate DECIMAL(9,6) NOT NULL,
      amount DECIMAL(12,2) NOT NULL,
      PRIMARY KEY (sale_id, seq)
    ) ${mysqlTable}`
  ],
  sqlite: [
    `CREATE TABLE IF NOT EXISTS stores (
      store_no INTEGER NOT NULL PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL DEFAULT 'retail' CHECK (kind IN ('retail', 'web')),
      licensed INTEGER NOT NULL DEFAULT 0
    )`,
    `CREATE TABLE IF NOT EXISTS customers (
      customer_id INTEGER PRIMARY KEY AUTOINCREMENT,
      first_name TEXT NULL,
      last_name TEXT NULL,
      company TEXT NULL,
      email TEXT NULL,
      phone_cell TEXT NULL,
      phone_home TEXT NULL,
      phone_work TEXT NULL,
      address1 TEXT NULL,
      address2 TEXT NULL,
      city TEXT NULL,
      state TEXT NULL,
      postal_code TEXT NULL,
      country TEXT NULL,
      notes TEXT NULL,
      web_upload INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
    )`,
    "CREATE INDEX IF NOT EXISTS customers_updated ON customers (updated_at, customer_id)",
    "CREATE INDEX IF NOT EXISTS customers_web_upload ON customers (web_upload)",
    // MySQL's ON UPDATE CURRENT_TIMESTAMP(6), on SQLite: only when a column really changed (MySQL
    // leaves updated_at alone for an UPDATE that changes nothing) and the statement did not set it.
    `CREATE TRIGGER IF NOT EXISTS customers_updated_at AFTER UPDATE ON customers FOR EACH ROW
      WHEN NEW.updated_at IS OLD.updated_at AND (${contactColumnsSqlite.map((c) => `NEW.${c} IS NOT OLD.${c}`).join(" OR ")})
      BEGIN
        UPDATE customers SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE customer_id = NEW.customer_id;
      END`,
    `CREATE TABLE IF NOT EXISTS customer_web_links (
      customer_id INTEGER NOT NULL PRIMARY KEY,
      shopify_customer_id TEXT NOT NULL UNIQUE,
      link_method TEXT NOT NULL CHECK (link_method IN ('upload', 'email', 'phone', 'created')),
      linked_at TEXT NOT NULL,
      invite_sent_at TEXT NULL,
      synced_snapshot TEXT NULL,
      last_pushed_at TEXT NULL,
      last_pulled_at TEXT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS items (
      sku TEXT NOT NULL PRIMARY KEY,
      description TEXT NOT NULL,
      price TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS sales (
      sale_id INTEGER PRIMARY KEY AUTOINCREMENT,
      store_no INTEGER NOT NULL,
      sale_no TEXT NOT NULL,
      customer_id INTEGER NULL,
      sale_date TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('pos', 'web')),
      status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'partially_refunded', 'refunded', 'void')),
      currency TEXT NOT NULL,
      subtotal TEXT NOT NULL,
      discount TEXT NOT NULL,
      shipping TEXT NOT NULL,
      tax TEXT NOT NULL,
      total TEXT NOT NULL,
      tax_stripped INTEGER NOT NULL DEFAULT 0,
      shopify_order_id TEXT NULL UNIQUE,
      shopify_updated_at TEXT NULL,
      imported_at TEXT NULL
    )`,
    "CREATE INDEX IF NOT EXISTS sales_customer ON sales (customer_id, sale_date)",
    "CREATE INDEX IF NOT EXISTS sales_store ON sales (store_no, sale_date)",
    `CREATE TABLE IF NOT EXISTS sale_lines (
      sale_id INTEGER NOT NULL,
      line_no INTEGER NOT NULL,
      sku TEXT NULL,
      description TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      unit_price TEXT NOT NULL,
      discount TEXT NOT NULL,
      tax TEXT NOT NULL,
      extended TEXT NOT NULL,
      PRIMARY KEY (sale_id, line_no)
    )`,
    `CREATE TABLE IF NOT EXISTS sale_tenders (
      sale_id INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      tender TEXT NOT NULL,
      amount TEXT NOT NULL,
      PRIMARY KEY (sale_id, seq)
    )`,
    `CREATE TABLE IF NOT EXISTS sale_taxes (
      sale_id INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      title TEXT NOT NULL,
      rate TEXT NOT NULL,
      amount TEXT NOT NULL,
      PRIMARY KEY (sale_id, seq)
    )`
  ]
}

const edgesyncTables: Migration = {
  id: 2,
  name: "edgesync match keys, created customers, match decisions, contact conflicts",
  mysql: [
    // Normalized email and E.164 phone keys of every customer, derived and kept fresh by MatchKeyIndex.
    `CREATE TABLE IF NOT EXISTS edgesync_customer_match_keys (
      kind VARCHAR(8) NOT NULL,
      match_key VARCHAR(320) ${exact} NOT NULL,
      customer_id BIGINT NOT NULL,
      PRIMARY KEY (kind, match_key, customer_id),
      KEY edgesync_customer_match_keys_customer (customer_id)
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS edgesync_match_keys_state (
      id INT NOT NULL PRIMARY KEY,
      default_country VARCHAR(2) NOT NULL,
      refreshed_from VARCHAR(32) NOT NULL,
      max_customer_id BIGINT NOT NULL
    ) ${mysqlTable}`,
    // Customers edgesync created, by where they came from, so that creating again finds them instead.
    `CREATE TABLE IF NOT EXISTS edgesync_created_customers (
      origin VARCHAR(255) ${exact} NOT NULL PRIMARY KEY,
      customer_id BIGINT NOT NULL,
      created_at DATETIME(6) NOT NULL
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS edgesync_match_decisions (
      decision_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      decision_key VARCHAR(255) ${exact} NOT NULL,
      decided_at DATETIME(6) NOT NULL,
      pipeline VARCHAR(100) NOT NULL,
      run_id VARCHAR(100) NOT NULL,
      shopify_customer_id VARCHAR(255) NULL,
      shopify_order_id VARCHAR(255) NULL,
      edge_customer_id BIGINT NULL,
      match_rule VARCHAR(50) NOT NULL,
      candidates TEXT NOT NULL,
      ambiguous BOOLEAN NOT NULL DEFAULT FALSE,
      note TEXT NULL,
      UNIQUE KEY edgesync_match_decisions_key (decision_key),
      KEY edgesync_match_decisions_time (decided_at)
    ) ${mysqlTable}`,
    `CREATE TABLE IF NOT EXISTS edgesync_contact_conflicts (
      conflict_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      conflict_key VARCHAR(255) ${exact} NOT NULL,
      detected_at DATETIME(6) NOT NULL,
      pipeline VARCHAR(100) NOT NULL,
      run_id VARCHAR(100) NOT NULL,
      customer_id BIGINT NOT NULL,
      shopify_customer_id VARCHAR(255) NULL,
      field_name VARCHAR(32) NOT NULL,
      base_value TEXT NULL,
      edge_value TEXT NULL,
      shopify_value TEXT NULL,
      resolution VARCHAR(20) NOT NULL,
      chosen_value TEXT NULL,
      UNIQUE KEY edgesync_contact_conflicts_key (conflict_key),
      KEY edgesync_contact_conflicts_time (detected_at)
    ) ${mysqlTable}`
  ],
  sqlite: [
    `CREATE TABLE IF NOT EXISTS edgesync_customer_match_keys (
      kind TEXT NOT NULL,
      match_key TEXT NOT NULL,
      customer_id INTEGER NOT NULL,
      PRIMARY KEY (kind, match_key, customer_id)
    ) WITHOUT ROWID`,
    "CREATE INDEX IF NOT EXISTS edgesync_customer_match_keys_customer ON edgesync_customer_match_keys (customer_id)",
    `CREATE TABLE IF NOT EXISTS edgesync_match_keys_state (
      id INTEGER NOT NULL PRIMARY KEY,
      default_country TEXT NOT NULL,
      refreshed_from TEXT NOT NULL,
      max_customer_id INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS edgesync_created_customers (
      origin TEXT NOT NULL PRIMARY KEY,
      customer_id INTEGER NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS edgesync_match_decisions (
      decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
      decision_key TEXT NOT NULL UNIQUE,
      decided_at TEXT NOT NULL,
      pipeline TEXT NOT NULL,
      run_id TEXT NOT NULL,
      shopify_customer_id TEXT NULL,
      shopify_order_id TEXT NULL,
      edge_customer_id INTEGER NULL,
      match_rule TEXT NOT NULL,
      candidates TEXT NOT NULL,
      ambiguous INTEGER NOT NULL DEFAULT 0,
      note TEXT NULL
    )`,
    "CREATE INDEX IF NOT EXISTS edgesync_match_decisions_time ON edgesync_match_decisions (decided_at)",
    `CREATE TABLE IF NOT EXISTS edgesync_contact_conflicts (
      conflict_id INTEGER PRIMARY KEY AUTOINCREMENT,
      conflict_key TEXT NOT NULL UNIQUE,
      detected_at TEXT NOT NULL,
      pipeline TEXT NOT NULL,
      run_id TEXT NOT NULL,
      customer_id INTEGER NOT NULL,
      shopify_customer_id TEXT NULL,
      field_name TEXT NOT NULL,
      base_value TEXT NULL,
      edge_value TEXT NULL,
      shopify_value TEXT NULL,
      resolution TEXT NOT NULL,
      chosen_value TEXT NULL
    )`,
    "CREATE INDEX IF NOT EXISTS edgesync_contact_conflicts_time ON edgesync_contact_conflicts (detected_at)"
  ]
}

// `manual`: a link a person made (`edgesync customers link`), so `edgesync matches` and the link itself
// tell it apart from one the matching made by email or phone. The Edge's `link_method` column is
// VARCHAR(10); only its CHECK changes.
const linkMethods = "'upload', 'email', 'phone', 'created', 'manual'"

const manualLinkMethod: Migration = {
  id: 3,
  name: "manual link method",
  mysql: [
    // One statement, so that it is idempotent: the constraint always exists under this name, before
    // and after (MySQL 8.0.19+ and MariaDB 10.2+ drop a CHECK by name).
    `ALTER TABLE customer_web_links DROP CONSTRAINT customer_web_links_method,
      ADD CONSTRAINT customer_web_links_method CHECK (link_method IN (${linkMethods}))`
  ],
  // SQLite cannot change a CHECK: the table is rebuilt with the same columns (in the same order, so
  // `SELECT *` copies it) and renamed. `apply` runs a SQLite migration in one transaction (SQLite's DDL
  // is transactional), so an interrupted rebuild leaves the old table as it was.
  sqlite: [
    "DROP TABLE IF EXISTS customer_web_links_rebuilt",
    `CREATE TABLE customer_web_links_rebuilt (
      customer_id INTEGER NOT NULL PRIMARY KEY,
      shopify_customer_id TEXT NOT NULL UNIQUE,
      link_method TEXT NOT NULL CHECK (link_method IN (${linkMethods})),
      linked_at TEXT NOT NULL,
      invite_sent_at TEXT NULL,
      synced_snapshot TEXT NULL,
      last_pushed_at TEXT NULL,
      last_pulled_at TEXT NULL
    )`,
    `INSERT INTO customer_web_links_rebuilt (customer_id, shopify_customer_id, link_method, linked_at, invite_sent_at,
      synced_snapshot, last_pushed_at, last_pulled_at)
      SELECT customer_id, shopify_customer_id, link_method, linked_at, invite_sent_at, synced_snapshot, last_pushed_at,
        last_pulled_at FROM customer_web_links`,
    "DROP TABLE customer_web_links",
    "ALTER TABLE customer_web_links_rebuilt RENAME TO customer_web_links"
  ]
}

export const migrations: ReadonlyArray<Migration> = [referenceSchema, edgesyncTables, manualLinkMethod]

const ledger = {
  mysql: `CREATE TABLE IF NOT EXISTS edgesync_edge_migrations (
    migration_id INT NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
  ) ${mysqlTable}`,
  sqlite: `CREATE TABLE IF NOT EXISTS edgesync_edge_migrations (
    migration_id INTEGER NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
  )`
}

/**
 * Applies the migrations not yet recorded in `edgesync_edge_migrations`, in order, and returns the
 * names of those it applied (none when the schema is current). `upTo` (the first N migrations) is for
 * tests that start from an older schema.
 */
export const apply = (
  sql: SqlClient.SqlClient,
  dialect: Dialect,
  upTo: number = migrations.length
): Effect.Effect<ReadonlyArray<string>, SqlError> =>
  Effect.gen(function*() {
    yield* sql.unsafe(ledger[dialect.name]).unprepared
    const done = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM edgesync_edge_migrations`
    const applied = new Set(done.map((row) => Number(row.migration_id)))
    const names: Array<string> = []
    for (const migration of migrations.slice(0, upTo)) {
      if (applied.has(migration.id)) continue
      const statements = Effect.gen(function*() {
        for (const statement of migration[dialect.name]) yield* sql.unsafe(statement).unprepared
        yield* sql.unsafe(
          `INSERT INTO edgesync_edge_migrations (migration_id, name) VALUES (?, ?) ${dialect.ignoreDuplicatesTail(["migration_id"])}`,
          [migration.id, migration.name]
        ).unprepared
      })
      // SQLite's DDL is transactional: a migration and its ledger row commit together. MySQL commits
      // each DDL statement by itself, hence idempotent statements there.
      yield* dialect.name === "sqlite" ? sql.withTransaction(statements) : statements
      names.push(migration.name)
    }
    return names
  })
