/**
 * One tree of a random forest, built the same way on the main thread and in a worker. Its random choices
 * are scikit-learn's: the forest's RandomState(seed) hands each tree a seed in turn, and the tree draws its
 * bootstrap sample from RandomState(tree seed) and its features from a splitter seeded from it too. So a
 * forest with seed s is scikit-learn's with random_state=s, and it does not depend on n_jobs.
 */
import type { GrownTree, TreeGrowth, TreeTarget } from "./build-tree.js";
import { growTree } from "./build-tree.js";
import { numpyRandomState, RAND_R_MAX, splitterRandInt } from "./numpy-random.js";
import type { SortedFeatures } from "./sorted-features.js";

export interface ForestSpec {
  readonly growth: TreeGrowth;
  readonly bootstrap: boolean;
  /** Per tree, its random_state, from forestTreeSeeds. */
  readonly treeSeeds: readonly number[];
}

/** The seeds a forest with random_state `seed` gives its `trees` trees (BaseForest.fit's randint draws). */
export function forestTreeSeeds(seed: number, trees: number): number[] {
  const random = numpyRandomState(seed);
  return Array.from({ length: trees }, () => random.randint(0, RAND_R_MAX));
}

/** Tree `index` of the forest: a bootstrap sample (as integer weights) when asked, then CART. */
export function growForestTree(data: SortedFeatures, target: TreeTarget, spec: ForestSpec, index: number, weights: Float64Array): GrownTree {
  const seed = spec.treeSeeds[index];
  const n = data.rows;
  if (spec.bootstrap) {
    weights.fill(0);
    const random = numpyRandomState(seed);
    for (let draw = 0; draw < n; draw++) weights[random.randint(0, n)] += 1;
  } else {
    weights.fill(1);
  }
  return growTree(data, target, spec.growth, weights, splitterRandInt(seed));
}
