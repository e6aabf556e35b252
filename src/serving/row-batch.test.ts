import { describe, expect, it } from "vitest";
import { KeelError } from "../core/errors.js";
import { concatBatches, sliceOutputs } from "./row-batch.js";
import type { OutputBatch, RowBatch } from "./types.js";

const SIZES = { features: 3, plan: 1, count: 1 };

function request(rows: number, base: number): RowBatch {
  const features = new Float32Array(rows * 3);
  for (let i = 0; i < features.length; i += 1) features[i] = base + i;
  return {
    rows,
    inputs: {
      features,
      plan: Array.from({ length: rows }, (_, i) => `plan-${base + i}`),
      count: BigInt64Array.from({ length: rows }, (_, i) => BigInt(base + i)),
    },
  };
}

describe("concatBatches", () => {
  it("joins mixed-type inputs of several requests in order, keeping each input's type", () => {
    const joined = concatBatches([request(2, 0), request(1, 100), request(3, 200)], SIZES);
    expect(joined.rows).toBe(6);
    expect(joined.inputs.features).toBeInstanceOf(Float32Array);
    expect(Array.from(joined.inputs.features as Float32Array)).toEqual([
      0, 1, 2, 3, 4, 5, 100, 101, 102, 200, 201, 202, 203, 204, 205, 206, 207, 208,
    ]);
    expect(joined.inputs.plan).toEqual(["plan-0", "plan-1", "plan-100", "plan-200", "plan-201", "plan-202"]);
    expect(joined.inputs.count).toBeInstanceOf(BigInt64Array);
    expect(Array.from(joined.inputs.count as BigInt64Array)).toEqual([0n, 1n, 100n, 200n, 201n, 202n]);
  });

  it("copies, so the callers' arrays are left untouched by later writes to the batch", () => {
    const first = request(1, 0);
    const joined = concatBatches([first, request(1, 10)], SIZES);
    (joined.inputs.features as Float32Array)[0] = 99;
    expect((first.inputs.features as Float32Array)[0]).toBe(0);
  });

  it("handles bool (Uint8Array), uint64 and float64 inputs, and a request of zero rows", () => {
    const a: RowBatch = { rows: 2, inputs: { flag: new Uint8Array([1, 0]), id: new BigUint64Array([1n, 2n]), w: new Float64Array([0.5, 1.5]) } };
    const empty: RowBatch = { rows: 0, inputs: { flag: new Uint8Array(0), id: new BigUint64Array(0), w: new Float64Array(0) } };
    const b: RowBatch = { rows: 1, inputs: { flag: new Uint8Array([1]), id: new BigUint64Array([3n]), w: new Float64Array([2.5]) } };
    const joined = concatBatches([a, empty, b], { flag: 1, id: 1, w: 1 });
    expect(joined.rows).toBe(3);
    expect(Array.from(joined.inputs.flag as Uint8Array)).toEqual([1, 0, 1]);
    expect(Array.from(joined.inputs.id as BigUint64Array)).toEqual([1n, 2n, 3n]);
    expect(Array.from(joined.inputs.w as Float64Array)).toEqual([0.5, 1.5, 2.5]);
  });

  it("takes values per row from the data when an input has no given row size", () => {
    const joined = concatBatches(
      [{ rows: 1, inputs: { v: new Int32Array([1, 2]) } }, { rows: 2, inputs: { v: new Int32Array([3, 4, 5, 6]) } }],
      {},
    );
    expect(Array.from(joined.inputs.v as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("returns the one request's own arrays without copying, and an empty batch for no requests", () => {
    const only = request(2, 0);
    expect(concatBatches([only], SIZES).inputs.features).toBe(only.inputs.features);
    expect(concatBatches([], SIZES)).toEqual({ rows: 0, inputs: {} });
  });

  it("refuses requests whose input types, input names or lengths disagree", () => {
    const f32: RowBatch = { rows: 1, inputs: { x: new Float32Array([1]) } };
    const f64: RowBatch = { rows: 1, inputs: { x: new Float64Array([1]) } };
    const strings: RowBatch = { rows: 1, inputs: { x: ["a"] } };
    const other: RowBatch = { rows: 1, inputs: { y: new Float32Array([1]) } };
    const short: RowBatch = { rows: 2, inputs: { x: new Float32Array([1]) } };
    expect(() => concatBatches([f32, f64], { x: 1 })).toThrow(/Float32Array in one request and Float64Array/);
    expect(() => concatBatches([f32, strings], { x: 1 })).toThrow(KeelError);
    expect(() => concatBatches([f32, other], { x: 1 })).toThrow(/different inputs/);
    expect(() => concatBatches([f32, short], { x: 1 })).toThrow(/1 values for 2 rows/);
  });
});

describe("sliceOutputs", () => {
  const out: OutputBatch = {
    rows: 4,
    outputs: {
      label: new BigInt64Array([0n, 1n, 1n, 0n]),
      probabilities: new Float32Array([0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4]),
      name: ["a", "b", "c", "d"],
    },
  };
  const sizes = { label: 1, probabilities: 2, name: 1 };

  it("gives exactly the requested rows of every output, strings included", () => {
    const part = sliceOutputs(out, sizes, 1, 2);
    expect(part.rows).toBe(2);
    expect(Array.from(part.outputs.label as BigInt64Array)).toEqual([1n, 1n]);
    expect(Array.from(part.outputs.probabilities as Float32Array)).toEqual([
      Math.fround(0.2), Math.fround(0.8), Math.fround(0.3), Math.fround(0.7),
    ]);
    expect(part.outputs.name).toEqual(["b", "c"]);
  });

  it("uses views on the batch's memory for typed arrays and infers missing row sizes", () => {
    const part = sliceOutputs(out, {}, 3, 1);
    expect((part.outputs.probabilities as Float32Array).buffer).toBe((out.outputs.probabilities as Float32Array).buffer);
    expect(Array.from(part.outputs.probabilities as Float32Array)).toEqual([Math.fround(0.6), Math.fround(0.4)]);
    expect(sliceOutputs(out, sizes, 4, 0).rows).toBe(0);
  });

  it("refuses a range outside the batch and an output that is not a whole number of rows", () => {
    expect(() => sliceOutputs(out, sizes, 3, 2)).toThrow(/outside a batch of 4 rows/);
    expect(() => sliceOutputs(out, sizes, -1, 1)).toThrow(KeelError);
    expect(() => sliceOutputs({ rows: 2, outputs: { y: new Float32Array(3) } }, {}, 0, 1)).toThrow(/3 values for 2 rows/);
  });
});
