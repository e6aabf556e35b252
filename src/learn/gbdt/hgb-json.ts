/**
 * The saved form of a fitted histogram gradient boosting model, and its checked reading back. Thresholds can
 * be +Infinity (a split that sends every number one way and missing values the other), which JSON cannot
 * hold as a number, so non-finite thresholds are written as strings.
 */
import { invalidParameter } from "../../core/errors.js";
import { treeFromJson } from "../trees/tree.js";
import type { Tree } from "../trees/tree.js";

/** What a fit produces and a saved model holds. */
export interface HgbState {
  readonly featureCount: number;
  /** Raw prediction before any tree, per tree slot (log-odds, centred log-priors, or the mean). */
  readonly baseline: Float64Array;
  /** Per iteration, one single-output tree per class (one for binary and regression); learning rate applied. */
  readonly trees: readonly (readonly Tree[])[];
  /** Total gain of each feature's splits. */
  readonly featureGains: Float64Array;
  readonly trainScore: readonly number[];
  readonly validationScore: readonly number[];
}

interface HgbTreeJson {
  readonly feature: number[];
  readonly threshold: (number | string)[];
  readonly left: number[];
  readonly right: number[];
  readonly missingGoesLeft: number[];
  readonly value: number[];
}

export interface HgbJson {
  readonly kind: string;
  readonly version: 1;
  readonly classes?: string[];
  readonly featureCount: number;
  readonly baseline: number[];
  readonly trees: HgbTreeJson[][];
  readonly featureGains: number[];
  readonly trainScore: number[];
  readonly validationScore: number[];
}

export function hgbStateToJson(kind: string, state: HgbState, classes: readonly string[] | null): HgbJson {
  return {
    kind,
    version: 1,
    ...(classes ? { classes: [...classes] } : {}),
    featureCount: state.featureCount,
    baseline: Array.from(state.baseline),
    trees: state.trees.map((iteration) =>
      iteration.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : String(v))),
        left: Array.from(t.left),
        right: Array.from(t.right),
        missingGoesLeft: Array.from(t.missingGoesLeft),
        value: Array.from(t.value),
      })),
    ),
    featureGains: Array.from(state.featureGains),
    trainScore: [...state.trainScore],
    validationScore: [...state.validationScore],
  };
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));

function readThreshold(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

/** Reads `hgbStateToJson`'s output back; throws INVALID_PARAMETER_VALUE saying what is malformed. */
export function parseHgbJson(json: unknown, kinds: readonly string[]): { kind: string; classes: string[] | null; state: HgbState } {
  const fail = (what: string) => invalidParameter(`not a saved histogram gradient boosting model: ${what}; re-export it with toJson()`);
  if (typeof json !== "object" || json === null) throw fail("expected an object");
  const j = json as Partial<Record<keyof HgbJson, unknown>>;
  if (typeof j.kind !== "string" || !kinds.includes(j.kind)) throw fail(`kind is ${JSON.stringify(j.kind)}, expected one of ${kinds.join(", ")}`);
  if (j.version !== 1) throw fail(`unsupported version ${JSON.stringify(j.version)}`);
  const featureCount = j.featureCount;
  if (typeof featureCount !== "number" || !Number.isInteger(featureCount) || featureCount < 1) throw fail("featureCount must be a positive integer");
  if (!isNumberArray(j.baseline) || j.baseline.length < 1) throw fail("baseline must hold finite numbers");
  const slots = j.baseline.length;
  let classes: string[] | null = null;
  if (j.classes !== undefined) {
    if (!Array.isArray(j.classes) || j.classes.length < 2 || !j.classes.every((c) => typeof c === "string")) throw fail("classes must list at least two strings");
    classes = j.classes as string[];
    if (slots !== (classes.length === 2 ? 1 : classes.length)) throw fail(`baseline has ${slots} values for ${classes.length} classes`);
  }
  if (!isNumberArray(j.featureGains) || j.featureGains.length !== featureCount) throw fail(`featureGains must hold ${featureCount} numbers`);
  if (!isNumberArray(j.trainScore) || !isNumberArray(j.validationScore)) throw fail("trainScore and validationScore must be number arrays");
  if (!Array.isArray(j.trees) || j.trees.length === 0) throw fail("trees must be a non-empty array of iterations");
  const trees = j.trees.map((iteration: unknown, i: number) => {
    if (!Array.isArray(iteration) || iteration.length !== slots) throw fail(`iteration ${i} must hold ${slots} trees`);
    return iteration.map((t: HgbTreeJson) => {
      if (typeof t !== "object" || t === null || !Array.isArray(t.threshold)) throw fail(`a tree of iteration ${i} is malformed`);
      const tree = treeFromJson({ ...t, threshold: t.threshold.map(readThreshold), outputs: 1 });
      const bad = tree.feature.some((f, n) => f >= featureCount || (f >= 0 && (Number.isNaN(tree.threshold[n]) || tree.left[n] <= n || tree.right[n] <= n || tree.left[n] >= tree.feature.length || tree.right[n] >= tree.feature.length)));
      if (bad) throw fail(`a tree of iteration ${i} has a bad feature, threshold or child index`);
      return tree;
    });
  });
  return {
    kind: j.kind,
    classes,
    state: {
      featureCount,
      baseline: Float64Array.from(j.baseline),
      trees,
      featureGains: Float64Array.from(j.featureGains),
      trainScore: j.trainScore,
      validationScore: j.validationScore,
    },
  };
}
