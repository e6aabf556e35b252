/**
 * MLflow's scoring protocol (`POST /invocations` of `mlflow models serve`, mlflow/pyfunc/scoring_server):
 * JSON with exactly one of `dataframe_split`, `dataframe_records`, `instances` or `inputs`, or `text/csv`,
 * answered with `{"predictions": ...}`. Error codes follow MLflow's: a body that is not JSON, or that has
 * zero or several input fields, is BAD_REQUEST (its MlflowInvalidInputException and REQUIRED_INPUT_FORMAT
 * errors); data that does not fit the model is INVALID_PARAMETER_VALUE ("Failed to enforce schema").
 */
import { KeelError } from "../core/errors.js";
import { parseCsv } from "./csv-rows.js";
import { DEFAULT_MAX_ROWS, decodeRows, describeValue, refuseRows } from "./decode-columns.js";
import { bodyText, parseJsonBody } from "./json-body.js";
import { tableToBatch } from "./table-batch.js";
import type { Table, TableOptions } from "./table-batch.js";
import { jsonList, jsonScalar, nestedList, outputShape } from "./tensor-json.js";
import type { ModelInterface, OutputBatch, RowBatch } from "./types.js";

export const MLFLOW_INPUT_FIELDS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

export interface MlflowScoringOptions {
  /** Most rows one request may hold (default 10,000). */
  readonly maxRows?: number;
  /** A single-input model's feature names in order (from its signature), to stack named columns by. */
  readonly columnNames?: readonly string[];
  /** Drop columns the model does not take, as MLflow does, instead of refusing them. */
  readonly ignoreExtraColumns?: boolean;
}

const REQUIRED_INPUT_FORMAT =
  "The input must be a JSON object with exactly one of the input fields 'dataframe_split', 'dataframe_records', 'instances' or 'inputs' (and optionally 'params')";
const EXAMPLE = `for example {"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}`;

/**
 * The body kind a Content-Type names: application/json or text/csv, UTF-8 only, as MLflow's server takes.
 * No Content-Type at all is read as JSON. MLflow answers the refusal with HTTP 415.
 */
export function scoringContentKind(contentType: string | undefined): "json" | "csv" {
  if (contentType === undefined || contentType.trim() === "") return "json";
  const [mime, ...params] = contentType.split(";").map((p) => p.trim()).filter((p, i) => i === 0 || p !== "");
  const kind = mime.toLowerCase() === "application/json" ? "json" : mime.toLowerCase() === "text/csv" ? "csv" : undefined;
  const badParam = params.find((p) => {
    const [key, value = ""] = p.split("=").map((s) => s.trim().toLowerCase());
    return key !== "charset" || value.replace(/"/g, "") !== "utf-8";
  });
  if (kind === undefined || badParam !== undefined) {
    throw new KeelError(
      "BAD_REQUEST",
      `Unsupported content type '${contentType}': /invocations takes application/json or text/csv, in UTF-8${badParam === undefined ? "" : ` (no parameter other than charset=utf-8; got '${badParam}')`}.`,
    );
  }
  return kind;
}

/** Decodes a `POST /invocations` body into the model's input tensors. */
export function decodeMlflowScoring(body: string | Buffer, contentType: string | undefined, model: ModelInterface, options: MlflowScoringOptions = {}): RowBatch {
  const tableOptions: TableOptions = { ...options, maxRows: options.maxRows ?? DEFAULT_MAX_ROWS };
  if (scoringContentKind(contentType) === "csv") {
    const csv = parseCsv(bodyText(body));
    return tableToBatch({ kind: "rows", label: "CSV", columns: csv.columns, rows: csv.rows, text: true }, model, tableOptions);
  }
  const parsed = parseJsonBody(body, "BAD_REQUEST", `${REQUIRED_INPUT_FORMAT.replace("The input must be ", "")}, ${EXAMPLE}`);
  if (!isObject(parsed)) {
    throw new KeelError("BAD_REQUEST", `${REQUIRED_INPUT_FORMAT}. Received ${Array.isArray(parsed) ? "a list" : describeValue(parsed)}; ${EXAMPLE}.`);
  }
  const fields = MLFLOW_INPUT_FIELDS.filter((f) => f in parsed);
  if (fields.length !== 1) {
    const keys = Object.keys(parsed).map((k) => `'${k}'`).join(", ");
    throw new KeelError("BAD_REQUEST", `${REQUIRED_INPUT_FORMAT}. Received an object with the fields [${keys}]; ${EXAMPLE}.`);
  }
  // `params` is accepted and ignored: MLflow's ONNX flavour takes params in predict() and never reads them,
  // and other top-level keys are dropped, as MLflow's _split_data_and_params drops them.
  const field = fields[0];
  const value = parsed[field];
  const maxRows = tableOptions.maxRows;
  if (field === "dataframe_split") return tableToBatch(splitTable(value), model, tableOptions);
  if (field === "dataframe_records") return tableToBatch(recordsTable(value, field, maxRows), model, tableOptions);
  if (Array.isArray(value) && value.length > 0 && isObject(value[0])) return tableToBatch(recordsTable(value, field, maxRows), model, tableOptions);
  if (Array.isArray(value)) {
    refuseRows(value.length, maxRows);
    if (model.inputs.length !== 1) {
      const names = model.inputs.map((i) => i.name).join(", ");
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `A list of rows in '${field}' can feed only a single-input model; this one has ${model.inputs.length} inputs (${names}). Send {"${field}": [{"${model.inputs[0].name}": ...}, ...]}, {"inputs": {"${model.inputs[0].name}": [...], ...}} or dataframe_split.`,
      );
    }
    return { rows: value.length, inputs: decodeRows(value, model.inputs, field) };
  }
  if (field === "inputs" && isObject(value)) return tableToBatch(columnsTable(value), model, tableOptions);
  throw new KeelError(
    "INVALID_PARAMETER_VALUE",
    `'${field}' must be a list of rows${field === "inputs" ? ` or an object {"input name": [one value per row]}` : ""}; got ${describeValue(value)}.`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function splitTable(value: unknown): Table {
  if (!isObject(value) || !Array.isArray(value.data) || (value.columns !== undefined && !Array.isArray(value.columns))) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `'dataframe_split' must be an object {"columns": [names], "data": [[row values], ...]} (pandas' to_dict(orient="split"); 'index' is optional and ignored); got ${describeValue(value)}.`,
    );
  }
  const data: readonly unknown[] = value.data;
  const first = data[0];
  const columns = Array.isArray(value.columns)
    ? value.columns.map(String)
    : Array.from({ length: Array.isArray(first) ? first.length : 0 }, (_, i) => String(i));
  return { kind: "rows", label: "dataframe_split", columns, rows: data };
}

