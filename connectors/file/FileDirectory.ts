// The directory relative file paths in pipeline options are resolved against (the `file` section's
// `directory`, by default the working directory).
import { Context, Layer } from "effect"
import * as NodePath from "node:path"

export interface FileDirectoryService {
  readonly directory: string
  readonly resolve: (path: string) => string
}

export class FileDirectory extends Context.Tag("edgesync/file/FileDirectory")<FileDirectory, FileDirectoryService>() {
  static layer(directory: string): Layer.Layer<FileDirectory> {
    const absolute = NodePath.resolve(directory)
    return Layer.succeed(FileDirectory, {
      directory: absolute,
      resolve: (path) => NodePath.resolve(absolute, path)
    })
  }
}
