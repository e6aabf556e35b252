/**
 * Rebuilds a fitted decision tree or random forest from its `toJson()` output.
 */
import { invalidParameter } from "../../core/errors.js";
import type { FittedTreeClassifier, FittedTreeRegressor, TreeModelJson } from "./fitted-tree-models.js";
import {
  createFittedTreeClassifier,
  createFittedTreeRegressor,
  DECISION_TREE_CLASSIFIER_KIND,
  DECISION_TREE_REGRESSOR_KIND,
  RANDOM_FOREST_CLASSIFIER_KIND,
  RANDOM_FOREST_REGRESSOR_KIND,
} from "./fitted-tree-models.js";
import type { TreeJson } from "./tree.js";
import { treeFromJson } from "./tree.js";

const KINDS: readonly string[] = [DECISION_TREE_CLASSIFIER_KIND, DECISION_TREE_REGRESSOR_KIND, RANDOM_FOREST_CLASSIFIER_KIND, RANDOM_FOREST_REGRESSOR_KIND];

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");

function isTreeJson(v: unknown): v is TreeJson {
  if (typeof v !== "object" || v === null) return false;
  const t = v as Record<string, unknown>;
  return (["feature", "threshold", "left", "right", "missingGoesLeft", "value"] as const).every((key) => isNumberArray(t[key])) && typeof t.outputs === "number";
}

/** A saved tree model (any of the four tree kinds); throws INVALID_PARAMETER_VALUE saying what is malformed. */
export function treeModelFromJson(json: unknown): FittedTreeClassifier | FittedTreeRegressor {
  const fail = (what: string) => invalidParameter(`not a saved tree model: ${what}`);
  if (typeof json !== "object" || json === null) throw fail("expected an object");
  const j = json as Partial<Record<keyof TreeModelJson, unknown>>;
  if (typeof j.kind !== "string" || !KINDS.includes(j.kind)) throw fail(`kind is ${JSON.stringify(j.kind)}, expected one of ${KINDS.join(", ")}`);
  if (j.version !== 1) throw fail(`unsupported version ${JSON.stringify(j.version)}`);
  const featureCount = j.featureCount;
  if (typeof featureCount !== "number" || !Number.isInteger(featureCount) || featureCount < 1) throw fail("featureCount must be a positive integer");
  if (!isNumberArray(j.featureImportances) || j.featureImportances.length !== featureCount) throw fail(`featureImportances must hold ${featureCount} numbers`);
  if (!Array.isArray(j.trees) || j.trees.length === 0 || !j.trees.every(isTreeJson)) throw fail("trees must be a non-empty list of trees");
  const trees = j.trees.map(treeFromJson);
  if (trees.some((t) => t.feature.some((f) => f >= featureCount))) throw fail(`a tree splits on a feature beyond the ${featureCount} features`);
  const state = { featureCount, trees, importances: Float64Array.from(j.featureImportances) };
  if (j.kind === DECISION_TREE_CLASSIFIER_KIND || j.kind === RANDOM_FOREST_CLASSIFIER_KIND) {
    const classes = j.classes;
    if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === "string")) throw fail("classes must list at least two strings");
    if (trees.some((t) => t.outputs !== classes.length)) throw fail(`every tree must hold ${classes.length} class probabilities per node`);
    return createFittedTreeClassifier(j.kind, classes, state);
  }
  if (trees.some((t) => t.outputs !== 1)) throw fail("every regression tree must hold one value per node");
  return createFittedTreeRegressor(j.kind as typeof DECISION_TREE_REGRESSOR_KIND, state);
}
