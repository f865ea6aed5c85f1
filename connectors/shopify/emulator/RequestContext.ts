// What resolvers see while one GraphQL request runs: the request's working copy of the shop data
// (mutations replace it; the executor commits it when the request succeeds), the emulator clock's
// time, the realism settings, and hooks into bulk operations.
import type { Registry as BulkResultRegistry } from "./BulkResult.js"
import type * as Connection from "./Connection.js"
import type * as SearchFilter from "./SearchFilter.js"
import type { ShopSettings } from "./ShopSettings.js"
import type * as StoreModel from "./StoreModel.js"

export interface SortCache {
  /** A sorted view of a collection, rebuilt only when the data version changes. */
  readonly sorted: <A>(key: string, version: number, build: () => Array<Connection.SortedItem<A>>) => ReadonlyArray<Connection.SortedItem<A>>
  /** Pagination depths already counted for one listing (key includes query, sort and data version). */
  readonly depths: (key: string) => Connection.DepthMemo
}

export interface BulkHooks {
  readonly run: (ctx: RequestContext, query: string, groupObjects: boolean) => BulkRunResult
  readonly cancel: (ctx: RequestContext, gid: string) => BulkCancelResult
}

export interface BulkRunResult {
  readonly operation: StoreModel.BulkOperation | null
  readonly userErrors: ReadonlyArray<{ readonly field: ReadonlyArray<string> | null; readonly message: string; readonly code: string | null }>
}

export interface BulkCancelResult {
  readonly operation: StoreModel.BulkOperation | null
  readonly userErrors: ReadonlyArray<{ readonly field: ReadonlyArray<string> | null; readonly message: string }>
}

export interface RequestContext {
  /** The request's working copy; each mutation resolver replaces `data`. */
  readonly state: { data: StoreModel.StoreData }
  readonly now: number
  readonly lagMillis: number
  readonly dateGranularity: SearchFilter.DateGranularity
  readonly shop: ShopSettings
  readonly limits: Connection.Limits
  readonly sortCache: SortCache
  readonly bulk: BulkHooks
  /** Where bulk results are kept (and their files removed when the emulator stops). */
  readonly bulkResults: BulkResultRegistry
  /** Base URL of this emulator ("http://127.0.0.1:PORT"), for bulk result links. */
  readonly baseUrl: string
  readonly bulkSettings: BulkSettings
}

export interface BulkSettings {
  /** Time from CREATED to COMPLETED. */
  readonly durationMillis: number
  /** How long a COMPLETED result stays downloadable before the operation is EXPIRED. */
  readonly resultTtlMillis: number
  /** Query operations that may run at once (five on 2026-01 and later, FACTS §5.3). */
  readonly concurrency: number
}
