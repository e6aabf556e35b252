/**
 * The drift tests Keel knows, with Evidently's names, allowed column kinds, default thresholds and verdict
 * directions, and Evidently's rule for choosing one when the caller does not
 * (evidently/legacy/calculations/stattests/registry.py, `_get_default_stattest`).
 */
import type { ColumnKind, StatTestName } from "./types.js";

/** How a test's value becomes a verdict, each exactly as Evidently compares it. */
export type DriftDirection =
  /** p-value at or below the threshold (Evidently's ks and cramer_von_mises stattests use `<=`). */
  | "p-value-at-most"
  /** p-value strictly below the threshold (chisquare, z). */
  | "p-value-below"
  /** distance at or above the threshold (wasserstein, jensenshannon, psi). */
  | "distance-at-least";

export interface StatTestSpec {
  readonly name: StatTestName;
  readonly displayName: string;
  /** Kinds a caller may pick this test for; Evidently refuses others (its default choice may still apply
   * chisquare and z to numerical columns with few values). */
  readonly kinds: readonly ColumnKind[];
  readonly defaultThreshold: number;
  readonly direction: DriftDirection;
}

export const STATTESTS: Readonly<Record<StatTestName, StatTestSpec>> = {
  ks: {
    name: "ks",
    displayName: "K-S p_value",
    kinds: ["numerical"],
    defaultThreshold: 0.05,
    direction: "p-value-at-most",
  },
  chisquare: {
    name: "chisquare",
    displayName: "chi-square p_value",
    kinds: ["categorical"],
    defaultThreshold: 0.05,
    direction: "p-value-below",
  },
  z: {
    name: "z",
    displayName: "Z-test p_value",
    kinds: ["categorical"],
    defaultThreshold: 0.05,
    direction: "p-value-below",
  },
  wasserstein: {
    name: "wasserstein",
    displayName: "Wasserstein distance (normed)",
    kinds: ["numerical"],
    defaultThreshold: 0.1,
    direction: "distance-at-least",
  },
  jensenshannon: {
    name: "jensenshannon",
    displayName: "Jensen-Shannon distance",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.1,
    direction: "distance-at-least",
  },
  psi: {
    name: "psi",
    displayName: "PSI",
    kinds: ["categorical", "numerical"],
    defaultThreshold: 0.1,
    direction: "distance-at-least",
  },
  cramer_von_mises: {
    name: "cramer_von_mises",
    displayName: "Cramer-von Mises p_value",
    kinds: ["numerical"],
    defaultThreshold: 0.05,
    direction: "p-value-at-most",
  },
};

export const STATTEST_NAMES: readonly StatTestName[] = Object.keys(STATTESTS) as StatTestName[];

/** Evidently switches from p-value tests to distances above this many (non-missing) reference values. */
export const SMALL_REFERENCE_MAX_ROWS = 1000;
/** Numerical columns with at most this many distinct values are tested as categories by default. */
export const FEW_VALUES_MAX_UNIQUE = 5;

export function isStatTestName(value: unknown): value is StatTestName {
  return typeof value === "string" && Object.hasOwn(STATTESTS, value);
}

export interface DefaultStatTestInput {
  readonly kind: ColumnKind;
  /** Non-missing reference values. */
  readonly referenceRows: number;
  /** Distinct non-missing values over reference and current together. */
  readonly uniqueValues: number;
}

/**
 * Evidently's default test: up to 1000 reference rows, KS for numerical columns with more than 5 distinct
 * values, else chi-square above 2 distinct values and the Z-test at 2 or fewer; above 1000 reference rows,
 * normed Wasserstein for numerical columns with more than 5 distinct values and Jensen–Shannon otherwise.
 * @example
 * defaultStatTest({ kind: "numerical", referenceRows: 500, uniqueValues: 120 }); // "ks"
 */
export function defaultStatTest(input: DefaultStatTestInput): StatTestName {
  const manyValues = input.kind === "numerical" && input.uniqueValues > FEW_VALUES_MAX_UNIQUE;
  if (input.referenceRows <= SMALL_REFERENCE_MAX_ROWS) {
    if (manyValues) return "ks";
    return input.uniqueValues > 2 ? "chisquare" : "z";
  }
  return manyValues ? "wasserstein" : "jensenshannon";
}

/** The verdict for a test's p-value or distance against a threshold, in the test's direction. */
export function isDrifted(stattest: StatTestName, value: number, threshold: number): boolean {
  switch (STATTESTS[stattest].direction) {
    case "p-value-at-most":
      return value <= threshold;
    case "p-value-below":
      return value < threshold;
    case "distance-at-least":
      return value >= threshold;
  }
}
