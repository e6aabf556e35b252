/**
 * Hyperparameter checking for the linear learners: every given name must be known and of the right type,
 * so a typo (`c=0.5` for `C`) fails at construction instead of silently training with the default.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Params } from "../types.js";

type ParamValue = number | string | boolean | null;

export interface ParamSpec<T extends ParamValue = ParamValue> {
  readonly default: T;
  /** What the value must be, for the error message ("a positive number"). */
  readonly expected: string;
  readonly accepts: (value: ParamValue) => value is T;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export type ResolvedParams<S extends ParamSpecs> = { readonly [K in keyof S]: S[K]["default"] };

export const positiveNumber: (fallback: number) => ParamSpec<number> = (fallback) => ({
  default: fallback,
  expected: "a positive number",
  accepts: (v): v is number => typeof v === "number" && Number.isFinite(v) && v > 0,
});

export const nonNegativeNumber: (fallback: number) => ParamSpec<number> = (fallback) => ({
  default: fallback,
  expected: "a number >= 0",
  accepts: (v): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0,
});

export const positiveInteger: (fallback: number) => ParamSpec<number> = (fallback) => ({
  default: fallback,
  expected: "a positive integer",
  accepts: (v): v is number => typeof v === "number" && Number.isInteger(v) && v > 0,
});

export const flag: (fallback: boolean) => ParamSpec<boolean> = (fallback) => ({
  default: fallback,
  expected: "true or false",
  accepts: (v): v is boolean => typeof v === "boolean",
});

/** scikit-learn's `random_state` where the learner has no randomness: accepted so copied code runs, unused. */
export const unusedSeed: ParamSpec<number | null> = {
  default: null,
  expected: "an integer or null",
  accepts: (v): v is number | null => v === null || (typeof v === "number" && Number.isInteger(v)),
};

/** One of `choices`; `null` may be among them (scikit-learn's `penalty=None`). */
export function oneOf<T extends string | null>(choices: readonly T[], fallback: T): ParamSpec<T> {
  return {
    default: fallback,
    expected: `one of ${choices.map((c) => (c === null ? "null" : `"${c}"`)).join(", ")}`,
    accepts: (v): v is T => (choices as readonly ParamValue[]).includes(v),
  };
}

/** The given params over the specs' defaults; throws INVALID_PARAMETER_VALUE naming the bad param. */
export function resolveParams<S extends ParamSpecs>(kind: string, specs: S, given: Params): ResolvedParams<S> {
  const accepted = Object.keys(specs).sort();
  const resolved: Record<string, ParamValue> = {};
  for (const name of accepted) resolved[name] = specs[name].default;
  for (const [name, value] of Object.entries(given)) {
    const spec = specs[name];
    if (!spec) {
      throw invalidParameter(`${kind} has no parameter '${name}'; accepted parameters: ${accepted.join(", ")}`);
    }
    if (!spec.accepts(value)) {
      throw invalidParameter(`${kind} parameter '${name}' must be ${spec.expected}, got ${JSON.stringify(value)}`);
    }
    resolved[name] = value;
  }
  return resolved as ResolvedParams<S>;
}
