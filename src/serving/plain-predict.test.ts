import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { decodePlainPredict, encodePlainPredict } from "./plain-predict.js";
import { FLOAT20, MIXED } from "./fixtures/model-interfaces.js";
import type { ModelInterface } from "./types.js";


const features = (row: number): number[] => Array.from({ length: 20 }, (_, j) => row + j / 8);
const decode = (body: unknown, model: ModelInterface = FLOAT20) => decodePlainPredict(JSON.stringify(body), model);
const refused = (body: unknown, model: ModelInterface = FLOAT20) => refusal(() => decode(body, model));

describe("decodePlainPredict", () => {
  it("reads the reference app's {features} as one row", () => {
    const batch = decode({ features: features(0) });
    expect(batch).toEqual({ rows: 1, inputs: { input: Float32Array.from(features(0)) }, single: true });
  });

  it("reads {instances} as several rows", () => {
    const batch = decode({ instances: [features(0), features(1)] });
    expect(batch.single).toBe(false);
    expect(batch.rows).toBe(2);
    expect(batch.inputs.input).toEqual(Float32Array.from([...features(0), ...features(1)]));
  });

  it("feeds a model with one input per column in declared order", () => {
    expect(decode({ features: [31.5, 3, "gold"] }, MIXED).inputs).toEqual({
      age: Float32Array.from([31.5]),
      visits: BigInt64Array.from([3n]),
      plan: ["gold"],
    });
    expect(refused({ features: [31.5, "gold", 3] }, MIXED).message).toBe("features, value 1 (input 'visits', int64): expected an integer (int64), got \"gold\".");
  });

  it("refuses rows of the wrong length and values of the wrong type", () => {
    expect(refused({ features: features(0).slice(1) }).message).toBe("features has 19 values; the model's input 'input' takes 20 per row (row shape [20]).");
    expect(refused({ instances: [features(0), [...features(1), 1]] }).message).toBe(
      "instances[1] has 21 values; the model's input 'input' takes 20 per row (row shape [20]).",
    );
    const row: unknown[] = features(0);
    row[2] = "x";
    expect(refused({ features: row }).message).toBe(`features, value 2: expected a number, got "x" (input 'input' is float32).`);
  });

  it("refuses bodies without exactly one of features and instances, saying what to send", () => {
    const shape = `Send {"features": [values of one row]} or {"instances": [[values of a row], ...]}`;
    expect(refused({ data: [1] }).message).toBe(`${shape}; got {"data":[1]}.`);
    expect(refused({ features: [1], instances: [[1]] }).message).toBe(`${shape}; got both 'features' and 'instances'.`);
    expect(refused([1, 2]).message).toContain(`${shape}; got [1,2].`);
    expect(refused({ x: 1 }, MIXED).message).toContain("The model takes one value per input, in this order: age (float32), visits (int64), plan (string).");
    expect(refused({ features: 3 }).message).toBe("'features' must be a list of the row's values; got 3.");
    expect(refused({ instances: {} }).message).toBe("'instances' must be a list of rows, each a list of values; got {}.");
    const malformed = refusal(() => decodePlainPredict("{features: [1]}", FLOAT20));
    expect(malformed.code).toBe("MALFORMED_REQUEST");
  });

  it("refuses empty and oversized instances", () => {
    expect(refused({ instances: [] }).message).toBe("The request has no rows to score; send at least one row.");
    const error = refusal(() => decodePlainPredict(JSON.stringify({ instances: [features(0), features(1)] }), FLOAT20, { maxRows: 1 }));
    expect(error.message).toContain("The request has 2 rows; this server scores at most 1 rows per request.");
  });
});

describe("encodePlainPredict", () => {
  const out = { rows: 2, outputs: { label: BigInt64Array.from([1n, 0n]), probabilities: Float32Array.from([0.25, 0.75, 0.5, 0.5]) } };

  it("answers the reference's {prediction, probability} for one row, probability being the predicted class's", () => {
    const one = { rows: 1, outputs: { label: BigInt64Array.from([1n]), probabilities: Float32Array.from([0.25, 0.75]) } };
    const body = encodePlainPredict(one, FLOAT20, true, { modelVersion: "3" });
    expect(body).toEqual({ prediction: 1, probability: 0.75, model_version: "3" });
    expect(JSON.stringify(body)).toBe('{"prediction":1,"probability":0.75,"model_version":"3"}');
  });

  it("answers several rows under predictions", () => {
    expect(encodePlainPredict(out, FLOAT20, false, { modelVersion: "3" })).toEqual({
      predictions: [
        { prediction: 1, probability: 0.75 },
        { prediction: 0, probability: 0.5 },
      ],
      model_version: "3",
    });
  });

  it("maps class indexes to the class labels when given", () => {
    const body = encodePlainPredict(out, FLOAT20, false, { modelVersion: "3", classes: ["stay", "churn"] });
    expect(body).toEqual({ predictions: [{ prediction: "churn", probability: 0.75 }, { prediction: "stay", probability: 0.5 }], model_version: "3" });
  });

  it("answers a regression's value as the prediction", () => {
    const body = encodePlainPredict({ rows: 1, outputs: { prediction: Float32Array.from([2.5]) } }, MIXED, true, { modelVersion: "7" });
    expect(body).toEqual({ prediction: 2.5, model_version: "7" });
  });
});
