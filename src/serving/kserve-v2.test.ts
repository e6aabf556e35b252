import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { decodeV2Infer, encodeV2Infer, v2ErrorBody, v2ModelMetadata } from "./kserve-v2.js";
import { FLOAT20, MIXED as MIXED_COLUMNS } from "./fixtures/model-interfaces.js";
import type { ModelInterface, OutputBatch } from "./types.js";

/** The columns of MIXED_COLUMNS and a bool one, with a float64 output. */
const MIXED: ModelInterface = {
  inputs: [...MIXED_COLUMNS.inputs, { name: "active", type: "bool", rowShape: [] }],
  outputs: [{ name: "prediction", type: "float64", rowShape: [1] }],
};

const values = (n: number): number[] => Array.from({ length: n }, (_, i) => i / 4);
const decode = (body: unknown, model: ModelInterface = FLOAT20) => decodeV2Infer(JSON.stringify(body), model);
const refused = (body: unknown, model: ModelInterface = FLOAT20) => refusal(() => decode(body, model));
const tensor = (data: unknown, shape: number[] = [2, 20], datatype = "FP32", name = "input") => ({ name, shape, datatype, data });

describe("decodeV2Infer", () => {
  it("reads flat and nested FP32 or FP64 data, the id and the requested outputs", () => {
    const flat = decode({ id: "r-1", inputs: [tensor(values(40))], outputs: [{ name: "probabilities" }] });
    expect(flat.id).toBe("r-1");
    expect(flat.requestedOutputs).toEqual(["probabilities"]);
    expect(flat.batch.rows).toBe(2);
    expect(flat.batch.inputs.input).toEqual(Float32Array.from(values(40)));
    const nested = decode({ inputs: [tensor([values(40).slice(0, 20), values(40).slice(20)], [2, 20], "FP64")], parameters: { a: 1 } });
    expect(nested.batch.inputs.input).toEqual(Float32Array.from(values(40)));
    expect(nested.id).toBeUndefined();
    expect(nested.requestedOutputs).toBeUndefined();
    expect(decode({ inputs: [tensor(values(20).map(Math.round), [1, 20], "INT64")] }).batch.rows).toBe(1);
  });

  it("reads one input per column with INT64, BYTES and BOOL data; [N] is taken for a [N, 1] input", () => {
    const { batch } = decode(
      {
        inputs: [
          tensor([[31.5], [40]], [2, 1], "FP32", "age"),
          tensor([3, 4], [2], "INT64", "visits"),
          tensor(["gold", "free"], [2, 1], "BYTES", "plan"),
          tensor([true, false], [2], "BOOL", "active"),
        ],
      },
      MIXED,
    );
    expect(batch.rows).toBe(2);
    expect(batch.inputs).toEqual({
      age: Float32Array.from([31.5, 40]),
      visits: BigInt64Array.from([3n, 4n]),
      plan: ["gold", "free"],
      active: Uint8Array.from([1, 0]),
    });
  });

  it("refuses unknown, duplicate and missing inputs, naming the model's", () => {
    expect(refused({ inputs: [tensor(values(40), [2, 20], "FP32", "x")] }).message).toBe("Unknown input 'x'; the model's inputs are input (FP32 [-1, 20]).");
    expect(refused({ inputs: [tensor(values(40)), tensor(values(40))] }).message).toBe("Input 'input' appears twice in 'inputs'; send each input once.");
    expect(refused({ inputs: [tensor([1], [1, 1], "FP32", "age")] }, MIXED).message).toBe(
      "The request is missing the inputs 'visits', 'plan', 'active'; the model's inputs are age (FP32 [-1, 1]), visits (INT64 [-1, 1]), plan (BYTES [-1, 1]), active (BOOL [-1]).",
    );
  });

  it("refuses shapes that do not fit, data of the wrong length and unequal batch sizes", () => {
    expect(refused({ inputs: [tensor(values(38), [2, 19])] }).message).toBe("Input 'input' has shape [2, 19], but the model takes [-1, 20] (the first dimension is the batch).");
    expect(refused({ inputs: [tensor(values(39))] }).message).toBe("Input 'input' has 39 values, but its shape [2, 20] needs 40.");
    expect(refused({ inputs: [tensor(values(41))] }).message).toBe("Input 'input' has 41 values, but its shape [2, 20] needs 40.");
    expect(refused({ inputs: [tensor(values(40), [2, -20])] }).message).toContain("needs 'shape', a list of non-negative integers such as [-1, 20]");
    const uneven = refused({ inputs: [tensor([1, 2], [2, 1], "FP32", "age"), tensor([3], [1, 1], "INT64", "visits")] }, MIXED);
    expect(uneven.message).toBe("Input 'visits' has batch size 1 but 'age' has 2; shape[0] is the batch dimension and must be the same for every input.");
    expect(refused({ inputs: [tensor([], [0, 20])] }).message).toBe("The request has no rows to score; send at least one row.");
    const open: ModelInterface = { inputs: [{ name: "tokens", type: "int64", rowShape: [-1] }], outputs: [] };
    expect(decode({ inputs: [tensor([1, 2], [2, 1], "INT64", "tokens")] }, open).batch.rows).toBe(2);
    expect(refused({ inputs: [tensor([1, 2, 3, 4], [1, 4], "INT64", "tokens")] }, open).message).toBe(
      "Input 'tokens' has shape [1, 4]; Keel batches rows of a fixed size and serves the open dimensions of [-1, -1] (after the batch) at size 1.",
    );
  });

  it("refuses FP16, unknown datatypes and datatypes that cannot feed the input", () => {
    expect(refused({ inputs: [tensor(values(40), [2, 20], "FP16")] }).message).toBe("Input 'input': datatype FP16 is not supported; send the values as FP32.");
    expect(refused({ inputs: [tensor(values(40), [2, 20], "FLOAT")] }).message).toBe(
      `Input 'input' has datatype "FLOAT"; V2 datatypes are BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FP16, FP32, FP64, BYTES.`,
    );
    const body = { inputs: [tensor([1], [1, 1], "FP32", "age"), tensor([1.5], [1, 1], "FP64", "visits"), tensor(["a"], [1, 1], "BYTES", "plan"), tensor([true], [1], "BOOL", "active")] };
    expect(refused(body, MIXED).message).toBe(
      "Input 'visits' is INT64; datatype FP64 cannot feed it. Send INT8 or INT16 or INT32 or INT64 or UINT8 or UINT16 or UINT32 or UINT64.",
    );
  });

  it("refuses bad values, naming the input and position", () => {
    const data = values(40) as unknown[];
    data[33] = "x";
    expect(refused({ inputs: [tensor(data)] }).message).toBe(`Input 'input', value 33: expected a number, got "x".`);
    const body = { inputs: [tensor([1], [1, 1], "FP32", "age"), tensor([300], [1, 1], "UINT8", "visits"), tensor([1], [1, 1], "BYTES", "plan"), tensor([true], [1], "BOOL", "active")] };
    expect(refused(body, MIXED).message).toBe("Input 'plan', value 0: expected a string, got 1.");
  });

  it("refuses malformed bodies, ids and outputs", () => {
    const malformed = refusal(() => decodeV2Infer("{", FLOAT20));
    expect(malformed.code).toBe("MALFORMED_REQUEST");
    expect(malformed.message).toMatch(/^The request body is not valid JSON/);
    expect(refused({ inputs: [] }).message).toContain(`An inference request must be a JSON object {"inputs": [{"name": ..., "shape": [...], "datatype": ..., "data": [...]}]}`);
    expect(refused({ id: 7, inputs: [tensor(values(40))] }).message).toBe("'id' must be a string; got 7.");
    expect(refused({ inputs: [tensor(values(40))], outputs: [{ name: "score" }] }).message).toBe("Unknown outputs 'score'; the model's outputs are label, probabilities.");
    expect(refused({ inputs: [tensor(values(40))], outputs: ["label"] }).message).toContain("'outputs' must be a list of objects {\"name\": ...}");
  });

  it("refuses more rows than the limit", () => {
    const error = refusal(() => decodeV2Infer(JSON.stringify({ inputs: [tensor(values(60), [3, 20])] }), FLOAT20, { maxRows: 2 }));
    expect(error.message).toContain("The request has 3 rows; this server scores at most 2 rows per request.");
  });
});

