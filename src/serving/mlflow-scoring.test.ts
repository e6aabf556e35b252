import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { decodeMlflowScoring, encodeMlflowPredictions, scoringContentKind } from "./mlflow-scoring.js";
import { FLOAT20, MIXED } from "./fixtures/model-interfaces.js";
import type { ModelInterface } from "./types.js";


const JSON_TYPE = "application/json";
const features = (row: number): number[] => Array.from({ length: 20 }, (_, j) => row * 100 + j + 0.5);
const columns = Array.from({ length: 20 }, (_, j) => `f${j}`);
const decode = (body: unknown, model: ModelInterface = FLOAT20) => decodeMlflowScoring(JSON.stringify(body), JSON_TYPE, model);
const refused = (body: unknown, model: ModelInterface = FLOAT20) => refusal(() => decode(body, model));

describe("decodeMlflowScoring: a single float input [N, 20]", () => {
  const expected = Float32Array.from([...features(0), ...features(1)]);

  it("stacks dataframe_split columns into the input's row, index and params ignored", () => {
    const batch = decode({ dataframe_split: { index: [7, 8], columns, data: [features(0), features(1)] }, params: { x: 1 } });
    expect(batch.rows).toBe(2);
    expect(batch.inputs.input).toEqual(expected);
  });

  it("takes dataframe_records, instances and inputs lists, and a Buffer body", () => {
    const records = [0, 1].map((r) => Object.fromEntries(columns.map((c, j) => [c, features(r)[j]])));
    expect(decode({ dataframe_records: records }).inputs.input).toEqual(expected);
    expect(decode({ instances: [features(0), features(1)] }).inputs.input).toEqual(expected);
    expect(decode({ inputs: [features(0), features(1)] }).inputs.input).toEqual(expected);
    const buffer = Buffer.from(JSON.stringify({ inputs: [features(0)] }));
    expect(decodeMlflowScoring(buffer, "application/json; charset=UTF-8", FLOAT20).rows).toBe(1);
  });

  it("flattens nested rows and takes a column named as the input holding whole rows", () => {
    const nested = [0, 1].map((r) => [features(r).slice(0, 10), features(r).slice(10)]);
    expect(decode({ instances: nested }).inputs.input).toEqual(expected);
    expect(decode({ inputs: { input: [features(0), features(1)] } }).inputs.input).toEqual(expected);
    expect(decode({ instances: [{ input: features(0) }, { input: features(1) }] }).inputs.input).toEqual(expected);
  });

  it("stacks named columns in the model's feature order when it is known", () => {
    const reversed = [...columns].reverse();
    const body = JSON.stringify({ dataframe_split: { columns: reversed, data: [[...features(0)].reverse()] } });
    const batch = decodeMlflowScoring(body, JSON_TYPE, FLOAT20, { columnNames: columns });
    expect(batch.inputs.input).toEqual(Float32Array.from(features(0)));
    const missing = refusal(() => decodeMlflowScoring(JSON.stringify({ dataframe_split: { columns: columns.slice(1), data: [features(0).slice(1)] } }), JSON_TYPE, FLOAT20, { columnNames: columns }));
    expect(missing.message).toContain("missing the columns 'f0'");
  });

  it("reads null, and Python's bare NaN and Infinity, as float values", () => {
    const row = features(0).map(String);
    row[3] = "NaN";
    row[4] = "-Infinity";
    row[5] = "null";
    const batch = decodeMlflowScoring(`{"inputs": [[${row.join(", ")}]], "params": {"note": "NaN stays text"}}`, JSON_TYPE, FLOAT20);
    const input = batch.inputs.input as Float32Array;
    expect(input[3]).toBeNaN();
    expect(input[4]).toBe(-Infinity);
    expect(input[5]).toBeNaN();
  });

  it("reads text/csv with a header, quotes, CRLF and pandas' index column", () => {
    const csv = `,${columns.join(",")}\r\n0,${features(0).join(",")}\r\n1,"${features(1)[0]}",${features(1).slice(1).join(",")}\r\n`;
    expect(decodeMlflowScoring(csv, "text/csv", FLOAT20).inputs.input).toEqual(expected);
  });

  it("refuses rows of the wrong width, naming the row", () => {
    expect(refused({ instances: [features(0), features(1).slice(1)] }).message).toBe(
      "instances[1] has 19 values; the model's input 'input' takes 20 per row (row shape [20]).",
    );
    const split = refused({ dataframe_split: { columns: columns.slice(1), data: [features(0).slice(1)] } });
    expect(split.code).toBe("INVALID_PARAMETER_VALUE");
    expect(split.message).toContain("The request has 19 columns ('f1', 'f2',");
    expect(split.message).toContain("the model's single input 'input' takes 20 values per row (row shape [20]); send one column per feature.");
    expect(refused({ dataframe_split: { columns, data: [features(0).slice(2)] } }).message).toBe(
      "dataframe_split row 0 must hold one value per column (20); got 18 values.",
    );
  });

  it("refuses a non-number, naming row and value", () => {
    const row: unknown[] = features(0);
    row[7] = "high";
    expect(refused({ inputs: [features(0), row] }).message).toBe(`inputs[1], value 7: expected a number, got "high" (input 'input' is float32).`);
  });

  it("refuses a list of rows for a model with several inputs", () => {
    expect(refused({ instances: [[1, 2, "a"]] }, MIXED).message).toContain("can feed only a single-input model; this one has 3 inputs (age, visits, plan)");
  });
});

