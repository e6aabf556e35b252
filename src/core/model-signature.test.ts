import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { parseSignature, signatureToMlmodel } from "./model-signature.js";
import type { ModelSignature } from "./model-signature.js";

// Expected JSON texts are what MLflow's ModelSignature.to_dict() produces (json.dumps of the spec dicts).
describe("signatureToMlmodel", () => {
  it("writes column specs in MLflow's key order and spacing", () => {
    const sig: ModelSignature = {
      inputs: [
        { kind: "column", name: "age", type: "double", required: true },
        { kind: "column", name: "plan", type: "string", required: false },
      ],
      outputs: [{ kind: "column", type: "long", required: true }],
    };
    expect(signatureToMlmodel(sig)).toEqual({
      inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "string", "name": "plan", "required": false}]',
      outputs: '[{"type": "long", "required": true}]',
      params: null,
    });
  });

  it("writes tensor specs with the name first when named", () => {
    const sig: ModelSignature = {
      inputs: [{ kind: "tensor", dtype: "float32", shape: [-1, 4] }],
      outputs: [{ kind: "tensor", name: "probabilities", dtype: "float32", shape: [-1, 3] }],
    };
    expect(signatureToMlmodel(sig)).toEqual({
      inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]',
      outputs: '[{"name": "probabilities", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]',
      params: null,
    });
  });

  it("writes params, with float defaults as Python floats, and null for empty parts", () => {
    const sig: ModelSignature = {
      inputs: [{ kind: "column", name: "text", type: "string", required: true }],
      outputs: [],
      params: [
        { name: "temperature", type: "float", default: 1, shape: null },
        { name: "top_k", type: "long", default: 5, shape: null },
        { name: "stops", type: "string", default: ["a", "b"], shape: [-1] },
      ],
    };
    const block = signatureToMlmodel(sig);
    expect(block.outputs).toBeNull();
    expect(block.params).toBe(
      '[{"name": "temperature", "type": "float", "default": 1.0, "shape": null}, ' +
        '{"name": "top_k", "type": "long", "default": 5, "shape": null}, ' +
        '{"name": "stops", "type": "string", "default": ["a", "b"], "shape": [-1]}]',
    );
  });

  it("writes a column read with unmodelled fields back from raw, unchanged", () => {
    const inputs = '[{"type": "array", "items": {"type": "double"}, "name": "scores", "required": true}]';
    const sig = parseSignature({ inputs, outputs: null });
    expect(sig.inputs[0]).toMatchObject({ kind: "column", type: "array", name: "scores", required: true });
    expect(signatureToMlmodel(sig).inputs).toBe(inputs);
  });

  it("refuses what MLflow would refuse to read", () => {
    const mixed: ModelSignature = {
      inputs: [
        { kind: "column", name: "a", type: "double", required: true },
        { kind: "tensor", name: "b", dtype: "float32", shape: [-1] },
      ],
      outputs: [],
    };
    expect(refusal(() => signatureToMlmodel(mixed)).message).toBe(
      "signature inputs mixes column and tensor specs; MLflow allows one kind per schema",
    );
    const partlyNamed: ModelSignature = {
      inputs: [
        { kind: "column", name: "a", type: "double", required: true },
        { kind: "column", type: "double", required: true },
      ],
      outputs: [],
    };
    expect(refusal(() => signatureToMlmodel(partlyNamed)).message).toContain("mixes named and unnamed specs");
    expect(refusal(() => signatureToMlmodel({ inputs: [], outputs: [] })).message).toContain("needs inputs or outputs");
    const complex: ModelSignature = { inputs: [{ kind: "column", name: "a", type: "array", required: true }], outputs: [] };
    expect(refusal(() => signatureToMlmodel(complex)).message).toContain("column type 'array' needs its full MLflow definition");
  });
});

describe("parseSignature", () => {
  it("reads the JSON strings of an MLmodel signature block", () => {
    const sig = parseSignature({
      inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "string", "name": "plan", "required": false}]',
      outputs: '[{"name": "label", "type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]',
      params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]',
    });
    expect(sig).toEqual({
      inputs: [
        { kind: "column", name: "age", type: "double", required: true },
        { kind: "column", name: "plan", type: "string", required: false },
      ],
      outputs: [{ kind: "tensor", name: "label", dtype: "int64", shape: [-1] }],
      params: [{ name: "threshold", type: "double", default: 0.5, shape: null }],
    });
  });

  it("accepts already-parsed lists, null parts, and MLflow 2.6-2.9's 'optional' and pre-2.10 missing 'required'", () => {
    const sig = parseSignature({
      inputs: [{ type: "long", name: "n" }, { type: "double", name: "x", optional: true }],
      outputs: null,
      params: null,
    });
    expect(sig.inputs[0]).toEqual({ kind: "column", name: "n", type: "long", required: true });
    expect(sig.inputs[1]).toMatchObject({ kind: "column", name: "x", type: "double", required: false });
    expect(sig.outputs).toEqual([]);
    expect(sig.params).toBeUndefined();
  });

  it("round-trips through signatureToMlmodel", () => {
    const block = {
      inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 28, 28]}}]',
      outputs: '[{"type": "double", "required": true}]',
      params: null,
    };
    expect(signatureToMlmodel(parseSignature(block))).toEqual(block);
  });

  it("explains what is wrong with a bad block", () => {
    expect(refusal(() => parseSignature("inputs")).message).toBe(
      'a model signature must be a mapping with inputs and outputs, got the string "inputs"',
    );
    expect(refusal(() => parseSignature({ inputs: "[{" })).message).toMatch(/^signature inputs is not valid JSON: /);
    expect(refusal(() => parseSignature({ inputs: null, outputs: "[]" })).message).toBe(
      "a model signature needs inputs or outputs; leave the signature out instead",
    );
    expect(refusal(() => parseSignature({ inputs: '{"type": "double"}' })).message).toBe(
      "signature inputs must be a JSON list of specs, got an object",
    );
    expect(refusal(() => parseSignature({ inputs: '[{"name": "a"}]' })).message).toBe(
      'signature inputs[0] needs a "type" string (a column type or "tensor")',
    );
    expect(refusal(() => parseSignature({ outputs: '[{"type": "tensor"}]' })).message).toContain(
      'signature outputs[0] is a tensor but lacks "tensor-spec"',
    );
    expect(
      refusal(() => parseSignature({ inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1.5]}}]' }))
        .message,
    ).toBe("signature inputs[0] shape holds number 1.5; dimensions are integers, -1 for any size");
    expect(refusal(() => parseSignature({ inputs: '[{"type": "double", "name": 3}]' })).message).toBe(
      "signature inputs[0].name must be a string, got number 3",
    );
    expect(refusal(() => parseSignature({ inputs: '[{"type": "string"}]', params: '[{"name": "a"}]' })).message).toContain(
      'signature params[0] needs "name" and "type" strings',
    );
  });
});