describe("encodeV2Infer", () => {
  const out: OutputBatch = { rows: 2, outputs: { label: BigInt64Array.from([1n, 0n]), probabilities: Float32Array.from([0.25, 0.75, 0.5, 0.5]) } };

  it("answers every output flat with its datatype and full shape", () => {
    expect(encodeV2Infer(out, FLOAT20, { modelName: "churn", modelVersion: "3", id: "r-1" })).toEqual({
      model_name: "churn",
      model_version: "3",
      id: "r-1",
      outputs: [
        { name: "label", datatype: "INT64", shape: [2], data: [1, 0] },
        { name: "probabilities", datatype: "FP32", shape: [2, 2], data: [0.25, 0.75, 0.5, 0.5] },
      ],
    });
  });

  it("answers only the requested outputs, in the request's order, and leaves out what is not given", () => {
    const body = encodeV2Infer(out, FLOAT20, { modelName: "churn", requestedOutputs: ["probabilities"] });
    expect(body).toEqual({ model_name: "churn", outputs: [{ name: "probabilities", datatype: "FP32", shape: [2, 2], data: [0.25, 0.75, 0.5, 0.5] }] });
  });

  it("round-trips: a decoded request's rows come back with the shape and order they were sent in", () => {
    const request = decode({ id: "abc", inputs: [tensor(values(40))], outputs: [{ name: "label" }] });
    const echo: ModelInterface = { inputs: FLOAT20.inputs, outputs: [{ name: "input", type: "float32", rowShape: [20] }] };
    const answer = encodeV2Infer({ rows: request.batch.rows, outputs: request.batch.inputs }, echo, { modelName: "echo", id: request.id });
    expect(answer).toEqual({ model_name: "echo", id: "abc", outputs: [{ name: "input", datatype: "FP32", shape: [2, 20], data: values(40) }] });
    const bools: ModelInterface = { inputs: [], outputs: [{ name: "flag", type: "bool", rowShape: [] }, { name: "tag", type: "string", rowShape: [-1] }] };
    const mixed = encodeV2Infer({ rows: 2, outputs: { flag: Uint8Array.from([1, 0]), tag: ["a", "b", "c", "d"] } }, bools, { modelName: "m" });
    expect(mixed.outputs).toEqual([
      { name: "flag", datatype: "BOOL", shape: [2], data: [true, false] },
      { name: "tag", datatype: "BYTES", shape: [2, 2], data: ["a", "b", "c", "d"] },
    ]);
  });
});

describe("v2ModelMetadata and v2ErrorBody", () => {
  it("describes the model's tensors with -1 for the batch dimension", () => {
    expect(v2ModelMetadata(MIXED, { name: "churn", versions: ["3", "4"], platform: "onnxruntime_onnx" })).toEqual({
      name: "churn",
      versions: ["3", "4"],
      platform: "onnxruntime_onnx",
      inputs: [
        { name: "age", datatype: "FP32", shape: [-1, 1] },
        { name: "visits", datatype: "INT64", shape: [-1, 1] },
        { name: "plan", datatype: "BYTES", shape: [-1, 1] },
        { name: "active", datatype: "BOOL", shape: [-1] },
      ],
      outputs: [{ name: "prediction", datatype: "FP64", shape: [-1, 1] }],
    });
  });

  it("answers errors as {error}", () => {
    expect(v2ErrorBody("Unknown input 'x'")).toEqual({ error: "Unknown input 'x'" });
  });
});
