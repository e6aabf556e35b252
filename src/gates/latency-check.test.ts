import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityModelOnnx, linearModelOnnx, perColumnModelOnnx } from "../../test/support/onnx-models.js";
import type { GateContext } from "./gate-check.js";
import { createLatencyCheck, nearestRank } from "./latency-check.js";

let baseDir = "";
beforeAll(async () => {
  baseDir = await mkdtemp(join(tmpdir(), "keel-latency-"));
});
afterAll(async () => {
  await rm(baseDir, { recursive: true, force: true });
});

function ctx(onnx: Uint8Array | undefined, inputExample?: unknown): GateContext {
  return {
    candidate: { name: "churn", version: "4", metrics: {}, inputExample, loadOnnx: async () => onnx },
    target: "alias production",
    baseDir,
  };
}

const check = (spec: Record<string, unknown>) =>
  createLatencyCheck({ type: "latency", iterations: 20, warmup: 2, ...spec }, "gates.yaml checks[2]");

const linear = linearModelOnnx({ features: 3 });
const split = { columns: ["a", "b", "c"], data: [[1, 2, 3], [4, 5, 6]] };
const generous = { p50_ms: 10_000, p99_ms: 10_000 };

describe("latency check", () => {
  it("times a real model on its split-orient input example and passes generous limits", async () => {
    const result = await check(generous).run(ctx(linear, split));
    expect(result.status).toBe("PASS");
    expect(result.threshold).toBe("p50 <= 10000 ms, p99 <= 10000 ms");
    expect(result.actual).toMatch(/^p50 [\d.e-]+ ms, p99 [\d.e-]+ ms$/);
    expect(result.message).toContain("(20 runs of batch 1)");
  });

  it("fails a limit no model can meet, and warns when within warn_margin_pct", async () => {
    const failed = await check({ p99_ms: 1e-9 }).run(ctx(linear, split));
    expect(failed.status).toBe("FAIL");
    expect(failed.message).toMatch(/^p99 .* ms exceeds 1e-9 ms/);
    const warned = await check({ p99_ms: 1e-9, warn_margin_pct: 1e15 }).run(ctx(linear, split));
    expect(warned.status).toBe("WARN");
    expect(warned.message).toContain("within the 1000000000000000% margin");
  });

  it("reports the stricter outcome of the two limits", async () => {
    const result = await check({ p50_ms: 10_000, p99_ms: 1e-9 }).run(ctx(linear, split));
    expect(result.status).toBe("FAIL");
    expect(result.message).not.toContain("p50");
  });

  it("accepts every input-example form MLflow writes", async () => {
    const forms = [
      { dataframe_split: split },
      [{ a: 1, b: 2, c: 3 }],
      { inputs: [[1, 2, 3]] },
      { inputs: { input: [[1, 2, 3]] } },
      [[1, 2, 3], [4, 5, 6]],
    ];
    for (const example of forms) {
      const result = await check({ ...generous, batch_size: 3 }).run(ctx(linear, example));
      expect(result.status, JSON.stringify(example)).toBe("PASS");
    }
  });

  it("feeds one [batch, 1] tensor per column to a model with one input per column", async () => {
    const model = perColumnModelOnnx(["age", "tenure"]);
    const example = { columns: ["tenure", "age", "extra"], data: [[1, 40, "x"]] };
    expect((await check({ ...generous, batch_size: 4 }).run(ctx(model, example))).status).toBe("PASS");
    const missing = await check(generous).run(ctx(model, { columns: ["age"], data: [[40]] }));
    expect(missing.status).toBe("FAIL");
    expect(missing.message).toBe("the model has inputs age, tenure but the sample data has columns age; no column for 'tenure'");
  });

  it("types feeds from the model's input metadata (string, int64, bool)", async () => {
    const model = identityModelOnnx([
      { name: "plan", type: "string", dims: ["N", 1] },
      { name: "count", type: "int64", dims: ["N", 1] },
      { name: "flag", type: "bool", dims: ["N", 1] },
    ]);
    const example = [{ plan: "pro", count: 3, flag: true }, { plan: "basic", count: 0, flag: false }];
    expect((await check(generous).run(ctx(model, example))).status).toBe("PASS");
    const bad = await check(generous).run(ctx(model, [{ plan: "pro", count: 2.5, flag: true }]));
    expect(bad).toMatchObject({ status: "FAIL", actual: null });
    expect(bad.message).toBe("input 'count' is int64, but row 0 column 'count' of the sample data has 2.5");
  });

  it("fails a non-numeric value for a numeric input instead of crashing", async () => {
    const result = await check(generous).run(ctx(linear, { columns: ["a", "b", "c"], data: [[1, "two", 3]] }));
    expect(result.status).toBe("FAIL");
    expect(result.message).toBe('input \'input\' is float32, but row 0 column \'b\' of the sample data has "two"');
  });

  it("fails a row that has the wrong number of values for the input", async () => {
    const result = await check(generous).run(ctx(linear, { columns: ["a", "b"], data: [[1, 2]] }));
    expect(result.status).toBe("FAIL");
    expect(result.message).toBe("input 'input' (shape [N, 3]) cannot take 2 values per row from the sample data");
  });

  it("refuses a batch size that a fixed batch dimension cannot take", async () => {
    const model = identityModelOnnx([{ name: "x", type: "float32", dims: [1, 2] }]);
    const result = await check({ ...generous, batch_size: 2 }).run(ctx(model, [[1, 2]]));
    expect(result.message).toBe("input 'x' has a fixed batch dimension of 1; set `batch_size: 1`");
  });

  it("reads a CSV dataset relative to the policy's directory", async () => {
    await writeFile(join(baseDir, "sample.csv"), "tenure,age\n1,40\n2,\"30\"\n");
    const model = perColumnModelOnnx(["age", "tenure"]);
    const result = await check({ ...generous, dataset: "sample.csv", batch_size: 2 }).run(ctx(model));
    expect(result.status).toBe("PASS");
    const missing = await check({ ...generous, dataset: "nope.csv" }).run(ctx(model));
    expect(missing.status).toBe("FAIL");
    expect(missing.message).toBe(`dataset 'nope.csv' not found at ${join(baseDir, "nope.csv")}`);
  });

  it("fails without model.onnx, without sample data, and on bytes that are not a model", async () => {
    expect((await check(generous).run(ctx(undefined, split))).message).toBe(
      "the model has no onnx flavor; latency needs model.onnx",
    );
    const noExample = await check(generous).run(ctx(linear));
    expect(noExample.status).toBe("FAIL");
    expect(noExample.message).toContain("has no input example");
    const garbage = await check(generous).run(ctx(Uint8Array.from([1, 2, 3]), split));
    expect(garbage.status).toBe("FAIL");
    expect(garbage.message).toMatch(/^onnxruntime cannot load model.onnx: /);
  });
});

describe("nearestRank", () => {
  it("picks the smallest value with at least p% at or below it", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(values, 50)).toBe(50);
    expect(nearestRank(values, 99)).toBe(99);
    expect(nearestRank([1, 2, 3], 50)).toBe(2);
    expect(nearestRank([1, 2, 3], 99)).toBe(3);
    expect(nearestRank([7], 99)).toBe(7);
  });
});
