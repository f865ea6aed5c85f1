// The `file` connector's configuration: the config file section `file`.
import { Schema } from "effect"

export const FileConfig = Schema.Struct({
  directory: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => "." }).annotations({
    description: "the directory relative file paths are resolved against (default: the working directory)"
  })
})
export type FileConfig = typeof FileConfig.Type
