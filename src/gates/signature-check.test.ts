import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { ColumnSpec, ModelSignature, TensorSpec } from "../core/model-signature.js";
import { linearModelOnnx, perColumnModelOnnx } from "../../test/support/onnx-models.js";
import type { GateContext, GateSubject } from "./gate-check.js";
import { createSignatureCheck } from "./signature-check.js";
import { diffSignatures } from "./signature-diff.js";

const col = (name: string, type: string, required = true): ColumnSpec => ({ kind: "column", name, type, required });
const tensor = (dtype: string, shape: number[], name?: string): TensorSpec => ({ kind: "tensor", dtype, shape, name });

/** A subject whose signature is derived from a real ONNX model's inputs, as MLflow's would be. */
async function onnxSubject(version: string, bytes: Uint8Array, form: "columns" | "tensors"): Promise<GateSubject> {
  const session = await ort.InferenceSession.create(bytes);
  const signature: ModelSignature = {
    inputs: session.inputMetadata.map((m) =>
      form === "tensors" && m.isTensor
        ? tensor(m.type, m.shape.map((d) => (typeof d === "number" ? d : -1)))
        : col(m.name, "float"),
    ),
    outputs: session.outputNames.map((name) => col(name, "float")),
  };
  await session.release();
  return { name: "churn", version, metrics: {}, signature, loadOnnx: async () => bytes };
}

function subject(version: string, signature?: ModelSignature): GateSubject {
  return { name: "churn", version, metrics: {}, signature, loadOnnx: async () => undefined };
}

const ctx = (candidate: GateSubject, baseline?: GateSubject): GateContext => ({
  candidate,
  baseline,
  target: "alias production",
  baseDir: ".",
});

const check = createSignatureCheck({ type: "signature" }, "gates.yaml checks[3]");

describe("signature check on real models", () => {
  it("passes the same model, and fails a model whose inputs were removed", async () => {
    const v3 = await onnxSubject("3", perColumnModelOnnx(["age", "tenure", "plan"]), "columns");
    const same = await onnxSubject("4", perColumnModelOnnx(["age", "tenure", "plan"]), "columns");
    expect(await check.run(ctx(same, v3))).toMatchObject({ status: "PASS", message: "signature unchanged from v3" });
    const fewer = await onnxSubject("4", perColumnModelOnnx(["tenure"]), "columns");
    const result = await check.run(ctx(fewer, v3));
    expect(result.status).toBe("FAIL");
    expect(result.actual).toBe("input 'age' removed; input 'plan' removed");
    expect(result.message).toBe("2 breaking changes: input 'age' removed; input 'plan' removed");
  });

  it("fails a tensor model whose feature count changed", async () => {
    const v3 = await onnxSubject("3", linearModelOnnx({ features: 4 }), "tensors");
    const v4 = await onnxSubject("4", linearModelOnnx({ features: 5 }), "tensors");
    const result = await check.run(ctx(v4, v3));
    expect(result.status).toBe("FAIL");
    expect(result.actual).toBe("input #0 changed shape [-1, 4] → [-1, 5]");
  });

  it("passes without a baseline or a baseline signature, fails a candidate that lost its signature", async () => {
    const v4 = await onnxSubject("4", linearModelOnnx({ features: 4 }), "tensors");
    expect((await check.run(ctx(v4))).message).toBe("no version holds alias production; nothing to compare");
    expect(await check.run(ctx(v4, subject("3")))).toMatchObject({ status: "PASS", message: "baseline v3 has no signature; nothing to compare" });
    const result = await check.run(ctx(subject("4"), v4));
    expect(result.status).toBe("FAIL");
    expect(result.message).toContain("version 4 has no signature but v4 has one");
  });
});

describe("signature changes", () => {
  const base: ModelSignature = { inputs: [col("age", "integer"), col("plan", "string")], outputs: [col("score", "double")] };

  it("names each breaking change", async () => {
    const candidate: ModelSignature = { inputs: [col("plan", "long"), col("region", "string")], outputs: [] };
    const result = await check.run(ctx(subject("4", candidate), subject("3", base)));
    expect(result.status).toBe("FAIL");
    expect(result.message).toBe(
      "4 breaking changes: input 'age' removed; input 'plan' changed type string → long; " +
        "new required input 'region'; output 'score' removed",
    );
  });

  it("warns on widened types and passes new optional inputs and added outputs", async () => {
    const widened: ModelSignature = { inputs: [col("age", "long"), col("plan", "string")], outputs: base.outputs };
    const warn = await check.run(ctx(subject("4", widened), subject("3", base)));
    expect(warn).toMatchObject({ status: "WARN", actual: "input 'age' widened integer → long" });
    const added: ModelSignature = {
      inputs: [...base.inputs, col("coupon", "string", false)],
      outputs: [...base.outputs, col("label", "long")],
    };
    const pass = await check.run(ctx(subject("4", added), subject("3", base)));
    expect(pass).toMatchObject({ status: "PASS", actual: "new optional input 'coupon'; output 'label' added" });
  });

  it("compares tensors by position: dtype and fixed dimensions break, a relaxed dimension does not", () => {
    const before: ModelSignature = { inputs: [tensor("float32", [-1, 4])], outputs: [tensor("float32", [-1, 1])] };
    expect(diffSignatures(before, { ...before, inputs: [tensor("float64", [-1, 4])] }).breaking).toEqual([
      "input #0 changed dtype float32 → float64",
    ]);
    expect(diffSignatures(before, { ...before, inputs: [tensor("float32", [1, 4])] }).breaking).toEqual([
      "input #0 changed shape [-1, 4] → [1, 4]",
    ]);
    const relaxed = diffSignatures(before, { ...before, inputs: [tensor("float32", [-1, -1])] });
    expect(relaxed.breaking).toEqual([]);
    expect(relaxed.notes).toEqual(["input #0 relaxed shape [-1, 4] → [-1, -1]"]);
    expect(diffSignatures(before, { ...before, inputs: [...before.inputs, tensor("int64", [-1])] }).breaking).toEqual([
      "new required input #1",
    ]);
    expect(diffSignatures(before, { ...before, outputs: [] }).breaking).toEqual(["output #0 removed"]);
  });

  it("treats an optional input becoming required, or columns becoming tensors, as breaking", () => {
    const optional: ModelSignature = { inputs: [col("age", "long", false)], outputs: [] };
    expect(diffSignatures(optional, { inputs: [col("age", "long")], outputs: [] }).breaking).toEqual(["input 'age' became required"]);
    expect(diffSignatures(optional, { inputs: [tensor("float32", [-1, 1])], outputs: [] }).breaking).toEqual([
      "inputs changed from columns to tensors",
    ]);
  });
});
