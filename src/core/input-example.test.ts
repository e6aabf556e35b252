import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { inputExampleJson, parseInputExample } from "./input-example.js";
import type { ModelSignature } from "./model-signature.js";

const DATAFRAME_INFO = { artifact_path: "input_example.json", type: "dataframe", pandas_orient: "split" };
const NDARRAY_INFO = { artifact_path: "input_example.json", type: "ndarray", format: "tf-serving" };

const CHURN: ModelSignature = {
  inputs: [
    { kind: "column", name: "tenure", type: "long", required: true },
    { kind: "column", name: "charges", type: "double", required: true },
    { kind: "column", name: "plan", type: "string", required: false },
  ],
  outputs: [{ kind: "column", type: "long", required: true }],
};

describe("inputExampleJson: data frames", () => {
  it("writes records in pandas' split orient, as MLflow 2.x does", () => {
    const { json, info } = inputExampleJson([
      { tenure: 12, charges: 70.5, plan: "pro" },
      { tenure: 3, charges: 20, plan: null },
    ]);
    expect(json).toBe('{"columns": ["tenure", "charges", "plan"], "data": [[12, 70.5, "pro"], [3, 20, null]]}');
    expect(info).toEqual(DATAFRAME_INFO);
  });

  it("writes a float column's integral values as Python floats when the signature says so", () => {
    const { json } = inputExampleJson({ tenure: [12, 3], charges: [70, 20.25], plan: ["pro", "basic"] }, CHURN);
    expect(json).toBe(
      '{"columns": ["tenure", "charges", "plan"], "data": [[12, 70.0, "pro"], [3, 20.25, "basic"]]}',
    );
  });

  it("accepts {columns, data}, one record, and a list of scalars (unnamed columns)", () => {
    expect(inputExampleJson({ columns: ["a", "b"], data: [[1, "x"]] }).json).toBe(
      '{"columns": ["a", "b"], "data": [[1, "x"]]}',
    );
    expect(inputExampleJson({ a: 1, b: "é" }).json).toBe('{"columns": ["a", "b"], "data": [[1, "\\u00e9"]]}');
    expect(inputExampleJson([1, 2.5, "x"]).json).toBe('{"data": [[1, 2.5, "x"]]}');
  });

  it("fills a column missing from some records with null, and writes NaN as null as MLflow does", () => {
    expect(inputExampleJson([{ a: 1 }, { b: NaN }]).json).toBe('{"columns": ["a", "b"], "data": [[1, null], [null, null]]}');
  });

  it("explains what is wrong with an example", () => {
    expect(refusal(() => inputExampleJson([])).message).toContain("an input example cannot be empty");
    expect(refusal(() => inputExampleJson("text")).message).toContain("unsupported input example (string)");
    expect(refusal(() => inputExampleJson([{ a: 1 }, 2])).message).toContain(
      "an input example list must hold only records or only scalars",
    );
    expect(refusal(() => inputExampleJson({ a: [1, 2], b: [3] })).message).toBe(
      "input example columns must all hold the same, non-zero number of values",
    );
    expect(refusal(() => inputExampleJson({ columns: ["a", "b"], data: [[1]] })).message).toBe(
      "input example data row 0 must be a list of 2 values",
    );
    expect(refusal(() => inputExampleJson([{ tenure: 1, plan: "pro" }], CHURN)).message).toBe(
      "the input example lacks required signature column(s): charges",
    );
    expect(refusal(() => inputExampleJson([{ a: { nested: 1 } }])).message).toContain("input example values must be scalars");
  });
});

describe("inputExampleJson: tensors", () => {
  it("writes number[][] in TF-serving form", () => {
    const { json, info } = inputExampleJson([
      [5.1, 3.5, 1.4, 0.2],
      [6.2, 2.9, 4.3, 1.3],
    ]);
    expect(json).toBe('{"inputs": [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3]]}');
    expect(info).toEqual(NDARRAY_INFO);
  });

  it("uses the signature's dtypes for floats and names", () => {
    const sig: ModelSignature = {
      inputs: [
        { kind: "tensor", name: "float_input", dtype: "float32", shape: [-1, 2] },
        { kind: "tensor", name: "ids", dtype: "int64", shape: [-1] },
      ],
      outputs: [],
    };
    expect(inputExampleJson({ float_input: [[1, 2]], ids: [7] }, sig).json).toBe(
      '{"inputs": {"float_input": [[1.0, 2.0]], "ids": [7]}}',
    );
    expect(refusal(() => inputExampleJson({ other: [[1]] }, sig)).message).toBe(
      "the input example has a tensor 'other' that the signature does not declare",
    );
    const single: ModelSignature = { inputs: [{ kind: "tensor", dtype: "float64", shape: [-1] }], outputs: [] };
    expect(inputExampleJson([1, 2], single).json).toBe('{"inputs": [1.0, 2.0]}');
  });
});

describe("parseInputExample", () => {
  it("reads back what inputExampleJson writes", () => {
    const { json } = inputExampleJson([{ a: 1, b: "x" }]);
    expect(parseInputExample(json)).toEqual({ columns: ["a", "b"], data: [[1, "x"]] });
  });

  it("accepts Python's NaN and Infinity but not inside strings", () => {
    expect(parseInputExample('{"inputs": [NaN, Infinity, -Infinity, "NaN"]}')).toEqual({
      inputs: [NaN, Infinity, -Infinity, "NaN"],
    });
  });

  it("refuses text that is not JSON", () => {
    expect(refusal(() => parseInputExample("{columns: [}")).message).toMatch(/^input_example.json is not valid JSON: /);
  });
});

describe("a split-orient data frame for a tensor model", () => {
  it("stays a data frame: the rows feed the model's one [N, C] input", () => {
    const signature = { inputs: [{ kind: "tensor" as const, name: "features", dtype: "float32", shape: [-1, 2] }], outputs: [] };
    const { json, info } = inputExampleJson({ columns: ["a", "b"], data: [[1, 2.5]] }, signature);
    expect(JSON.parse(json)).toEqual({ columns: ["a", "b"], data: [[1, 2.5]] });
    expect(info.type).toBe("dataframe");
  });
});