function recordsTable(value: unknown, field: string, maxRows: number): Table {
  if (!Array.isArray(value)) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `'${field}' must be a list of row objects [{"column": value, ...}, ...]; got ${describeValue(value)}.`);
  }
  refuseRows(value.length, maxRows);
  // pandas takes the union of the records' keys; a key a row lacks is a missing value there.
  const columns: string[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < value.length; r++) {
    const row: unknown = value[r];
    if (!isObject(row)) {
      throw new KeelError("INVALID_PARAMETER_VALUE", `'${field}' row ${r} must be an object {"column": value, ...}; got ${describeValue(row)}.`);
    }
    for (const key in row) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { kind: "records", label: field, columns, rows: value as Record<string, unknown>[] };
}

function columnsTable(value: Record<string, unknown>): Table {
  const columns = Object.keys(value);
  const lists = columns.map((c) => value[c]);
  const arrays = lists.filter(Array.isArray).length;
  if (arrays === 0) return { kind: "columns", label: "inputs", columns, values: lists.map((v) => [v]) };
  if (arrays !== lists.length) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `'inputs' must map every input name to a list with one value per row; give all of ${columns.map((c) => `'${c}'`).join(", ")} as lists.`);
  }
  const values = lists as unknown[][];
  const rows = values[0].length;
  values.forEach((list, i) => {
    if (list.length !== rows) {
      throw new KeelError("INVALID_PARAMETER_VALUE", `'inputs' lists must all have one value per row: '${columns[i]}' has ${list.length} values but '${columns[0]}' has ${rows}.`);
    }
  });
  return { kind: "columns", label: "inputs", columns, values };
}

export interface MlflowPredictionsOptions {
  /**
   * "records" (default): MLflow's answer for a DataFrame input, one object per row.
   * "columns": its answer when a tensor-based signature turns the input into numpy arrays, one list per output.
   */
  readonly orient?: "records" | "columns";
}

/**
 * The body MLflow's scoring server answers for an ONNX model. Its ONNX pyfunc (mlflow/onnx/__init__.py,
 * _OnnxModelWrapper.predict), given a DataFrame, returns `pd.DataFrame.from_dict({output: values.reshape(-1)})`
 * and the server writes `{"predictions": df.to_dict(orient="records")}` (scoring_server predictions_to_json,
 * _get_jsonable_obj with pandas_orient="records"): `[{"label": 1, "prediction": 0.5}, ...]`. An output with
 * several values per row (probabilities [N, 2]) makes MLflow's reshape fail (columns of unequal length);
 * Keel keeps the record form and gives that output as a per-row list, `{"label": 1, "probabilities": [0.2, 0.8]}`.
 * Given numpy arrays (a tensor-based signature), the wrapper returns a dict of output arrays, written as
 * `{"predictions": {"label": [1, 0], "probabilities": [[0.2, 0.8], [0.9, 0.1]]}}`: `orient: "columns"`.
 */
export function encodeMlflowPredictions(out: OutputBatch, model: ModelInterface, options: MlflowPredictionsOptions = {}): { predictions: unknown } {
  const outputs = model.outputs.filter((o) => out.outputs[o.name] !== undefined);
  if (options.orient === "columns") {
    const columns: Record<string, unknown> = {};
    for (const o of outputs) {
      const data = out.outputs[o.name];
      columns[o.name] = nestedList(data, o.type, outputShape(o.rowShape, out.rows, data.length));
    }
    return { predictions: columns };
  }
  const records = new Array<Record<string, unknown>>(out.rows);
  const widths = outputs.map((o) => (out.rows > 0 ? out.outputs[o.name].length / out.rows : 0));
  for (let r = 0; r < out.rows; r++) {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      const data = out.outputs[o.name];
      record[o.name] = widths[i] === 1 ? jsonScalar(data, o.type, r) : jsonList(data, o.type, r * widths[i], widths[i]);
    }
    records[r] = record;
  }
  return { predictions: records };
}
