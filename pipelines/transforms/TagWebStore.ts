// Files imported web sales under the configured web store (`webStore`, The Edge's store #98 by
// default), and refuses to start a sales run when that store is not a licensed web store.
import { Effect, Stream } from "effect"
import type { EdgeDb } from "../../connectors/edge/EdgeDb.js"
import type { EdgeDbError } from "../../connectors/edge/EdgeDbError.js"
import * as WebStore from "../../connectors/edge/WebStore.js"
import type { WebStoreError } from "../../connectors/edge/WebStoreError.js"
import type { Classified } from "../../core/EtlError.js"
import type { Source } from "../../core/Stage.js"
import * as Transform from "../../core/Transform.js"
import type { OrderImport } from "../MissionRecords.js"

export const tag = (webStore: number) => <S extends { readonly store_no: number }>(sale: S): S => ({
  ...sale,
  store_no: webStore
})

/** `mission.tagWebStore`: the sale is filed under `webStore`. */
export const stage = (webStore: number) =>
  Transform.map<OrderImport, OrderImport>(
    "mission.tagWebStore",
    (record) => ({ ...record, sale: tag(webStore)(record.sale) }),
    { description: `mission.tagWebStore: files web sales under the web store (webStore, ${webStore})` }
  )

/**
 * The source, checked first: before it reads anything, `webStore` must be a licensed web store, or the
 * run stops (fatally) with a message naming the store and what is wrong. Checking at the start of the
 * read, rather than at the first sale, refuses the run even when there is nothing new to import.
 */
export const requireWebStore = <A, C, E extends Classified, R>(
  source: Source<A, C, E, R>,
  webStore: number
): Source<A, C, E | WebStoreError | EdgeDbError, R | EdgeDb> => ({
  ...source,
  read: (cursor, ctx) => Stream.unwrap(Effect.as(WebStore.requireWebStore(webStore), source.read(cursor, ctx)))
})
