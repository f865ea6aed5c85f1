// The statement that checks a freshly opened database answers.
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

export const probe = (sql: SqlClient.SqlClient): Effect.Effect<void, SqlError> => Effect.asVoid(sql`SELECT 1`)
