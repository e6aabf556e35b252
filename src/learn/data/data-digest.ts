/**
 * The content digest and MLflow dataset description of a data file, recorded with every training run as its
 * dataset input (log-inputs). The digest hashes the file's bytes, so any edit to the data changes it.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { pythonJsonDumps } from "../../core/python-json.js";
import type { ValueKind } from "./infer-types.js";
import { mlflowTypeOf } from "./infer-types.js";
import { checkColumnNames, checkReadable, describeColumns, tableFormat, tableFunction, withDuckDb } from "./table-source.js";

/** MLflow's Dataset entity as log-inputs carries it (its wire names, hence snake_case). */
export interface MlflowDatasetEntry {
  readonly name: string;
  readonly digest: string;
  readonly source_type: "local";
  /** JSON: `{"uri": "/abs/path/data.csv"}`. */
  readonly source: string;
  /** JSON: `{"mlflow_colspec": [{"type": "double", "name": "age", "required": true}, ...]}`. */
  readonly schema: string;
  /** JSON: `{"num_rows": n, "num_elements": n × columns}`. */
  readonly profile: string;
}

export interface DataDigest {
  /** The full SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
  /** Its first 8 hex characters: MLflow shows dataset digests this short. */
  readonly digest: string;
  readonly rowCount: number;
  readonly columnCount: number;
  readonly dataset: MlflowDatasetEntry;
}

export interface DataDigestOptions {
  /** Dataset name shown in MLflow (default: the file name without its extension). */
  readonly name?: string;
  /** The same overrides given to readTable, so that the schema says what training saw. */
  readonly types?: Readonly<Record<string, ValueKind>>;
}

/**
 * Hashes `path` (streamed, so large files never sit in memory) and describes it for MLflow's log-inputs.
 *
 * @example
 * const { dataset } = await dataDigest("customers.csv");
 * await run.logInputs([{ dataset, tags: [{ key: "mlflow.data.context", value: "training" }] }]);
 */
export async function dataDigest(path: string, options: DataDigestOptions = {}): Promise<DataDigest> {
  const format = tableFormat(path);
  await checkReadable(path);
  const sha256 = await hashFile(path);
  const types = options.types ?? {};
  const { columns, rowCount } = await withDuckDb(path, format, async (connection) => {
    const described = await describeColumns(connection, tableFunction(path, format));
    checkColumnNames(path, described, Object.keys(types), "type overrides name columns");
    const count = await connection.run(`SELECT count(*) FROM ${tableFunction(path, format, types)}`);
    const rows = await count.getRows();
    return { columns: described, rowCount: Number(rows[0][0]) };
  });
  const digest = sha256.slice(0, 8);
  const colspec = columns.map((c) => ({ type: mlflowTypeOf(c.type, types[c.name]), name: c.name, required: true }));
  return {
    sha256,
    digest,
    rowCount,
    columnCount: columns.length,
    dataset: {
      name: options.name ?? datasetName(path),
      digest,
      source_type: "local",
      source: pythonJsonDumps({ uri: resolve(path) }),
      schema: pythonJsonDumps({ mlflow_colspec: colspec }),
      profile: pythonJsonDumps({ num_rows: rowCount, num_elements: rowCount * columns.length }),
    },
  };
}

/** "data/customers.csv.gz" → "customers". */
function datasetName(path: string): string {
  const file = basename(path).replace(/\.(gz|zst)$/i, "");
  return basename(file, extname(file));
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
