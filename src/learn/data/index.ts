/** The data layer of the learn domain: reading tables, their digests, frames and targets. */
export { readTable } from "./read-table.js";
export type { ReadTableOptions } from "./read-table.js";
export { dataDigest } from "./data-digest.js";
export type { DataDigest, DataDigestOptions, MlflowDatasetEntry } from "./data-digest.js";
export { frameFromColumns, getColumn, getNumberColumn, getStringColumn, numberColumn, stringColumn } from "./frame-columns.js";
export { MAX_INFERRED_CLASSES, encodeClasses, inferTask, targetFromColumn } from "./encode-target.js";
export type { ValueKind } from "./infer-types.js";
export { queryFrame, sqlDictionaryCode, sqlNumber } from "./query-frame.js";
export type { PlannedColumn } from "./query-frame.js";
export { sqlIdentifier, sqlString } from "./table-source.js";
