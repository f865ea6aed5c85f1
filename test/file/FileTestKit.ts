// Test support for the file connector: a fresh temporary directory per test, the connector's layer on
// it, and helpers to write and read files there.
import { Effect, Layer } from "effect"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { FileConnector } from "../../connectors/file/FileConnector.js"
import { FileDirectory } from "../../connectors/file/FileDirectory.js"

/** A temporary directory removed when the scope closes. */
export const tempDirectory = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(tmpdir(), "edgesync-file-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

/** The file connector's layer on a fresh directory holding `files`. */
export const withFiles = (files: Readonly<Record<string, string | Uint8Array>>) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const dir = yield* tempDirectory
    for (const [name, content] of Object.entries(files)) {
      yield* Effect.promise(() => fs.writeFile(path.join(dir, name), content))
    }
    return FileConnector.layer({ directory: dir })
  }))

export const readText = (name: string) =>
  Effect.flatMap(FileDirectory, (dir) =>
    Effect.promise(() => fs.readFile(dir.resolve(name), "utf8").catch(() => "")))

export const writeText = (name: string, content: string | Uint8Array, flag: "w" | "a" = "w") =>
  Effect.flatMap(FileDirectory, (dir) => Effect.promise(() => fs.writeFile(dir.resolve(name), content, { flag })))

export const modeOf = (name: string) =>
  Effect.flatMap(FileDirectory, (dir) => Effect.promise(async () => (await fs.stat(dir.resolve(name))).mode & 0o777))

export const sizeOf = (name: string) =>
  Effect.flatMap(FileDirectory, (dir) => Effect.promise(async () => (await fs.stat(dir.resolve(name))).size))