describe("decodeMlflowScoring: one input per column (float32, int64, string)", () => {
  const check = (body: unknown): void => {
    const batch = decode(body, MIXED);
    expect(batch.rows).toBe(2);
    expect(batch.inputs.age).toEqual(Float32Array.from([31.5, NaN]));
    expect(batch.inputs.visits).toEqual(BigInt64Array.from([3n, 9007199254740993n - 1n]));
    expect(batch.inputs.plan).toEqual(["gold", "00123"]);
  };

  it("feeds each input from its column, whatever the format and column order", () => {
    check({ dataframe_split: { columns: ["plan", "age", "visits"], data: [["gold", 31.5, 3], ["00123", null, 9007199254740992]] } });
    check({ dataframe_records: [{ age: 31.5, visits: 3, plan: "gold" }, { visits: 9007199254740992, plan: "00123" }] });
    check({ instances: [{ age: 31.5, visits: 3, plan: "gold" }, { age: null, visits: 9007199254740992, plan: "00123" }] });
    check({ inputs: { age: [31.5, null], visits: [3, 9007199254740992], plan: ["gold", "00123"] } });
    const csv = "visits,age,plan\n3,31.5,gold\n9007199254740992,,00123\n";
    const batch = decodeMlflowScoring(csv, "text/csv; charset=utf-8", MIXED);
    expect(batch.inputs.plan).toEqual(["gold", "00123"]);
    expect(batch.inputs.visits).toEqual(BigInt64Array.from([3n, 9007199254740992n]));
    expect((batch.inputs.age as Float32Array)[1]).toBeNaN();
  });

  it("takes an inputs object of scalars as one row", () => {
    expect(decode({ inputs: { age: 1, visits: 2, plan: "x" } }, MIXED).rows).toBe(1);
  });

  it("names missing and unknown columns, and drops unknown ones when told to", () => {
    const missing = refused({ dataframe_records: [{ age: 1 }] }, MIXED);
    expect(missing.code).toBe("INVALID_PARAMETER_VALUE");
    expect(missing.message).toBe("The request is missing the columns 'visits', 'plan'. The model takes one column per input: age (float32), visits (int64), plan (string).");
    const extra = refused({ dataframe_records: [{ age: 1, visits: 2, plan: "x", zip: 1, city: "y" }] }, MIXED);
    expect(extra.message).toBe(
      "The request has columns the model does not take: 'zip', 'city'. The model takes one column per input: age (float32), visits (int64), plan (string); remove the others.",
    );
    const body = JSON.stringify({ dataframe_records: [{ age: 1, visits: 2, plan: "x", zip: 1 }] });
    expect(decodeMlflowScoring(body, JSON_TYPE, MIXED, { ignoreExtraColumns: true }).rows).toBe(1);
  });

  it("refuses wrong types naming row and column", () => {
    const cases: [unknown, string][] = [
      [{ age: "old", visits: 1, plan: "a" }, `dataframe_records row 1, column 'age': expected a number, got "old" (the model takes float32 there).`],
      [{ age: 1, visits: 1.5, plan: "a" }, "dataframe_records row 1, column 'visits': expected an integer (int64), got 1.5 (the model takes int64 there)."],
      [{ age: 1, visits: 1e19, plan: "a" }, "dataframe_records row 1, column 'visits': 10000000000000000000 is out of range for int64 (-2^63 to 2^63-1) (the model takes int64 there)."],
      [{ age: 1, visits: null, plan: "a" }, "dataframe_records row 1, column 'visits': null (a missing value) is accepted only for float inputs; this one takes an integer (int64) (the model takes int64 there)."],
      [{ age: 1, visits: 2, plan: 7 }, "dataframe_records row 1, column 'plan': expected a string, got 7 (the model takes string there)."],
      [{ age: 1, plan: "a" }, "dataframe_records row 1 has no value for column 'visits' (input 'visits' takes int64)."],
    ];
    for (const [row, message] of cases) {
      const error = refused({ dataframe_records: [{ age: 1, visits: 1, plan: "a" }, row] }, MIXED);
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toBe(message);
    }
    const csv = refusal(() => decodeMlflowScoring("age,visits,plan\n1,two,a\n", "text/csv", MIXED));
    expect(csv.message).toBe(`CSV row 0, column 'visits': expected an integer (int64), got "two" (the model takes int64 there).`);
  });

  it("refuses inputs lists of unequal length and duplicate columns", () => {
    expect(refused({ inputs: { age: [1, 2], visits: [1], plan: ["a", "b"] } }, MIXED).message).toBe(
      "'inputs' lists must all have one value per row: 'visits' has 1 values but 'age' has 2.",
    );
    expect(refused({ dataframe_split: { columns: ["age", "age", "plan"], data: [[1, 2, "a"]] } }, MIXED).message).toBe(
      "Column 'age' appears twice in the request; name each column once.",
    );
  });
});

