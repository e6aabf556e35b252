/**
 * One tree of a random forest, built the same way on the main thread and in a worker: its random choices
 * come only from the forest seed and the tree's index, so the forest does not depend on n_jobs.
 */
import type { GrownTree, TreeGrowth, TreeTarget } from "./build-tree.js";
import { growTree } from "./build-tree.js";
import { createRandom, deriveSeed, randomBelow } from "./random.js";
import type { SortedFeatures } from "./sorted-features.js";

export interface ForestSpec {
  readonly growth: TreeGrowth;
  readonly bootstrap: boolean;
  readonly seed: number;
}

/** Tree `index` of the forest: a bootstrap sample (as integer weights) when asked, then CART. */
export function growForestTree(data: SortedFeatures, target: TreeTarget, spec: ForestSpec, index: number, weights: Float64Array): GrownTree {
  const random = createRandom(deriveSeed(spec.seed, index));
  const n = data.rows;
  if (spec.bootstrap) {
    weights.fill(0);
    for (let draw = 0; draw < n; draw++) weights[randomBelow(random, n)] += 1;
  } else {
    weights.fill(1);
  }
  return growTree(data, target, spec.growth, weights, random);
}
