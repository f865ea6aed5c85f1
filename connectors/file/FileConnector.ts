// The built-in `file` connector: JSON Lines and CSV sources and sinks, resumable by byte offset. It is
// the first plugin, the proving ground of the framework, and a way to export and import records.
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import { Layer } from "effect"
import * as Connector from "../../core/Connector.js"
import { FileConfig } from "./FileConfig.js"
import { FileDirectory } from "./FileDirectory.js"

export const FileConnector = Connector.make({
  name: "file",
  description: "JSON Lines and CSV files: sources that resume from a byte offset, sinks that append",
  config: FileConfig,
  environment: { EDGESYNC_FILE_DIRECTORY: "directory" },
  layer: (config) => Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, FileDirectory.layer(config.directory)),
  stages: [
    { kind: "source", name: "file.jsonl-source", description: "JSON Lines, one record per line (jsonLinesSource)" },
    { kind: "source", name: "file.csv-source", description: "CSV rows after a header row (csvSource)" },
    { kind: "transform", name: "file.parse-jsonl", description: "parses lines as JSON and checks them against a Schema (parseJsonLines)" },
    { kind: "transform", name: "file.parse-csv", description: "pairs cells with the header's columns and checks them against a Schema (parseCsvRows)" },
    { kind: "sink", name: "file.jsonl-sink", description: "appends JSON Lines (jsonLinesSink)" },
    { kind: "sink", name: "file.csv-sink", description: "appends CSV rows with a header row (csvSink)" }
  ]
})
