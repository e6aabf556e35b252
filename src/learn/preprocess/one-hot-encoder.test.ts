import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitOneHotEncoder, oneHotEncoderFromJson } from "./one-hot-encoder.js";

// scikit-learn 1.2.1's OneHotEncoder(handle_unknown="ignore") on the same data; see the fixture's madeBy.
type Values = (string | null)[];
const fixture = JSON.parse(readFileSync(new URL("./fixtures/preprocess-sklearn.json", import.meta.url), "utf8")) as {
  oneHot: {
    train: { color: Values; size: Values };
    new: { color: Values; size: Values };
    categories: { color: Values; size: Values };
    featureNames: string[];
    transform: { rows: number; cols: number; data: number[] };
  };
};
const { oneHot } = fixture;

describe("fitOneHotEncoder against scikit-learn", () => {
  const color = fitOneHotEncoder("color", oneHot.train.color);
  const size = fitOneHotEncoder("size", oneHot.train.size);

  it("sorts categories as scikit-learn does, missing last", () => {
    expect(color.categories).toEqual(oneHot.categories.color);
    expect(size.categories).toEqual(oneHot.categories.size);
    expect([...color.featureNames, ...size.featureNames]).toEqual(oneHot.featureNames);
  });

  it("encodes unseen categories (and missing, when training had none) as all zeros", () => {
    const a = color.transform(oneHot.new.color);
    const b = size.transform(oneHot.new.size);
    const rows: number[] = [];
    for (let r = 0; r < a.rows; r++) {
      rows.push(...a.data.subarray(r * a.cols, (r + 1) * a.cols), ...b.data.subarray(r * b.cols, (r + 1) * b.cols));
    }
    expect(rows).toEqual(oneHot.transform.data);
  });

  it("takes the empty string for missing, as the ONNX model must", () => {
    expect(Array.from(color.transform([""]).data)).toEqual(Array.from(color.transform([null]).data));
  });

  it("refuses unseen categories when asked to", () => {
    const strict = fitOneHotEncoder("size", ["S", "M"], { handleUnknown: "error" });
    expect(() => strict.transform(["XL"])).toThrow("column 'size' holds 'XL' (row 0), a category not seen in training");
  });

  it("survives a JSON round trip", () => {
    const again = oneHotEncoderFromJson(JSON.parse(JSON.stringify(color.toJson())));
    expect(again.transform(oneHot.new.color)).toEqual(color.transform(oneHot.new.color));
  });
});