describe("decodeMlflowScoring: the request's form", () => {
  it("refuses zero or several input fields and non-objects with BAD_REQUEST, listing the fields", () => {
    for (const body of [{ data: [[1]] }, { instances: [[1]], inputs: [[1]] }, [[1, 2]], {}]) {
      const error = refused(body);
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain("exactly one of the input fields 'dataframe_split', 'dataframe_records', 'instances' or 'inputs'");
    }
    expect(refused({ data: [[1]], params: {} }).message).toContain("Received an object with the fields ['data', 'params']");
    expect(refused([[1, 2]]).message).toContain("Received a list");
  });

  it("refuses malformed JSON and empty bodies with MLflow's BAD_REQUEST", () => {
    const error = refusal(() => decodeMlflowScoring('{"inputs": [[1, 2]', JSON_TYPE, FLOAT20));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^The request body is not valid JSON \(.+\)\. Send a JSON object with exactly one of the input fields/);
    expect(refusal(() => decodeMlflowScoring("", undefined, FLOAT20)).message).toMatch(/^The request body is empty\. Send /);
  });

  it("refuses empty data and more rows than the limit", () => {
    expect(refused({ instances: [] }).message).toBe("The request has no rows to score; send at least one row.");
    expect(refused({ dataframe_split: { columns, data: [] } }).message).toBe("The request has no rows to score; send at least one row.");
    const body = JSON.stringify({ instances: [features(0), features(1), features(2)] });
    const error = refusal(() => decodeMlflowScoring(body, JSON_TYPE, FLOAT20, { maxRows: 2 }));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toContain("The request has 3 rows; this server scores at most 2 rows per request.");
  });

  it("refuses malformed field values with the shape to send", () => {
    expect(refused({ dataframe_split: [[1]] }).message).toContain(`'dataframe_split' must be an object {"columns": [names], "data": [[row values], ...]}`);
    expect(refused({ dataframe_records: { a: 1 } }).message).toContain("'dataframe_records' must be a list of row objects");
    expect(refused({ inputs: 5 }).message).toContain(`'inputs' must be a list of rows or an object {"input name": [one value per row]}`);
  });

  it("takes JSON and CSV only, in UTF-8", () => {
    expect(scoringContentKind(undefined)).toBe("json");
    expect(scoringContentKind("Application/JSON; charset=utf-8")).toBe("json");
    expect(scoringContentKind("text/csv")).toBe("csv");
    expect(scoringContentKind("application/json;")).toBe("json");
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/csv; charset=latin-1", "application/json; format=pandas-split"]) {
      const error = refusal(() => scoringContentKind(type));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain(`Unsupported content type '${type}': /invocations takes application/json or text/csv, in UTF-8`);
    }
  });
});

describe("encodeMlflowPredictions", () => {
  const out = {
    rows: 2,
    outputs: { label: BigInt64Array.from([1n, 0n]), probabilities: Float32Array.from([0.25, 0.75, 0.5, 0.5]) },
  };

  it("answers records, one object per row, with int64 as numbers and wide outputs as lists", () => {
    const body = encodeMlflowPredictions(out, FLOAT20);
    expect(body).toEqual({ predictions: [{ label: 1, probabilities: [0.25, 0.75] }, { label: 0, probabilities: [0.5, 0.5] }] });
    expect(JSON.stringify(body)).toBe('{"predictions":[{"label":1,"probabilities":[0.25,0.75]},{"label":0,"probabilities":[0.5,0.5]}]}');
  });

  it("answers scalars for outputs of one value per row, as MLflow's reshape(-1) does", () => {
    const body = encodeMlflowPredictions({ rows: 2, outputs: { prediction: Float32Array.from([1.5, -2]) } }, MIXED);
    expect(body).toEqual({ predictions: [{ prediction: 1.5 }, { prediction: -2 }] });
  });

  it("answers one list per output for the tensor-signature form", () => {
    expect(encodeMlflowPredictions(out, FLOAT20, { orient: "columns" })).toEqual({
      predictions: { label: [1, 0], probabilities: [[0.25, 0.75], [0.5, 0.5]] },
    });
  });
});
