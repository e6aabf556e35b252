/**
 * The data one boosting fit works on: the rows held out for early stopping (stratified, seeded, as
 * scikit-learn's train_test_split), the bin mapper fitted on the training rows, and both parts binned.
 */
import { trainTestSplit } from "../split.js";
import type { Matrix } from "../types.js";
import { binColumns, binRows, fitBinMapper, float32Columns } from "./bin-mapper.js";
import type { BinMapper } from "./bin-mapper.js";
import type { Random } from "./random.js";

export interface TrainingData {
  readonly mapper: BinMapper;
  /** Training rows' bins, column-major, in a SharedArrayBuffer (histogram workers read it). */
  readonly binned: Uint8Array;
  readonly y: Float64Array;
  /** 1 where a feature has missing values among the training rows. */
  readonly hasMissing: Uint8Array;
  readonly validation: { readonly binned: Uint8Array; readonly y: Float64Array } | null;
}

export interface TrainingDataOptions {
  /** Hold out `validationFraction` (a fraction or a row count) of the rows; null holds out none. */
  readonly validationFraction: number | null;
  readonly stratify: Int32Array | null;
  readonly maxBins: number;
  readonly seed: number;
  readonly random: Random;
}

function gather(y: Float64Array, rows: Uint32Array | null): Float64Array {
  return rows ? Float64Array.from(rows, (r) => y[r]) : y;
}

export function prepareTrainingData(x: Matrix, y: Float64Array, options: TrainingDataOptions): TrainingData {
  let trainRows: Uint32Array | null = null;
  let validationRows: Uint32Array | null = null;
  if (options.validationFraction !== null) {
    const split = trainTestSplit(x.rows, { testSize: options.validationFraction, seed: options.seed, ...(options.stratify ? { stratify: options.stratify } : {}) });
    trainRows = Uint32Array.from(split.train);
    validationRows = Uint32Array.from(split.test);
  }
  const yTrain = gather(y, trainRows);
  const n = yTrain.length;
  const columns = float32Columns(x, trainRows);
  const mapper = fitBinMapper(columns, n, options.maxBins, options.random);
  const binned = binColumns(columns, n, mapper, true);
  const hasMissing = new Uint8Array(x.cols);
  for (let f = 0; f < x.cols; f++) {
    for (let i = 0; i < n; i++) {
      if (binned[f * n + i] === mapper.maxBins) {
        hasMissing[f] = 1;
        break;
      }
    }
  }
  const validation = validationRows ? { binned: binRows(x, validationRows, mapper), y: gather(y, validationRows) } : null;
  return { mapper, binned, y: yTrain, hasMissing, validation };
}
