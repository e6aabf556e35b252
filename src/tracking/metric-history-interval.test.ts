import { describe, expect, it } from "vitest";
import { mergeSteps, sampleSteps } from "./metric-history-interval.js";

const range = (from: number, to: number) => Float64Array.from({ length: to - from }, (_, i) => from + i);

describe("MLflow's step sampling for get-history-bulk-interval", () => {
  it("keeps every step when the range holds no more than max_results", () => {
    expect([...sampleSteps(range(0, 10), 2, 6, 5)]).toEqual([2, 3, 4, 5, 6]);
  });

  it("samples at even intervals and keeps the range's last step", () => {
    const sampled = [...sampleSteps(range(0, 1000), 0, 999, 4)];
    expect(sampled).toEqual([0, 250, 500, 750, 999]);
  });

  it("samples the whole range when it starts after the first step (where MLflow drops samples)", () => {
    const sampled = [...sampleSteps(range(0, 1000), 500, 999, 5)];
    expect(sampled).toEqual([500, 600, 700, 800, 900, 999]);
  });

  it("samples the steps that exist, not the numbers between them", () => {
    const steps = Float64Array.from([0, 10, 20, 1000, 1010, 5000]);
    expect([...sampleSteps(steps, 0, 5000, 3)]).toEqual([0, 20, 1010, 5000]);
  });

  it("merges several runs' steps into one ascending list without repeats", () => {
    expect([...mergeSteps(Float64Array.from([0, 2, 4]), Float64Array.from([1, 2, 3]))]).toEqual([0, 1, 2, 3, 4]);
    expect([...mergeSteps(new Float64Array(0), Float64Array.from([1, 1, 2]))]).toEqual([1, 2]);
  });
});
