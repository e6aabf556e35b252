import { expect, test } from "vitest";
import { FIXTURE } from "./fixtures/sklearn-fixtures.js";
import { numpyAverage, numpySum } from "./numpy-sum.js";

// The arrays are defined by exact arithmetic, so both sides hold the same bits; only the summation order differs.
test.each(FIXTURE.numpySums)("sums $n values in numpy's order, bit for bit", ({ n, sum, mean }) => {
  const values = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 10007) / 10007 + i / 1024);
  expect(numpySum(values)).toBe(sum);
  expect(numpyAverage(values)).toBe(mean);
});
