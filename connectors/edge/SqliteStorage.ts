// Why a SQLite database file cannot be written, asked of the file system, because SQLite's result codes
// often do not say: a WAL database on a read-only mount fails to open with SQLITE_CANTOPEN ("unable to
// open database file"), and a full disk shows as SQLITE_IOERR ("disk I/O error") as often as SQLITE_FULL.
// Asked only after SQLite failed, so that the error a person reads names the cause and what to do.
import { Effect, Option } from "effect"
import { accessSync, constants, statfsSync } from "node:fs"
import { dirname } from "node:path"

export interface StorageProblem {
  readonly reason: "ReadOnly" | "DiskFull"
  readonly detail: string
}

// Below this much free space a failed write is put down to a full disk: SQLite grows its files by pages
// and its WAL index by 32 KiB, and a file system this close to full fails those.
const lowSpaceBytes = 1024 * 1024

const errnoOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined

/** The storage problem behind a failed SQLite open or write of `filename`, if the file system shows one. */
export const diagnose = (filename: string): Effect.Effect<Option.Option<StorageProblem>> =>
  Effect.sync(() => {
    const directory = dirname(filename)
    // The directory too: SQLite creates its -wal, -shm and journal files beside the database.
    for (const path of [filename, directory]) {
      try {
        accessSync(path, constants.W_OK)
      } catch (error) {
        switch (errnoOf(error)) {
          case "EROFS":
            return Option.some<StorageProblem>({ reason: "ReadOnly", detail: `${path} is on a read-only file system` })
          case "EACCES":
          case "EPERM":
            return Option.some<StorageProblem>({ reason: "ReadOnly", detail: `${path} is not writable by this user` })
        }
      }
    }
    try {
      const stats = statfsSync(directory)
      const free = stats.bavail * stats.bsize
      if (free < lowSpaceBytes) {
        return Option.some<StorageProblem>({
          reason: "DiskFull",
          detail: `the file system holding ${directory} is full (${free} bytes free)`
        })
      }
    } catch {
      // statfs unsupported or the directory gone: no diagnosis, the original error stands.
    }
    return Option.none()
  })
