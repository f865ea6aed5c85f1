// Vitest global setup: one private MariaDB server for the whole test run (see PrivateMariaDb.ts).
// Tests read its URL with `inject("mariadbUrl")` and create their own databases on it (MariaDb.ts).
import type { TestProject } from "vitest/node"
import { startPrivateMariaDb } from "./PrivateMariaDb.js"

declare module "vitest" {
  export interface ProvidedContext {
    mariadbUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPrivateMariaDb()
  project.provide("mariadbUrl", server.url)
  return server.stop
}
